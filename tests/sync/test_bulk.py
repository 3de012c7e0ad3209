"""The first upload into an empty Radicale address book goes in one request.

Radicale checks each new card's UID against the whole book, so creating 2,000 cards one
by one takes over a minute; writing the (empty) book whole takes seconds. These tests
hold it to the same promises as the card-by-card way: nothing lost, nothing twice, the
book keeps its name, and any race or refusal falls back to the standard way.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
import pytest
from helpers import make_card

from netbook.data import networking
from netbook.data.carddav import bulk, engine
from netbook.data.models import Contact

from .conftest import vcard
from .test_faults import Faulty, assert_converged, names_and_uids, sync

ODD_UIDS = ("urn:uuid:6f1c/slash", "Ünïcode-ид-名前", ".hidden", "x" * 150)
COUNT = bulk.BULK_MIN_CARDS + 10 + len(ODD_UIDS)


def fill(store) -> list[int]:
    ids = [store.add_contact(make_card(f"Person{i} Bulk", phones=[f"+1 555 01{i:02d}"],
                                       emails=[f"p{i}@example.org"], note=f"note {i} ünï"))
           for i in range(COUNT - len(ODD_UIDS))]
    for i, uid in enumerate(ODD_UIDS):  # names Radicale can't use as they are
        card = make_card(f"Odd{i} Uid")
        card.set_text("UID", uid)
        ids.append(store.add_contact(card))
    networking.set_networking(store, ids[0], rhythm_days=30, needs="a designer")
    networking.log_interaction(store, ids[0], on=networking.dt.date.today(), kind="call",
                               note="met at the fair", exchange="gave", gift="advice")
    return ids


def puts(seen: list[httpx.Request]) -> list[str]:
    return [r.url.path for r in seen if r.method == "PUT"]


def watching(seen: list[httpx.Request], hook=None, after=None) -> Faulty:
    def record(request, n):
        seen.append(request)
        return hook(request, n) if hook else None
    return Faulty(record, after)


def display_name(phone) -> str:
    body = ('<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:displayname/>'
            '</D:prop></D:propfind>')
    r = phone.http.request("PROPFIND", phone.book, content=body, headers={"Depth": "0"})
    return ET.fromstring(r.content).findtext(".//{DAV:}displayname")


def test_the_first_upload_into_an_empty_book_is_one_request(store, account, phone, book):
    fill(store)
    seen: list[httpx.Request] = []
    r = sync(store, transport=watching(seen))
    assert puts(seen) == [book]  # the whole book, once
    assert "REPORT" not in {r.method for r in seen}  # every card found by its name
    assert r.uploaded == COUNT and r.clean
    names, uids = names_and_uids(phone)
    assert len(names) == COUNT
    assert uids == {c.uid for c in Contact.select()}
    assert display_name(phone) == book.strip("/").split("/")[-1]  # its name is put back
    text = "".join(phone.cards().values())
    assert "note 7 ünï" in text and "X-NETBOOK-RHYTHM" in text.upper()
    assert_converged(store, phone)


def test_after_a_whole_book_upload_edits_flow_both_ways(store, account, phone):
    ids = fill(store)
    sync(store)
    card = store.get_card(ids[3])
    card.set_text("NOTE", "edited here")
    store.save_card(ids[3], card)
    r = sync(store)
    assert r.uploaded == 1 and r.clean
    assert "edited here" in "".join(phone.cards().values())
    uid = Contact.get_by_id(ids[5]).uid
    name = next(n for n, t in phone.cards().items() if f"UID:{uid}" in t)
    phone.put(name, vcard(uid, "Person5 Bulk", "NOTE:edited there"))
    r = sync(store)
    assert r.downloaded == 1 and r.clean
    assert store.get_card(ids[5]).text("NOTE") == "edited there"
    assert_converged(store, phone)


def test_a_book_with_cards_already_is_filled_card_by_card(store, account, phone):
    phone.put("first.vcf", vcard("phone-1", "Pia Phone"))
    fill(store)
    seen: list[httpx.Request] = []
    r = sync(store, transport=watching(seen))
    assert len(puts(seen)) == COUNT and r.uploaded == COUNT and r.downloaded == 1
    assert_converged(store, phone)


def test_a_card_written_meanwhile_sends_the_rest_card_by_card(store, account, phone, book):
    """The phone adds a card just before the whole-book write: the server refuses it
    (its etag moved), nothing is overwritten, and the cards go up one by one."""
    fill(store)

    def race(request, n):
        if request.method == "PUT" and request.url.path == book:
            phone.put("quick.vcf", vcard("phone-quick", "Quinn Quick"))
        return None

    seen: list[httpx.Request] = []
    r = sync(store, transport=watching(seen, race))
    assert r.uploaded == COUNT and len(puts(seen)) == COUNT + 1
    assert "quick.vcf" in phone.names()
    sync(store)
    assert store.find_by_uid("phone-quick") is not None
    assert_converged(store, phone)


def test_a_card_written_before_the_last_look_keeps_the_book_whole(store, account, phone):
    """The phone adds a card after the sync's listing, before the whole-book write's own
    look: that look sees it, and nothing is overwritten."""
    fill(store)

    listed = []

    def race(request, n):
        if listed and not listed[0]:  # the first request after the sync's listing
            listed[0] = True
            phone.put("quick.vcf", vcard("phone-quick", "Quinn Quick"))
        if request.method == "PROPFIND" and b"getcontenttype" in request.read():
            listed.append(False)
        return None

    r = sync(store, transport=Faulty(race))
    assert r.uploaded == COUNT and "quick.vcf" in phone.names()
    sync(store)
    assert store.find_by_uid("phone-quick") is not None
    assert_converged(store, phone)


def test_a_book_whose_only_cards_wait_in_conflicts_is_not_written_whole(
        store, account, phone, book):
    """A card on both sides, different at the first sync, is held as a conflict only:
    the book is not empty, even though nothing is recorded as synced."""
    card = make_card("Ada Lovelace", note="mine")
    card.set_text("UID", "shared-1")
    store.add_contact(card)
    phone.put("shared.vcf", vcard("shared-1", "Ada Lovelace", "NOTE:theirs"))
    assert len(sync(store).conflicts) == 1
    fill(store)
    seen: list[httpx.Request] = []
    r = sync(store, transport=watching(seen))
    assert book not in puts(seen) and r.uploaded == COUNT
    assert "NOTE:theirs" in phone.get("shared.vcf")


@pytest.mark.parametrize("status", [403, 405])
def test_a_server_that_refuses_a_whole_book_write_gets_cards_one_by_one(
        store, account, phone, book, status):
    fill(store)

    def refuse(request, n):
        if request.method == "PUT" and request.url.path == book:
            return httpx.Response(status, request=request)
        return None

    r = sync(store, transport=Faulty(refuse))
    assert r.uploaded == COUNT and r.clean
    assert_converged(store, phone)


def test_a_connection_lost_after_the_whole_book_went_up_converges(store, account, phone, book):
    """The server took the book but the answer never came: the next sync finds the
    cards there, matches them by UID and makes no second copy."""
    fill(store)

    def lose_answer(request, response):
        if request.method == "PUT" and request.url.path == book:
            response.close()
            raise httpx.ReadError("connection reset by peer")
        return response

    with pytest.raises(engine.SyncError):
        sync(store, transport=Faulty(lambda req, n: None, lose_answer))
    r = sync(store)
    assert r.clean and r.uploaded == 0
    names, uids = names_and_uids(phone)
    assert len(names) == len(uids) == COUNT
    assert store.count() == COUNT
    assert_converged(store, phone)


def test_a_sync_cut_off_before_the_name_is_back_puts_it_back_next_time(
        store, account, phone, book):
    fill(store)
    name = display_name(phone)

    def cut(request, n):
        if request.method == "PROPPATCH":
            raise httpx.ConnectError("connection refused")
        return None

    with pytest.raises(engine.SyncError):
        sync(store, transport=Faulty(cut))
    assert display_name(phone) != name  # Radicale replaced it with the book's path
    r = sync(store)
    assert display_name(phone) == name and r.clean
    assert_converged(store, phone)
