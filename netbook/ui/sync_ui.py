"""CardDAV sync in the window: Settings ▸ Accounts, Sync Now (F5, on start, every N
minutes) and Resolve Conflicts.

Everything that touches the server runs off the GUI thread through `run_job`; every
failure ends up in words in a dialog or the status bar, never as an exception — netbook
keeps working offline. Passwords only pass through `netbook.data.carddav` (the keyring);
QSettings holds the sync interval and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..data import carddav
from ..data.carddav import AccountInfo, AccountSync, AddressBook, ConflictInfo
from ..data.contacts import Store, StoreError
from ..data.vcard.card import Card
from ..data.vcard.reader import parse_card_text
from .settings import SYNC_INTERVAL
from .text import plain_label, plain_tooltip, plain_warning
from .workers import Job, run_job

SHOW_AFTER_MS = 800
START_DELAY_MS = 1500

STATE_WORDS = {"never": "never synced", "ok": "ok", "conflicts": "conflicts to resolve",
               "error": "failed", "running": "syncing…"}


def account_summary(info: AccountInfo) -> str:
    """The last sync of an account in words."""
    state = STATE_WORDS.get(info.last_status, info.last_status)
    if not info.last_sync_at or info.last_status == "never":
        return "never synced"
    when = info.last_sync_at
    when_text = when.strftime("%Y-%m-%d %H:%M") if isinstance(when, dt.datetime) else str(when)
    text = f"{when_text} · {state}"
    if info.last_status in ("error", "conflicts") and info.last_message:
        text += f" — {info.last_message}"
    return text


# -- the account form --------------------------------------------------------------


SYNC_BUSY = ("A sync is running. Wait for it to finish (the status bar says when), "
             "then try again.")


class AccountDialog(QDialog):
    """Add an account (name, URL, user, password, Test connection, books) or edit one."""

    def __init__(self, parent: QWidget | None, store: Store,
                 account: AccountInfo | None = None,
                 sync_running: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        self.store = store
        self.account = account
        self.sync_running = sync_running
        self.books: list[AddressBook] = []
        self.job: Job | None = None
        self.setWindowTitle("Edit account" if account else "Add account")
        self.resize(520, 460)

        self.name_edit = QLineEdit(account.name if account else "")
        self.name_edit.setObjectName("name")
        self.name_edit.setPlaceholderText("e.g. Phone")
        self.name_edit.setReadOnly(account is not None)
        self.url_edit = QLineEdit(account.url if account else "")
        self.url_edit.setObjectName("url")
        self.url_edit.setPlaceholderText("https://dav.example.org/")
        self.user_edit = QLineEdit(account.username if account else "")
        self.user_edit.setObjectName("user")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        if account:
            self.password_edit.setPlaceholderText("unchanged (kept in the system keyring)")
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.books_list = QListWidget()
        self.books_list.setObjectName("books")
        self.books_list.itemChanged.connect(self._update_ok)
        self.message = plain_label("", wrap=True, selectable=True)
        self.message.setObjectName("message")

        form = QFormLayout()
        form.addRow("Account name:", self.name_edit)
        form.addRow("Server URL:", self.url_edit)
        form.addRow("User name:", self.user_edit)
        form.addRow("Password:", self.password_edit)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch()
        form.addRow("", test_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if account:
            layout.addWidget(plain_label("Address books to sync (Test connection lists all "
                                         "the server has):", wrap=True))
            synced = [AddressBook(url, name) for url, name in account.address_books]
            self._fill(synced, {b.url: Qt.CheckState.Checked for b in synced})
        else:
            layout.addWidget(plain_label("Address books to sync (Test connection finds them):",
                                         wrap=True))
        layout.addWidget(self.books_list, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for edit in (self.name_edit, self.url_edit, self.user_edit):
            edit.textChanged.connect(self._update_ok)
        self._update_ok()

    # -- state -------------------------------------------------------------------
    def chosen_books(self) -> list[AddressBook]:
        """The ticked address books, in the list's order (the first receives new contacts)."""
        return [self.books[i] for i in range(self.books_list.count())
                if self.books_list.item(i).checkState() == Qt.CheckState.Checked]

    def _fill(self, books: list[AddressBook], checks: dict[str, Qt.CheckState],
              missing: frozenset[str] = frozenset()) -> None:
        """Show `books` as checkable items; `checks` by URL (unticked when absent)."""
        self.books = list(books)
        self.books_list.blockSignals(True)
        self.books_list.clear()
        for book in self.books:
            item = QListWidgetItem(book.display_name or book.url)
            note = "\n(not found on the server at the last test)" if book.url in missing else ""
            item.setToolTip(plain_tooltip(book.url + note))
            item.setData(Qt.ItemDataRole.UserRole, book.url)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(checks.get(book.url, Qt.CheckState.Unchecked))
            self.books_list.addItem(item)
        self.books_list.blockSignals(False)
        self._update_ok()

    def _update_ok(self, *_args) -> None:
        filled = all(e.text().strip() for e in (self.name_edit, self.url_edit, self.user_edit))
        ok = filled and bool(self.chosen_books())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            ok and self.job is None)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")

    # -- test connection -----------------------------------------------------------
    def test_connection(self) -> None:
        url, user = self.url_edit.text().strip(), self.user_edit.text().strip()
        password = self.password_edit.text()
        if not url or not user:
            self.show_message("Enter the server URL and the user name first.", error=True)
            return
        if not password and self.account is not None:
            password = carddav.get_password(self.account.name) or ""
        if not password:
            self.show_message("Enter the password first.", error=True)
            return
        self.test_button.setEnabled(False)
        self.show_message("Connecting…")

        def work(_report: Callable[[int, int], None]) -> list[AddressBook]:
            return carddav.test_connection(url, user, password)

        self.job = run_job(self, "Testing the connection…", work, self._found,
                           self._test_failed, self._test_cancelled, show_after_ms=SHOW_AFTER_MS)
        self._update_ok()

    def _test_done(self) -> None:
        self.job = None
        self.test_button.setEnabled(True)
        self._update_ok()

    def _found(self, books: list[AddressBook]) -> None:
        self._test_done()
        n = len(books)
        self.show_message(f"Connected: found {n} address book{'s' if n != 1 else ''}. "
                          "Tick the ones to sync.")
        if self.account is None:
            tick = Qt.CheckState.Checked if n == 1 else Qt.CheckState.Unchecked
            self._fill(books, {b.url: tick for b in books})
            return
        # editing: the synced books first, in their order (the first receives new
        # contacts), then the server's others; ticks already set stay as they are
        found = {b.url: b for b in books}
        synced = [found.get(url, AddressBook(url, name))
                  for url, name in self.account.address_books]
        synced_urls = {b.url for b in synced}
        checks = {b.url: Qt.CheckState.Checked for b in synced}
        for i in range(self.books_list.count()):
            item = self.books_list.item(i)
            checks[item.data(Qt.ItemDataRole.UserRole)] = item.checkState()
        self._fill(synced + [b for b in books if b.url not in synced_urls], checks,
                   frozenset(synced_urls - set(found)))

    def _test_failed(self, message: str) -> None:
        self._test_done()
        self.show_message(f"Could not connect: {message}", error=True)

    def _test_cancelled(self) -> None:
        self._test_done()
        self.show_message("Test cancelled.")

    # -- save ----------------------------------------------------------------------
    def save(self) -> None:
        name = self.name_edit.text().strip()
        url, user = self.url_edit.text().strip(), self.user_edit.text().strip()
        password = self.password_edit.text() or None
        if self.account is not None and self.sync_running():
            self.show_message(SYNC_BUSY, error=True)
            return
        try:
            if self.account is None:
                carddav.add_account(self.store, name, url, user, password, self.chosen_books())
            else:
                books = self.chosen_books()
                kept = {b.url for b in books}
                dropped = [book_name or book_url
                           for book_url, book_name in self.account.address_books
                           if book_url not in kept]
                if dropped and books and not self.confirm_drop(
                        dropped, books[0].display_name or books[0].url):
                    return
                carddav.update_account(self.store, self.account.name, url=url, username=user,
                                       password=password, books=books)
        except StoreError as exc:
            self.show_message(str(exc), error=True)
            return
        self.accept()

    def confirm_drop(self, dropped: list[str], first: str) -> bool:
        """Ask before no longer syncing address books (tests replace this)."""
        names = ", ".join(f"“{n}”" for n in dropped)
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Stop syncing")
        box.setText(f"Stop syncing {names}?")
        box.setInformativeText(
            "Nothing is deleted: the contacts stay in netbook and on the server. netbook "
            "keeps each of its contacts in one of this account's address books, so the next "
            f"sync also adds the ones from {names} to “{first}”.")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel_requested = True
        super().reject()


