"""Print Weekly Call List…: the print preview, Save as PDF and Add to calendar.

The sheet itself is drawn by netbook.plan.sheet (QtGui only, so `netbook week --pdf`
draws the same pages without the window); this module puts it behind the dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..plan.ics import write_ics
from ..plan.planner import WeekPlan
from ..plan.sheet import Details, details_for, page_layout, render, render_pdf
from ..plan.wording import week_heading
from .text import plain_warning

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QWidget

    from ..data.contacts import Store

__all__ = ["make_print_preview", "print_preview", "save_ics", "save_pdf"]


# -- print preview and Save as PDF (GUI) ------------------------------------------------


def make_print_preview(parent: QWidget | None, store: Store | None,
                       plan: WeekPlan) -> QPrintPreviewDialog:
    """A print preview with the system's printers, plus a Save as PDF… button."""
    from PySide6.QtGui import QAction
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QToolBar

    details = details_for(store, plan)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(details.paper))
    printer.setDocName(week_heading(plan))
    printer.setCreator("netbook")
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Print Weekly Call List")
    dialog._printer = printer  # type: ignore[attr-defined]  # keep it alive with the dialog

    def paint(target: QPrinter) -> None:
        render(target, plan, details)

    dialog.paintRequested.connect(paint)
    bars = dialog.findChildren(QToolBar)
    if bars:
        action = QAction("Save as PDF…", dialog)
        action.setToolTip("Save the call list as a PDF file")
        action.triggered.connect(lambda: save_pdf(dialog, store, plan, details=details))
        bars[0].addSeparator()
        bars[0].addAction(action)
    return dialog


def print_preview(parent: QWidget | None, store: Store | None, plan: WeekPlan) -> int:
    """File ▸ Print Weekly Call List… (Ctrl+P) and the panel's Print button."""
    return make_print_preview(parent, store, plan).exec()


def save_pdf(parent: QWidget | None, store: Store | None, plan: WeekPlan,
             path: Path | None = None, details: Details | None = None,
             on_done: Callable[[Path, int], None] | None = None) -> None:
    """Ask for a file (unless given) and write the PDF on a worker thread."""
    from PySide6.QtWidgets import QFileDialog

    from .workers import run_job

    if path is None:
        suggested = f"call-list-{plan.week_start.isoformat()}.pdf"
        chosen, _ = QFileDialog.getSaveFileName(parent, "Save call list as PDF", suggested,
                                                "PDF files (*.pdf)")
        if not chosen:
            return
        path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
    details = details or details_for(store, plan)  # store reads stay on this thread
    target = path

    def work(report: Callable[[int, int], None]) -> int:
        report(0, 1)
        return render_pdf(plan, target, details)

    def done(pages: int) -> None:
        if on_done is not None:
            on_done(target, pages)

    def failed(message: str) -> None:
        plain_warning(parent, "Save as PDF", f"Could not write {target}:\n{message}")

    run_job(parent, "Writing the call list…", work, done, failed)


def save_ics(parent: QWidget | None, plan: WeekPlan, path: Path | None = None) -> Path | None:
    """The panel's "Add to calendar" button: ask for a file and write the .ics."""
    from PySide6.QtWidgets import QFileDialog

    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Add the networking block to your calendar",
            f"networking-block-{plan.week_start.isoformat()}.ics",
            "iCalendar files (*.ics)")
        if not chosen:
            return None
        path = Path(chosen if chosen.lower().endswith(".ics") else chosen + ".ics")
    try:
        write_ics(plan, path)
    except OSError as exc:
        plain_warning(parent, "Add to calendar", f"Could not write {path}:\n{exc}")
        return None
    return path

