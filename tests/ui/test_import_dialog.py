"""Import preview, export and backup restore, driven as a user would.

Jobs run on the real worker pool; each test waits for them with `qtbot.waitUntil`, and
the progress dialogs are set to appear at once so Cancel can be clicked like a user does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import make_card
from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QMainWindow, QMessageBox, QProgressDialog, QPushButton

from netbook.data import db as dbmod
from netbook.data import importing
from netbook.data.changes import Changes
from netbook.data.models import Contact
from netbook.ui import import_dialog
from netbook.ui.import_dialog import (
    ExportDialog,
    ImportPreviewDialog,
    ImportPreviewModel,
    RestoreDialog,
    describe_backup,
    restore_dialog,
    start_export,
    start_import,
)

M = ImportPreviewModel


def vcard(*lines: str) -> bytes:
    return ("\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n").encode()


CARL_V1 = vcard("UID:chg-1", "FN:Carl Change", "N:Change;Carl;;;", "TEL:+1 555 0199")
CARL_V2 = vcard("UID:chg-1", "FN:Carl Change", "N:Change;Carl;;;", "TEL:+1 555 0199",
                "EMAIL:carl@example.com")
NINA = vcard("FN:Nina New", "N:New;Nina;;;")
DANIELLE = vcard("FN:Danielle D", "TEL:+1 (555) 0100", "EMAIL:dd@example.com")  # Dana's phone
UMA = vcard("FN:Uma Same", "N:Same;Uma;;;", "EMAIL;TYPE=work:uma@example.com")
BROKEN = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Card\r\n"  # no END: the next BEGIN cuts it
BOB = vcard("FN:<b>Bob</b>")


def names() -> list[str]:
    q = Contact.select(Contact.display_name).where(Contact.deleted_at.is_null())
    return sorted(name for (name,) in q.tuples())


@pytest.fixture
def window(qtbot) -> QMainWindow:
    win = QMainWindow()
    qtbot.addWidget(win)
    return win


@pytest.fixture
def mixed(store, tmp_path: Path) -> Path:
    """A store with Dana, Uma and Carl (v1, by UID) and a file holding one of each kind."""
    store.add_contact(make_card("Dana Dup", phones=["+1 555 0100"]))
    store.add_contact(make_card("Uma Same", emails=["uma@example.com"]))
    first = tmp_path / "first.vcf"
    first.write_bytes(CARL_V1)
    importing.apply_import(store, importing.plan_import(store, [first]))
    path = tmp_path / "phone.vcf"
    path.write_bytes(NINA + CARL_V2 + DANIELLE + UMA + BROKEN + BOB)
    return path


class Done:
    """Collects what `on_done` was given: the summary lines and what changed."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.changes: list[Changes] = []

    def __call__(self, summary: importing.ImportSummary) -> None:
        self.lines.append(summary.line())
        self.changes.append(summary.changes)


def open_preview(qtbot, window, store, paths: list[Path],
                 on_done: Callable[[importing.ImportSummary], None]) -> ImportPreviewDialog:
    start_import(window, store, paths, on_done, show_after_ms=0)
    qtbot.waitUntil(lambda: window.findChild(ImportPreviewDialog) is not None, timeout=10000)
    return window.findChild(ImportPreviewDialog)


def row_of(model: ImportPreviewModel, name: str) -> int:
    for r in range(model.rowCount()):
        if model.index(r, M.COL_NAME).data() == name:
            return r
    raise AssertionError(f"{name} not shown")


def cell(model: ImportPreviewModel, name: str, col: int) -> str:
    return model.index(row_of(model, name), col).data()


def progress_dialog(window, title: str) -> QProgressDialog | None:
    for dlg in window.findChildren(QProgressDialog):
        if dlg.labelText() == title:
            return dlg
    return None


def click_cancel(dlg: QProgressDialog) -> None:
    button = next(b for b in dlg.findChildren(QPushButton) if b.text() == "Cancel")
    button.click()


# -- the preview --------------------------------------------------------------