# -- the accounts list -------------------------------------------------------------


class AccountsDialog(QDialog):
    """Settings ▸ Accounts: the accounts, their last sync, Add/Edit/Remove, the interval."""

    COLUMNS = ("Name", "Server", "User", "Address books", "Last sync")
    interval_changed = Signal(int)
    accounts_changed = Signal()

    def __init__(self, parent: QWidget | None, store: Store, settings: QSettings,
                 sync_running: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.sync_running = sync_running  # an account is not changed under a running sync
        self.accounts: list[AccountInfo] = []
        self.editor: AccountDialog | None = None
        self.setWindowTitle("Accounts")
        self.resize(820, 380)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("accounts")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_account())

        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.add_account)
        self.edit_button.clicked.connect(self.edit_account)
        self.remove_button.clicked.connect(self.remove_account)

        self.interval = QSpinBox()
        self.interval.setObjectName("interval")
        self.interval.setRange(0, 24 * 60)
        self.interval.setSpecialValueText("off")
        self.interval.setSuffix(" minutes")
        self.interval.setValue(SYNC_INTERVAL.get(settings))
        self.interval.valueChanged.connect(self._interval_changed)

        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch()
        buttons.addWidget(QLabel("Sync every"))
        buttons.addWidget(self.interval)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(plain_label("Passwords are kept in the system keyring.", wrap=True))
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        self.accounts = carddav.list_accounts(self.store)
        self.table.setRowCount(len(self.accounts))
        for row, a in enumerate(self.accounts):
            books = ", ".join(name or url for url, name in a.address_books)
            for col, text in enumerate((a.name, a.url, a.username, books, account_summary(a))):
                item = QTableWidgetItem(text)
                item.setToolTip("")
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def current(self) -> AccountInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _interval_changed(self, minutes: int) -> None:
        SYNC_INTERVAL.set(self.settings, minutes)
        self.interval_changed.emit(minutes)

    def _open_editor(self, account: AccountInfo | None) -> AccountDialog:
        self.editor = AccountDialog(self, self.store, account, self.sync_running)
        self.editor.accepted.connect(self._edited)
        self.editor.open()
        return self.editor

    def _edited(self) -> None:
        self.reload()
        self.accounts_changed.emit()

    def add_account(self) -> AccountDialog:
        return self._open_editor(None)

    def edit_account(self) -> AccountDialog | None:
        account = self.current()
        return self._open_editor(account) if account else None

    def confirm_remove(self, name: str) -> bool:
        """Ask before removing (tests replace this)."""
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Remove account")
        box.setText(f"Remove the account “{name}”?")
        box.setInformativeText("Its contacts stay in netbook; only the link to the server "
                               "and the saved password go.")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def remove_account(self) -> None:
        account = self.current()
        if account is None:
            return
        if self.sync_running():
            plain_warning(self, "Remove account", SYNC_BUSY)
            return
        if not self.confirm_remove(account.name):
            return
        try:
            carddav.remove_account(self.store, account.name)
        except StoreError as exc:
            plain_warning(self, "Remove account", str(exc))
            return
        self.reload()
        self.accounts_changed.emit()


