"""Every sentence the plan says about dates and gifts, in one place.

English on purpose, and never through strftime: Qt switches the C locale at start-up, so
"%a %b" would print "Fr Nov" in one process and "Fri Nov" in the next. The panel, the
command line, the printed sheet and the calendar all read the same words from here, so
they can't drift apart ("an invitation to an event" in one, "an event invitation" in
another). Standard library only: the pure planner imports it too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the planner imports this module: no import of it at run time
    from .planner import PlanItem, WeekPlan

__all__ = [
    "BLOCK_NAME",
    "GIFT_PHRASES",
    "MONTHS",
    "OUTCOME_BOXES",
    "WEEKDAYS",
    "WEEKDAY_ABBREVIATIONS",
    "act_lead",
    "birthday_phrase",
    "birthdays_line",
    "block_notification",
    "block_title",
    "day_label",
    "day_month",
    "gift_phrase",
    "item_line",
    "long_date",
    "one_line",
    "paper_action",
    "people",
    "short_date",
    "week_heading",
    "week_range",
]

BLOCK_NAME = "Networking block"

# the outcome boxes on the printed sheet, in the words and order "Log this week" reads back
OUTCOME_BOXES = ("Reached", "Left a message")

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_ABBREVIATIONS = tuple(day[:3] for day in WEEKDAYS)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# What you could give someone, as it reads after "give" or "Offer:"; "" is the log's
# "something the list has no word for".
GIFT_PHRASES = {
    "introduction": "an introduction",
    "referral": "a referral",
    "advice": "advice",
    "event": "an event invitation",
    "article": "an article",
    "favour": "a favour",
    "": "something else",
}


def gift_phrase(gift: str) -> str:
    """'an introduction'; an unknown word is shown as it is."""
    return GIFT_PHRASES.get(gift, gift)


def day_month(d: date) -> str:
    """'1 Dec'."""
    return f"{d.day} {MONTHS[d.month - 1]}"


def day_label(d: date) -> str:
    """'Tue 1 Dec'."""
    return f"{WEEKDAY_ABBREVIATIONS[d.weekday()]} {day_month(d)}"


def short_date(d: date, ref: date) -> str:
    """'12 Nov', with the year when it is not the reference date's year."""
    text = day_month(d)
    return text if d.year == ref.year else f"{text} {d.year}"


def long_date(d: date, weekday: bool = False) -> str:
    """'05 Nov 2025', or 'Wed 05 Nov 2025' (the detail pane's next due date)."""
    text = f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"
    return f"{WEEKDAY_ABBREVIATIONS[d.weekday()]} {text}" if weekday else text


def birthday_phrase(on: date) -> str:
    """'Birthday on Tue 1 Dec': a date, not 'Tuesday', so it reads right on any day."""
    return f"Birthday on {day_label(on)}"


def act_lead(on: date | None, today: date) -> str:
    """When to act on an item dated before the block, said on screen relative to today:
    'Today', 'Tomorrow', 'On Tue 1 Dec', or 'Belated (it was Tue 1 Dec)'; '' when the
    item is for the block itself."""
    if on is None:
        return ""
    if on == today:
        return "Today"
    if on == today + timedelta(days=1):
        return "Tomorrow"
    if on < today:
        return f"Belated (it was {day_label(on)})"
    return f"On {day_label(on)}"


def paper_action(item: PlanItem) -> str:
    """The action as the printed sheet says it: 'On Tue 1 Dec: Send a birthday message'
    (paper is read on another day than it was printed: never 'today')."""
    action = one_line(item.action)
    return f"On {day_label(item.on)}: {action}" if item.on is not None else action


def block_notification(plan: WeekPlan) -> str:
    """'Your networking block: 6 people, 60 min' (the tray's note when the block starts)."""
    return f"Your networking block: {people(plan.planned_count)}, {plan.block.minutes} min"


def week_range(start: date, end: date) -> str:
    """'23–29 Nov 2026', '30 Nov – 6 Dec 2026', '28 Dec 2026 – 3 Jan 2027'."""
    if start.year != end.year:
        return f"{day_month(start)} {start.year} – {day_month(end)} {end.year}"
    if start.month != end.month:
        return f"{day_month(start)} – {day_month(end)} {end.year}"
    return f"{start.day}–{end.day} {MONTHS[end.month - 1]} {end.year}"


def people(n: int) -> str:
    """'1 person', '6 people'."""
    return "1 person" if n == 1 else f"{n} people"


def one_line(text: str) -> str:
    """Line breaks and runs of spaces as one space: a note pasted in many lines."""
    return " ".join(text.split())


def _block_times(plan: WeekPlan) -> str:
    start = datetime.combine(plan.block_date, plan.block.start)
    end = start + timedelta(minutes=plan.block.minutes)
    return f"{start:%H:%M}–{end:%H:%M}"


def block_title(plan: WeekPlan) -> str:
    """'Fri 27 Nov, 08:00–09:00 · 45 of 60 min planned' (the panel and `netbook week`)."""
    return (f"{day_label(plan.block_date)}, {_block_times(plan)} · {plan.planned_minutes} of "
            f"{plan.budget_minutes} min planned")


def week_heading(plan: WeekPlan) -> str:
    """'Networking block · week of 23–29 Nov 2026 · Fri 08:00–09:00 · 5 people, 55 min'
    (the sheet's heading, the PDF's title and the calendar event's first line)."""
    return (f"{BLOCK_NAME} · week of {week_range(plan.week_start, plan.week_end)} · "
            f"{WEEKDAY_ABBREVIATIONS[plan.block_date.weekday()]} {_block_times(plan)} · "
            f"{people(plan.planned_count)}, {plan.planned_minutes} min")


def item_line(item: PlanItem) -> str:
    """'Anna Müller — Call to catch up — Overdue: …' (one line a person)."""
    parts = [one_line(item.name) or "(no name)", one_line(item.action), one_line(item.why)]
    return " — ".join(p for p in parts if p)


def birthdays_line(plan: WeekPlan) -> str:
    """'Also this week: birthdays — Ana (Tue 1 Dec), …', or '' when there are none."""
    days = [f"{one_line(name)} ({day_label(on)})" for name, on in plan.also_birthdays]
    return "Also this week: birthdays — " + ", ".join(days) if days else ""
