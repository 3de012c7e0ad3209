"""File ▸ Import of a spreadsheet netbook has no layout for — an event's attendee list:
a page says which column is what (guessed from the header's words), tags everyone with
the event and the day met, then the usual preview; the choice is remembered for files
with the same header, by the window and by `netbook import` alike."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from helpers import CSV_SAMPLES, cli, contact_named
from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
)

from netbook.data.csv.detect import CsvTable
from netbook.data.csv.generic import FIELDS, ColumnMapping, remembered_mapping
from netbook.data.importing import ImportSummary
from netbook.ui import import_dialog
from netbook.ui.csv_mapping import (
    FIELD_LABELS,
    ColumnMappingDialog,
    ColumnMappingModel,
    field_choices,
    field_label,
)
from netbook.ui.import_dialog import ImportPreviewDialog, start_import

HEADER = ["Attendee Name", "E-Mail", "Firma", "Ticket Type", "Interests", "Looking for"]
ATTENDEES = (
    "Attendee Name,E-Mail,Firma,Ticket Type,Interests,Looking for\r\n"
    "Grace Hopper,grace@example.org,US Navy,Speaker,compilers; COBOL,a publisher\r\n"
    "Alan Turing,alan@example.org,NPL,Attendee,,\r\n"
    '"Lovelace, Ada",ada@example.org,Analytical Engines,Attendee,poetry,\r\n'
)
# next year's list from the same sign-up site: the same columns, other people
NEXT_YEAR = (
    "attendee name,E-MAIL,Firma,Ticket Type,Interests,Looking for\r\n"
    "Hedy Lamarr,hedy@example.org,MGM,Speaker,radio,investors\r\n"
)
MET = dt.date(2024, 5, 17)
M = ColumnMappingModel


@pytest.fixture
def window(qtbot) -> QMainWindow:
    win = QMainWindow()
    qtbot.addWidget(win)
    return win


class Done:
    def __init__(self) -> None:
        self.summaries: list[ImportSummary] = []

    def __call__(self, summary: ImportSummary) -> None:
        self.summaries.append(summary)


def csv_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mapping_page(qtbot, window) -> ColumnMappingDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in
                                window.findChildren(ColumnMappingDialog)), timeout=10000)
    return next(d for d in window.findChildren(ColumnMappingDialog) if d.isVisible())


def preview(qtbot, window) -> ImportPreviewDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in
                                window.findChildren(ImportPreviewDialog)), timeout=10000)
    return next(d for d in window.findChildren(ImportPreviewDialog) if d.isVisible())


def chooser(page: ColumnMappingDialog, column: str) -> QComboBox:
    """The field chooser shown on the column's row."""
    row = page.model.row_of(column)
    combo = page.view.indexWidget(page.model.index(row, M.COL_FIELD))
    assert isinstance(combo, QComboBox)
    return combo


def shown_fields(page: ColumnMappingDialog) -> dict[str, str]:
    model = page.model
    return {model.index(r, M.COL_COLUMN).data(): model.index(r, M.COL_FIELD).data()
            for r in range(model.rowCount())}


def import_attendees(qtbot, window, store, path: Path, done: Done) -> None:
    """The whole first import, as a user goes through it."""
    start_import(window, store, [path], done, show_after_ms=0)
    page = mapping_page(qtbot, window)
    qtbot.keyClicks(chooser(page, "Interests"), "Tags")
    qtbot.keyClicks(chooser(page, "Looking for"), "Needs")
    qtbot.keyClicks(page.tag_edit, "PyCon 2026")
    qtbot.mouseClick(page.met_check, Qt.MouseButton.LeftButton)
    assert page.met_edit.isEnabled()
    page.met_edit.setDate(QDate(MET.year, MET.month, MET.day))
    qtbot.keyClicks(page.where_edit, "Pittsburgh")
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    dialog = preview(qtbot, window)
    assert dialog.windowTitle() == "Import a CSV file"
    assert dialog.counts_label.text() == "3 new"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(done.summaries) == 1, timeout=10000)


