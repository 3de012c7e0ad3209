"""The networking block as an iCalendar file (RFC 5545), so it lands in the user's calendar.

Qt-free. One VEVENT that repeats weekly on the block's day (RRULE FREQ=WEEKLY;BYDAY=..),
whose DESCRIPTION is this week's list from `netbook.week.load_plan`, in the plan's order.

The UID names the block (its day and start), not the week: importing next week's file
then updates the one recurring event (SEQUENCE grows week by week) instead of stacking a
second endless series on top of the first. DTSTART carries the system's IANA zone
(TZID + VTIMEZONE) so the block stays at 08:00 across daylight-saving changes; with no
named zone it is written in UTC.

`week_heading` and `item_line` are also what the printed call list uses, so the PDF and
the calendar say the same thing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import vobject
from dateutil import tz

from .planner import PlanItem, WeekPlan

__all__ = ["item_line", "plan_to_ics", "system_zone", "week_heading", "week_range", "write_ics"]

PRODID = "-//netbook//Networking block//EN"
SUMMARY = "Networking block"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UTC_KEYS = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu",
             "Zulu", "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Etc/Greenwich",
             "Greenwich", "GMT0", "GMT+0", "GMT-0"}


# -- wording shared with the printed list --------------------------------------------


def week_range(start: dt.date, end: dt.date) -> str:
    """'23–29 Nov 2026', '30 Nov – 6 Dec 2026', '28 Dec 2026 – 3 Jan 2027' (English on
    purpose: the CLI and the PDF must not change with the C locale Qt sets)."""
    if start.year != end.year:
        return (f"{start.day} {_MONTHS[start.month - 1]} {start.year} – "
                f"{end.day} {_MONTHS[end.month - 1]} {end.year}")
    if start.month != end.month:
        return (f"{start.day} {_MONTHS[start.month - 1]} – "
                f"{end.day} {_MONTHS[end.month - 1]} {end.year}")
    return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year}"


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def week_heading(plan: WeekPlan) -> str:
    """'Networking block · week of 23–29 Nov 2026 · Fri 08:00–09:00 · 5 people, 55 min'."""
    start = dt.datetime.combine(plan.block_date, plan.block.start)
    end = start + dt.timedelta(minutes=plan.block.minutes)
    return (f"{SUMMARY} · week of {week_range(plan.week_start, plan.week_end)} · "
            f"{_DAYS[plan.block_date.weekday()]} {start:%H:%M}–{end:%H:%M} · "
            f"{_people(plan.planned_count)}, {plan.planned_minutes} min")


def item_line(item: PlanItem) -> str:
    """'Anna Müller — Call to catch up — Overdue: …' (the calendar's one line a person)."""
    name = " ".join(item.name.split()) or "(no name)"
    parts = [name, " ".join(item.action.split()), " ".join(item.why.split())]
    return " — ".join(p for p in parts if p)


def _birthday_line(plan: WeekPlan) -> str:
    days = [f"{' '.join(name.split())} ({_DAYS[on.weekday()]} {on.day} {_MONTHS[on.month - 1]})"
            for name, on in plan.also_birthdays]
    return "Also this week: birthdays — " + ", ".join(days) if days else ""


def description(plan: WeekPlan) -> str:
    """The event's text: the heading, one numbered line a person, then birthdays."""
    lines = [week_heading(plan), ""]
    if plan.items:
        for n, item in enumerate(plan.items, 1):
            tick = "[x]" if item.done else "[ ]"
            lines.append(f"{n}. {tick} {item_line(item)}")
    else:
        lines.append("Nobody is due this week.")
    birthdays = _birthday_line(plan)
    if birthdays:
        lines += ["", birthdays]
    return "\n".join(lines)


# -- time zone --------------------------------------------------------------------------


class _Zone(ZoneInfo):
    """A ZoneInfo that tells vobject its IANA name: vobject would otherwise write
    TZID:CET or TZID:EST, which some calendars read as a fixed offset."""

    @property
    def tzid(self) -> str:
        return self.key


def system_zone() -> str | None:
    """The system's IANA zone name ('Europe/Berlin'), or None when only UTC or an
    unnamed offset is known. Looks at $TZ, then /etc/localtime, then /etc/timezone."""
    candidates = []
    env = os.environ.get("TZ", "").lstrip(":").strip()
    if env:
        candidates.append(env)
    link = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in link:
        candidates.append(link.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for key in candidates:
        if not key or key.startswith("/"):
            continue
        try:
            ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
        return None if key in _UTC_KEYS else key
    return None


def _dtstart(plan: WeekPlan, zone: str | None) -> dt.datetime:
    local = dt.datetime.combine(plan.block_date, plan.block.start)
    if zone:
        return local.replace(tzinfo=_Zone(zone))
    # no named zone: the wall time in the system's current offset, written in UTC
    return local.astimezone().astimezone(tz.UTC)


# -- the file ---------------------------------------------------------------------------


def block_uid(plan: WeekPlan) -> str:
    """Stable for a block (day and start): re-importing updates rather than duplicates."""
    return (f"netbook-block-{_BYDAY[plan.block.weekday].lower()}-"
            f"{plan.block.start:%H%M}@netbook")


def plan_to_ics(plan: WeekPlan, now: dt.datetime | None = None, *,
                zone: str | bool | None = True) -> str:
    """The VCALENDAR text. `now` stamps DTSTAMP (default: the clock); `zone` is an IANA
    name, None for UTC, or True (the default) for the system's zone."""
    key = system_zone() if zone is True else (zone or None)
    stamp = now or dt.datetime.now(dt.UTC)
    stamp = (stamp if stamp.tzinfo else stamp.astimezone()).astimezone(tz.UTC)
    cal = vobject.iCalendar()
    cal.add("prodid").value = PRODID
    cal.add("calscale").value = "GREGORIAN"
    ev = cal.add("vevent")
    ev.add("uid").value = block_uid(plan)
    ev.add("dtstamp").value = stamp.replace(microsecond=0)
    ev.add("sequence").value = str(plan.week_start.toordinal() // 7)
    ev.add("dtstart").value = _dtstart(plan, key)
    ev.add("duration").value = dt.timedelta(minutes=plan.block.minutes)
    ev.add("rrule").value = f"FREQ=WEEKLY;BYDAY={_BYDAY[plan.block_date.weekday()]}"
    ev.add("summary").value = SUMMARY
    ev.add("description").value = description(plan)
    ev.add("transp").value = "OPAQUE"
    return cal.serialize()


def write_ics(plan: WeekPlan, path: Path) -> None:
    """Write the block as an .ics file (UTF-8, CRLF line ends as RFC 5545 asks)."""
    text = plan_to_ics(plan)
    Path(path).write_bytes(text.encode("utf-8"))
