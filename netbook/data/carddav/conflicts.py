"""Cards changed on both sides: listed for the user, settled here, sent at the next sync."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..contacts import Store, StoreError
from ..duplicates import merge_cards
from ..models import Contact, SyncAccount, SyncCollection, SyncConflict
from ..vcard.reader import parse_card_text, read_vcards
from . import state
from .fingerprints import read_remote
from .incoming import add_interactions, apply_remote


@dataclass
class ConflictInfo:
    id: int
    account: str
    address_book: str
    contact_id: int | None
    name: str
    kind: str
    local_text: str
    remote_text: str
    created_at: dt.datetime


def list_conflicts(store: Store, account: str | None = None) -> list[ConflictInfo]:
    """The conflicts waiting (of one account, or all), oldest first."""
    q = (SyncConflict.select(SyncConflict, SyncCollection, SyncAccount)
         .join(SyncCollection).join(SyncAccount).order_by(SyncConflict.id))
    if account:
        q = q.where(SyncAccount.name == account)
    out = []
    for c in q:
        card = parse_card_text(c.local_text) if c.local_text else None
        name = card.display_name if card else ""
        if not name:
            parsed = read_vcards(c.remote_text.encode("utf-8"))
            name = parsed.cards[0].card.display_name if parsed.cards else c.href
        out.append(ConflictInfo(c.id, c.collection.account.name,
                                c.collection.display_name or c.collection.url, c.contact_id,
                                name, c.kind, c.local_text, c.remote_text, c.created_at))
    return out


def resolve_conflict(store: Store, conflict_id: int, choice: str) -> int | None:
    """Settle a conflict here: "local" (mine wins), "remote" (theirs wins) or "merge"
    (merge_cards: mine plus what theirs adds). The server gets the outcome at the next
    sync (If-Match its version: if it changed again meanwhile, that is a new conflict).
    Returns the contact id."""
    if choice not in ("local", "remote", "merge"):
        raise ValueError(f"choice must be local, remote or merge, not {choice!r}")
    c = SyncConflict.get_or_none(SyncConflict.id == conflict_id)
    if c is None:
        raise StoreError(f"no conflict {conflict_id} (resolved already?)")
    coll = c.collection
    card, net, rhash, text = read_remote(c.remote_text.encode("utf-8"), c.href)
    intros: list = []
    with store.db.atomic():
        cid = c.contact_id
        if cid is not None and Contact.get_or_none(Contact.id == cid) is None:
            cid = None
        if choice == "remote" or cid is None:
            cid = apply_remote(store, cid, card, net, intros)
            state.record(coll, c.href, cid, card.uid, c.remote_etag, rhash, rhash, text)
        else:
            if choice == "merge":
                store.restore_contacts([cid])
                merged = merge_cards(store.get_card(cid), card, store.region)
                store.save_card(cid, merged)
                contact = Contact.get_by_id(cid)
                empty = {k: v for k, v in net.fields.items()
                         if getattr(contact, k) in (None, "")}
                if empty:
                    Contact.update(**empty).where(Contact.id == cid).execute()
                add_interactions(store, cid, net)
            # the server's version is the base now; ours differs from it, so it goes up
            state.record(coll, c.href, cid, card.uid, c.remote_etag, "", rhash, text)
        c.delete_instance()
    return cid
