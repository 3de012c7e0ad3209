"""Start the window: the QApplication, the store, the main window."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

if TYPE_CHECKING:
    from ..data.contacts import Store
    from .main_window import MainWindow


def resource(name: str) -> Path:
    """A file of netbook/resources, found wherever the package is installed (a wheel
    carries them as package data), never relative to a source checkout."""
    return Path(str(files("netbook") / "resources" / name))  # pip installs unzipped


def app_icon() -> QIcon:
    """The window's icon: the SVG itself, so it stays sharp at every size."""
    return QIcon(str(resource("netbook.svg")))


def make_application(argv: list[str] | None = None) -> QApplication:
    QCoreApplication.setOrganizationName("netbook")
    QCoreApplication.setApplicationName("netbook")
    QGuiApplication.setDesktopFileName("netbook")
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    if not isinstance(app, QApplication):  # a QGuiApplication (the PDF sheet's) can't show
        raise RuntimeError("a QApplication is needed for the window, and another kind of "
                           "Qt application is already running in this process")
    app.setWindowIcon(app_icon())
    return app


def _report_shown_and_quit(app: QApplication, window) -> None:
    window.repaint()
    app.processEvents()
    import resource

    # the kernel's peak for this program's own memory: ru_maxrss also counts the pages
    # of a bigger parent at the fork (the bench's own process)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with open("/proc/self/status") as status:
            rss_mb = next(int(line.split()[1]) / 1024 for line in status
                          if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass  # not Linux: ru_maxrss
    print(f"shown rows={window.model.rowCount()} rss_mb={rss_mb:.0f}", flush=True)
    app.quit()


class StartUpCheck(QObject):
    """The whole-file check, when it is due (data/checkup.py), on a pool thread once the
    list is on screen: at 100,000 contacts it reads for 0.2–0.5 s, which the window's
    first paint must not wait for. Damage found switches the store to read-only and says
    so, as the same damage found at open would."""

    found = Signal(object)  # what the check found wrong (str), or None
    failed = Signal(str)  # why the check could not run (it stays due for the next start)

    def __init__(self, window: MainWindow, store: Store) -> None:
        super().__init__(window)
        self.window, self.store = window, store
        self.found.connect(self._found)
        self.failed.connect(self._failed)

    def start(self) -> None:
        QThreadPool.globalInstance().start(self._run)

    def _run(self) -> None:
        from ..data.db import CheckFailed, run_due_check

        try:
            problem = run_due_check(self.store.db)
        except CheckFailed as exc:  # a passing error: the file is left as it was
            with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
                self.failed.emit(str(exc))
            return
        except Exception:  # a check that can't run leaves the file as it was
            problem = None
        with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
            self.found.emit(problem)

    def _found(self, problem: str | None) -> None:
        db = self.store.db
        if problem and not db.damage:
            db.mark_damaged(problem)
            self.tell(db.damage or "")
        self.deleteLater()

    def _failed(self, text: str) -> None:
        self.window.statusBar().showMessage(text[:1].upper() + text[1:], 15000)
        self.deleteLater()

    def tell(self, text: str) -> None:
        """Say it (a test replaces this: it can't click the box)."""
        from .text import plain_warning

        plain_warning(self.window, "Damaged database", text)


def open_window(store: Store, paths: Sequence[Path] = (), *, hidden: bool = False
                ) -> MainWindow:
    """The main window. `hidden` (login, `netbook --hidden`): the tray icon only, the
    window when the tray is clicked — shown at once where there is no tray to click.
    `paths` (`netbook FILE...`) go into the import preview once it is up, in a window
    that shows for them."""
    from .main_window import MainWindow

    window = MainWindow(store)
    if store.db.check_due:  # left for later by Store.open(check="later"): after the paint
        window.after_first_paint(lambda: StartUpCheck(window, store).start())
    if hidden and window.tray_in_use and not paths:
        window.restore_selection()
    else:
        if hidden and not paths:
            print("netbook: no system tray here (or reminders are off): showing the window",
                  file=sys.stderr)
        window.show()
        window.restore_selection()
    if paths:
        chosen = list(paths)
        QTimer.singleShot(0, lambda: window.import_files(chosen))
    return window


def run_app(db_path: str | None, hidden: bool = False, paths: Sequence[Path] = ()) -> int:
    """The window (see `open_window`) until it is closed."""
    from .. import locale
    from ..data.contacts import Store
    from ..data.db import DatabaseError
    from . import crash
    from .text import plain_warning

    app = make_application()
    crash.install()  # from here on an uncaught error is a dialog and a log, not stderr
    try:
        # the whole-file check, if due, once the list is on screen (StartUpCheck)
        store = Store.open(db_path, region=locale.region(), language=locale.language(),
                           check="later")
    except DatabaseError as exc:
        print(f"netbook: {exc}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, "netbook", str(exc))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return 2
    from . import settings as options
    from .theme import apply_theme

    theme = options.THEME.get(QSettings())
    if theme != "system":
        apply_theme(theme, app)
    try:
        window = open_window(store, paths, hidden=hidden)
    except Exception as exc:  # no window, no event loop: a dialog that waits, and stderr
        crash.report(type(exc), exc, exc.__traceback__, wait=True)
        store.close()
        return 1
    if store.db.damage:  # opened read-only: say so, and how to mend it, at once
        QTimer.singleShot(0, lambda: plain_warning(window, "Damaged database",
                                                   store.db.damage or ""))
    if os.environ.get("NETBOOK_EXIT_WHEN_SHOWN"):  # `make bench`: time to a filled window
        QTimer.singleShot(0, lambda: _report_shown_and_quit(app, window))
    try:
        return app.exec()
    finally:
        store.close()
