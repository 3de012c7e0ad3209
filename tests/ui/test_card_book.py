"""Issue 15 as a user meets it: a card to read and act on, a window that fits at
1024×700, the keyboard all the way, duplicates merged, tags on several contacts, undo,
settings and the dark theme."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import threading
from pathlib import Path

import pytest
from helpers import make_card, when_asked
from PIL import Image
from PySide6.QtCore import (
    QObject,
    QPoint,
    QRect,
    QRunnable,
    QSettings,
    Qt,
    QThreadPool,
    QTime,
    QTimer,
    QUrl,
    Slot,
)
from PySide6.QtGui import QAction, QContextMenuEvent, QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QToolButton,
    QWidget,
)

from netbook.data import networking, operations
from netbook.data.vcard.card import Address
from netbook.data.vcard.reader import parse_card_text
from netbook.ui.card_view import ActionLabel, address_url, website_url
from netbook.ui.main_window import MainWindow
from netbook.ui.text_table import TextTableModel

TODAY = dt.date(2025, 11, 26)

APPLE = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:apple-1\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\n"
         "ORG:Bakers\r\nitem1.TEL:+1 555 010 0001\r\nitem1.X-ABLabel:_$!<AssistantPhone>!$_\r\n"
         "item2.TEL:+1 555 010 0009\r\nitem2.X-ABLabel:_$!<HomeFAX>!$_\r\n"
         "item3.EMAIL:ana@example.org\r\nitem3.X-ABLabel:Gym\r\n"
         "TEL;TYPE=CELL:+1 555 010 0002\r\n"
         "ADR;TYPE=HOME:;;1 Main St;Springfield;IL;62701;USA\r\n"
         "URL:bakers.example.com\r\nEND:VCARD\r\n")


class UrlCatcher(QObject):
    """What the desktop was asked to open (a real QDesktopServices handler)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def catcher():
    catch = UrlCatcher()
    for scheme in ("tel", "mailto", "https", "http"):
        QDesktopServices.setUrlHandler(scheme, catch, "open")
    yield catch
    for scheme in ("tel", "mailto", "https", "http"):
        QDesktopServices.unsetUrlHandler(scheme)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)


def make_window(qtbot, store, settings, size=(1360, 820)) -> MainWindow:
    win = MainWindow(store, today=lambda: TODAY, settings=settings)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot, store, settings):
    win = make_window(qtbot, store, settings)
    yield win
    win.detail._set_dirty(False)
    win.close()
    win.deleteLater()


@pytest.fixture
def ana(store) -> int:
    return store.add_contact(parse_card_text(APPLE))


def open_contact(win: MainWindow, cid: int) -> None:
    win.refresh_all()
    win.select_contact(cid)


# -- the card ---------------------------------------------------------------------------


def test_the_card_phone_link_fires_tel(window, ana, catcher, qtbot):
    open_contact(window, ana)
    card = window.detail.card_view
    assert not window.detail.editing and card.isVisible()
    phone = card.values("phones")[0]
    qtbot.mouseClick(phone, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [u.toString() for u in catcher.urls] == ["tel:+15550100001"])
    phone.setFocus()
    qtbot.keyClick(phone, Qt.Key.Key_Return)  # the keyboard calls too
    assert catcher.urls[-1].toString() == "tel:+15550100001"


