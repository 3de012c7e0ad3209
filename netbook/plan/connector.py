"""The connector's views of the store: one contact whole (`netbook show`), who could help
with a need, and the week's introductions, read once and handed to the pure matcher.

Qt-free like service.py; the language of the word matching comes from the caller (the
window and the command line ask the locale).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlencode

from ..data import connector_queries, networking, operations, relations
from ..data.contacts import Store, StoreError, contact_json
from . import matching, planner, wording

__all__ = ["Draft", "Helper", "MapNode", "NetworkMap", "contact_document",
           "give_first_partners", "introduction_draft", "needer_of", "network_map",
           "plan_introductions", "suggestions", "who_can_help"]


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def contact_document(store: Store, contact_id: int, today: dt.date) -> dict[str, Any]:
    """`netbook show --format json`: the keys of `list --format json` plus everything
    netbook knows of the person (a contract: keep the keys). Dates ISO, absent null."""
    record = store.get_contact(contact_id)
    log = networking.interactions(store, contact_id)
    doc = contact_json(contact_id, record.card)
    due = planner.rhythm_due(planner.PlanContact(
        id=contact_id, name=record.name, rhythm_days=record.rhythm_days,
        last_contacted=record.last_contacted, met_on=record.met_on,
        created=record.created_at.date()), today)
    doc.update({
        "rhythm_days": record.rhythm_days,
        "circle": record.circle,
        "met_on": _iso(record.met_on),
        "met_where": record.met_where or None,
        "introduced_by": ({"contact_id": record.introduced_by,
                           "name": record.introduced_by_name}
                          if record.introduced_by else None),
        "does": record.does or None,
        "needs": record.needs or None,
        "offers": record.offers or None,
        "follow_up": _iso(record.follow_up),
        "follow_up_note": record.follow_up_note or None,
        "asked_count": sum(1 for r in log if r.exchange == "asked"),
        "gave_count": sum(1 for r in log if r.exchange == "gave"),
        "next_due": _iso(due),
        "interactions": [{"date": r.on.isoformat(), "kind": r.kind, "note": r.note or None,
                          "gave": r.gift or ("something" if r.exchange == "gave" else None),
                          "asked": r.exchange == "asked"} for r in log],
        "related": [{"contact_id": r.contact_id, "name": r.name, "type": r.type}
                    for r in relations.related(store, contact_id)],
    })
    return doc


# -- who could help ---------------------------------------------------------------------

NOTHING_TO_MATCH = ("“{text}” has no word to match on (only words like “a”, “the”, "
                    "“need”): say what is needed, e.g. “a web designer”")


@dataclass(frozen=True)
class Helper:
    """One person who could help with a need: what matched, and who in the book knows
    them (so the ask can go through a friend)."""

    contact_id: int
    name: str
    organization: str
    matched: str
    known_through: tuple[relations.Related, ...]

    def to_json(self) -> dict[str, Any]:
        """An item of `netbook who-can-help --format json` (a contract: keep the keys)."""
        return {"contact_id": self.contact_id, "name": self.name,
                "organization": self.organization, "matched": self.matched,
                "known_through": [{"contact_id": r.contact_id, "name": r.name,
                                   "type": r.type} for r in self.known_through]}


def who_can_help(store: Store, text: str, limit: int = 20,
                 exclude: Sequence[int] = ()) -> list[Helper]:
    """The people whose work best answers `text`, best first (StoreError when the text
    has no word to match on). Never by their needs, never by what I could offer them."""
    need = matching.terms(text, store.language)
    if not need:
        raise StoreError(NOTHING_TO_MATCH.format(text=" ".join(text.split())))
    head = matching.head_term(text, store.language)
    prefixes = [matching.like_prefixes([t])[0] for t in need]
    weights = [2.0 if head is not None and t.stem == head.stem else 1.0 for t in need]
    page = max(limit * 10, 200)
    while True:
        # the most promising people by an upper bound worked out in SQL; scored here,
        # and asked for more only if someone further down could still make the list
        found = connector_queries.work_best(store, prefixes, weights, limit=page,
                                            field_weights=matching.FIELD_WEIGHTS)
        hits, settled = matching.rank_bounded(
            need, [(matching.WorkGroup(*g), h, s) for g, h, s in found], store.language,
            limit=limit, exclude=exclude, head_of=head)
        if settled or len(found) < page:
            break
        page *= 4
    names = store.display_names([h.contact_id for h in hits])
    known = relations.known_through(store, [h.contact_id for h in hits])
    return [Helper(h.contact_id, names.get(h.contact_id, ""), h.organization, h.matched_text,
                   tuple(known.get(h.contact_id, ()))) for h in hits]


def _groups(rows: list[connector_queries.WorkGroupRow]) -> list[matching.WorkGroup]:
    return [matching.WorkGroup(*r) for r in rows]


# -- the week's introductions -------------------------------------------------------------

INTRO_MIN_SCORE = 1.5  # a match on the organisation's name alone is no reason to introduce


def plan_introductions(store: Store, plan: planner.WeekPlan,
                       known: dict[int, planner.Introduction | None],
                       partners: Mapping[int, planner.Partner] | None = None
                       ) -> planner.WeekPlan:
    """The plan with an introduction on each row where one fits: the person's need meets
    someone's work, or their work meets someone's need — whatever they are planned for.
    A give-first row keeps its partner (`partners`, found by `give_first_partners`).
    `known` holds what was found before, by contact (filled in here), so a plan patched
    after a call asks the store nothing new."""
    wanted = [i.contact_id for i in plan.items if i.contact_id not in known]
    if wanted:
        known.update(_find_introductions(store, plan, wanted, partners or {}))
    if not any(known.get(i.contact_id) for i in plan.items):
        return plan
    items = tuple(replace(i, introduce=known.get(i.contact_id)) for i in plan.items)
    return replace(plan, items=items)


def give_first_partners(store: Store, ids: Sequence[int]) -> dict[int, planner.Partner]:
    """Whom to introduce each of these people to when the plan says "give first": the
    one whose work best answers their need (what they do, title, tags, organisation —
    never what I could offer them, issue 13), matched as the week's other
    introductions are, leaving out whoever they know already. People with no such
    match are left out (the plan then offers something instead)."""
    profiles = {r.id: r for r in connector_queries.profile_rows(store, ids)}
    if not profiles:
        return {}
    related = relations.known_through(store, list(profiles))
    find = _helper_finder(store, profiles)
    hits: dict[int, matching.Hit] = {}
    for cid, p in profiles.items():
        hit = find(p, {cid, *(r.contact_id for r in related.get(cid, ()))}, set())
        if hit is not None:
            hits[cid] = hit
    names = store.display_names([h.contact_id for h in hits.values()])
    return {cid: planner.Partner(h.contact_id, names.get(h.contact_id, ""), h.work_text)
            for cid, h in hits.items()}


def _helper_finder(store: Store, profiles: Mapping[int, connector_queries.ProfileRow]
                   ) -> Callable[[connector_queries.ProfileRow, set[int],
                                  set[frozenset[int]]], matching.Hit | None]:
    """Who could answer each of these people's needs: the work that might, read from the
    store once; then, for one person, the best match strong enough to introduce (and
    not a pair already made)."""
    language = store.language
    needs = {cid: matching.terms(p.needs, language) for cid, p in profiles.items()}
    prefixes = matching.like_prefixes(t for found in needs.values() for t in found)
    groups = _groups(connector_queries.work_groups(store, prefixes))

    def find(p: connector_queries.ProfileRow, skip: set[int],
             paired: set[frozenset[int]]) -> matching.Hit | None:
        if not needs.get(p.id):
            return None
        return _best(matching.rank_groups(needs[p.id], groups, language, limit=20,
                                          exclude=skip,
                                          head_of=matching.head_term(p.needs, language)),
                     paired, p.id)

    return find


def _find_introductions(store: Store, plan: planner.WeekPlan, ids: list[int],
                        partners: Mapping[int, planner.Partner]
                        ) -> dict[int, planner.Introduction | None]:
    language = store.language
    today = plan.block_date
    profiles = {r.id: r for r in connector_queries.profile_rows(store, ids)}
    related = relations.known_through(store, ids)
    out: dict[int, planner.Introduction | None] = dict.fromkeys(ids)
    find = _helper_finder(store, profiles)
    mine = {cid: matching.Worker(p.id, p.name, p.organization, p.title, p.does, p.tags)
            for cid, p in profiles.items()}
    work_terms = [t for w in mine.values()
                  for t in matching.terms(" ".join((w.does, w.title, *w.tags)), language)]
    needers = [matching.Need(r.needs, r.ids) for r in
               connector_queries.need_rows(store, matching.like_prefixes(work_terms))]
    paired: set[frozenset[int]] = set()
    given = {i.contact_id: i.partner_id for i in plan.items if i.partner_id}
    for cid in ids:
        p = profiles.get(cid)
        if p is None:
            continue
        skip = {cid, *(r.contact_id for r in related.get(cid, ()))}
        intro = None
        partner = given.get(cid)
        if partner is not None:  # give-first: the plan's own partner stays
            chosen = partners.get(cid)
            if chosen is not None and chosen.contact_id == partner:
                name, work = chosen.name, chosen.work
            else:  # held from earlier in the week: their work as they wrote it
                them = connector_queries.profile_rows(store, [partner])
                name, work = (them[0].name, _work(them[0])) if them else ("", "")
            if name:
                intro = planner.Introduction(partner, name, wording.introduction_why(
                    name, work, p.name, p.needs,
                    wording.met_phrase(p.met_on, p.met_where, today)))
        hit = None if intro else find(p, skip, paired)
        if hit is not None:
            name = store.display_names([hit.contact_id]).get(hit.contact_id, "")
            intro = planner.Introduction(hit.contact_id, name, wording.introduction_why(
                name, hit.work_text, p.name, p.needs,
                wording.met_phrase(p.met_on, p.met_where, today)))
        if intro is None and (p.does or p.title or p.tags):
            taken = {other for pair in paired if cid in pair for other in pair}
            found = matching.best_needer(mine[cid], needers, language,
                                         exclude=skip | taken, min_score=INTRO_MIN_SCORE,
                                         need_head=True)
            if found is not None:
                need, work_hit = found
                (them_row,) = connector_queries.profile_rows(store, [need.id])
                intro = planner.Introduction(need.id, them_row.name, wording.introduction_why(
                    p.name, work_hit.work_text, them_row.name, need.needs,
                    wording.met_phrase(them_row.met_on, them_row.met_where, today)))
        if intro is not None:
            paired.add(frozenset((cid, intro.contact_id)))
        out[cid] = intro
    return out


def _best(hits: list[matching.Hit], paired: set[frozenset[int]],
          cid: int) -> matching.Hit | None:
    for hit in hits:
        if (hit.score >= INTRO_MIN_SCORE and hit.head and hit.by_work
                and frozenset((cid, hit.contact_id)) not in paired):
            return hit
    return None


# -- making the introduction --------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """The message of an introduction, ready for the user's mail program."""

    to: tuple[str, ...]
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        """A mailto: URL with every address, the subject and the body."""
        query = urlencode({"subject": self.subject, "body": self.body}, quote_via=quote)
        return f"mailto:{','.join(quote(a, safe='@') for a in self.to)}?{query}"

    def to_json(self) -> dict[str, Any]:
        """`netbook introduce --format json` (a contract: keep the keys)."""
        return {"to": list(self.to), "subject": self.subject, "body": self.body}


