"""What a sync remembers of each address book: its cards' state, conflicts, new contacts.

Per card a SyncItem holds what both sides had at the last sync (href, etag, both
fingerprints, the synced text as the base); a SyncConflict holds a card changed on both
sides until someone settles it. Callers hold the transaction that makes a local write
and its card's state one step.
"""

from __future__ import annotations

import datetime as dt

from ..models import Contact, SyncAccount, SyncCollection, SyncConflict, SyncItem


def synced_items(coll: SyncCollection) -> dict[str, SyncItem]:
    """The book's cards as of the last sync, by href."""
    return {i.href: i for i in SyncItem.select().where(SyncItem.collection == coll)}


def conflict_hrefs(coll: SyncCollection) -> set[str]:
    """The book's cards with a conflict waiting."""
    return {c.href for c in SyncConflict.select(SyncConflict.href)
            .where(SyncConflict.collection == coll)}


def record(coll: SyncCollection, href: str, cid: int | None, uid: str, etag: str | None,
           local_hash: str, remote_hash: str, base: str) -> None:
    """Both sides agree on this card now: remember it (a conflict on it is settled)."""
    (SyncItem.insert(collection=coll, href=href, contact=cid, uid=uid, etag=etag,
                     local_hash=local_hash, remote_hash=remote_hash, base=base)
     .on_conflict(conflict_target=[SyncItem.collection, SyncItem.href],
                  preserve=[SyncItem.contact, SyncItem.uid, SyncItem.etag, SyncItem.local_hash,
                            SyncItem.remote_hash, SyncItem.base]).execute())
    forget_conflict(coll, href)


def update_etag(coll: SyncCollection, item: SyncItem, etag: str | None) -> None:
    """The server re-serialised or touched the card, same content: only its etag moves."""
    SyncItem.update(etag=etag).where(SyncItem.id == item.id).execute()
    forget_conflict(coll, item.href)
    item.etag = etag


def move_item(coll: SyncCollection, item: SyncItem, href: str) -> None:
    """The card moved on the server (same UID, another name): its state follows it."""
    SyncItem.update(href=href).where(SyncItem.id == item.id).execute()
    forget_conflict(coll, item.href)
    item.href = href


def keep_conflict(coll: SyncCollection, href: str, cid: int | None, etag: str | None,
                  local_text: str, remote_text: str) -> None:
    """Changed on both sides: keep both versions until the user settles it."""
    (SyncConflict.insert(collection=coll, href=href, contact=cid, kind="edit",
                         local_text=local_text, remote_text=remote_text, remote_etag=etag,
                         created_at=dt.datetime.now().replace(microsecond=0))
     .on_conflict(conflict_target=[SyncConflict.collection, SyncConflict.href],
                  preserve=[SyncConflict.contact, SyncConflict.local_text,
                            SyncConflict.remote_text, SyncConflict.remote_etag]).execute())


def forget_conflict(coll: SyncCollection, href: str) -> None:
    SyncConflict.delete().where((SyncConflict.collection == coll)
                                & (SyncConflict.href == href)).execute()


def synced_elsewhere(account: SyncAccount, cid: int, href: str) -> bool:
    """Contact `cid` is already synced with this account under another name."""
    return (SyncItem.select().join(SyncCollection)
            .where((SyncItem.contact == cid) & (SyncCollection.account == account)
                   & (SyncItem.href != href)).exists())


def unsynced_contacts(account: SyncAccount) -> list[int]:
    """Live contacts this account has never synced and holds no conflict for: new ones."""
    live = {c for (c,) in Contact.select(Contact.id)
            .where(Contact.deleted_at.is_null()).tuples()}
    synced = {cid for (cid,) in SyncItem.select(SyncItem.contact).join(SyncCollection)
              .where((SyncCollection.account == account)
                     & SyncItem.contact.is_null(False)).tuples()}
    waiting = {cid for (cid,) in SyncConflict.select(SyncConflict.contact)
               .join(SyncCollection)
               .where((SyncCollection.account == account)
                      & SyncConflict.contact.is_null(False)).tuples()}
    return sorted(live - synced - waiting)


def save_token(coll: SyncCollection, token: str | None) -> None:
    """Where the server stands now (None: compare everything next time)."""
    SyncCollection.update(sync_token=token).where(SyncCollection.id == coll.id).execute()
