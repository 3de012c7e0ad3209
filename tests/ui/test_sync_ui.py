"""Sync in the window, against a real Radicale: Settings ▸ Accounts, F5, conflicts."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

import pytest
from helpers import make_card
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from sync import conftest as dav
from sync.test_accounts import make_book

from netbook.data import carddav
from netbook.data.carddav import accounts, conflicts, engine
from netbook.ui.contact_model import NAME
from netbook.ui.main_window import MainWindow
from netbook.ui.settings import SYNC_INTERVAL
from netbook.ui.sync_ui import (
    AccountDialog,
    AccountsDialog,
    ConflictsDialog,
    compare_rows,
)
from netbook.ui.text import plain_tooltip

# the real Radicale of tests/sync (a session of its own for this module) and its helpers
radicale_root = dav.radicale_root
radicale = dav.radicale
book = dav.book
phone = dav.phone
memory_keyring = dav.memory_keyring  # autouse: passwords go to a keyring in memory
USER, PASSWORD, vcard = dav.USER, dav.PASSWORD, dav.vcard

TODAY = dt.date(2025, 11, 26)
WAIT = 20_000


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, store, settings):
    made = []

    def make() -> MainWindow:
        win = MainWindow(store, today=lambda: TODAY, settings=settings)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    for win in made:
        if win.sync.running:  # never leave a worker thread writing to a closed store
            qtbot.waitUntil(lambda w=win: not w.sync.running, timeout=WAIT)
        win.detail._set_dirty(False)
        win.close()
        win.deleteLater()


def add_phone_account(store, radicale, book) -> str:
    books = accounts.test_connection(radicale, USER, PASSWORD)
    accounts.add_account(store, "phone", radicale, USER, PASSWORD,
                         [b for b in books if b.url.endswith(book)])
    return "phone"


def shown_names(win: MainWindow) -> list[str]:
    m = win.model
    return [m.data(m.index(r, NAME)) for r in range(m.rowCount())]


def test_interval_setting_is_typed_with_a_default(settings):
    assert SYNC_INTERVAL.get(settings) == 15
    SYNC_INTERVAL.set(settings, 0)
    assert SYNC_INTERVAL.get(settings) == 0
    settings.setValue("sync/interval_minutes", "junk")
    assert SYNC_INTERVAL.get(settings) == 15


def test_add_an_account_through_the_dialog(qtbot, store, settings, radicale, book,
                                           memory_keyring, tmp_path):
    dialog = AccountsDialog(None, store, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.interval.setValue(30)
    assert SYNC_INTERVAL.get(settings) == 30
    form = dialog.add_account()
    assert isinstance(form, AccountDialog)
    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(form.name_edit, "Phone")
    qtbot.keyClicks(form.url_edit, radicale)
    qtbot.keyClicks(form.user_edit, USER)
    qtbot.keyClicks(form.password_edit, PASSWORD)
    assert form.password_edit.echoMode() == form.password_edit.EchoMode.Password
    assert not ok.isEnabled()  # no address book chosen yet
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.books_list.count() > 0, timeout=WAIT)
    assert "Connected" in form.message.text()
    for i in range(form.books_list.count()):
        item = form.books_list.item(i)
        want = item.data(Qt.ItemDataRole.UserRole).endswith(book)
        item.setCheckState(Qt.CheckState.Checked if want else Qt.CheckState.Unchecked)
    assert ok.isEnabled()
    with qtbot.waitSignal(dialog.accounts_changed, timeout=WAIT):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    (info,) = accounts.list_accounts(store)
    assert (info.name, info.url, info.username) == ("Phone", radicale, USER)
    assert [url for url, _ in info.address_books] == [
        b.url for b in accounts.test_connection(radicale, USER, PASSWORD)
        if b.url.endswith(book)]
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 4).text() == "never synced"
    # the password went to the keyring, not to the settings or the database
    assert memory_keyring.data[(accounts.KEYRING_SERVICE, "Phone")] == PASSWORD
    settings.sync()
    assert PASSWORD not in Path(settings.fileName()).read_text()
    raw = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    assert PASSWORD.encode() not in raw


def test_edit_changes_the_synced_address_books(qtbot, store, settings, radicale, book):
    add_phone_account(store, radicale, book)
    ((synced, synced_name),) = accounts.list_accounts(store)[0].address_books
    work = make_book(radicale, "<b>Work</b>")  # a name from the server
    dialog = AccountsDialog(None, store, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(0)
    form = dialog.edit_account()
    assert isinstance(form, AccountDialog)
    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    texts = [w.text() for w in form.findChildren(QLabel)]
    assert "Address books to sync (Test connection lists all the server has):" in texts
    assert not any("remove the account" in t for t in texts)

    def shown() -> list[tuple[str, bool]]:
        items = [form.books_list.item(i) for i in range(form.books_list.count())]
        return [(i.data(Qt.ItemDataRole.UserRole),
                 i.checkState() == Qt.CheckState.Checked) for i in items]

    assert form.books_list.isEnabled() and shown() == [(synced, True)]
    assert ok.isEnabled()
    form.books_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not ok.isEnabled()  # no book ticked
    form.books_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert ok.isEnabled()

    # no password typed: the keyring's; every book of the server, the synced one ticked
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.books_list.count() > 1, timeout=WAIT)
    assert "Connected" in form.message.text()
    rows = shown()
    assert rows[0] == (synced, True)
    assert sum(checked for _url, checked in rows) == 1
    (row,) = [r for r, (url, _) in enumerate(rows) if url.endswith(work)]
    item = form.books_list.item(row)
    assert item.text() == "<b>Work</b>"
    assert item.toolTip() == plain_tooltip(item.data(Qt.ItemDataRole.UserRole))

    item.setCheckState(Qt.CheckState.Checked)
    form.books_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert ok.isEnabled()
    asked = []
    form.confirm_drop = lambda dropped, first: asked.append((dropped, first)) or False
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # asked, and answered No
    assert asked == [([synced_name], "<b>Work</b>")] and form.isVisible()
    assert accounts.list_accounts(store)[0].address_books[0][0] == synced
    form.confirm_drop = lambda dropped, first: True
    with qtbot.waitSignal(dialog.accounts_changed, timeout=WAIT):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    (info,) = accounts.list_accounts(store)
    assert info.address_books == [(item.data(Qt.ItemDataRole.UserRole), "<b>Work</b>")]
    assert dialog.table.item(0, 3).text() == "<b>Work</b>"


def test_a_wrong_password_is_said_in_the_dialog(qtbot, store, radicale, book):
    form = AccountDialog(None, store)
    qtbot.addWidget(form)
    form.show()
    form.name_edit.setText("Phone")
    form.url_edit.setText(radicale)
    form.user_edit.setText(USER)
    form.password_edit.setText("nope")
    form.test_connection()
    qtbot.waitUntil(lambda: "Could not connect" in form.message.text(), timeout=WAIT)
    assert "refused the user name or password" in form.message.text()
    assert form.books_list.count() == 0 and form.test_button.isEnabled()
    assert accounts.list_accounts(store) == []


def test_remove_asks_then_forgets_the_account(qtbot, store, settings, radicale, book,
                                              memory_keyring):
    add_phone_account(store, radicale, book)
    dialog = AccountsDialog(None, store, settings)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    dialog.confirm_remove = lambda name: False
    dialog.remove_account()
    assert len(accounts.list_accounts(store)) == 1
    dialog.confirm_remove = lambda name: True
    dialog.remove_account()
    assert accounts.list_accounts(store) == [] and dialog.table.rowCount() == 0
    assert memory_keyring.data == {}


def test_f5_syncs_and_the_contacts_appear(qtbot, make_window, store, radicale, book, phone):
    win = make_window()
    assert shown_names(win) == []
    add_phone_account(store, radicale, book)
    phone.put("grace.vcf", vcard("grace-1", "Grace Hopper", "TEL;TYPE=CELL:+1 555 0100"))
    win.activateWindow()  # shortcuts need the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=WAIT)
    with qtbot.waitSignal(win.sync.finished, timeout=WAIT):
        qtbot.keyClick(win.view, Qt.Key.Key_F5)
        assert win.sync.sync_now() is None  # never two at once
    assert shown_names(win) == ["Grace Hopper"]
    assert win.sync_label.text().startswith("Synced ")
    assert win.sync_label.text().endswith(" · ok")
    (info,) = accounts.list_accounts(store)
    assert info.last_status == "ok"


def test_sync_on_start_and_a_failure_in_words(qtbot, make_window, store, radicale, book,
                                              phone, memory_keyring):
    add_phone_account(store, radicale, book)
    phone.put("ada.vcf", vcard("ada-1", "Ada Lovelace"))
    win = make_window()
    qtbot.waitUntil(lambda: win.sync_label.text().startswith("Synced"), timeout=WAIT)
    assert shown_names(win) == ["Ada Lovelace"]

    memory_keyring.data[(accounts.KEYRING_SERVICE, "phone")] = "wrong"
    with qtbot.waitSignal(win.sync.finished, timeout=WAIT):
        win.sync_action.trigger()
    text = win.sync_label.text()
    assert text.startswith("Sync failed:") and "refused the user name or password" in text
    assert shown_names(win) == ["Ada Lovelace"]  # still works offline


def test_no_account_says_where_to_add_one(make_window):
    win = make_window()
    assert win.sync.sync_now() is None
    assert "Settings ▸ Accounts" in win.sync_label.text()


def test_a_conflict_is_shown_and_keep_theirs_resolves_it(qtbot, make_window, store, radicale,
                                                         book, phone):
    add_phone_account(store, radicale, book)
    cid = store.add_contact(make_card("Ada Lovelace", phones=["+44 20 1234 5678"],
                                      note="base"))
    engine.sync_account(store, "phone")
    (name,) = phone.names()
    card = store.get_card(cid)
    card.set_text("NOTE", "mine <b>bold</b>")
    store.save_card(cid, card)
    phone.put(name, phone.get(name).replace("NOTE:base", "NOTE:theirs"))

    win = make_window()
    qtbot.waitUntil(lambda: win.sync_label.text().startswith("Synced"), timeout=WAIT)
    assert "1 conflict to resolve" in win.sync_label.text()
    assert win.conflicts_action.isEnabled()

    dialog = win.resolve_conflicts()
    assert isinstance(dialog, ConflictsDialog)
    qtbot.waitExposed(dialog)
    assert dialog.list.count() == 1 and dialog.list.item(0).text() == "Ada Lovelace"
    rows = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(),
                                             dialog.table.item(r, 2).text())
            for r in range(dialog.table.rowCount())}
    assert rows["Note"] == ("mine <b>bold</b>", "theirs")
    assert rows["Name"] == ("Ada Lovelace", "Ada Lovelace")
    assert rows["Phone 1"][0].startswith("+44 20 1234 5678")
    assert dialog.info.textFormat() == Qt.TextFormat.PlainText

    with qtbot.waitSignal(dialog.resolved, timeout=WAIT):
        qtbot.mouseClick(dialog.theirs_button, Qt.MouseButton.LeftButton)
    assert conflicts.list_conflicts(store) == []
    assert store.get_card(cid).note == "theirs"
    assert dialog.list.count() == 0 and not dialog.theirs_button.isEnabled()
    assert not win.conflicts_action.isEnabled()
    dialog.close()

    with qtbot.waitSignal(win.sync.finished, timeout=WAIT):
        win.sync_action.trigger()
    assert win.sync_label.text().endswith(" · ok")


def test_compare_rows_says_when_a_side_is_deleted():
    rows = compare_rows("", vcard("x-1", "Grace Hopper", "EMAIL:g@example.org"))
    assert rows[0] == ("Card", "(deleted)", "")
    assert ("Email 1", "", "g@example.org") in rows


def test_accounts_wait_while_a_sync_runs(qtbot, store, settings, radicale, book, monkeypatch):
    """Changing an account's books under a running sync would pull its state away."""
    add_phone_account(store, radicale, book)
    running = [True]
    dialog = AccountsDialog(None, store, settings, sync_running=lambda: running[0])
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    warnings = []
    monkeypatch.setattr("netbook.ui.sync_ui.plain_warning",
                        lambda parent, title, text: warnings.append(text))
    dialog.confirm_remove = lambda name: True
    dialog.remove_account()
    assert len(accounts.list_accounts(store)) == 1 and "sync is running" in warnings[0]
    form = dialog.edit_account()
    form.save()
    assert "sync is running" in form.message.text() and form.isVisible()
    running[0] = False
    dialog.remove_account()
    assert accounts.list_accounts(store) == []