def needer_of(store: Store, contact_id: int, other_id: int) -> tuple[int, int]:
    """(who needs it, who can help): the other way round only when the other's need is
    what this contact's work answers and not the reverse."""
    people = {p.id: p for p in connector_queries.profile_rows(store, [contact_id, other_id])}
    a, b = people.get(contact_id), people.get(other_id)
    if a is None or b is None:
        return contact_id, other_id

    def answers(need: connector_queries.ProfileRow, work: connector_queries.ProfileRow) -> bool:
        found = matching.terms(need.needs, store.language)
        worker = matching.Worker(work.id, work.name, work.organization, work.title, work.does,
                                 work.tags)
        return bool(found) and bool(matching.rank(found, [worker], store.language))

    if answers(b, a) and not answers(a, b):
        return other_id, contact_id
    return contact_id, other_id


def introduction_draft(store: Store, needer_id: int, helper_id: int, note: str = "",
                       ask_first: bool = False) -> Draft:
    """The message to both (or, `ask_first`, only to the one who would help, asking
    whether they'd like it); StoreError when someone it goes to has no email."""
    # refused by the rule the operation logging it keeps: the mail button is never
    # offered for what would then be refused
    operations.introduction_people(store, needer_id, helper_id, ask_first=ask_first)
    people = {p.id: p for p in connector_queries.profile_rows(store, [needer_id, helper_id])}
    emails = connector_queries.emails(store, [needer_id, helper_id])
    needer, helper = people[needer_id], people[helper_id]
    if ask_first:
        subject, body = wording.introduction_ask(needer.name, needer.needs, helper.name,
                                                 _work(helper), note)
        return Draft((emails[helper_id],), subject, body)
    subject, body = wording.introduction_email(needer.name, needer.needs, helper.name,
                                               _work(helper), note)
    return Draft((emails[needer_id], emails[helper_id]), subject, body)


