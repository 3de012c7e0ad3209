"""The last resort: an error nothing else caught reaches the user, not a terminal.

A window started from the desktop has no terminal: an uncaught exception in a slot
(PySide6 hands it to sys.excepthook) used to print there and vanish. `install()` puts
in a hook that writes the traceback to a log in platformdirs' user log folder (private:
0700 / 0600) and shows a dialog naming that file; Qt's own critical messages go to the
same log. Expected failures never come here: operations fail in words (StoreError) and
the widgets show them where they happened.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from ..data.db import describe_error, is_store_failure, private_dir

_shown: list[QMessageBox] = []  # kept alive while open


def log_path() -> Path:
    return Path(platformdirs.user_log_dir("netbook", appauthor=False)) / "netbook.log"


def write_log(text: str) -> Path | None:
    """Append `text` to the log (created 0600); None when even that fails."""
    path = log_path()
    try:
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat(sep=' ', timespec='seconds')}\n")
            fh.write(text.rstrip("\n") + "\n")
    except OSError:
        return None
    return path


def report(exc_type: type[BaseException], exc: BaseException,
           tb: TracebackType | None, *, wait: bool = False) -> None:
    """sys.excepthook: log the traceback, say it on stderr (a terminal, if any, and the
    desktop's session log), then tell the user in a dialog.

    `wait`: no event loop runs yet, or any more (the window failed to open), so a
    dialog merely shown would never paint: it is exec()'d instead."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    logged = write_log(details)
    if is_store_failure(exc):
        what = describe_error(exc)
    else:
        what = f"Something went wrong: {str(exc) or exc_type.__name__}"
    where = (f"The details were written to {logged}." if logged
             else "The details could not be written to a log.")
    text = f"{what}\n\n{where}\nYour contacts are safe: nothing half-done is kept."
    print(f"netbook: {what} ({where})", file=sys.stderr, flush=True)
    if QApplication.instance() is not None and threading.current_thread() is \
            threading.main_thread():
        box = QMessageBox(QMessageBox.Icon.Critical, "netbook — unexpected error", text,
                          QMessageBox.StandardButton.Ok)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDetailedText(details)
        if wait:
            box.exec()
            return
        box.finished.connect(lambda _result, b=box: _shown.remove(b) if b in _shown else None)
        _shown.append(box)
        box.show()  # not exec(): no nested event loop inside an error


def report_thread(args: threading.ExceptHookArgs) -> None:
    """An uncaught error on another thread: logged (a dialog is the GUI thread's)."""
    write_log("".join(traceback.format_exception(args.exc_type, args.exc_value,
                                                 args.exc_traceback)))


def _qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's criticals and fatals are logged; its chatter stays where it was."""
    if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        write_log(f"Qt: {message}")
    if kind != QtMsgType.QtDebugMsg:
        print(message, file=sys.stderr)


def install() -> None:
    """Put the last-resort hooks in place (run_app does, before the window opens)."""
    sys.excepthook = report
    threading.excepthook = report_thread
    qInstallMessageHandler(_qt_messages)
