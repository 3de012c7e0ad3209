"""Edit ▸ Undo of a saved edit puts back what the edit changed, and only that: a call
logged or a snooze set after the edit stays (review: undo rewound the log's summary)."""

from __future__ import annotations

import datetime as dt

from helpers import make_card

from netbook.data import operations, undo
from netbook.data.contacts import ListQuery

TODAY = dt.date.today()


def _edit_ana(store) -> tuple[int, undo.ContactState, int]:
    """Ana, last called 11 days ago on a 7-day rhythm; her organisation edited and saved
    (the state before the save, and the revision it left: what the window's undo holds)."""
    ana = store.add_contact(make_card("Ana Lima"))
    operations.log_interaction(store, ana, on=TODAY - dt.timedelta(days=11), kind="call")
    operations.set_networking(store, ana, rhythm_days=7)
    before = undo.contact_state(store, ana)
    card = store.get_card(ana)
    card.set_organization("Bakers")
    operations.save_contact(store, card, contact_id=ana, revision=store.revision(ana),
                            fields={"needs": "an oven"})
    return ana, before, store.revision(ana)


def _overdue(store) -> list[str]:
    return [r.name for r in store.list_rows(ListQuery(filter="overdue"))]


def test_undoing_an_edit_keeps_the_call_logged_after_it(store):
    ana, before, revision = _edit_ana(store)
    assert _overdue(store) == ["Ana Lima"]
    operations.log_interaction(store, ana, on=TODAY, kind="call")
    operations.undo_edit(store, before, revision)
    assert store.get_card(ana).organization == ""  # the edit is undone
    assert store.get_contact(ana).needs == ""
    [row] = store.list_rows(ListQuery(search="Ana"))
    assert row.last_contacted == TODAY  # "Last contacted: today", as the log says
    assert store.get_contact(ana).last_contacted == TODAY
    assert _overdue(store) == []  # not due again


def test_undoing_an_edit_keeps_a_snooze_set_after_it(store):
    ana, before, revision = _edit_ana(store)
    back = TODAY + dt.timedelta(days=14)
    operations.snooze(store, ana, back)
    operations.undo_edit(store, before, revision)
    assert store.get_card(ana).organization == ""
    assert operations.snoozed_until(store, ana) == back
