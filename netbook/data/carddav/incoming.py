"""A server's card written here: the card, then netbook's networking data it carries."""

from __future__ import annotations

from .. import networking, relations
from ..contacts import Store
from ..models import Contact
from ..vcard.card import Card
from ..vcard.netbook_props import NETWORK_PROPS, NetworkData

_NULLABLE = {"rhythm_days", "circle", "met_on", "follow_up", "snoozed_until"}

PendingIntros = list[tuple[int, str]]  # (contact id, its introducer's UID, not here yet)


def apply_remote(store: Store, cid: int | None, card: Card, net: NetworkData,
                 pending_intros: PendingIntros) -> int:
    """Write the server's card here (the caller holds the transaction); its contact id.

    No `cid`: the contact with the card's UID, else a new one. A contact in the trash
    comes back (an edit beats a delete)."""
    if cid is None:
        row = Contact.get_or_none(Contact.uid == card.uid) if card.uid else None
        cid = row.id if row else None
    row = Contact.get_or_none(Contact.id == cid) if cid is not None else None
    if row is not None:
        cid = row.id
        if row.deleted_at is not None:
            store.restore_contacts([cid])
        store.save_card(cid, card.copy(), imported=True)
    else:
        cid = store.add_cards([card.copy()], imported=True)[0]
    _set_network(store, cid, net, pending_intros)
    return cid


def add_interactions(store: Store, cid: int, net: NetworkData) -> None:
    """The card's interaction log joins this contact's (its summary follows)."""
    if net.interactions:
        networking.add_missing_interactions(cid, net.interactions)
        networking.refresh_summary(store, [cid])


def _set_network(store: Store, cid: int, net: NetworkData, pending_intros: PendingIntros) -> None:
    if net.fields or net.introduced_by_uid or net.interactions:
        # the card carries netbook's data: it is that side's whole networking state
        values = {k: net.fields.get(k, None if k in _NULLABLE else "") for k in NETWORK_PROPS}
        Contact.update(**values).where(Contact.id == cid).execute()
    add_interactions(store, cid, net)
    # the server's card is that side's whole state of who this person knows (a relation
    # taken away there goes here too); one not here yet waits in its row by UID
    relations.set_relations(cid, net.relations, replace=True)
    if net.introduced_by_uid:
        intro = store.find_by_uid(net.introduced_by_uid)
        if intro is not None and intro != cid and not networking.introduction_loop(cid, intro):
            Contact.update(introduced_by=intro).where(Contact.id == cid).execute()
        elif intro is None:
            pending_intros.append((cid, net.introduced_by_uid))


def link_introducers(store: Store, pending_intros: PendingIntros) -> None:
    """Introducers that arrived later in the same sync: link them now."""
    for cid, uid in pending_intros:
        intro = store.find_by_uid(uid)
        if intro is not None and intro != cid and not networking.introduction_loop(cid, intro):
            Contact.update(introduced_by=intro).where(Contact.id == cid).execute()
    pending_intros.clear()
