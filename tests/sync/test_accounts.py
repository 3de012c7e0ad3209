"""Changing an account's address books, against a real Radicale."""

from __future__ import annotations

import uuid
from xml.sax.saxutils import escape

import httpx
import pytest

from netbook.data.carddav import accounts, engine
from netbook.data.models import Contact, SyncCollection, SyncConflict, SyncItem

from .conftest import MKCOL, PASSWORD, USER, Phone, vcard


def make_book(radicale: str, display_name: str) -> str:
    """Another fresh address book of alice (MKCOL): its path."""
    path = f"/{USER}/book-{uuid.uuid4().hex[:8]}/"
    r = httpx.request("MKCOL", radicale.rstrip("/") + path, auth=(USER, PASSWORD),
                      content=MKCOL.format(name=escape(display_name)).encode(), timeout=10)
    assert r.status_code == 201, r.text
    return path


def server_book(radicale: str, path: str):
    (found,) = [b for b in accounts.test_connection(radicale, USER, PASSWORD)
                if b.url.endswith(path)]
    return found


def state(coll_id: int) -> tuple:
    """What a sync keeps of one address book: the row, its cards and its conflicts."""
    coll = SyncCollection.get_by_id(coll_id)
    items = sorted((i.href, i.contact_id, i.etag, i.local_hash, i.remote_hash)
                   for i in SyncItem.select().where(SyncItem.collection == coll_id))
    conflicts = sorted(c.href for c in
                       SyncConflict.select().where(SyncConflict.collection == coll_id))
    return coll.url, coll.sync_token, coll.supports_sync, coll.vcard_version, items, conflicts


def collections(store) -> list[tuple[str, int]]:
    (info,) = [a for a in accounts.list_accounts(store) if a.name == "phone"]
    return [(url, SyncCollection.get(SyncCollection.url == url).position)
            for url, _name in info.address_books]


def test_edit_changes_the_synced_address_books(store, radicale, book, phone, account):
    # book A: two cards from the phone, one of them then edited on both sides (a conflict)
    phone.put("ada.vcf", vcard("ada-1", "Ada Lovelace", "NOTE:base"))
    phone.put("alan.vcf", vcard("alan-1", "Alan Turing"))
    engine.sync_account(store, "phone")
    ada = Contact.get(Contact.uid == "ada-1").id
    card = store.get_card(ada)
    card.set_text("NOTE", "mine")
    store.save_card(ada, card)
    phone.put("ada.vcf", phone.get("ada.vcf").replace("NOTE:base", "NOTE:theirs"))
    result = engine.sync_account(store, "phone")
    assert len(result.conflicts) == 1
    book_a = server_book(radicale, book)
    coll_a = SyncCollection.get(SyncCollection.url == book_a.url).id
    a_before = state(coll_a)
    assert a_before[1] and len(a_before[4]) == 2 and a_before[5] == [book + "ada.vcf"]

    # book B appears on the server; ticking it (first) adds it, A keeps its state
    path_b = make_book(radicale, "Work <b>")
    other = Phone(radicale, path_b)
    other.put("grace.vcf", vcard("grace-1", "Grace Hopper"))
    other.http.close()
    book_b = server_book(radicale, path_b)
    assert book_b.display_name == "Work <b>"
    accounts.update_account(store, "phone", books=[book_b, book_a])
    assert collections(store) == [(book_b.url, 0), (book_a.url, 1)]  # B receives new ones
    assert state(coll_a) == a_before
    coll_b = SyncCollection.get(SyncCollection.url == book_b.url)
    assert coll_b.sync_token is None and coll_b.supports_sync == book_b.supports_sync
    engine.sync_account(store, "phone")
    assert Contact.get(Contact.uid == "grace-1").deleted_at is None
    b_before = state(coll_b.id)
    assert len(b_before[4]) == 1 and b_before[1]

    # only B: A's sync state goes (cards, conflicts), its contacts stay here, B is untouched
    accounts.update_account(store, "phone", books=[book_b])
    assert collections(store) == [(book_b.url, 0)]
    assert SyncCollection.get_or_none(SyncCollection.id == coll_a) is None
    assert SyncItem.select().where(SyncItem.collection == coll_a).count() == 0
    assert SyncConflict.select().where(SyncConflict.collection == coll_a).count() == 0
    assert state(coll_b.id) == b_before
    live = {c.uid for c in Contact.select().where(Contact.deleted_at.is_null())}
    assert {"ada-1", "alan-1", "grace-1"} <= live
    assert store.get_card(ada).note == "mine"

    # none at all is refused, and nothing changes
    with pytest.raises(accounts.AccountError, match="at least one address book"):
        accounts.update_account(store, "phone", url="http://elsewhere.invalid/", books=[])
    assert collections(store) == [(book_b.url, 0)] and state(coll_b.id) == b_before
    assert accounts.list_accounts(store)[0].url == radicale

    # None leaves the books alone; the same book twice counts once
    accounts.update_account(store, "phone", username=USER)
    assert collections(store) == [(book_b.url, 0)]
    accounts.update_account(store, "phone", books=[book_a, book_b, book_a])
    assert collections(store) == [(book_a.url, 0), (book_b.url, 1)]
    assert state(coll_b.id) == b_before


def test_add_counts_the_same_book_once(store, radicale, book):
    found = server_book(radicale, book)
    accounts.add_account(store, "phone", radicale, USER, PASSWORD, [found, found])
    assert collections(store) == [(found.url, 0)]
