"""The week panel, its quick log form and the block settings, driven like a user would.

The dates are fixed in the past (Wednesday 26 Nov 2025; week Mon 24 – Sun 30 Nov, block
Friday 28 Nov) because the store refuses interactions dated after the real today.
Contacts are made due by a logged past call plus a rhythm, so the real creation date of
the test rows never decides who is in the plan.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import make_card
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QWidget

from netbook.data import networking, operations, plan_queries
from netbook.data.changes import Changes
from netbook.data.models import WeekSkip
from netbook.data.networking import StoreError
from netbook.ui import week_panel
from netbook.ui.log_dialog import QuickLogDialog, SnoozeDialog, qdate
from netbook.ui.week_panel import EMPTY_TEXT, WeekPanel

TODAY = date(2025, 11, 26)  # a Wednesday
WEEK_START = date(2025, 11, 24)
NEXT_WEEK = date(2025, 12, 1)

# Qt's offscreen platform warns on every top-level show() and popup ("This plugin does not
# support propagateSizeHints()/raise()/grabbing the keyboard"): the test platform talking,
# not the panel. (Better once for all UI tests: `qt_log_ignore` in pyproject.toml.)
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def add(store, name: str, *, rhythm: int | None = 30, last: date | None = date(2025, 10, 10),
        org: str = "", note: str = "", **fields) -> int:
    """A contact, due by `rhythm` days since a call on `last` (when given)."""
    cid = store.add_contact(make_card(name, org=org))
    if rhythm is not None or fields:
        networking.set_networking(store, cid, rhythm_days=rhythm, **fields)
    if last is not None:
        networking.log_interaction(store, cid, on=last, kind="call", note=note)
    return cid


@pytest.fixture
def people(store) -> dict[str, int]:
    """Three people due this week, in a known planner order."""
    return {
        "ann": add(store, "Ann Follow", rhythm=None, last=None, follow_up=date(2025, 11, 25),
                   follow_up_note="send the deck"),
        "ben": add(store, "Ben Late", last=date(2025, 8, 1), org="Acme",
                   note="moving to Lisbon"),
        "cat": add(store, "Cat Due", last=date(2025, 10, 10)),
    }


def make_panel(qtbot, store) -> WeekPanel:
    panel = WeekPanel(store, today=lambda: TODAY, first_weekday=0)
    qtbot.addWidget(panel)
    panel.resize(700, 800)
    panel.show()
    return panel


def open_dialog(panel: QWidget, cls):
    """The dialog the panel just opened (non-blocking, so the test can drive it)."""
    dialogs = [d for d in panel.findChildren(cls) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def ok_button(dialog):
    return dialog.buttons.button(dialog.buttons.StandardButton.Ok)


# -- header and rows ------------------------------------------------------------------


def test_header_shows_block_title_minutes_and_progress(qtbot, store, people):
    panel = make_panel(qtbot, store)
    assert panel.title_label.text() == (
        "Fri 28 Nov, 08:00–09:00 · 45 of 60 min planned"
    )
    assert panel.progress_label.text() == "0 of 3 done"
    assert (panel.progress_bar.value(), panel.progress_bar.maximum()) == (0, 3)
    assert panel.streak_weeks == 0
    assert panel.streak_label.text().startswith("No streak yet")
    assert panel.plan.week_start == WEEK_START


def test_rows_follow_planner_order_with_reasons(qtbot, store, people):
    panel = make_panel(qtbot, store)
    rows = panel.rows()
    assert [r.item.contact_id for r in rows] == [people["ann"], people["ben"], people["cat"]]
    assert [r.name_label.text() for r in rows] == ["Ann Follow", "Ben Late", "Cat Due"]
    assert rows[0].why_label.text() == "Follow-up: send the deck"
    assert rows[1].why_label.text() == "Last talked 119 days ago — every month"
    assert rows[1].org_label.text() == "Acme"
    assert rows[1].action_label.text() == "Call to catch up · 15 min"
    assert rows[1].points_label.text() == "• Last time: moving to Lisbon"
    assert not panel.empty_label.isVisible()
    assert all(not r.done_mark.isVisible() for r in rows)


def test_header_buttons_emit_their_signals(qtbot, store, people):
    panel = make_panel(qtbot, store)
    for button, signal in (
        (panel.print_button, panel.print_requested),
        (panel.calendar_button, panel.calendar_requested),
        (panel.log_week_button, panel.log_week_requested),
        (panel.settings_button, panel.settings_requested),
    ):
        with qtbot.waitSignal(signal, timeout=1000):
            click(qtbot, button)


def test_empty_week_says_so_in_words(qtbot, store):
    add(store, "Quiet Person", rhythm=None, last=None)
    panel = make_panel(qtbot, store)
    assert panel.rows() == []
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text() == EMPTY_TEXT
    assert not panel.progress_bar.isVisible()
    assert not panel.log_week_button.isEnabled()


def test_streak_counts_kept_weeks(qtbot, store, people):
    zed = add(store, "Zed Earlier", rhythm=None, last=date(2025, 11, 18))
    plan_queries.record_week(store, WEEK_START - timedelta(days=7), [zed])
    panel = make_panel(qtbot, store)
    assert panel.streak_weeks == 1
    assert panel.streak_label.text() == "Streak: 1 week"


def test_the_streak_follows_a_touch_logged_late_for_last_week(qtbot, store, people):
    """Last week's block was missed by one call; logging that call afterwards, dated
    last week, makes the streak one week at the next refresh."""
    zed = add(store, "Zed Earlier", rhythm=None, last=None)
    yan = add(store, "Yan Before", rhythm=None, last=date(2025, 11, 12))
    plan_queries.record_week(store, WEEK_START - timedelta(days=7), [zed])
    panel = make_panel(qtbot, store)
    assert panel.streak_weeks == 0
    panel.refresh()
    assert panel.streak_weeks == 0
    networking.log_interaction(store, zed, on=date(2025, 11, 19), kind="call")
    panel.refresh()
    assert panel.streak_label.text() == "Streak: 1 week"
    # the week before is found recorded (another netbook wrote it): kept, so two weeks
    plan_queries.record_week(store, WEEK_START - timedelta(days=14), [yan])
    panel.refresh()
    assert panel.streak_weeks == 2


def test_the_streak_shown_follows_changes_made_elsewhere(qtbot, store, people):
    """A call logged afterwards in the detail pane, dated last week, completes last
    week's block: the panel's streak says so once the change is in; deleting that call
    takes the streak away again."""
    zed = add(store, "Zed Earlier", rhythm=None, last=None)
    plan_queries.record_week(store, WEEK_START - timedelta(days=7), [zed])
    panel = make_panel(qtbot, store)
    assert panel.streak_label.text().startswith("No streak yet")
    panel.apply_changes(operations.log_interaction(store, zed, on=date(2025, 11, 19),
                                                   kind="call"))
    qtbot.waitUntil(lambda: panel.streak_label.text() == "Streak: 1 week", timeout=1000)
    (call,) = networking.interactions(store, zed)
    panel.apply_changes(operations.delete_interaction(store, call.id))
    qtbot.waitUntil(lambda: panel.streak_label.text().startswith("No streak yet"),
                    timeout=1000)


def test_a_hidden_panel_plans_nothing_until_shown(qtbot, store, people):
    """Changes made while the panel is hidden (the dock closed) leave it as it was; it
    plans the week once, when shown again, and then shows where the week stands."""
    panel = make_panel(qtbot, store)
    assert panel.progress_label.text() == "0 of 3 done"
    shown = panel.plan
    panel.hide()
    for who in ("ann", "ben"):
        panel.apply_changes(operations.log_interaction(store, people[who], on=TODAY,
                                                       kind="call"))
    qtbot.wait(50)  # any refresh that was coming has had its turn
    assert panel.plan is shown  # not planned again
    assert panel.progress_label.text() == "0 of 3 done"
    panel.show()
    qtbot.waitUntil(lambda: panel.progress_label.text() == "2 of 3 done", timeout=1000)
    assert panel.streak_label.text().startswith("No streak yet")


def test_changes_made_elsewhere_in_a_burst_are_shown_once_it_is_over(qtbot, store, people):
    """A burst of changes (a sync page by page) plans the week once, after the last."""
    panel = make_panel(qtbot, store)
    shown = panel.plan
    for who in ("ann", "ben", "cat"):
        panel.apply_changes(operations.log_interaction(store, people[who], on=TODAY,
                                                       kind="call"))
        assert panel.plan is shown  # not yet: more may come
    qtbot.waitUntil(lambda: panel.progress_label.text() == "3 of 3 done", timeout=1000)
    assert panel.current_plan() is panel.plan  # Print reads the one on show


# -- acting on a row ------------------------------------------------------------------


def test_done_logs_through_the_real_form(qtbot, store, people):
    panel = make_panel(qtbot, store)
    click(qtbot, panel.row(people["ben"]).done_button)
    dialog = open_dialog(panel, QuickLogDialog)
    assert dialog.kind_combo.currentData() == "call"
    assert dialog.date_edit.date() == qdate(TODAY)
    assert dialog.date_edit.maximumDate() == qdate(TODAY)  # no future dates to pick
    assert dialog.neither_radio.isChecked()
    assert not dialog.gift_combo.isEnabled()
    assert dialog.note_edit.toPlainText() == ""
    qtbot.keyClicks(dialog.note_edit, "Talked about the move")

    with qtbot.waitSignal(panel.changed, timeout=1000) as logged:
        click(qtbot, ok_button(dialog))
    assert logged.args == [Changes(contacts={people["ben"]}, interactions=True, plan=True)]

    latest = networking.interactions(store, people["ben"])[0]
    assert (latest.on, latest.kind, latest.note, latest.exchange) == (
        TODAY, "call", "Talked about the move", "")
    row = panel.row(people["ben"])
    assert row.item.done
    assert row.done_mark.isVisible() and row.done_mark.text() == "✓ Done"
    assert row.name_label.font().strikeOut()
    assert not row.done_button.isEnabled()
    assert panel.progress_label.text() == "1 of 3 done"
    assert panel.progress_bar.value() == 1
    assert [r.item.contact_id for r in panel.rows()][1] == people["ben"]  # no reshuffle


def test_done_on_give_first_prefills_what_to_give(qtbot, store):
    gus = add(store, "Gus Giver", rhythm=None, last=None,
              offers="happy to give advice on hiring")
    for on in (date(2025, 9, 1), date(2025, 10, 1)):
        networking.log_interaction(store, gus, on=on, kind="call", exchange="asked")
    panel = make_panel(qtbot, store)
    row = panel.row(gus)
    assert row.item.reason == "give_first"
    assert "give advice" in row.action_label.text()

    click(qtbot, row.done_button)
    dialog = open_dialog(panel, QuickLogDialog)
    assert dialog.gave_radio.isChecked()
    assert dialog.gift_combo.isEnabled()
    assert dialog.gift_combo.currentData() == "advice"
    with qtbot.waitSignal(panel.changed, timeout=1000):
        click(qtbot, ok_button(dialog))
    latest = networking.interactions(store, gus)[0]
    assert (latest.exchange, latest.gift) == ("gave", "advice")


def test_done_on_a_give_first_introduction_makes_the_introduction(qtbot, store):
    """Gus asked twice and needs a designer, Mia does design: Done on his row is the
    introduction itself (logged with both, and the follow-up), as its Introduce button,
    not a touch logged with Gus alone."""
    mia = add(store, "Mia Design", rhythm=None, last=None, does="web design")
    gus = add(store, "Gus Giver", rhythm=None, last=None, needs="a web designer")
    for on in (date(2025, 9, 1), date(2025, 10, 1)):
        networking.log_interaction(store, gus, on=on, kind="call", exchange="asked")
    panel = make_panel(qtbot, store)
    row = panel.row(gus)
    assert (row.item.reason, row.item.gift, row.item.partner_id) == (
        "give_first", "introduction", mia)
    with qtbot.waitSignal(panel.introduce_requested, timeout=1000) as asked:
        click(qtbot, row.done_button)
    assert asked.args == [gus, mia]
    assert [d for d in panel.findChildren(QuickLogDialog) if d.isVisible()] == []


def test_snooze_until_next_week_then_undo(qtbot, store, people):
    panel = make_panel(qtbot, store)
    row = panel.row(people["ben"])
    click(qtbot, row.snooze_button)
    menu = row.snooze_menu
    qtbot.waitUntil(menu.isVisible, timeout=1000)
    with qtbot.waitSignal(panel.changed, timeout=1000) as snoozed:
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                         pos=menu.actionGeometry(row.next_week_action).center())
    assert snoozed.args == [Changes(contacts={people["ben"]}, plan=True)]

    assert store.get_contact(people["ben"]).snoozed_until == NEXT_WEEK
    assert panel.row(people["ben"]) is None
    assert panel.notice_label.text() == ("Remind me on Mon 1 Dec: Ben Late is out of the plan "
                                         "until then.")

    with qtbot.waitSignal(panel.changed, timeout=1000):
        click(qtbot, panel.undo_button)
    assert store.get_contact(people["ben"]).snoozed_until is None
    assert panel.row(people["ben"]) is not None
    assert not panel.notice.isVisible()


def test_undoing_a_snooze_puts_back_the_earlier_snooze_day(qtbot, store, people):
    """Ben was snoozed until Monday of this week (so he is back in it); snoozing him
    again and taking it back leaves that Monday as it was, not nothing."""
    networking.snooze(store, people["ben"], WEEK_START)
    panel = make_panel(qtbot, store)
    panel.snooze_next_week(panel.row(people["ben"]).item)
    assert store.get_contact(people["ben"]).snoozed_until == NEXT_WEEK
    click(qtbot, panel.undo_button)
    assert store.get_contact(people["ben"]).snoozed_until == WEEK_START
    assert panel.row(people["ben"]) is not None


def test_snooze_until_a_chosen_date(qtbot, store, people):
    panel = make_panel(qtbot, store)
    panel.row(people["cat"]).date_action.trigger()
    dialog = open_dialog(panel, SnoozeDialog)
    assert dialog.date_edit.minimumDate() == qdate(NEXT_WEEK)  # this week is not a choice
    dialog.date_edit.setDate(QDate(2026, 1, 5))
    with qtbot.waitSignal(panel.changed, timeout=1000):
        click(qtbot, ok_button(dialog))
    assert store.get_contact(people["cat"]).snoozed_until == date(2026, 1, 5)
    assert panel.row(people["cat"]) is None
    assert panel.progress_label.text() == "0 of 2 done"


def test_skip_this_week_then_undo(qtbot, store, people):
    panel = make_panel(qtbot, store)
    with qtbot.waitSignal(panel.changed, timeout=1000) as skipped:
        click(qtbot, panel.row(people["ann"]).skip_button)
    assert skipped.args == [Changes(plan=True)]  # the plan only: no contact row changed
    assert panel.row(people["ann"]) is None
    assert WeekSkip.select().where((WeekSkip.contact == people["ann"])
                                   & (WeekSkip.week_start == WEEK_START)).exists()
    assert panel.notice_label.text() == ("Not this week: Ann Follow is out of this week's "
                                         "block and comes back next week.")

    click(qtbot, panel.undo_button)
    assert panel.row(people["ann"]) is not None
    assert not WeekSkip.select().exists()


def test_open_contact_emits_the_id(qtbot, store, people):
    panel = make_panel(qtbot, store)
    with qtbot.waitSignal(panel.open_contact, timeout=1000) as blocker:
        click(qtbot, panel.row(people["cat"]).open_button)
    assert blocker.args == [people["cat"]]


def test_acting_on_a_deleted_contact_says_why(qtbot, store, people):
    panel = make_panel(qtbot, store)
    row = panel.row(people["cat"])
    store.delete_contacts([people["cat"]])  # gone elsewhere while the panel was stale
    with qtbot.assertNotEmitted(panel.changed):
        row.next_week_action.trigger()
    assert "is in the trash; restore it first" in panel.notice_label.text()
    assert panel.row(people["cat"]) is None


def test_refresh_picks_up_a_change_made_elsewhere(qtbot, store, people):
    panel = make_panel(qtbot, store)
    rows_before = panel.rows()
    panel.refresh()
    assert panel.rows() == rows_before  # nothing changed: the rows are kept, not rebuilt

    networking.log_interaction(store, people["cat"], on=TODAY - timedelta(days=1), kind="email")
    with qtbot.assertNotEmitted(panel.changed):  # no loop with the main window
        panel.refresh()
    assert panel.row(people["cat"]).item.done
    assert panel.progress_label.text() == "1 of 3 done"


def test_refresh_soon_coalesces_and_waits_while_hidden(qtbot, store, people, monkeypatch):
    panel = make_panel(qtbot, store)
    loads: list[date] = []
    real_load = week_panel.week.load_plan
    monkeypatch.setattr(week_panel.week, "load_plan",
                        lambda *args: loads.append(args[1]) or real_load(*args))
    for _ in range(3):
        panel.refresh_soon()
    qtbot.waitUntil(lambda: len(loads) == 1, timeout=1000)

    panel.hide()
    networking.log_interaction(store, people["ann"], on=TODAY, kind="call")
    panel.refresh_soon()
    qtbot.wait(20)
    assert len(loads) == 1  # nothing paid while hidden
    panel.show()
    qtbot.waitUntil(lambda: panel.row(people["ann"]).item.done, timeout=1000)
    assert len(loads) == 2


def test_print_and_log_this_week_act_on_todays_plan_even_while_hidden(qtbot, store, people):
    panel = make_panel(qtbot, store)
    panel.hide()  # the week panel closed; Print and Log this week stay in the menus
    networking.log_interaction(store, people["ann"], on=TODAY, kind="call")
    panel.refresh_soon()
    plan = panel.current_plan()
    assert next(i for i in plan.items if i.contact_id == people["ann"]).done


def test_the_menus_have_a_plan_before_the_panel_first_loads(qtbot, store, people):
    panel = WeekPanel(store, today=lambda: TODAY, first_weekday=0, load=False)
    qtbot.addWidget(panel)
    assert panel.plan is None
    assert panel.current_plan().week_start == WEEK_START


# -- untrusted text -------------------------------------------------------------------


def test_names_and_notes_are_plain_text(qtbot, store):
    bob = add(store, "<b>Bob</b>", org="<i>Evil</i> Corp", note="<img src=/dev/zero>",
              last=date(2025, 9, 1))
    panel = make_panel(qtbot, store)
    row = panel.row(bob)
    assert row.name_label.text() == "<b>Bob</b>"
    assert row.org_label.text() == "<i>Evil</i> Corp"
    assert row.points_label.text() == "• Last time: <img src=/dev/zero>"
    labels = panel.findChildren(QLabel)
    assert labels and all(lbl.textFormat() == Qt.TextFormat.PlainText for lbl in labels)
    for widget in panel.findChildren(QWidget):
        assert "<b>Bob</b>" not in widget.toolTip()

    click(qtbot, row.skip_button)  # the notice names them too
    assert panel.notice_label.text().startswith("Not this week: <b>Bob</b> is out of")
    assert panel.notice_label.textFormat() == Qt.TextFormat.PlainText
    click(qtbot, panel.undo_button)

    click(qtbot, panel.row(bob).done_button)
    dialog = open_dialog(panel, QuickLogDialog)
    assert dialog.heading.text() == "What happened with <b>Bob</b>?"
    named = [lbl for lbl in dialog.findChildren(QLabel) if "Bob" in lbl.text()]
    assert named and all(lbl.textFormat() == Qt.TextFormat.PlainText for lbl in named)
    dialog.reject()


# -- the dialogs on their own ---------------------------------------------------------


def test_quick_log_dialog_values_and_refusal(qtbot):
    refused: list[dict] = []

    def save(values: dict) -> None:
        refused.append(values)
        raise StoreError("contact 7 does not exist (deleted?)")

    dialog = QuickLogDialog(None, "Ann", kind="email", note="hello", on=date(2025, 11, 20),
                            today=lambda: TODAY, save=save)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.date_edit.setDate(qdate(TODAY + timedelta(days=3)))
    assert dialog.date_edit.date() == qdate(TODAY)  # clamped: the future can't be chosen
    click(qtbot, dialog.asked_radio)
    assert dialog.values() == {"on": TODAY, "kind": "email", "note": "hello",
                               "exchange": "asked", "gift": ""}

    click(qtbot, ok_button(dialog))
    assert refused and dialog.isVisible()  # the store said no: stay open, say why
    assert dialog.error.isVisible()
    assert dialog.error.text() == "contact 7 does not exist (deleted?)"


def test_quick_log_dialog_rejects_a_future_date(qtbot):
    days = iter([TODAY, TODAY - timedelta(days=1)])  # the clock moved back meanwhile
    dialog = QuickLogDialog(None, "Ann", today=lambda: next(days))
    qtbot.addWidget(dialog)
    dialog.open()
    click(qtbot, ok_button(dialog))
    assert dialog.isVisible()
    assert "can't be in the future" in dialog.error.text()


# -- the panel in the window's two shapes (the polish pass) ----------------------------


def introduced_pair(store) -> tuple[int, int]:
    """A follow-up row whose need meets a job title: the row carries an introduction."""
    lars = add(store, "Lars Andersen", rhythm=None, last=None,
               does="Investor at Fjord Capital, early-stage funds for Nordic software firms")
    james = add(store, "James Whitfield", rhythm=None, last=None, follow_up=TODAY,
                follow_up_note="promised an intro to Ana Silva",
                needs="investors for the seed round")
    return lars, james


def test_a_side_panel_never_scrolls_sideways_and_long_lines_wrap(qtbot, store):
    """At 1440 px the panel is a 480 px side dock: a row with an introduction (five
    buttons, a long sentence) used to push it wider than the dock."""
    _lars, james = introduced_pair(store)
    panel = make_panel(qtbot, store)
    panel.resize(430, 800)
    qtbot.waitUntil(lambda: not panel.wide)
    row = panel.row(james)
    assert row is not None and not row.introduce_button.isHidden()
    assert row.intro_label.text() == (
        "James Whitfield needs investors for the seed round; Lars Andersen (Investor at "
        "Fjord Capital, early-stage funds for Nordic software firms) could help: introduce "
        "them")
    qtbot.waitUntil(lambda: row.introduce_button.geometry().bottom() <= row.width())
    bar = panel.scroll_area.horizontalScrollBar()
    assert bar.isHidden() or bar.maximum() == 0
    viewport = panel.scroll_area.viewport().width()
    assert row.geometry().right() <= viewport
    for widget in (row.intro_label, row.introduce_button, row.open_button):
        assert widget.geometry().right() <= row.contentsRect().right()
    assert row.intro_label.height() > row.intro_label.fontMetrics().height() * 1.5  # wraps
    # the fifth button went to a line of its own instead of past the edge
    assert row.introduce_button.y() > row.done_button.y()


def test_the_panel_heading_does_not_repeat_the_docks_title(qtbot, store, people):
    panel = make_panel(qtbot, store)
    assert panel.title_label.text().startswith("Fri 28 Nov, 08:00–09:00")
    assert week_panel.PANEL_TITLE not in panel.title_label.text()


def test_names_in_the_panel_keep_their_own_direction(qtbot, store):
    """A name with a right-to-left override can't flip the sentence around it (as in the
    list rows and the printed sheet)."""
    evil = "Evil\u202eexe.txt"
    add(store, evil, rhythm=None, last=None, does="web design and brand identities")
    needer = add(store, "ليلى أحمد", rhythm=None, last=None, follow_up=TODAY,
                 follow_up_note="call back", needs="a web designer")
    panel = make_panel(qtbot, store)
    row = panel.row(needer)
    assert row.name_label.text() == "\u2068ليلى أحمد\u2069"
    assert "\u2068Evil\u202eexe.txt\u2069 (web design" in row.intro_label.text()
    assert row.intro_label.text().startswith("\u2068ليلى أحمد\u2069 needs a web designer")
    assert row.introduce_button.text() == "Introduce to \u2068Evil\u202eexe.txt\u2069…"


def test_a_name_with_an_ampersand_is_no_shortcut_on_the_introduce_button(qtbot, store):
    add(store, "Tom & Jerry", rhythm=None, last=None, does="web design")
    needer = add(store, "Ana Needs", rhythm=None, last=None, follow_up=TODAY,
                 follow_up_note="call back", needs="a web designer")
    panel = make_panel(qtbot, store)
    assert panel.row(needer).introduce_button.text() == "Introduce to Tom && Jerry…"


def test_a_wide_low_panel_puts_its_people_side_by_side_and_folds(qtbot, store, people):
    """Docked below at 1024 px: the header takes two lines, rows stand side by side, and
    one click folds the panel to its first line."""
    panel = make_panel(qtbot, store)
    panel.resize(1000, 300)
    qtbot.waitUntil(lambda: panel.wide and panel.columns == 2)
    first, second, third = panel.rows()
    qtbot.waitUntil(lambda: first.y() == second.y() and third.y() > first.y())
    assert second.x() > first.x() + first.width() // 2
    assert panel.block_buttons.y() > panel.title_label.y()
    assert panel.help_field.y() == panel.block_buttons.y()  # one line: buttons and field
    assert not panel.collapse_button.isHidden()
    with qtbot.waitSignal(panel.collapsed_changed) as folded:
        click(qtbot, panel.collapse_button)
    assert folded.args == [True]
    assert panel.scroll_area.isHidden() and panel.help_field.isHidden()
    assert panel.maximumHeight() < 80
    assert panel.collapse_button.accessibleName() == "Show this week's people"
    click(qtbot, panel.collapse_button)
    assert not panel.scroll_area.isHidden()
    panel.resize(800, 800)  # beside the card again: one column, nothing folds
    qtbot.waitUntil(lambda: not panel.wide and panel.columns == 1)
    assert panel.collapse_button.isHidden()
    panel.resize(430, 800)  # and it can be made as narrow as a side dock
    qtbot.waitUntil(lambda: panel.width() == 430)


def test_not_this_week_skips_the_week_holding_today_even_if_the_panel_shows_last_week(
        qtbot, store, people):
    """Left open over the weekend: Monday's "Not this week" is about Monday's week, as
    `netbook week skip` would have it, never the week the panel still showed."""
    day = [TODAY]
    panel = WeekPanel(store, today=lambda: day[0], first_weekday=0)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.plan.week_start == WEEK_START
    day[0] = NEXT_WEEK  # Monday; nothing refreshed the panel yet
    click(qtbot, panel.row(people["ben"]).skip_button)
    assert [(s.contact_id, s.week_start) for s in WeekSkip.select()] == [
        (people["ben"], NEXT_WEEK)]
    assert panel.plan.week_start == NEXT_WEEK
    assert people["ben"] not in [r.item.contact_id for r in panel.rows()]
    click(qtbot, panel.undo_button)
    assert WeekSkip.select().count() == 0


def test_a_planned_number_reads_as_on_the_printed_sheet(qtbot, store):
    """One number reads one way: the panel writes it as the sheet does, for the book's
    region (national at home, international abroad)."""
    from netbook.plan.sheet import dial_format

    cid = store.add_contact(make_card("Pia Phone", phones=["+14155550118"]))
    networking.set_networking(store, cid, follow_up=TODAY, follow_up_note="call back")
    panel = make_panel(qtbot, store)
    shown = panel.row(cid).reach_label.text()
    assert shown == dial_format("+14155550118", store.region)
    assert shown in ("(415) 555-0118", "+1 415-555-0118")
