"""Import with a preview, export to a file, and restoring a backup.

Nothing is written until the user has seen what an import would do: the files are read
and matched off the GUI thread (`plan_import`), the preview lets them choose an action
per card, and `apply_import` then writes it all in one transaction on a worker thread, so
Cancel there rolls the whole import back. The preview is a model/view table because an
import can hold 10,000 cards; every text in it comes from files and is shown as plain text.

Prompts that a test can't click (the save-file dialog, the restore confirmation) sit
behind small methods or module functions a test replaces; other dialogs are shown
non-blocking with `open()`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..data import db as dbmod
from ..data.changes import Changes
from ..data.contacts import Store
from ..data.csv.detect import CsvTable
from ..data.exporting import export_vcards
from ..data.importing import ImportItem, ImportPlan, ImportSummary, apply_import, plan_import
from ..data.vcard.reader import CardError
from ..plan.wording import long_date
from .csv_mapping import ChosenColumns, ask_columns, columns_note
from .text import button_text, isolate, plain_label, spoof_warning
from .workers import Job, close_thread_connection, run_job

__all__ = [
    "ActionDelegate",
    "ExportDialog",
    "ImportPreviewDialog",
    "ImportPreviewModel",
    "RestoreDialog",
    "restore_dialog",
    "start_export",
    "start_import",
]

SHOW_AFTER_MS = 400  # the progress dialog appears only for jobs slower than this
UNREADABLE_LISTED = 20  # lines in the message box text; the rest go to its details
# a damaged book refuses an import before any file is read: the box blames the book
NOT_STARTED_TITLE = "Import could not start"
NOT_STARTED_TEXT = ("The import could not start because the database is damaged; "
                    "your files were not read.")

Row = ImportItem | CardError

STATUS_LABELS = {
    "new": "New",
    "changed": "Changed",
    "duplicate": "Probable duplicate",
    "unchanged": "Unchanged",
    "error": "Unreadable",
}
ACTION_LABELS = {"add": "Add", "update": "Update", "merge": "Merge", "keep": "Keep both",
                 "skip": "Skip"}
CHOICES: dict[str, tuple[str, ...]] = {
    "new": ("add", "skip"),
    "changed": ("update", "merge", "skip"),
    "duplicate": ("merge", "keep", "skip"),
    "unchanged": (),
    "error": (),
}
ACTION_HELP = {
    "add": "Add: a new contact.",
    "update": "Update: take the file's fields; netbook's own networking data stays.",
    "merge": "Merge: fill empty fields, unite phones, emails, addresses and tags, "
             "keep both notes.",
    "keep": "Keep both: add the card as a separate contact.",
    "skip": "Skip: leave this card out.",
}
FILTERS = (("all", "All"), ("new", "New"), ("changed", "Changed"), ("duplicate", "Duplicates"),
           ("error", "Unreadable"), ("unchanged", "Unchanged"))
COUNT_ORDER = (("new", "new"), ("changed", "changed"), ("duplicate", "probable duplicate"),
               ("unchanged", "unchanged"), ("error", "unreadable"))


# -- small helpers ------------------------------------------------------------


def show_message(parent: QWidget | None, title: str, text: str, *, details: str = "",
                 icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
    """A non-blocking plain-text message box (file names and card text are untrusted)."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if details:
        box.setDetailedText(details)  # always plain
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _status(parent: QWidget | None, text: str, ms: int = 8000) -> None:
    """The main window's status bar, when there is one."""
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, ms)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _status_of(row: Row) -> str:
    return "error" if isinstance(row, CardError) else row.status


# -- the preview model --------------------------------------------------------


