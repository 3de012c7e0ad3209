"""This week's plan from the store: the one source the panel, `netbook week`, the PDF
and the .ics all read, so they list the same people in the same order.

Qt-free: the first day of the week comes from the caller (the UI asks QLocale; the CLI
asks the same through `first_weekday_from_locale`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..data import db as dbmod
from ..data import operations, plan_queries, settings
from ..data.changes import Changes
from ..data.contacts import ContactRecord, Store, StoreError
from ..data.networking import InteractionRow
from ..data.plan_queries import PlanRow
from . import planner
from .connector import give_first_partners, plan_introductions
from .wording import day_label, long_date, week_range

DORMANT_COUNT = 3
PARTNER_ASKERS = 40


def block_from_settings(block: settings.BlockSettings) -> planner.BlockSettings:
    """The saved block in the planner's terms (the same fields)."""
    return planner.BlockSettings(weekday=block.weekday, start=block.start,
                                 minutes=block.minutes, touch_minutes=block.touch_minutes,
                                 alarm_minutes=block.alarm_minutes)


def _birthday(iso: str | None) -> planner.Birthday | None:
    if not iso:
        return None
    try:
        if iso.startswith("--"):
            return planner.Birthday(month=int(iso[2:4]), day=int(iso[5:7]))
        return planner.Birthday(month=int(iso[5:7]), day=int(iso[8:10]), year=int(iso[:4]))
    except ValueError:
        return None


def plan_contact(row: PlanRow) -> planner.PlanContact:
    """A store's row as the planner's contact: the same fields, the birthday parsed."""
    return planner.PlanContact(**(row._asdict() | {"birthday": _birthday(row.birthday)}))


def plan_contacts(rows: list[PlanRow]) -> dict[int, planner.PlanContact]:
    """By id, as the remembered plan keeps them."""
    return {r.id: plan_contact(r) for r in rows}


def block_key(block: settings.BlockSettings) -> str:
    """The block a week was planned for, as the week's record keeps it: another day,
    length or minutes per touch plans the week afresh (its start time and its calendar
    alarm do not: the same people fit in the same hour an hour later)."""
    saved = block.to_json()
    saved.pop("alarm_minutes", None)
    saved.pop("start", None)
    return json.dumps(saved, sort_keys=True)


def held_to_json(item: planner.HeldItem) -> dict[str, Any]:
    data = asdict(item)
    data["on"] = item.on.isoformat() if item.on else None
    return data


def held_from_json(data: dict[str, Any]) -> planner.HeldItem | None:
    """One remembered item, or None when the record doesn't read as one."""
    try:
        on = dt.date.fromisoformat(data["on"]) if data.get("on") else None
        return planner.HeldItem(
            contact_id=int(data["contact_id"]), reason=str(data["reason"]),
            why=str(data["why"]), action=str(data["action"]),
            action_kind=str(data["action_kind"]), minutes=int(data["minutes"]),
            gift=str(data.get("gift") or ""),
            partner_id=int(data["partner_id"]) if data.get("partner_id") else None, on=on)
    except (KeyError, TypeError, ValueError):
        return None


@dataclass
class _Computed:
    """A plan and what it was computed from, to patch it after a plain touch."""

    key: tuple[dt.date, int]
    epoch: tuple[int, int]
    week_start: dt.date
    week_end: dt.date
    block: planner.BlockSettings
    candidates: dict[int, planner.PlanContact]
    # whom to introduce the people owed most to (give first), by their id
    owing: list[int]
    # the rank of the last of them when the list is full: a touched person ranking below
    # it can't enter the list, so the plan needn't be computed afresh for them
    owing_cut: tuple[int, int] | None
    partner_for: dict[int, planner.Partner]
    window: list[int]
    held: list[planner.HeldItem]
    block_key: str
    plan: planner.WeekPlan
    # the week's introductions found so far, by planned person (plan/connector.py)
    introductions: dict[int, planner.Introduction | None] = field(default_factory=dict)


# One remembered plan per open store (kept in `store.caches`, so it goes with the store):
# the panel refreshes after every logged call, and a whole plan costs ~100 ms at 50,000
# contacts; a touch needs only its contact re-read.
CACHE_KEY = "plan.service"
PATCH_LIMIT = 50  # more touches than this since the last plan: compute afresh


def _remembered(store: Store) -> _Computed | None:
    computed = store.caches.get(CACHE_KEY)
    return computed if isinstance(computed, _Computed) else None


