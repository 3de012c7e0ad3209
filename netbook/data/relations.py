"""Who knows whom: relationships between contacts, as RFC 6350's RELATED says them.

A row is one RELATED line of one contact's card: "the other (by UID) is my colleague".
Symmetric types (colleague, friend, sibling…) are stored on both people and parent/child
as each other's inverse, so each card carries its own side when it is exported or
synced, exactly as another vCard 4.0 client would write it. One-way types (agent,
emergency contact) live on the card that names them and show on the other person as
"agent for …". "Introduced by" is netbook's older field (`Contact.introduced_by`) and is
offered here as one more type, so the detail pane and `netbook relate` edit it the same way.

The other person is named by UID, not id: a card may name someone whose card arrives
later (a second file, the next page of a sync), and the row waits for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peewee import chunked

from . import networking
from .contacts import Store, StoreError
from .models import Contact, MergedUid, Relation

__all__ = [
    "INTRODUCED",
    "INTRODUCED_BY",
    "LABELS",
    "ONE_WAY",
    "RELATION_TYPES",
    "SYMMETRIC",
    "Edge",
    "Related",
    "edges",
    "inverse",
    "key_of",
    "known_through",
    "relate",
    "related",
    "relations_for",
    "set_relations",
    "unrelate",
    "uri_of",
]

# RFC 6350 §6.6.6 TYPE values between two people (without "me", "crush", "muse", "date",
# "sweetheart": lines with those stay in the card untouched), in the order the pane offers.
RELATION_TYPES = ("colleague", "co-worker", "friend", "acquaintance", "met", "contact",
                  "spouse", "parent", "child", "sibling", "kin", "neighbor", "co-resident",
                  "agent", "emergency")
SYMMETRIC = frozenset({"colleague", "co-worker", "friend", "acquaintance", "met", "contact",
                       "spouse", "sibling", "kin", "neighbor", "co-resident"})
_INVERSE = {"parent": "child", "child": "parent"}
ONE_WAY = frozenset({"agent", "emergency"})  # shown on the other side as "… for"
INTRODUCED_BY = "introduced-by"  # the other introduced this contact to me
INTRODUCED = "introduced"  # this contact introduced the other to me (shown, not set)

# what the other person is to this contact, as the pane writes it before their name
LABELS = {
    "colleague": "Colleague", "co-worker": "Co-worker", "friend": "Friend",
    "acquaintance": "Acquaintance", "met": "Met", "contact": "Contact", "spouse": "Spouse",
    "parent": "Parent", "child": "Child", "sibling": "Sibling", "kin": "Family",
    "neighbor": "Neighbour", "co-resident": "Lives with", "agent": "Agent",
    "emergency": "Emergency contact", "agent-for": "Agent for",
    "emergency-for": "Emergency contact for", INTRODUCED_BY: "Introduced by",
    INTRODUCED: "Introduced you to",
}
_REVERSE_ONE_WAY = {"agent": "agent-for", "emergency": "emergency-for"}
_ORDER = {t: n for n, t in enumerate([INTRODUCED_BY, *RELATION_TYPES, "agent-for",
                                      "emergency-for", INTRODUCED])}
_URN = "urn:uuid:"


@dataclass(frozen=True)
class Related:
    """Someone related to a contact: `type` is what they are to that contact."""

    contact_id: int
    name: str
    type: str

    @property
    def label(self) -> str:
        return LABELS.get(self.type, self.type)


@dataclass(frozen=True)
class Edge:
    """A line on the network map: two live contacts and how they are related."""

    a: int
    b: int
    type: str


def inverse(kind: str) -> str | None:
    """The type the other card carries (None for one-way types: only one card says it)."""
    if kind in SYMMETRIC:
        return kind
    return _INVERSE.get(kind)


def key_of(uid_or_uri: str) -> str:
    """A UID as relation rows keep it: `urn:uuid:X` and `X` name the same card."""
    value = uid_or_uri.strip()
    return value[len(_URN):] if value.lower().startswith(_URN) else value


def uri_of(key: str) -> str:
    """The RELATED value for a UID: a URI (`urn:uuid:…` unless it is one already)."""
    return key if ":" in key else _URN + key


def _live_ids(keys: Iterable[str]) -> dict[str, int]:
    """Key → id of the live contact holding that UID (either spelling)."""
    keys = set(keys)
    out: dict[str, int] = {}
    for batch in chunked(sorted(keys), 400):
        spelled = [*batch, *(_URN + k for k in batch)]
        q = (Contact.select(Contact.id, Contact.uid)
             .where(Contact.uid.in_(spelled) & Contact.deleted_at.is_null()))
        for cid, uid in q.tuples():
            out[key_of(uid)] = cid
        # a card merged into another (Find Duplicates): its UID now names the one kept
        merged = (MergedUid.select(MergedUid.uid, MergedUid.contact)
                  .join(Contact, on=(MergedUid.contact == Contact.id))
                  .where(MergedUid.uid.in_(spelled) & Contact.deleted_at.is_null()))
        for uid, cid in merged.tuples():
            out.setdefault(key_of(uid), cid)
    return out


def _aliases(contact_ids: Sequence[int]) -> dict[str, int]:
    """UID keys of the cards merged into these contacts."""
    out: dict[str, int] = {}
    for batch in chunked(list(contact_ids), 400):
        for uid, cid in (MergedUid.select(MergedUid.uid, MergedUid.contact)
                         .where(MergedUid.contact.in_(batch)).tuples()):
            out[key_of(uid)] = cid
    return out


def _uid(contact_id: int) -> str:
    row = Contact.get_or_none(Contact.id == contact_id)
    if row is None:
        raise StoreError(f"contact {contact_id} does not exist")
    return key_of(row.uid)


def _check_pair(store: Store, contact_id: int, other_id: int) -> None:
    if contact_id == other_id:
        raise StoreError("a contact can't be related to themselves")
    for cid in (contact_id, other_id):
        row = Contact.get_or_none(Contact.id == cid)
        if row is None:
            raise StoreError(f"contact {cid} does not exist")
        if row.deleted_at is not None:
            raise StoreError(f"{row.display_name or cid} is in the trash: restore them first "
                             "to relate them to someone")


def _parents(contact_id: int) -> set[int]:
    """Who is this contact's parent, from either card's side."""
    key = _uid(contact_id)
    up_keys = [k for (k,) in Relation.select(Relation.other_uid).where(
        (Relation.contact == contact_id) & (Relation.type == "parent")).tuples()]
    ids = set(_live_ids(up_keys).values())
    ids |= {cid for (cid,) in Relation.select(Relation.contact).where(
        (Relation.other_uid == key) & (Relation.type == "child")).tuples()}
    return ids


def _is_ancestor(candidate: int, of: int) -> bool:
    """Whether `candidate` is `of`'s parent, grandparent, …"""
    seen: set[int] = set()
    todo = [of]
    while todo:
        for parent in _parents(todo.pop()):
            if parent == candidate:
                return True
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return False