class ImportPreviewModel(QAbstractTableModel):
    """The cards of a plan (and its unreadable cards), one row each, filtered by status.

    It holds the plan's objects, not copies: the Action column edits `item.decision`,
    which is what `apply_import` reads. The filter lives here (a list of shown row
    numbers, rebuilt with a model reset) so 10,000 rows cost no per-row proxy calls.
    """

    COL_STATUS, COL_NAME, COL_MATCH, COL_DETAIL, COL_ACTION = range(5)
    HEADERS = ("Status", "Name", "Matches", "What differs / problem", "Action")
    ROW_ROLE = Qt.ItemDataRole.UserRole  # the ImportItem or CardError itself
    STATUS_ROLE = Qt.ItemDataRole.UserRole + 1  # new | changed | duplicate | unchanged | error

    decisions_changed = Signal()

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self._rows: list[Row] = [*plan.items, *plan.errors]
        self._shown: list[int] = list(range(len(self._rows)))
        self._filter = "all"

    # -- shape --
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == self.COL_ACTION:
            return "Double-click or press F2 to choose what happens to a card"
        return None

    def row(self, index: QModelIndex | QPersistentModelIndex) -> Row | None:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        return self._rows[self._shown[index.row()]]

    def choices(self, index: QModelIndex | QPersistentModelIndex) -> list[tuple[str, str]]:
        """(decision, label) pairs valid for the row; empty when there is nothing to choose."""
        row = self.row(index)
        if row is None:
            return []
        return [(code, ACTION_LABELS[code]) for code in CHOICES[_status_of(row)]]

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_ACTION and len(self.choices(index)) > 1:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # -- data --
    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index)
        if row is None:
            return None
        if role == self.ROW_ROLE:
            return row
        if role == self.STATUS_ROLE:
            return _status_of(row)
        col = index.column()
        if role == Qt.ItemDataRole.EditRole and col == self.COL_ACTION:
            return "" if isinstance(row, CardError) else row.decision
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if isinstance(row, CardError):
            return _error_cell(row, col)
        return _item_cell(row, col)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row(index)
        if (role != Qt.ItemDataRole.EditRole or index.column() != self.COL_ACTION
                or not isinstance(row, ImportItem) or value not in CHOICES[row.status]):
            return False
        if row.decision != value:
            row.decision = value
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole,
                                                 Qt.ItemDataRole.EditRole])
            self.decisions_changed.emit()
        return True

    def set_decision_for_shown(self, decision: str) -> int:
        """Set `decision` on every shown row that offers it; return how many changed."""
        changed = 0
        for n in self._shown:
            row = self._rows[n]
            if (isinstance(row, ImportItem) and decision in CHOICES[row.status]
                    and row.decision != decision):
                row.decision = decision
                changed += 1
        if changed:
            last = self.rowCount() - 1
            self.dataChanged.emit(self.index(0, self.COL_ACTION),
                                  self.index(last, self.COL_ACTION),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
            self.decisions_changed.emit()
        return changed

    # -- filter --
    @property
    def filter(self) -> str:
        return self._filter

    def set_filter(self, status: str) -> None:
        """Show only rows of one status ("all" shows everything)."""
        self.beginResetModel()
        self._filter = status
        self._shown = [n for n, row in enumerate(self._rows)
                       if status == "all" or _status_of(row) == status]
        self.endResetModel()

    # -- counts --
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_LABELS, 0)
        for row in self._rows:
            out[_status_of(row)] += 1
        return out

    def decision_counts(self) -> dict[str, int]:
        out = dict.fromkeys(ACTION_LABELS, 0)
        for item in self.plan.items:
            if item.status != "unchanged":
                out[item.decision] += 1
        return out

    def has_writes(self) -> bool:
        return bool(self.plan.group_tags) or any(
            item.decision != "skip" for item in self.plan.items)


def _item_cell(item: ImportItem, col: int) -> str:
    m = ImportPreviewModel
    if col == m.COL_STATUS:  # a name hiding characters is marked where it is decided on
        return STATUS_LABELS[item.status] + (" ⚠" if spoof_warning(item.name) else "")
    if col == m.COL_NAME:  # a card's name keeps its direction characters to itself
        return isolate(item.name)
    if col == m.COL_MATCH:
        return _match_text(item)
    if col == m.COL_DETAIL:
        if item.status == "changed":
            return "; ".join(item.differences)
        return "; ".join(f"warning: {w}" for w in item.warnings)
    if col == m.COL_ACTION:
        return "Nothing to do" if item.status == "unchanged" else ACTION_LABELS[item.decision]
    return ""


def _error_cell(error: CardError, col: int) -> str:
    m = ImportPreviewModel
    if col == m.COL_STATUS:
        return STATUS_LABELS["error"]
    if col == m.COL_NAME:
        return f"(card {error.card_number}, line {error.line})"
    if col == m.COL_DETAIL:
        return error.reason
    if col == m.COL_ACTION:
        return "Not imported"
    return ""


def _match_text(item: ImportItem) -> str:
    if item.status == "new":
        return ""
    name = isolate(item.existing_name) if item.existing_name else "(no name)"
    if item.status == "duplicate":
        return f"{name} — {item.match_reason}"
    if item.status == "changed":
        extra = " (edited in netbook)" if item.edited_locally else ""
        extra += " (in the trash)" if item.trashed else ""
        return f"{name} — {item.match_reason or 'same UID'}{extra}"
    return f"{name} — same content"


