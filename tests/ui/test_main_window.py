"""The main window as a user meets it: list, search, detail pane, delete/undo, state."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from pathlib import Path

import pytest
from helpers import make_card, when_asked
from PIL import Image
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel

from netbook.data import networking
from netbook.data.contacts import ListQuery
from netbook.data.vcard.reader import read_vcards
from netbook.ui.contact_model import ID_ROLE, LAST_CONTACTED, NAME, ORGANIZATION
from netbook.ui.main_window import MainWindow

TODAY = dt.date(2025, 11, 26)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)


def shown_window(qtbot, store, settings, today=lambda: TODAY):
    """A window on screen, closed after the test (see the fixtures)."""
    win = MainWindow(store, today=today, settings=settings)
    win.show()
    qtbot.waitExposed(win)
    yield win
    # not qtbot.addWidget: it closes before this runs, and a test may leave an edit
    # pending, whose real "save changes?" question would wait forever
    win.detail._set_dirty(False)
    win.close()
    win.deleteLater()


@pytest.fixture
def window(qtbot, store, settings):
    yield from shown_window(qtbot, store, settings)


def add(store, name: str, **kwargs) -> int:
    return store.add_contact(make_card(name, **kwargs))


def refresh_all(qtbot, win: MainWindow) -> None:
    """The test wrote the store behind the window's back: the window redraws, and the
    week panel on show plans the week once that burst of changes is over (the next turn
    of the event loop), as it does after a sync."""
    with qtbot.waitSignal(win.week_panel.plan_reloaded, timeout=1000):
        win.refresh_all()


def shown_names(win: MainWindow) -> list[str]:
    m = win.model
    return [m.data(m.index(r, NAME)) for r in range(m.rowCount())]


def type_in(qtbot, edit, text: str) -> None:
    """Select what the field holds and type over it, as a user would (ASCII only)."""
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, text)


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "PNG")
    return out.getvalue()


def test_a_new_database_offers_three_ways_in(window, qtbot):
    assert window.stack.currentWidget() is window.empty_state
    qtbot.mouseClick(window.empty_state.demo_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.splitter
    assert 45 <= window.model.rowCount() <= 55
    assert window.count_label.text() == f"{window.store.count()} contacts"
    qtbot.waitUntil(lambda: bool(window.week_panel.rows()), timeout=1000)  # once it is in
    assert window.week_panel.plan.items, "the demo gives the week panel something to propose"


def test_typing_in_search_filters_accent_and_case_blind(window, store, qtbot):
    add(store, "Daniel Müller", org="Kraftwerk")
    add(store, "Иван Петров")
    add(store, "Ana Silva")
    window.refresh_all()
    qtbot.keyClicks(window.search, "muller")
    assert shown_names(window) == ["Daniel Müller"]
    assert window.count_label.text() == "Showing 1 of 3 contacts"
    window.search.setText("ИВАН".lower())  # non-ASCII through the widget's own API
    assert shown_names(window) == ["Иван Петров"]


def test_phone_digits_match_whatever_the_formatting(window, store, qtbot):
    add(store, "Ana Silva", phones=["+1 (555) 010-0123"])
    add(store, "Ben Okafor", phones=["+44 7700 900123"])
    window.refresh_all()
    qtbot.keyClicks(window.search, "555 0100")
    assert shown_names(window) == ["Ana Silva"]


def test_arrow_keys_move_in_the_list_enter_opens_escape_clears(window, store, qtbot):
    for name in ("Ana Silva", "Ben Okafor", "Chloe Dubois"):
        add(store, name)
    window.refresh_all()
    window.search.setFocus()
    qtbot.keyClicks(window.search, "o")  # Dubois, Okafor (by family name); the first opens
    qtbot.waitUntil(lambda: window.detail.title_label.text() == "Chloe Dubois")
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.detail.title_label.text() == "Ben Okafor"
    qtbot.keyClick(window.search, Qt.Key.Key_Up)
    assert window.detail.title_label.text() == "Chloe Dubois"
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.detail.isAncestorOf(QApplication.focusWidget())
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.model.rowCount() == 3


def test_new_contact_typed_and_saved_lands_in_list_and_database(window, store, qtbot):
    add(store, "Ana Silva")
    window.refresh_all()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.detail.given_edit, "Grace")
    qtbot.keyClicks(window.detail.family_edit, "Hopper")
    window.detail.phones.add_row(focus=True)
    qtbot.keyClicks(window.detail.phones.rows[0][2], "+1 202 555 0199")
    qtbot.mouseClick(window.detail.save_button, Qt.MouseButton.LeftButton)
    cid = window.detail.contact_id
    assert cid is not None
    card = store.get_card(cid)
    assert card.formatted_name == "Grace Hopper"
    assert [p.value for p in card.phones] == ["+1 202 555 0199"]
    assert "Grace Hopper" in shown_names(window)
    assert window.view.currentIndex().data(ID_ROLE) == cid


def test_delete_key_removes_and_ctrl_z_brings_back(window, store, qtbot):
    ana = add(store, "Ana Silva")
    add(store, "Ben Okafor")
    window.refresh_all()
    window.select_contact(ana)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert "Ana Silva" not in shown_names(window)
    assert not store.exists(ana)
    assert "undo" in window.statusBar().currentMessage().lower()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.exists(ana)
    assert "Ana Silva" in shown_names(window)


def test_unsaved_edits_are_guarded_when_moving_on(window, store, qtbot, monkeypatch):
    ana = add(store, "Ana Silva")
    ben = add(store, "Ben Okafor")
    window.refresh_all()
    window.select_contact(ana)
    qtbot.keyClicks(window.detail.family_edit, "-Costa")
    answers = ["cancel", "save"]
    monkeypatch.setattr(window, "ask_unsaved", lambda: answers.pop(0))
    window.select_contact(ben)  # cancel: stay on Ana with the edit
    assert window.detail.contact_id == ana
    assert window.detail.family_edit.text() == "Silva-Costa"
    window.select_contact(ben)  # save
    assert window.detail.contact_id == ben
    assert store.get_card(ana).name_parts.family == "Silva-Costa"


def test_find_duplicates_and_manage_tags_ask_about_an_unsaved_edit_first(
        window, store, qtbot, monkeypatch):
    ana = add(store, "Ana Lima", phones=["+1 555 010 0001"], tags=["design"])
    twin = add(store, "Ana Lima", phones=["+1 555 010 0001"])
    window.refresh_all()
    window.select_contact(twin)
    qtbot.keyClicks(window.detail.note_edit, "met at PyCon")
    answers = ["cancel", "cancel", "save"]
    monkeypatch.setattr(window, "ask_unsaved", lambda: answers.pop(0))
    assert window.manage_tags() is None  # cancel: the edit stays, no dialog
    assert window.find_duplicates() is None
    assert window.detail.note_edit.toPlainText() == "met at PyCon"
    dialog = window.find_duplicates()  # save, then the search
    assert store.get_card(twin).note == "met at PyCon"
    qtbot.waitUntil(lambda: not dialog.searching, timeout=5000)
    dialog.keep_combo.setCurrentIndex(dialog.keep_combo.findData(ana))
    dialog.merge()
    assert "met at PyCon" in store.get_card(ana).note  # the note came along
    assert not answers


def test_saving_on_the_way_to_another_contact_leaves_the_keyboard_on_it(
        window, store, qtbot, monkeypatch):
    ana = add(store, "Ana Silva")
    ben = add(store, "Ben Okafor")
    window.refresh_all()
    window.select_contact(ana)
    qtbot.keyClicks(window.detail.note_edit, "likes tea")
    monkeypatch.setattr(window, "ask_unsaved", lambda: "save")
    rect = window.view.visualRect(window.model.index(window.model.row_for_id(ben), 0))
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert store.get_card(ana).note == "likes tea"
    assert window.detail.contact_id == ben
    assert window.view.currentIndex().data(ID_ROLE) == ben  # Down goes on from Ben
    assert window.selected_ids() == [ben]


def test_closing_with_unsaved_edits_asks_first(window, store, qtbot, monkeypatch):
    add(store, "Ana Silva")
    window.refresh_all()
    window.restore_selection()
    qtbot.keyClicks(window.detail.title_edit, "CEO")
    monkeypatch.setattr(window, "ask_unsaved", lambda: "cancel")
    assert not window.close()
    monkeypatch.setattr(window, "ask_unsaved", lambda: "discard")
    assert window.close()


def test_sorting_by_each_column(window, store):
    a = add(store, "Ana Zed", org="Beta")
    b = add(store, "Bob Young", org="Alpha")
    networking.log_interaction(store, a, on=dt.date(2025, 1, 5), kind="call")
    networking.log_interaction(store, b, on=dt.date(2025, 6, 5), kind="call")
    window.refresh_all()
    window.view.sortByColumn(ORGANIZATION, Qt.SortOrder.AscendingOrder)
    assert shown_names(window) == ["Bob Young", "Ana Zed"]
    window.view.sortByColumn(LAST_CONTACTED, Qt.SortOrder.DescendingOrder)
    assert shown_names(window) == ["Bob Young", "Ana Zed"]
    # names sort by family name, as address books do: Young before Zed
    window.view.sortByColumn(NAME, Qt.SortOrder.DescendingOrder)
    assert shown_names(window) == ["Ana Zed", "Bob Young"]
    window.view.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    assert shown_names(window) == ["Bob Young", "Ana Zed"]


def test_filters_never_contacted_and_tags(window, store):
    a = add(store, "Ana Silva", tags=["design"])
    add(store, "Ben Okafor")
    networking.log_interaction(store, a, on=dt.date(2025, 1, 5), kind="call")
    window.refresh_all()
    window.filter_combo.setCurrentIndex(window.filter_combo.findData("never_contacted:"))
    assert shown_names(window) == ["Ben Okafor"]
    window.filter_combo.setCurrentIndex(window.filter_combo.findData("tag:design"))
    assert shown_names(window) == ["Ana Silva"]


def test_window_state_and_last_contact_are_remembered(qtbot, store, settings):
    add(store, "Ana Silva", org="Zeta")
    ben = add(store, "Ben Okafor", org="Alpha")
    first = MainWindow(store, today=lambda: TODAY, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.view.sortByColumn(ORGANIZATION, Qt.SortOrder.DescendingOrder)
    first.splitter.setSizes([300, 700])
    first.select_contact(ben)
    first.close()

    second = MainWindow(store, today=lambda: TODAY, settings=settings)
    qtbot.addWidget(second)
    second.show()
    second.restore_selection()
    header = second.view.horizontalHeader()
    assert header.sortIndicatorSection() == ORGANIZATION
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert shown_names(second) == ["Ana Silva", "Ben Okafor"]
    assert second.detail.contact_id == ben


def test_html_in_names_and_notes_is_shown_as_typed(window, store):
    cid = add(store, "<b>Bob</b> <img src=/dev/zero>", note="<img src=/dev/zero> hi")
    window.refresh_all()
    window.select_contact(cid)
    assert shown_names(window) == ["<b>Bob</b> <img src=/dev/zero>"]
    for label in window.detail.findChildren(QLabel):
        if label.text() and "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    assert window.detail.title_label.text() == "<b>Bob</b> <img src=/dev/zero>"
    assert window.detail.note_edit.toPlainText() == "<img src=/dev/zero> hi"


def test_only_visible_rows_decode_their_photos(window, store, qtbot):
    photo = png_bytes()
    cards = []
    for i in range(300):
        card = make_card(f"Person {i:03d}")
        card.set_photo(photo, "image/png")
        cards.append(card)
    with store.db.atomic():
        store.add_cards(cards)
    window.refresh_all()
    window.view.resize(400, 300)
    qtbot.waitUntil(lambda: len(window.model._thumbs) > 0)
    assert 0 < len(window.model._thumbs) < 60


def test_editing_keeps_what_the_phone_wrote(window, store, qtbot):
    text = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Ana Silva\r\nN:Silva;Ana;;;\r\n"
            b"item1.TEL;type=CELL:+351 912 345 678\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n"
            b"X-CUSTOM;X-PARAM=keep:something only the phone knows\r\nEND:VCARD\r\n")
    cid = store.add_contact(read_vcards(text).cards[0].card, imported=True)
    window.refresh_all()
    window.select_contact(cid)
    qtbot.keyClicks(window.detail.title_edit, "Founder")
    window.detail.save()
    stored = store.get_card(cid)
    assert stored.title == "Founder"
    assert stored.first("X-CUSTOM").params == [("X-PARAM", "keep")]
    phone = stored.phones[0]
    assert (phone.value, phone.label) == ("+351 912 345 678", "_$!<Mobile>!$_")


def test_a_photo_from_a_file_becomes_a_thumbnail(window, store, tmp_path):
    cid = add(store, "Ana Silva")
    window.refresh_all()
    window.select_contact(cid)
    path = tmp_path / "me.png"
    path.write_bytes(png_bytes(1200, 900))
    assert window.detail.set_photo_from_file(path)
    assert window.detail.save()
    assert store.get_card(cid).photo_bytes
    assert store.thumbnails([cid])
    assert store.list_rows(ListQuery())[0].has_photo


def huge_png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_a_huge_or_broken_photo_gets_a_clear_message(window, store, tmp_path):
    cid = add(store, "Ana Silva")
    window.refresh_all()
    window.select_contact(cid)
    huge = tmp_path / "huge.png"
    huge.write_bytes(huge_png_header(30000, 30000))
    assert not window.detail.set_photo_from_file(huge)
    assert "too large" in window.detail.banner.text()
    junk = tmp_path / "notes.png"
    junk.write_bytes(b"this is not a picture")
    assert not window.detail.set_photo_from_file(junk)
    assert "not an image" in window.detail.banner.text()
    assert not window.detail.is_dirty()


def test_a_shared_phone_is_pointed_out_with_a_way_to_open_the_other(window, store, qtbot):
    ana = add(store, "Ana Silva", phones=["+1 555 010 0123"])
    window.refresh_all()
    window.new_contact()
    window.detail.given_edit.setText("Annie")
    window.detail.phones.add_row()
    window.detail.phones.rows[0][2].setText("(555) 010-0123")
    assert window.detail.save()
    assert window.detail.shared_box.isVisibleTo(window.detail)
    labels = [lbl.text() for lbl in window.detail.shared_box.findChildren(QLabel)]
    assert any("Ana Silva" in t for t in labels)
    from PySide6.QtWidgets import QPushButton

    button = window.detail.shared_box.findChildren(QPushButton)[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.detail.contact_id == ana


def test_an_edit_made_elsewhere_is_never_overwritten(window, store, qtbot, monkeypatch):
    cid = add(store, "Ana Silva")
    window.refresh_all()
    window.select_contact(cid)
    other = store.get_card(cid)
    other.set_text("TITLE", "Changed in another window")
    store.save_card(cid, other, store.revision(cid))
    type_in(qtbot, window.detail.title_edit, "Mine")
    conflicts = []
    monkeypatch.setattr(window.detail, "_resolve_conflict",
                        lambda message: conflicts.append(message) or False)
    assert not window.detail.save()
    assert conflicts and "changed elsewhere" in conflicts[0]
    assert store.get_card(cid).title == "Changed in another window"


def answer_the_question(button_text: str) -> list[str]:
    """Click `button_text` in the message box the window is about to ask (its text is
    returned in the list once asked)."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def click(box: QMessageBox) -> None:
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    when_asked(QMessageBox, click)
    return asked


