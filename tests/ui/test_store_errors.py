"""The window never loses an edit silently (issue 12, 3, 1, 7, 8): a Save while another
netbook holds the database, on a full disk or into a damaged file says why in words and
keeps the edit in the form; an error nothing caught becomes a dialog and a log; File ▸
Restore marks and refuses a damaged backup; a spoofed name is marked."""

from __future__ import annotations

import contextlib
import datetime as dt
import resource
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from helpers import fail_the_check_once, make_card
from PySide6.QtCore import QSettings, Qt, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from netbook.data import checkup, networking
from netbook.data.contacts import Store
from netbook.data.vcard.writer import card_to_text
from netbook.ui import crash
from netbook.ui.import_dialog import ImportPreviewDialog, RestoreDialog
from netbook.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 25)
HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    print("holding", flush=True)
    sys.stdin.readline()
    con.execute("ROLLBACK")
""")


def open_window(qtbot, store: Store, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)
    win = MainWindow(store, today=lambda: TODAY, settings=settings)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot, store, tmp_path):
    win = open_window(qtbot, store, tmp_path)
    yield win
    win.detail._set_dirty(False)
    win.close()
    win.deleteLater()


def edit_and_save(qtbot, win: MainWindow, cid: int) -> None:
    if win.detail.contact_id != cid:
        win.select_contact(cid)
    qtbot.keyClicks(win.detail.family_edit, "-Costa")
    qtbot.mouseClick(win.detail.save_button, Qt.MouseButton.LeftButton)


def kept(win: MainWindow) -> bool:
    return win.detail.family_edit.text() == "Silva-Costa" and win.detail.is_dirty()


def test_a_save_while_another_netbook_holds_the_database_says_so_and_keeps_the_edit(
        qtbot, window, store, db_path):
    cid = store.add_contact(make_card("Ana Silva"))
    store.db.execute_sql("PRAGMA busy_timeout = 300")  # the test need not wait 10 s
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "holding"
        edit_and_save(qtbot, window, cid)
    finally:
        holder.communicate("\n", timeout=30)
    assert not window.detail.banner.isHidden()
    assert "busy for too long; nothing was changed" in window.detail.banner.text()
    assert kept(window)
    assert store.get_card(cid).name_parts.family == "Silva"
    qtbot.mouseClick(window.detail.save_button, Qt.MouseButton.LeftButton)  # then it saves
    assert store.get_card(cid).name_parts.family == "Silva-Costa"


def test_a_save_on_a_full_disk_says_so_and_keeps_the_edit(qtbot, window, store):
    cid = store.add_contact(make_card("Ana Silva"))
    store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    window.select_contact(cid)
    window.detail.note_edit.setPlainText("n" * 200_000)  # more than the log may grow
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
    try:
        edit_and_save(qtbot, window, cid)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert "the disk is full; nothing was changed" in window.detail.banner.text()
    assert kept(window)
    assert store.get_card(cid).note == ""


def test_a_save_into_a_damaged_database_names_restore(qtbot, db_path, tmp_path):
    with Store.open(db_path) as store:
        cid = store.add_contact(make_card("Ana Silva"))  # on a page left whole
        for i in range(40):
            store.add_contact(make_card(f"Person {i:03} Example", note="n" * 300))
        # the page damaged below is this index's, which nothing the window reads uses:
        # the window opens, and only writing is refused
        store.db.execute_sql("CREATE INDEX damaged_here ON contact (vcard)")
        store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    last = len(data) // 4096 - 1
    data[last * 4096 + 8:last * 4096 + 200] = b"\xff" * 192
    db_path.write_bytes(bytes(data))
    with Store.open(db_path) as store:
        win = open_window(qtbot, store, tmp_path)
        try:
            edit_and_save(qtbot, win, cid)
            assert "netbook restore" in win.detail.banner.text()
            assert kept(win)
        finally:
            win.detail._set_dirty(False)
            win.close()


def book_with_a_damaged_index(db_path: Path) -> int:
    """Ana Silva and forty others; the root page of an index nothing the window reads
    uses is scribbled over (so the window opens, and a save meets the damage). Returns
    Ana's id."""
    with Store.open(db_path) as store:
        cid = store.add_contact(make_card("Ana Silva"))
        for i in range(40):
            store.add_contact(make_card(f"Person {i:03} Example", note="n" * 300))
        store.db.execute_sql("CREATE INDEX damaged_here ON contact (vcard)")
        (root,), = store.db.execute_sql(
            "SELECT rootpage FROM sqlite_master WHERE name = 'damaged_here'").fetchall()
    data = bytearray(db_path.read_bytes())
    data[(root - 1) * 4096 + 8:(root - 1) * 4096 + 200] = b"\xff" * 192
    db_path.write_bytes(bytes(data))
    return cid