def test_preview_lists_every_kind_with_default_actions(qtbot, window, store, mixed):
    dialog = open_preview(qtbot, window, store, [mixed], Done())
    model = dialog.model
    assert dialog.counts_label.text() == (
        "2 new · 1 changed · 1 probable duplicate · 1 unchanged · 1 unreadable")
    assert model.rowCount() == 6
    expected = {
        "Nina New": ("New", "", "Add"),
        "Carl Change": ("Changed", "Carl Change — same UID", "Update"),
        "Danielle D": ("Probable duplicate", "Dana Dup — same phone +15550100", "Keep both"),
        "Uma Same": ("Unchanged", "Uma Same — same content", "Nothing to do"),
        "<b>Bob</b>": ("New", "", "Add"),
        "(card 5, line 26)": ("Unreadable", "", "Not imported"),
    }
    for name, (status, match, action) in expected.items():
        assert cell(model, name, M.COL_STATUS) == status
        assert cell(model, name, M.COL_MATCH) == match
        assert cell(model, name, M.COL_ACTION) == action
    assert cell(model, "Carl Change", M.COL_DETAIL) == "Emails: (none) → carl@example.com"
    assert cell(model, "(card 5, line 26)", M.COL_DETAIL) == "the card has no END:VCARD"
    # only the valid choices are offered, and only where there is a choice
    assert [c for c, _ in model.choices(model.index(row_of(model, "Carl Change"), 4))] == [
        "update", "merge", "skip"]
    assert [c for c, _ in model.choices(model.index(row_of(model, "Danielle D"), 4))] == [
        "merge", "keep", "skip"]
    uma = model.index(row_of(model, "Uma Same"), M.COL_ACTION)
    assert not model.flags(uma) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(uma, "add")
    nina = model.index(row_of(model, "Nina New"), M.COL_ACTION)
    assert not model.setData(nina, "merge")
    assert dialog.import_button.isEnabled()
    dialog.reject()


def test_detail_shows_differences_and_errors_in_full(qtbot, window, store, mixed):
    dialog = open_preview(qtbot, window, store, [mixed], Done())
    model, view = dialog.model, dialog.view
    view.setCurrentIndex(model.index(row_of(model, "Carl Change"), M.COL_NAME))
    text = dialog.detail.toPlainText()
    assert "Emails: (none) → carl@example.com" in text
    assert "netbook's own networking data stays" in text
    view.setCurrentIndex(model.index(row_of(model, "(card 5, line 26)"), M.COL_NAME))
    assert "card 5 (line 26): the card has no END:VCARD — BEGIN:VCARD" in (
        dialog.detail.toPlainText())
    dialog.reject()


def test_filter_and_bulk_action(qtbot, window, store, mixed):
    dialog = open_preview(qtbot, window, store, [mixed], Done())
    model = dialog.model
    combo = dialog.filter_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All (6)", "New (2)", "Changed (1)", "Duplicates (1)", "Unreadable (1)",
        "Unchanged (1)"]
    combo.setCurrentIndex(combo.findData("new"))
    assert sorted(model.index(r, M.COL_NAME).data() for r in range(model.rowCount())) == [
        "<b>Bob</b>", "Nina New"]
    dialog.bulk_combo.setCurrentIndex(dialog.bulk_combo.findData("skip"))
    qtbot.mouseClick(dialog.bulk_button, Qt.MouseButton.LeftButton)
    assert {model.index(r, M.COL_ACTION).data() for r in range(model.rowCount())} == {"Skip"}
    combo.setCurrentIndex(combo.findData("all"))
    assert model.rowCount() == 6
    assert cell(model, "Carl Change", M.COL_ACTION) == "Update"  # not shown: untouched
    assert "skip 2" in dialog.plan_label.text()
    dialog.reject()


def test_nothing_to_write_disables_import(qtbot, window, store, mixed):
    dialog = open_preview(qtbot, window, store, [mixed], Done())
    dialog.bulk_combo.setCurrentIndex(dialog.bulk_combo.findData("skip"))
    dialog.bulk_button.click()
    assert not dialog.import_button.isEnabled()
    assert dialog.plan_label.text().startswith("Nothing to write")
    dialog.model.setData(dialog.model.index(0, M.COL_ACTION), "add")  # Nina
    assert dialog.import_button.isEnabled()
    dialog.reject()