def test_timed_syncs_wait_while_the_accounts_are_being_edited(qtbot, make_window, store,
                                                              radicale, book):
    add_phone_account(store, radicale, book)
    win = make_window()
    qtbot.waitUntil(lambda: not win.sync.running, timeout=WAIT)  # the sync on start
    dialog = win.sync_accounts()
    qtbot.waitExposed(dialog)
    assert win.sync.sync_now(manual=False) is None  # the timer's tick: later
    dialog.close()
    job = win.sync.sync_now(manual=False)
    assert job is not None
    qtbot.waitUntil(lambda: not win.sync.running, timeout=WAIT)


def test_timed_syncs_still_run_after_settings_was_opened_and_closed(qtbot, make_window,
                                                                    store, radicale, book):
    """Settings holds the accounts page and is deleted on close: the next tick syncs
    instead of raising "already deleted" into a crash dialog every 15 minutes."""
    add_phone_account(store, radicale, book)
    win = make_window()
    qtbot.waitUntil(lambda: not win.sync.running, timeout=WAIT)  # the sync on start
    dialog = win.open_settings()
    qtbot.waitExposed(dialog)
    assert win.sync.sync_now(manual=False) is None  # Settings open: the tick waits
    dialog.reject()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the dialog is gone
    job = win.sync.sync_now(manual=False)
    assert job is not None
    qtbot.waitUntil(lambda: not win.sync.running, timeout=WAIT)
    assert win.sync_label.text().startswith("Synced")