def test_emails_websites_and_addresses_open_where_they_should(window, ana, catcher, qtbot):
    open_contact(window, ana)
    card = window.detail.card_view
    qtbot.mouseClick(card.values("emails")[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.values("websites")[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.values("addresses")[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(catcher.urls) == 3)
    assert [u.toString() for u in catcher.urls[:2]] == ["mailto:ana@example.org",
                                                        "https://bakers.example.com"]
    assert catcher.urls[2].host() == "www.openstreetmap.org"
    assert "1 Main St, Springfield" in catcher.urls[2].query(
        QUrl.ComponentFormattingOption.FullyDecoded)


def test_double_clicking_a_phone_edits_it_and_never_dials(window, ana, catcher, qtbot):
    open_contact(window, ana)
    phone = window.detail.card_view.values("phones")[0]
    # as a mouse sends it (qtbot.mouseDClick alone is only the second press)
    qtbot.mouseClick(phone, Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(phone, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(phone, Qt.MouseButton.LeftButton)
    assert window.detail.editing
    qtbot.wait(QApplication.styleHints().mouseDoubleClickInterval() + 200)
    assert catcher.urls == []  # no call started under the edit


def test_a_website_that_is_not_http_never_opens():
    assert website_url("javascript:alert(1)") is None
    assert website_url("file:///etc/passwd") is None
    assert website_url("example.org/x").toString() == "https://example.org/x"
    assert address_url(Address(street="1 Main St")).scheme() == "https"


def test_an_email_that_carries_mail_headers_opens_as_an_address_only(window, store,
                                                                     catcher, qtbot):
    evil = store.add_contact(parse_card_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\n"
        "EMAIL:eve@example.org?attach=/etc/passwd&cc=x@evil.example&body=hi\r\n"
        "END:VCARD\r\n"))
    open_contact(window, evil)
    qtbot.mouseClick(window.detail.card_view.values("emails")[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(catcher.urls) == 1)
    (url,) = catcher.urls
    assert url.scheme() == "mailto" and not url.hasQuery() and not url.hasFragment()
    assert "attach=" not in url.query() and url.toEncoded().data().startswith(
        b"mailto:eve@example.org%3Fattach")  # all of it one (odd) address, no header


def test_apple_and_custom_labels_read_in_words(window, ana):
    open_contact(window, ana)
    card = window.detail.card_view
    assert card.labels("phones") == ["Assistant", "Home fax", "Mobile"]
    assert card.labels("emails") == ["Gym"]
    assert card.labels("addresses") == ["Home address"]


def test_copy_puts_the_value_on_the_clipboard(window, ana, qtbot):
    open_contact(window, ana)
    _field, _kind, _value, button = window.detail.card_view.rows[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "+1 555 010 0001"
    assert window.statusBar().currentMessage() == "Copied +1 555 010 0001"


def test_the_keyboard_copies_a_value_too(window, ana, qtbot):
    open_contact(window, ana)
    email = window.detail.card_view.values("emails")[0]
    email.setFocus()
    qtbot.keyClick(email, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "ana@example.org"
    assert window.statusBar().currentMessage() == "Copied ana@example.org"
    chosen = []

    def pick_copy() -> None:  # the context menu (the Menu key, a right-click)
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(20, pick_copy)
            return
        chosen.extend(a.text() for a in menu.actions())
        next(a for a in menu.actions() if a.text() == "&Copy").trigger()
        menu.close()

    QApplication.clipboard().clear()
    QTimer.singleShot(20, pick_copy)
    QApplication.sendEvent(email, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard,
                                                    QPoint(2, 2), email.mapToGlobal(QPoint(2, 2))))
    assert chosen == ["&Copy", "&Open (mailto:)"]
    assert QApplication.clipboard().text() == "ana@example.org"


def test_card_text_is_plain(window, store):
    cid = store.add_contact(make_card("<b>Bold</b>", phones=["<i>1</i> 555 0100"],
                                      note="<a href='x'>link</a>"))
    open_contact(window, cid)
    for label in window.detail.card_view.findChildren(ActionLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_networking_summary_and_log_are_on_the_card(window, store, ana, qtmodeltester):
    networking.set_networking(store, ana, circle="close", rhythm_days=30, needs="an oven",
                              met_where="bakery fair")
    networking.log_interaction(store, ana, on=TODAY - dt.timedelta(days=3), kind="call",
                               note="talked ovens")
    networking.log_interaction(store, ana, on=TODAY - dt.timedelta(days=9), kind="email")
    qtmodeltester.check(window.detail.log_model)  # the log's model, as every item model
    open_contact(window, ana)
    card = window.detail.card_view
    assert card.network_summary.text().startswith("Next due:")
    assert "Close circle, every 30 days" in [v.full_text for v in card.values("network")]
    assert "an oven" in [v.full_text for v in card.values("network")]
    assert window.detail.log_model.rows[0].note == "talked ovens"


def test_a_rhythm_reads_the_same_on_the_card_and_in_set_rhythm(window, store, ana, qtbot):
    from PySide6.QtWidgets import QInputDialog

    networking.set_networking(store, ana, rhythm_days=10)
    open_contact(window, ana)
    assert "Every 10 days" in [v.full_text for v in window.detail.card_view.values("network")]
    offered: list[str] = []

    def look_and_cancel(box: QInputDialog) -> None:
        offered.extend(box.comboBoxItems())
        box.reject()

    when_asked(QInputDialog, look_and_cancel)
    assert window.ask_rhythm(1) is None
    assert "Close circle, every 30 days" in offered and offered[-1] == "No rhythm"


HANDLES = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:handles-1\r\nFN:Hana Handles\r\n"
           "N:Handles;Hana;;;\r\n"
           "IMPP;X-SERVICE-TYPE=Skype;TYPE=skype:skype:hana.h\r\n"
           "item1.X-SOCIALPROFILE;TYPE=twitter;x-user=hanah:https://twitter.com/hanah\r\n"
           "item1.X-ABLabel:Twitter\r\n"
           "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/hana\r\n"
           "END:VCARD\r\n")


def handle_lines(card) -> list[tuple[str, str, str, tuple]]:
    return [(p.group, p.name, p.value, tuple(p.params)) for p in card.properties
            if p.name in ("IMPP", "X-SOCIALPROFILE", "X-ABLABEL")]


def test_editing_handles_keeps_impp_and_social_profiles_on_their_own_lines(
        window, store, qtbot):
    """The editor showed IMPP and X-SOCIALPROFILE in one list but saved them as IMPP
    with each list's own indexes: a social profile landed on the IMPP line's params, or
    became a second IMPP line. Each now goes back to its own line, exactly."""
    cid = store.add_contact(parse_card_text(HANDLES))
    before = handle_lines(store.get_card(cid))
    open_contact(window, cid)
    detail = window.detail
    detail.start_editing("handles")
    assert [r[2].text() for r in detail.impps.rows] == [
        "skype:hana.h", "https://twitter.com/hanah", "https://www.linkedin.com/in/hana"]
    edit = detail.impps.add_row(focus=True)  # a new handle, typed in
    detail.impps.rows[-1][1].setCurrentText("telegram")
    qtbot.keyClicks(edit, "@hana")
    assert detail.save()
    after = handle_lines(store.get_card(cid))
    assert [line for line in after if line in before] == before  # each as it was, exactly
    assert [line for line in after if line not in before] == [
        ("", "IMPP", "@hana", (("TYPE", "telegram"),))]  # beside the other IMPP line

    detail.start_editing("handles")  # now change the second social profile only
    linkedin = detail.impps.rows[3][2]  # IMPP skype, IMPP @hana, twitter, linkedin
    linkedin.setText("https://www.linkedin.com/in/hana-h")
    detail.impps.changed.emit()
    assert detail.save()
    card = store.get_card(cid)
    assert [(p.name, p.value) for p in card.properties if p.name in ("IMPP", "X-SOCIALPROFILE")
            ] == [("IMPP", "skype:hana.h"), ("IMPP", "@hana"),
                  ("X-SOCIALPROFILE", "https://twitter.com/hanah"),
                  ("X-SOCIALPROFILE", "https://www.linkedin.com/in/hana-h")]
    assert before[1] in handle_lines(card) and before[2] in handle_lines(card)  # twitter's

    detail.start_editing("handles")  # and remove the twitter profile
    detail.impps.rows[2][0].findChildren(QToolButton)[0].click()
    assert detail.save()
    card = store.get_card(cid)
    assert [p.value for p in card.properties if p.name == "X-SOCIALPROFILE"] == [
        "https://www.linkedin.com/in/hana-h"]
    assert not [p for p in card.properties if p.name == "X-ABLABEL"]  # its label went too


def test_dates_read_one_way_on_the_card_the_log_and_the_merge(window, store, qtbot):
    """The card said "overdue since 18 Oct 2026 · last contacted 2026-07-20", the birthday
    "1992-10-21", the log ISO: every date the window isn't editing now reads alike."""
    cid = store.add_contact(make_card("Ana Lima", birthday="1992-10-21"))
    twin = store.add_contact(make_card("Ana Lima", birthday="--12-24"))
    networking.set_networking(store, cid, rhythm_days=30, met_on=dt.date(2025, 10, 1),
                              met_where="the bakery fair", follow_up=dt.date(2025, 12, 3),
                              follow_up_note="send the recipe")
    networking.log_interaction(store, cid, on=dt.date(2025, 10, 20), kind="call")
    open_contact(window, cid)
    card = window.detail.card_view
    assert [v.full_text for v in card.values("dates")] == ["21 Oct 1992"]
    assert card.network_summary.text().startswith(
        "Next due: overdue since 19 Nov 2025 · last contacted 20 Oct 2025")
    network = [v.full_text for v in card.values("network")]
    assert "1 Oct 2025 · the bakery fair" in network
    assert "Wed 3 Dec 2025 · send the recipe" in network
    log = window.detail.log_model
    assert log.data(log.index(0, 0)) == "20 Oct 2025"
    open_contact(window, twin)
    dates = window.detail.card_view.values("dates")
    assert [v.full_text for v in dates] == ["24 Dec"]  # no year kept, none shown
    dialog = window.find_duplicates()
    with qtbot.waitSignal(dialog.searched):
        pass
    dialog.keep_combo.setCurrentIndex(dialog.keep_combo.findData(cid))
    model = dialog.fields
    fields = {model.data(model.index(r, 0)): model.data(model.index(r, 1))
              for r in range(model.rowCount())}
    assert fields["Met on"] == "1 Oct 2025" and fields["Follow up on"] == "3 Dec 2025"
    assert fields["Birthday"] == "21 Oct 1992"
    dialog.close()


def test_edit_is_a_mode_ctrl_e_double_click_save_revert(window, store, ana, qtbot):
    open_contact(window, ana)
    detail = window.detail
    assert detail.edit_button.isVisible() and not detail.save_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert detail.editing and detail.edit_form.isVisible() and detail.save_button.isVisible()
    detail.revert()
    assert not detail.editing and detail.card_view.isVisible()
    email = detail.card_view.values("emails")[0]
    qtbot.mouseDClick(email, Qt.MouseButton.LeftButton)
    assert detail.editing
    assert detail.emails.rows[0][2].hasFocus()  # the field double-clicked
    detail.emails.rows[0][2].setText("ana@bakers.example")
    detail.emails.changed.emit()
    assert detail.save()
    assert not detail.editing
    assert [v.full_text for v in detail.card_view.values("emails")] == ["ana@bakers.example"]


def test_a_newly_opened_contact_starts_at_the_top(window, store, ana, qtbot):
    long_note = "\n".join(f"line {i}" for i in range(200))
    other = store.add_contact(make_card("Zed Long", note=long_note,
                                        phones=[f"+1 555 010 01{i:02}" for i in range(20)]))
    window.resize(1024, 700)
    open_contact(window, other)
    bar = window.detail.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    window.select_contact(ana)
    qtbot.wait(10)
    assert bar.value() == 0


# -- a window that fits --------------------------------------------------------------------


def test_at_1024x700_the_phone_value_stays_readable(qtbot, store, ana, settings):
    win = make_window(qtbot, store, settings)
    win.resize(1024, 700)
    win.set_panel_below(True) if win.width() < 1280 else None
    open_contact(win, ana)
    qtbot.wait(20)
    assert win.dockWidgetArea(win.week_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    phone = win.detail.card_view.values("phones")[0]
    needed = phone.fontMetrics().horizontalAdvance("+1 555 010 0001")
    assert phone.width() >= needed, "the whole number fits, not just its label"
    assert phone.text() == "+1 555 010 0001"
    top_left = phone.mapTo(win, QPoint(0, 0))
    assert win.rect().contains(QRect(top_left, phone.size()))
    assert not phone.visibleRegion().isEmpty()
    assert win.detail.width() >= 380
    win.close()


def test_at_1024x700_double_clicking_a_phone_shows_its_field_to_type_in(qtbot, store, ana,
                                                                         settings):
    win = make_window(qtbot, store, settings, size=(1024, 700))
    win.set_panel_below(True)
    open_contact(win, ana)
    qtbot.wait(20)
    phone = win.detail.card_view.values("phones")[0]
    qtbot.mouseClick(phone, Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(phone, Qt.MouseButton.LeftButton)
    field = QApplication.focusWidget()
    assert field is win.detail.phones.rows[0][2]
    viewport = win.detail.scroll_area.viewport()

    def in_view() -> bool:
        top = field.mapTo(viewport, QPoint(0, 0)).y()
        return top >= 0 and top + field.height() <= viewport.height()

    qtbot.wait(100)  # the form laid out, and scrolled
    assert in_view()  # where the typing goes can be seen
    win.detail.revert()
    win.close()


def test_a_narrow_first_start_docks_the_panel_below(qtbot, store, settings, monkeypatch):
    monkeypatch.setattr(MainWindow, "_first_size", lambda self: self.resize(1024, 700))
    win = make_window(qtbot, store, settings, size=(1024, 700))
    assert win.dockWidgetArea(win.week_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert win.panel_below_action.isChecked()
    win.set_panel_below(False)
    assert win.dockWidgetArea(win.week_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    win.week_dock.toggleViewAction().trigger()  # F9 collapses it
    assert not win.week_dock.isVisible()
    win.close()


def test_at_1024x700_the_panel_below_shows_people_side_by_side_and_folds(
        qtbot, store, settings, monkeypatch):
    """Docked below, a third of the height showed barely one planned person: now rows
    stand side by side, and one click folds the panel so the card and list get the room;
    the fold is remembered."""
    for name in ("Ben Okafor", "Cy Chen", "Dee Diallo"):
        cid = store.add_contact(make_card(name))
        networking.set_networking(store, cid, follow_up=TODAY, follow_up_note="call back")
    monkeypatch.setattr(MainWindow, "_first_size", lambda self: self.resize(1024, 700))
    win = make_window(qtbot, store, settings, size=(1024, 700))
    panel = win.week_panel
    qtbot.waitUntil(lambda: len(panel.rows()) == 3 and panel.wide and panel.columns == 2)
    first, second = panel.rows()[:2]
    qtbot.waitUntil(lambda: first.y() == second.y() and second.x() > first.x())
    assert win.week_dock.height() >= 0.4 * win.height()
    card_height = win.detail.height()
    qtbot.mouseClick(panel.collapse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.week_dock.height() < 100)
    # the card gets the room once the window has laid itself out again (a busy machine:
    # an event loop turn or two after the dock folded)
    qtbot.waitUntil(lambda: win.detail.height() > card_height + 150)
    win.close()
    again = make_window(qtbot, store, settings, size=(1024, 700))
    assert again.week_panel.collapsed
    qtbot.mouseClick(again.week_panel.collapse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.week_dock.height() >= 0.4 * again.height())
    again.close()


def test_a_long_email_shows_its_start(window, store, qtbot):
    address = "a.very.long.address.that.goes.on.and.on@partnerships.example-company.example"
    cid = store.add_contact(make_card("Ana Long", emails=[address]))
    window.resize(1024, 700)
    open_contact(window, cid)
    label = window.detail.card_view.values("emails")[0]
    label.resize(200, label.height())
    qtbot.wait(5)
    assert label.text().startswith("a.very.long") and label.text().endswith("…")
    assert label.accessibleName() == address


# -- the keyboard ---------------------------------------------------------------------------


def test_tab_goes_search_list_card_panel(window, store, ana, qtbot):
    store.add_contact(make_card("Ben Okafor"))
    networking.set_networking(store, ana, rhythm_days=7)
    open_contact(window, ana)
    window.week_panel.refresh()
    qtbot.wait(10)  # the card's new rows are shown by the layout's queued show
    window.search.setFocus()
    seen = []
    for _ in range(30):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen[0] is window.view
    assert isinstance(seen[1], ActionLabel) and seen[1].full_text == "+1 555 010 0001"
    assert window.detail.isAncestorOf(seen[1])
    assert any(window.week_panel.isAncestorOf(w) for w in seen)
    first_panel = next(i for i, w in enumerate(seen) if window.week_panel.isAncestorOf(w))
    assert all(window.detail.isAncestorOf(w) for w in seen[1:first_panel])
    # the card in reading order: its values, the sections, the log, then Edit under it
    detail = window.detail
    assert seen.index(detail.log_button) < seen.index(detail.edit_button) == first_panel - 1
    assert not any(isinstance(w, QScrollArea) for w in seen[:first_panel])


def tab_through(qtbot, until, most: int = 80) -> list:
    """Press Tab from where the keyboard is until `until` has the focus."""
    seen = []
    while QApplication.focusWidget() is not until and len(seen) < most:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_in_the_form_goes_through_every_field_in_reading_order(window, ana, qtbot):
    open_contact(window, ana)
    detail = window.detail
    detail.start_editing("name")
    assert detail.given_edit.hasFocus()
    seen = tab_through(qtbot, detail.save_button)
    assert seen[-1] is detail.save_button, "Tab reaches Save without leaving the pane"
    assert all(detail.isAncestorOf(w) for w in seen)
    assert not any(isinstance(w, QScrollArea) for w in seen)
    first_phone = detail.phones.rows[0][2]
    order = [detail.family_edit, detail.fn_edit, detail.org_edit, first_phone,
             detail.phones.add_button, detail.emails.rows[0][2], detail.addresses.add_button,
             detail.note_edit, detail.follow_up_note_edit, detail.log_button,
             detail.revert_button]
    assert [seen.index(w) for w in order] == sorted(seen.index(w) for w in order)
    # a phone added from the keyboard sits in the Tab order where it shows: last
    detail.phones.add_button.setFocus()
    qtbot.keyClick(detail.phones.add_button, Qt.Key.Key_Space)
    new_row, _kind, new_edit, _v = detail.phones.rows[-1]
    assert len(detail.phones.rows) == 4 and new_edit.hasFocus()
    qtbot.keyClick(new_edit, Qt.Key.Key_Tab)
    assert new_row.isAncestorOf(QApplication.focusWidget())  # its × button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert detail.phones.add_button.hasFocus()


def test_the_card_shows_which_value_the_keyboard_is_on(window, ana, qtbot):
    open_contact(window, ana)
    phone = window.detail.card_view.values("phones")[0]
    window.search.setFocus()
    unfocused = phone.grab().toImage()
    phone.setFocus()
    qtbot.waitUntil(phone.hasFocus)
    focused = phone.grab().toImage()
    assert focused != unfocused  # a ring is drawn: Enter would call this number
    highlight = phone.palette().color(QPalette.ColorRole.Highlight)
    edge = [focused.pixelColor(x, focused.height() // 2) for x in range(3)]
    assert any(abs(c.red() - highlight.red()) + abs(c.blue() - highlight.blue()) < 90
               for c in edge)


def test_the_list_shows_a_focus_ring(window, ana, qtbot):
    open_contact(window, ana)
    window.search.setFocus()
    qtbot.waitUntil(window.search.hasFocus)
    unfocused = window.view.grab().toImage()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    assert window.view.grab().toImage() != unfocused  # the keyboard's place can be seen
    assert not window.view.tabKeyNavigation()


def test_panel_keys_act_on_the_current_row(window, store, qtbot):
    cid = store.add_contact(make_card("Ana Due"))
    networking.set_networking(store, cid, rhythm_days=7, met_on=TODAY - dt.timedelta(days=30))
    window.refresh_all()
    window.week_panel.refresh()
    row = window.week_panel.row(cid)
    assert row is not None
    row.skip_button.setFocus()
    qtbot.keyClick(row.skip_button, Qt.Key.Key_O)
    assert window.detail.contact_id == cid
    window.week_panel.row(cid).open_button.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K)
    assert window.week_panel.row(cid) is None  # skipped this week


def test_f1_shows_the_shortcuts_and_a_guide(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.help_dialog
    assert dialog.isVisible()
    text = dialog.text.toPlainText()
    assert "Ctrl+E" in text and "Ctrl+Z" in text and "Done, Remind me on" in text
    assert "A short guide" in text
    dialog.close()


# -- undo -------------------------------------------------------------------------------------


def test_ctrl_z_undoes_a_saved_edit(window, store, ana, qtbot):
    open_contact(window, ana)
    detail = window.detail
    detail.start_editing("name")
    detail.org_edit.selectAll()
    qtbot.keyClicks(detail.org_edit, "New Bakery")  # as a user types it
    assert detail.save()
    assert store.get_card(ana).organization == "New Bakery"
    assert window.undo_action.text() == "&Undo Edit of Ana Lima"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.get_card(ana).organization == "Bakers"
    assert detail.subtitle_label.text() == "Bakers"
    assert not window.undo_action.isEnabled()


def test_ctrl_z_still_undoes_a_delete(window, store, ana, qtbot):
    open_contact(window, ana)
    window.delete_selected()
    assert not store.exists(ana)
    window.undo()
    assert store.exists(ana)


def test_ctrl_z_puts_back_a_touch_deleted_from_the_log(window, store, ana, qtbot):
    networking.log_interaction(store, ana, on=TODAY, kind="coffee", note="talked shop")
    open_contact(window, ana)
    detail = window.detail
    detail.log_view.selectRow(0)
    qtbot.mouseClick(detail.delete_log_button, Qt.MouseButton.LeftButton)
    assert detail.log_model.rowCount() == 0
    assert store.get_contact(ana).last_contacted is None
    assert window.undo_action.text() == "&Undo Delete of the coffee on 26 Nov 2025"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert detail.log_model.rowCount() == 1
    assert [r.note for r in networking.interactions(store, ana)] == ["talked shop"]
    assert store.get_contact(ana).last_contacted == TODAY  # and the plan follows again


# -- duplicates -----------------------------------------------------------------------------


def test_find_duplicates_merges_every_field_and_undo_splits_them(window, store, ana, qtbot):
    other = make_card("Ana Lima", phones=["(555) 010-0002", "+1 555 010 0077"],
                      emails=["ana.l@home.example"], tags=["friends"], note="Second card")
    b = store.add_contact(other)
    networking.log_interaction(store, b, on=TODAY, kind="call", note="on b")
    window.refresh_all()
    dialog = window.find_duplicates()
    with qtbot.waitSignal(dialog.searched):  # the search runs off the GUI thread
        pass
    assert dialog.groups.rowCount() == 1
    assert "same phone +15550100002" in dialog.groups.data(dialog.groups.index(0, 1))
    fields = {dialog.fields.data(dialog.fields.index(r, 0)): dialog.fields.data(
        dialog.fields.index(r, 1)) for r in range(dialog.fields.rowCount())}
    assert "+1 555 010 0077" in fields["Phones"] and "+1 555 010 0001" in fields["Phones"]
    keep = dialog.keep_combo.currentData()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.groups.rowCount() == 0
    card = store.get_card(keep)
    assert sorted(p.value for p in card.phones) == ["+1 555 010 0001", "+1 555 010 0002",
                                                    "+1 555 010 0009", "+1 555 010 0077"]
    assert sorted(e.value for e in card.emails) == ["ana.l@home.example", "ana@example.org"]
    assert card.categories == ["friends"] and "Second card" in card.note
    assert [a.street for a in card.addresses] == ["1 Main St"]
    assert [r.note for r in networking.interactions(store, keep)] == ["on b"]
    assert store.count() == 1
    assert window.detail.contact_id == keep
    dialog.close()
    window.undo()
    assert store.count() == 2
    assert [p.value for p in store.get_card(b).phones] == ["(555) 010-0002",
                                                           "+1 555 010 0077"]


@contextlib.contextmanager
def worker_held():
    """The only worker thread held busy until the block sets the event it gets (or ends):
    a job started meanwhile waits its turn, so Cancel can be pressed before it runs."""
    pool = QThreadPool.globalInstance()
    threads = pool.maxThreadCount()
    release = threading.Event()

    class Busy(QRunnable):
        def run(self) -> None:
            release.wait(10)

    pool.setMaxThreadCount(1)
    busy = Busy()
    pool.start(busy)
    try:
        yield release
    finally:
        release.set()
        pool.waitForDone(10_000)
        pool.setMaxThreadCount(threads)


def press_cancel(parent) -> None:
    """The Cancel of the progress a job shows over `parent`."""
    progress = parent.findChild(QProgressDialog)
    progress.findChild(QPushButton).click()


def test_find_duplicates_searches_off_the_window_and_can_be_cancelled(window, store, qtbot):
    """The search runs on a worker (two seconds at 50,000 contacts): the dialog says it is
    looking, Cancel stops it, Search Again finds the groups; a merge takes only its own
    group off the list."""
    for name, phone in (("Ana Lima", "+1 555 010 0001"), ("Ben Okafor", "+1 555 010 0002")):
        store.add_contact(make_card(name, phones=[phone]))
        store.add_contact(make_card(name, phones=[phone.replace("+1 ", "")]))
    window.refresh_all()
    with worker_held() as release:
        dialog = window.find_duplicates()
        assert dialog.searching
        assert dialog.summary.text() == "Looking for probable duplicates…"
        assert not dialog.merge_button.isEnabled()
        press_cancel(dialog)
        with qtbot.waitSignal(dialog.searched, timeout=10_000):
            release.set()
    assert dialog.summary.text().startswith("Search cancelled")
    assert dialog.groups.rowCount() == 0
    with qtbot.waitSignal(dialog.searched):
        qtbot.mouseClick(dialog.again_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == "2 groups of probable duplicates"
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert not dialog.searching  # the other group stays without a new search
    assert [g.contacts[0][1] for _c, g in dialog.groups.rows] == ["Ben Okafor"]
    assert store.count() == 3
    dialog.close()


# -- tags and several contacts ----------------------------------------------------------------


def test_tag_untag_and_set_rhythm_on_several_selected(window, store, qtbot):
    ids = [store.add_contact(make_card(n)) for n in ("Ana A", "Ben B", "Cy C")]
    window.refresh_all()
    window.view.selectAll()
    assert sorted(window.selected_ids()) == ids
    window.ask_tag = lambda title, label, tags: "conference"
    window.tag_selected()
    qtbot.waitUntil(lambda: window.several_job is None)
    assert all(store.get_card(i).categories == ["conference"] for i in ids)
    assert window.filter_combo.findData("tag:conference") >= 0
    window.ask_rhythm = lambda count: (None, "inner")
    window.rhythm_selected()
    qtbot.waitUntil(lambda: window.several_job is None)
    assert {store.get_contact(i).circle for i in ids} == {"inner"}
    window.view.selectAll()
    window.untag_selected()
    qtbot.waitUntil(lambda: window.several_job is None)
    assert all(store.get_card(i).categories == [] for i in ids)


def test_tagging_hundreds_runs_beside_the_window_and_cancel_changes_nothing(
        window, store, qtbot):
    ids = [store.add_contact(make_card(f"Person {n:03d}")) for n in range(120)]
    window.refresh_all()
    window.view.selectAll()
    window.ask_tag = lambda title, label, tags: "conference"
    with worker_held() as release:
        window.tag_selected()
        assert window.several_job is not None  # the window is free meanwhile
        press_cancel(window)
        release.set()
        qtbot.waitUntil(lambda: window.several_job is None, timeout=10_000)
    assert window.statusBar().currentMessage() == "Cancelled — nothing was changed"
    assert operations.tags_of(store, ids) == []
    window.tag_selected()
    qtbot.waitUntil(lambda: window.several_job is None, timeout=20_000)
    assert window.statusBar().currentMessage() == "Tagged 120 contacts “conference”"
    assert all(store.get_card(i).categories == ["conference"] for i in ids)
    assert sorted(window.selected_ids()) == ids  # still selected for the next action


def test_tag_manager_renames_merges_and_deletes(window, store, qtbot):
    a = store.add_contact(make_card("Ana A", tags=["client"]))
    b = store.add_contact(make_card("Ben B", tags=["clients", "old"]))
    window.refresh_all()
    dialog = window.manage_tags()
    rows = [(dialog.model.data(dialog.model.index(r, 0)),
             dialog.model.data(dialog.model.index(r, 1))) for r in range(dialog.model.rowCount())]
    assert rows == [("client", "1"), ("clients", "1"), ("old", "1")]
    dialog.view.selectRow(0)
    dialog.ask_name = lambda old: "clients"
    dialog.rename()
    assert store.get_card(a).categories == ["clients"]
    assert dialog.model.rowCount() == 2
    dialog.view.selectRow(1)
    dialog.confirm_delete = lambda tag, n: True
    dialog.delete()
    assert store.get_card(b).categories == ["clients"]
    assert window.filter_combo.findData("tag:old") == -1
    dialog.close()


def test_text_table_model_passes_modeltester(qtmodeltester):
    model = TextTableModel(("A", "B"))
    model.set_rows([(["x", "1"], "x"), (["y", "2"], None)])
    qtmodeltester.check(model)


# -- import you can check ------------------------------------------------------------------------


def test_import_preview_shows_phones_emails_and_photo(qtbot, store, tmp_path):
    from netbook.data.importing import plan_import
    from netbook.ui.import_dialog import ImportPreviewDialog

    card = make_card("Nina New", phones=["+1 555 010 0100"], emails=["nina@example.org"])
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "teal").save(out, "PNG")
    card.set_photo(out.getvalue(), "image/png")
    from netbook.data.vcard.writer import card_to_bytes

    path = tmp_path / "n.vcf"
    path.write_bytes(card_to_bytes(card))
    dialog = ImportPreviewDialog(None, plan_import(store, [path]))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.view.selectRow(0)
    text = dialog.detail.toPlainText()
    assert "Phone (cell): +1 555 010 0100" in text
    assert "Email (work): nina@example.org" in text
    assert dialog.photo.isVisible() and not dialog.photo.pixmap().isNull()


def test_after_an_import_the_list_offers_imported_just_now(window, store, tmp_path, qtbot):
    from netbook.data.models import Contact
    from netbook.data.vcard.writer import card_to_bytes
    from netbook.ui.import_dialog import ImportPreviewDialog

    old = store.add_contact(make_card("Old Friend"))
    Contact.update(updated_at=dt.datetime(2020, 1, 1)).where(Contact.id == old).execute()
    path = tmp_path / "new.vcf"
    path.write_bytes(card_to_bytes(make_card("Nina New")) + card_to_bytes(make_card("Ola New")))
    window.refresh_all()
    window.import_files([path])  # File ▸ Import, the preview, Import
    qtbot.waitUntil(lambda: window.findChild(ImportPreviewDialog) is not None, timeout=10_000)
    window.findChild(ImportPreviewDialog).import_button.click()
    qtbot.waitUntil(lambda: window.filter_combo.currentText() == "Imported just now",
                    timeout=10_000)
    names = [window.model.data(window.model.index(r, 0))
             for r in range(window.model.rowCount())]
    assert sorted(names) == ["Nina New", "Ola New"]
    window.refresh_all()  # a later change keeps the entry
    assert window.filter_combo.findText("Imported just now") >= 0
    export = window.export_files()  # the whole book stays the first choice, not the 2 new
    assert export.all_radio.isChecked() and export.shown_radio.isVisible()
    assert "Imported just now (2 contacts)" in export.shown_radio.text()
    export.reject()


# -- settings and the theme --------------------------------------------------------------------


def test_settings_pages_save_the_book_and_the_theme_applies_at_once(window, store, qtbot):
    from netbook.data import settings as book

    dialog = window.open_settings()
    assert dialog.titles == ["Weekly block", "Circles", "Week and region", "Appearance",
                             "Reminders", "Accounts"]
    dialog.block_form.minutes_spin.setValue(45)
    dialog.circle_spins["inner"].setValue(10)
    dialog.weekday_combo.setCurrentIndex(dialog.weekday_combo.findData(0))
    dialog.region_combo.setCurrentIndex(dialog.region_combo.findData("DE"))
    dialog.page("Reminders").alarm_spin.setValue(25)  # the reminders helper's own page
    dialog.theme_radios["dark"].setChecked(True)
    app = QApplication.instance()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 128
    assert app.style().name().lower() == "fusion"
    dialog.accept()
    assert book.block_settings(store).minutes == 45
    assert book.circle_days(store)["inner"] == 10
    assert book.first_weekday(store, 6) == 0 and store.region == "DE"
    assert book.block_settings(store).alarm_minutes == 25
    dialog2 = window.open_settings()
    dialog2.theme_radios["system"].setChecked(True)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() >= 128
    dialog2.accept()


def test_settings_cancel_puts_back_the_theme_it_tried(window, qtbot):
    from netbook.ui import settings as options

    app = QApplication.instance()
    before = options.THEME.get(window.settings)
    dialog = window.open_settings("Appearance")
    dialog.theme_radios["dark"].setChecked(True)  # a preview, at once
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 128
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    assert options.THEME.get(window.settings) == before
    assert app.palette().color(QPalette.ColorRole.Window).lightness() >= 128


def test_a_settings_page_that_refuses_keeps_the_dialog_and_the_week_shows_what_was_saved(
        window, store, qtbot):
    from netbook.data.contacts import StoreError

    class Refusing(QLabel):
        def apply(self):
            raise StoreError("the disk is full; nothing of this page was saved")

    window.settings_pages.append(("Birthdays", lambda parent: Refusing("remind me", parent)))
    dialog = window.open_settings()
    dialog.block_form.minutes_spin.setValue(45)
    dialog.accept()
    assert dialog.isVisible() and "disk is full" in dialog.error.text()
    qtbot.waitUntil(lambda: "of 45 min" in window.week_panel.title_label.text(),
                    timeout=1000)  # the block that is saved
    dialog.reject()


def menu_action(window: MainWindow, menu: str, item: str) -> QAction:
    """The window's menu item as a user finds it: the menu's title, the item's text."""
    bar = next(a.menu() for a in window.menuBar().actions()
               if a.text().replace("&", "") == menu)
    return next(a for a in bar.actions() if a.text().replace("&", "") == item)


def test_block_settings_opens_settings_at_the_block_and_ok_changes_the_plan(window, store,
                                                                            qtbot):
    from netbook.data import settings as book

    assert "Fri 28 Nov" in window.week_panel.title_label.text()
    menu_action(window, "Networking", "Block Settings…").trigger()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Settings"
    assert dialog.stack.currentWidget() is dialog.block_form  # no second form to keep
    form = dialog.block_form
    assert form.day_combo.currentText() == "Friday" and form.minutes_spin.value() == 60
    form.day_combo.setCurrentIndex(0)
    form.start_edit.setTime(QTime(7, 30))
    form.minutes_spin.setValue(90)
    form.touch_spins["call"].setValue(20)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = book.block_settings(store)
    assert (saved.weekday, saved.start, saved.minutes) == (0, dt.time(7, 30), 90)
    assert saved.touch_minutes["call"] == 20
    title = window.week_panel.title_label
    qtbot.waitUntil(lambda: title.text().startswith("Mon 24 Nov, 07:30–09:00 · ")
                    and "of 90 min" in title.text(), timeout=1000)  # once the change is in


def test_the_week_panels_block_button_opens_the_same_page_and_a_refusal_keeps_it(
        window, store, qtbot):
    from netbook.data import settings as book

    qtbot.mouseClick(window.week_panel.settings_button, Qt.MouseButton.LeftButton)
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.stack.currentWidget() is dialog.block_form
    spin = dialog.block_form.minutes_spin
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "1500")  # 25 hours
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # the store said no: stay open, say why
    assert dialog.error.text() == "the block can't be longer than a day"
    assert book.block_settings(store).minutes == 60  # nothing was saved
    assert "of 60 min" in window.week_panel.title_label.text()
    dialog.reject()


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio of two QColors (4.5 and up reads as AA for text)."""
    def luminance(c) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                + 0.0722 * channel(c.blueF()))
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_cards_warnings_read_in_light_and_in_dark(window, store, qtbot):
    from netbook.ui.theme import apply_theme

    evil = store.add_contact(make_card("Evil‮exe.txt", emails=["e@example.org"]))
    store.add_contact(make_card("Other One", emails=["e@example.org"]))
    open_contact(window, evil)
    detail = window.detail
    detail.show_message("Saved elsewhere meanwhile")
    detail._show_shared(store.shared_keys(store.get_card(evil), exclude_id=evil))
    text, back = QPalette.ColorRole.WindowText, QPalette.ColorRole.Window
    try:
        for theme in ("dark", "light"):
            apply_theme(theme)
            qtbot.wait(10)
            window_colour = detail.palette().color(back)
            shared = detail.shared_box.findChild(QWidget, "shared_row")
            for label, behind in ((detail.spoof_label, window_colour),
                                  (detail.banner, None), (shared.findChild(QLabel), None)):
                label.ensurePolished()
                behind = behind or label.palette().color(back)
                assert contrast(label.palette().color(text), behind) >= 4.5, (theme, label)
            banner = detail.banner.palette().color(back)  # no light patch on a dark window
            assert (banner.lightness() < 128) == (window_colour.lightness() < 128), theme
    finally:
        apply_theme("system")


def test_another_feature_adds_a_settings_page(window):
    window.settings_pages.append(("Birthdays", lambda parent: QLabel("remind me", parent)))
    dialog = window.open_settings("Birthdays")
    assert dialog.titles[-3:] == ["Reminders", "Birthdays", "Accounts"]
    assert dialog.stack.currentWidget().text() == "remind me"
    dialog.reject()
    assert isinstance(dialog, QDialog)


def test_below_the_list_a_week_with_nobody_due_leaves_the_card_its_room(qtbot, store,
                                                                        settings):
    from netbook.data.demo import load_demo

    win = make_window(qtbot, store, settings, size=(1024, 700))
    win.set_panel_below(True)
    win.week_panel.refresh()
    panel, dock = win.week_panel, win.week_dock
    assert panel.empty_label.text().startswith("Nobody is due")
    # its header, its buttons and that line: no more, and none of it squeezed or scrolled
    qtbot.waitUntil(lambda: dock.height() < 200)
    assert panel.header.height() >= panel.header.minimumSizeHint().height()
    assert panel.scroll_area.verticalScrollBar().maximum() == 0
    room_when_empty = win.stack.height()
    assert room_when_empty > 0.65 * win.height()
    intro = next(label for label in win.empty_state.findChildren(QLabel)
                 if label.text().startswith("netbook keeps"))
    assert intro.height() >= intro.heightForWidth(intro.width())  # every line of it shows

    win.operation_did_execute(load_demo(store, today=TODAY))  # a week full of people
    qtbot.waitUntil(lambda: not panel.isAncestorOf(panel.empty_label)
                    or panel.empty_label.isHidden())
    qtbot.waitUntil(lambda: dock.height() >= 260)  # its share of the window again
    assert dock.height() <= 0.45 * win.height()  # and no more: the card keeps the rest
    assert win.stack.height() < room_when_empty - 100


def test_the_panel_dragged_from_below_to_the_side_gets_its_side_width(qtbot, store, settings,
                                                                      monkeypatch):
    monkeypatch.setattr(MainWindow, "_first_size", lambda self: self.resize(1300, 760))
    win = make_window(qtbot, store, settings, size=(1300, 760))
    win.set_panel_below(True)
    qtbot.waitUntil(lambda: win.week_panel.wide)
    # what a drag onto the right edge does: the dock changes area
    win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, win.week_dock)
    qtbot.waitUntil(lambda: not win.week_panel.wide)
    qtbot.waitUntil(lambda: win.week_dock.width() < 600)
    assert not win.panel_below_action.isChecked()
    win.close()
