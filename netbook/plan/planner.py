"""The week planner: who to contact in this week's networking block, and why.

Ferrazzi's rule is to block a fixed part of every week for your network and to give
before you ask. This module turns plain data about contacts into that week's plan.

It is pure on purpose: standard library only (and the plan's own wording), no Qt, no
SQL, no other netbook module, and no clock. Everything depends on the date it is
given and the data it is handed, so the same week always yields the same plan and the
tests need no database. The store resolves what it knows (a contact's rhythm, best
phone, last interaction before the week) into a :class:`PlanContact`; the UI and the CLI
render the :class:`WeekPlan`.

Determinism: contacts are sorted by id on the way in and every ordering ends with the
contact id as a tie-break, so the input order never changes the plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from types import MappingProxyType

from .wording import birthday_phrase, day_label, short_date

__all__ = [
    "CIRCLE_DAYS",
    "DEFAULT_TOUCH_MINUTES",
    "DORMANT_AFTER_DAYS",
    "FALLBACK_TOUCH_MINUTES",
    "GIVE_KINDS",
    "NEW_ACQUAINTANCE_DAYS",
    "REASONS",
    "TOUCH_KINDS",
    "Birthday",
    "BlockSettings",
    "HeldItem",
    "Introduction",
    "Partner",
    "PlanContact",
    "PlanItem",
    "WeekPlan",
    "birthday_in_week",
    "block_date",
    "days_since_touch",
    "give_ask_summary",
    "is_due",
    "is_overdue",
    "is_promise",
    "last_touch",
    "overdue_ratio",
    "plan_week",
    "rhythm_basis",
    "rhythm_due",
    "rhythm_phrase",
    "streak",
    "times_phrase",
    "week_bounds",
]

# Read-only so a caller cannot change the defaults for everybody; `dict(CIRCLE_DAYS)`
# gives an editable copy.
CIRCLE_DAYS: Mapping[str, int] = MappingProxyType(
    {"inner": 14, "close": 30, "network": 90, "acquaintance": 365}
)
TOUCH_KINDS = ("call", "email", "message", "coffee", "meal", "meeting", "event")
DEFAULT_TOUCH_MINUTES: Mapping[str, int] = MappingProxyType(
    {"call": 15, "email": 5, "message": 5, "coffee": 45, "meal": 60, "meeting": 30, "event": 90}
)
FALLBACK_TOUCH_MINUTES = 15
GIVE_KINDS = ("introduction", "referral", "advice", "event", "article", "favour")

# Precedence order: the first reason that applies to a contact is the one they get.
REASONS = ("follow_up", "birthday", "overdue", "new_acquaintance", "give_first", "dormant")

NEW_ACQUAINTANCE_DAYS = 14
DORMANT_AFTER_DAYS = 180
TEXT_LIMIT = 200  # talking points and notes are trimmed to about this many characters



# --------------------------------------------------------------------------- inputs


def _default_touch_minutes() -> Mapping[str, int]:
    return MappingProxyType(dict(DEFAULT_TOUCH_MINUTES))


@dataclass(frozen=True)
class BlockSettings:
    """The weekly networking block: which day, when, how long, and what each touch costs."""

    weekday: int = 4  # 0=Monday … 6=Sunday (Friday by default)
    start: time = time(8, 0)
    minutes: int = 60
    # A mapping is not hashable; leave it out of the hash but keep it in equality.
    touch_minutes: Mapping[str, int] = field(default_factory=_default_touch_minutes, hash=False)
    alarm_minutes: int = 10  # the calendar's reminder before the start (0: none)


@dataclass(frozen=True)
class Birthday:
    """A birthday; many address books store it without a year."""

    month: int
    day: int
    year: int | None = None


@dataclass(frozen=True)
class PlanContact:
    """What the planner needs to know about one contact, already resolved by the store.

    `last_contacted` is the last interaction dated *before* the planned week, and
    `contacted_this_week` says whether one was logged inside it: that split keeps the
    week's plan stable while the user works through it.
    """

    id: int
    name: str
    organization: str = ""
    phone: str = ""
    email: str = ""
    rhythm_days: int | None = None
    circle: str | None = None
    last_contacted: date | None = None
    contacted_this_week: bool = False
    created: date | None = None
    birthday: Birthday | None = None
    met_on: date | None = None
    met_where: str = ""
    does: str = ""
    needs: str = ""
    offers: str = ""
    follow_up: date | None = None
    follow_up_note: str = ""
    snoozed_until: date | None = None
    skipped_this_week: bool = False
    gave_count: int = 0
    asked_count: int = 0
    last_note: str = ""
    # brought in by an import or a sync (not typed in here): with no touch on record they
    # are the "years of silence" people, dormant at once rather than 180 days on
    imported: bool = False


@dataclass(frozen=True)
class HeldItem:
    """Someone this week's plan has already shown, with what it said about them.

    The service remembers them per week; given back to `plan_week` they keep their place
    all week, whatever is skipped, snoozed or done around them (a plan that holds still).
    The words are kept for when their reason is gone (a follow-up closed by its Done).
    """

    contact_id: int
    reason: str
    why: str
    action: str
    action_kind: str
    minutes: int
    gift: str = ""
    partner_id: int | None = None
    on: date | None = None


@dataclass(frozen=True)
class Partner:
    """Whom to introduce someone I owe to (give first): the person whose *work* answers
    their need — what they do, title, tags, organisation — never what I could offer
    them. Found by plan/connector.py with plan/matching.py's stems, as the week's other
    introductions are; `work` is what matched, as it reads in brackets after the name."""

    contact_id: int
    name: str
    work: str = ""


# -------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Introduction:
    """Someone to introduce the planned person to, and why (their need meets the
    other's work, or the other way round); found by plan/connector.py."""

    contact_id: int
    name: str
    why: str


@dataclass(frozen=True)
class PlanItem:
    """One person to contact in the block, with the reason and what to do."""

    contact_id: int
    name: str
    phone: str
    email: str
    reason: str  # one of REASONS
    why: str  # the sentence shown to the user
    action: str  # the suggested action in words, e.g. "Send a birthday message"
    action_kind: str  # one of TOUCH_KINDS; the minutes are based on it
    minutes: int
    talking_points: tuple[str, ...]
    done: bool
    organization: str = ""
    gift: str = ""  # give_first only: what to give (one of GIVE_KINDS)
    partner_id: int | None = None  # give_first introductions: the person to introduce
    # the day to act when it is not the block's day: a birthday before the block is
    # wished on the day itself (the panel says "today", the sheet "on Tue 1 Dec")
    on: date | None = None
    introduce: Introduction | None = None  # the week's introduction for this person

    def held(self) -> HeldItem:
        """What the week remembers of this item."""
        return HeldItem(self.contact_id, self.reason, self.why, self.action,
                        self.action_kind, self.minutes, self.gift, self.partner_id, self.on)


@dataclass(frozen=True)
class WeekPlan:
    """The plan for one week's networking block."""

    week_start: date
    week_end: date  # inclusive: the week is week_start … week_end, 7 days
    block: BlockSettings
    block_date: date
    budget_minutes: int
    planned_minutes: int
    items: tuple[PlanItem, ...]
    # Birthdays this week of people who are not in the plan (it was full): the call
    # list prints them in its footer so nobody's birthday is silently missed.
    also_birthdays: tuple[tuple[str, date], ...] = ()

    @property
    def done_count(self) -> int:
        """How many planned people have been contacted this week."""
        return sum(1 for item in self.items if item.done)

    @property
    def planned_count(self) -> int:
        """How many people are in the plan."""
        return len(self.items)


# -------------------------------------------------------------- dates and wording


def week_bounds(day: date, first_weekday: int) -> tuple[date, date]:
    """The week containing `day` as (first, last) day, inclusive.

    Locales start the week on different days (US: Sunday, most of Europe: Monday), so the
    first weekday is a parameter: 0=Monday … 6=Sunday.
    """
    start = day - timedelta(days=(day.weekday() - first_weekday) % 7)
    return start, start + timedelta(days=6)


def block_date(week_start: date, weekday: int) -> date:
    """The block's day in the week starting `week_start` (the planner's and the store
    side's one rule)."""
    return week_start + timedelta(days=(weekday % 7 - week_start.weekday()) % 7)


def times_phrase(n: int) -> str:
    """Counts in words, the way people say them: 'once', 'twice', '3×'."""
    if n == 1:
        return "once"
    if n == 2:
        return "twice"
    return f"{n}×"


def rhythm_phrase(days: int) -> str:
    """A rhythm in human words: 'every 2 weeks', 'every month', 'every 45 days'."""
    if days == 1:
        return "every day"
    if days % 365 == 0:
        years = days // 365
        return "every year" if years == 1 else f"every {years} years"
    if days in (30, 31):
        return "every month"
    if days % 30 == 0:
        return f"every {days // 30} months"
    if days % 7 == 0:
        weeks = days // 7
        return "every week" if weeks == 1 else f"every {weeks} weeks"
    return f"every {days} days"


def _months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def _silence_phrase(months: int) -> str:
    if months >= 24:
        return f"{months // 12} years"
    if months == 12:
        return "a year"
    return "a month" if months == 1 else f"{months} months"


def _clean(text: str, limit: int = TEXT_LIMIT) -> str:
    """One line, at most about `limit` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-—") + "…"


def give_ask_summary(gave: int, asked: int) -> str:
    """The give/ask balance as the detail pane shows it, e.g. 'asked 3×, gave 1×'."""
    return f"asked {max(asked, 0)}×, gave {max(gave, 0)}×"


def streak(weeks: Sequence[tuple[int, int]]) -> int:
    """Consecutive kept weeks, most recent first, as (planned, done) per week.

    A week counts when something was planned and all of it was done; an empty week
    breaks the streak because the habit is the point.
    """
    count = 0
    for planned, done in weeks:
        if planned <= 0 or done < planned:
            break
        count += 1
    return count


# ------------------------------------------------------------------------ birthdays


def _birthday_on(b: Birthday, year: int) -> date | None:
    """The birthday in `year`; 29 Feb is kept on 28 Feb in common years."""
    month, day = b.month, b.day
    if month == 2 and day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    try:
        return date(year, month, day)
    except ValueError:  # an impossible date from a bad card: no birthday rather than a crash
        return None


def birthday_in_week(b: Birthday, week_start: date, week_end: date) -> date | None:
    """The day the birthday falls on within week_start … week_end, or None.

    A year on the birthday is ignored (people have birthdays every year) and a week
    that spans New Year looks in both years.
    """
    for year in sorted({week_start.year, week_end.year}):
        on = _birthday_on(b, year)
        if on is not None and week_start <= on <= week_end:
            return on
    return None


# -------------------------------------------------------------------------- rhythm


def _rhythm(c: PlanContact) -> int | None:
    """The contact's rhythm in days; zero or negative means none (be defensive)."""
    if c.rhythm_days is None or c.rhythm_days <= 0:
        return None
    return c.rhythm_days


def last_touch(c: PlanContact) -> date | None:
    """The date the rhythm counts from.

    The latest of the last interaction and the day we met (meeting someone is a touch);
    when there is neither, the day the contact was added. None when nothing is known.
    """
    touches = [d for d in (c.last_contacted, c.met_on) if d is not None]
    if touches:
        return max(touches)
    return c.created


def days_since_touch(c: PlanContact, on: date) -> int | None:
    """Days from :func:`last_touch` to `on` (never negative), or None when unknown."""
    basis = last_touch(c)
    if basis is None:
        return None
    return max((on - basis).days, 0)


def rhythm_basis(c: PlanContact) -> date | None:
    """The date a rhythm counts from: the last touch or the day we met, never the day
    the contact was added (an import is not a conversation)."""
    touches = [d for d in (c.last_contacted, c.met_on) if d is not None]
    return max(touches) if touches else None


def rhythm_due(c: PlanContact, on: date) -> date | None:
    """When the contact is next due by their rhythm; None without a rhythm.

    Due = :func:`rhythm_basis` + rhythm_days. Someone with a rhythm and no touch on record
    is due now, i.e. on `on` ("Never contacted — every 2 weeks"), however long ago they
    were imported or typed in.
    """
    rhythm = _rhythm(c)
    if rhythm is None:
        return None
    basis = rhythm_basis(c)
    if basis is None:
        return on
    return basis + timedelta(days=rhythm)


def is_due(c: PlanContact, on: date) -> bool:
    """True when the contact's rhythm says they are due on or before `on` ("due now")."""
    due = rhythm_due(c, on)
    return due is not None and due <= on


def is_overdue(c: PlanContact, on: date) -> bool:
    """True when the due date has passed before `on` ("overdue")."""
    due = rhythm_due(c, on)
    return due is not None and due < on


def overdue_ratio(c: PlanContact, on: date) -> float | None:
    """Days since the last touch divided by the rhythm: 1.0 is just due, 3.0 very late.

    Relative lateness is fairer than absolute days: 95 days on a 30-day rhythm is worse
    than 100 days on a 90-day one. None without a rhythm; 1.0 when nothing is known
    (due now, but after anyone we know to be late).
    """
    rhythm = _rhythm(c)
    if rhythm is None:
        return None
    basis = rhythm_basis(c)
    if basis is None:
        return 1.0
    return max((on - basis).days, 0) / rhythm


# -------------------------------------------------------------------------- promises

_PROMISE = re.compile(r"\b(promis\w*|i['’]ll|i will|will send|owe[sd]?|owing)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


def is_promise(note: str) -> bool:
    """Whether a note says you promised something ("I'll send…", "promised an intro"):
    the log form offers to set a follow-up for it."""
    return bool(_PROMISE.search(note))


def _gift_from_offers(offers: str) -> str:
    """What kind of give my offers text suggests; a favour when it says nothing."""
    words = {w.removesuffix("s") for w in _WORD.findall(offers.casefold())}
    for kind in GIVE_KINDS:
        if kind in words or (kind == "introduction" and "intro" in words):
            return kind
    return "favour"


# ------------------------------------------------------------------------- planner


@dataclass(frozen=True)
class _Week:
    start: date
    end: date
    block_date: date


@dataclass(frozen=True)
class _Draft:
    """An item before minutes and talking points are attached."""

    contact: PlanContact
    reason: str
    why: str
    action: str
    action_kind: str
    gift: str = ""
    partner_id: int | None = None
    on: date | None = None


def _is_available(c: PlanContact, week: _Week) -> bool:
    """Snoozed past the end of this week, or skipped this week → left out.

    Snoozed until a day inside (or before) this week means they are back this week.
    """
    if c.skipped_this_week:
        return False
    return c.snoozed_until is None or c.snoozed_until <= week.end


def _follow_up(c: PlanContact, week: _Week) -> _Draft | None:
    if c.follow_up is None or c.follow_up > week.end:
        return None
    note = _clean(c.follow_up_note)
    if c.follow_up < week.start:
        why = f"Follow-up overdue since {short_date(c.follow_up, week.end)}"
        why = f"{why}: {note}" if note else why
    elif note:
        why = f"Follow-up: {note}"
    else:
        why = f"Follow-up due {day_label(c.follow_up)}"
    return _Draft(c, "follow_up", why, "Call to follow up", "call")


def _birthday(c: PlanContact, week: _Week) -> _Draft | None:
    if c.birthday is None:
        return None
    on = birthday_in_week(c.birthday, week.start, week.end)
    if on is None:
        return None
    why = birthday_phrase(on)
    if c.birthday.year is not None and 0 < on.year - c.birthday.year < 130:
        why = f"{why} — turns {on.year - c.birthday.year}"
    # before the block day, wished on the day itself: the item carries the day to act
    early = on if on < week.block_date else None
    if c.circle in ("inner", "close"):
        return _Draft(c, "birthday", why, "Call to wish a happy birthday", "call", on=early)
    return _Draft(c, "birthday", why, "Send a birthday message", "message", on=early)


def _overdue(c: PlanContact, week: _Week) -> _Draft | None:
    rhythm = _rhythm(c)
    due = rhythm_due(c, week.block_date)
    if rhythm is None or due is None or due > week.end:
        return None
    every = rhythm_phrase(rhythm)
    if c.circle:
        every = f"{every} ({c.circle} circle)"
    days = days_since_touch(c, week.block_date)
    if c.last_contacted is not None and c.last_contacted == last_touch(c):
        why = f"Last talked {days} days ago — {every}"
    elif c.met_on is not None and c.met_on == last_touch(c):
        why = f"Met {days} days ago, no contact since — {every}"
    else:
        why = f"Never contacted — {every}"
    return _Draft(c, "overdue", why, "Call to catch up", "call")


def _new_acquaintance(c: PlanContact, week: _Week) -> _Draft | None:
    met = c.met_on
    if met is None:
        return None
    window_start = min(week.block_date - timedelta(days=NEW_ACQUAINTANCE_DAYS), week.start)
    if not window_start <= met <= week.end:
        return None
    if c.last_contacted is not None and c.last_contacted >= met:
        return None
    days = (week.block_date - met).days
    # Counted to the block day, when the note gets written; "yesterday" would read wrong
    # on any other day, so very recent meetings get their date instead.
    when = f"Met {days} days ago" if days >= 2 else f"Met {day_label(met)}"
    where = _clean(c.met_where, 80)
    if where:
        when = f"{when} at {where}"
    return _Draft(
        c,
        "new_acquaintance",
        f"{when} — follow up while it's fresh",
        "Send a follow-up note",
        "email",
    )


def _owes(c: PlanContact) -> _Draft | None:
    """A give-first placeholder: its words wait for the partner, when it gets placed."""
    if c.asked_count <= c.gave_count:
        return None
    return _Draft(c, "give_first", "", "", "")


def _give_first(c: PlanContact, partner: Partner | None) -> _Draft:
    gave = "nothing" if c.gave_count <= 0 else times_phrase(c.gave_count)
    balance = f"You've asked {times_phrase(c.asked_count)} and given {gave}"
    if partner is not None and partner.contact_id != c.id:
        could = _clean(partner.work, 80)
        why = (
            f"{balance} — {c.name} needs {_clean(c.needs, 80)}, "
            f"{partner.name} could help{f' ({could})' if could else ''}: introduce them"
        )
        return _Draft(
            c,
            "give_first",
            why,
            f"Introduce {c.name} to {partner.name}",
            "email",
            gift="introduction",
            partner_id=partner.contact_id,
        )
    why = f"{balance} — offer something first"
    return _Draft(
        c,
        "give_first",
        why,
        "Call to offer something",
        "call",
        gift=_gift_from_offers(c.offers),
    )


def _dormant(c: PlanContact, week: _Week) -> _Draft | None:
    if _rhythm(c) is not None:
        return None
    basis = last_touch(c)
    if basis is None:
        return _Draft(c, "dormant", "No contact on record — say hello", "Send a hello", "message")
    if c.imported and c.last_contacted is None and c.met_on is None:
        # from a phone or a server: known for years, maybe, just not here — at once
        return _Draft(c, "dormant", "From your address book, no contact on record yet — "
                      "reconnect", "Send a hello", "message")
    if (week.block_date - basis).days < DORMANT_AFTER_DAYS:
        return None
    silence = _silence_phrase(_months_between(basis, week.block_date))
    if c.last_contacted is None and c.met_on is None:
        why = f"Added {silence} ago, never contacted — say hello"
    elif _months_between(basis, week.block_date) >= 24:
        why = f"No contact in {silence} — reconnect"
    else:
        why = f"Haven't talked in {silence} — say hello"
    return _Draft(c, "dormant", why, "Send a hello", "message")


def _talking_points(c: PlanContact, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """What to have in mind for the call; empty fields are left out."""
    points = [*extra]
    for label, text in (
        ("Last time", c.last_note),
        ("Working on", c.does),
        ("Needs", c.needs),
        ("You could offer", c.offers),
    ):
        text = _clean(text)
        if text:
            points.append(f"{label}: {text}")
    return tuple(points)


def _minutes_for(kind: str, block: BlockSettings) -> int:
    """Minutes a touch takes; a missing or non-positive setting falls back to the default."""
    minutes = block.touch_minutes.get(kind)
    if minutes is None or minutes <= 0:
        minutes = DEFAULT_TOUCH_MINUTES.get(kind, FALLBACK_TOUCH_MINUTES)
    return minutes


def _rotated(candidates: Sequence[_Draft], order: Sequence[int] | None) -> list[_Draft]:
    """The dormant candidates in the order of whose turn it is (the store's rotation,
    `plan_queries.dormant_ids`); by id without one."""
    by_id = {d.contact.id: d for d in candidates}
    ids = order if order is not None else sorted(by_id)
    return [by_id[i] for i in ids if i in by_id]


_RULES = {
    "follow_up": _follow_up,
    "birthday": _birthday,
    "overdue": _overdue,
    "new_acquaintance": _new_acquaintance,
    "dormant": _dormant,
}


def _wished_on_the_day(draft: _Draft, birthday: date, week: _Week) -> _Draft:
    """Someone planned for another reason whose birthday comes before the block: the
    item moves to that day, the wish first ("On Tue 1 Dec: Wish a happy birthday, then
    call to follow up"); a birthday is not wished three days late."""
    if draft.on is not None or birthday >= week.block_date:
        return draft  # on the block day or after: a talking point is enough
    action = f"Wish a happy birthday, then {draft.action[:1].lower()}{draft.action[1:]}"
    return replace(draft, action=action, on=birthday)


def _held_draft(c: PlanContact, keep: HeldItem, week: _Week,
                block: BlockSettings) -> tuple[_Draft, int]:
    """A held person's item: their reason's words as of today when it still applies
    (the contact's standing is read as of the week's start, so Done changes nothing),
    else the words the week first showed (a follow-up closed by its Done)."""
    rule = _RULES.get(keep.reason)
    draft = rule(c, week) if rule is not None else None
    if draft is not None and draft.reason == keep.reason:
        minutes = keep.minutes if draft.action_kind == keep.action_kind else \
            _minutes_for(draft.action_kind, block)
        return draft, minutes
    return _Draft(c, keep.reason, keep.why, keep.action, keep.action_kind, keep.gift,
                  keep.partner_id, keep.on), keep.minutes


def plan_week(
    day: date,
    contacts: Iterable[PlanContact],
    block: BlockSettings,
    first_weekday: int = 0,
    dormant_count: int = 3,
    partner_for: Mapping[int, Partner] | None = None,
    dormant_order: Sequence[int] | None = None,
    held: Sequence[HeldItem] = (),
) -> WeekPlan:
    """Fill the networking block of the week containing `day` with who deserves it most.

    Each available contact gets their highest-precedence reason only (REASONS order):
    follow-ups (promises first, then earliest), birthdays this week, rhythm overdue (most
    late relative to their rhythm first), new acquaintances, give-first, then up to
    `dormant_count` dormant contacts rotating week by week.

    Minutes policy: items are taken in that order and each one that fits in what is left
    goes in; one that does not fit is skipped and scanning goes on, so a later 5-minute
    message can still use the last minutes. A lower reason can never push out a higher
    one, because the higher one was placed first. Whoever is skipped stays due and comes
    back next week. Done items (contacted this week) stay and count, so logging a call
    never reshuffles the week.

    Give-first introduces the person to `partner_for[their id]` when there is one (the
    store side matches needs against work: plan/connector.py), else offers something.
    A large address book need not be passed whole: `dormant_order` is the dormant window
    the caller already chose, by whose turn it is (`plan_queries.dormant_ids`: nobody
    comes twice before the whole pool has gone round); without it, by id.

    A plan that holds still: `held` are the people this week's plan already showed. Each
    keeps their place unless skipped, snoozed or gone (their minutes are then free); the
    others are placed after them, into what is left. So skipping, snoozing or finishing
    one person never takes anyone else out, and freed minutes add people at the end.
    Taking a skip or a snooze back puts them back in their place, and the ones their
    minutes brought in step out again if they no longer fit (not when done already).
    Birthdays before the block day come first, in date order: they are wished on the day.
    """
    week_start, week_end = week_bounds(day, first_weekday % 7)
    week = _Week(week_start, week_end, block_date(week_start, block.weekday))
    budget = max(block.minutes, 0)

    people = sorted(contacts, key=lambda c: c.id)
    available = [c for c in people if _is_available(c, week)]

    partner_for = partner_for or {}

    # One draft per contact: their first reason in precedence order.
    drafts: dict[str, list[_Draft]] = {reason: [] for reason in REASONS}
    for c in available:
        draft = (
            _follow_up(c, week)
            or _birthday(c, week)
            or _overdue(c, week)
            or _new_acquaintance(c, week)
            or _owes(c)
            or _dormant(c, week)
        )
        if draft is not None:
            drafts[draft.reason].append(draft)

    birthdays: dict[int, date] = {}
    for c in available:
        on = birthday_in_week(c.birthday, week.start, week.end) if c.birthday else None
        if on is not None:
            birthdays[c.id] = on

    ordered: list[_Draft] = [
        *sorted(
            drafts["follow_up"],
            key=lambda d: (
                not is_promise(d.contact.follow_up_note),
                d.contact.follow_up,
                d.contact.id,
            ),
        ),
        *sorted(drafts["birthday"], key=lambda d: (birthdays[d.contact.id], d.contact.id)),
        *sorted(
            drafts["overdue"],
            key=lambda d: (-(overdue_ratio(d.contact, week.block_date) or 0.0), d.contact.id),
        ),
        # Earliest met first: their trail goes cold soonest.
        *sorted(drafts["new_acquaintance"], key=lambda d: (d.contact.met_on, d.contact.id)),
        *sorted(
            drafts["give_first"],
            key=lambda d: (d.contact.gave_count - d.contact.asked_count, d.contact.id),
        ),
    ]
    dormant = _rotated(drafts["dormant"], dormant_order)

    items: list[PlanItem] = []
    remaining = budget
    dormant_placed = 0
    placed: set[int] = set()

    def place(draft: _Draft, minutes: int) -> None:
        nonlocal remaining, dormant_placed
        c = draft.contact
        extra: tuple[str, ...] = ()
        if c.id in birthdays and draft.reason != "birthday":
            extra = (birthday_phrase(birthdays[c.id]),)
            draft = _wished_on_the_day(draft, birthdays[c.id], week)
        items.append(
            PlanItem(
                contact_id=c.id,
                name=c.name,
                phone=c.phone,
                email=c.email,
                reason=draft.reason,
                why=draft.why,
                action=draft.action,
                action_kind=draft.action_kind,
                minutes=minutes,
                talking_points=_talking_points(c, extra),
                done=c.contacted_this_week,
                organization=c.organization,
                gift=draft.gift,
                partner_id=draft.partner_id,
                on=draft.on,
            )
        )
        placed.add(c.id)
        remaining -= minutes
        if draft.reason == "dormant":
            dormant_placed += 1

    by_id = {c.id: c for c in available}
    for keep in held:
        kept = by_id.get(keep.contact_id)
        if kept is None or kept.id in placed:  # skipped, snoozed, deleted (or listed twice)
            continue
        draft, minutes = _held_draft(kept, keep, week, block)
        # a skip taken back: whoever filled its minutes meanwhile steps back out, unless
        # done already (done counts), so the block is never booked past its length
        if minutes > remaining and not kept.contacted_this_week:
            continue
        place(draft, minutes)

    for draft in [*ordered, *dormant]:
        if draft.contact.id in placed:
            continue
        if draft.reason == "dormant" and dormant_placed >= dormant_count:
            break
        if remaining <= 0:
            break
        if draft.reason == "give_first":
            draft = _give_first(draft.contact, partner_for.get(draft.contact.id))
        minutes = _minutes_for(draft.action_kind, block)
        if minutes > remaining:
            continue
        place(draft, minutes)

    # birthdays before the block day first, on their day; the rest in the order placed
    early = sorted((i for i in items if i.on is not None), key=lambda i: (i.on, i.contact_id))
    items = [*early, *(i for i in items if i.on is None)]
    planned_ids = {item.contact_id for item in items}
    names = {c.id: c.name for c in available}
    also = sorted(
        ((on, names[cid], cid) for cid, on in birthdays.items() if cid not in planned_ids),
    )
    return WeekPlan(
        week_start=week.start,
        week_end=week.end,
        block=block,
        block_date=week.block_date,
        budget_minutes=budget,
        planned_minutes=sum(item.minutes for item in items),
        items=tuple(items),
        also_birthdays=tuple((name, on) for on, name, _cid in also),
    )
