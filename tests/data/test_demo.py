"""`netbook demo`: about fifty invented people a newcomer can explore at once."""

from __future__ import annotations

import datetime as dt

import pytest

from netbook.data import networking
from netbook.data.contacts import ListQuery
from netbook.data.demo import load_demo
from netbook.data.models import Contact, Interaction
from netbook.plan.service import load_plan


def test_the_demo_fills_an_address_book_with_variety(store):
    changes = load_demo(store)
    added = len(changes.added)
    assert 45 <= added <= 55
    assert store.count() == added
    assert changes.everything
    assert changes.added == {c.id for c in Contact.select(Contact.id)}
    contacts = list(Contact.select())
    cards = [store.get_card(c.id) for c in contacts]
    assert all(c.phones and c.emails for c in cards)
    assert sum(1 for c in cards if c.birthday) >= added // 2
    assert sum(1 for c in cards if c.note) >= added // 2
    assert len({c.addresses[0].country for c in cards}) >= 20
    assert len({c.phones[0].value.split()[0] for c in cards}) >= 20  # dialling codes
    assert {c.circle for c in contacts} >= set(networking.CIRCLES)
    assert len(store.all_tags()) >= 5
    assert Interaction.select().count() >= added
    assert any(c.follow_up for c in contacts)
    assert any(c.introduced_by_id for c in contacts)
    assert any(c.needs for c in contacts) and any(c.offers for c in contacts)
    assert any(c.met_on for c in contacts)
    assert store.list_rows(ListQuery(filter="never_contacted"))


def test_the_demo_speaks_many_scripts_and_search_finds_them(store):
    load_demo(store)
    for query in ("muller", "иван", "ελενη", "dubois"):
        assert store.list_rows(ListQuery(search=query)), query


def test_the_demo_gives_this_week_a_plan_for_every_reason_it_can(store):
    load_demo(store)
    plan = load_plan(store, dt.date.today(), remember=False)
    assert plan.items
    reasons = {i.reason for i in plan.items}
    assert {"follow_up", "birthday"} <= reasons


def test_where_the_demo_people_were_met_reads_after_at(store):
    """The week says "Met 11 days ago at the Lisbon conference": never "at on a …"."""
    load_demo(store)
    places = {c.met_where for c in Contact.select() if c.met_where}
    assert "Berlin airport" in places
    for where in places:
        assert where.split()[0].lower() not in ("on", "at", "in", "during", "via"), where
    plan = load_plan(store, dt.date.today(), remember=False)
    assert not any(" at on " in i.why or " at at " in i.why for i in plan.items)


def test_running_the_demo_twice_does_not_double_everyone(store):
    first = load_demo(store)
    assert not load_demo(store)  # nothing changed
    assert store.count() == len(first.added)


def test_the_demo_backs_up_what_was_there_first(store):
    from helpers import make_card

    from netbook.data import db as dbmod

    store.add_contact(make_card("Ann Before"))
    load_demo(store)
    (backup,) = dbmod.list_backups(store.path)
    assert backup.name.endswith("-before-demo.sqlite3")
    load_demo(store)  # nothing to add: no second backup
    assert len(dbmod.list_backups(store.path)) == 1


def test_an_empty_book_has_nothing_to_back_up(store):
    from netbook.data import db as dbmod

    load_demo(store)
    assert dbmod.list_backups(store.path) == []


def test_the_demo_is_written_in_one_transaction(store, monkeypatch):
    calls = []

    def failing_log(*args, **kwargs):
        calls.append(1)
        if len(calls) == 20:
            raise RuntimeError("power cut")
        return real_log(*args, **kwargs)

    real_log = networking.log_interaction
    monkeypatch.setattr(networking, "log_interaction", failing_log)
    with pytest.raises(RuntimeError, match="power cut"):
        load_demo(store)
    assert store.count() == 0
    assert Interaction.select().count() == 0
