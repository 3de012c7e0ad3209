"""The week as the store remembers it (issue 14): who the plan has shown keeps their
place all week; a Done closes its follow-up in the same transaction; the dormant
rotation goes round the whole pool before anyone comes up twice."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import make_card

from netbook.data import networking, operations, settings
from netbook.data.contacts import StoreError
from netbook.plan import planner
from netbook.plan import service as week

TODAY = dt.date.today()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def names(plan) -> list[str]:
    return [i.name for i in plan.items]


@pytest.fixture
def full_week(store):
    """A 45-minute block, full: a follow-up call, two overdue calls; one more waits."""
    settings.set_block(store, minutes=45)
    ids = {}
    for key, name, fields, last in (
        ("fred", "Fred Followup", {"follow_up": ago(3), "follow_up_note": "promised an intro"},
         None),
        ("olga", "Olga Overdue", {"rhythm_days": 30}, 300),
        ("omar", "Omar Overdue", {"rhythm_days": 30}, 200),
        ("otto", "Otto Overdue", {"rhythm_days": 30}, 100),
    ):
        ids[key] = store.add_contact(make_card(name))
        networking.set_networking(store, ids[key], **fields)
        if last:
            networking.log_interaction(store, ids[key], on=ago(last), kind="call")
    return store, ids


def test_done_on_a_follow_up_clears_it_and_the_row_stays_done(full_week):
    store, ids = full_week
    first = week.load_plan(store, TODAY)
    assert names(first) == ["Fred Followup", "Olga Overdue", "Omar Overdue"]
    operations.log_interaction(store, ids["fred"], on=TODAY, kind="call",
                               note="sent the intro", follow_up=None)
    record = store.get_contact(ids["fred"])
    assert (record.follow_up, record.follow_up_note) == (None, "")
    after = week.load_plan(store, TODAY)
    assert names(after) == names(first)
    assert after.items[0].done and after.items[0].why == first.items[0].why
    next_week = week.load_plan(store, TODAY + dt.timedelta(days=7), remember=False)
    assert ids["fred"] not in [i.contact_id for i in next_week.items]


def test_done_can_move_the_promise_to_a_later_day(full_week):
    store, ids = full_week
    week.load_plan(store, TODAY)
    later = TODAY + dt.timedelta(days=10)
    operations.log_interaction(store, ids["fred"], on=TODAY, kind="call", follow_up=later)
    record = store.get_contact(ids["fred"])
    assert (record.follow_up, record.follow_up_note) == (later, "promised an intro")


def test_a_promise_in_the_log_sets_a_new_follow_up_in_the_same_go(full_week):
    store, ids = full_week
    soon = TODAY + dt.timedelta(days=4)
    operations.log_interaction(store, ids["olga"], on=TODAY, kind="call",
                               note="I'll send the slides", follow_up=soon,
                               follow_up_note="send the slides")
    record = store.get_contact(ids["olga"])
    assert (record.follow_up, record.follow_up_note) == (soon, "send the slides")
    assert record.last_contacted == TODAY


def test_a_follow_up_in_the_past_is_refused_and_nothing_is_logged(full_week):
    store, ids = full_week
    with pytest.raises(StoreError, match="in the past"):
        operations.log_interaction(store, ids["fred"], on=TODAY, kind="call",
                                   follow_up=ago(1))
    assert networking.interactions(store, ids["fred"]) == []


def test_skipping_one_planned_person_keeps_the_others(full_week):
    store, ids = full_week
    first = week.load_plan(store, TODAY)
    week.skip(store, ids["fred"], TODAY)
    after = week.load_plan(store, TODAY)
    assert names(after) == ["Olga Overdue", "Omar Overdue", "Otto Overdue"]
    week.unskip(store, ids["fred"], TODAY)
    back = week.load_plan(store, TODAY)
    # back in their place; Otto, who came in for Fred's minutes, steps out again: the
    # block is never booked past its 45 minutes
    assert names(back) == names(first)
    assert back.planned_minutes == first.planned_minutes == 45


def test_skipping_someone_not_planned_says_so(full_week):
    store, ids = full_week
    week.load_plan(store, TODAY)
    with pytest.raises(StoreError, match="Otto Overdue is not in the block of the week of"):
        week.skip(store, ids["otto"], TODAY)
    with pytest.raises(StoreError, match="was not skipped"):
        week.unskip(store, ids["otto"], TODAY)


def test_a_snooze_must_name_a_day_after_this_week(full_week):
    store, ids = full_week
    with pytest.raises(StoreError, match="is in the past"):
        week.snooze_until(store, ids["olga"], ago(1), TODAY)
    with pytest.raises(StoreError, match="is still this week"):
        week.snooze_until(store, ids["olga"], MONDAY + dt.timedelta(days=6), TODAY)
    week.snooze_until(store, ids["olga"], MONDAY + dt.timedelta(days=7), TODAY)
    assert ids["olga"] not in [i.contact_id for i in week.load_plan(store, TODAY).items]
    week.unsnooze(store, ids["olga"])
    with pytest.raises(StoreError, match="is not snoozed"):
        week.unsnooze(store, ids["olga"])


def test_a_changed_block_plans_the_week_afresh(full_week):
    store, _ids = full_week
    week.load_plan(store, TODAY)
    settings.set_block(store, minutes=15)
    assert names(week.load_plan(store, TODAY)) == ["Fred Followup"]


def test_the_remembered_plan_matches_a_fresh_one_after_a_skip(full_week):
    store, ids = full_week
    week.load_plan(store, TODAY)
    week.skip(store, ids["olga"], TODAY)
    shown = week.plan_to_json(week.load_plan(store, TODAY))
    week.forget_plan(store)
    assert week.plan_to_json(week.load_plan(store, TODAY)) == shown


# ------------------------------------------------------------------- reconnect from day one


def test_an_imported_book_has_reconnects_in_its_first_week(store):
    for n in range(5):
        store.add_contact(make_card(f"Imported Person{n}"), imported=True)
    store.add_contact(make_card("Typed Bytheuser"))
    plan = week.load_plan(store, TODAY, remember=False)
    assert [i.reason for i in plan.items] == ["dormant"] * 3
    assert all(i.name.startswith("Imported") for i in plan.items)


def test_the_dormant_rotation_goes_round_before_anyone_comes_twice(store):
    """Weeks go by and more people are imported (the pool grows, which shifted a plain
    rotation): nobody is suggested twice before everyone has been suggested once."""
    ids = [store.add_contact(make_card(f"Silent Person{n}"), imported=True) for n in range(10)]
    seen: list[int] = []
    for k in range(6):
        shown = [i.contact_id for i in week.load_plan(store, TODAY + dt.timedelta(weeks=k)).items]
        assert len(shown) == 3
        seen += shown
        if k == 1:
            ids += [store.add_contact(make_card(f"Later Person{n}"), imported=True)
                    for n in range(2)]
    first_round = seen[:len(ids)]
    assert sorted(first_round) == sorted(ids)  # 4 weeks: all 12, none twice
    assert seen[len(ids):] == seen[:6]  # then round again, in the same order


def test_a_rhythm_given_to_an_imported_contact_is_due_at_once(store):
    cid = store.add_contact(make_card("Rita Rhythm"), imported=True)
    networking.set_networking(store, cid, rhythm_days=14)
    [item] = week.load_plan(store, TODAY, remember=False).items
    assert (item.reason, item.why) == ("overdue", "Never contacted — every 2 weeks")
    assert planner.is_due(planner.PlanContact(id=1, name="", rhythm_days=14), TODAY)


def test_a_dormant_person_skipped_this_week_comes_back_next_week(store):
    """"Not this week" says they come back next week: their turn was not used up, so
    they are first in next week's rotation, not last after the whole pool."""
    ids = [store.add_contact(make_card(f"Silent Person{n}"), imported=True) for n in range(9)]
    this_week = [i.contact_id for i in week.load_plan(store, TODAY).items]
    assert this_week == ids[:3]
    week.skip(store, ids[0], TODAY)
    assert [i.contact_id for i in week.load_plan(store, TODAY).items] == ids[1:4]
    next_week = [i.contact_id for i in week.load_plan(store, TODAY + dt.timedelta(weeks=1)).items]
    assert next_week == [ids[0], ids[4], ids[5]]
    # and the rotation goes on round the rest before anyone comes twice
    after = [i.contact_id for i in week.load_plan(store, TODAY + dt.timedelta(weeks=2)).items]
    assert after == ids[6:9]


