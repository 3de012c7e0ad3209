"""This week's plan from the store: the one source the panel, `netbook week`, the PDF
and the .ics all read, so they list the same people in the same order.

Qt-free: the first day of the week comes from the caller (the UI asks QLocale; the CLI
asks the same through `first_weekday_from_locale`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..data import db as dbmod
from ..data import plan_queries, settings
from ..data.changes import Changes
from ..data.contacts import ContactRecord, Store
from ..data.networking import InteractionRow
from ..data.plan_queries import PlanRow
from . import planner
from .wording import long_date

DORMANT_COUNT = 3
PARTNER_ASKERS = 40


def block_from_settings(block: settings.BlockSettings) -> planner.BlockSettings:
    """The saved block in the planner's terms (the same fields)."""
    return planner.BlockSettings(weekday=block.weekday, start=block.start,
                                 minutes=block.minutes, touch_minutes=block.touch_minutes)


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


@dataclass
class _Computed:
    """A plan and what it was computed from, to patch it after a plain touch."""

    key: tuple[dt.date, int]
    epoch: tuple[int, int]
    week_start: dt.date
    week_end: dt.date
    block: planner.BlockSettings
    candidates: dict[int, planner.PlanContact]
    partner_extra: dict[int, planner.PlanContact]
    window: list[int]
    plan: planner.WeekPlan


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
    if remember:
        plan_queries.record_week(store, plan.week_start, [i.contact_id for i in plan.items])
    return plan


def forget_plan(store: Store) -> None:
    """Drop the remembered plan, so the next one is computed whole (benchmarks, tests)."""
    store.caches.pop(CACHE_KEY, None)


def restore_backup(store: Store, backup: Path) -> Changes:
    """File ▸ Restore: put a backup in place under the open store, and forget the plan
    remembered from before it (the backup takes away what was logged since)."""
    changes = dbmod.restore_into_store(store, backup)
    forget_plan(store)
    return changes


def _compute(store: Store, day: dt.date, first_weekday: int,
             epoch: tuple[int, int]) -> _Computed:
    """Read only the people the planner could pick and plan the week.

    They are the candidates of the first five rules, the partners who might answer their
    needs, and this week's dormant window.
    """
    block = block_from_settings(settings.block_settings(store))
    week_start, week_end = planner.week_bounds(day, first_weekday)
    block_date = week_start + dt.timedelta(days=(block.weekday - week_start.weekday()) % 7)
    rows = plan_queries.plan_candidates(store, week_start, week_end, block_date,
                                        planner.NEW_ACQUAINTANCE_DAYS)
    have = {r.id for r in rows}
    # partners for the people you owe most: no week's block reaches further down
    owing = sorted((r for r in rows if r.asked_count > r.gave_count and r.needs),
                   key=lambda r: (r.gave_count - r.asked_count, r.id))[:PARTNER_ASKERS]
    needs: set[str] = set().union(*(planner.keywords(r.needs) for r in owing))
    partner_extra = plan_queries.partner_rows(store, needs, have, week_start, week_end)
    dormant_pool = plan_queries.dormant_ids(store, week_start, week_end, block_date,
                                            planner.DORMANT_AFTER_DAYS)
    window = planner.rotation(dormant_pool, week_start, DORMANT_COUNT)[:DORMANT_COUNT * 8]
    dormant_rows = plan_queries.plan_rows_for(store, [i for i in window if i not in have],
                                              week_start, week_end)
    computed = _Computed(
        key=(day, first_weekday), epoch=epoch, week_start=week_start, week_end=week_end,
        block=block, candidates=plan_contacts(rows + dormant_rows),
        partner_extra=plan_contacts(partner_extra), window=window,
        plan=None,  # type: ignore[arg-type]  # set just below
    )
    computed.plan = _plan(computed)
    store.caches[CACHE_KEY] = computed
    return computed


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
    fresh = plan_contacts(plan_queries.plan_rows_for(store, ids, last.week_start, last.week_end))
    for cid in ids:
        # like the full plan: people touched this week are candidates, not partners only
        last.partner_extra.pop(cid, None)
        if cid in fresh:
            last.candidates[cid] = fresh[cid]
        else:
            last.candidates.pop(cid, None)
    last.epoch = epoch
    last.plan = _plan(last)
    return True


def _plan(computed: _Computed) -> planner.WeekPlan:
    day, first_weekday = computed.key
    candidates = list(computed.candidates.values())
    return planner.plan_week(day, candidates, computed.block, first_weekday=first_weekday,
                             dormant_count=DORMANT_COUNT,
                             partners=candidates + list(computed.partner_extra.values()),
                             dormant_order=computed.window)


def keeping_in_touch(record: ContactRecord, interactions: Sequence[InteractionRow],
                     today: dt.date) -> str:
    """One contact's standing, as the detail pane shows it under their rhythm:
    'Next due: Fri 05 Dec 2025 · last contacted 2025-11-05 · asked 1×, gave 2×'."""
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
    parts.append(f"last contacted {record.last_contacted.isoformat()}" if record.last_contacted
                 else "never contacted")
    gave = sum(1 for r in interactions if r.exchange == "gave")
    asked = sum(1 for r in interactions if r.exchange == "asked")
    parts.append(planner.give_ask_summary(gave, asked))
    return " · ".join(parts)


def streak(store: Store, plan: planner.WeekPlan) -> int:
    """Weeks in a row, before this one, with every planned person reached."""
    return planner.streak(plan_queries.past_weeks(store, plan.week_start))


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
            }
            for item in plan.items
        ],
        "also_birthdays": [{"name": n, "date": d.isoformat()} for n, d in plan.also_birthdays],
    }
