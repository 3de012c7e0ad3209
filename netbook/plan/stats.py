"""Is the habit working? The last weeks in numbers, for the Review view and
`netbook stats` (whose JSON is a contract, see `stats_to_json`).

Per week (oldest first): touches logged, the people they reached, gives and asks, and the
block's planned and done (from the week's record: the weeks netbook showed a plan). Then
the streak (weeks in a row, before this one, with everyone planned reached — the week
panel's), each circle's people within their rhythm, and the people met per month.
The reads are `data.stats_queries`'; this module says what they mean.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..data import plan_queries, stats_queries
from ..data.contacts import Store
from ..data.models import CIRCLES
from . import planner
from .wording import MONTHS, day_month, people, week_range

__all__ = ["DEFAULT_WEEKS", "CircleStats", "Stats", "WeekStats", "stats_lines",
           "stats_to_json", "week_stats"]

DEFAULT_WEEKS = 26
MAX_WEEKS = 520


@dataclass(frozen=True)
class WeekStats:
    week_start: dt.date
    touches: int
    people: int
    gave: int
    asked: int
    block_planned: int
    block_done: int

    @property
    def kept(self) -> bool:
        """Everyone the block planned was reached."""
        return self.block_planned > 0 and self.block_done >= self.block_planned


@dataclass(frozen=True)
class CircleStats:
    people: int
    within_rhythm: int

    @property
    def overdue(self) -> int:
        return self.people - self.within_rhythm


@dataclass(frozen=True)
class Stats:
    today: dt.date
    weeks: tuple[WeekStats, ...]  # oldest first; the last is this week
    streak: int
    circles: dict[str, CircleStats]
    met_per_month: tuple[tuple[str, int], ...]  # ("2026-07", 3), oldest first
    met_this_week: int

    @property
    def this_week(self) -> WeekStats:
        return self.weeks[-1]


def _months(first: dt.date, last: dt.date) -> list[str]:
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def week_stats(store: Store, today: dt.date, weeks: int = DEFAULT_WEEKS,
               first_weekday: int = 0) -> Stats:
    """The `weeks` weeks ending with the one holding `today`."""
    weeks = max(1, min(int(weeks), MAX_WEEKS))
    this_start, this_end = planner.week_bounds(today, first_weekday)
    first = this_start - dt.timedelta(days=7 * (weeks - 1))
    counts = stats_queries.week_counts(store, first, weeks)
    blocks = stats_queries.block_weeks(store, first, weeks)
    rows = []
    for n in range(weeks):
        start = first + dt.timedelta(days=7 * n)
        c = counts.get(n, stats_queries.WeekCounts(0, 0, 0, 0))
        planned, done = blocks.get(start, (0, 0))
        rows.append(WeekStats(start, c.touches, c.people, c.gave, c.asked, planned, done))
    circles = stats_queries.circle_counts(store, today)
    met = stats_queries.met_per_month(store, first.replace(day=1))
    return Stats(
        today=today,
        weeks=tuple(rows),
        streak=planner.streak(plan_queries.past_weeks(store, this_start)),
        circles={c: CircleStats(*circles.get(c, (0, 0))) for c in CIRCLES},
        met_per_month=tuple((m, met.get(m, 0)) for m in _months(first, today)),
        met_this_week=stats_queries.met_between(store, this_start, this_end),
    )


def stats_to_json(stats: Stats) -> dict[str, Any]:
    """The `netbook stats --format json` document (a contract: keep its keys)."""
    return {
        "weeks": [{"week_start": w.week_start.isoformat(), "touches": w.touches,
                   "people": w.people, "gave": w.gave, "asked": w.asked,
                   "block_planned": w.block_planned, "block_done": w.block_done}
                  for w in stats.weeks],
        "streak": stats.streak,
        "circles": {name: {"people": c.people, "within_rhythm": c.within_rhythm,
                           "overdue": c.overdue} for name, c in stats.circles.items()},
        "met_per_month": [{"month": m, "people": n} for m, n in stats.met_per_month],
    }


def month_name(month: str) -> str:
    """'2026-07' → 'Jul 2026'."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def this_week_line(stats: Stats) -> str:
    """'Block: 2 of 6 done · 5 touches with 4 people · gave 2, asked 1 · met 1 new person'."""
    w = stats.this_week
    block = (f"Block: {w.block_done} of {w.block_planned} done" if w.block_planned
             else "No block planned")
    touches = "1 touch" if w.touches == 1 else f"{w.touches} touches"
    met = f"met {people(stats.met_this_week)} new" if stats.met_this_week else "met nobody new"
    return (f"{block} · {touches} with {people(w.people)} · gave {w.gave}, asked {w.asked} "
            f"· {met}")


def stats_lines(stats: Stats) -> list[str]:
    """`netbook stats` as text: a table of the weeks, then the streak, circles, met."""
    first, last = stats.weeks[0].week_start, stats.weeks[-1].week_start
    lines = [f"Last {len(stats.weeks)} weeks ({week_range(first, last + dt.timedelta(days=6))})",
             "", "week of      touches  people  gave  asked  block"]
    for w in stats.weeks:
        block = f"{w.block_done}/{w.block_planned}" if w.block_planned else "—"
        if w.kept:
            block += " ✓"
        lines.append(f"{day_month(w.week_start) + ' ' + str(w.week_start.year):<12}"
                     f"{w.touches:>8}{w.people:>8}{w.gave:>6}{w.asked:>7}  {block}")
    lines += ["", f"This week: {this_week_line(stats)}",
              f"Streak: {stats.streak} week{'' if stats.streak == 1 else 's'}", "",
              "Within rhythm, by circle:"]
    for name, c in stats.circles.items():
        lines.append(f"  {name:<13}{c.within_rhythm} of {c.people}"
                     + (f" ({c.overdue} overdue)" if c.overdue else ""))
    lines += ["", "People met per month: " + " · ".join(
        f"{month_name(m)} {n}" for m, n in stats.met_per_month)]
    return lines
