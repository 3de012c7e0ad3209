"""This week's plan from the store: the one source the panel, `netbook week`, the PDF
and the .ics all read, so they list the same people in the same order.

Qt-free: the first day of the week comes from the caller (the UI asks QLocale; the CLI
asks the same through `first_weekday_from_locale`).
"""

from __future__ import annotations

import datetime as dt

from . import planner
from .data import networking
from .data.contacts import Store

DORMANT_COUNT = 3
PARTNER_ASKERS = 40
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def block_from_settings(settings: dict) -> planner.BlockSettings:
    hh, mm = (int(x) for x in settings["start"].split(":"))
    return planner.BlockSettings(
        weekday=int(settings["weekday"]), start=dt.time(hh, mm), minutes=int(settings["minutes"]),
        touch_minutes=dict(settings["touch_minutes"]),
    )


def _birthday(iso: str | None) -> planner.Birthday | None:
    if not iso:
        return None
    try:
        if iso.startswith("--"):
            return planner.Birthday(month=int(iso[2:4]), day=int(iso[5:7]))
        return planner.Birthday(month=int(iso[5:7]), day=int(iso[8:10]), year=int(iso[:4]))
    except ValueError:
        return None


def plan_contacts(rows: list[dict]) -> list[planner.PlanContact]:
    out = []
    for r in rows:
        out.append(planner.PlanContact(
            id=r["id"], name=r["name"], organization=r["organization"], phone=r["phone"],
            email=r["email"], rhythm_days=r["rhythm_days"], circle=r["circle"],
            last_contacted=r["last_contacted"], contacted_this_week=r["contacted_this_week"],
            created=r["created"], birthday=_birthday(r["birthday"]), met_on=r["met_on"],
            met_where=r["met_where"], does=r["does"], needs=r["needs"], offers=r["offers"],
            follow_up=r["follow_up"], follow_up_note=r["follow_up_note"],
            snoozed_until=r["snoozed_until"], skipped_this_week=r["skipped_this_week"],
            gave_count=r["gave_count"], asked_count=r["asked_count"], last_note=r["last_note"],
        ))
    return out


def load_plan(store: Store, day: dt.date, first_weekday: int = 0,
              remember: bool = True) -> planner.WeekPlan:
    """The plan for the week containing `day`; `remember` records it for the streak.

    Only the people the planner could pick are read: the candidates of the first five
    rules, the partners who might answer their needs, and this week's dormant window.
    """
    block = block_from_settings(networking.block_settings(store))
    week_start, week_end = planner.week_bounds(day, first_weekday)
    block_date = week_start + dt.timedelta(days=(block.weekday - week_start.weekday()) % 7)
    rows = networking.plan_candidates(store, week_start, week_end, block_date,
                                      planner.NEW_ACQUAINTANCE_DAYS)
    have = {r["id"] for r in rows}
    # partners for the people you owe most: no week's block reaches further down
    owing = sorted((r for r in rows if r["asked_count"] > r["gave_count"] and r["needs"]),
                   key=lambda r: (r["gave_count"] - r["asked_count"], r["id"]))[:PARTNER_ASKERS]
    needs = set().union(*(planner.keywords(r["needs"]) for r in owing))
    partner_extra = networking.partner_rows(store, needs, have, week_start, week_end)
    dormant_pool = networking.dormant_ids(store, week_start, week_end, block_date,
                                          planner.DORMANT_AFTER_DAYS)
    window = planner.rotation(dormant_pool, week_start, DORMANT_COUNT)[:DORMANT_COUNT * 8]
    dormant_rows = networking.plan_rows_for(store, [i for i in window if i not in have],
                                            week_start, week_end)
    candidates = plan_contacts(rows + dormant_rows)
    plan = planner.plan_week(day, candidates, block, first_weekday=first_weekday,
                             dormant_count=DORMANT_COUNT,
                             partners=candidates + plan_contacts(partner_extra),
                             dormant_order=window)
    if remember:
        networking.record_week(store, week_start, [i.contact_id for i in plan.items])
    return plan


def streak(store: Store, plan: planner.WeekPlan) -> int:
    """Weeks in a row, before this one, with every planned person reached."""
    return planner.streak(networking.past_weeks(store, plan.week_start))


def plan_to_json(plan: planner.WeekPlan) -> dict:
    """The `netbook week --format json` document (a contract: keep its keys)."""
    return {
        "week_start": plan.week_start.isoformat(),
        "week_end": plan.week_end.isoformat(),
        "block": {
            "day": networking.WEEKDAY_NAMES[plan.block.weekday],
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


def block_title(plan: planner.WeekPlan) -> str:
    """'Fri 27 Nov, 08:00–09:00 · 45 of 60 min planned'."""
    start = dt.datetime.combine(plan.block_date, plan.block.start)
    end = start + dt.timedelta(minutes=plan.block.minutes)
    # fixed English names: strftime follows the C locale, which Qt switches at start-up
    day = f"{_DAYS[start.weekday()]} {start.day} {_MONTHS[start.month - 1]}"
    return (f"{day}, {start:%H:%M}–{end:%H:%M} · {plan.planned_minutes} of "
            f"{plan.budget_minutes} min planned")
