"""The connector's reads: whose work or need might contain a word, sieved in SQL.

Who-can-help and the week's introductions match stems in Python (plan/matching.py); at
50,000 contacts they can't stem every card for every question, so the store first hands
over only the people whose work (what they do, title, organisation, tags) or need holds
one of the words' first letters somewhere (`LIKE '%desi%'`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from peewee import chunked

from .contacts import Store, as_date
from .models import Tag

__all__ = ["MapRow", "NeedRow", "ProfileRow", "WorkGroupRow", "emails", "map_rows",
           "need_rows", "profile_rows", "work_best", "work_groups"]


class NeedRow(NamedTuple):
    needs: str
    ids: tuple[int, ...]  # everyone who needs just that, in order


class ProfileRow(NamedTuple):
    """A planned person's work and need, and how we met (the week's introductions)."""

    id: int
    name: str
    organization: str
    title: str
    does: str
    tags: tuple[str, ...]
    needs: str
    met_on: dt.date | None
    met_where: str


def profile_rows(store: Store, ids: Sequence[int]) -> list[ProfileRow]:
    """These live contacts' work, need and meeting, by id."""
    rows: list[tuple] = []
    for batch in chunked(list(dict.fromkeys(ids)), 900):
        marks = ", ".join("?" * len(batch))
        rows += store.db.execute_sql(
            "SELECT id, display_name, organization, title, does, needs, met_on, met_where "
            f"FROM contact WHERE deleted_at IS NULL AND id IN ({marks}) ORDER BY id",
            batch).fetchall()
    tags = _tags([r[0] for r in rows])
    return [ProfileRow(cid, name, org or "", title or "", does or "", tags.get(cid, ()),
                       needs or "", as_date(met_on), met_where or "")
            for cid, name, org, title, does, needs, met_on, met_where in rows]


def _patterns(prefixes: Iterable[str]) -> list[str]:
    return [f"%{p}%" for p in sorted(set(prefixes)) if p]


class WorkGroupRow(NamedTuple):
    does: str
    title: str
    organization: str
    tags: tuple[str, ...]
    ids: tuple[int, ...]  # in order


def work_groups(store: Store, prefixes: Iterable[str], *,
                every: Sequence[Sequence[str]] = ()) -> list[WorkGroupRow]:
    """`work_rows` grouped by what people say about their work (the same title at the same
    organisation, and tags), ids in order: 50,000 people say far fewer things. With
    `every`, only people whose work holds one of each of those sets of prefixes."""
    where, params = _work_where([list(prefixes)] if not every else [list(e) for e in every],
                                every=bool(every))
    if not where:
        return []
    # no ORDER BY: sorting the rows in SQL costs more than the query (ids sorted here)
    sql = ("SELECT does, title, organization, tags, group_concat(id) FROM ("
           "SELECT id, does, title, organization, "
           "(SELECT group_concat(name, char(31)) FROM tag WHERE contact_id = contact.id) "
           f"AS tags FROM contact INDEXED BY contact_work WHERE {where}) "
           "GROUP BY does, title, organization, tags")
    merged: dict[tuple[str, str, str, tuple[str, ...]], list[int]] = {}
    for does, title, org, tags, ids in store.db.execute_sql(sql, params):
        key = (does or "", title or "", org or "",
               tuple(sorted(tags.split("\x1f"))) if tags else ())
        merged.setdefault(key, []).extend(map(int, ids.split(",")))
    return [WorkGroupRow(*key, tuple(sorted(ids))) for key, ids in merged.items()]


def _work_where(sets: list[list[str]], every: bool) -> tuple[str, list[str]]:
    """'work holds one of these' for each set, joined by AND (`every`) or OR."""
    clauses: list[str] = []
    params: list[str] = []
    for prefixes in sets:
        patterns = _patterns(prefixes)
        if not patterns:
            continue
        columns = ("does", "title", "organization")
        ors = " OR ".join(f"{c} LIKE ?" for c in columns for _ in patterns)
        tag_ors = " OR ".join("name LIKE ?" for _ in patterns)
        clauses.append(f"({ors} OR id IN (SELECT contact_id FROM tag WHERE {tag_ors}))")
        params += [p for _ in columns for p in patterns] + patterns
    if not clauses:
        return "", []
    return f"deleted_at IS NULL AND ({(' AND ' if every else ' OR ').join(clauses)})", params