def test_an_edit_that_met_a_change_elsewhere_can_be_applied_to_the_new_version(
        window, store, qtbot):
    cid = add(store, "Ana Silva")
    window.refresh_all()
    window.select_contact(cid)
    other = store.get_card(cid)  # another window saves the title and a note meanwhile
    other.set_text("TITLE", "Changed in another window")
    other.set_text("NOTE", "from the phone")
    store.save_card(cid, other, store.revision(cid))
    type_in(qtbot, window.detail.title_edit, "Mine")
    asked = answer_the_question("Apply my changes")
    assert window.detail.save()
    assert asked and "changed elsewhere" in asked[0]
    card = store.get_card(cid)
    assert (card.title, card.note) == ("Mine", "from the phone")  # mine, and theirs
    assert not window.detail.is_dirty()


def log_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_logging_from_the_detail_pane_updates_list_and_week(window, store, qtbot):
    cid = add(store, "Ana Silva")
    networking.set_networking(store, cid, rhythm_days=14, follow_up=TODAY,
                              follow_up_note="send the deck")
    refresh_all(qtbot, window)
    window.select_contact(cid)
    assert any(i.contact_id == cid for i in window.week_panel.plan.items)
    dialog = window.detail.add_interaction()
    qtbot.waitExposed(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("coffee"))
    qtbot.keyClicks(dialog.note_edit, "Talked about the launch")
    radio = dialog.gave_radio  # clicked on its circle: the rest of its cell is no button
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(6, radio.height() // 2))
    dialog.gift_combo.setCurrentIndex(dialog.gift_combo.findData("advice"))
    log_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert window.detail.log_model.rowCount() == 1
    assert "gave 1×" in window.detail.network_summary.text()
    row = window.model.row_for_id(cid)
    assert window.model.data(window.model.index(row, LAST_CONTACTED)) == "today"
    qtbot.waitUntil(lambda: window.week_panel.row(cid).item.done, timeout=1000)  # the week too


@pytest.fixture
def window_now(qtbot, store, settings):
    """A window on the real today: a follow-up can't be set in the past."""
    yield from shown_window(qtbot, store, settings, today=dt.date.today)


def test_the_cards_log_form_asks_what_happens_to_the_promise(window_now, store, qtbot):
    """Log interaction… on the card offers the week panel's follow-up choices: a promise
    due by now is kept (cleared) by default, and the card stops showing it."""
    window, today = window_now, dt.date.today()
    cid = add(store, "Ana Silva")
    networking.set_networking(store, cid, follow_up=today, follow_up_note="send the deck")
    window.refresh_all()
    window.select_contact(cid)
    network = window.detail.card_view.values("network")
    assert any("send the deck" in v.full_text for v in network)
    dialog = window.detail.add_interaction()
    box = dialog.follow_up_box
    assert box is not None and box.promise_label.text().startswith(
        "The promise: send the deck (due ")
    assert box.kept_radio.isChecked()
    qtbot.keyClicks(dialog.note_edit, "Sent it")
    log_ok(qtbot, dialog)
    assert not dialog.isVisible()
    record = store.get_contact(cid)
    assert (record.follow_up, record.follow_up_note) == (None, "")
    assert not any("send the deck" in v.full_text
                   for v in window.detail.card_view.values("network"))


def test_the_cards_log_form_leaves_a_later_promise_and_sets_a_new_one(window_now, store,
                                                                        qtbot):
    window, today = window_now, dt.date.today()
    later = today + dt.timedelta(days=10)
    cid = add(store, "Ben Okafor")
    networking.set_networking(store, cid, follow_up=later, follow_up_note="intro to Mia")
    window.refresh_all()
    window.select_contact(cid)
    dialog = window.detail.add_interaction()
    box = dialog.follow_up_box
    assert box.move_radio.isChecked() and box.move_edit.date().toPython() == later
    log_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert networking.interactions(store, cid)  # logged
    assert store.get_contact(cid).follow_up == later  # not yet: it stays on its day

    other = add(store, "Cy Chen")
    window.refresh_all()
    window.select_contact(other)
    dialog = window.detail.add_interaction()
    assert dialog.follow_up_box.promise_label.isHidden()  # no promise to ask about
    qtbot.keyClicks(dialog.note_edit, "I'll send the slides")  # a promise, in the note
    assert dialog.follow_up_box.new_check.isChecked()
    log_ok(qtbot, dialog)
    assert not dialog.isVisible()
    record = store.get_contact(other)
    assert record.follow_up == today + dt.timedelta(days=7)
    assert record.follow_up_note == "I'll send the slides"


def test_networking_fields_are_saved_with_the_card(window, store, qtbot):
    ana = add(store, "Ana Silva")
    ben = add(store, "Ben Okafor")
    window.refresh_all()
    window.select_contact(ben)
    d = window.detail
    d.circle_combo.setCurrentIndex(d.circle_combo.findData("close"))
    type_in(qtbot, d.met_on_edit, "2025-10-01")
    type_in(qtbot, d.met_where_edit, "the Lisbon conference")
    type_in(qtbot, d.introduced_by_edit, "Ana Silva")
    type_in(qtbot, d.needs_edit, "a designer")
    type_in(qtbot, d.follow_up_edit, "2025-12-01")
    type_in(qtbot, d.follow_up_note_edit, "promised an intro to Ana")
    assert d.is_dirty()
    assert d.save()
    record = store.get_contact(ben)
    assert (record.circle, record.rhythm_days) == ("close", 30)
    assert record.met_on == dt.date(2025, 10, 1)
    assert record.introduced_by == ana
    assert record.follow_up_note == "promised an intro to Ana"


def test_a_bad_date_is_explained_and_nothing_is_saved(window, store, qtbot):
    cid = add(store, "Ana Silva")
    window.refresh_all()
    window.select_contact(cid)
    type_in(qtbot, window.detail.birthday_edit, "1980-02-31")
    assert not window.detail.save()
    assert "not a date" in window.detail.banner.text()
    assert store.get_card(cid).birthday is None


def test_the_contact_model_passes_qt_model_tester(window, store, qtmodeltester):
    for i in range(250):  # more than a page, so rows arrive page by page
        add(store, f"Person {i:03d}", org=f"Org {i % 7}")
    window.refresh_all()
    qtmodeltester.check(window.model)
    window.search.setText("person 1")
    qtmodeltester.check(window.model)


def test_rows_off_screen_are_read_when_scrolled_to(window, store, qtbot):
    with store.db.atomic():
        store.add_cards([make_card(f"Person {i:04d}") for i in range(1000)])
    window.refresh_all()
    last = window.model.index(999, NAME)
    window.view.scrollTo(last)
    qtbot.waitUntil(lambda: window.model.data(last) == "Person 0999")


# -- one dispatch: every part redraws from what an operation changed -----------------


def planned(store, name: str) -> int:
    """A contact the week's plan holds (a follow-up due today)."""
    cid = add(store, name)
    networking.set_networking(store, cid, follow_up=TODAY, follow_up_note="send the deck")
    return cid


def test_a_saved_edit_shows_in_the_list_the_week_and_the_pane(window, store, qtbot):
    ana = planned(store, "Ana Silva")
    add(store, "Ben Okafor")
    refresh_all(qtbot, window)
    window.select_contact(ana)
    assert window.week_panel.row(ana).name_label.text() == "Ana Silva"
    for edit, text in ((window.detail.family_edit, "Costa"),
                       (window.detail.fn_edit, "Ana Costa")):
        edit.selectAll()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(window.detail.save_button, Qt.MouseButton.LeftButton)
    assert shown_names(window) == ["Ana Costa", "Ben Okafor"]  # renamed, and sorted anew
    qtbot.waitUntil(lambda: window.week_panel.row(ana).name_label.text() == "Ana Costa",
                    timeout=1000)  # the week once the change is in
    assert window.detail.title_label.text() == "Ana Costa"
    assert window.view.currentIndex().data(ID_ROLE) == ana  # still the one selected
    assert window.statusBar().currentMessage() == "Saved"


def test_a_new_tag_appears_in_the_filter_once_saved(window, store, qtbot):
    ana = add(store, "Ana Silva")
    window.refresh_all()
    window.select_contact(ana)
    assert window.filter_combo.findData("tag:lisbon") == -1
    qtbot.keyClicks(window.detail.tags_edit, "lisbon")
    assert window.detail.save()
    assert window.filter_combo.findData("tag:lisbon") >= 0


def editing_the_name_of(window, store, name: str) -> int:
    cid = add(store, name)
    window.refresh_all()
    window.select_contact(cid)
    window.detail.start_editing("name")
    return cid


def test_a_new_family_name_renames_the_contact_everywhere(window, store, qtbot):
    ana = editing_the_name_of(window, store, "Ana Lima")
    type_in(qtbot, window.detail.family_edit, "Souza")
    assert window.detail.fn_edit.text() == "Ana Souza"  # "Shown as" follows, before Save
    qtbot.mouseClick(window.detail.save_button, Qt.MouseButton.LeftButton)
    assert shown_names(window) == ["Ana Souza"]
    assert window.detail.title_label.text() == "Ana Souza"
    assert store.get_card(ana).formatted_name == "Ana Souza"


def test_a_shown_as_of_its_own_stays_when_the_name_changes(window, store, qtbot):
    ana = editing_the_name_of(window, store, "Ana Lima")
    type_in(qtbot, window.detail.fn_edit, "Dr Ana")
    type_in(qtbot, window.detail.family_edit, "Souza")
    assert window.detail.fn_edit.text() == "Dr Ana"
    assert window.detail.save()
    card = store.get_card(ana)
    assert (card.formatted_name, card.name_parts.family) == ("Dr Ana", "Souza")


def done_in_the_week(qtbot, window, cid: int, note: str) -> None:
    """Done… on the person's row in the week panel, a note, OK."""
    from netbook.ui.log_dialog import QuickLogDialog

    qtbot.mouseClick(window.week_panel.row(cid).done_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in window.week_panel.findChildren(QuickLogDialog) if d.isVisible())
    qtbot.keyClicks(dialog.note_edit, note)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_done_in_the_week_shows_in_the_list_and_the_open_contact(window, store, qtbot):
    ana = planned(store, "Ana Silva")
    refresh_all(qtbot, window)
    window.select_contact(ana)
    done_in_the_week(qtbot, window, ana, "sent it")
    assert window.week_panel.row(ana).item.done
    row = window.model.row_for_id(ana)
    assert window.model.data(window.model.index(row, LAST_CONTACTED)) == "today"
    assert window.detail.log_model.rowCount() == 1
    assert "last contacted 26 Nov 2025" in window.detail.network_summary.text()


def test_a_touch_logged_in_the_week_keeps_unsaved_edits_in_the_pane(window, store, qtbot):
    ana = planned(store, "Ana Silva")
    refresh_all(qtbot, window)
    window.select_contact(ana)
    qtbot.keyClicks(window.detail.title_edit, "Founder")
    done_in_the_week(qtbot, window, ana, "called")
    assert window.detail.is_dirty()
    assert window.detail.title_edit.text() == "Founder"
    assert window.detail.log_model.rowCount() == 1  # the log follows all the same
    assert window.detail.save()
    assert store.get_card(ana).title == "Founder"


def test_saving_an_edit_keeps_the_promise_done_just_closed(window, store, qtbot):
    ana = planned(store, "Ana Silva")
    refresh_all(qtbot, window)
    window.select_contact(ana)
    qtbot.keyClicks(window.detail.note_edit, "likes tea")
    done_in_the_week(qtbot, window, ana, "sent the deck")  # the promise: kept
    assert store.get_contact(ana).follow_up is None
    assert window.detail.save()
    saved = store.get_contact(ana)
    assert (saved.follow_up, saved.follow_up_note) == (None, "")  # not open again
    assert saved.card.note == "likes tea"
    assert window.detail.follow_up_edit.value() is None


def test_saving_an_edit_keeps_the_promise_the_log_form_kept(window, store, qtbot):
    ana = planned(store, "Ana Silva")
    window.refresh_all()
    window.select_contact(ana)
    qtbot.keyClicks(window.detail.title_edit, "Founder")
    dialog = window.detail.add_interaction()  # Ctrl+L while editing
    assert dialog.follow_up_box.kept_radio.isChecked()
    log_ok(qtbot, dialog)
    assert window.detail.save()
    saved = store.get_contact(ana)
    assert saved.follow_up is None and saved.card.title == "Founder"


def test_editing_the_promise_that_was_kept_meanwhile_asks(window, store, qtbot, monkeypatch):
    ana = planned(store, "Ana Silva")
    refresh_all(qtbot, window)
    window.select_contact(ana)
    type_in(qtbot, window.detail.follow_up_note_edit, "send the slides")
    done_in_the_week(qtbot, window, ana, "sent the deck")
    conflicts = []
    monkeypatch.setattr(window.detail, "_resolve_conflict",
                        lambda message: conflicts.append(message) or False)
    assert not window.detail.save()
    assert conflicts and "follow up" in conflicts[0]
    assert store.get_contact(ana).follow_up is None  # what Done did stays


def test_deleting_a_planned_contact_takes_them_off_the_list_and_the_week(window, store,
                                                                         qtbot):
    ana = planned(store, "Ana Silva")
    ben = add(store, "Ben Okafor")
    refresh_all(qtbot, window)
    window.select_contact(ana)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert shown_names(window) == ["Ben Okafor"]
    qtbot.waitUntil(lambda: window.week_panel.row(ana) is None, timeout=1000)
    assert window.detail.contact_id == ben  # the next one is open
    assert window.count_label.text() == "1 contacts"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.week_panel.row(ana) is not None, timeout=1000)
    assert window.detail.contact_id == ana
    window.select_contact(ben)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    window.select_contact(ana)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert window.stack.currentWidget() is window.empty_state  # the last one went


