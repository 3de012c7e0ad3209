"""This week's plan from the store (netbook.plan.service): the one source the panel, `netbook week`,
the PDF and the .ics read — and `netbook week --format json`, a contract."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from helpers import make_card

from netbook.cli import main
from netbook.data import networking, plan_queries, settings
from netbook.data.contacts import NotFoundError
from netbook.data.models import WeekSnapshot
from netbook.plan import planner
from netbook.plan.service import keeping_in_touch, load_plan, plan_contact, plan_to_json
from netbook.plan.wording import block_title

TODAY = dt.date.today()
CONTRACT_ITEM_KEYS = {"contact_id", "name", "phone", "email", "reason", "why", "action",
                      "minutes", "talking_points", "done"}


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def book(store):
    """One person for each reason the planner knows, and a block long enough for all."""
    settings.set_block(store, minutes=600)
    ids = {}

    def add(key, name, card_kwargs=None, **fields):
        ids[key] = store.add_contact(make_card(name, **(card_kwargs or {})))
        last = fields.pop("last", None)
        if last is not None:
            networking.log_interaction(store, ids[key], on=ago(last), kind="call",
                                       exchange=fields.pop("exchange", ""))
        if fields:
            networking.set_networking(store, ids[key], **fields)

    add("follow_up", "Fred Followup", {"phones": ["+1 555 010 0001"], "emails": ["f@x.org"]},
        follow_up=ago(1), follow_up_note="send the deck")
    add("birthday", "Bea Birthday", {"birthday": f"1990-{TODAY:%m-%d}"}
        if (TODAY.month, TODAY.day) != (2, 29) else {"birthday": "--02-29"})
    add("overdue", "Olga Overdue", rhythm_days=30, circle="close", last=90)
    add("new", "Nico New", met_on=ago(2), met_where="the meetup")
    add("partner", "Paula Partner", offers="product design", does="design studio", last=5)
    add("give", "Gary Giver", needs="a product designer", last=400, exchange="asked")
    add("dormant", "Dora Dormant", last=400)
    return store, ids


def reasons(plan) -> dict[str, int]:
    return {item.reason: item.contact_id for item in plan.items}


def test_every_reason_finds_its_person(book):
    store, ids = book
    plan = load_plan(store, TODAY, remember=False)
    found = reasons(plan)
    assert found["follow_up"] == ids["follow_up"]
    assert found["birthday"] == ids["birthday"]
    assert found["overdue"] == ids["overdue"]
    assert found["new_acquaintance"] == ids["new"]
    assert found["give_first"] == ids["give"]
    assert found["dormant"] == ids["dormant"]
    # a birthday before the block day comes first, on its day; the rest by precedence
    rest = [i.reason for i in plan.items if i.on is None]
    assert rest == sorted(rest, key=planner.REASONS.index)
    assert all(i.on is None for i in plan.items[len(plan.items) - len(rest):])


def test_a_contact_reaches_the_planner_with_every_field(store):
    """The store's plan row and the planner's contact are one shape: nothing is lost
    between them (a field added to one and not the other fails here)."""
    row_fields = list(plan_queries.PlanRow._fields)
    assert row_fields == [f.name for f in dataclasses.fields(planner.PlanContact)]
    cid = store.add_contact(make_card("Ada Everything", phones=["+1 555 010 0042"],
                                      emails=["ada@example.org"], org="Analytical Engines",
                                      birthday="1815-12-10"), imported=True)
    networking.set_networking(store, cid, rhythm_days=30, circle="close", met_on=ago(10),
                              met_where="the salon", does="mathematics", needs="a loom",
                              offers="programs", follow_up=TODAY + dt.timedelta(days=3),
                              follow_up_note="send the notes")
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    networking.log_interaction(store, cid, on=monday - dt.timedelta(days=40), kind="call",
                               exchange="asked")
    networking.log_interaction(store, cid, on=TODAY, kind="coffee", note="talked engines",
                               exchange="gave", gift="advice")
    networking.snooze(store, cid, TODAY + dt.timedelta(days=60))
    networking.skip_week(store, cid, monday)

    [row] = plan_queries.plan_rows(store, monday, monday + dt.timedelta(days=6))
    contact = plan_contact(row)
    assert contact == planner.PlanContact(
        id=cid, name="Ada Everything", organization="Analytical Engines",
        phone="+1 555 010 0042", email="ada@example.org", rhythm_days=30, circle="close",
        last_contacted=monday - dt.timedelta(days=40), contacted_this_week=True,
        created=TODAY, birthday=planner.Birthday(month=12, day=10, year=1815),
        met_on=ago(10), met_where="the salon", does="mathematics", needs="a loom",
        offers="programs", follow_up=TODAY + dt.timedelta(days=3),
        follow_up_note="send the notes", snoozed_until=TODAY + dt.timedelta(days=60),
        skipped_this_week=True, gave_count=1, asked_count=1, last_note="talked engines",
        imported=True)
    defaults = planner.PlanContact(id=0, name="")
    assert [n for n in row_fields if getattr(contact, n) == getattr(defaults, n)] == []


def test_the_json_document_keeps_its_contract(book, capsys, db_path):
    store, _ = book
    assert main(["week", "--db", str(db_path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    plan = load_plan(store, TODAY, remember=False)
    assert set(doc) >= {"week_start", "week_end", "block", "budget_minutes",
                        "planned_minutes", "items"}
    assert doc["week_start"] == plan.week_start.isoformat()
    assert doc["week_end"] == (plan.week_start + dt.timedelta(days=6)).isoformat()
    assert set(doc["block"]) >= {"day", "start", "minutes"}
    assert doc["block"] | {"date": None} == {"day": "friday", "start": "08:00", "minutes": 600,
                                            "date": None}
    assert doc["budget_minutes"] == 600
    assert doc["planned_minutes"] == sum(i["minutes"] for i in doc["items"])
    for item in doc["items"]:
        assert set(item) >= CONTRACT_ITEM_KEYS
        assert item["reason"] in planner.REASONS
        assert isinstance(item["talking_points"], list)
        assert item["done"] is False
    # the same people in the same order as the panel (load_plan)
    assert [i["contact_id"] for i in doc["items"]] == [i.contact_id for i in plan.items]
    [fred] = [i for i in doc["items"] if i["reason"] == "follow_up"]
    assert (fred["name"], fred["phone"], fred["email"]) == ("Fred Followup",
                                                            "+1 555 010 0001", "f@x.org")
    assert "send the deck" in fred["why"]


def test_the_json_says_what_is_done(book, capsys, db_path):
    store, ids = book
    networking.log_interaction(store, ids["overdue"], on=TODAY, kind="call")
    main(["week", "--db", str(db_path), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    done = {i["contact_id"]: i["done"] for i in doc["items"]}
    assert done[ids["overdue"]] is True  # still listed, ticked: the week doesn't reshuffle
    assert done[ids["follow_up"]] is False


def test_the_block_settings_shape_the_plan(book):
    store, _ = book
    settings.set_block(store, weekday=0, start="07:15", minutes=20)
    plan = load_plan(store, TODAY, remember=False)
    assert plan.block.weekday == 0 and plan.block.start == dt.time(7, 15)
    assert plan.planned_minutes <= 20
    assert plan.items[0].reason == "follow_up"  # the most pressing first
    doc = plan_to_json(plan)
    assert doc["block"]["day"] == "monday" and doc["block"]["start"] == "07:15"


def test_the_week_starts_on_the_day_the_caller_says(book):
    store, _ = book
    monday_start = load_plan(store, TODAY, first_weekday=0, remember=False)
    sunday_start = load_plan(store, TODAY, first_weekday=6, remember=False)
    assert monday_start.week_start.weekday() == 0
    assert sunday_start.week_start.weekday() == 6
    assert TODAY - monday_start.week_start < dt.timedelta(days=7)


def test_a_contact_deleted_while_planned_leaves_the_plan(book):
    store, ids = book
    plan = load_plan(store, TODAY, remember=False)
    assert ids["overdue"] in [i.contact_id for i in plan.items]
    store.delete_contacts([ids["overdue"]])
    plan = load_plan(store, TODAY, remember=False)
    assert ids["overdue"] not in [i.contact_id for i in plan.items]
    with pytest.raises(NotFoundError):  # logging the call that was planned says why not
        networking.log_interaction(store, ids["overdue"], on=TODAY, kind="call")


def test_a_snoozed_or_skipped_contact_waits(book):
    store, ids = book
    networking.snooze(store, ids["overdue"], TODAY + dt.timedelta(days=30))
    plan = load_plan(store, TODAY, remember=False)
    networking.skip_week(store, ids["dormant"], plan.week_start)
    planned = [i.contact_id for i in load_plan(store, TODAY, remember=False).items]
    assert ids["overdue"] not in planned and ids["dormant"] not in planned


def test_remembering_the_week_records_who_was_planned(book):
    store, _ = book
    plan = load_plan(store, TODAY, remember=True)
    snap = WeekSnapshot.get(WeekSnapshot.week_start == plan.week_start)
    assert snap.contact_ids.split() == [str(i.contact_id) for i in plan.items]
    load_plan(store, TODAY - dt.timedelta(days=14), remember=False)
    assert WeekSnapshot.select().count() == 1


def test_the_command_line_week_remembers_only_the_current_week(book, capsys, db_path):
    main(["week", "--db", str(db_path), "--date", "2020-01-10"])
    assert WeekSnapshot.select().count() == 0
    main(["week", "--db", str(db_path)])
    assert WeekSnapshot.select().count() == 1


def test_the_block_title_reads_like_a_calendar_entry(book):
    store, _ = book
    settings.set_block(store, weekday=4, start="08:00", minutes=60)
    plan = load_plan(store, dt.date(2024, 11, 25), remember=False)
    assert block_title(plan).startswith("Fri 29 Nov, 08:00–09:00 · ")
    assert block_title(plan).endswith(f"{plan.planned_minutes} of 60 min planned")


def test_an_empty_address_book_has_an_empty_plan(store):
    plan = load_plan(store, TODAY, remember=False)
    assert plan.items == () and plan.planned_minutes == 0
    assert plan_to_json(plan)["items"] == []


def test_an_odd_birthday_in_the_store_does_not_break_the_plan(store):
    from netbook.data.models import Contact

    cid = store.add_contact(make_card("Odd Birthday"))
    Contact.update(birthday="--13-45").where(Contact.id == cid).execute()
    assert load_plan(store, TODAY, remember=False).items is not None


def test_a_birthday_on_29_february_is_wished_on_28_february(store):
    settings.set_block(store, minutes=600)
    cid = store.add_contact(make_card("Leap Lea", birthday="2000-02-29"))
    networking.log_interaction(store, cid, on=ago(1), kind="call")
    plan = load_plan(store, dt.date(2023, 2, 28), remember=False)
    assert reasons(plan).get("birthday") == cid


# -- one contact's standing (the detail pane's line under the rhythm) --------------------


@pytest.mark.parametrize("today, expected", [
    (dt.date(2025, 10, 31), "Next due: today"),
    (dt.date(2025, 11, 20), "Next due: overdue since 31 Oct 2025"),
    (dt.date(2025, 10, 10), "Next due: Fri 31 Oct 2025"),
])
def test_a_contacts_standing_in_words(store, today, expected):
    cid = store.add_contact(make_card("Sam Standing"))
    networking.set_networking(store, cid, rhythm_days=30)
    networking.log_interaction(store, cid, on=dt.date(2025, 10, 1), kind="call",
                               exchange="asked")
    for gift in ("advice", "article"):
        networking.log_interaction(store, cid, on=dt.date(2025, 9, 1), kind="call",
                                   exchange="gave", gift=gift)
    text = keeping_in_touch(store.get_contact(cid), networking.interactions(store, cid), today)
    assert text == f"{expected} · last contacted 1 Oct 2025 · asked 1×, gave 2×"


def test_someone_without_a_rhythm_or_a_call(store):
    cid = store.add_contact(make_card("Nia Nobody"))
    assert keeping_in_touch(store.get_contact(cid), [], TODAY) == (
        "No keep-in-touch rhythm · never contacted · asked 0×, gave 0×")
