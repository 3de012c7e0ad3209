"""The networking block as an .ics file: parsed back with vobject, as a calendar would."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from pathlib import Path

import pytest
import vobject

from netbook.plan import ics as calendar
from netbook.plan import planner
from netbook.plan.wording import week_range

NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def item(cid: int, name: str, why: str = "Overdue", action: str = "Call to catch up",
         done: bool = False) -> planner.PlanItem:
    return planner.PlanItem(contact_id=cid, name=name, phone="", email="", reason="overdue",
                            why=why, action=action, action_kind="call", minutes=15,
                            talking_points=(), done=done)


def make_plan(items, weekday: int = 4, start: dt.time = dt.time(8, 0), minutes: int = 60,
              week_start: dt.date = dt.date(2026, 11, 23), birthdays=()) -> planner.WeekPlan:
    block = planner.BlockSettings(weekday=weekday, start=start, minutes=minutes)
    block_date = week_start + dt.timedelta(days=(weekday - week_start.weekday()) % 7)
    return planner.WeekPlan(week_start=week_start, week_end=week_start + dt.timedelta(days=6),
                            block=block, block_date=block_date, budget_minutes=minutes,
                            planned_minutes=15 * len(items), items=tuple(items),
                            also_birthdays=tuple(birthdays))


PEOPLE = [item(3, "Anna Müller", "Follow-up: send the deck", "Call to follow up"),
          item(1, "Иван Петров, Jr.; CEO", "Last talked 95 days ago — every month"),
          item(2, "山田太郎", "Birthday Thursday", "Send a birthday message", done=True)]


def parse(text: str):
    cal = vobject.readOne(text)
    return cal, cal.vevent


def test_event_has_the_required_properties_and_round_trips() -> None:
    text = calendar.plan_to_ics(make_plan(PEOPLE), now=NOW, zone="Europe/Berlin")
    cal, ev = parse(text)
    assert cal.version.value == "2.0"
    assert cal.prodid.value == calendar.PRODID
    assert ev.uid.value == "netbook-block-fr-0800@netbook"
    assert ev.dtstamp.value == NOW
    assert ev.summary.value == "Networking block"
    assert ev.rrule.value == "FREQ=WEEKLY;BYDAY=FR"
    start = ev.dtstart.value
    assert start.replace(tzinfo=None) == dt.datetime(2026, 11, 27, 8, 0)
    assert "DTSTART;TZID=Europe/Berlin:20261127T080000" in text
    assert start.utcoffset() == dt.timedelta(hours=1)  # CET in November
    assert ev.duration.value == dt.timedelta(minutes=60)
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Berlin" in text


def test_description_lists_the_week_in_plan_order() -> None:
    _, ev = parse(calendar.plan_to_ics(make_plan(PEOPLE, birthdays=[
        ("Zoe Rivers", dt.date(2026, 11, 26))]), now=NOW, zone=None))
    lines = ev.description.value.splitlines()
    assert lines[0] == ("Networking block · week of 23–29 Nov 2026 · Fri 08:00–09:00 · "
                        "3 people, 45 min")
    assert lines[1] == "Who to reach that week (each week's own people are in netbook):"
    people = [line for line in lines if line[:1].isdigit()]
    assert people == [
        "1. [ ] Anna Müller — Call to follow up — Follow-up: send the deck",
        "2. [ ] Иван Петров, Jr.; CEO — Call to catch up — Last talked 95 days ago — every month",
        "3. [x] 山田太郎 — Send a birthday message — Birthday Thursday",
    ]
    assert lines[-1] == "Also this week: birthdays — Zoe Rivers (Thu 26 Nov)"


@pytest.mark.parametrize(("weekday", "byday", "start", "minutes", "first"), [
    (1, "TU", dt.time(18, 30), 45, dt.date(2026, 11, 24)),
    (6, "SU", dt.time(7, 0), 90, dt.date(2026, 11, 29)),
    (0, "MO", dt.time(12, 15), 30, dt.date(2026, 11, 23)),
])
def test_rrule_and_dtstart_follow_the_block(weekday, byday, start, minutes, first) -> None:
    plan = make_plan(PEOPLE[:1], weekday=weekday, start=start, minutes=minutes)
    _, ev = parse(calendar.plan_to_ics(plan, now=NOW, zone="America/New_York"))
    assert ev.rrule.value == f"FREQ=WEEKLY;BYDAY={byday}"
    assert ev.dtstart.value.replace(tzinfo=None) == dt.datetime.combine(first, start)
    assert ev.duration.value == dt.timedelta(minutes=minutes)
    # the block repeats weekly at the same wall-clock time, across the DST change in March
    occurrences = list(itertools.islice(ev.getrruleset(), 20))
    assert [o.date() for o in occurrences[:3]] == [first + dt.timedelta(weeks=k)
                                                   for k in range(3)]
    assert {o.time() for o in occurrences} == {start}
    assert {o.weekday() for o in occurrences} == {weekday}


def test_utc_when_there_is_no_named_zone(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert calendar.system_zone() is None
        text = calendar.plan_to_ics(make_plan(PEOPLE), now=NOW)
    finally:
        monkeypatch.undo()
        time.tzset()
    _, ev = parse(text)
    assert "DTSTART:20261127T080000Z" in text
    assert "VTIMEZONE" not in text
    assert ev.dtstart.value == dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)


def test_system_zone_from_tz(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Athens")
    assert calendar.system_zone() == "Europe/Athens"
    text = calendar.plan_to_ics(make_plan(PEOPLE), now=NOW)
    assert "DTSTART;TZID=Europe/Athens:20261127T080000" in text


def test_uid_names_the_block_and_later_weeks_supersede() -> None:
    this = make_plan(PEOPLE)
    again = calendar.plan_to_ics(this, now=NOW, zone=None)
    _, a = parse(again)
    _, b = parse(calendar.plan_to_ics(this, now=NOW, zone=None))
    _, c = parse(calendar.plan_to_ics(make_plan(PEOPLE[:1], week_start=dt.date(2026, 11, 30)),
                                      now=NOW, zone=None))
    assert a.uid.value == b.uid.value == c.uid.value
    assert int(c.sequence.value) > int(a.sequence.value)
    moved = make_plan(PEOPLE, weekday=2, start=dt.time(17, 0))
    assert calendar.block_uid(moved) != a.uid.value


def test_file_is_rfc5545_text(tmp_path: Path) -> None:
    long_name = "Maximiliane Alexandra Theodora von Hohenzollern-Sigmaringen " * 3
    plan = make_plan([*PEOPLE, item(9, long_name.strip(), "line one\nline two")])
    path = tmp_path / "block.ics"
    calendar.write_ics(plan, path)
    data = path.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR"
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets
    assert b"\n" not in data.replace(b"\r\n", b"")
    _, ev = parse(data.decode("utf-8"))
    assert long_name.strip() in ev.description.value
    assert "line one line two" in ev.description.value  # one line per person


def test_empty_week() -> None:
    _, ev = parse(calendar.plan_to_ics(make_plan([]), now=NOW, zone=None))
    assert "Nobody is due this week." in ev.description.value
    assert ev.rrule.value == "FREQ=WEEKLY;BYDAY=FR"


@pytest.mark.parametrize(("start", "end", "text"), [
    (dt.date(2026, 11, 23), dt.date(2026, 11, 29), "23–29 Nov 2026"),
    (dt.date(2026, 11, 30), dt.date(2026, 12, 6), "30 Nov – 6 Dec 2026"),
    (dt.date(2026, 12, 28), dt.date(2027, 1, 3), "28 Dec 2026 – 3 Jan 2027"),
])
def test_week_range(start, end, text) -> None:
    assert week_range(start, end) == text
