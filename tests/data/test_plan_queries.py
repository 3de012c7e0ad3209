"""The plan's reads from the store (netbook.data.plan_queries): the week as it started."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import make_card

from netbook.data import networking, plan_queries

TODAY = dt.date.today()


@pytest.fixture
def cid(store) -> int:
    return store.add_contact(make_card("Nina Network"))


def test_plan_rows_see_the_week_as_it_started(store, cid):
    monday = TODAY - dt.timedelta(days=TODAY.weekday()) - dt.timedelta(days=14)
    networking.log_interaction(store, cid, on=monday - dt.timedelta(days=20), kind="call")
    networking.log_interaction(store, cid, on=monday + dt.timedelta(days=2), kind="call")
    [row] = plan_queries.plan_rows(store, monday, monday + dt.timedelta(days=6))
    assert row.last_contacted == monday - dt.timedelta(days=20)
    assert row.contacted_this_week is True


def test_deleted_contacts_are_never_planned(store, cid):
    networking.set_networking(store, cid, follow_up=TODAY - dt.timedelta(days=3))
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    sunday = monday + dt.timedelta(days=6)
    assert [r.id for r in plan_queries.plan_candidates(store, monday, sunday, sunday)] == [cid]
    store.delete_contacts([cid])
    assert plan_queries.plan_candidates(store, monday, sunday, sunday) == []
    assert plan_queries.plan_rows(store, monday, sunday) == []


def test_past_weeks_count_who_was_reached(store, cid):
    other = store.add_contact(make_card("Other One"))
    this_monday = TODAY - dt.timedelta(days=TODAY.weekday())
    last_monday = this_monday - dt.timedelta(days=7)
    plan_queries.record_week(store, last_monday, [cid, other])
    networking.log_interaction(store, cid, on=last_monday + dt.timedelta(days=1), kind="call")
    assert plan_queries.past_weeks(store, this_monday)[0] == (2, 1)