def load_plan(store: Store, day: dt.date, first_weekday: int = 0,
              remember: bool = True) -> planner.WeekPlan:
    """The plan for the week containing `day`; `remember` records it for the streak.

    Computed afresh when anything it reads has changed (the store's plan epoch), else
    the last one is reused, re-reading only the people touched since (their done mark
    and last note change; the week's choice, made as of its start, does not).
    """
    key = (day, first_weekday)
    epoch = plan_queries.plan_epoch(store)
    last = _remembered(store)
    # a lower last interaction id: rows were taken away (a restore): never patch that
    if (last is not None and last.key == key and last.epoch[0] == epoch[0]
            and last.epoch[1] <= epoch[1]
            and (last.epoch == epoch or _patch(store, last, epoch))):
        plan = last.plan
    else:
        plan = _compute(store, day, first_weekday, epoch).plan
    if remember and not store.db.damage:  # a damaged file, opened read-only, keeps none
        try:
            _remember(store, plan)
        except Exception as exc:
            # another netbook kept the file busy past the wait, or the disk is full: the
            # plan is shown all the same and recorded at the next refresh
            if not dbmod.is_store_failure(exc):
                raise
    return plan


def _remember(store: Store, plan: planner.WeekPlan) -> None:
    """Record the week: who it holds (the streak), everyone it has shown (so they keep
    their place all week) and whose dormant turn it was."""
    computed = _remembered(store)
    if computed is None or computed.plan is not plan:  # not ours to extend: as it is
        plan_queries.record_week(store, plan.week_start, [i.contact_id for i in plan.items])
        return
    shown = {h.contact_id for h in computed.held}
    computed.held = [*computed.held, *(i.held() for i in plan.items if i.contact_id not in shown)]
    plan_queries.record_week(
        store, plan.week_start, [i.contact_id for i in plan.items],
        held=[held_to_json(h) for h in computed.held], block=computed.block_key,
        dormant=[i.contact_id for i in plan.items if i.reason == "dormant"])


def forget_plan(store: Store) -> None:
    """Drop the remembered plan, so the next one is computed whole (benchmarks, tests)."""
    store.caches.pop(CACHE_KEY, None)
    store.caches.pop(STREAK_KEY, None)


def restore_backup(store: Store, backup: Path) -> Changes:
    """File ▸ Restore: put a backup in place under the open store, and forget the plan
    remembered from before it (the backup takes away what was logged since)."""
    changes = dbmod.restore_into_store(store, backup)
    forget_plan(store)
    return changes


def _compute(store: Store, day: dt.date, first_weekday: int,
             epoch: tuple[int, int]) -> _Computed:
    """Read only the people the planner could pick and plan the week.

    They are the candidates of the first five rules and this week's dormant window; the
    give-first partners are matched by work (plan/connector.py), never by my offers.
    """
    saved = settings.block_settings(store)
    block = block_from_settings(saved)
    key = block_key(saved)
    week_start, week_end = planner.week_bounds(day, first_weekday)
    block_date = planner.block_date(week_start, block.weekday)
    rows = plan_queries.plan_candidates(store, week_start, week_end, block_date,
                                        planner.NEW_ACQUAINTANCE_DAYS)
    have = {r.id for r in rows}
    owing = _owing(rows)
    ranks = {r.id: _owing_rank(r) for r in rows if r.id in owing}
    window = plan_queries.dormant_ids(store, week_start, week_end, block_date,
                                      planner.DORMANT_AFTER_DAYS, limit=DORMANT_COUNT * 8)
    held = [h for h in map(held_from_json, plan_queries.held_items(store, week_start, key))
            if h is not None]
    # the week's own people come whatever their standing now (a closed follow-up)
    extra_ids = dict.fromkeys([*window, *(h.contact_id for h in held)])
    extra_rows = plan_queries.plan_rows_for(store, [i for i in extra_ids if i not in have],
                                            week_start, week_end)
    computed = _Computed(
        key=(day, first_weekday), epoch=epoch, week_start=week_start, week_end=week_end,
        block=block, candidates=plan_contacts(rows + extra_rows), owing=owing,
        owing_cut=ranks[owing[-1]] if len(owing) >= PARTNER_ASKERS else None,
        partner_for=give_first_partners(store, owing), window=window, held=held,
        block_key=key,
        plan=None,  # type: ignore[arg-type]  # set just below
    )
    computed.plan = _introduced(store, computed)
    store.caches[CACHE_KEY] = computed
    return computed


def _owing(rows: Sequence[PlanRow]) -> list[int]:
    """The people you owe most who say what they need: the give-first partners are found
    for them (no week's block reaches further down)."""
    owed = sorted((r for r in rows if r.asked_count > r.gave_count and r.needs.strip()),
                  key=_owing_rank)
    return [r.id for r in owed[:PARTNER_ASKERS]]