def test_preview_model_passes_modeltester(qtbot, qtmodeltester, window, store, mixed):
    dialog = open_preview(qtbot, window, store, [mixed], Done())
    qtmodeltester.check(dialog.model)
    dialog.model.set_filter("error")
    qtmodeltester.check(dialog.model)
    dialog.reject()


def test_untrusted_text_stays_plain(qtbot, window, store, mixed):
    dialog = open_preview(qtbot, window, store, [mixed], Done())
    model = dialog.model
    r = row_of(model, "<b>Bob</b>")
    dialog.view.setCurrentIndex(model.index(r, M.COL_NAME))
    assert dialog.detail.toPlainText().startswith("<b>Bob</b>\n")
    assert model.index(r, M.COL_STATUS).data(Qt.ItemDataRole.ToolTipRole) is None
    for label in (dialog.counts_label, dialog.plan_label, dialog.note_label):
        assert label.textFormat() == Qt.TextFormat.PlainText
    dialog.reject()


# -- writing ------------------------------------------------------------------


def test_import_applies_the_chosen_actions(qtbot, window, store, mixed):
    done = Done()
    dialog = open_preview(qtbot, window, store, [mixed], done)
    model, view = dialog.model, dialog.view
    # the duplicate: merge, through the model
    assert model.setData(model.index(row_of(model, "Danielle D"), M.COL_ACTION), "merge")
    # Bob: skip, through the real delegate's combo (Down picks the next choice)
    index = model.index(row_of(model, "<b>Bob</b>"), M.COL_ACTION)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == ["Add", "Skip"]
    assert editor.currentText() == "Add"
    qtbot.keyClick(editor, Qt.Key.Key_Down)
    assert index.data() == "Skip"
    assert model.row(index).decision == "skip"
    assert dialog.plan_label.text() == (
        "Import will add 1, update 1, merge into existing 1, skip 1.")

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(done.lines), timeout=10000)
    assert done.lines == ["1 new, 1 updated, 1 merged, 1 unchanged, 1 unreadable (1 skipped)"]
    assert done.changes == [Changes.all()]  # the window reloads everything
    assert names() == ["Carl Change", "Dana Dup", "Nina New", "Uma Same"]
    carl = store.get_card(store.find_by_uid("chg-1"))
    assert [e.value for e in carl.emails] == ["carl@example.com"]
    dana = store.get_card(Contact.get(Contact.display_name == "Dana Dup").id)
    assert [e.value for e in dana.emails] == ["dd@example.com"]  # merged in
    # the unreadable card is reported in a plain-text box
    qtbot.waitUntil(lambda: window.findChild(QMessageBox) is not None)
    box = window.findChild(QMessageBox)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "1 card could not be read and was not imported:" in box.text()
    assert "card 5 (line 26): the card has no END:VCARD" in box.text()
    box.close()


def test_cancel_in_the_preview_writes_nothing(qtbot, window, store, mixed):
    done = Done()
    before, backups = names(), dbmod.list_backups(store.path)
    dialog = open_preview(qtbot, window, store, [mixed], done)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert done.lines == []
    assert names() == before
    assert dbmod.list_backups(store.path) == backups


def gated(real: Callable, gate: threading.Event) -> Callable:
    """`real` with a report that waits for the test to press Cancel, then reports again
    (which raises Cancelled, as it would for a slow job)."""

    def wrapper(store, arg, report, **options):
        def slow_report(done: int, total: int) -> None:
            report(done, total)
            assert gate.wait(10)
            report(done, total)

        return real(store, arg, report=slow_report, **options)

    return wrapper


def test_cancel_while_reading_shows_nothing(qtbot, window, store, mixed, monkeypatch):
    gate = threading.Event()
    monkeypatch.setattr(import_dialog, "plan_import", gated(importing.plan_import, gate))
    done = Done()
    start_import(window, store, [mixed], done, show_after_ms=0)
    try:
        dlg = progress_dialog(window, "Reading contacts…")
        assert dlg is not None
        click_cancel(dlg)
    finally:
        gate.set()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Import cancelled",
                    timeout=10000)
    assert window.findChild(ImportPreviewDialog) is None
    assert done.lines == []


