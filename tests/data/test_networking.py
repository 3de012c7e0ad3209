"""netbook's own data: the interaction log, rhythms, how we met, the week's skips."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import make_card

from netbook.data import networking, plan_queries
from netbook.data.contacts import NotFoundError, StoreError
from netbook.data.models import Contact, Interaction

TODAY = dt.date.today()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def cid(store) -> int:
    return store.add_contact(make_card("Nina Network"))


def summary(cid: int) -> tuple:
    c = Contact.get_by_id(cid)
    return c.last_contacted, c.gave_count, c.asked_count, c.last_note


# -- the interaction log ---------------------------------------------------------


def test_logging_a_touch_updates_last_contact_counts_and_last_note(store, cid):
    networking.log_interaction(store, cid, on=days_ago(30), kind="coffee", note="first coffee",
                               exchange="gave", gift="introduction")
    networking.log_interaction(store, cid, on=days_ago(2), kind="call", note="asked for advice",
                               exchange="asked")
    networking.log_interaction(store, cid, on=days_ago(10), kind="email")
    assert summary(cid) == (days_ago(2), 1, 1, "asked for advice")
    assert store.get_contact(cid).last_contacted == days_ago(2)


def test_the_log_lists_newest_first(store, cid):
    for n in (5, 1, 9):
        networking.log_interaction(store, cid, on=days_ago(n), kind="call", note=f"{n}")
    assert [r.note for r in networking.interactions(store, cid)] == ["1", "5", "9"]


def test_editing_a_touch_recomputes_the_summary(store, cid):
    first = networking.log_interaction(store, cid, on=days_ago(20), kind="call", note="old")
    latest = networking.log_interaction(store, cid, on=days_ago(3), kind="meal", note="new",
                                        exchange="gave", gift="advice")
    networking.update_interaction(store, latest, on=days_ago(40), kind="meal", note="moved",
                                  exchange="asked")
    assert summary(cid) == (days_ago(20), 0, 1, "old")
    networking.update_interaction(store, first, on=days_ago(20), kind="call", note="",
                                  exchange="")
    assert summary(cid) == (days_ago(20), 0, 1, "moved")


def test_deleting_touches_recomputes_the_summary_down_to_never(store, cid):
    a = networking.log_interaction(store, cid, on=days_ago(8), kind="call", note="a",
                                   exchange="gave", gift="article")
    b = networking.log_interaction(store, cid, on=days_ago(1), kind="call", note="b")
    networking.delete_interaction(store, b)
    assert summary(cid) == (days_ago(8), 1, 0, "a")
    networking.delete_interaction(store, a)
    assert summary(cid) == (None, 0, 0, "")
    networking.delete_interaction(store, a)  # twice: nothing to do, no error


def test_an_interaction_dated_in_the_future_is_refused(store, cid):
    with pytest.raises(StoreError, match="future"):
        networking.log_interaction(store, cid, on=TODAY + dt.timedelta(days=1), kind="call")
    assert Interaction.select().count() == 0
    assert summary(cid) == (None, 0, 0, "")


def test_an_edit_into_the_future_is_refused_and_the_old_touch_kept(store, cid):
    iid = networking.log_interaction(store, cid, on=days_ago(1), kind="call", note="kept")
    with pytest.raises(StoreError, match="future"):
        networking.update_interaction(store, iid, on=TODAY + dt.timedelta(days=3), kind="call")
    assert networking.interactions(store, cid)[0].note == "kept"


@pytest.mark.parametrize("kwargs, message", [
    ({"kind": "telepathy"}, "unknown kind"),
    ({"kind": "call", "exchange": "stole"}, "gave, asked"),
    ({"kind": "call", "exchange": "asked", "gift": "advice"}, "what you gave"),
    ({"kind": "call", "exchange": "gave", "gift": "a pony"}, "what you gave"),
])
def test_a_touch_that_makes_no_sense_is_refused(store, cid, kwargs, message):
    with pytest.raises(StoreError, match=message):
        networking.log_interaction(store, cid, on=TODAY, **kwargs)
    assert Interaction.select().count() == 0


def test_a_touch_for_a_deleted_contact_is_refused(store, cid):
    store.delete_contacts([cid])
    with pytest.raises(NotFoundError):
        networking.log_interaction(store, cid, on=TODAY, kind="call")
    assert Interaction.select().count() == 0


def test_log_many_is_all_or_nothing(store, cid):
    other = store.add_contact(make_card("Other Person"))
    store.delete_contacts([other])
    entries = [{"contact_id": cid, "on": TODAY, "kind": "call"},
               {"contact_id": other, "on": TODAY, "kind": "call"}]
    with pytest.raises(NotFoundError):
        networking.log_many(store, entries)
    assert Interaction.select().count() == 0
    assert summary(cid)[0] is None
    ids = networking.log_many(store, entries[:1] * 2)
    assert len(ids) == 2 and summary(cid)[0] == TODAY


def test_editing_a_touch_that_was_deleted_elsewhere_says_so(store, cid):
    iid = networking.log_interaction(store, cid, on=TODAY, kind="call")
    networking.delete_interaction(store, iid)
    with pytest.raises(StoreError, match="no longer exists"):
        networking.update_interaction(store, iid, on=TODAY, kind="call")


# -- rhythms, circles, how we met --------------------------------------------------


def test_setting_networking_fields_reads_back(store, cid):
    intro = store.add_contact(make_card("Ivy Introducer"))
    networking.set_networking(store, cid, rhythm_days=30, circle="close", met_on=days_ago(40),
                              met_where="PyCon", introduced_by=intro, does="builds boats",
                              needs="a sail maker", offers="woodwork",
                              follow_up=days_ago(-5), follow_up_note="send photos")
    r = store.get_contact(cid)
    assert (r.rhythm_days, r.circle, r.met_on, r.met_where) == (30, "close", days_ago(40),
                                                                "PyCon")
    assert (r.introduced_by, r.introduced_by_name) == (intro, "Ivy Introducer")
    assert (r.does, r.needs, r.offers) == ("builds boats", "a sail maker", "woodwork")
    assert (r.follow_up, r.follow_up_note) == (days_ago(-5), "send photos")


def test_clearing_text_fields_with_none_leaves_them_empty(store, cid):
    networking.set_networking(store, cid, does="x", met_where="y")
    networking.set_networking(store, cid, does=None, met_where=None, introduced_by=None)
    r = store.get_contact(cid)
    assert (r.does, r.met_where, r.introduced_by) == ("", "", None)


def test_a_follow_up_in_the_past_is_fine_it_is_simply_overdue(store, cid):
    networking.set_networking(store, cid, follow_up=days_ago(10))
    from netbook.data.contacts import ListQuery

    assert store.list_ids(ListQuery(filter="overdue")) == [cid]


@pytest.mark.parametrize("fields, message", [
    ({"rhythm_days": 0}, "at least 1 day"),
    ({"rhythm_days": -7}, "at least 1 day"),
    ({"circle": "besties"}, "unknown circle"),
    ({"met_on": TODAY + dt.timedelta(days=1)}, "future"),
    ({"met_on": "last tuesday"}, "must be a date"),
    ({"follow_up": "2024-13-45"}, "must be a date"),
    ({"favourite_colour": "blue"}, "unknown field"),
])
def test_bad_networking_values_are_refused_and_nothing_is_half_saved(store, cid, fields,
                                                                      message):
    before = store.get_contact(cid)
    with pytest.raises(StoreError, match=message):
        networking.set_networking(store, cid, does="half saved?", **fields)
    after = store.get_contact(cid)
    assert after.does == "" and after.revision == before.revision


def test_nobody_introduced_themselves_and_introducers_must_exist(store, cid):
    with pytest.raises(StoreError, match="themselves"):
        networking.set_networking(store, cid, introduced_by=cid)
    with pytest.raises(StoreError, match="does not exist"):
        networking.set_networking(store, cid, introduced_by=cid + 1000)
    gone = store.add_contact(make_card("Gone Gary"))
    store.delete_contacts([gone])
    with pytest.raises(StoreError, match="does not exist"):
        networking.set_networking(store, cid, introduced_by=gone)


@pytest.mark.parametrize("text, expected", [
    ("30", (30, None)), (" 7 ", (7, None)), ("close", (30, "close")), ("Inner", (14, "inner")),
    ("acquaintance", (365, "acquaintance")), ("none", (None, None)), ("off", (None, None)),
])
def test_a_rhythm_is_days_a_circle_or_none(store, text, expected):
    assert networking.resolve_rhythm(store, text) == expected


@pytest.mark.parametrize("text", ["0", "-3", "soon", "1.5", "30 days"])
def test_a_rhythm_of_zero_below_or_nonsense_is_refused(store, text):
    with pytest.raises(StoreError, match="rhythm"):
        networking.resolve_rhythm(store, text)


# -- the week's bookkeeping --------------------------------------------------------


def test_skipping_a_week_and_taking_it_back(store, cid):
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    networking.skip_week(store, cid, monday)
    networking.skip_week(store, cid, monday)  # twice is once
    rows = plan_queries.plan_rows(store, monday, monday + dt.timedelta(days=6))
    assert [r.skipped_this_week for r in rows] == [True]
    networking.unskip_week(store, cid, monday)
    rows = plan_queries.plan_rows(store, monday, monday + dt.timedelta(days=6))
    assert [r.skipped_this_week for r in rows] == [False]
