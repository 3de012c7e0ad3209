"""netbook's own fields in a vCard: X-NETBOOK-* properties, both ways.

Rhythm, how we met, needs and offers, the interaction log: vCard has no word for them, so
the tables hold them (data/networking.py) and files carry them as X-NETBOOK-* lines. This
is the one mapping between the two, used by import, export and CardDAV sync alike, so a
contact survives a trip through a file or a server with all of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..contacts import NETBOOK_PREFIX, Store
from ..models import Contact
from ..networking import CIRCLES, GIFT_KINDS, INTERACTION_KINDS, InteractionRow, interactions
from .card import Card, Property, escape_text

__all__ = [
    "DATE_FIELDS",
    "INTERACTION_PROP",
    "INTRODUCED_BY_PROP",
    "NETWORK_PROPS",
    "NetworkData",
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
DATE_FIELDS = frozenset({"met_on", "follow_up", "snoozed_until"})
INTERACTION_PROP = "X-NETBOOK-INTERACTION"
INTRODUCED_BY_PROP = "X-NETBOOK-INTRODUCED-BY"


@dataclass
class NetworkData:
    fields: dict = field(default_factory=dict)
    introduced_by_uid: str = ""
    interactions: list[dict] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.fields or self.introduced_by_uid or self.interactions)


def take_network_data(card: Card) -> NetworkData:
    """Remove X-NETBOOK-* from the card (the tables hold them) and return their values."""
    data = NetworkData()
    for prop in card.remove_prefixed(NETBOOK_PREFIX):
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
        for key, name in NETWORK_PROPS.items():
            if prop.name != name or not text:
                continue
            if key in DATE_FIELDS:
                with contextlib.suppress(ValueError):
                    data.fields[key] = dt.date.fromisoformat(text)
            elif key == "rhythm_days":
                with contextlib.suppress(ValueError):
                    if int(text) > 0:
                        data.fields[key] = int(text)
            elif key == "circle":
                if text.lower() in CIRCLES:
                    data.fields[key] = text.lower()
            else:
                data.fields[key] = prop.text
    if data.fields.get("met_on") and data.fields["met_on"] > dt.date.today():
        data.fields.pop("met_on")
    return data


def network_properties(store: Store, contact: Contact,
                       log: Sequence[InteractionRow] | None = None,
                       introducer_uid: str | None = None) -> list[Property]:
    """The X-NETBOOK-* lines for one contact (export). `log` and `introducer_uid` spare
    the queries when the caller read them for many contacts at once."""
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
    return props