def test_cancel_while_writing_rolls_everything_back(qtbot, window, store, mixed,
                                                    monkeypatch):
    gate = threading.Event()
    monkeypatch.setattr(import_dialog, "apply_import", gated(importing.apply_import, gate))
    before = names()
    done = Done()
    dialog = open_preview(qtbot, window, store, [mixed], done)
    dialog.import_button.click()
    try:
        qtbot.waitUntil(lambda: progress_dialog(window, "Importing contacts…") is not None)
        click_cancel(progress_dialog(window, "Importing contacts…"))
    finally:
        gate.set()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage()
                    == "Import cancelled — nothing was written", timeout=10000)
    assert done.lines == []
    assert names() == before
    assert store.get_card(store.find_by_uid("chg-1")).emails == []


def test_file_errors_only_say_so_and_write_nothing(qtbot, window, store, tmp_path):
    empty = tmp_path / "empty.vcf"
    empty.write_bytes(b"")
    done = Done()
    start_import(window, store, [empty, tmp_path / "missing.vcf"], done, show_after_ms=0)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox) is not None, timeout=10000)
    box = window.findChild(QMessageBox)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text().startswith("No contacts were found, and nothing was written.")
    assert f"{tmp_path / 'missing.vcf'}: can't be read" in box.text()
    assert window.findChild(ImportPreviewDialog) is None
    assert done.lines == [] and names() == []
    box.close()


# -- export -------------------------------------------------------------------


@pytest.fixture
def three(store) -> list[int]:
    return [store.add_contact(make_card("Ann A", tags=["friends"])),
            store.add_contact(make_card("Ben B", tags=["friends", "work"])),
            store.add_contact(make_card("Cy C"))]


def export(qtbot, window, store, ids: list[int], target: Path, monkeypatch,
           setup: Callable[[ExportDialog], None]) -> bytes:
    monkeypatch.setattr(ExportDialog, "choose_target", lambda self: target)
    dialog = start_export(window, store, ids, show_after_ms=0)
    setup(dialog)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported"),
                    timeout=10000)
    return target.read_bytes()


def test_export_selection(qtbot, window, store, three, tmp_path, monkeypatch):
    target = tmp_path / "sel.vcf"

    def setup(dialog: ExportDialog) -> None:
        assert dialog.all_radio.isChecked(), "the whole book by default, not the selection"
        dialog.selected_radio.setChecked(True)
        assert dialog.count_label.text() == "2 contacts will be exported."

    data = export(qtbot, window, store, three[:2], target, monkeypatch, setup)
    assert data.count(b"BEGIN:VCARD") == 2
    assert b"VERSION:3.0" in data
    assert window.statusBar().currentMessage() == f"Exported 2 contacts to {target}"


def test_export_tag_in_4_0(qtbot, window, store, three, tmp_path, monkeypatch):
    def setup(dialog: ExportDialog) -> None:
        assert [dialog.tag_combo.itemText(i) for i in range(dialog.tag_combo.count())] == [
            "friends", "work"]
        dialog.tag_radio.setChecked(True)
        dialog.tag_combo.setCurrentIndex(1)
        dialog.version_combo.setCurrentIndex(dialog.version_combo.findData("4.0"))
        assert dialog.default_name() == "contacts-work.vcf"

    data = export(qtbot, window, store, three[:1], tmp_path / "t.vcf", monkeypatch, setup)
    assert data.count(b"BEGIN:VCARD") == 1
    assert b"VERSION:4.0" in data and b"Ben B" in data


def test_export_everything(qtbot, window, store, three, tmp_path, monkeypatch):
    def setup(dialog: ExportDialog) -> None:
        assert not dialog.selected_radio.isEnabled()
        assert dialog.all_radio.isChecked()
        assert dialog.count_label.text() == "3 contacts will be exported."

    data = export(qtbot, window, store, [], tmp_path / "all.vcf", monkeypatch, setup)
    assert data.count(b"BEGIN:VCARD") == 3
    assert window.statusBar().currentMessage().startswith("Exported 3 contacts to ")


def test_export_stays_open_when_the_file_dialog_is_cancelled(qtbot, window, store, three,
                                                             monkeypatch):
    monkeypatch.setattr(ExportDialog, "choose_target", lambda self: None)
    dialog = start_export(window, store, three)
    dialog.export_button.click()
    assert dialog.isVisible()
    dialog.reject()


