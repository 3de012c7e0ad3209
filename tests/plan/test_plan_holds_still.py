"""A plan that holds still (issue 14): within a week, skipping, snoozing or finishing one
person never takes anyone else out; freed minutes may add people at the end. Birthdays
before the block day come first, on their day. Imported people are dormant at once.

Pure planner: the week's earlier plan is handed back as `held`, as the service does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from netbook.plan.planner import (
    Birthday,
    BlockSettings,
    PlanContact,
    WeekPlan,
    is_due,
    plan_week,
    rhythm_due,
)
from netbook.plan.wording import act_lead, block_title, paper_action

# Monday 30 Nov – Sunday 6 Dec 2026, block on Friday 4 Dec, 60 minutes
MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)
FRIDAY = date(2026, 12, 4)
BLOCK = BlockSettings()


def person(cid: int, name: str, **fields) -> PlanContact:
    fields.setdefault("created", MONDAY - timedelta(days=10))
    return PlanContact(id=cid, name=name, **fields)


def the_week() -> list[PlanContact]:
    """The week of the issue: a 5-minute birthday, three overdue calls, two people met
    recently, and one more overdue call that does not fit."""
    long_ago = MONDAY - timedelta(days=200)
    return [
        person(1, "Bea Birthday", birthday=Birthday(12, 3)),
        person(2, "Olga", rhythm_days=30, last_contacted=long_ago),
        person(3, "Omar", rhythm_days=30, last_contacted=long_ago + timedelta(days=10)),
        person(4, "Otto", rhythm_days=30, last_contacted=long_ago + timedelta(days=20)),
        person(5, "Nina", met_on=MONDAY - timedelta(days=3)),
        person(6, "Nils", met_on=MONDAY - timedelta(days=2)),
        person(7, "Oona", rhythm_days=30, last_contacted=long_ago + timedelta(days=30)),
    ]


def names(plan: WeekPlan) -> list[str]:
    return [i.name for i in plan.items]


def first_and_then(people, change, held_from=None, day=MONDAY):
    """The week's first plan, then the plan after `change` (held as the service holds)."""
    first = plan_week(day, people, BLOCK)
    held = [i.held() for i in (held_from or first).items]
    return first, plan_week(day, change(people), BLOCK, held=held)


def test_the_first_plan_fills_the_hour():
    plan = plan_week(MONDAY, the_week(), BLOCK)
    assert names(plan) == ["Bea Birthday", "Olga", "Omar", "Otto", "Nina", "Nils"]
    assert plan.planned_minutes == 5 + 3 * 15 + 2 * 5


def test_without_holding_a_skip_reshuffles_the_week():
    """What the issue saw: skip the 5-minute birthday and two met-recently people go."""
    skipped = [replace(c, skipped_this_week=c.id == 1) for c in the_week()]
    assert names(plan_week(MONDAY, skipped, BLOCK)) == ["Olga", "Omar", "Otto", "Oona"]


def test_skipping_one_person_keeps_everyone_else():
    first, after = first_and_then(
        the_week(), lambda ps: [replace(c, skipped_this_week=c.id == 1) for c in ps])
    assert names(after) == [n for n in names(first) if n != "Bea Birthday"]


def test_snoozing_one_person_keeps_everyone_else():
    first, after = first_and_then(
        the_week(), lambda ps: [replace(c, snoozed_until=MONDAY + timedelta(days=14))
                                if c.id == 3 else c for c in ps])
    # everyone else where they were; Omar's 15 minutes bring in Oona at the end
    assert names(after) == [*(n for n in names(first) if n != "Omar"), "Oona"]


def test_freed_minutes_add_people_at_the_end():
    """A 15-minute call skipped: the next one who fits comes in last, nobody moves."""
    _first, after = first_and_then(
        the_week(), lambda ps: [replace(c, skipped_this_week=c.id == 2) for c in ps])
    assert names(after) == ["Bea Birthday", "Omar", "Otto", "Nina", "Nils", "Oona"]


def test_a_skip_taken_back_puts_them_back_in_their_place():
    first, skipped = first_and_then(
        the_week(), lambda ps: [replace(c, skipped_this_week=c.id == 2) for c in ps])
    held = [i.held() for i in first.items] + [i.held() for i in skipped.items
                                               if i.contact_id not in {1, 2, 3, 4, 5, 6}]
    back = plan_week(MONDAY, the_week(), BLOCK, held=held)
    # Oona came in for Olga's minutes: with Olga back she no longer fits, and steps out
    assert names(back) == names(first)
    assert back.planned_minutes == first.planned_minutes == BLOCK.minutes


def test_a_skip_taken_back_keeps_whoever_was_done_meanwhile():
    """Oona, brought in by the skip, was called already: she stays and counts, and the
    header says the hour is over-full rather than forgetting the call."""
    first, skipped = first_and_then(
        the_week(), lambda ps: [replace(c, skipped_this_week=c.id == 2) for c in ps])
    held = [i.held() for i in first.items] + [i.held() for i in skipped.items
                                               if i.contact_id == 7]
    called = [replace(c, contacted_this_week=c.id == 7) for c in the_week()]
    back = plan_week(MONDAY, called, BLOCK, held=held)
    assert names(back) == [*names(first), "Oona"]
    assert back.planned_minutes == BLOCK.minutes + 15
    assert block_title(back).endswith("75 of 60 min planned — 15 over")