def detail_text(row: Row) -> str:
    """Everything about one row, in full, for the detail area."""
    if isinstance(row, CardError):
        return f"This card can't be read and will not be imported.\n\n{row}"
    item = row
    lines = [isolate(item.name), *filter(None, [spoof_warning(item.name)]),
             f"Status: {STATUS_LABELS[item.status]}",
             f"From: {item.file}, card {item.number} (line {item.line})"]
    if item.status != "new":
        lines.append(f"Matches: {_match_text(item)}")
    card = item.card
    work = " · ".join(p for p in (card.title, card.organization) if p)
    if work:
        lines.append(f"Works: {work}")
    reach = [f"  Phone ({p.type_text or 'phone'}): {p.value}" for p in card.phones]
    reach += [f"  Email ({e.type_text or 'email'}): {e.value}" for e in card.emails]
    reach += [f"  Address: {a.one_line()}" for a in card.addresses]
    if reach:
        lines += ["", "On the card:", *reach]
    if card.first("PHOTO") is not None:
        lines.append("  Photo: yes (shown beside)")
    if item.edited_locally:
        lines.append("The contact was edited in netbook since its last import; "
                     "Merge keeps those edits.")
    if item.trashed:
        lines.append("The matching contact is in the trash; importing brings it back.")
    if item.differences:
        lines += ["", "What differs (netbook → file):", *(f"  {d}" for d in item.differences)]
    if item.warnings:
        lines += ["", "Warnings:", *(f"  {w}" for w in item.warnings)]
    if item.status == "unchanged":
        lines += ["", "Nothing to do: netbook already has this card."]
    else:
        lines += ["", ACTION_HELP[item.decision]]
    return "\n".join(lines)


# -- the Action editor ----------------------------------------------------------