# -- restoring a backup -------------------------------------------------------


def test_restore_brings_back_the_old_contacts(qtbot, window, store, monkeypatch):
    ann = store.add_contact(make_card("Ann Old"))
    backup = store.backup("before-import")
    assert backup is not None
    store.add_contact(make_card("Ben Later"))
    store.delete_contacts([ann])
    assert names() == ["Ben Later"]
    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, path: True)
    seen: list[str] = []

    def drive() -> None:
        dialog = window.findChild(RestoreDialog)
        try:
            seen.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
            dialog.list.setCurrentRow(0)
            dialog.restore_button.click()
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, drive)
    assert restore_dialog(window, store) == Changes.all()
    assert len(seen) == 1 and "— before import (" in seen[0]
    assert names() == ["Ann Old"]
    assert store.count() == 1
    store.add_contact(make_card("Cy New"))  # the reconnected store still writes
    assert names() == ["Ann Old", "Cy New"]
    assert any("before-restore" in p.name for p in dbmod.list_backups(store.path))


class Held:
    """Another program holding a backup file locked, as a slow disk or a big book would
    keep its check busy: whatever reads the file waits until `release`."""

    def __init__(self, path: Path) -> None:
        import sqlite3

        self.con: sqlite3.Connection | None = sqlite3.connect(path, isolation_level=None)
        self.con.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        if self.con is not None:
            self.con.rollback()
            self.con.close()
            self.con = None


def test_restore_lists_the_backups_at_once_and_fills_in_the_checks(qtbot, window, store,
                                                                   monkeypatch):
    store.add_contact(make_card("Ann Old"))
    backup = store.backup("before-import")
    assert backup is not None
    held = Held(backup)  # its check can't finish while the dialog opens
    seen: list[str] = []

    def look() -> None:
        dialog = window.findChild(RestoreDialog)
        try:
            assert dialog.isVisible()
            seen.append(dialog.list.item(0).text())
            held.release()
            qtbot.waitUntil(lambda: "checking" not in dialog.list.item(0).text(),
                            timeout=10_000)
            seen.append(dialog.list.item(0).text())
        finally:
            dialog.reject()

    QTimer.singleShot(0, look)
    try:
        assert restore_dialog(window, store) == Changes()
    finally:
        held.release()
    assert "— before import (" in seen[0] and seen[0].endswith("— checking…")
    assert seen[1] == describe_backup(backup)  # whole: nothing more to say


def test_restore_runs_beside_the_window_and_then_goes_on_with_the_backup(
        qtbot, window, store, monkeypatch):
    store.add_contact(make_card("Ann Old"))
    backup = store.backup("before-import")
    assert backup is not None
    store.add_contact(make_card("Ben Later"))
    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, path: True)
    dialog = RestoreDialog(window, store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitSignal(dialog.checks_done, timeout=10_000).wait()
    held = Held(backup)  # the restore's own check of it waits
    try:
        with qtbot.waitSignal(dialog.accepted, timeout=15_000):
            dialog.restore_button.click()  # returns at once: the work is on a worker
            qtbot.waitUntil(lambda: [p.labelText() for p in dialog.findChildren(QProgressDialog)
                                     if p.isVisible()] == ["Restoring the backup…"])
            assert not dialog.list.isEnabled() and not dialog.restore_button.isEnabled()
            dialog.reject()  # the dialog stays open until the restore has ended
            qtbot.wait(100)
            assert dialog.isVisible() and names() == ["Ann Old", "Ben Later"]
            held.release()
    finally:
        held.release()
    assert dialog.restored and dialog.changes == Changes.all()
    assert names() == ["Ann Old"]
    store.add_contact(make_card("Cy New"))  # the store reopened on this thread writes
    assert names() == ["Ann Old", "Cy New"]


def test_restore_declined_changes_nothing(qtbot, window, store, monkeypatch):
    store.add_contact(make_card("Ann Old"))
    store.backup("test")
    store.add_contact(make_card("Ben Later"))
    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, path: False)
    dialog = RestoreDialog(window, store)
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isEnabled()
    assert not dialog.restore_selected()
    assert not dialog.restored and not dialog.changes
    assert names() == ["Ann Old", "Ben Later"]