def _work(person: connector_queries.ProfileRow) -> str:
    """What they do as they wrote it ('web design', 'Investor at Fjord Capital'), else
    their title, else '': the message puts it in brackets after their name ("Lars
    Andersen (Investor at Fjord Capital)"; "Lars does Investor at…" read badly)."""
    return person.does or person.title


def suggestions(store: Store, contact_id: int, limit: int = 8) -> list[Helper]:
    """Whom to introduce this contact to: people whose work answers their need, best
    first, leaving out whoever they know already (the Introduce… dialog's list)."""
    record = store.get_contact(contact_id)
    if not matching.terms(record.needs, store.language):
        return []
    known = {r.contact_id for r in relations.related(store, contact_id)}
    return who_can_help(store, record.needs, limit=limit,
                        exclude=[contact_id, *known])


# -- the network on a map -----------------------------------------------------------------

RECENT_DAYS = 90  # a node's size counts the touches of the last three months
MAP_STEPS = 2  # the selected contact's circle: people up to two relationships away


@dataclass(frozen=True)
class MapNode:
    contact_id: int
    name: str
    circle: str | None
    recent: int  # touches in the last RECENT_DAYS
    overdue: bool
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class NetworkMap:
    """People and the lines between them, laid out (`layout.spring_layout`)."""

    nodes: tuple[MapNode, ...]
    links: tuple[tuple[int, int, str], ...]  # (contact id, contact id, type)
    center: int | None = None


