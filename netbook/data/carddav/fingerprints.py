"""What each side holds, as a fingerprint both sides can compare.

A fingerprint is normalised card content plus netbook's X-NETBOOK-* networking data, never
the bytes: servers re-serialise cards, so bytes differ where nothing changed. The local one
comes from the index columns (no card parsing), the remote one from the server's card with
its X-NETBOOK-* lines taken out; a card sent and read back has the same fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import NamedTuple

from peewee import chunked

from ..contacts import Store, content_hash
from ..models import Contact, Interaction
from ..relations import relations_for
from ..vcard.card import Card
from ..vcard.netbook_props import (
    NETWORK_PROPS,
    NetworkData,
    network_properties,
    take_network_data,
)
from ..vcard.reader import parse_card_text, read_vcards
from ..vcard.writer import card_to_bytes
from .dav import DavError


class RemoteCard(NamedTuple):
    """A server card as read: without its X-NETBOOK-* lines, which are in `net`."""

    card: Card
    net: NetworkData
    fingerprint: str
    text: str  # as the server sent it: the base of the next comparison


class OutgoingCard(NamedTuple):
    """A contact as it goes up."""

    card: Card
    data: bytes  # the bytes sent
    fingerprint: str  # of what the server will hold


def _net_text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _fingerprint(card_hash: str, fields: dict, intro_uid: str, interactions: list,
                 relations: list) -> str:
    net = {k: _net_text(v) for k, v in fields.items() if v not in (None, "")}
    parts: list = [card_hash, sorted(net.items()), intro_uid or "", sorted(interactions)]
    if relations:  # no relations: the fingerprint every card had before they existed
        parts.append(sorted([key, kind] for key, kind in relations))
    blob = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()


def remote_fingerprint(card: Card, net: NetworkData) -> str:
    """`card` with its X-NETBOOK-* taken out into `net` (take_network_data)."""
    rows = [[e["on"].isoformat(), e["kind"], e["note"], e["exchange"], e["gift"]]
            for e in net.interactions]
    return _fingerprint(content_hash(card), net.fields, net.introduced_by_uid, rows,
                        net.relations)


def local_fingerprints(contact_ids: Iterable[int]) -> dict[int, str]:
    """Live contacts' fingerprints, from the index columns (no card parsing: fast)."""
    out: dict[int, str] = {}
    cols = [getattr(Contact, k) for k in NETWORK_PROPS]
    for batch in chunked(list(contact_ids), 500):
        rows = list(Contact.select(Contact.id, Contact.content_hash, Contact.introduced_by,
                                   *cols)
                    .where(Contact.id.in_(batch) & Contact.deleted_at.is_null()))
        intro_ids = {r.introduced_by_id for r in rows if r.introduced_by_id}
        uids = dict(Contact.select(Contact.id, Contact.uid)
                    .where(Contact.id.in_(list(intro_ids))).tuples()) if intro_ids else {}
        acts: dict[int, list] = {}
        for cid, on, kind, note, exchange, gift in (
                Interaction.select(Interaction.contact, Interaction.on, Interaction.kind,
                                   Interaction.note, Interaction.exchange, Interaction.gift)
                .where(Interaction.contact.in_(batch)).tuples()):
            on = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on)[:10])
            acts.setdefault(cid, []).append([min(on, dt.date.today()).isoformat(), kind,
                                             note, exchange, gift])
        rels = relations_for([r.id for r in rows])
        for r in rows:
            fields = {k: getattr(r, k) for k in NETWORK_PROPS}
            out[r.id] = _fingerprint(r.content_hash, fields,
                                     uids.get(r.introduced_by_id, ""), acts.get(r.id, []),
                                     rels[r.id])
    return out


def local_fingerprint(cid: int | None) -> str | None:
    """One contact's fingerprint; None when it is gone (deleted here, or no contact)."""
    return local_fingerprints([cid]).get(cid) if cid is not None else None


def local_card(store: Store, cid: int, version: str = "3.0") -> Card:
    """What goes up: the stored card plus the X-NETBOOK-* lines, as an export writes it
    (its relationships as `version` spells them)."""
    contact = Contact.get_by_id(cid)
    card = parse_card_text(contact.vcard)
    for prop in network_properties(store, contact, version=version, card=card):
        card.add(prop)
    return card


def read_remote(data: bytes, href: str) -> RemoteCard:
    """The server's card at `href`, with its fingerprint; DavError when it is not one
    readable vCard."""
    result = read_vcards(data, href)
    if len(result.cards) != 1:
        reason = result.errors[0].reason if result.errors else "not exactly one vCard"
        raise DavError(f"{href}: the server's card can't be read ({reason})")
    card = result.cards[0].card
    text = data.decode("utf-8", "replace")
    net = take_network_data(card)
    return RemoteCard(card, net, remote_fingerprint(card, net), text)


def outgoing_card(store: Store, cid: int, version: str) -> OutgoingCard:
    """Contact `cid` written as vCard `version`, and the fingerprint it will have there."""
    card = local_card(store, cid, version)
    data = card_to_bytes(card, version)
    sent = card.copy()
    sent_net = take_network_data(sent)
    return OutgoingCard(card, data, remote_fingerprint(sent, sent_net))