def test_a_selection_for_a_bulk_action_survives_changes_elsewhere(window, store, qtbot,
                                                                  qtmodeltester):
    from netbook.data import operations
    from netbook.data.vcard.card import NameParts

    ids = [add(store, f"Person P{i}") for i in range(6)]
    window.refresh_all()
    qtmodeltester.check(window.model)  # and through every change below
    window.select_contact(ids[0])
    window.select_ids(ids[:4])
    # a Done in the week on someone else
    window.operation_did_execute(operations.log_interaction(store, ids[5], on=TODAY,
                                                            kind="call"),
                                 origin=window.week_panel)
    assert sorted(window.selected_ids()) == ids[:4]
    # one of them renamed elsewhere (a sync): the list re-sorts, the four stay selected
    card = store.get_card(ids[1])
    card.rename(NameParts(family="Zed", given="Person"))
    window.operation_did_execute(operations.save_contact(
        store, card, contact_id=ids[1], revision=store.revision(ids[1])))
    assert shown_names(window)[-1] == "Person Zed"
    assert sorted(window.selected_ids()) == ids[:4]
    # someone else leaves the list
    window.operation_did_execute(operations.delete_contacts(store, [ids[4]]))
    assert sorted(window.selected_ids()) == ids[:4]
    assert window.detail.contact_id == ids[0]


def test_each_part_redraws_only_what_an_operation_changed(window, store, qtbot):
    from netbook.data import operations

    ana = planned(store, "Ana Silva")
    refresh_all(qtbot, window)
    window.select_contact(ana)
    resets: list[int] = []
    window.model.modelReset.connect(lambda: resets.append(1))
    title = window.week_panel.title_label.text()
    window.operation_did_execute(operations.set_block(store, minutes=90))
    qtbot.waitUntil(lambda: window.week_panel.title_label.text() != title,
                    timeout=1000)  # the week follows …
    assert resets == []  # … the list has nothing to redraw
    week_start = window.week_panel.plan.week_start
    window.operation_did_execute(operations.skip_week(store, ana, week_start))
    qtbot.waitUntil(lambda: window.week_panel.row(ana) is None, timeout=1000)
    assert resets == []
    window.operation_did_execute(operations.log_interaction(store, ana, on=TODAY,
                                                            kind="email"))
    row = window.model.row_for_id(ana)  # the row reads anew, the list isn't reset
    assert window.model.data(window.model.index(row, LAST_CONTACTED)) == "today"
    assert resets == []
    assert window.detail.log_model.rowCount() == 1