def _owing_rank(row: PlanRow) -> tuple[int, int]:
    return (row.gave_count - row.asked_count, row.id)


def _joins_owing(last: _Computed, row: PlanRow) -> bool:
    """Whether a touched person would now be among those a partner is found for (a
    plain touch changes no count, but can make someone held a candidate)."""
    if row.id in last.owing or not _owing([row]):
        return False
    return last.owing_cut is None or _owing_rank(row) < last.owing_cut


def _patch(store: Store, last: _Computed, epoch: tuple[int, int]) -> bool:
    """Bring `last` up to date with the plain touches logged since; False when it can't.

    A touch dated this week (or later) leaves everyone's standing at the week's start as
    it was: only the touched people's rows change. One dated before the week moves their
    standing, and then the week is planned afresh.
    """
    touches = plan_queries.touches_since(store, last.epoch[1], PATCH_LIMIT)
    if touches is None or any(on < last.week_start for _, on in touches):
        return False
    ids = [cid for cid, _ in touches]
    rows = plan_queries.plan_rows_for(store, ids, last.week_start, last.week_end)
    if any(_joins_owing(last, r) for r in rows):
        return False  # someone owed who is now among those a partner is found for
    fresh = plan_contacts(rows)
    for cid in ids:
        if cid in fresh:
            last.candidates[cid] = fresh[cid]
        else:
            last.candidates.pop(cid, None)
    last.epoch = epoch
    last.plan = _introduced(store, last)
    return True


def _introduced(store: Store, computed: _Computed) -> planner.WeekPlan:
    """The plan with the week's introductions on its rows."""
    return plan_introductions(store, _plan(computed), computed.introductions,
                              computed.partner_for)


def _plan(computed: _Computed) -> planner.WeekPlan:
    day, first_weekday = computed.key
    candidates = list(computed.candidates.values())
    return planner.plan_week(day, candidates, computed.block, first_weekday=first_weekday,
                             dormant_count=DORMANT_COUNT, partner_for=computed.partner_for,
                             dormant_order=computed.window, held=computed.held)


# -- skip and snooze: the plan's rules around the data layer's operations ------------


def _name(store: Store, contact_id: int) -> str:
    return store.display_names([contact_id]).get(contact_id) or f"contact {contact_id}"


def pin_week(store: Store, today: dt.date, first_weekday: int = 0) -> planner.WeekPlan:
    """Remember this week's plan as it stands before a change to it (a skip, a snooze, a
    follow-up closed from the command line), so the change moves nobody else."""
    return load_plan(store, today, first_weekday, remember=True)


@operations.in_words
def skip(store: Store, contact_id: int, day: dt.date, first_weekday: int = 0) -> Changes:
    """"Not this week": leave a planned person out of the week containing `day`; they
    stay due and come back the week after. Refused in words when they aren't planned."""
    this_week = planner.week_bounds(dt.date.today(), first_weekday)[0]
    plan = load_plan(store, day, first_weekday,
                     remember=planner.week_bounds(day, first_weekday)[0] == this_week)
    when = week_range(plan.week_start, plan.week_end)
    if operations.is_skipped(store, contact_id, plan.week_start):
        raise StoreError(f"{_name(store, contact_id)} is skipped in the week of {when} already")
    if contact_id not in {i.contact_id for i in plan.items}:
        raise StoreError(f"{_name(store, contact_id)} is not in the block of the week of "
                         f"{when}: there is nothing to skip")
    return operations.skip_week(store, contact_id, plan.week_start)


@operations.in_words
def unskip(store: Store, contact_id: int, day: dt.date, first_weekday: int = 0) -> Changes:
    """Take a skip back: they return to their place in the week's plan."""
    week_start, week_end = planner.week_bounds(day, first_weekday)
    if not operations.is_skipped(store, contact_id, week_start):
        raise StoreError(f"{_name(store, contact_id)} was not skipped in the week of "
                         f"{week_range(week_start, week_end)}")
    return operations.unskip_week(store, contact_id, week_start)


def earliest_snooze(today: dt.date, first_weekday: int = 0) -> dt.date:
    """The first day a snooze can name: next week's first (a day in this week would
    leave them in this week's block)."""
    return planner.week_bounds(today, first_weekday)[1] + dt.timedelta(days=1)