def test_damage_a_save_meets_makes_the_window_read_only(qtbot, db_path, tmp_path):
    cid = book_with_a_damaged_index(db_path)
    checkup.Watch.start(db_path).close()  # as if netbook had closed it: the check not due
    before = db_path.read_bytes()
    with Store.open(db_path) as store:
        assert store.db.damage is None
        win = open_window(qtbot, store, tmp_path)
        try:
            edit_and_save(qtbot, win, cid)
            assert "damaged" in win.detail.banner.text()
            assert "netbook restore" in win.detail.banner.text()
            assert kept(win)
            assert "netbook restore" in (store.db.damage or "")
            qtbot.mouseClick(win.detail.save_button, Qt.MouseButton.LeftButton)
            assert "read-only" in win.detail.banner.text()  # and so it stays
            assert kept(win)
        finally:
            win.detail._set_dirty(False)
            win.close()
    assert db_path.read_bytes() == before


def test_an_import_into_a_damaged_book_says_the_damage_once(qtbot, db_path, tmp_path):
    """File ▸ Import into a book opened read-only: refused before the files are read,
    saying so (the book, not the files) and then the damage in its own words, once; no
    preview, nothing written."""
    book_with_a_damaged_index(db_path)  # the check at open finds it: opened read-only
    vcf = tmp_path / "new.vcf"
    vcf.write_text(card_to_text(make_card("New Person")))
    with Store.open(db_path) as store:
        damage = store.db.damage
        assert damage and "netbook restore" in damage
        win = open_window(qtbot, store, tmp_path)
        try:
            win.import_files([vcf])
            qtbot.waitUntil(lambda: win.findChild(QMessageBox) is not None, timeout=10_000)
            box = win.findChild(QMessageBox)
            assert box.windowTitle() == "Import could not start"
            first, rest = box.text().split("\n\n", 1)
            assert first == ("The import could not start because the database is damaged; "
                             "your files were not read.")
            assert rest == damage  # the damage in its own words, once
            assert "could not be read" not in box.text()  # the files are not to blame
            assert "backup of" not in box.text()
            assert not win.findChildren(ImportPreviewDialog)
            box.close()
            assert store.count() == 41
        finally:
            win.detail._set_dirty(False)
            win.close()


def test_a_due_check_runs_after_the_first_paint_and_says_what_it_found(
        qtbot, db_path, monkeypatch):
    from netbook.ui import app

    book_with_a_damaged_index(db_path)  # changed behind netbook's back: the check is due
    told: list[str] = []
    monkeypatch.setattr(app.StartUpCheck, "tell", lambda self, text: told.append(text))
    with Store.open(db_path, check="later") as store:
        assert store.db.check_due and store.db.damage is None
        win = app.open_window(store)
        try:
            assert win.model.rowCount() == 41  # the list came first
            qtbot.waitUntil(lambda: bool(told), timeout=10_000)
            assert "netbook restore" in told[0] and "read-only" in told[0]
            assert store.db.damage == told[0] and not store.db.check_due
        finally:
            win.detail._set_dirty(False)
            win.close()


def test_a_due_check_that_could_not_run_says_so_and_leaves_the_book_writable(
        qtbot, db_path, monkeypatch):
    from netbook.ui import app

    book_with_a_damaged_index(db_path)  # the check is due
    fail_the_check_once(monkeypatch)
    told: list[str] = []
    monkeypatch.setattr(app.StartUpCheck, "tell", lambda self, text: told.append(text))
    with Store.open(db_path, check="later") as store:
        win = app.open_window(store)
        try:
            qtbot.waitUntil(lambda: "could not run" in win.statusBar().currentMessage(),
                            timeout=10_000)
            assert "disk I/O error" in win.statusBar().currentMessage()
            assert not told and store.db.damage is None and store.db.check_due
        finally:
            win.detail._set_dirty(False)
            win.close()
    assert checkup.read(db_path).damage is None


def test_file_restore_marks_and_refuses_a_damaged_backup(qtbot, window, store, monkeypatch):
    store.add_contact(make_card("Ann Old"))
    good = store.backup("good")
    bad = good.with_name(f"{store.path.stem}-29991231-000000-000000-bad.sqlite3")
    bad.write_bytes(b"")
    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, path: True)
    dialog = RestoreDialog(window, store)
    qtbot.addWidget(dialog)
    # listed at once, the thorough check of each backup running beside the dialog
    assert [dialog.list.item(i).text().endswith("— checking…") for i in range(2)] == [True] * 2
    qtbot.waitSignal(dialog.checks_done, timeout=10_000).wait()  # queued: not missed
    assert "DAMAGED: is empty (0 bytes)" in dialog.list.item(0).text()
    assert "DAMAGED" not in dialog.list.item(1).text()
    dialog.list.setCurrentRow(0)
    assert dialog.restore_selected() is False
    assert "is empty (0 bytes)" in dialog.error.text()
    assert store.count() == 1


