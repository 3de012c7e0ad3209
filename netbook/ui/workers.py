"""Long jobs (imports, exports, PDFs) on a worker thread, with progress and Cancel.

The job is a plain function `job(report) -> result`; `report(done, total)` updates the
progress and raises `Cancelled` once the user pressed Cancel, so a job stops at its next
report and its transaction rolls back. A job given the store closes the database
connection its pool thread opened once it ends (peewee keeps one per thread, and pool
threads live on).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..data.contacts import Store
from ..data.db import describe_error, is_store_failure

_RUNNING: set[Job] = set()  # jobs stay referenced until they end


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it."""


class _Signals(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


def close_thread_connection(store: Store) -> None:
    """Close the connection peewee opened for the calling thread, instead of leaving it
    to whichever thread collects it."""
    if not store.db.is_closed():
        store.db.close()


class Job(QRunnable):
    def __init__(self, work: Callable[[Callable[[int, int], None]], Any],
                 store: Store | None = None) -> None:
        super().__init__()
        self.work = work
        self.store = store  # its connection on the pool thread is closed when work ends
        self.signals = _Signals()
        self.cancel_requested = False
        self.setAutoDelete(False)

    def report(self, done: int, total: int) -> None:
        if self.cancel_requested:
            raise Cancelled
        self.signals.progress.emit(done, total)

    def run(self) -> None:
        try:
            try:
                result = self.work(self.report)
            finally:
                if self.store is not None:
                    close_thread_connection(self.store)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # shown to the user in words, never swallowed silently
            self.signals.failed.emit(_in_words(exc, self.store))
        else:
            self.signals.succeeded.emit(result)


def run_job(parent: QWidget | None, title: str,
            work: Callable[[Callable[[int, int], None]], Any],
            on_success: Callable[[Any], None],
            on_failure: Callable[[str], None] | None = None,
            on_cancel: Callable[[], None] | None = None,
            show_after_ms: int = 400, store: Store | None = None,
            cancellable: bool = True) -> Job:
    """Start `work` off the GUI thread; a progress dialog with Cancel appears if it is slow
    (without Cancel when not `cancellable`: a job that can't stop half-way, a restore).
    Pass the `store` that `work` uses: its connection on the pool thread is closed after."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    if not cancellable:
        dialog.setCancelButton(None)  # no button: the dialog only says what is running
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(show_after_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = Job(work, store)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def finish() -> bool:
        """Close the progress; False when the parent is gone (a dialog closed while its
        job ran): nobody is left to hear the answer."""
        _RUNNING.discard(job)
        if shiboken6.isValid(dialog):
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()
        return parent is None or shiboken6.isValid(parent)

    def succeeded(result: Any) -> None:
        if finish():
            on_success(result)

    def failed(message: str) -> None:
        if finish() and on_failure:
            on_failure(message)

    def cancelled() -> None:
        if finish() and on_cancel:
            on_cancel()

    def request_cancel() -> None:
        job.cancel_requested = True
        dialog.setLabelText("Cancelling…")

    job.signals.progress.connect(progress)
    job.signals.succeeded.connect(succeeded)
    job.signals.failed.connect(failed)
    job.signals.cancelled.connect(cancelled)
    if cancellable:
        dialog.canceled.connect(request_cancel)
    _RUNNING.add(job)
    QThreadPool.globalInstance().start(job)
    return job


def _in_words(exc: Exception, store: Store | None) -> str:
    """A worker's failure as the user reads it: a store's (full disk, busy, damaged) in
    the store's words, anything else by its own message."""
    if is_store_failure(exc):
        return describe_error(exc, store.path if store is not None else None)
    return str(exc) or type(exc).__name__