# -- conflicts ------------------------------------------------------------------------


def _card_or_none(text: str) -> tuple[Card | None, str]:
    if not text:
        return None, "(deleted)"
    try:
        return parse_card_text(text), ""
    except ValueError as exc:
        return None, f"(unreadable: {exc})"


def card_fields(card: Card | None) -> list[tuple[str, str]]:
    """(label, value) of the fields a person compares; one row per phone, email, address."""
    if card is None:
        return []
    out = [("Name", card.display_name), ("Nickname", card.nickname),
           ("Organization", card.organization), ("Department", card.department),
           ("Title", card.title)]
    for label, items in (("Phone", card.phones), ("Email", card.emails), ("Web", card.urls)):
        for i, tv in enumerate(items):
            kind = f" ({tv.type_text})" if tv.type_text else ""
            out.append((f"{label} {i + 1}", tv.value + kind))
    for i, adr in enumerate(card.addresses):
        out.append((f"Address {i + 1}", adr.one_line()))
    out.append(("Birthday", card.birthday.iso() if card.birthday else ""))
    out.append(("Tags", ", ".join(card.categories)))
    out.append(("Note", card.note))
    return out


def compare_rows(local_text: str, remote_text: str) -> list[tuple[str, str, str]]:
    """(field, mine, theirs) for every field either side has."""
    mine, mine_note = _card_or_none(local_text)
    theirs, theirs_note = _card_or_none(remote_text)
    left, right = dict(card_fields(mine)), dict(card_fields(theirs))
    labels = [k for k, _ in card_fields(mine)]
    labels += [k for k, _ in card_fields(theirs) if k not in left]
    rows = [(k, left.get(k, ""), right.get(k, "")) for k in labels
            if left.get(k) or right.get(k)]
    if mine_note or theirs_note:
        rows.insert(0, ("Card", mine_note or "", theirs_note or ""))
    return rows