def network_map(store: Store, today: dt.date, *, center: int | None = None,
                steps: int = MAP_STEPS, tag: str | None = None,
                circle: str | None = None,
                report: Callable[[int, int], None] | None = None) -> NetworkMap:
    """The network to draw: `center`'s people up to `steps` relationships out, or the
    whole book (filtered by tag or circle). Slow at scale (the layout): run it off the
    GUI thread, with the worker's `report` (its Cancel stops the layout)."""
    from .layout import spring_layout  # numpy and scipy only when the map is opened

    edges = relations.edges(store)
    ids: list[int] | None = None
    if center is not None:
        around: dict[int, set[int]] = {}
        for e in edges:
            around.setdefault(e.a, set()).add(e.b)
            around.setdefault(e.b, set()).add(e.a)
        seen = {center}
        ring = {center}
        for _ in range(steps):
            ring = {o for p in ring for o in around.get(p, ())} - seen
            seen |= ring
        ids = sorted(seen)
    rows = connector_queries.map_rows(store, ids, today - dt.timedelta(days=RECENT_DAYS),
                                      tag=tag, circle=circle)
    rows.sort(key=lambda r: r.id)
    number = {r.id: n for n, r in enumerate(rows)}
    links = tuple((e.a, e.b, e.type) for e in edges if e.a in number and e.b in number)
    points = spring_layout(len(rows), [(number[a], number[b]) for a, b, _ in links],
                           fixed=number.get(center) if center is not None else None,
                           report=report)
    nodes = []
    for r, (x, y) in zip(rows, points, strict=True):
        standing = planner.PlanContact(id=r.id, name=r.name, rhythm_days=r.rhythm_days,
                                       last_contacted=r.last_contacted, met_on=r.met_on,
                                       created=r.created)
        nodes.append(MapNode(r.id, r.name, r.circle, r.recent,
                             planner.is_overdue(standing, today), x, y))
    return NetworkMap(tuple(nodes), links, center)