def relate(store: Store, contact_id: int, other_id: int, kind: str) -> bool:
    """Say the other is this contact's `kind` (both cards' sides); False: it was already.

    A parent cycle (someone their own ancestor), a contact related to themselves, a
    contact in the trash and an unknown type are refused before anything is written."""
    kind = kind.strip().lower()
    if kind not in (*RELATION_TYPES, INTRODUCED_BY):
        raise StoreError(f"unknown relationship “{kind}” (one of {', '.join(RELATION_TYPES)}, "
                         f"{INTRODUCED_BY})")
    _check_pair(store, contact_id, other_id)
    with store.db.atomic():
        if kind == INTRODUCED_BY:
            if Contact.get_by_id(contact_id).introduced_by_id == other_id:
                return False
            networking.set_networking(store, contact_id, introduced_by=other_id)
            return True
        parent, child = ((other_id, contact_id) if kind == "parent" else
                         (contact_id, other_id) if kind == "child" else (None, None))
        if parent is not None and child is not None and (
                _is_ancestor(child, parent) or child in _parents(parent)):
            raise StoreError("that would make someone their own ancestor (a cycle of parents)")
        mine, theirs = _uid(contact_id), _uid(other_id)
        back = inverse(kind)
        have = Relation.select().where(
            (Relation.contact == contact_id) & (Relation.other_uid == theirs)
            & (Relation.type == kind)).exists()
        have_back = back is None or Relation.select().where(
            (Relation.contact == other_id) & (Relation.other_uid == mine)
            & (Relation.type == back)).exists()
        if have and have_back:
            return False
        Relation.insert(contact=contact_id, other_uid=theirs, type=kind) \
            .on_conflict_ignore().execute()
        if back is not None:
            Relation.insert(contact=other_id, other_uid=mine, type=back) \
                .on_conflict_ignore().execute()
        return True