def test_an_attendee_list_asks_which_column_is_what_then_comes_in_tagged_and_met(
        qtbot, window, store, tmp_path):
    path = csv_file(tmp_path, "pycon-attendees.csv", ATTENDEES)
    start_import(window, store, [path], Done(), show_after_ms=0)
    page = mapping_page(qtbot, window)
    assert "doesn't know the layout of pycon-attendees.csv" in page.intro.text()
    # the header's words suggest the obvious ones; the rest are left for the user
    assert shown_fields(page) == {
        "Attendee Name": "Full name", "E-Mail": "Email", "Firma": "Organisation",
        "Ticket Type": "Leave out", "Interests": "Leave out", "Looking for": "Leave out"}
    row = page.model.row_of("Interests")
    assert [page.model.index(row, c).data() for c in range(2, 5)] == [
        "compilers; COBOL", "", "poetry"]  # the first rows, beside the chooser
    assert page.continue_button.isEnabled()
    assert page.status.text() == "3 of 6 columns will be read; the rest are left out."
    page.reject()
    assert window.statusBar().currentMessage() == "Import cancelled — nothing was written"
    assert store.count() == 0
    assert remembered_mapping(store, HEADER) is None

    done = Done()
    import_attendees(qtbot, window, store, path, done)
    assert done.summaries[0].line() == "3 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable"
    grace = contact_named(store, "Grace Hopper")
    assert grace.card.organization == "US Navy"
    assert [e.value for e in grace.card.emails] == ["grace@example.org"]
    assert grace.card.categories == ["compilers", "COBOL", "PyCon 2026"]
    assert (grace.met_on, grace.met_where, grace.needs) == (MET, "Pittsburgh", "a publisher")
    ada = contact_named(store, "Lovelace, Ada")
    assert (ada.card.name_parts.given, ada.card.name_parts.family) == ("Ada", "Lovelace")
    assert ada.card.categories == ["poetry", "PyCon 2026"]
    assert contact_named(store, "Alan Turing").met_on == MET
    # remembered for this header, in the import's own transaction
    assert remembered_mapping(store, HEADER) == ColumnMapping({
        "Attendee Name": "name", "E-Mail": "email", "Firma": "organization",
        "Interests": "tags", "Looking for": "needs"})


def test_the_next_file_with_the_same_header_skips_the_page_in_the_window_and_the_cli(
        qtbot, capsys, window, store, db_path, tmp_path):
    import_attendees(qtbot, window, store, csv_file(tmp_path, "a.csv", ATTENDEES), Done())
    done = Done()
    start_import(window, store, [csv_file(tmp_path, "b.csv", NEXT_YEAR)], done,
                 show_after_ms=0)
    dialog = preview(qtbot, window)
    assert not any(d.isVisible() for d in window.findChildren(ColumnMappingDialog))
    assert dialog.counts_label.text() == "1 new"
    assert dialog.columns_label.text() == "b.csv: 5 columns read as you chose."
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(done.summaries) == 1, timeout=10000)
    hedy = contact_named(store, "Hedy Lamarr")
    assert (hedy.card.categories, hedy.needs, hedy.met_on) == (["radio"], "investors", None)

    cli_file = csv_file(tmp_path, "c.csv", NEXT_YEAR.replace("Hedy Lamarr,hedy",
                                                             "Mary Jackson,mary"))
    code, out, err = cli(capsys, "import", "--db", str(db_path), str(cli_file))
    assert (code, out) == (0, "1 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable\n")
    assert "c.csv: read as CSV" in err
    assert contact_named(store, "Mary Jackson").needs == "investors"


def test_columns_and_event_from_the_preview_read_the_file_again(qtbot, window, store,
                                                                tmp_path):
    """A remembered choice can be wrong, and next year's list is another event: the
    preview goes back to the page, prefilled with what was used."""
    import_attendees(qtbot, window, store, csv_file(tmp_path, "a.csv", ATTENDEES), Done())
    done = Done()
    start_import(window, store, [csv_file(tmp_path, "b.csv", NEXT_YEAR)], done,
                 show_after_ms=0)
    dialog = preview(qtbot, window)
    qtbot.mouseClick(dialog.columns_button, Qt.MouseButton.LeftButton)
    page = mapping_page(qtbot, dialog)
    assert "chosen before" in page.intro.text()
    assert shown_fields(page)["Looking for"] == "Needs (what they need)"
    qtbot.keyClicks(chooser(page, "Ticket Type"), "Note")
    qtbot.keyClicks(page.tag_edit, "PyCon 2027, Speakers")
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    second = preview(qtbot, window)
    assert second is not dialog
    assert second.columns_label.text() == (
        "b.csv: 6 columns read as you chose; everyone tagged PyCon 2027, Speakers.")
    qtbot.mouseClick(second.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(done.summaries) == 1, timeout=10000)
    hedy = contact_named(store, "Hedy Lamarr")
    assert hedy.card.categories == ["radio", "PyCon 2027", "Speakers"]
    assert hedy.card.note == "Speaker"
    assert remembered_mapping(store, HEADER).columns["Ticket Type"] == "note"


