"""netbook's own fields in a vCard: X-NETBOOK-* properties, both ways.

Rhythm, how we met, needs and offers, the interaction log: vCard has no word for them, so
the tables hold them (data/networking.py) and files carry them as X-NETBOOK-* lines. This
is the one mapping between the two, used by import, export and CardDAV sync alike, so a
contact survives a trip through a file or a server with all of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..contacts import NETBOOK_PREFIX, Store
from ..models import Contact
from ..networking import CIRCLES, GIFT_KINDS, INTERACTION_KINDS, InteractionRow, interactions
from ..relations import RELATION_TYPES, key_of, relations_for, uri_of
from .card import Card, Property, escape_text

__all__ = [
    "DATE_FIELDS",
    "INTERACTION_PROP",
    "INTRODUCED_BY_PROP",
    "NETWORK_PROPS",
    "RELATED_PROP",
    "NetworkData",
    "network_from_texts",
    "network_properties",
    "take_network_data",
]

# networking field ↔ X-NETBOOK property
NETWORK_PROPS = {
    "rhythm_days": "X-NETBOOK-RHYTHM", "circle": "X-NETBOOK-CIRCLE", "met_on": "X-NETBOOK-MET",
    "met_where": "X-NETBOOK-MET-WHERE", "does": "X-NETBOOK-DOES", "needs": "X-NETBOOK-NEEDS",
    "offers": "X-NETBOOK-OFFERS", "follow_up": "X-NETBOOK-FOLLOW-UP",
    "follow_up_note": "X-NETBOOK-FOLLOW-UP-NOTE", "snoozed_until": "X-NETBOOK-SNOOZED-UNTIL",
}
_NETWORK_KEYS = {name: key for key, name in NETWORK_PROPS.items()}  # line → field
DATE_FIELDS = frozenset({"met_on", "follow_up", "snoozed_until"})
INTERACTION_PROP = "X-NETBOOK-INTERACTION"
INTRODUCED_BY_PROP = "X-NETBOOK-INTRODUCED-BY"
# Relationships: RFC 6350 RELATED in 4.0; vCard 3.0 has no RELATED, so there it is the
# same line under netbook's name, plus Apple's X-ABRELATEDNAMES (the other's name with a
# label, in the same group) for Apple's clients to show.
RELATED_PROP = "X-NETBOOK-RELATED"
_APPLE_NAMES = "X-ABRELATEDNAMES"
_APPLE_LABELS = {"friend": "_$!<Friend>!$_", "spouse": "_$!<Spouse>!$_",
                 "parent": "_$!<Parent>!$_", "child": "_$!<Child>!$_"}
_KNOWN_TYPES = frozenset(RELATION_TYPES)


@dataclass
class NetworkData:
    fields: dict = field(default_factory=dict)
    introduced_by_uid: str = ""
    interactions: list[dict] = field(default_factory=list)
    relations: list[tuple[str, str]] = field(default_factory=list)  # (other's UID, type)

    def is_empty(self) -> bool:
        return not (self.fields or self.introduced_by_uid or self.interactions
                    or self.relations)


def _relation_of(prop: Property) -> list[tuple[str, str]] | None:
    """A RELATED line's (UID, type) pairs; None when it isn't one of ours to take (a
    text or web value, a type netbook doesn't keep, no type at all)."""
    value = prop.value.strip()
    types = prop.types()
    if not value.lower().startswith("urn:uuid:") or not types:
        return None
    if any(t not in _KNOWN_TYPES for t in types):
        return None
    return [(key_of(value), t) for t in types]


def _take_relations(card: Card, taken: list[Property], data: NetworkData) -> None:
    if not any(p.name == RELATED_PROP for p in taken) and not any(
            p.name == "RELATED" for p in card.properties):
        return  # most cards: no relation to take, nothing to walk the card for
    groups: set[str] = set()
    for prop in taken:
        if prop.name == RELATED_PROP:
            pairs = _relation_of(prop)
            if pairs:
                data.relations += pairs
                if prop.group:
                    groups.add(prop.group.lower())
    kept: list[Property] = []
    for prop in card.properties:
        pairs = _relation_of(prop) if prop.name == "RELATED" else None
        if pairs:
            data.relations += pairs
        elif not (prop.group and prop.group.lower() in groups
                  and prop.name in (_APPLE_NAMES, "X-ABLABEL")):
            kept.append(prop)
    card.properties = kept
    data.relations = sorted(set(data.relations))


def take_network_data(card: Card) -> NetworkData:
    """Remove X-NETBOOK-* from the card (the tables hold them) and return their values."""
    data = NetworkData()
    taken = card.remove_prefixed(NETBOOK_PREFIX)
    _take_relations(card, taken, data)
    for prop in taken:
        text = prop.text.strip()
        if prop.name == INTRODUCED_BY_PROP:
            data.introduced_by_uid = text
            continue
        if prop.name == INTERACTION_PROP:
            params = {k: v for k, v in prop.params}
            try:
                on = dt.date.fromisoformat(params.get("DATE", ""))
            except ValueError:
                continue
            kind = params.get("KIND", "call").lower()
            if kind not in INTERACTION_KINDS:
                kind = "call"
            exchange = params.get("EXCHANGE", "").lower()
            exchange = exchange if exchange in ("gave", "asked") else ""
            gift = params.get("GIFT", "").lower() if exchange == "gave" else ""
            gift = gift if gift in GIFT_KINDS else ""
            data.interactions.append({"on": min(on, dt.date.today()), "kind": kind,
                                      "note": prop.text, "exchange": exchange, "gift": gift})
            continue
        key = _NETWORK_KEYS.get(prop.name)
        if key is not None:
            _take_field(data.fields, key, prop.text)
    return _without_future_meeting(data)


def network_from_texts(texts: Mapping[str, str]) -> NetworkData:
    """The networking fields a table row names (field → its text, as a CSV layout reads
    them), as `take_network_data` reads them off X-NETBOOK-* lines holding those texts:
    a row's card needs no such lines written only to be taken out again."""
    data = NetworkData()
    for key, text in texts.items():
        if key in NETWORK_PROPS:
            # what the text is after a trip through a vCard line: its line ends are LF
            _take_field(data.fields, key, text.replace("\r\n", "\n").replace("\r", "\n"))
    return _without_future_meeting(data)


def _take_field(fields: dict, key: str, raw: str) -> None:
    """One networking field from its text; a text that isn't a valid value is left out."""
    text = raw.strip()
    if not text:
        return
    if key in DATE_FIELDS:
        with contextlib.suppress(ValueError):
            fields[key] = dt.date.fromisoformat(text)
    elif key == "rhythm_days":
        with contextlib.suppress(ValueError):
            if int(text) > 0:
                fields[key] = int(text)
    elif key == "circle":
        if text.lower() in CIRCLES:
            fields[key] = text.lower()
    else:
        fields[key] = raw


def _without_future_meeting(data: NetworkData) -> NetworkData:
    if data.fields.get("met_on") and data.fields["met_on"] > dt.date.today():
        data.fields.pop("met_on")
    return data


def network_properties(store: Store, contact: Contact,
                       log: Sequence[InteractionRow] | None = None,
                       introducer_uid: str | None = None, *,
                       relations: Sequence[tuple[str, str]] | None = None,
                       names: dict[str, str] | None = None, version: str = "3.0",
                       card: Card | None = None) -> list[Property]:
    """The X-NETBOOK-* lines for one contact (export), and its RELATED lines for
    `version`. `log`, `introducer_uid`, `relations` and `names` (the related people's
    names by UID) spare the queries when the caller read them for many contacts at once;
    `card` is the card they join, whose item groups the Apple labels must not reuse."""
    props: list[Property] = []
    for key, name in NETWORK_PROPS.items():
        value = getattr(contact, key)
        if value in (None, ""):
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        props.append(Property(name, escape_text(text)))
    if contact.introduced_by_id and introducer_uid is None:
        intro = Contact.get_or_none(Contact.id == contact.introduced_by_id)
        introducer_uid = intro.uid if intro is not None else None
    if contact.introduced_by_id and introducer_uid:
        props.append(Property(INTRODUCED_BY_PROP, escape_text(introducer_uid)))
    for row in log if log is not None else interactions(store, contact.id):
        params = [("DATE", row.on.isoformat()), ("KIND", row.kind)]
        if row.exchange:
            params.append(("EXCHANGE", row.exchange))
        if row.gift:
            params.append(("GIFT", row.gift))
        props.append(Property(INTERACTION_PROP, escape_text(row.note), params))
    if relations is None:
        relations = relations_for([contact.id])[contact.id]
        if names is None and version != "4.0":
            names = related_names([key for key, _ in relations])
    props += relation_properties(relations, names or {}, version, card)
    return props


def related_names(keys: Sequence[str]) -> dict[str, str]:
    """Display names of the live contacts with these UIDs (for Apple's labels)."""
    out: dict[str, str] = {}
    wanted = set(keys)
    if not wanted:
        return out
    spelled = [*wanted, *(uri_of(k) for k in wanted)]
    for batch in range(0, len(spelled), 400):
        q = (Contact.select(Contact.uid, Contact.display_name)
             .where(Contact.uid.in_(spelled[batch:batch + 400])
                    & Contact.deleted_at.is_null()))
        for uid, name in q.tuples():
            out[key_of(uid)] = name
    return out


def relation_properties(relations: Sequence[tuple[str, str]], names: dict[str, str],
                        version: str, card: Card | None = None) -> list[Property]:
    """RELATED;TYPE=t:urn:uuid:… (4.0), or X-NETBOOK-RELATED with Apple's
    X-ABRELATEDNAMES and its label in one item group (3.0)."""
    if version == "4.0":
        return [Property("RELATED", uri_of(key), [("TYPE", kind)]) for key, kind in relations]
    used = {p.group.lower() for p in card.properties if p.group} if card is not None else set()
    props: list[Property] = []
    n = 0
    for key, kind in relations:
        name = names.get(key, "")
        if not name:
            props.append(Property(RELATED_PROP, uri_of(key), [("TYPE", kind)]))
            continue
        n += 1
        while f"item{n}" in used:
            n += 1
        group = f"item{n}"
        label = _APPLE_LABELS.get(kind, kind)
        props += [Property(RELATED_PROP, uri_of(key), [("TYPE", kind)], group),
                  Property(_APPLE_NAMES, escape_text(name), [], group),
                  Property("X-ABLABEL", escape_text(label), [], group)]
    return props