class ActionDelegate(QStyledItemDelegate):
    """A combo of the choices valid for the row's status; a pick commits at once."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        model = index.model()
        choices = model.choices(index) if isinstance(model, ImportPreviewModel) else []
        combo = QComboBox(parent)
        combo.setAccessibleName("Action")
        for code, label in choices:
            combo.addItem(label, code)
        combo.activated.connect(lambda _i: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox) and editor.currentIndex() >= 0:
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# -- the preview dialog -------------------------------------------------------


# the preview's title, by what is imported (a CSV was called "Import vCards")
IMPORT_TITLES = {"vcard": "Import vCards", "linkedin": "Import LinkedIn connections",
                 "google": "Import Google contacts (CSV)",
                 "outlook": "Import Outlook contacts (CSV)", "csv": "Import a CSV file"}


def import_title(formats: Iterable[str]) -> str:
    """'Import LinkedIn connections' for the one format read; 'Import contacts' for a
    mix (a vCard and a CSV dropped together) or none known."""
    found = set(formats)
    if len(found) == 1:
        return IMPORT_TITLES.get(found.pop(), "Import contacts")
    return "Import contacts"


class ImportPreviewDialog(QDialog):
    """Shows a plan and lets the user choose per card; Import accepts, the caller writes.

    The dialog never touches the store: it edits the plan's decisions through its model.
    """

    def __init__(self, parent: QWidget | None, plan: ImportPlan,
                 title: str = "Import contacts") -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(title)
        self.resize(960, 620)
        self.model = ImportPreviewModel(plan, self)

        self.counts_label = plain_label(count_line(self.model.counts()), self)
        font = self.counts_label.font()
        font.setBold(True)
        self.counts_label.setFont(font)
        self.plan_label = plain_label("", self, wrap=True)
        self.note_label = plain_label(
            "Nothing is written until you press Import. A backup of the database is made "
            "first, and cancelling while the import runs rolls all of it back.", self, wrap=True)

        self.filter_combo = QComboBox(self)
        counts = self.model.counts()
        for key, label in FILTERS:
            n = sum(counts.values()) if key == "all" else counts[key]
            self.filter_combo.addItem(f"{label} ({n:,})", key)
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        self.bulk_combo = QComboBox(self)
        for code, label in ACTION_LABELS.items():
            self.bulk_combo.addItem(label, code)
        self.bulk_button = QPushButton("Set for all shown", self)
        self.bulk_button.clicked.connect(self._bulk)
        bar = QHBoxLayout()
        show_label = QLabel("&Show:", self)
        show_label.setBuddy(self.filter_combo)
        bar.addWidget(show_label)
        bar.addWidget(self.filter_combo)
        bar.addStretch(1)
        action_label = QLabel("&Action:", self)
        action_label.setBuddy(self.bulk_combo)
        bar.addWidget(action_label)
        bar.addWidget(self.bulk_combo)
        bar.addWidget(self.bulk_button)

        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.SelectedClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.delegate = ActionDelegate(self.view)
        self.view.setItemDelegateForColumn(ImportPreviewModel.COL_ACTION, self.delegate)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        vheader = self.view.verticalHeader()
        vheader.setVisible(False)
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        header = self.view.horizontalHeader()
        for col, width in ((0, 130), (1, 200), (2, 240), (4, 110)):
            self.view.setColumnWidth(col, width)
        header.setSectionResizeMode(ImportPreviewModel.COL_DETAIL,
                                    QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(self._show_detail)
        self.model.modelReset.connect(lambda: self._show_detail(QModelIndex()))
        self.model.dataChanged.connect(self._refresh_detail)
        self.model.decisions_changed.connect(self._update_plan)

        self.photo = QLabel(self)
        self.photo.setFixedSize(96, 96)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setAccessibleName("The card's photo")
        self.photo.hide()
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Select a card to see what differs, or why it can't "
                                       "be read.")
        self.detail.setAccessibleName("Card details")

        self.problems = QPlainTextEdit(self)
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Problems with the files")
        self.problems.setPlainText(problems_text(plan))
        self.problems.setVisible(bool(plan.file_errors or plan.warnings))
        self.problems.setMaximumHeight(110)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        detail_box = QWidget(self)
        detail_row = QHBoxLayout(detail_box)
        detail_row.setContentsMargins(0, 0, 0, 0)
        detail_row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        detail_row.addWidget(self.detail, 1)
        splitter.addWidget(detail_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.plan_label)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.note_label)
        layout.addWidget(self.buttons)
        self._update_plan()

    def offer_columns(self, note: str, change: Callable[[], None]) -> QPushButton:
        """CSVs read through a column mapping: say so above the table, with a button back
        to their column page (a remembered mapping can be wrong, and next month's list
        is another event)."""
        self.columns_label = plain_label(note, self, wrap=True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.plan_label) + 1, self.columns_label)
        self.columns_button = self.buttons.addButton(
            "C&olumns and event…", QDialogButtonBox.ButtonRole.ResetRole)
        self.columns_button.setToolTip("What each column of the file holds, and a tag, day "
                                       "and place for everyone in it")
        self.columns_button.clicked.connect(change)
        return self.columns_button

    def _filter_changed(self) -> None:
        self.model.set_filter(self.filter_combo.currentData())

    def _bulk(self) -> None:
        self.model.set_decision_for_shown(self.bulk_combo.currentData())

    def _show_detail(self, current: QModelIndex | QPersistentModelIndex) -> None:
        row = self.model.row(current)
        self.detail.setPlainText("" if row is None else detail_text(row))
        data = row.card.photo_bytes if isinstance(row, ImportItem) else None
        image = QImage.fromData(data) if data else QImage()
        self.photo.setVisible(not image.isNull())
        if not image.isNull():
            self.photo.setPixmap(QPixmap.fromImage(image).scaled(
                96, 96, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def _refresh_detail(self) -> None:
        self._show_detail(self.view.currentIndex())

    def _update_plan(self) -> None:
        self.plan_label.setText(decision_line(self.model.decision_counts(),
                                              self.model.has_writes()))
        self.import_button.setEnabled(self.model.has_writes())


def count_line(counts: dict[str, int]) -> str:
    """'12 new · 3 changed · 2 probable duplicates · 40 unchanged · 1 unreadable'."""
    parts = []
    for key, word in COUNT_ORDER:
        n = counts.get(key, 0)
        if n:
            parts.append(_plural(n, word) if key == "duplicate" else f"{n:,} {word}")
    return " · ".join(parts) or "No cards found"


def decision_line(decisions: dict[str, int], writes: bool) -> str:
    if not writes:
        return "Nothing to write: every card is already in netbook, skipped or unreadable."
    parts = [f"add {decisions['add'] + decisions['keep']:,}"]
    parts += [f"{verb} {decisions[key]:,}" for key, verb in
              (("update", "update"), ("merge", "merge into existing"), ("skip", "skip"))
              if decisions[key]]
    return "Import will " + ", ".join(parts) + "."


def problems_text(plan: ImportPlan) -> str:
    lines = []
    if plan.file_errors:
        lines.append("Files that can't be read:")
        lines += [f"  {path}: {message}" for path, message in plan.file_errors]
    if plan.warnings:
        lines.append("Warnings:")
        lines += [f"  {w}" for w in plan.warnings]
    return "\n".join(lines)


# -- import flow --------------------------------------------------------------


def start_import(parent: QWidget | None, store: Store, paths: Sequence[Path],
                 on_done: Callable[[ImportSummary], None], *,
                 show_after_ms: int | None = None,
                 when_read: Callable[[], None] | None = None,
                 columns: ChosenColumns | None = None) -> Job:
    """Read and match the files off the GUI thread, then show the preview.

    Cancel while reading: nothing happens. A CSV netbook has no layout and no remembered
    column mapping for asks which column is what first (csv_mapping), then the files are
    read again with the choices in `columns`. Import in the preview: write on a worker
    thread (the chosen mappings remembered in the same transaction), then
    `on_done(summary)` (its line for the status bar, its `changes` for the window to
    redraw). `when_read` runs once the files are read for good (or reading failed or was
    cancelled, or the column page was): the plan holds all it needs, so a temporary file
    (a phone's upload) can go.
    """
    delay = SHOW_AFTER_MS if show_after_ms is None else show_after_ms
    paths = list(paths)
    chosen = columns if columns is not None else ChosenColumns()

    def again() -> None:
        start_import(parent, store, paths, on_done, show_after_ms=delay,
                     when_read=when_read, columns=chosen)

    def not_mapped() -> None:
        _status(parent, "Import cancelled — nothing was written")
        if when_read is not None:
            when_read()

    Read = tuple[ImportPlan, dict[str, CsvTable], dict[str, str]]

    def work(report: Callable[[int, int], None]) -> Read | dbmod.DamagedDatabase:
        # vCard or CSV, recognised by content; a CSV netbook doesn't know comes in
        # through the column mapping chosen now or remembered for its header
        reader = chosen.reader(store)
        final = True
        try:
            plan = plan_import(store, paths, report=report, reader=reader)
            # a CSV still waiting for its columns is read again: its file stays till then
            final = all(t.mapping is not None for t in reader.tables.values())
            return plan, reader.tables, dict(reader.formats)
        except dbmod.DamagedDatabase as refused:  # before any file was read: not theirs
            return refused
        finally:
            if when_read is not None and final:
                when_read()

    def planned(result: Read | dbmod.DamagedDatabase) -> None:
        if isinstance(result, dbmod.DamagedDatabase):
            show_message(parent, NOT_STARTED_TITLE, f"{NOT_STARTED_TEXT}\n\n{result}",
                         icon=QMessageBox.Icon.Critical)
            return
        plan, tables, formats = result
        unmapped = {name: t for name, t in tables.items() if t.mapping is None}
        if unmapped:
            ask_columns(parent, unmapped, chosen, again, not_mapped)
            return
        if not plan.items and not plan.errors and not plan.group_tags:
            problems = "\n".join(f"{path}: {message}" for path, message in plan.file_errors)
            show_message(parent, "Nothing to import",
                         "No contacts were found, and nothing was written."
                         + (f"\n\n{problems}" if problems else ""),
                         icon=QMessageBox.Icon.Warning)
            return
        plan.settings.update(chosen.settings())
        dialog = ImportPreviewDialog(parent, plan, import_title(formats.values()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if tables:  # back to the column page: the choice is the user's, not the guess's
            def read_again() -> None:
                dialog.reject()
                again()

            def change_columns() -> None:
                ask_columns(dialog, tables, chosen, read_again)

            dialog.offer_columns(columns_note(tables, chosen), change_columns)
        dialog.accepted.connect(lambda: _apply(parent, store, plan, on_done, delay))
        dialog.open()

    def failed(message: str) -> None:
        show_message(parent, "Import failed", f"The files could not be read: {message}",
                     icon=QMessageBox.Icon.Critical)

    return run_job(parent, "Reading contacts…", work, planned, failed,
                   lambda: _status(parent, "Import cancelled"), show_after_ms=delay,
                   store=store)


def _apply(parent: QWidget | None, store: Store, plan: ImportPlan,
           on_done: Callable[[ImportSummary], None], delay: int) -> Job:
    def work(report: Callable[[int, int], None]) -> ImportSummary:
        return apply_import(store, plan, report=report)

    def done(summary: ImportSummary) -> None:
        on_done(summary)
        if plan.errors:
            show_unreadable(parent, plan.errors)

    def failed(message: str) -> None:
        show_message(parent, "Import failed", f"Nothing was imported: {message}",
                     icon=QMessageBox.Icon.Critical)

    def cancelled() -> None:
        _status(parent, "Import cancelled — nothing was written")

    return run_job(parent, "Importing contacts…", work, done, failed, cancelled,
                   show_after_ms=delay, store=store)


def show_unreadable(parent: QWidget | None, errors: Sequence[CardError]) -> QMessageBox:
    """After an import: which cards were left out, and why (plain text)."""
    lines = [str(e) for e in errors]
    verb = "was" if len(errors) == 1 else "were"
    text = f"{_plural(len(errors), 'card')} could not be read and {verb} not imported:\n\n"
    text += "\n".join(lines[:UNREADABLE_LISTED])
    if len(lines) > UNREADABLE_LISTED:
        text += f"\n… and {len(lines) - UNREADABLE_LISTED:,} more (see the details)"
    return show_message(parent, "Unreadable cards", text,
                        details="\n".join(lines) if len(lines) > UNREADABLE_LISTED else "",
                        icon=QMessageBox.Icon.Warning)


# -- export -------------------------------------------------------------------


class ExportDialog(QDialog):
    """What to export — the whole book, the list as filtered, the selection or a tag —
    in which vCard version, with or without netbook's private notes, to which file.

    It starts on the whole book, or on the list as shown when a search or filter the
    user set is on (`shown_first`; not the "Imported just now" an import set by itself),
    and always says how many contacts will go (a backup of one card by mistake is worse
    than a big file)."""

    def __init__(self, parent: QWidget | None, selected: int, tags: Sequence[str],
                 total: int, shown: int | None = None, shown_label: str = "",
                 shown_first: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export vCards")
        self.target: Path | None = None
        self._counts = {"all": total, "shown": shown or 0, "selected": selected}
        self._tag_counts: dict[str, int] = {}
        self.all_radio = QRadioButton(f"The whole address book ({_plural(total, 'contact')})",
                                      self)
        self.shown_radio = QRadioButton(
            # a tag or a search may hold "&": shown as itself, never a shortcut
            f"The list as shown now — {button_text(shown_label)} "
            f"({_plural(shown or 0, 'contact')})", self)
        self.shown_radio.setVisible(shown is not None)
        self.selected_radio = QRadioButton(
            f"The {_plural(selected, 'selected contact')}" if selected
            else "The selected contacts (none selected)", self)
        self.tag_radio = QRadioButton("Contacts tagged", self)
        self.tag_combo = QComboBox(self)
        self.tag_combo.setAccessibleName("Tag")
        self.tag_combo.addItems(list(tags))
        self.group = QButtonGroup(self)
        for n, radio in enumerate((self.selected_radio, self.tag_radio, self.all_radio,
                                   self.shown_radio)):
            self.group.addButton(radio, n)
        self.selected_radio.setEnabled(selected > 0)
        self.tag_radio.setEnabled(bool(tags))
        self.tag_combo.setEnabled(False)
        self.tag_radio.toggled.connect(self.tag_combo.setEnabled)
        (self.shown_radio if shown is not None and shown_first
         else self.all_radio).setChecked(True)

        self.shareable_check = QCheckBox("Leave out my private notes", self)
        self.shareable_check.setToolTip(
            "A file to give to someone else: without netbook's own fields (the interaction "
            "log, what you gave or asked, needs, offers, follow-ups)")
        self.shareable_hint = plain_label(
            "Without them the file holds only what a phone knows: names, phones, emails, "
            "addresses, notes on the card.", self, wrap=True)
        self.shareable_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.count_label = plain_label("", self)
        self.count_label.setObjectName("export_count")
        self.group.buttonToggled.connect(self._update_count)
        self.tag_combo.currentIndexChanged.connect(self._update_count)

        self.version_combo = QComboBox(self)
        self.version_combo.addItem("vCard 3.0 (what phones read best)", "3.0")
        self.version_combo.addItem("vCard 4.0", "4.0")

        tag_row = QHBoxLayout()
        tag_row.addWidget(self.tag_radio)
        tag_row.addWidget(self.tag_combo, 1)
        form = QFormLayout()
        form.addRow("&Version:", self.version_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(
            "&Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._choose)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Export:", self))
        layout.addWidget(self.all_radio)
        layout.addWidget(self.shown_radio)
        layout.addWidget(self.selected_radio)
        layout.addLayout(tag_row)
        layout.addLayout(form)
        layout.addWidget(self.shareable_check)
        layout.addWidget(self.shareable_hint)
        layout.addWidget(self.count_label)
        layout.addWidget(self.buttons)
        self._update_count()

    def set_tag_counts(self, counts: dict[str, int]) -> None:
        self._tag_counts = counts
        self._update_count()

    def count(self) -> int:
        """How many contacts the current choice exports."""
        if self.tag_radio.isChecked():
            return self._tag_counts.get(self.tag_combo.currentText(), 0)
        if self.shown_radio.isChecked():
            return self._counts["shown"]
        if self.selected_radio.isChecked():
            return self._counts["selected"]
        return self._counts["all"]

    def _update_count(self, *_args: object) -> None:
        n = self.count()
        self.count_label.setText(f"{_plural(n, 'contact')} will be exported.")
        self.export_button.setEnabled(n > 0)

    @property
    def shareable(self) -> bool:
        return self.shareable_check.isChecked()

    @property
    def use_shown(self) -> bool:
        return self.shown_radio.isChecked()

    @property
    def version(self) -> str:
        return self.version_combo.currentData()

    @property
    def tag(self) -> str | None:
        return self.tag_combo.currentText() if self.tag_radio.isChecked() else None

    @property
    def use_selection(self) -> bool:
        return self.selected_radio.isChecked()

    def default_name(self) -> str:
        if self.tag:
            safe = re.sub(r"[^\w.-]+", "-", self.tag).strip("-.") or "tag"
            return f"contacts-{safe}.vcf"
        return "contacts.vcf"

    def choose_target(self) -> Path | None:
        """Ask where to write (tests replace this)."""
        name, _ = QFileDialog.getSaveFileName(self, "Export vCards",
                                              str(Path.home() / self.default_name()),
                                              "vCards (*.vcf)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() in (".vcf", ".vcard") else path.with_suffix(".vcf")

    def _choose(self) -> None:
        target = self.choose_target()
        if target is not None:  # the file dialog cancelled: stay here
            self.target = target
            self.accept()


def start_export(parent: QWidget | None, store: Store, selected_ids: Sequence[int], *,
                 shown_ids: Sequence[int] | None = None, shown_label: str = "",
                 shown_first: bool = True, show_after_ms: int | None = None) -> ExportDialog:
    """Ask what to export and where, then write the file on a worker thread.

    `shown_ids`: the list as filtered now (None when it shows the whole book);
    `shown_first`: the dialog starts on them (a filter the user picked)."""
    from ..data.tags import tag_counts

    delay = SHOW_AFTER_MS if show_after_ms is None else show_after_ms
    ids = list(selected_ids)
    shown = list(shown_ids) if shown_ids is not None else None
    counts = dict(tag_counts(store))
    dialog = ExportDialog(parent, len(ids), list(counts), store.count(),
                          len(shown) if shown is not None else None, shown_label,
                          shown_first)
    dialog.set_tag_counts(counts)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def go() -> None:
        target, version, tag = dialog.target, dialog.version, dialog.tag
        shareable = dialog.shareable
        chosen = ids if dialog.use_selection else shown if dialog.use_shown else None
        assert target is not None

        def work(report: Callable[[int, int], None]) -> int:
            return export_vcards(store, target, version=version, ids=chosen, tag=tag,
                                 report=report, shareable=shareable)

        def done(count: int) -> None:
            what = " (without your private notes)" if shareable else ""
            _status(parent, f"Exported {_plural(count, 'contact')}{what} to {target}", 10000)

        def failed(message: str) -> None:
            show_message(parent, "Export failed", f"{target} was not written: {message}",
                         icon=QMessageBox.Icon.Critical)

        run_job(parent, "Exporting contacts…", work, done, failed,
                lambda: _status(parent, "Export cancelled — no file was written"),
                show_after_ms=delay, store=store)

    dialog.accepted.connect(go)
    dialog.open()
    return dialog


# -- backups ------------------------------------------------------------------

_BACKUP_NAME = re.compile(r"-(\d{8}-\d{6})-(\d{6})-(.+)\.sqlite3$")


def describe_backup(path: Path) -> str:
    """'Mon 24 Nov 2025, 14:03:07 — before import (1.2 MB)' from the backup's file name."""
    match = _BACKUP_NAME.search(path.name)
    when: dt.datetime | None = None
    reason = ""
    if match:
        try:
            when = dt.datetime.strptime(match[1], "%Y%m%d-%H%M%S")
        except ValueError:
            when = None
        reason = match[3].replace("-", " ")
    try:
        stat = path.stat()
    except OSError:
        return path.name
    if when is None:
        when = dt.datetime.fromtimestamp(stat.st_mtime)
        reason = reason or path.name
    size = stat.st_size
    human = f"{size / 1024**2:.1f} MB" if size >= 1024**2 else f"{max(size // 1024, 1)} KB"
    # dates read one way in the window, whatever the locale (not strftime's %a %b)
    return f"{long_date(when.date(), weekday=True)}, {when:%H:%M:%S} — {reason} ({human})"


class RestoreDialog(QDialog):
    """Pick a backup (newest first) and put it in place of the current data; the restore's
    `Changes` end up in `changes`, and the dialog closes (accepted) once it is done.

    The backups are listed at once; whether each is sound (a thorough SQLite check, a
    second or more for a big book) is filled in from a worker (`checks_done`). The restore
    checks its backup again, backs up the current data and copies the pages on a worker
    too (`restore_backup`, seconds for a big book); the store is then reopened here, on
    the GUI thread whose connection the window uses (`reopen_after_restore`)."""

    checks_done = Signal()

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        self.store = store
        self.changes = Changes()
        self.setWindowTitle("Restore a backup")
        self.resize(520, 320)
        self.backups = dbmod.list_backups(store.path)
        intro = ("netbook backs up its database before each import, restore and upgrade. "
                 "Pick one to go back to." if self.backups else
                 "There are no backups yet: netbook makes one before each import, restore "
                 "and upgrade.")
        self.intro = plain_label(intro, self, wrap=True)
        self.list = QListWidget(self)  # a handful of rows: list items are fine here
        self.list.setAccessibleName("Backups")
        for path in self.backups:
            item = QListWidgetItem(f"{describe_backup(path)} — checking…")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        self.problems: dict[Path, str] = {}  # what the checks found, by backup
        self.check_job: Job | None = None
        self.restore_job: Job | None = None
        if self.backups:  # checked again when restored, too
            backups = list(self.backups)

            def check(report: Callable[[int, int], None]) -> list[str | None]:
                problems = []
                for done, path in enumerate(backups):
                    report(done, len(backups))
                    problems.append(dbmod.backup_problem(path))
                return problems

            self.check_job = run_job(self, "Checking the backups…", check,
                                     self._show_problems, lambda _m: self._show_problems([]),
                                     lambda: self._show_problems([]), show_after_ms=2000)
        self.error = plain_label("", self, wrap=True)
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = self.buttons.addButton(
            "&Restore…", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(
            lambda row: self.restore_button.setEnabled(row >= 0))
        self.list.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        if self.backups:
            self.list.setCurrentRow(0)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _show_problems(self, problems: list[str | None]) -> None:
        """Each backup's verdict; none (cancelled, failed): checked when restored."""
        self.check_job = None
        for row, path in enumerate(self.backups):
            item = self.list.item(row)
            if item is None:
                continue
            if row >= len(problems):
                item.setText(f"{describe_backup(path)} — checked when restored")
            elif problem := problems[row]:
                self.problems[path] = problem
                item.setText(f"{describe_backup(path)} — DAMAGED: {problem}")
            else:
                item.setText(describe_backup(path))
        self.checks_done.emit()

    def selected_backup(self) -> Path | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def confirm(self, backup: Path) -> bool:
        """Ask before replacing everything (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Restore this backup?", "",
                          QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Restore the backup of {describe_backup(backup)}?\n\nYour current data "
                    "will be replaced by this backup; the current state is backed up first.")
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore

    def restore_selected(self) -> bool:
        """Start restoring the chosen backup (True), once the user confirmed; a backup
        the checks found damaged is refused at once."""
        backup = self.selected_backup()
        if backup is None or self.restore_job is not None:
            return False
        if problem := self.problems.get(backup):
            self._refused(str(dbmod.refused_backup(backup, problem)))
            return False
        if not self.confirm(backup):
            return False
        if self.check_job is not None:  # the restore checks its backup itself
            self.check_job.cancel_requested = True
        self.error.setVisible(False)
        self._set_busy(True)
        store, path = self.store, self.store.path
        close_thread_connection(store)  # holds no lock or stale page while they are copied

        def work(report: Callable[[int, int], None]) -> None:
            report(0, 0)  # no steps to count: the progress says it is busy
            dbmod.restore_backup(path, backup)

        self.restore_job = run_job(self, "Restoring the backup…", work,
                                   lambda _none: self._reopened(restored=True),
                                   lambda message: self._reopened(restored=False,
                                                                  message=message),
                                   show_after_ms=0, cancellable=False)
        return True

    def _reopened(self, *, restored: bool, message: str = "") -> None:
        """Back on the GUI thread: go on with the store, restored or as it was."""
        self.restore_job = None
        self._set_busy(False)
        try:
            changes = dbmod.reopen_after_restore(self.store, restored=restored)
        except Exception as exc:
            if not dbmod.is_store_failure(exc):
                raise
            changes, message = Changes(), dbmod.describe_error(exc)
        if message:
            self._refused(message)
            return
        self.changes = changes
        self.accept()

    def _refused(self, message: str) -> None:
        self.error.setText(f"Nothing was restored: {message}")
        self.error.setVisible(True)

    def _set_busy(self, busy: bool) -> None:
        """While a restore runs nothing else can be picked, and the dialog stays open."""
        self.list.setEnabled(not busy)
        self.buttons.setEnabled(not busy)

    def reject(self) -> None:
        if self.restore_job is None:  # a restore half-way stays to say how it ended
            super().reject()

    @property
    def restored(self) -> bool:
        return bool(self.changes)


def restore_dialog(parent: QWidget | None, store: Store) -> Changes:
    """File ▸ Restore backup…: what changed (nothing when no backup was put in place),
    for the caller to redraw."""
    dialog = RestoreDialog(parent, store)
    try:
        dialog.exec()
        return dialog.changes
    finally:
        dialog.deleteLater()