def test_a_spoofed_name_is_marked_in_the_detail_pane(qtbot, window, store):
    evil = store.add_contact(make_card("Evil\u202eexe.txt"))
    plain = store.add_contact(make_card("Ada Lovelace"))
    window.select_contact(evil)
    assert not window.detail.spoof_label.isHidden()
    assert "right-to-left override" in window.detail.spoof_label.text()
    assert window.detail.title_label.text() == "\u2068Evil\u202eexe.txt\u2069"
    window.select_contact(plain)
    assert window.detail.spoof_label.isHidden()
    assert window.detail.title_label.text() == "Ada Lovelace"


def test_an_uncaught_error_becomes_a_dialog_and_a_private_log(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    try:
        raise RuntimeError("the widget broke")
    except RuntimeError as exc:
        crash.report(type(exc), exc, exc.__traceback__)
    log = crash.log_path()
    assert "RuntimeError: the widget broke" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1
    assert "the widget broke" in boxes[0].text() and str(log) in boxes[0].text()
    boxes[0].close()


def test_install_puts_the_hook_in_place(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)
    crash.install()
    try:
        assert sys.excepthook is crash.report
        assert threading.excepthook is crash.report_thread
    finally:
        qInstallMessageHandler(None)  # the monkeypatches put the Python hooks back


# -- every newer dialog says a busy database in words, and keeps what was typed -----------

BUSY = "busy for too long; nothing was changed"


@contextlib.contextmanager
def database_held(store: Store, db_path: Path):
    """Another process holds the write lock (a second netbook, the command line) until
    the block ends; this window waits 0.3 s instead of 10 before it gives up."""
    store.db.execute_sql("PRAGMA busy_timeout = 300")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield
    finally:
        holder.communicate("\n", timeout=30)


def ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_i_just_met_someone_on_a_busy_database_keeps_the_form(qtbot, window, store, db_path):
    dialog = window.capture_someone()
    qtbot.keyClicks(dialog.name_edit, "Mia Chen")
    qtbot.keyClicks(dialog.where_edit, "the flight to Berlin")
    qtbot.keyClicks(dialog.reach_edit, "mia@studio.example")
    with database_held(store, db_path):
        ok(qtbot, dialog)
    assert dialog.isVisible()
    assert BUSY in dialog.error.text() and not dialog.error.isHidden()
    assert (dialog.name_edit.text(), dialog.where_edit.text()) == ("Mia Chen",
                                                                   "the flight to Berlin")
    assert store.count() == 0
    ok(qtbot, dialog)  # the other netbook is done: the same form goes in
    assert not dialog.isVisible() and store.count() == 1


def test_logging_on_the_card_while_busy_keeps_the_note(qtbot, window, store, db_path):
    cid = store.add_contact(make_card("Ana Silva"))
    window.select_contact(cid)
    dialog = window.detail.add_interaction()
    qtbot.keyClicks(dialog.note_edit, "Talked about the launch")
    with database_held(store, db_path):
        ok(qtbot, dialog)
    assert dialog.isVisible() and BUSY in dialog.error.text()
    assert dialog.note_edit.toPlainText() == "Talked about the launch"
    assert networking.interactions(store, cid) == []


def test_relating_introducing_and_merging_while_busy_say_so(qtbot, window, store, db_path):
    ana = store.add_contact(make_card("Ana Silva", emails=["ana@example.org"]))
    ben = store.add_contact(make_card("Ben Okafor", emails=["ben@example.org"]))
    store.add_contact(make_card("Ana Silva", emails=["ana@example.org"]))
    window.refresh_all()
    window.select_contact(ana)
    section = window.relationships
    section.other_edit.setText("Ben Okafor")
    introduce = window.open_introduce(ana, ben)
    duplicates = window.find_duplicates()
    with qtbot.waitSignal(duplicates.searched):
        pass
    with database_held(store, db_path):
        qtbot.mouseClick(section.relate_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(introduce.copy_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(duplicates.merge_button, Qt.MouseButton.LeftButton)
    assert BUSY in section.error_label.text() and section.other_edit.text() == "Ben Okafor"
    assert introduce.isVisible() and BUSY in introduce.error_label.text()
    assert BUSY in duplicates.note.text() and store.count() == 3
    assert networking.interactions(store, ana) == []
    introduce.reject()
    duplicates.reject()


def test_the_week_panel_and_the_tag_manager_while_busy_say_so(qtbot, window, store, db_path):
    cid = store.add_contact(make_card("Ana Silva", tags=["client"]))
    networking.set_networking(store, cid, follow_up=TODAY, follow_up_note="call back")
    window.refresh_all()
    panel = window.week_panel
    panel.refresh()
    row = panel.row(cid)
    tags = window.manage_tags()
    tags.ask_name = lambda old: "clients"
    with database_held(store, db_path):
        panel.skip(row.item)
        panel.snooze_next_week(row.item)
        tags.rename()
    assert BUSY in panel.notice_label.text() and not panel.notice.isHidden()
    assert panel.row(cid) is not None  # still planned: nothing was changed
    assert BUSY in tags.error.text()
    assert store.get_card(cid).categories == ["client"]
    tags.reject()