def _tags(ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for batch in chunked(list(ids), 900):
        for cid, name in (Tag.select(Tag.contact, Tag.name).where(Tag.contact.in_(batch))
                          .order_by(Tag.contact, Tag.name).tuples()):
            out.setdefault(cid, []).append(name)
    return {cid: tuple(names) for cid, names in out.items()}


def need_rows(store: Store, prefixes: Iterable[str]) -> list[NeedRow]:
    """Live people whose need holds one of `prefixes`, grouped by the need's text."""
    patterns = _patterns(prefixes)
    if not patterns:
        return []
    ors = " OR ".join("needs LIKE ?" for _ in patterns)
    sql = (f"SELECT needs, group_concat(id) FROM contact INDEXED BY contact_needs "
           f"WHERE deleted_at IS NULL AND needs != '' AND ({ors}) GROUP BY needs")
    return [NeedRow(needs, tuple(sorted(map(int, ids.split(",")))))
            for needs, ids in store.db.execute_sql(sql, patterns).fetchall()]


def emails(store: Store, ids: Sequence[int]) -> dict[int, str]:
    """Each live contact's best email ('' when none)."""
    out: dict[int, str] = {}
    for batch in chunked(list(ids), 900):
        marks = ", ".join("?" * len(batch))
        out.update(store.db.execute_sql(
            f"SELECT id, best_email FROM contact WHERE deleted_at IS NULL AND id IN ({marks})",
            batch).fetchall())
    return out


class MapRow(NamedTuple):
    """A person on the network map: how they are drawn."""

    id: int
    name: str
    circle: str | None
    rhythm_days: int | None
    last_contacted: dt.date | None
    met_on: dt.date | None
    created: dt.date | None
    recent: int  # interactions since the day asked for


def map_rows(store: Store, ids: Sequence[int] | None, since: dt.date, *,
             tag: str | None = None, circle: str | None = None) -> list[MapRow]:
    """The live people to draw (these ids, or everyone with that tag or circle), with
    how many touches they had since `since`."""
    where = ["c.deleted_at IS NULL"]
    params: list[object] = [since.isoformat()]
    if tag:
        where.append("c.id IN (SELECT contact_id FROM tag WHERE name = ?)")
        params.append(tag)
    if circle:
        where.append("c.circle = ?")
        params.append(circle)
    sql = ("SELECT c.id, c.display_name, c.circle, c.rhythm_days, c.last_contacted, c.met_on, "
           "date(c.created_at), (SELECT count(*) FROM interaction i WHERE i.contact_id = c.id "
           'AND i."on" >= ?) FROM contact c WHERE ' + " AND ".join(where))
    rows: list[tuple] = []
    if ids is None:
        rows = store.db.execute_sql(sql, params).fetchall()
    else:
        for batch in chunked(list(dict.fromkeys(ids)), 900):
            marks = ", ".join("?" * len(batch))
            rows += store.db.execute_sql(f"{sql} AND c.id IN ({marks})",
                                         [*params, *batch]).fetchall()
    return [MapRow(cid, name, circle_, rhythm, as_date(last), as_date(met), as_date(made),
                   recent) for cid, name, circle_, rhythm, last, met, made, recent in rows]


def work_best(store: Store, prefixes: Sequence[str], weights: Sequence[float], *,
              field_weights: dict[str, float], limit: int) -> list[tuple[WorkGroupRow, int,
                                                                         float]]:
    """The `limit` live people whose work most likely answers a need, with an upper bound
    of how well: for each word (its LIKE prefix, its weight), the best field holding it
    (`field_weights`: does, title, tags, organization). Ordered by (words found, bound),
    best first, then id; the matcher then scores only these (plan/connector.py)."""
    if not prefixes:
        return []
    cases, params = [], []
    for prefix, weight in zip(prefixes, weights, strict=True):
        w = {f: field_weights[f] * weight for f in ("does", "title", "tags", "organization")}
        cases.append(f"(CASE WHEN does LIKE ? THEN {w['does']} WHEN title LIKE ? THEN "
                     f"{w['title']} WHEN id IN (SELECT contact_id FROM tag WHERE name LIKE ?) "
                     f"THEN {w['tags']} WHEN organization LIKE ? THEN {w['organization']} "
                     "ELSE 0 END)")
        params += [f"%{prefix}%"] * 4
    columns = ", ".join(f"{case} AS w{n}" for n, case in enumerate(cases))
    found = " + ".join(f"(w{n} > 0)" for n in range(len(cases)))
    bound = " + ".join(f"w{n}" for n in range(len(cases)))
    # each word's weight worked out once per person (MATERIALIZED), then ordered
    sql = (f"WITH x AS MATERIALIZED (SELECT id, does, title, organization, {columns} "
           "FROM contact INDEXED BY contact_work WHERE deleted_at IS NULL) "
           f"SELECT id, does, title, organization, {found} AS h, {bound} AS s FROM x "
           "WHERE h > 0 ORDER BY h DESC, s DESC, id LIMIT ?")
    rows = store.db.execute_sql(sql, [*params, limit]).fetchall()
    tags = _tags([r[0] for r in rows])
    return [(WorkGroupRow(does or "", title or "", org or "", tags.get(cid, ()), (cid,)),
             int(h), float(s)) for cid, does, title, org, h, s in rows]
