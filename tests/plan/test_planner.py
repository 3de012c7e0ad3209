"""The week planner, specified the way a user would describe their networking block."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from netbook.plan.planner import (
    Birthday,
    BlockSettings,
    Partner,
    PlanContact,
    WeekPlan,
    birthday_in_week,
    give_ask_summary,
    is_due,
    is_overdue,
    overdue_ratio,
    plan_week,
    rhythm_due,
    rhythm_phrase,
    streak,
    times_phrase,
    week_bounds,
)

# The reference week: Monday 23 – Sunday 29 November 2026, block on Friday 27 November.
MONDAY = date(2026, 11, 23)
THURSDAY = date(2026, 11, 26)
FRIDAY = date(2026, 11, 27)
SUNDAY = date(2026, 11, 29)
BLOCK = BlockSettings()  # Friday 08:00, 60 minutes
ROOMY = BlockSettings(minutes=600)


def person(cid: int, name: str | None = None, **fields: object) -> PlanContact:
    """A contact with nothing going on unless the test says so."""
    fields.setdefault("created", FRIDAY - timedelta(days=10))
    return PlanContact(id=cid, name=name or f"Person {cid}", **fields)  # type: ignore[arg-type]


def plan(*contacts: PlanContact, block: BlockSettings = ROOMY, **kw: object) -> WeekPlan:
    return plan_week(MONDAY, contacts, block, **kw)  # type: ignore[arg-type]


def ids(p: WeekPlan) -> list[int]:
    return [item.contact_id for item in p.items]


def only(p: WeekPlan):
    assert len(p.items) == 1, p.items
    return p.items[0]


# ------------------------------------------------------------------ week boundaries


def test_monday_first_week_of_a_sunday_ends_that_sunday():
    assert week_bounds(date(2026, 11, 22), 0) == (date(2026, 11, 16), date(2026, 11, 22))


def test_sunday_first_week_of_a_sunday_starts_that_sunday():
    assert week_bounds(date(2026, 11, 22), 6) == (date(2026, 11, 22), date(2026, 11, 28))


def test_week_bounds_of_a_midweek_day_cover_seven_days():
    start, end = week_bounds(date(2026, 11, 25), 0)
    assert (start, end) == (MONDAY, SUNDAY)


def test_block_date_is_the_blocks_weekday_inside_a_sunday_first_week():
    p = plan_week(date(2026, 11, 22), [], BLOCK, first_weekday=6)
    assert (p.week_start, p.block_date, p.week_end) == (
        date(2026, 11, 22),
        date(2026, 11, 27),
        date(2026, 11, 28),
    )


def test_block_on_sunday_in_a_monday_first_week_is_the_last_day():
    p = plan_week(MONDAY, [], BlockSettings(weekday=6))
    assert p.block_date == SUNDAY


# ------------------------------------------------------------------------ birthdays


def test_birthday_in_the_week_gives_its_date():
    assert birthday_in_week(Birthday(11, 26, 1980), MONDAY, SUNDAY) == THURSDAY


def test_birthday_outside_the_week_is_none():
    assert birthday_in_week(Birthday(12, 1), MONDAY, SUNDAY) is None


def test_29_february_birthday_falls_on_28_february_in_2027():
    start, end = week_bounds(date(2027, 2, 28), 0)
    assert birthday_in_week(Birthday(2, 29, 1996), start, end) == date(2027, 2, 28)


def test_29_february_birthday_stays_on_29_february_in_a_leap_year():
    start, end = week_bounds(date(2028, 2, 29), 0)
    assert birthday_in_week(Birthday(2, 29), start, end) == date(2028, 2, 29)


def test_birthday_without_a_year_still_counts():
    assert birthday_in_week(Birthday(11, 26), MONDAY, SUNDAY) == THURSDAY


def test_1_january_birthday_is_found_in_the_week_of_29_december():
    start, end = week_bounds(date(2026, 12, 29), 0)
    assert birthday_in_week(Birthday(1, 1, 1990), start, end) == date(2027, 1, 1)


def test_impossible_birthday_date_is_ignored_instead_of_crashing():
    assert birthday_in_week(Birthday(4, 31), MONDAY, SUNDAY) is None


# --------------------------------------------------------------------- rhythm helpers


def test_next_due_is_last_contact_plus_rhythm():
    c = person(1, rhythm_days=30, last_contacted=date(2026, 11, 1))
    assert rhythm_due(c, FRIDAY) == date(2026, 12, 1)


def test_never_contacted_is_due_a_rhythm_after_we_met():
    c = person(1, rhythm_days=30, met_on=date(2026, 11, 1), created=date(2026, 11, 20))
    assert rhythm_due(c, FRIDAY) == date(2026, 12, 1)


def test_never_contacted_without_dates_is_due_now():
    c = PlanContact(id=1, name="Ana", rhythm_days=30)
    assert rhythm_due(c, FRIDAY) == FRIDAY
    assert is_due(c, FRIDAY)
    assert not is_overdue(c, FRIDAY)


def test_no_rhythm_has_no_due_date():
    assert rhythm_due(person(1, last_contacted=date(2020, 1, 1)), FRIDAY) is None


def test_non_positive_rhythm_counts_as_no_rhythm():
    c = person(1, rhythm_days=0, last_contacted=date(2020, 1, 1))
    assert rhythm_due(c, FRIDAY) is None
    assert overdue_ratio(replace(c, rhythm_days=-5), FRIDAY) is None


def test_overdue_means_the_due_date_has_passed():
    c = person(1, rhythm_days=30, last_contacted=FRIDAY - timedelta(days=31))
    assert is_due(c, FRIDAY) and is_overdue(c, FRIDAY)


def test_95_days_on_30_day_rhythm_is_later_than_100_days_on_90():
    short = person(1, rhythm_days=30, last_contacted=FRIDAY - timedelta(days=95))
    long = person(2, rhythm_days=90, last_contacted=FRIDAY - timedelta(days=100))
    assert overdue_ratio(short, FRIDAY) > overdue_ratio(long, FRIDAY)


def test_rhythms_read_as_people_say_them():
    assert [rhythm_phrase(d) for d in (7, 14, 30, 90, 365, 45)] == [
        "every week",
        "every 2 weeks",
        "every month",
        "every 3 months",
        "every year",
        "every 45 days",
    ]


def test_counts_read_as_once_twice_then_times():
    assert [times_phrase(n) for n in (1, 2, 3)] == ["once", "twice", "3×"]


def test_give_ask_summary_shows_both_counts():
    assert give_ask_summary(gave=1, asked=3) == "asked 3×, gave 1×"


# ------------------------------------------------------------------------ follow-ups


def test_follow_up_this_week_shows_its_note():
    item = only(plan(person(1, follow_up=THURSDAY, follow_up_note="promised an intro to Ana")))
    assert item.reason == "follow_up"
    assert item.why == "Follow-up: promised an intro to Ana"
    assert (item.action_kind, item.minutes) == ("call", 15)


def test_follow_up_without_note_shows_its_date():
    assert only(plan(person(1, follow_up=THURSDAY))).why == "Follow-up due Thu 26 Nov"


def test_overdue_follow_up_says_since_when():
    item = only(plan(person(1, follow_up=date(2026, 11, 12), follow_up_note="send the deck")))
    assert item.why == "Follow-up overdue since 12 Nov: send the deck"


def test_follow_up_after_this_week_waits():
    assert plan(person(1, follow_up=SUNDAY + timedelta(days=1))).items == ()


def test_promises_come_before_earlier_follow_ups():
    early = person(1, follow_up=date(2026, 11, 10), follow_up_note="ask about the job")
    promise = person(2, follow_up=THURSDAY, follow_up_note="I'll send the report")
    owed = person(3, follow_up=FRIDAY, follow_up_note="Owe her a coffee")
    assert ids(plan(early, promise, owed)) == [2, 3, 1]


def test_follow_ups_without_promises_go_earliest_first():
    later = person(1, follow_up=THURSDAY)
    earlier = person(2, follow_up=MONDAY)
    assert ids(plan(later, earlier)) == [2, 1]


# ------------------------------------------------------------------------- birthdays


def test_birthday_this_week_says_its_date():
    item = only(plan(person(1, birthday=Birthday(11, 26))))
    assert (item.reason, item.why) == ("birthday", "Birthday on Thu 26 Nov")


def test_birthday_of_inner_circle_is_a_call():
    item = only(plan(person(1, circle="inner", birthday=Birthday(11, 26))))
    assert (item.action, item.action_kind) == ("Call to wish a happy birthday", "call")


def test_birthday_of_wider_network_is_a_message():
    item = only(plan(person(1, circle="network", birthday=Birthday(11, 26))))
    assert (item.action, item.action_kind, item.minutes) == (
        "Send a birthday message",
        "message",
        5,
    )


def test_birthday_with_a_year_mentions_the_age():
    assert only(plan(person(1, birthday=Birthday(11, 26, 1986)))).why == (
        "Birthday on Thu 26 Nov — turns 40"
    )


# --------------------------------------------------------------------------- rhythm


def test_overdue_contact_shows_days_since_last_talk():
    c = person(1, rhythm_days=30, last_contacted=FRIDAY - timedelta(days=94))
    item = only(plan(c))
    assert item.reason == "overdue"
    assert item.why == "Last talked 94 days ago — every month"


def test_overdue_circle_contact_keeps_the_last_talked_prefix():
    c = person(1, rhythm_days=14, circle="inner", last_contacted=FRIDAY - timedelta(days=20))
    assert only(plan(c)).why.startswith("Last talked 20 days ago — every 2 weeks")


def test_never_contacted_with_rhythm_is_planned_as_never_contacted():
    c = PlanContact(id=1, name="Ana", rhythm_days=30)
    assert only(plan(c)).why == "Never contacted — every month"


def test_contact_due_by_the_end_of_the_week_is_planned():
    c = person(1, rhythm_days=30, last_contacted=SUNDAY - timedelta(days=30))
    assert only(plan(c)).reason == "overdue"


def test_contact_not_yet_due_is_not_planned():
    c = person(1, rhythm_days=30, last_contacted=SUNDAY - timedelta(days=29))
    assert plan(c).items == ()


def test_most_overdue_relative_to_rhythm_comes_first():
    long = person(1, rhythm_days=90, last_contacted=FRIDAY - timedelta(days=100))
    short = person(2, rhythm_days=30, last_contacted=FRIDAY - timedelta(days=95))
    assert ids(plan(long, short)) == [2, 1]


def test_non_positive_rhythm_in_the_plan_does_not_crash():
    c = person(1, rhythm_days=0, last_contacted=date(2020, 1, 1))
    assert only(plan(c)).reason == "dormant"


# ---------------------------------------------------------------- new acquaintances


def test_someone_met_recently_gets_a_follow_up_note():
    c = person(1, met_on=FRIDAY - timedelta(days=5), met_where="the Lisbon conference")
    item = only(plan(c))
    assert item.reason == "new_acquaintance"
    assert item.why == "Met 5 days ago at the Lisbon conference — follow up while it's fresh"
    assert (item.action, item.action_kind) == ("Send a follow-up note", "email")


def test_someone_met_and_already_contacted_is_not_a_new_acquaintance():
    met = FRIDAY - timedelta(days=5)
    assert plan(person(1, met_on=met, last_contacted=met + timedelta(days=1))).items == ()


def test_someone_met_over_two_weeks_ago_is_no_longer_fresh():
    assert plan(person(1, met_on=FRIDAY - timedelta(days=15))).items == ()


# ------------------------------------------------------------------------ give first


def test_give_first_introduces_the_partner_whose_work_meets_the_need():
    ana = person(1, "Ana", asked_count=2, needs="a designer for her shop")
    ben = person(2, "Ben", does="Freelance designer, brand identities")
    partner = Partner(2, "Ben", "Freelance designer, brand identities")
    item = next(i for i in plan(ana, ben, partner_for={1: partner}).items
                if i.contact_id == 1)
    assert item.reason == "give_first"
    assert item.why == ("You've asked twice and given nothing — Ana needs a designer for "
                        "her shop, Ben could help (Freelance designer, brand identities): "
                        "introduce them")
    assert (item.action, item.action_kind) == ("Introduce Ana to Ben", "email")
    assert item.gift == "introduction"
    assert item.partner_id == 2


def test_give_first_never_matches_on_its_own():
    """The planner has no matcher of its own (issue 13: one matcher, by work, with a
    real stemmer): without a partner found for them, give-first offers something."""
    ana = person(1, "Ana", asked_count=1, needs="a web designer")
    bob = person(2, "Bob", offers="intro to a web designer I know", does="web designer")
    item = next(i for i in plan(ana, bob).items if i.contact_id == 1)
    assert (item.gift, item.partner_id, item.action) == ("favour", None,
                                                         "Call to offer something")


def test_give_first_without_a_match_says_offer_something_first():
    c = person(1, "Ana", asked_count=3, gave_count=1, offers="advice on hiring")
    item = only(plan(c))
    assert item.why == "You've asked 3× and given once — offer something first"
    assert "You could offer: advice on hiring" in item.talking_points
    assert (item.action_kind, item.gift) == ("call", "advice")


def test_no_give_first_when_giving_keeps_up_with_asking():
    assert plan(person(1, asked_count=2, gave_count=2)).items == ()


def test_introduced_contact_appears_once_even_when_the_partner_is_planned():
    ana = person(1, "Ana", asked_count=2, needs="designer")
    ben = person(2, "Ben", does="designer", birthday=Birthday(11, 26))
    p = plan(ana, ben, partner_for={1: Partner(2, "Ben", "designer")})
    assert sorted(ids(p)) == [1, 2]
    assert [i.reason for i in p.items] == ["birthday", "give_first"]


# ---------------------------------------------------------------------------- dormant


def test_long_silence_without_rhythm_is_a_dormant_reconnect():
    c = person(1, last_contacted=date(2024, 10, 1))
    item = only(plan(c))
    assert item.reason == "dormant"
    assert item.why == "No contact in 2 years — reconnect"
    assert (item.action, item.action_kind) == ("Send a hello", "message")


def test_silence_under_two_years_says_months():
    c = person(1, last_contacted=date(2025, 9, 20))
    assert only(plan(c)).why == "Haven't talked in 14 months — say hello"


def test_never_contacted_counts_silence_from_when_added():
    assert only(plan(person(1, created=date(2025, 11, 1)))).reason == "dormant"


def test_contact_without_any_date_counts_as_dormant():
    assert only(plan(PlanContact(id=1, name="Ana"))).reason == "dormant"


def test_recent_contact_is_not_dormant():
    assert plan(person(1, last_contacted=FRIDAY - timedelta(days=179))).items == ()


def test_contact_with_a_rhythm_is_never_dormant():
    c = person(1, rhythm_days=400, last_contacted=FRIDAY - timedelta(days=200))
    assert plan(c).items == ()


def test_dormant_contacts_are_capped_per_week():
    people = [person(i, last_contacted=date(2020, 1, 1)) for i in range(1, 11)]
    assert len(plan(*people, dormant_count=3).items) == 3


def test_dormant_contacts_come_in_the_order_of_whose_turn_it_is():
    """The store says whose turn it is (the rotation, tested with the store in
    test_week_record.py); the planner takes the first who fit, in that order."""
    people = [person(i, last_contacted=date(2020, 1, 1)) for i in range(1, 8)]
    turn = plan_week(MONDAY, people, ROOMY, dormant_count=3, dormant_order=[5, 2, 7, 1])
    assert ids(turn) == [5, 2, 7]
    assert ids(plan_week(MONDAY, people, ROOMY, dormant_count=3)) == [1, 2, 3]  # no order


# ------------------------------------------------------------------------- precedence


def test_overdue_contact_with_a_birthday_appears_once_as_birthday():
    c = person(1, rhythm_days=30, last_contacted=date(2026, 1, 1), birthday=Birthday(11, 26))
    assert only(plan(c)).reason == "birthday"


def test_follow_up_beats_every_other_reason():
    c = person(
        1,
        follow_up=THURSDAY,
        birthday=Birthday(11, 26),
        rhythm_days=30,
        last_contacted=date(2026, 1, 1),
        met_on=FRIDAY - timedelta(days=3),
        asked_count=5,
    )
    item = only(plan(c))
    assert item.reason == "follow_up"
    assert item.talking_points[0] == "Birthday on Thu 26 Nov"


def test_plan_lists_reasons_in_precedence_order():
    p = plan(
        person(1, last_contacted=date(2020, 1, 1)),
        person(2, asked_count=1),
        person(3, met_on=FRIDAY - timedelta(days=2)),
        person(4, rhythm_days=30, last_contacted=date(2026, 1, 1)),
        person(5, birthday=Birthday(11, 28)),  # after the block: in precedence order
        person(6, follow_up=THURSDAY),
    )
    assert [i.reason for i in p.items] == [
        "follow_up",
        "birthday",
        "overdue",
        "new_acquaintance",
        "give_first",
        "dormant",
    ]


# ---------------------------------------------------------------------- determinism


def _busy_network() -> list[PlanContact]:
    rng = random.Random(7)
    people = []
    for i in range(1, 60):
        people.append(
            person(
                i,
                rhythm_days=rng.choice([None, 14, 30, 90]),
                last_contacted=FRIDAY - timedelta(days=rng.randint(0, 900)),
                birthday=Birthday(11, rng.randint(20, 30)) if i % 5 == 0 else None,
                follow_up=FRIDAY - timedelta(days=rng.randint(-10, 10)) if i % 7 == 0 else None,
                asked_count=rng.randint(0, 3),
                needs=rng.choice(["", "designer", "investor"]),
                does=rng.choice(["", "designer", "angel investor"]),
            )
        )
    return people


def test_same_input_gives_the_same_plan():
    people = _busy_network()
    assert plan(*people, block=BLOCK) == plan(*people, block=BLOCK)


def test_input_order_does_not_change_the_plan():
    people = _busy_network()
    shuffled = people[:]
    random.Random(3).shuffle(shuffled)
    assert plan(*shuffled, block=BLOCK) == plan(*people, block=BLOCK)


# --------------------------------------------------------------------------- budget


def test_items_that_do_not_fit_are_left_out():
    p = plan(
        person(1, follow_up=THURSDAY),
        person(2, follow_up=THURSDAY),
        block=BlockSettings(minutes=20),
    )
    assert ids(p) == [1]
    assert p.planned_minutes == 15


def test_a_smaller_later_item_can_still_fit():
    p = plan(
        person(1, follow_up=THURSDAY),
        person(2, follow_up=THURSDAY),
        person(3, last_contacted=date(2020, 1, 1)),
        block=BlockSettings(minutes=20),
    )
    assert ids(p) == [1, 3]
    assert p.planned_minutes == 20


def test_a_lower_reason_never_pushes_out_a_higher_one():
    p = plan(
        person(1, last_contacted=date(2020, 1, 1)),
        person(2, last_contacted=date(2020, 1, 1)),
        person(3, follow_up=THURSDAY),
        block=BlockSettings(minutes=15),
    )
    assert ids(p) == [3]


def test_planned_minutes_never_exceed_the_budget():
    for minutes in (0, 5, 17, 33, 60, 90):
        p = plan(*_busy_network(), block=BlockSettings(minutes=minutes))
        assert p.planned_minutes == sum(i.minutes for i in p.items) <= minutes


def test_minutes_follow_the_users_touch_settings():
    block = BlockSettings(touch_minutes={"call": 25, "message": 5})
    item = only(plan(person(1, follow_up=THURSDAY), block=block))
    assert item.minutes == 25


def test_zero_minute_block_gives_an_empty_plan():
    p = plan(*_busy_network(), block=BlockSettings(minutes=0))
    assert (p.items, p.planned_minutes, p.budget_minutes) == ((), 0, 0)


def test_birthday_that_did_not_fit_is_listed_in_the_footer():
    p = plan(
        person(1, follow_up=THURSDAY),
        person(2, "Cleo", birthday=Birthday(11, 28)),
        block=BlockSettings(minutes=15),
    )
    assert ids(p) == [1]
    assert p.also_birthdays == (("Cleo", date(2026, 11, 28)),)


# ------------------------------------------------------------------ snooze and skip


def test_snoozed_until_next_week_is_left_out():
    c = person(1, follow_up=THURSDAY, snoozed_until=SUNDAY + timedelta(days=1))
    assert plan(c).items == ()


def test_snoozed_until_a_past_date_is_back():
    c = person(1, follow_up=THURSDAY, snoozed_until=date(2026, 11, 1))
    assert ids(plan(c)) == [1]


def test_snoozed_until_a_day_inside_this_week_is_back():
    c = person(1, follow_up=THURSDAY, snoozed_until=SUNDAY)
    assert ids(plan(c)) == [1]


def test_skipped_this_week_is_left_out():
    assert plan(person(1, follow_up=THURSDAY, skipped_this_week=True)).items == ()


def test_snoozed_birthday_is_not_in_the_footer_either():
    c = person(1, birthday=Birthday(11, 26), snoozed_until=date(2027, 1, 1))
    assert plan(c).also_birthdays == ()


# ------------------------------------------------------------------------ done items


def test_done_items_stay_in_the_plan_marked_done():
    p = plan(
        person(1, follow_up=THURSDAY, contacted_this_week=True),
        person(2, follow_up=THURSDAY),
        block=BlockSettings(minutes=30),
    )
    assert [(i.contact_id, i.done) for i in p.items] == [(1, True), (2, False)]
    assert (p.planned_minutes, p.done_count, p.planned_count) == (30, 1, 2)


def test_logging_a_call_does_not_reshuffle_the_week():
    people = _busy_network()
    before = plan(*people, block=BLOCK)
    first = before.items[0].contact_id
    after = plan(*[replace(c, contacted_this_week=c.id == first) for c in people], block=BLOCK)
    assert ids(after) == ids(before)
    assert after.items[0].done


# ------------------------------------------------------------------- talking points


def test_talking_points_list_only_what_is_known_in_order():
    c = person(
        1,
        follow_up=THURSDAY,
        last_note="Talked about her move to Porto",
        needs="a flat",
        offers="my landlord's number",
    )
    assert only(plan(c)).talking_points == (
        "Last time: Talked about her move to Porto",
        "Needs: a flat",
        "You could offer: my landlord's number",
    )


def test_long_talking_points_are_trimmed_with_an_ellipsis():
    c = person(1, follow_up=THURSDAY, does="word " * 100)
    point = only(plan(c)).talking_points[0]
    assert point.startswith("Working on: word word")
    assert point.endswith("…") and len(point) <= len("Working on: ") + 200


# ---------------------------------------------------------------------------- streak


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        ([], 0),
        ([(3, 3), (2, 2), (4, 4)], 3),
        ([(3, 3), (2, 1), (4, 4)], 1),
        ([(3, 4)], 1),
        ([(0, 0), (2, 2)], 0),
        ([(2, 1)], 0),
    ],
    ids=[
        "no history",
        "all kept",
        "broken by a missed week",
        "more done than planned",
        "empty week breaks",
        "last week missed",
    ],
)
def test_streak_counts_consecutive_kept_weeks(weeks, expected):
    assert streak(weeks) == expected
