"""The plan's reads from the store: who the planner could pick this week, and the record
of past weeks.

SQL written for the planner (each rule answered by its own index, migration 0004; the
change counter of migration 0005), apart from the contacts' networking fields in
networking.py. Rows come back as `PlanRow`s, the planner's `PlanContact` field for field, in
its order (only the birthday is still the stored text): data/ never imports plan, so the plan
service turns one into the other.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from peewee import chunked

from .contacts import LAST_TOUCH_SQL, Store, as_date
from .models import DormantTurn, Interaction, WeekSnapshot


class PlanRow(NamedTuple):
    """One contact as the planner sees them, as of the week's start.

    `last_contacted` is the last touch before the week; `contacted_this_week` marks the
    week's items done; `skipped_this_week` keeps skipped people out until next week.
    A named tuple, not a dataclass: a plan reads a few thousand of them, and the planner's
    `PlanContact` takes them in the same order (tests/plan/test_service.py holds that).
    """

    id: int
    name: str
    organization: str
    phone: str
    email: str
    rhythm_days: int | None
    circle: str | None
    last_contacted: dt.date | None
    contacted_this_week: bool
    created: dt.date | None
    birthday: str | None  # ISO "1980-12-24" or year-less "--12-24", as the card had it
    met_on: dt.date | None
    met_where: str
    does: str
    needs: str
    offers: str
    follow_up: dt.date | None
    follow_up_note: str
    snoozed_until: dt.date | None
    skipped_this_week: bool
    gave_count: int
    asked_count: int
    last_note: str
    imported: bool  # came by an import or a sync (its imported_hash is set)


PLAN_COLUMNS = ("id", "name", "organization", "phone", "email", "rhythm_days", "circle",
                "last_contacted", "created", "birthday", "met_on", "met_where", "does",
                "needs", "offers", "follow_up", "follow_up_note", "snoozed_until",
                "gave_count", "asked_count", "last_note", "imported")
_PLAN_SELECT = (
    "SELECT id, display_name, organization, best_phone, best_email, rhythm_days, circle, "
    "last_contacted, date(created_at), birthday, met_on, met_where, does, needs, offers, "
    "follow_up, follow_up_note, snoozed_until, gave_count, asked_count, last_note, "
    "imported_hash != '' "
    # "+deleted_at": keep SQLite on each rule's own index (migration 0004), not this one
    "FROM contact WHERE +deleted_at IS NULL"
)
_DATES = ("last_contacted", "created", "met_on", "follow_up", "snoozed_until")
# the last touch the planner counts from: the later of last contact and meeting, else added
_LAST_TOUCH = LAST_TOUCH_SQL


def _birthday_keys(week_start: dt.date, week_end: dt.date) -> list[str]:
    keys = []
    day = week_start
    while day <= week_end:
        keys.append(day.strftime("%m-%d"))
        if day.month == 2 and day.day == 28 and (day + dt.timedelta(days=1)).month == 3:
            keys.append("02-29")  # 29 Feb birthdays fall on 28 Feb in other years
        day += dt.timedelta(days=1)
    return keys


def plan_candidates(store: Store, week_start: dt.date, week_end: dt.date,
                    block_date: dt.date, recent_days: int = 14, cap: int = 300) -> list[PlanRow]:
    """Contacts the planner's first five rules could pick this week.

    Filtering in SQL keeps the plan fast at 50,000 contacts. Follow-ups, birthdays, people
    touched this week and new acquaintances come whole (few); the overdue and the people
    you owe come capped, each in the planner's own order (most overdue relative to their
    rhythm; most out of balance), which is more than any week's block can hold.
    """
    ws, we, bd = week_start.isoformat(), week_end.isoformat(), block_date.isoformat()
    keys = _birthday_keys(week_start, week_end)
    met_from = min(block_date - dt.timedelta(days=recent_days), week_start).isoformat()
    # one query per rule, each answered by its own index (migration 0004)
    queries: list[tuple[str, list[Any]]] = [
        (f"{_PLAN_SELECT} AND follow_up IS NOT NULL AND follow_up <= ?", [we]),
        (f"{_PLAN_SELECT} AND birthday IS NOT NULL "
         f"AND substr(birthday, -5) IN ({', '.join('?' * len(keys))})", keys),
        (f"{_PLAN_SELECT} AND last_contacted >= ?", [ws]),
        (f"{_PLAN_SELECT} AND met_on IS NOT NULL AND met_on >= ?", [met_from]),
        (f"{_PLAN_SELECT} AND rhythm_days > 0 "
         f"AND date({_LAST_TOUCH}, '+' || rhythm_days || ' days') <= ? "
         f"ORDER BY (julianday(?) - julianday({_LAST_TOUCH})) / rhythm_days DESC, id LIMIT ?",
         [we, bd, cap]),
        # a rhythm and no touch on record: due at once, however recently they were added
        (f"{_PLAN_SELECT} AND rhythm_days > 0 AND last_contacted IS NULL AND met_on IS NULL "
         "ORDER BY id LIMIT ?", [cap]),
        (f"{_PLAN_SELECT} AND asked_count > gave_count "
         "ORDER BY gave_count - asked_count, id LIMIT ?", [cap]),
    ]
    rows: dict[int, PlanRow] = {}
    for sql, params in queries:
        for row in _plan_rows(store, sql, params, week_start, week_end):
            rows.setdefault(row.id, row)
    return list(rows.values())


def dormant_ids(store: Store, week_start: dt.date, week_end: dt.date, block_date: dt.date,
                after_days: int, limit: int | None = None) -> list[int]:
    """Ids of people with no rhythm and a long silence (the dormant pool), whose turn it is
    first: the ones this week's plan already suggested, then those skipped ("Not this
    week") in the week of their turn — they come back the next week, as the panel says —
    then those never suggested, then the longest since their last turn (`dormant_turn`):
    nobody comes up twice before the whole pool has gone round, however the pool grows
    or shrinks. Ties go by id.

    Someone imported or synced with no touch on record is in the pool at once: the
    years of silence are not counted from the day of the import. People touched this
    week count by their touch before it (the planner decides), so they join the pool too.
    """
    cutoff = (block_date - dt.timedelta(days=after_days)).isoformat()
    ws, we = week_start.isoformat(), week_end.isoformat()
    common = ("SELECT id FROM contact WHERE +deleted_at IS NULL AND rhythm_days IS NULL "
              "AND (snoozed_until IS NULL OR snoozed_until <= ?) "
              "AND id NOT IN (SELECT contact_id FROM week_skip WHERE week_start = ?) ")
    silent = store.db.execute_sql(common + f"AND {_LAST_TOUCH} <= ?", (we, ws, cutoff))
    never = store.db.execute_sql(common + "AND imported_hash != '' AND last_contacted IS NULL "
                                 "AND met_on IS NULL", (we, ws))
    # only those silent before the week: a call this week to someone who was not must not
    # grow the pool, or this week's dormant people could change
    before_week = ('(SELECT max("on") FROM interaction '
                   'WHERE contact_id = contact.id AND "on" < ?)')
    touch_before = _LAST_TOUCH.replace("last_contacted", before_week)
    touched = store.db.execute_sql(
        common + f"AND last_contacted >= ? AND ({touch_before} <= ? OR (imported_hash != '' "
        f"AND met_on IS NULL AND {before_week} IS NULL))", (we, ws, ws, ws, cutoff, ws))
    pool = ({cid for (cid,) in silent.fetchall()} | {cid for (cid,) in never.fetchall()}
            | {cid for (cid,) in touched.fetchall()})
    turns = {cid: str(week)[:10] for cid, week in store.db.execute_sql(
        "SELECT contact_id, week_start FROM dormant_turn").fetchall()}
    # "Not this week" in their turn's week: that turn was not had, they come back first
    skipped_turns = {cid for (cid,) in store.db.execute_sql(
        "SELECT t.contact_id FROM dormant_turn t JOIN week_skip s "
        "ON s.contact_id = t.contact_id AND s.week_start = t.week_start").fetchall()}

    def whose_turn(cid: int) -> tuple[int, str, int]:
        turn = turns.get(cid)
        if turn is None:
            return (2, "", cid)
        if turn >= ws:
            return (0, "", cid)
        return (1, turn, cid) if cid in skipped_turns else (3, turn, cid)

    ordered = sorted(pool, key=whose_turn)
    return ordered if limit is None else ordered[:limit]


def plan_epoch(store: Store) -> tuple[int, int]:
    """(change counter, last interaction id): what a cached plan was computed from.

    The counter (migration 0005) moves on every change the plan reads except a plain
    touch logged; those are the interactions after the id, see `touches_since`.
    """
    (n,), = store.db.execute_sql("SELECT n FROM plan_epoch").fetchall()
    (last,), = store.db.execute_sql("SELECT coalesce(max(id), 0) FROM interaction").fetchall()
    return n, last


def touches_since(store: Store, interaction_id: int,
                  limit: int) -> list[tuple[int, dt.date]] | None:
    """(contact id, earliest date) of the touches logged after `interaction_id`, or None
    when there are more than `limit` of them (too many to patch a plan with)."""
    # by rowid alone: a GROUP BY here would walk the whole log through its contact index
    rows = store.db.execute_sql(
        'SELECT contact_id, "on" FROM interaction WHERE id > ? ORDER BY id LIMIT ?',
        (interaction_id, limit + 1)).fetchall()
    if len(rows) > limit:
        return None
    earliest: dict[int, dt.date] = {}
    for cid, on in rows:
        day = dt.date.fromisoformat(str(on)[:10])  # never NULL
        earliest[cid] = min(earliest.get(cid, day), day)
    return list(earliest.items())


def plan_rows_for(store: Store, ids: list[int], week_start: dt.date,
                  week_end: dt.date) -> list[PlanRow]:
    if not ids:
        return []
    out: list[PlanRow] = []
    for batch in chunked(ids, 500):
        sql = f"{_PLAN_SELECT} AND id IN ({', '.join('?' * len(batch))})"
        out += _plan_rows(store, sql, list(batch), week_start, week_end)
    return out


def plan_rows(store: Store, week_start: dt.date, week_end: dt.date) -> list[PlanRow]:
    """Every contact, as the planner sees them (small address books, tests)."""
    return _plan_rows(store, _PLAN_SELECT, [], week_start, week_end)


def _plan_rows(store: Store, sql: str, params: list[Any], week_start: dt.date,
               week_end: dt.date) -> list[PlanRow]:
    """Rows as of the week's start, so the plan holds all week (see `PlanRow`)."""
    raw = store.db.execute_sql(sql, params).fetchall()
    if not raw:
        return []
    ws, we = week_start.isoformat(), week_end.isoformat()
    last_at = PLAN_COLUMNS.index("last_contacted")
    touched = [r[0] for r in raw if r[last_at] and str(r[last_at]) >= ws]
    before: dict[int, tuple[Any, bool]] = {}
    for batch in chunked(touched, 500):
        marks = ", ".join("?" * len(batch))
        for cid, last, in_week in store.db.execute_sql(
                'SELECT contact_id, max(CASE WHEN "on" < ? THEN "on" END), '
                f'max("on" BETWEEN ? AND ?) FROM interaction WHERE contact_id IN ({marks}) '
                "GROUP BY contact_id", (ws, ws, we, *batch)).fetchall():
            before[cid] = (last, bool(in_week))
    skipped = {cid for (cid,) in store.db.execute_sql(
        "SELECT contact_id FROM week_skip WHERE week_start = ?", (ws,)).fetchall()}
    rows = []
    for values in raw:
        row = dict(zip(PLAN_COLUMNS, values, strict=True))
        cid = row["id"]
        last, in_week = before.get(cid, (row["last_contacted"], False))
        row["last_contacted"] = last
        for key in _DATES:
            row[key] = as_date(row[key])
        rows.append(PlanRow(**row, contacted_this_week=in_week, skipped_this_week=cid in skipped))
    return rows