def unrelate(store: Store, contact_id: int, other_id: int, kind: str | None = None) -> None:
    """Take a relationship away on both sides (every type between them when no `kind`);
    StoreError when there is none."""
    if kind is not None:
        kind = kind.strip().lower()
        if kind not in (*RELATION_TYPES, INTRODUCED_BY):
            raise StoreError(f"unknown relationship “{kind}”")
    if contact_id == other_id:
        raise StoreError("a contact can't be related to themselves")
    with store.db.atomic():
        mine, theirs = _uid(contact_id), _uid(other_id)
        removed = 0
        if kind in (None, INTRODUCED_BY):
            removed += Contact.update(introduced_by=None).where(
                (Contact.id == contact_id) & (Contact.introduced_by == other_id)).execute()
        if kind is None:
            removed += Contact.update(introduced_by=None).where(
                (Contact.id == other_id) & (Contact.introduced_by == contact_id)).execute()
            removed += Relation.delete().where(
                ((Relation.contact == contact_id) & (Relation.other_uid == theirs))
                | ((Relation.contact == other_id) & (Relation.other_uid == mine))).execute()
        elif kind != INTRODUCED_BY:
            removed += Relation.delete().where(
                (Relation.contact == contact_id) & (Relation.other_uid == theirs)
                & (Relation.type == kind)).execute()
            back = inverse(kind)
            if back is not None:
                removed += Relation.delete().where(
                    (Relation.contact == other_id) & (Relation.other_uid == mine)
                    & (Relation.type == back)).execute()
        if not removed:
            names = store.display_names([contact_id, other_id])
            what = f" as {LABELS.get(kind, kind).lower()}" if kind else ""
            raise StoreError(f"{names.get(contact_id, contact_id)} and "
                             f"{names.get(other_id, other_id)} aren't related{what}")


def related(store: Store, contact_id: int) -> list[Related]:
    """Everyone related to this contact, each once per type, introducer first."""
    return known_through(store, [contact_id]).get(contact_id, [])


def known_through(store: Store, contact_ids: Sequence[int]) -> dict[int, list[Related]]:
    """For each contact, the live people related to them (both cards' sides, the
    introducer and whoever they introduced), in the pane's order. Batched: who-can-help
    asks this for a page of hits at once."""
    ids = list(dict.fromkeys(contact_ids))
    out: dict[int, dict[tuple[int, str], None]] = {cid: {} for cid in ids}
    if not ids:
        return {}
    uids: dict[int, str] = {}
    intro: dict[int, int | None] = {}
    for batch in chunked(ids, 400):
        for cid, uid, by in (Contact.select(Contact.id, Contact.uid, Contact.introduced_by)
                             .where(Contact.id.in_(batch)).tuples()):
            uids[cid] = key_of(uid)
            intro[cid] = by
    mine = [(cid, key, kind) for cid, key, kind in _rows_of(ids)]
    by_key = {**_aliases(ids), **{key: cid for cid, key in uids.items()}}
    theirs = _rows_naming(list(by_key))
    live = _live_ids({key for _, key, _ in mine})
    pairs: list[tuple[int, int, str]] = []
    for cid, key, kind in mine:
        if key in live and live[key] != cid:
            pairs.append((cid, live[key], kind))
    for owner, key, kind in theirs:  # another card names one of ours
        cid = by_key.get(key)
        if cid is None or owner == cid:
            continue
        back = inverse(kind) or _REVERSE_ONE_WAY.get(kind)
        if back:
            pairs.append((cid, owner, back))
    for cid in ids:
        introducer = intro.get(cid)
        if introducer:
            pairs.append((cid, introducer, INTRODUCED_BY))
    for batch in chunked(ids, 400):
        for cid, by, gone in (Contact.select(Contact.id, Contact.introduced_by,
                                             Contact.deleted_at)
                              .where(Contact.introduced_by.in_(batch)).tuples()):
            if gone is None:
                pairs.append((by, cid, INTRODUCED))
    others = {other for _, other, _ in pairs}
    names = dict(Contact.select(Contact.id, Contact.display_name).where(
        Contact.id.in_(list(others)) & Contact.deleted_at.is_null()).tuples()) if others else {}
    for cid, other, kind in pairs:
        if other in names:
            out[cid][(other, kind)] = None
    return {cid: sorted((Related(o, names[o], k) for o, k in found),
                        key=lambda r: (_ORDER.get(r.type, 99), r.name.casefold(), r.contact_id))
            for cid, found in out.items()}


