"""The networking block as an iCalendar file (RFC 5545), so it lands in the user's calendar.

Qt-free. One VEVENT that repeats weekly on the block's day (RRULE FREQ=WEEKLY;BYDAY=..),
whose DESCRIPTION is this week's list from `netbook.plan.service.load_plan`, in the
plan's order, and whose VALARM reminds the user's phone or calendar a few minutes before
(the block's `alarm_minutes`, 10 unless changed; 0 leaves the alarm out).

The UID names the block (its day and start), not the week: importing next week's file
then updates the one recurring event (SEQUENCE grows week by week) instead of stacking a
second endless series on top of the first. DTSTART carries the system's IANA zone
(TZID + VTIMEZONE) so the block stays at 08:00 across daylight-saving changes; with no
named zone it is written in UTC.

Its lines come from `netbook.plan.wording`, as the printed call list's do, so the PDF and
the calendar say the same thing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import warnings
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal
import vobject
from dateutil import tz  # vobject writes a UTC time as ...Z only for dateutil's UTC

from .planner import WeekPlan
from .wording import (
    BLOCK_NAME,
    ICS_ALARM_TEXT,
    ICS_WEEK_NOTE,
    birthdays_line,
    item_line,
    week_heading,
)

__all__ = ["description", "plan_to_ics", "system_zone", "write_ics"]

PRODID = "-//netbook//Networking block//EN"
SUMMARY = BLOCK_NAME
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_UTC_KEYS = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu",
             "Zulu", "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Etc/Greenwich",
             "Greenwich", "GMT0", "GMT+0", "GMT-0"}


def description(plan: WeekPlan) -> str:
    """The event's text: the heading, one numbered line a person, then birthdays. The
    event repeats weekly and its text is the week it was made for: it says so."""
    lines = [week_heading(plan), ICS_WEEK_NOTE, ""]
    if plan.items:
        for n, item in enumerate(plan.items, 1):
            tick = "[x]" if item.done else "[ ]"
            lines.append(f"{n}. {tick} {item_line(item)}")
    else:
        lines.append("Nobody is due this week.")
    birthdays = birthdays_line(plan)
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
    unnamed offset is known. $TZ first (read afresh: tzlocal remembers its first answer),
    then tzlocal, which knows where Linux, macOS and Windows keep the zone."""
    env = os.environ.get("TZ", "").lstrip(":").strip()
    candidates = [env] if env else []
    with warnings.catch_warnings():  # "no zone configured, using UTC" is our None
        warnings.simplefilter("ignore")
        with contextlib.suppress(OSError, LookupError, ValueError):  # no zone at all
            candidates.append(tzlocal.get_localzone_name() or "")
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
    # types-vobject types every value as text; vobject wants a datetime here
    ev.add("dtstart").value = _dtstart(plan, key)  # type: ignore[assignment]
    ev.add("duration").value = dt.timedelta(minutes=plan.block.minutes)
    ev.add("rrule").value = f"FREQ=WEEKLY;BYDAY={_BYDAY[plan.block_date.weekday()]}"
    ev.add("summary").value = SUMMARY
    ev.add("description").value = description(plan)
    ev.add("transp").value = "OPAQUE"
    if plan.block.alarm_minutes > 0:  # phones and calendars remind whoever isn't at netbook
        alarm = ev.add("valarm")
        alarm.add("action").value = "DISPLAY"
        alarm.add("description").value = ICS_ALARM_TEXT  # every week's, not this week's count
        alarm.add("trigger").value = -dt.timedelta(minutes=plan.block.alarm_minutes)
    return cal.serialize()


def write_ics(plan: WeekPlan, path: Path) -> None:
    """Write the block as an .ics file (UTF-8, CRLF line ends as RFC 5545 asks): whole or
    not at all (a temp file renamed into place), readable by its owner only (0600, as
    mkstemp makes it): it names the people to call."""
    data = plan_to_ics(plan).encode("utf-8")
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".netbook-", suffix=".ics", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
