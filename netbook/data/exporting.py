"""Export: the stored cards, with netbook's own fields as X-NETBOOK-* lines.

The vCard is the record (ARCHITECTURE.md), so an export is a read, not a reconstruction:
what a phone wrote comes back out as it was, plus the networking data.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from peewee import chunked

from . import networking, relations
from .contacts import NETBOOK_PREFIX, Store
from .models import Contact, Tag
from .vcard.card import Card
from .vcard.netbook_props import network_properties, related_names
from .vcard.reader import parse_card_text
from .vcard.writer import card_to_bytes

__all__ = ["export_cards", "export_ids", "export_vcards", "write_atomically"]

Report = Callable[[int, int], None]


def export_ids(store: Store, ids: Iterable[int] | None = None, tag: str | None = None) -> list[int]:
    q = Contact.select(Contact.id).where(Contact.deleted_at.is_null())
    if ids is not None:
        q = q.where(Contact.id.in_(list(ids)))
    if tag:
        q = q.where(Contact.id.in_(Tag.select(Tag.contact).where(Tag.name == tag)))
    return [cid for (cid,) in q.order_by(Contact.sort_key, Contact.id).tuples()]


def export_cards(store: Store, ids: list[int], version: str = "3.0", *,
                 shareable: bool = False) -> Iterator[Card]:
    """The stored cards with netbook's networking data added as X-NETBOOK-* lines (and
    relationships as `version` writes them) — or, `shareable`, without any: a file to
    hand to someone else, free of the private notes (the interaction log, gave/asked,
    needs, offers, follow-ups) and of who knows whom."""
    for batch in chunked(ids, 200):
        contacts = {c.id: c for c in Contact.select().where(Contact.id.in_(batch))}
        logs = networking.interactions_for(store, batch)
        wanted = {c.introduced_by_id for c in contacts.values() if c.introduced_by_id}
        uids = dict(Contact.select(Contact.id, Contact.uid)
                    .where(Contact.id.in_(list(wanted))).tuples()) if wanted else {}
        rels = relations.relations_for(batch)
        names = related_names([k for rows in rels.values() for k, _ in rows]) \
            if version != "4.0" else {}
        for cid in batch:
            contact = contacts[cid]
            card = parse_card_text(contact.vcard)
            if shareable:
                card.remove_prefixed(NETBOOK_PREFIX)
                yield card
                continue
            for prop in network_properties(store, contact, logs[cid],
                                           uids.get(contact.introduced_by_id, ""),
                                           relations=rels[cid], names=names,
                                           version=version, card=card):
                card.add(prop)
            yield card


def export_vcards(store: Store, target: Path | BinaryIO, *, version: str = "3.0",
                  ids: Iterable[int] | None = None, tag: str | None = None,
                  report: Report | None = None, shareable: bool = False) -> int:
    """Write contacts to a file (atomically: a temp file renamed into place) or a stream;
    `shareable` leaves netbook's private X-NETBOOK-* fields out."""
    chosen = export_ids(store, ids, tag)

    def write(stream: BinaryIO) -> int:
        for n, card in enumerate(export_cards(store, chosen, version, shareable=shareable)):
            stream.write(card_to_bytes(card, version))
            if report and n % 100 == 0:
                report(n, len(chosen))
        return len(chosen)

    if not isinstance(target, Path):
        return write(target)
    return write_atomically(target, write, suffix=".vcf")


def write_atomically(target: Path, write: Callable[[BinaryIO], int], suffix: str = "") -> int:
    """Run `write` on a temp file beside `target`, then rename it into place: a failed
    export never leaves half a file where the old one was."""
    fd, tmp = tempfile.mkstemp(prefix=".netbook-export-", suffix=suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            count = write(fh)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return count