def test_done_with_a_follow_up_closed_keeps_the_row_and_everyone_else():
    people = [*the_week()[:4], person(8, "Fred", follow_up=MONDAY - timedelta(days=3),
                                      follow_up_note="promised an intro to Ana")]
    first = plan_week(MONDAY, people, BLOCK)
    [promise] = [i for i in first.items if i.name == "Fred"]
    assert promise.why == "Follow-up overdue since 27 Nov: promised an intro to Ana"

    def done_and_closed(ps):  # logged this week, the promise cleared in the same form
        return [replace(c, contacted_this_week=True, follow_up=None, follow_up_note="")
                if c.id == 8 else c for c in ps]

    _, after = first_and_then(people, done_and_closed)
    assert names(after) == names(first)
    fred = next(i for i in after.items if i.name == "Fred")
    assert fred.done and fred.reason == "follow_up"
    assert fred.why == promise.why  # the words the week first showed
    next_week = plan_week(MONDAY + timedelta(days=7), done_and_closed(people), BLOCK)
    assert "Fred" not in names(next_week)  # the promise does not come back


def test_done_keeps_everyone_in_place():
    first, after = first_and_then(
        the_week(), lambda ps: [replace(c, contacted_this_week=c.id in (2, 5)) for c in ps])
    assert names(after) == names(first)
    assert [i.done for i in after.items] == [False, True, False, False, True, False]


def test_a_held_plan_computed_again_is_the_same_plan():
    first = plan_week(MONDAY, the_week(), BLOCK)
    again = plan_week(MONDAY, the_week(), BLOCK, held=[i.held() for i in first.items])
    assert again == first


# ------------------------------------------------------------------ birthdays on their day


def test_a_birthday_before_the_block_day_comes_first_on_its_day():
    people = [person(2, "Olga", rhythm_days=30, last_contacted=MONDAY - timedelta(days=99),
                     follow_up=MONDAY, follow_up_note="promised the deck"),
              person(1, "Bea", birthday=Birthday(12, 1, 1986))]
    plan = plan_week(MONDAY, people, BLOCK)
    bea = plan.items[0]
    assert (bea.name, bea.on, bea.why) == ("Bea", TUESDAY, "Birthday on Tue 1 Dec — turns 40")
    assert act_lead(bea.on, TUESDAY) == "Today"
    assert act_lead(bea.on, MONDAY) == "Tomorrow"
    assert act_lead(bea.on, date(2026, 11, 29)) == "On Tue 1 Dec"
    assert act_lead(bea.on, FRIDAY) == "Belated (it was Tue 1 Dec)"
    assert paper_action(bea) == "On Tue 1 Dec: Send a birthday message"


def test_a_birthday_on_or_after_the_block_day_is_for_the_block():
    plan = plan_week(MONDAY, [person(1, "Bea", birthday=Birthday(12, 5))], BLOCK)
    assert (plan.items[0].on, plan.items[0].why) == (None, "Birthday on Sat 5 Dec")
    assert act_lead(plan.items[0].on, MONDAY) == ""


# ------------------------------------------------------------------ reconnect from day one


def test_an_imported_contact_with_no_touch_is_dormant_at_once():
    ana = person(1, "Ana", created=MONDAY - timedelta(days=1), imported=True)
    [item] = plan_week(MONDAY, [ana], BLOCK).items
    assert item.reason == "dormant"
    assert item.why == "From your address book, no contact on record yet — reconnect"


def test_someone_typed_in_as_just_met_is_a_new_acquaintance_not_dormant():
    met = person(1, "Mia", created=MONDAY, met_on=MONDAY)
    [item] = plan_week(MONDAY, [met], BLOCK).items
    assert item.reason == "new_acquaintance"


def test_a_contact_typed_in_by_hand_waits_the_usual_silence():
    typed = person(1, "Tom", created=MONDAY - timedelta(days=1))
    assert plan_week(MONDAY, [typed], BLOCK).items == ()


def test_a_rhythm_with_no_touch_on_record_is_due_at_once():
    new = person(1, "Rita", rhythm_days=14, created=MONDAY - timedelta(days=1), imported=True)
    assert rhythm_due(new, FRIDAY) == FRIDAY and is_due(new, MONDAY)
    [item] = plan_week(MONDAY, [new], BLOCK).items
    assert (item.reason, item.why) == ("overdue", "Never contacted — every 2 weeks")


def test_a_birthday_before_the_block_moves_a_follow_up_to_that_day():
    """A follow-up outranks a birthday, but the birthday is still wished on the day, not
    in Friday's block three days late; on the block day itself it is a talking point."""
    fred = person(8, "Fred", follow_up=MONDAY - timedelta(days=3), birthday=Birthday(12, 1))
    [item] = plan_week(MONDAY, [fred], BLOCK).items
    assert (item.reason, item.on) == ("follow_up", TUESDAY)
    assert paper_action(item) == "On Tue 1 Dec: Wish a happy birthday, then call to follow up"
    on_the_day = replace(fred, birthday=Birthday(12, 4))
    [item] = plan_week(MONDAY, [on_the_day], BLOCK).items
    assert (item.on, item.action) == (None, "Call to follow up")
    assert item.talking_points[0] == "Birthday on Fri 4 Dec"
    # held all week, and after Done closed the promise, the wish is not said twice
    held = [i.held() for i in plan_week(MONDAY, [fred], BLOCK).items]
    closed = replace(fred, contacted_this_week=True, follow_up=None)
    for who in (fred, closed):
        [again] = plan_week(MONDAY, [who], BLOCK, held=held).items
        assert (again.action, again.on) == (
            "Wish a happy birthday, then call to follow up", TUESDAY)