def _rows_of(ids: Sequence[int]) -> list[tuple[int, str, str]]:
    rows: list[tuple[int, str, str]] = []
    for batch in chunked(list(ids), 400):
        rows.extend(Relation.select(Relation.contact, Relation.other_uid, Relation.type)
                    .where(Relation.contact.in_(batch)).tuples())
    return rows


def _rows_naming(keys: Sequence[str]) -> list[tuple[int, str, str]]:
    rows: list[tuple[int, str, str]] = []
    for batch in chunked(list(keys), 400):
        # by the UID index first; the trash is sorted out here (filtering on deleted_at
        # in SQL lets SQLite walk every live contact instead)
        found = list(Relation.select(Relation.contact, Relation.other_uid, Relation.type)
                     .where(Relation.other_uid.in_(batch)).tuples())
        owners = {cid for cid, _, _ in found}
        live = {cid for (cid,) in Contact.select(Contact.id).where(
            Contact.id.in_(list(owners)) & Contact.deleted_at.is_null()).tuples()} \
            if owners else set()
        rows.extend(r for r in found if r[0] in live)
    return rows


def relations_for(contact_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """Each contact's own RELATED lines as (other's UID key, type), sorted: what its card
    carries in a file or on a server (and so in its sync fingerprint)."""
    out: dict[int, list[tuple[str, str]]] = {cid: [] for cid in contact_ids}
    for cid, key, kind in _rows_of(contact_ids):
        out[cid].append((key, kind))
    for rows in out.values():
        rows.sort()
    return out


def set_relations(contact_id: int, pairs: Iterable[tuple[str, str]], *,
                  replace: bool) -> None:
    """A card's RELATED lines written as this contact's rows (the caller holds the
    transaction): `replace` for a server's card (its whole state), else added to what is
    here (an import: what netbook knows stays)."""
    if replace:
        Relation.delete().where(Relation.contact == contact_id).execute()
    rows = sorted({(contact_id, key, kind) for key, kind in pairs if key})
    for batch in chunked(rows, 200):
        Relation.insert_many(batch, fields=[Relation.contact, Relation.other_uid,
                                            Relation.type]).on_conflict_ignore().execute()


def edges(store: Store) -> list[Edge]:
    """Every relationship between two live contacts once (the map's lines), introductions
    included."""
    live = {key_of(uid): cid for cid, uid in Contact.select(Contact.id, Contact.uid).where(
        Contact.deleted_at.is_null()).tuples()}
    alive = set(live.values())
    for uid, cid in MergedUid.select(MergedUid.uid, MergedUid.contact).tuples():
        if cid in alive:
            live.setdefault(key_of(uid), cid)
    seen: dict[tuple[int, int], str] = {}
    for owner, key, kind in Relation.select(Relation.contact, Relation.other_uid,
                                            Relation.type).tuples():
        other = live.get(key)
        if other is None or other == owner or owner not in alive:
            continue
        pair = (min(owner, other), max(owner, other))
        seen.setdefault(pair, kind)
    for cid, by in (Contact.select(Contact.id, Contact.introduced_by)
                    .where(Contact.introduced_by.is_null(False)
                           & Contact.deleted_at.is_null()).tuples()):
        if by in alive:
            seen.setdefault((min(cid, by), max(cid, by)), INTRODUCED_BY)
    return [Edge(a, b, kind) for (a, b), kind in sorted(seen.items())]