def test_a_csv_with_no_name_email_or_phone_column_cannot_continue_and_says_why(
        qtbot, window, store, tmp_path):
    path = csv_file(tmp_path, "badges.csv", "Badge,Seat,Dietary\r\nB-17,12A,vegan\r\n")
    start_import(window, store, [path], Done(), show_after_ms=0)
    page = mapping_page(qtbot, window)
    assert set(shown_fields(page).values()) == {"Leave out"}
    assert not page.continue_button.isEnabled()
    assert page.status.text().startswith("⚠ Can't continue yet: the mapping names no column "
                                         "for a name, email, phone or organisation")
    qtbot.keyClicks(chooser(page, "Badge"), "Full")
    assert page.continue_button.isEnabled()
    assert page.status.text() == "1 of 3 columns will be read; the rest are left out."
    badge = chooser(page, "Badge")
    badge.setCurrentIndex(badge.findData("ignore"))  # picked from the list
    assert not page.continue_button.isEnabled()
    page.reject()


def test_a_known_layout_never_asks(qtbot, window, store):
    start_import(window, store, [CSV_SAMPLES / "linkedin_Connections.csv"], Done(),
                 show_after_ms=0)
    dialog = preview(qtbot, window)
    assert dialog.counts_label.text() == "4 new"
    assert not window.findChildren(ColumnMappingDialog)
    assert not hasattr(dialog, "columns_button")
    dialog.reject()


def test_two_files_with_the_same_header_ask_once_and_come_in_together(
        qtbot, window, store, tmp_path):
    files = [csv_file(tmp_path, "day1.csv", ATTENDEES), csv_file(tmp_path, "day2.csv",
                                                                 NEXT_YEAR)]
    done = Done()
    start_import(window, store, files, done, show_after_ms=0)
    page = mapping_page(qtbot, window)
    assert "and 1 more file with the same columns" in page.intro.text()
    qtbot.keyClicks(page.tag_edit, "PyData")
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    dialog = preview(qtbot, window)
    assert dialog.counts_label.text() == "4 new"
    assert window.findChildren(ColumnMappingDialog) == []  # closed, gone
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(done.summaries) == 1, timeout=10000)
    assert contact_named(store, "Hedy Lamarr").card.categories == ["PyData"]
    assert contact_named(store, "Grace Hopper").card.categories == ["PyData"]


def test_cell_text_from_the_file_is_plain_text(qtbot, store, tmp_path):
    table = CsvTable(["<b>Name</b>", "Mail", "", "Mail"],
                     [["<img src=x onerror=alert(1)>", "x@example.org", "a", "b"]], None)
    page = ColumnMappingDialog(None, "<b>list.csv", table)
    qtbot.addWidget(page)
    model = page.model
    assert page.intro.textFormat() == Qt.TextFormat.PlainText
    assert "<b>list.csv" in page.intro.text()
    assert model.index(0, M.COL_COLUMN).data() == "<b>Name</b>"
    assert model.index(0, 2).data() == "<img src=x onerror=alert(1)>"
    # a column without a name, or with an earlier one's, can't be chosen, and says why
    assert model.index(2, M.COL_COLUMN).data() == "(no name)"
    assert not model.flags(model.index(2, M.COL_FIELD)) & Qt.ItemFlag.ItemIsEditable
    assert "Column 2 has the same name" in model.index(3, M.COL_FIELD).data(
        Qt.ItemDataRole.ToolTipRole)
    assert not model.setData(model.index(3, M.COL_FIELD), "email")
    assert model.mapping() == ColumnMapping({"Mail": "email"})
    long = CsvTable(["Note"], [["<b>" + "x" * 200]], None)
    long_model = ColumnMappingModel(long)
    tip = long_model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;" in tip and "<b>" not in tip


