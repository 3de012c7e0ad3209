"""Log this week: the paper comes back, the form writes the interactions in one go.

The week is in the past (Mon 24 – Sun 30 Nov 2025, block Friday 28 Nov) because the store
refuses interactions dated after the real today. People are put in the plan by a
follow-up date, so the creation date of the test rows never decides who is in it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import make_card
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from netbook.data import networking
from netbook.data.changes import Changes
from netbook.plan.service import load_plan
from netbook.ui.log_week_dialog import (
    LEFT_MESSAGE,
    NOT_REACHED,
    REACHED,
    LogWeekDialog,
)

TODAY = date(2025, 11, 29)  # the Saturday after the block
DAY = date(2025, 11, 26)

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def add(store, name: str, follow_up: date, note: str = "", org: str = "") -> int:
    cid = store.add_contact(make_card(name, org=org))
    networking.set_networking(store, cid, follow_up=follow_up, follow_up_note=note)
    return cid


@pytest.fixture
def people(store) -> dict[str, int]:
    return {
        "ann": add(store, "Ann Reached", date(2025, 11, 24), "send the deck"),
        "bob": add(store, "<b>Bob</b>", date(2025, 11, 25)),
        "cat": add(store, "Cat Message", date(2025, 11, 26)),
    }


def make_dialog(qtbot, store, today: date = TODAY) -> LogWeekDialog:
    plan = load_plan(store, DAY, 0, remember=False)
    dialog = LogWeekDialog(None, store, plan, today=lambda: today)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def ok_button(dialog: LogWeekDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def row_of(dialog: LogWeekDialog, cid: int) -> int:
    return [r.item.contact_id for r in dialog.rows].index(cid)


def test_lists_the_week_in_plan_order_as_plain_text(qtbot, store, people) -> None:
    dialog = make_dialog(qtbot, store)
    assert [r.item.contact_id for r in dialog.rows] == [people["ann"], people["bob"],
                                                         people["cat"]]
    labels = [lbl for lbl in dialog.findChildren(QLabel) if lbl.text() == "<b>Bob</b>"]
    assert labels and labels[0].textFormat() == Qt.TextFormat.PlainText
    # everyone starts at Not reached, so OK without looking writes nothing
    assert all(r.chosen() == NOT_REACHED for r in dialog.rows)
    assert not ok_button(dialog).isEnabled()
    # the block (Fri 28 Nov) has passed: the touches are dated on it
    assert dialog.day() == date(2025, 11, 28)
    # kind prefilled from the plan's suggested action
    assert all(r.kind.currentText() == r.item.action_kind for r in dialog.rows)


def test_ok_writes_the_rows_in_one_go(qtbot, store, people) -> None:
    dialog = make_dialog(qtbot, store)
    ann, cat = row_of(dialog, people["ann"]), row_of(dialog, people["cat"])
    qtbot.mouseClick(dialog.rows[ann].radios[REACHED], Qt.MouseButton.LeftButton)
    dialog.set_row(ann, REACHED, kind="coffee", note="Talked about Lisbon",
                   exchange="gave", gift="introduction")
    dialog.set_row(cat, LEFT_MESSAGE, note="call back Monday")
    assert ok_button(dialog).text() == "Log 2 touches"
    with qtbot.waitSignal(dialog.changed) as logged:
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert logged.args[0] == Changes(contacts={people["ann"], people["cat"]},
                                     interactions=True, plan=True)
    assert dialog.result() == dialog.DialogCode.Accepted

    (a,) = networking.interactions(store, people["ann"])
    assert (a.on, a.kind, a.note, a.exchange, a.gift) == (
        date(2025, 11, 28), "coffee", "Talked about Lisbon", "gave", "introduction")
    (c,) = networking.interactions(store, people["cat"])
    assert (c.kind, c.note, c.exchange, c.gift) == (
        "call", "Left a message — call back Monday", "", "")
    assert networking.interactions(store, people["bob"]) == []  # not reached: nothing


def test_not_reached_writes_nothing(qtbot, store, people) -> None:
    dialog = make_dialog(qtbot, store)
    dialog.set_row(0, REACHED)
    dialog.set_row(0, NOT_REACHED, note="typed, then changed my mind")
    assert dialog.entries() == []
    assert not dialog.rows[0].note.isEnabled()
    dialog.accept()
    assert all(networking.interactions(store, cid) == [] for cid in people.values())


def test_gift_only_goes_with_gave(qtbot, store, people) -> None:
    dialog = make_dialog(qtbot, store)
    dialog.set_row(0, REACHED, exchange="asked", gift="advice")
    assert not dialog.rows[0].gift.isEnabled()
    assert dialog.entries()[0]["gift"] == ""
    dialog.set_row(0, REACHED, exchange="gave")
    assert dialog.rows[0].gift.isEnabled()
    assert dialog.entries()[0] | {"on": None} == {
        "contact_id": people["ann"], "on": None, "kind": "call", "note": "",
        "exchange": "gave", "gift": "advice",
        "follow_up": None}  # Ann's row came from her follow-up: reached, the promise kept


def test_all_reached_and_done_people(qtbot, store, people) -> None:
    networking.log_interaction(store, people["bob"], on=date(2025, 11, 25), kind="email")
    dialog = make_dialog(qtbot, store)
    bob = row_of(dialog, people["bob"])
    assert dialog.rows[bob].item.done
    texts = [lbl.text() for lbl in dialog.findChildren(QLabel)]
    assert any(t.endswith("· done this week") for t in texts)
    qtbot.mouseClick(dialog.all_reached, Qt.MouseButton.LeftButton)
    chosen = [r.chosen() for r in dialog.rows]
    assert chosen.count(REACHED) == 2 and chosen[bob] == NOT_REACHED  # not logged twice
    dialog.accept()
    assert len(networking.interactions(store, people["bob"])) == 1
    assert len(networking.interactions(store, people["ann"])) == 1


def test_a_failure_writes_nothing_and_keeps_the_form(qtbot, store, people) -> None:
    dialog = make_dialog(qtbot, store)
    errors: list[str] = []
    dialog.report_error = errors.append
    dialog.set_row(0, REACHED, note="fine")
    dialog.set_row(1, REACHED, note="gone meanwhile")
    store.delete_contacts([dialog.rows[1].item.contact_id])
    dialog.accept()
    assert errors
    assert dialog.isVisible()  # still open, nothing lost
    assert networking.interactions(store, dialog.rows[0].item.contact_id) == []


def test_dated_today_before_the_block(qtbot, store, people) -> None:
    dialog = make_dialog(qtbot, store, today=date(2025, 11, 26))
    assert dialog.day() == date(2025, 11, 26)
    assert dialog.date_edit.maximumDate().toPython() == date(2025, 11, 26)


def test_the_sheet_reads_back_the_outcome_and_the_next_step(qtbot, store, people) -> None:
    """Ann reached, promise kept (cleared); Bob reached with a next step (his new
    follow-up); Cat left a message (her promise stays)."""
    later = date.today() + timedelta(days=9)
    dialog = make_dialog(qtbot, store)
    assert [r.kept is not None and r.kept.isChecked() for r in dialog.rows] == [True] * 3
    dialog.set_row(0, REACHED, note="sent it")
    dialog.set_row(1, REACHED, next_step="send the contract", by=later)
    dialog.set_row(2, LEFT_MESSAGE)
    assert not dialog.rows[2].kept.isEnabled()  # a message left keeps nothing yet
    with qtbot.waitSignal(dialog.changed):
        dialog.accept()
    ann, bob, cat = (store.get_contact(people[k]) for k in ("ann", "bob", "cat"))
    assert (ann.follow_up, ann.follow_up_note) == (None, "")
    assert (bob.follow_up, bob.follow_up_note) == (later, "send the contract")
    assert cat.follow_up == date(2025, 11, 26)


def test_unticking_promise_kept_keeps_the_follow_up(qtbot, store, people) -> None:
    dialog = make_dialog(qtbot, store)
    dialog.set_row(0, REACHED)
    dialog.rows[0].kept.setChecked(False)
    with qtbot.waitSignal(dialog.changed):
        dialog.accept()
    assert store.get_contact(people["ann"]).follow_up == date(2025, 11, 24)


def test_log_this_week_fits_a_1024_px_window_without_scrolling_sideways(qtbot, store, people):
    """Eight columns side by side scrolled sideways at 1024 px; each person now takes two
    lines (what happened; gave or asked and the next step)."""
    dialog = make_dialog(qtbot, store)
    dialog.resize(984, 600)  # as big as it opens on a 1024 px screen
    qtbot.waitUntil(lambda: dialog.grid_host.width() > 0)
    bar = dialog.scroll_area.horizontalScrollBar()
    qtbot.waitUntil(lambda: dialog.scroll_area.viewport().width() > 900)
    assert bar.maximum() == 0
    row = dialog.rows[0]
    assert row.next_step.y() > row.note.y()  # the second line
    assert row.next_step.mapTo(dialog, row.next_step.rect().topLeft()).x() < 984