def test_restore_without_backups(qtbot, window, store):
    dialog = RestoreDialog(window, store)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 0
    assert not dialog.restore_button.isEnabled()
    assert dialog.intro.text().startswith("There are no backups yet")


def test_describe_backup(tmp_path):
    path = tmp_path / "net-book-20251124-140307-123456-before-migration-1.sqlite3"
    path.write_bytes(b"x" * 3000)
    assert describe_backup(path) == "Mon 24 Nov 2025, 14:03:07 — before migration 1 (2 KB)"
    early = tmp_path / "net-book-20251104-090000-000000-before-import.sqlite3"
    early.write_bytes(b"x" * 3000)  # as every date in the window reads: "Tue 4 Nov 2025"
    assert describe_backup(early) == "Tue 4 Nov 2025, 09:00:00 — before import (2 KB)"


def test_model_ignores_invalid_indexes(qtbot, store, mixed):
    plan = importing.plan_import(store, [mixed])
    model = ImportPreviewModel(plan)
    assert model.data(QModelIndex()) is None
    assert not model.setData(QModelIndex(), "skip")
    assert model.choices(QModelIndex()) == []


def test_after_a_restore_ctrl_z_has_nothing_of_the_old_data_to_undo(qtbot, store, tmp_path,
                                                                     monkeypatch):
    from netbook.ui.main_window import MainWindow

    ann = store.add_contact(make_card("Ann Old"))
    store.backup("before-import")
    ben = store.add_contact(make_card("Ben Later"))
    window = MainWindow(store, settings=QSettings(str(tmp_path / "s.ini"),
                                                  QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.refresh_all()
    window.select_contact(ben)
    window.delete_selected()  # an undo step for the data about to be replaced
    assert window.undo_action.isEnabled()
    monkeypatch.setattr(RestoreDialog, "confirm", lambda self, path: True)

    def drive() -> None:
        dialog = window.findChild(RestoreDialog)
        dialog.list.setCurrentRow(0)
        dialog.restore_button.click()

    QTimer.singleShot(0, drive)
    window.restore_backup()
    assert names() == ["Ann Old"] and store.exists(ann)
    assert not window.undo_action.isEnabled() and window.undo_action.text() == "&Undo"


def test_restoring_a_backup_from_before_a_migration_brings_it_up_to_date(
        qtbot, window, store):
    """Backups are taken before each migration; one restored comes back at its old
    schema, and the open window must go on working with it."""
    import sqlite3

    from netbook.plan import service as week

    store.add_contact(make_card("Ann Old"))
    backup = store.backup("before-migration-4")
    con = sqlite3.connect(backup)  # as it was before migration 0005 (the plan counter)
    with con:
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                   "AND name LIKE 'plan_%'").fetchall():
            con.execute(f"DROP TRIGGER {name}")
        con.execute("DROP TABLE plan_epoch")
        con.execute("DELETE FROM schema_migration WHERE name LIKE '0005%'")
        con.execute("PRAGMA user_version = 4")
    con.close()
    store.add_contact(make_card("Ben Later"))
    assert week.restore_backup(store, backup) == Changes.all()
    version = store.db.execute_sql("PRAGMA user_version").fetchone()[0]
    assert version == dbmod.latest_schema_version()
    assert names() == ["Ann Old"]
    week.load_plan(store, week.dt.date.today(), remember=False)  # the counter is back


def test_a_tag_with_an_ampersand_reads_as_itself_in_export(qtbot):
    from PySide6.QtGui import QKeySequence

    dialog = ExportDialog(None, 0, ["R&D"], 3, shown=1, shown_label="Tag: R&D")
    qtbot.addWidget(dialog)
    assert QKeySequence.mnemonic(dialog.shown_radio.text()).isEmpty()  # no Alt+D taken
    assert dialog.shown_radio.text().replace("&&", "&") == (
        "The list as shown now — Tag: R&D (1 contact)")


def test_file_export_defaults_to_the_whole_book_and_says_how_many(qtbot, store, three,
                                                                  tmp_path, monkeypatch):
    from netbook.ui.main_window import MainWindow

    win = MainWindow(store, settings=QSettings(str(tmp_path / "s.ini"),
                                               QSettings.Format.IniFormat))
    win.show()
    win.select_contact(three[0])  # one contact selected, as after any click
    monkeypatch.setattr(ExportDialog, "choose_target", lambda self: tmp_path / "all.vcf")
    dialog = win.export_files()
    assert dialog.all_radio.isChecked() and not dialog.shown_radio.isVisible()
    assert dialog.count_label.text() == "3 contacts will be exported."
    assert dialog.selected_radio.text() == "The 1 selected contact"
    dialog.export_button.click()
    qtbot.waitUntil(lambda: win.statusBar().currentMessage().startswith("Exported"),
                    timeout=10000)
    assert (tmp_path / "all.vcf").read_bytes().count(b"BEGIN:VCARD") == 3
    win.close()


def test_with_a_filter_set_export_offers_the_list_as_shown(qtbot, store, three, tmp_path,
                                                           monkeypatch):
    from netbook.ui.main_window import MainWindow

    win = MainWindow(store, settings=QSettings(str(tmp_path / "s.ini"),
                                               QSettings.Format.IniFormat))
    win.show()
    win.filter_combo.setCurrentIndex(win.filter_combo.findData("tag:friends"))
    assert win.model.rowCount() == 2
    target = tmp_path / "friends.vcf"
    monkeypatch.setattr(ExportDialog, "choose_target", lambda self: target)
    dialog = win.export_files()
    assert dialog.shown_radio.isChecked()
    assert dialog.shown_radio.text() == "The list as shown now — Tag: friends (2 contacts)"
    assert dialog.count_label.text() == "2 contacts will be exported."
    dialog.export_button.click()
    qtbot.waitUntil(lambda: win.statusBar().currentMessage().startswith("Exported"),
                    timeout=10000)
    assert target.read_bytes().count(b"BEGIN:VCARD") == 2
    win.close()


def test_leave_out_my_private_notes_writes_a_shareable_file(qtbot, window, store, three,
                                                            tmp_path, monkeypatch):
    import datetime as dt

    from netbook.data import networking

    networking.set_networking(store, three[0], needs="a secret need", rhythm_days=30)
    networking.log_interaction(store, three[0], on=dt.date.today(), kind="call",
                               note="private chat")

    def setup(dialog: ExportDialog) -> None:
        dialog.shareable_check.setChecked(True)

    data = export(qtbot, window, store, [], tmp_path / "share.vcf", monkeypatch, setup)
    assert data.count(b"BEGIN:VCARD") == 3
    assert b"X-NETBOOK-" not in data and b"private chat" not in data
    assert b"secret need" not in data and b"FN:Ann A" in data
    assert window.statusBar().currentMessage().startswith(
        "Exported 3 contacts (without your private notes) to ")


@pytest.mark.parametrize(("sample", "title"), [
    ("linkedin_Connections.csv", "Import LinkedIn connections"),
    ("google_contacts.csv", "Import Google contacts (CSV)"),
    ("outlook_desktop_cp1252.csv", "Import Outlook contacts (CSV)"),
])
def test_the_preview_is_named_by_what_is_imported(qtbot, window, store, sample, title):
    """A CSV's preview said "Import vCards"."""
    from helpers import CSV_SAMPLES

    dialog = open_preview(qtbot, window, store, [CSV_SAMPLES / sample], Done())
    assert dialog.windowTitle() == title
    dialog.reject()


def test_a_vcard_and_a_csv_together_are_contacts(qtbot, window, store, tmp_path):
    from helpers import CSV_SAMPLES

    card = tmp_path / "one.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\n"
                     b"END:VCARD\r\n")
    dialog = open_preview(qtbot, window, store, [card], Done())
    assert dialog.windowTitle() == "Import vCards"
    dialog.reject()
    qtbot.waitUntil(lambda: window.findChild(ImportPreviewDialog) is None)
    dialog = open_preview(qtbot, window, store, [card, CSV_SAMPLES / "linkedin_Connections.csv"],
                          Done())
    assert dialog.windowTitle() == "Import contacts"
    dialog.reject()