class ConflictsDialog(QDialog):
    """Each conflict, both versions side by side, and Keep mine / Keep theirs / Merge."""

    resolved = Signal()

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        self.store = store
        self.conflicts: list[ConflictInfo] = []
        self.setWindowTitle("Resolve conflicts")
        self.resize(900, 520)

        self.list = QListWidget()
        self.list.setObjectName("conflicts")
        self.list.currentRowChanged.connect(self._show)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("compare")
        self.table.setHorizontalHeaderLabels(["Field", "Mine (here)", "Theirs (server)"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.info = plain_label("", wrap=True)
        self.info.setObjectName("info")

        self.mine_button = QPushButton("Keep mine")
        self.theirs_button = QPushButton("Keep theirs")
        self.merge_button = QPushButton("Merge")
        self.merge_button.setToolTip("Mine plus what theirs adds")
        for button, choice in ((self.mine_button, "local"), (self.theirs_button, "remote"),
                               (self.merge_button, "merge")):
            button.clicked.connect(lambda _c=False, ch=choice: self.resolve(ch))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.info)
        right_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        for b in (self.mine_button, self.theirs_button, self.merge_button):
            row.addWidget(b)
        row.addStretch()
        right_layout.addLayout(row)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        self.conflicts = carddav.list_conflicts(self.store)
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.conflicts:
            self.list.addItem(QListWidgetItem(c.name or "(no name)"))
        self.list.blockSignals(False)
        if self.conflicts:
            self.list.setCurrentRow(0)
            self._show(0)
        else:
            self._show(-1)

    def current(self) -> ConflictInfo | None:
        row = self.list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _show(self, row: int) -> None:
        c = self.conflicts[row] if 0 <= row < len(self.conflicts) else None
        for b in (self.mine_button, self.theirs_button, self.merge_button):
            b.setEnabled(c is not None)
        if c is None:
            self.info.setText("No conflicts left." if not self.conflicts else "")
            self.table.setRowCount(0)
            return
        self.info.setText(f"{c.name} — account {c.account}, address book {c.address_book}: "
                          f"{c.kind}.")
        rows = compare_rows(c.local_text, c.remote_text)
        self.table.setRowCount(len(rows))
        for r, (label, mine, theirs) in enumerate(rows):
            for col, text in enumerate((label, mine, theirs)):
                item = QTableWidgetItem(text)
                if mine != theirs and col:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, col, item)
        self.table.resizeRowsToContents()

    def resolve(self, choice: str) -> None:
        c = self.current()
        if c is None:
            return
        try:
            carddav.resolve_conflict(self.store, c.id, choice)
        except StoreError as exc:
            self.info.setText(f"Could not resolve: {exc}")
        row = self.list.currentRow()
        self.reload()
        if self.conflicts:
            self.list.setCurrentRow(min(row, len(self.conflicts) - 1))
        self.resolved.emit()


# -- syncing -----------------------------------------------------------------------------


