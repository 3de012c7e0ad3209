"""The week panel closes loops and says what it does (issue 14), driven like a user:
Done on a follow-up row asks about the promise; a promise in the note offers the next
follow-up; "Not this week" and "Remind me on …" keep everyone else where they were; a
birthday before the block day sits at the top, "Today".

Fixed dates in the past (Wednesday 26 Nov 2025; block Friday 28 Nov), as in
test_week_panel.py: the store refuses touches dated after the real today.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from helpers import make_card
from PySide6.QtCore import Qt

from netbook.data import networking, settings
from netbook.ui.log_dialog import QuickLogDialog
from netbook.ui.week_panel import WeekPanel

TODAY = date(2025, 11, 26)
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


@pytest.fixture
def week(store):
    settings.set_block(store, minutes=45)
    ids = {}
    ids["ana"] = store.add_contact(make_card("Ana Promise"))
    networking.set_networking(store, ids["ana"], follow_up=date(2025, 11, 20),
                              follow_up_note="promised an intro to Ben")
    for key, name, last in (("olga", "Olga Overdue", date(2025, 6, 1)),
                            ("omar", "Omar Overdue", date(2025, 7, 1)),
                            ("otto", "Otto Overdue", date(2025, 8, 1))):
        ids[key] = store.add_contact(make_card(name))
        networking.set_networking(store, ids[key], rhythm_days=30)
        networking.log_interaction(store, ids[key], on=last, kind="call")
    return store, ids


def make_panel(qtbot, store) -> WeekPanel:
    panel = WeekPanel(store, today=lambda: TODAY, first_weekday=0)
    qtbot.addWidget(panel)
    panel.resize(700, 800)
    panel.show()
    return panel


def the_log_dialog(panel) -> QuickLogDialog:
    [dialog] = [d for d in panel.findChildren(QuickLogDialog) if d.isVisible()]
    return dialog


def names(panel) -> list[str]:
    return [row.item.name for row in panel.rows()]


def test_done_on_a_follow_up_row_and_choosing_kept_clears_the_promise(qtbot, week):
    store, ids = week
    panel = make_panel(qtbot, store)
    before = names(panel)
    assert before == ["Ana Promise", "Olga Overdue", "Omar Overdue"]
    qtbot.mouseClick(panel.row(ids["ana"]).done_button, Qt.MouseButton.LeftButton)
    dialog = the_log_dialog(panel)
    box = dialog.follow_up_box
    assert box is not None
    assert box.promise_label.text() == "The promise: promised an intro to Ben (due Thu 20 Nov)"
    assert box.kept_radio.isChecked()  # "Kept — clear the follow-up" is the default
    qtbot.keyClicks(dialog.note_edit, "Sent the intro")
    with qtbot.waitSignal(panel.changed, timeout=1000):
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
    record = store.get_contact(ids["ana"])
    assert (record.follow_up, record.follow_up_note) == (None, "")
    assert names(panel) == before  # the row stays, done; nobody else moved
    assert panel.row(ids["ana"]).done_mark.text() == "✓ Done"


def test_a_promise_in_the_note_ticks_a_new_follow_up(qtbot, week):
    store, ids = week
    panel = make_panel(qtbot, store)
    qtbot.mouseClick(panel.row(ids["olga"]).done_button, Qt.MouseButton.LeftButton)
    dialog = the_log_dialog(panel)
    box = dialog.follow_up_box
    assert not box.kept_radio.isVisible()  # no promise on this row
    assert not box.new_check.isChecked()
    qtbot.keyClicks(dialog.note_edit, "I'll send the slides")
    assert box.new_check.isChecked()
    assert box.about_edit.text() == "I'll send the slides"
    assert dialog.values()["follow_up"] == date(2025, 12, 3)


def test_a_user_who_unticks_the_new_follow_up_is_not_overruled(qtbot, week):
    store, ids = week
    panel = make_panel(qtbot, store)
    qtbot.mouseClick(panel.row(ids["olga"]).done_button, Qt.MouseButton.LeftButton)
    dialog = the_log_dialog(panel)
    qtbot.keyClicks(dialog.note_edit, "I'll send")
    qtbot.mouseClick(dialog.follow_up_box.new_check, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.note_edit, " it, promised")
    assert not dialog.follow_up_box.new_check.isChecked()
    assert "follow_up" not in dialog.values()


def test_not_this_week_keeps_everyone_else_and_says_what_it_did(qtbot, week):
    store, ids = week
    panel = make_panel(qtbot, store)
    row = panel.row(ids["olga"])
    assert row.skip_button.text() == "Not this week"
    assert row.snooze_button.text() == "Remind me on…"
    assert row.next_week_action.text() == "Remind me on Mon 1 Dec (next week)"
    with qtbot.waitSignal(panel.changed, timeout=1000):
        qtbot.mouseClick(row.skip_button, Qt.MouseButton.LeftButton)
    # Olga's 15 minutes are free: Otto comes in at the end; Ana and Omar stay put
    assert names(panel) == ["Ana Promise", "Omar Overdue", "Otto Overdue"]
    assert panel.notice_label.text() == ("Not this week: Olga Overdue is out of this week's "
                                         "block and comes back next week.")
    with qtbot.waitSignal(panel.changed, timeout=1000):
        qtbot.mouseClick(panel.row(ids["ana"]).skip_button, Qt.MouseButton.LeftButton)
    assert names(panel) == ["Omar Overdue", "Otto Overdue"]


def test_a_birthday_before_the_block_day_sits_at_the_top_today(qtbot, week):
    store, _ids = week
    bea = store.add_contact(make_card("Bea Birthday", birthday="1990-11-26"))
    panel = make_panel(qtbot, store)
    top = panel.rows()[0]
    assert top.item.contact_id == bea
    assert top.why_label.text() == "Birthday on Wed 26 Nov — turns 35"
    assert top.action_label.text() == "Today: Send a birthday message · 5 min"


def test_after_midnight_todays_birthday_is_belated_not_today(qtbot, week):
    """The window stays open for days (the tray): the next day, the same row says the
    birthday was yesterday, and no longer in bold."""
    store, _ids = week
    bea = store.add_contact(make_card("Bea Birthday", birthday="1990-11-26"))
    day = [TODAY]
    panel = WeekPanel(store, today=lambda: day[0], first_weekday=0)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.row(bea).action_label.font().bold()
    day[0] = date(2025, 11, 27)
    panel.refresh()
    row = panel.row(bea)
    assert row.action_label.text() == (
        "Belated (it was Wed 26 Nov): Send a birthday message · 5 min")
    assert not row.action_label.font().bold()


def test_the_window_words_the_week_for_a_new_day_by_itself(qtbot, week, tmp_path):
    """Nobody presses anything: the reminder's clock check notices the day changed."""
    from PySide6.QtCore import QSettings

    from netbook.ui.main_window import MainWindow

    store, _ids = week
    bea = store.add_contact(make_card("Bea Birthday", birthday="1990-11-26"))
    day = [TODAY]
    win = MainWindow(store, today=lambda: day[0],
                     settings=QSettings(str(tmp_path / "n.ini"), QSettings.Format.IniFormat),
                     clock=lambda: datetime.combine(day[0], time(23, 59)))
    qtbot.addWidget(win)
    win.show()
    win.week_panel.refresh()
    assert win.week_panel.row(bea).action_label.text().startswith("Today: ")
    day[0] = date(2025, 11, 27)
    win.reminder.check()
    assert win.week_panel.row(bea).action_label.text().startswith(
        "Belated (it was Wed 26 Nov): ")


def test_a_birthday_today_for_someone_with_a_promise_is_wished_today(qtbot, week):
    """Ana has a follow-up (it outranks a birthday) and her birthday is today, two days
    before the block: her row moves to the top and to today, the wish first."""
    store, ids = week
    card = store.get_card(ids["ana"])
    from netbook.data.vcard.card import PartialDate
    card.set_date("BDAY", PartialDate.parse("--11-26"))
    store.save_card(ids["ana"], card)
    panel = make_panel(qtbot, store)
    top = panel.rows()[0]
    assert top.item.contact_id == ids["ana"] and top.item.reason == "follow_up"
    assert top.action_label.text() == (
        "Today: Wish a happy birthday, then call to follow up · 15 min")
    assert top.action_label.font().bold()
    assert "Birthday on Wed 26 Nov" in top.points_label.text()
