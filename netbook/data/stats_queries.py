"""The reads behind the weekly review and `netbook stats`: counts over the interaction
log, the recorded weeks, the circles and the people met. SQL only; what the numbers mean
(the streak, "within rhythm") is `netbook.plan.stats`'s.

Each is one grouped query answered by an index (the log by its date, covering who and
give/ask; the contacts by circle and by the day met: migrations 0004 and 0011), so 26
weeks over 500,000 interactions and 50,000 contacts cost tens of milliseconds.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from .contacts import Store, as_date
from .models import WeekSnapshot

__all__ = ["WeekCounts", "block_weeks", "circle_counts", "met_between", "met_per_month",
           "week_counts"]


class WeekCounts(NamedTuple):
    touches: int
    people: int
    gave: int
    asked: int


def week_counts(store: Store, first_start: dt.date, weeks: int) -> dict[int, WeekCounts]:
    """By week number (0 = the week starting `first_start`): touches, the people they
    reached, and how many were a give or an ask."""
    last = first_start + dt.timedelta(days=7 * weeks - 1)
    rows = store.db.execute_sql(
        'SELECT CAST((julianday("on") - julianday(?)) / 7 AS INTEGER) AS week, count(*), '
        "count(DISTINCT contact_id), sum(exchange = 'gave'), sum(exchange = 'asked') "
        'FROM interaction WHERE "on" BETWEEN ? AND ? GROUP BY week',
        (first_start.isoformat(), first_start.isoformat(), last.isoformat())).fetchall()
    return {int(w): WeekCounts(int(t), int(p), int(g or 0), int(a or 0))
            for w, t, p, g, a in rows}


def block_weeks(store: Store, first_start: dt.date, weeks: int) -> dict[dt.date, tuple[int, int]]:
    """(planned, done) of each recorded week from `first_start` on: who the week's plan
    held, and how many of them were reached that week."""
    last = first_start + dt.timedelta(days=7 * (weeks - 1))
    out: dict[dt.date, tuple[int, int]] = {}
    snaps = (WeekSnapshot.select(WeekSnapshot.week_start, WeekSnapshot.contact_ids)
             .where((WeekSnapshot.week_start >= first_start) & (WeekSnapshot.week_start <= last))
             .tuples())
    for start, text in snaps:
        start = as_date(start)
        ids = [int(x) for x in str(text).split()]
        done = 0
        if ids:
            end = start + dt.timedelta(days=6)
            marks = ", ".join("?" * len(ids))
            (done,), = store.db.execute_sql(
                f'SELECT count(DISTINCT contact_id) FROM interaction WHERE "on" BETWEEN ? AND ? '
                f"AND contact_id IN ({marks})", (start.isoformat(), end.isoformat(), *ids)
            ).fetchall()
        out[start] = (len(ids), int(done))
    return out


def circle_counts(store: Store, today: dt.date) -> dict[str, tuple[int, int]]:
    """(people, within their rhythm) per circle: within means a touch (or the day you met)
    no longer ago than the rhythm; someone never reached is not within it."""
    basis = "nullif(max(coalesce(last_contacted, ''), coalesce(met_on, '')), '')"
    rows = store.db.execute_sql(
        "SELECT circle, count(*), "
        f"sum({basis} IS NOT NULL AND (rhythm_days IS NULL "
        f"OR date({basis}, '+' || rhythm_days || ' days') >= ?)) "
        # "+deleted_at": on the circle's own index (migration 0011), not the trash's
        "FROM contact WHERE +deleted_at IS NULL AND circle IS NOT NULL GROUP BY circle",
        (today.isoformat(),)).fetchall()
    return {str(c): (int(n), int(w or 0)) for c, n, w in rows}


def met_per_month(store: Store, since: dt.date) -> dict[str, int]:
    """People met per month ("2026-07" → 3), from `since` on."""
    rows = store.db.execute_sql(
        "SELECT substr(met_on, 1, 7), count(*) FROM contact "
        "WHERE met_on IS NOT NULL AND met_on >= ? AND +deleted_at IS NULL GROUP BY 1",
        (since.isoformat(),)).fetchall()
    return {str(m): int(n) for m, n in rows}


def met_between(store: Store, start: dt.date, end: dt.date) -> int:
    """How many people you met from `start` to `end` (inclusive)."""
    (n,), = store.db.execute_sql(
        "SELECT count(*) FROM contact WHERE met_on BETWEEN ? AND ? AND +deleted_at IS NULL",
        (start.isoformat(), end.isoformat())).fetchall()
    return int(n)