def test_moving_the_block_an_hour_later_keeps_the_weeks_people(full_week):
    """Fred's promise was kept (Done closed it): moving the block from 08:00 to 09:00
    keeps his done row and everyone else, instead of planning the week afresh."""
    store, ids = full_week
    first = week.load_plan(store, TODAY)
    operations.log_interaction(store, ids["fred"], on=TODAY, kind="call", follow_up=None)
    settings.set_block(store, start="09:00")
    after = week.load_plan(store, TODAY)
    assert names(after) == names(first)
    assert after.items[0].done
    settings.set_block(store, minutes=60)  # a longer block is another plan: Otto fits
    assert "Otto Overdue" in names(week.load_plan(store, TODAY))


def test_recording_who_the_week_holds_keeps_its_words(full_week):
    """The week's record written without its words (who it holds only) keeps them:
    the plan would otherwise reshuffle at the next refresh."""
    from netbook.data import plan_queries

    store, _ids = full_week
    plan = week.load_plan(store, TODAY)
    block = week.block_key(settings.block_settings(store))
    held = plan_queries.held_items(store, plan.week_start, block)
    assert [h["contact_id"] for h in held] == [i.contact_id for i in plan.items]
    plan_queries.record_week(store, plan.week_start, [i.contact_id for i in plan.items])
    assert plan_queries.held_items(store, plan.week_start, block) == held