@dataclass
class SyncOutcome:
    """What a run over all accounts came to, for the status bar."""

    finished_at: dt.datetime
    results: list[carddav.SyncResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "account: message"
    safety_stops: list[tuple[str, str]] = field(default_factory=list)  # (account, message)

    @classmethod
    def collect(cls, done: Iterable[AccountSync], many: bool) -> SyncOutcome:
        """Run the accounts' syncs (iterating `done` runs them) and sum them up; `many`:
        more than one account, so each failure names its account."""
        outcome = cls(dt.datetime.now())
        for each in done:
            if each.result is not None:
                outcome.results.append(each.result)
            elif each.safety_stop:
                outcome.safety_stops.append((each.account, str(each.error)))
            else:
                outcome.errors.append(f"{each.account}: {each.error}" if many
                                      else str(each.error))
        outcome.finished_at = dt.datetime.now()
        return outcome

    @property
    def conflicts(self) -> int:
        return sum(len(r.conflicts) for r in self.results)

    def status_text(self) -> str:
        if self.errors or self.safety_stops:
            words = "; ".join(self.errors + [f"{n}: {m}" for n, m in self.safety_stops])
            return f"Sync failed: {words} — check it in Settings ▸ Accounts"
        when = self.finished_at.strftime("%H:%M")
        if self.conflicts:
            n = self.conflicts
            return (f"Synced {when} · {n} conflict{'s' if n != 1 else ''} to resolve "
                    "(Sync ▸ Resolve Conflicts…)")
        return f"Synced {when} · ok"


class SyncController(QObject):
    """Sync Now, the sync on start and every N minutes; never two at once."""

    finished = Signal(str)  # the status text

    def __init__(self, window, store: Store, settings: QSettings,
                 status_label: QLabel) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.settings = settings
        self.status_label = status_label
        self.job: Job | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.sync_now(manual=False))
        self.apply_interval()

    @property
    def running(self) -> bool:
        return self.job is not None

    def account_names(self) -> list[str]:
        try:
            return [a.name for a in carddav.list_accounts(self.store)]
        except StoreError:
            return []

    def apply_interval(self, minutes: int | None = None) -> None:
        minutes = SYNC_INTERVAL.get(self.settings) if minutes is None else minutes
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def start_later(self) -> None:
        """The sync on start, a moment after the window is up (only with an account)."""
        if self.account_names():
            QTimer.singleShot(START_DELAY_MS, self, lambda: self.sync_now(manual=False))

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(plain_tooltip(text))  # a server's words: never rich text

    def sync_now(self, manual: bool = True, allow_empty: tuple[str, ...] = ()) -> Job | None:
        if not manual and self.window.accounts_editing():
            return None  # not under the accounts being edited: the next tick will do
        if self.running:
            if manual:
                self.window.statusBar().showMessage("A sync is running already", 4000)
            return None
        names = self.account_names()
        if allow_empty:
            names = [n for n in names if n in allow_empty]
        if not names:
            if manual:
                self.set_status("No sync account — add one in Settings ▸ Accounts")
            return None
        self.set_status("Syncing…")

        def work(report: Callable[[int, int], None]) -> SyncOutcome:
            def progress(done: int, total: int, _what: str) -> None:
                report(done, total)  # raises on Cancel: the whole run stops

            # after a safety stop, `names` are the accounts the user said to go on with
            return SyncOutcome.collect(
                carddav.sync_all(self.store, names, allow_empty=bool(allow_empty),
                                 progress=progress), many=len(names) > 1)

        self.job = run_job(self.window, "Syncing contacts…", work,
                           lambda outcome: self._done(outcome, manual), self._failed,
                           self._cancelled, show_after_ms=SHOW_AFTER_MS, store=self.store)
        return self.job

    def _done(self, outcome: SyncOutcome, manual: bool) -> None:
        self.job = None
        self.window.refresh_all()
        text = outcome.status_text()
        self.set_status(text)
        self.finished.emit(text)
        if manual and outcome.safety_stops:
            go_on = tuple(n for n, message in outcome.safety_stops
                          if self.confirm_safety(n, message))
            if go_on:
                self.sync_now(manual=True, allow_empty=go_on)

    def _failed(self, message: str) -> None:
        self.job = None
        text = f"Sync failed: {message}"
        self.set_status(text)
        self.finished.emit(text)

    def _cancelled(self) -> None:
        self.job = None
        self.window.refresh_all()
        text = "Sync cancelled — nothing is lost; sync again to finish"
        self.set_status(text)
        self.finished.emit(text)

    def confirm_safety(self, name: str, message: str) -> bool:
        """One side is suddenly empty: go on anyway? (tests replace this)."""
        box = QMessageBox(self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Sync stopped")
        box.setText(f"Account “{name}”: {message}")
        box.setInformativeText("Sync anyway?")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes
