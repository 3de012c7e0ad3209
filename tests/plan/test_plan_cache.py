"""The remembered week plan (netbook.plan.service's cache and migration 0005's change counter).

The panel re-reads the plan after every change; a whole plan costs ~100 ms at 50,000
contacts, so after a plain call only the caller is re-read. Whatever the change, the plan
shown must be the one a fresh computation gives: these tests compare the two.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from helpers import make_card

from netbook.data import networking, operations, plan_queries, relations, settings
from netbook.data.contacts import Store
from netbook.plan import service as week

TODAY = dt.date.today()


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def fresh(store: Store, day: dt.date = TODAY, first_weekday: int = 0) -> dict:
    """The plan computed from nothing remembered."""
    week.forget_plan(store)
    return week.plan_to_json(week.load_plan(store, day, first_weekday, remember=False))


def shown(store: Store, day: dt.date = TODAY, first_weekday: int = 0) -> dict:
    return week.plan_to_json(week.load_plan(store, day, first_weekday, remember=False))


def epoch(store: Store) -> int:
    return plan_queries.plan_epoch(store)[0]


@pytest.fixture
def busy(store):
    """Forty people of every kind, a block wide enough that the choice matters."""
    rng = random.Random(7)
    settings.set_block(store, minutes=90)
    ids = []
    for i in range(40):
        cid = store.add_contact(make_card(f"Person{i} Family{i % 7}", phones=[f"+1 555 01{i:02d}"]))
        ids.append(cid)
        fields = {}
        if i % 3 == 0:
            fields["rhythm_days"] = rng.choice([14, 30, 90])
        if i % 5 == 0:
            fields["needs"] = rng.choice(["a designer", "an investor"])
        if i % 6 == 0:
            fields["does"] = rng.choice(["designer", "investor", "teacher"])
        if i % 11 == 0:
            fields["met_on"] = ago(rng.randrange(1, 20))
        if fields:
            networking.set_networking(store, cid, **fields)
        for _ in range(rng.randrange(3)):
            networking.log_interaction(store, cid, on=ago(rng.randrange(1, 800)),
                                       kind="call", exchange=rng.choice(["", "", "asked"]))
    return store, ids


def test_a_plain_call_is_patched_in_and_marks_the_item_done(busy):
    store, _ = busy
    before = shown(store)
    planned = before["items"][0]["contact_id"]
    counter = epoch(store)
    networking.log_interaction(store, planned, on=TODAY, kind="call", note="talked shop")
    assert epoch(store) == counter  # nothing the week's choice rests on has changed
    after = shown(store)
    assert after == fresh(store)
    assert [i["contact_id"] for i in after["items"]] == [i["contact_id"] for i in before["items"]]
    assert after["items"][0]["done"]
    assert "talked shop" in " ".join(after["items"][0]["talking_points"])


@pytest.mark.parametrize("change", [
    "follow_up", "rhythm", "snooze", "skip", "block", "circle", "trash", "restore", "add",
    "rename", "gave", "call_before_the_week", "edit_call", "delete_call", "birthday",
    "relate", "unrelate", "introduced_by", "imported", "tag",
])
def test_every_other_change_plans_the_week_afresh(busy, change):
    store, ids = busy
    shown(store)
    counter = epoch(store)
    someone = ids[4]
    if change == "follow_up":
        networking.set_networking(store, someone, follow_up=TODAY, follow_up_note="promised")
    elif change == "rhythm":
        networking.set_networking(store, someone, rhythm_days=1)
    elif change == "snooze":
        networking.snooze(store, shown(store)["items"][0]["contact_id"], TODAY + dt.timedelta(30))
    elif change == "skip":
        networking.skip_week(store, shown(store)["items"][0]["contact_id"],
                             dt.date.fromisoformat(shown(store)["week_start"]))
    elif change == "block":
        settings.set_block(store, minutes=15)
    elif change == "circle":
        networking.set_networking(store, someone, rhythm_days=30, circle="close")
        shown(store)
        counter = epoch(store)
        settings.set_circle_days(store, {"close": 2})
    elif change == "trash":
        store.delete_contacts([shown(store)["items"][0]["contact_id"]])
    elif change == "restore":
        store.delete_contacts([someone])
        shown(store)
        counter = epoch(store)
        store.restore_contacts([someone])
    elif change == "add":
        new = store.add_contact(make_card("Newly Added"))
        networking.set_networking(store, new, follow_up=TODAY)
    elif change == "rename":
        card = store.get_card(someone)
        card.set_text("FN", "Renamed Person")
        store.save_card(someone, card)
    elif change == "gave":
        networking.log_interaction(store, someone, on=TODAY, kind="call", exchange="gave",
                                   gift="advice")
    elif change == "call_before_the_week":
        networking.log_interaction(store, shown(store)["items"][0]["contact_id"],
                                   on=ago(8), kind="call")
    elif change == "edit_call":
        first = networking.interactions(store, ids[1])[0]
        networking.update_interaction(store, first.id, on=ago(1), kind="meal")
    elif change == "delete_call":
        networking.delete_interaction(store, networking.interactions(store, ids[1])[0].id)
    elif change == "birthday":
        card = store.get_card(someone)
        from netbook.data.vcard.card import PartialDate
        card.set_date("BDAY", PartialDate.parse(f"--{TODAY:%m-%d}"))
        store.save_card(someone, card)
    elif change in ("relate", "unrelate"):
        # the week introduces someone who needs a designer to someone who is one…
        helper = ids[0]
        networking.set_networking(store, helper, does="designer")
        needer = store.add_contact(make_card("Nora Needer"))
        networking.set_networking(store, needer, needs="a designer", follow_up=TODAY)
        if change == "unrelate":
            relations.relate(store, needer, helper, "friend")
        assert (shown(store) == fresh(store))
        counter = epoch(store)
        # …unless they know each other already
        if change == "relate":
            relations.relate(store, needer, helper, "friend")
        else:
            relations.unrelate(store, needer, helper)
    elif change == "introduced_by":
        networking.set_networking(store, someone, introduced_by=ids[5])
    elif change == "imported":  # the same card imported over one typed in by hand
        store.save_card(someone, store.get_card(someone), imported=True)
    elif change == "tag":
        operations.tag_contacts(store, [someone], add=["design"])
    if change != "call_before_the_week":
        assert epoch(store) != counter
    assert shown(store) == fresh(store)



def test_a_call_to_someone_owed_beyond_the_read_cap_shows_the_fresh_plan(store):
    """The people you owe are read capped (300, most out of balance first): a call this
    week to one further down, who says what they need, leaves the plan shown as a fresh
    computation gives it, whether the remembered one is patched or computed anew."""
    settings.set_block(store, minutes=90)
    for i in range(301):  # owe each of them more than the one below
        cid = store.add_contact(make_card(f"Lender{i} Many"))
        for _ in range(2):
            networking.log_interaction(store, cid, on=ago(500), kind="call", exchange="asked")
    needer = store.add_contact(make_card("Nina Needer"))
    networking.set_networking(store, needer, needs="an investor")
    networking.log_interaction(store, needer, on=ago(500), kind="call", exchange="asked")
    helper = store.add_contact(make_card("Ivy Investor"))
    networking.set_networking(store, helper, does="investor")
    assert shown(store) == fresh(store)
    networking.log_interaction(store, needer, on=TODAY, kind="call", note="caught up")
    assert shown(store) == fresh(store)


def test_a_change_made_by_another_program_is_seen(busy, db_path):
    store, ids = busy
    before = shown(store)
    other = Store.open(db_path)  # another window, or `netbook set` in a terminal
    try:
        networking.set_networking(other, ids[9], follow_up=ago(3), follow_up_note="promised")
    finally:
        other.close()
    after = shown(store)
    assert after != before
    assert after["items"][0]["contact_id"] == ids[9]
    assert after == fresh(store)


def test_a_plain_call_to_someone_recently_in_touch_keeps_the_dormant_picks(store):
    """The dormant pool is who was silent at the week's start: a call this week to
    someone who was not must not shift the rotation and swap the week's people."""
    settings.set_block(store, minutes=600)
    silent = [store.add_contact(make_card(f"Silent {i}")) for i in range(9)]
    for cid in silent:
        networking.log_interaction(store, cid, on=ago(900), kind="call")
    recent = store.add_contact(make_card("Recent Caller"))
    networking.log_interaction(store, recent, on=ago(20), kind="email")
    before = [i["contact_id"] for i in fresh(store)["items"] if i["reason"] == "dormant"]
    networking.log_interaction(store, recent, on=TODAY, kind="call")
    after = [i["contact_id"] for i in fresh(store)["items"] if i["reason"] == "dormant"]
    assert before == after and len(before) == week.DORMANT_COUNT


def test_random_changes_never_leave_a_stale_plan(busy):
    store, ids = busy
    rng = random.Random(11)
    week_start = dt.date.fromisoformat(shown(store)["week_start"])
    for step in range(80):
        cid = rng.choice(ids)
        if not store.exists(cid):
            store.restore_contacts([cid])
        action = rng.randrange(8)
        if action < 4:  # the common case: plain touches this week
            networking.log_interaction(store, cid, on=max(week_start, ago(rng.randrange(3))),
                                       kind=rng.choice(["call", "email", "coffee"]),
                                       note=f"note {step}")
        elif action == 4:
            networking.log_interaction(store, cid, on=ago(rng.randrange(1, 400)), kind="call",
                                       exchange=rng.choice(["", "asked"]))
        elif action == 5:
            networking.set_networking(store, cid, rhythm_days=rng.choice([None, 7, 30]))
        elif action == 6:
            networking.skip_week(store, cid, week_start)
        else:
            store.delete_contacts([cid])
        assert shown(store) == fresh(store), f"after step {step}"


@pytest.mark.parametrize("where", ["terminal", "window"])
def test_a_restore_never_leaves_the_plan_of_before(busy, where):
    """A backup restored (here or by `netbook restore` in a terminal) takes the calls
    logged since away: the plan must forget them too."""
    from netbook.data import db as dbmod
    from netbook.data.changes import Changes

    store, _ = busy
    backup = store.backup("test")
    planned = shown(store)["items"][0]["contact_id"]
    networking.log_interaction(store, planned, on=TODAY, kind="call")
    assert shown(store)["items"][0]["done"]
    if where == "terminal":
        dbmod.restore_backup(store.path, backup)
    else:  # File ▸ Restore, under the open store
        assert week.restore_backup(store, backup) == Changes.all()
    after = shown(store)
    assert not after["items"][0]["done"]
    assert after == fresh(store)


def test_every_plan_trigger_is_in_place(store):
    """A later migration that rebuilds a table drops its triggers without a word; the
    remembered plan would then go stale. Every table the plan reads keeps its own."""
    names = {n for (n,) in store.db.execute_sql(
        "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'plan_%'"
    ).fetchall()}
    assert names == {"contact", "interaction", "week_skip", "setting", "tag", "relation"}
    count = store.db.execute_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'plan_%'"
    ).fetchone()[0]
    # 0009: a title changed, a tag added or taken (the introductions); 0014: a relation
    # made, changed or taken away, a tag changed, the introducer, an import's mark, a UID
    assert count == 20