def held_items(store: Store, week_start: dt.date, block: str) -> list[dict[str, Any]]:
    """Everyone the week's plan has shown (see `record_week`), as the JSON keeps them;
    none when the week was planned for another block (its day, length or minutes)."""
    row = WeekSnapshot.get_or_none(WeekSnapshot.week_start == week_start)
    if row is None or not row.held or row.block != block:
        return []
    try:
        held = json.loads(row.held)
    except ValueError:  # a damaged record: plan the week afresh
        return []
    return [h for h in held if isinstance(h, dict) and isinstance(h.get("contact_id"), int)]


def record_week(store: Store, week_start: dt.date, contact_ids: list[int],
                held: list[dict[str, Any]] | None = None, block: str = "",
                dormant: Iterable[int] = ()) -> None:
    """Remember who this week's plan held (for the streak; rewritten while it changes),
    everyone it has shown with its words (`held`, for a plan that holds still; kept as
    recorded when None), and whose dormant turn this week was."""
    text = " ".join(map(str, contact_ids))
    row = WeekSnapshot.get_or_none(WeekSnapshot.week_start == week_start)
    if held is None and row is not None:  # only who it holds: the week's words stay
        held_text, block = row.held, row.block
    else:
        held_text = json.dumps(held, ensure_ascii=False, sort_keys=True) if held else ""
    dormant = sorted(set(dormant))
    if dormant:
        known = {cid for (cid,) in DormantTurn.select(DormantTurn.contact).where(
            DormantTurn.contact.in_(dormant) & (DormantTurn.week_start == week_start)).tuples()}
        dormant = [cid for cid in dormant if cid not in known]
    if (row is not None and row.contact_ids == text and row.held == held_text
            and row.block == block and not dormant):
        return
    with store.db.atomic():
        WeekSnapshot.replace(week_start=week_start, contact_ids=text, held=held_text,
                             block=block).execute()
        for batch in chunked(dormant, 200):
            DormantTurn.insert_many([(cid, week_start) for cid in batch],
                                    fields=[DormantTurn.contact, DormantTurn.week_start]
                                    ).on_conflict_replace().execute()