def open_connections(path: Path) -> int:
    """SQLite connections this process holds open on the database: each has its own
    handle on the write-ahead log (the main file's may linger by SQLite's design)."""
    wal = f"{path}-wal"
    count = 0
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd) == wal
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_a_sync_leaves_no_database_connection_open_behind(qtbot, make_window, store, radicale,
                                                          book, phone):
    """Pool threads live on: a job closes the connection its thread opened."""
    win = make_window()
    add_phone_account(store, radicale, book)
    phone.put("grace.vcf", vcard("grace-1", "Grace Hopper"))
    before = open_connections(store.path)
    assert before == 1  # this thread's own
    with qtbot.waitSignal(win.sync.finished, timeout=WAIT):
        win.sync_action.trigger()
    assert shown_names(win) == ["Grace Hopper"]
    assert open_connections(store.path) == before


def test_two_accounts_one_suddenly_empty_asks_then_syncs_only_that_one(
        qtbot, make_window, store, radicale, book, phone):
    win = make_window()
    add_phone_account(store, radicale, book)
    other = make_book(radicale, "Tablet")
    (tablet_book,) = [b for b in accounts.test_connection(radicale, USER, PASSWORD)
                      if b.url.endswith(other)]
    accounts.add_account(store, "tablet", radicale, USER, PASSWORD, [tablet_book])
    phone.put("ada.vcf", vcard("ada-1", "Ada Lovelace"))
    assert all(d.result for d in carddav.sync_all(store))
    for name in phone.names():
        phone.delete(name)
    asked: list[str] = []
    win.sync.confirm_safety = lambda name, message: asked.append(name) or True
    texts: list[str] = []
    win.sync.finished.connect(texts.append)

    win.sync_action.trigger()
    qtbot.waitUntil(lambda: len(texts) == 2, timeout=WAIT)

    assert texts[0].startswith("Sync failed: phone: ") and "suddenly empty" in texts[0]
    assert asked == ["phone"]
    assert texts[1].startswith("Synced ") and texts[1].endswith(" · ok")
    assert [name for _id, name, _when in store.trash()] == ["Ada Lovelace"]
    statuses = {a.name: (a.last_status, a.last_message) for a in accounts.list_accounts(store)}
    assert statuses["phone"][0] == "ok" and "1 moved to the trash here" in statuses["phone"][1]
    assert statuses["tablet"][0] == "ok"