@operations.in_words
def snooze_until(store: Store, contact_id: int, until: dt.date, today: dt.date,
                 first_weekday: int = 0) -> Changes:
    """"Remind me on …": out of the plan until the week that holds `until`."""
    earliest = earliest_snooze(today, first_weekday)
    pin_week(store, today, first_weekday)
    if until < today:
        raise StoreError(f"{until.isoformat()} is in the past: a snooze needs a day from "
                         f"{earliest.isoformat()} ({day_label(earliest)}) on")
    if until < earliest:
        raise StoreError(f"{until.isoformat()} is still this week, so "
                         f"{_name(store, contact_id)} would stay in this week's block; pick "
                         f"{earliest.isoformat()} ({day_label(earliest)}) or later, or skip "
                         "them for this week only")
    return operations.snooze(store, contact_id, until)


@operations.in_words
def unsnooze(store: Store, contact_id: int) -> Changes:
    """Back into the plan at once."""
    if operations.snoozed_until(store, contact_id) is None:
        raise StoreError(f"{_name(store, contact_id)} is not snoozed")
    return operations.snooze(store, contact_id, None)


def is_planned(store: Store, contact_id: int, day: dt.date, first_weekday: int = 0) -> bool:
    """Whether someone is in the plan of the week containing `day`."""
    plan = load_plan(store, day, first_weekday, remember=False)
    return contact_id in {i.contact_id for i in plan.items}


def keeping_in_touch(record: ContactRecord, interactions: Sequence[InteractionRow],
                     today: dt.date) -> str:
    """One contact's standing, as the detail pane shows it under their rhythm:
    'Next due: Fri 5 Dec 2025 · last contacted 5 Nov 2025 · asked 1×, gave 2×'."""
    contact = planner.PlanContact(id=record.id, name="", rhythm_days=record.rhythm_days,
                                  last_contacted=record.last_contacted, met_on=record.met_on,
                                  created=record.created_at.date())
    due = planner.rhythm_due(contact, today)
    if due is None:
        parts = ["No keep-in-touch rhythm"]
    elif due == today:
        parts = ["Next due: today"]
    elif due < today:
        parts = [f"Next due: overdue since {long_date(due)}"]
    else:
        parts = [f"Next due: {long_date(due, weekday=True)}"]
    parts.append(f"last contacted {long_date(record.last_contacted)}"
                 if record.last_contacted else "never contacted")
    gave = sum(1 for r in interactions if r.exchange == "gave")
    asked = sum(1 for r in interactions if r.exchange == "asked")
    parts.append(planner.give_ask_summary(gave, asked))
    return " · ".join(parts)


STREAK_KEY = "plan.service.streak"


def streak(store: Store, plan: planner.WeekPlan) -> int:
    """Weeks in a row, before this one, with every planned person reached.

    Remembered until what it reads changes (the plan epoch: any touch logged, edited or
    deleted; the past weeks' records): the panel asks on every refresh, and counting up
    to two years of weeks costs ~16 ms at 50,000 contacts.
    """
    key = (plan.week_start, plan_queries.plan_epoch(store),
           plan_queries.past_weeks_mark(store, plan.week_start))
    remembered = store.caches.get(STREAK_KEY)
    if isinstance(remembered, tuple) and remembered[0] == key:
        return int(remembered[1])
    weeks = planner.streak(plan_queries.past_weeks(store, plan.week_start))
    store.caches[STREAK_KEY] = (key, weeks)
    return weeks


def plan_to_json(plan: planner.WeekPlan) -> dict:
    """The `netbook week --format json` document (a contract: keep its keys)."""
    return {
        "week_start": plan.week_start.isoformat(),
        "week_end": plan.week_end.isoformat(),
        "block": {
            "day": settings.WEEKDAY_NAMES[plan.block.weekday],
            "date": plan.block_date.isoformat(),
            "start": plan.block.start.strftime("%H:%M"),
            "minutes": plan.block.minutes,
        },
        "budget_minutes": plan.budget_minutes,
        "planned_minutes": plan.planned_minutes,
        "done_count": plan.done_count,
        "items": [
            {
                "contact_id": item.contact_id,
                "name": item.name,
                "organization": item.organization,
                "phone": item.phone,
                "email": item.email,
                "reason": item.reason,
                "why": item.why,
                "action": item.action,
                "action_kind": item.action_kind,
                "minutes": item.minutes,
                "talking_points": list(item.talking_points),
                "gift": item.gift,
                "done": item.done,
                # the day to act when it is not the block's (a birthday before it)
                "on": item.on.isoformat() if item.on else None,
                # only on rows with one: someone to introduce them to, and why
                **({"introduce": {"contact_id": item.introduce.contact_id,
                                  "name": item.introduce.name, "why": item.introduce.why}}
                   if item.introduce else {}),
            }
            for item in plan.items
        ],
        "also_birthdays": [{"name": n, "date": d.isoformat()} for n, d in plan.also_birthdays],
    }