def past_weeks_mark(store: Store, before: dt.date) -> tuple[int, int]:
    """(how many, last row id) of the week records before `before`: moves whenever one
    is written (a record is replaced whole), so a streak kept from them knows it is old."""
    (count, last), = store.db.execute_sql(
        "SELECT count(*), coalesce(max(rowid), 0) FROM week_snapshot WHERE week_start < ?",
        (before.isoformat(),)).fetchall()
    return int(count), int(last)


def past_weeks(store: Store, before: dt.date, limit: int = 104) -> list[tuple[int, int]]:
    """(planned, done) for the recorded weeks before `before`, most recent first.

    A missing week (netbook not opened) breaks the run: it counts as (0, 0).
    """
    snaps = (WeekSnapshot.select().where(WeekSnapshot.week_start < before)
             .order_by(WeekSnapshot.week_start.desc()).limit(limit))
    out: list[tuple[int, int]] = []
    expected = before - dt.timedelta(days=7)
    for snap in snaps:
        start = as_date(snap.week_start)
        if start != expected:
            out.append((0, 0))
            break
        ids = [int(x) for x in snap.contact_ids.split()]
        end = start + dt.timedelta(days=6)
        done = 0
        if ids:
            done = (Interaction.select(Interaction.contact).distinct()
                    .where(Interaction.contact.in_(ids) & (Interaction.on >= start)
                           & (Interaction.on <= end)).count())
        out.append((len(ids), done))
        expected = start - dt.timedelta(days=7)
    return out