def test_the_model_passes_qtmodeltester(qtbot, qtmodeltester):
    table = CsvTable(HEADER, [["Grace Hopper", "grace@example.org", "US Navy", "Speaker",
                               "compilers", "a publisher"], ["Alan Turing"]], None)
    model = ColumnMappingModel(table)
    qtmodeltester.check(model, force_py=True)
    assert model.setData(model.index(4, M.COL_FIELD), "tags")
    assert not model.setData(model.index(4, M.COL_FIELD), "no such field")
    assert not model.setData(model.index(4, M.COL_COLUMN), "tags")
    qtmodeltester.check(model, force_py=True)
    assert model.index(1, 3).data() == ""  # a short row: its missing cells are empty


def test_every_field_the_reader_knows_can_be_chosen():
    assert {f for f, _ in field_choices()} == set(FIELDS)
    assert set(FIELD_LABELS) == set(FIELDS)  # each with words of its own
    labels = [label for _, label in field_choices()]
    assert len(set(labels)) == len(labels)
    # the chooser and its tooltip tell the same separators (one table of words, in data)
    assert ";" in field_label("tags") and ":::" in field_label("tags") and ":::" in FIELDS["tags"]


def test_unreadable_csv_still_says_so(qtbot, window, store, tmp_path):
    """A file that is no CSV at all is not a column question."""
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    start_import(window, store, [path], Done(), show_after_ms=0)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox) is not None, timeout=10000)
    box = window.findChild(QMessageBox)
    assert box.windowTitle() == "Nothing to import"
    assert not window.findChildren(ColumnMappingDialog)
    box.close()


def test_scrolling_down_the_columns_changes_none_of_them(qtbot):
    table = CsvTable(HEADER, [["Grace Hopper", "grace@example.org", "US Navy"]], None)
    page = ColumnMappingDialog(None, "a.csv", table)
    qtbot.addWidget(page)
    page.show()
    combo = chooser(page, "Firma")
    at = QPointF(combo.rect().center())
    wheel = QWheelEvent(at, combo.mapToGlobal(at), QPoint(), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(combo, wheel)
    assert combo.currentData() == "organization"
    assert page.model.field_of("Firma") == "organization"


def test_reading_the_file_again_runs_off_the_window_with_cancel(qtbot, window, store,
                                                                tmp_path, monkeypatch):
    gate = threading.Event()
    real = import_dialog.plan_import

    def slow(store, paths, report, **options):  # the second pass waits for Cancel
        def waiting(done: int, total: int) -> None:
            report(done, total)
            assert gate.wait(10)
            report(done, total)  # raises Cancelled, as for a long file

        return real(store, paths, report=waiting, **options)

    start_import(window, store, [csv_file(tmp_path, "a.csv", ATTENDEES)], Done(),
                 show_after_ms=0)
    page = mapping_page(qtbot, window)
    before = set(window.findChildren(QProgressDialog))
    monkeypatch.setattr(import_dialog, "plan_import", slow)
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    try:
        [progress] = set(window.findChildren(QProgressDialog)) - before
        assert progress.labelText() == "Reading contacts…"
        next(b for b in progress.findChildren(QPushButton) if b.text() == "Cancel").click()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Import cancelled",
                    timeout=10000)
    assert not any(d.isVisible() for d in window.findChildren(ImportPreviewDialog))
    assert store.count() == 0 and remembered_mapping(store, HEADER) is None


def test_an_uploaded_file_stays_until_its_columns_are_chosen_and_it_is_read(
        qtbot, window, store, tmp_path):
    """`when_read` (a phone's upload is deleted then) waits for the second reading."""
    read: list[bool] = []
    start_import(window, store, [csv_file(tmp_path, "a.csv", ATTENDEES)], Done(),
                 show_after_ms=0, when_read=lambda: read.append(True))
    page = mapping_page(qtbot, window)
    assert read == []
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    preview(qtbot, window).reject()
    assert read == [True]
    start_import(window, store, [csv_file(tmp_path, "b.csv", ATTENDEES)], Done(),
                 show_after_ms=0, when_read=lambda: read.append(False))
    mapping_page(qtbot, window).reject()  # not mapped: the file can go all the same
    assert read == [True, False]
