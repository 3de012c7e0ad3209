"""Every sentence the plan says about dates and gifts, in one place.

Dates read one way everywhere — the window (card, log, panel, review, duplicates), the
printed sheet and the command line's sentences: "Tue 1 Dec", "18 Oct 2026", "21 Oct"
for a birthday without a year. Not QLocale: every sentence around a date is English,
so a locale's month names ("18. Okt. 2026") or numeric short form ("10/18/26", which
reads two ways) would mix languages and styles in one line. Editors may stay ISO.

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
    "introduction_ask",
    "introduction_email",
    "introduction_line",
    "introduction_why",
    "item_line",
    "long_date",
    "met_phrase",
    "one_line",
    "paper_action",
    "partial_date",
    "people",
    "rhythm_phrase",
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
    """'5 Nov 2025', or 'Wed 5 Nov 2025': a date with its year, as the window shows
    every date it is not editing (the card, the log, the duplicates' merge)."""
    text = f"{day_month(d)} {d.year}"
    return f"{WEEKDAY_ABBREVIATIONS[d.weekday()]} {text}" if weekday else text


def rhythm_phrase(circle: str | None, days: int | None) -> str:
    """'Close circle, every 30 days', 'Every 10 days', or '' (no rhythm): one wording
    for the card, the Set rhythm choices and anywhere else a rhythm is said."""
    if circle:
        return f"{circle.capitalize()} circle, every {days} days"
    return f"Every {days} days" if days else ""


def partial_date(month: int, day: int, year: int | None = None) -> str:
    """'21 Oct 1992', or '21 Oct' for a birthday kept without its year."""
    text = f"{day} {MONTHS[month - 1]}"
    return f"{text} {year}" if year is not None else text


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
    """'Fri 27 Nov, 08:00–09:00 · 45 of 60 min planned' (the panel and `netbook week`);
    '… · 75 of 60 min planned — 15 over' when calls done meanwhile over-fill it."""
    over = plan.planned_minutes - plan.budget_minutes
    return (f"{day_label(plan.block_date)}, {_block_times(plan)} · {plan.planned_minutes} of "
            f"{plan.budget_minutes} min planned" + (f" — {over} over" if over > 0 else ""))


# the calendar event repeats every week, while its text is the week it was made for
ICS_WEEK_NOTE = "Who to reach that week (each week's own people are in netbook):"
ICS_ALARM_TEXT = "Your networking block: this week's people are in netbook"


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


def met_phrase(met_on: date | None, met_where: str, today: date) -> str:
    """'met on the flight last week', 'met at Web Summit 3 days ago', '' when it is not
    recent (a month) or not known: how the week's introduction reminds you who they are."""
    if met_on is None or not 0 <= (today - met_on).days <= 31:
        return ""
    days = (today - met_on).days
    when = ("today" if days == 0 else "yesterday" if days == 1 else
            f"{days} days ago" if days < 7 else "last week" if days < 14 else
            f"{days // 7} weeks ago")
    where = one_line(met_where)
    if where and where.split(" ", 1)[0].lower() not in ("on", "at", "in", "through", "via",
                                                          "during", "from", "by"):
        where = f"at {where}"
    return " ".join(p for p in ("met", where, when) if p)


def introduction_why(helper: str, work: str, needer: str, need: str, met: str = "") -> str:
    """'Omar Haddad, met on the flight last week, needs a web designer; Mia Chen (web
    design) could help: introduce them' (the week's row, the sheet and `netbook week`).

    The need first, in the needer's own words, then who could help with what they do in
    brackets: it reads the same for `does: web design` and for a job title ("Lars
    Andersen (Investor at Fjord Capital) could help"), where "Lars does Investor at…"
    did not. `work` may be '' (a give-first partner the planner chose)."""
    who = f"{one_line(needer)}, {met}," if met else one_line(needer)
    helper_text = one_line(helper) + (f" ({one_line(work)})" if one_line(work) else "")
    if not one_line(need):
        return f"{helper_text} could help {who.rstrip(',')}: introduce them"
    return f"{who} needs {one_line(need)}; {helper_text} could help: introduce them"


def introduction_line(name: str) -> str:
    """'Introduce to Mia Chen' (the row's link, the sheet's line)."""
    return f"Introduce to {one_line(name)}"


def _first(name: str) -> str:
    return one_line(name).split(" ", 1)[0] or one_line(name)


def introduction_email(needer: str, need: str, helper: str, work: str,
                       note: str = "") -> tuple[str, str]:
    """(subject, body) of the message that introduces two people to each other; `work`
    is what the helper does, as written ("web design", "Investor at Fjord Capital"),
    put in brackets after their name like the week's line."""
    a, b = _first(needer), _first(helper)
    lines = [f"Hi {a} and {b},", ""]
    lines.append(f"{a}, meet {one_line(helper)}" + (f" ({one_line(work)})." if one_line(work)
                                                    else "."))
    lines.append(f"{b}, meet {one_line(needer)}" + (f": {a} is looking for {one_line(need)}."
                                                    if need else "."))
    lines += ["", "I think you two should talk — I'll let you take it from here."]
    if note.strip():
        lines += ["", one_line(note)]
    lines += ["", "Best,", ""]
    return f"Introduction: {one_line(needer)} ↔ {one_line(helper)}", "\n".join(lines)


def introduction_ask(needer: str, need: str, helper: str, work: str,
                     note: str = "") -> tuple[str, str]:
    """(subject, body) of the careful first step: asking the busier one whether they'd
    like the introduction before making it."""
    a, b = _first(needer), _first(helper)
    lines = [f"Hi {b},", ""]
    about = f", who is looking for {one_line(need)}" if need else ""
    because = f" because of what you do ({one_line(work)})" if one_line(work) else ""
    lines.append(f"Would you be open to an introduction to {one_line(needer)}{about}? "
                 f"I thought of you{because}.")
    if note.strip():
        lines += ["", one_line(note)]
    lines += ["", f"No pressure at all; if yes, I'll put you and {a} in touch by email.", "",
              "Best,", ""]
    return f"Would you like to meet {one_line(needer)}?", "\n".join(lines)
