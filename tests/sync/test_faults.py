"""Faults: 412 races, expired tokens, dropped connections, a failing card, a killed sync."""

from __future__ import annotations

import httpx
import pytest
from helpers import make_card

from netbook.data.carddav import engine
from netbook.data.models import Contact, SyncCollection, SyncItem

from .conftest import vcard


class Faulty(httpx.BaseTransport):
    """A real transport underneath; `hook(request)` may act first or raise."""

    def __init__(self, hook, after=None) -> None:
        self.inner = httpx.HTTPTransport()
        self.hook = hook
        self.after = after
        self.count = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        response = self.hook(request, self.count)
        if response is not None:
            return response
        response = self.inner.handle_request(request)
        return self.after(request, response) if self.after else response


def sync(store, **kw):
    return engine.sync_account(store, "phone", **kw)


def names_and_uids(phone) -> tuple[list[str], set[str]]:
    cards = phone.cards()
    unfolded = (t.replace("\r\n ", "").replace("\n ", "") for t in cards.values())
    uids = {line[4:].strip() for t in unfolded for line in t.splitlines()
            if line.startswith("UID:")}
    return sorted(cards), uids


def assert_converged(store, phone) -> None:
    names, uids = names_and_uids(phone)
    assert len(names) == len(uids), "a UID twice on the server"
    local = {c.uid for c in Contact.select().where(Contact.deleted_at.is_null())}
    assert local == uids
    r = sync(store)
    assert (r.uploaded, r.downloaded, r.deleted_local, r.deleted_remote) == (0, 0, 0, 0)
    assert r.clean


@pytest.mark.parametrize("same_content", [False, True])
def test_a_412_on_upload_fetches_and_decides(store, account, phone, same_content):
    cid = store.add_contact(make_card("Ada Lovelace", note="base"))
    sync(store)
    name = f"{Contact.get_by_id(cid).uid}.vcf"
    card = store.get_card(cid)
    card.set_text("NOTE", "mine")
    store.save_card(cid, card)
    server_text = phone.get(name)
    if not same_content:
        server_text = server_text.replace("NOTE:base", "NOTE:theirs")
    else:  # the same card written again, properties in another order: a new etag only
        lines = server_text.replace("\r\n", "\n").strip().split("\n")
        server_text = "\n".join([lines[0], *reversed(lines[1:-1]), lines[-1]]) + "\n"

    def race(request, n):
        # a second client writes between our etag read and our upload
        if request.method == "PUT" and request.url.path.endswith(name):
            phone.put(name, server_text)
        return None

    r = sync(store, transport=Faulty(race))
    if same_content:
        assert r.clean and r.uploaded == 1 and "NOTE:mine" in phone.get(name)
    else:
        assert len(r.conflicts) == 1 and "NOTE:theirs" in phone.get(name)
        assert store.get_card(cid).note == "mine"
        r = sync(store, prefer="local")
        assert r.clean and "NOTE:mine" in phone.get(name)
    assert_converged(store, phone)


def test_an_expired_sync_token_falls_back_to_a_full_comparison(store, account, phone):
    phone.put("a.vcf", vcard("a-1", "Ada Lovelace"))
    sync(store)
    coll = SyncCollection.get()
    assert coll.supports_sync and coll.sync_token
    SyncCollection.update(sync_token="http://radicale.org/ns/sync/" + "0" * 64).execute()
    phone.put("b.vcf", vcard("b-1", "Alan Turing"))
    phone.delete("a.vcf")
    r = sync(store)
    assert r.full_scans == 1 and r.downloaded == 1 and r.deleted_local == 1
    assert SyncCollection.get().sync_token != "http://radicale.org/ns/sync/" + "0" * 64
    assert_converged(store, phone)


def test_incremental_sync_uses_the_token(store, account, phone):
    phone.put("a.vcf", vcard("a-1", "Ada Lovelace"))
    sync(store)
    seen = []
    r = sync(store, transport=Faulty(lambda req, n: seen.append(req.method)))
    assert r.full_scans == 0 and "REPORT" in seen and "PROPFIND" not in seen


@pytest.mark.parametrize("cut_after", [1, 2, 5, 8])
def test_a_dropped_connection_then_a_repeated_sync_converges(store, account, phone, cut_after):
    for i in range(8):
        store.add_contact(make_card(f"Person{i} Local", note=f"n{i}"))
        phone.put(f"p{i}.vcf", vcard(f"phone-{i}", f"Person{i} Phone"))
    sync(store)
    # changes on both sides, then a sync that loses its connection part-way
    for cid in list(Contact.select(Contact.id).where(Contact.uid.not_in(
            [f"phone-{i}" for i in range(8)])).tuples())[:3]:
        card = store.get_card(cid[0])
        card.set_text("NOTE", "edited here")
        store.save_card(cid[0], card)
    for i in range(3):
        phone.put(f"p{i}.vcf", vcard(f"phone-{i}", f"Person{i} Phone", "NOTE:edited there"))
    phone.delete("p7.vcf")
    for i in range(4):
        store.add_contact(make_card(f"New{i} Local"))

    def cut(request, n):
        if n > cut_after:
            raise httpx.ReadError("connection reset by peer")
        return None

    with pytest.raises(engine.SyncError, match=r"dropped|connect"):
        sync(store, transport=Faulty(cut))
    r = sync(store)
    assert r.clean
    assert_converged(store, phone)
    notes = "".join(phone.cards().values())
    assert notes.count("edited here") == 3 and notes.count("edited there") == 3
    assert store.count() == 8 + 8 - 1 + 4


def test_a_server_error_on_one_card_leaves_the_rest_done(store, account, phone):
    ids = [store.add_contact(make_card(f"Person{i} Local")) for i in range(4)]
    bad = Contact.get_by_id(ids[2]).uid

    def fail_one(request, n):
        if request.method == "PUT" and bad in request.url.path:
            return httpx.Response(500, request=request)
        return None

    r = sync(store, transport=Faulty(fail_one))
    assert r.uploaded == 3 and len(r.errors) == 1 and "internal error" in r.errors[0]
    r = sync(store)
    assert r.uploaded == 1 and r.clean
    assert_converged(store, phone)


def test_a_sync_killed_mid_way_leaves_a_consistent_state(store, account, phone):
    for i in range(10):
        store.add_contact(make_card(f"Person{i} Local"))
        phone.put(f"p{i}.vcf", vcard(f"phone-{i}", f"Person{i} Phone"))

    def kill(done, total, text):
        if done == 7:
            raise KeyboardInterrupt  # as a kill between two cards

    with pytest.raises(KeyboardInterrupt):
        sync(store, progress=kill)
    assert SyncItem.select().count() == 7
    r = sync(store)
    assert r.clean
    assert_converged(store, phone)
    assert store.count() == 20


@pytest.mark.slow  # a whole `netbook sync` process, 180 cards, killed part-way: ~6 s
def test_a_real_kill_of_netbook_sync_then_sync_again(store, account, phone, radicale):
    import os
    import signal
    import subprocess
    import sys
    import time

    for i in range(150):
        store.add_contact(make_card(f"Person{i} Local"))
    for i in range(30):
        phone.put(f"p{i}.vcf", vcard(f"phone-{i}", f"Person{i} Phone"))
    env = dict(os.environ, NETBOOK_PASSWORD="wonder land", QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-m", "netbook", "sync", "--db", str(store.path)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and SyncItem.select().count() < 60:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < SyncItem.select().count() < 180  # killed part-way
    assert sync(store).clean
    assert_converged(store, phone)
    assert store.count() == 180


def test_a_412_on_delete_brings_the_edited_card_back(store, account, phone):
    ids = [store.add_contact(make_card(n, note="base")) for n in ("Ada Lovelace",
                                                                  "Alan Turing")]
    sync(store)
    name = f"{Contact.get_by_id(ids[0]).uid}.vcf"
    store.delete_contacts([ids[0]])
    edited = phone.get(name).replace("NOTE:base", "NOTE:edited on the phone")

    def race(request, n):
        if request.method == "DELETE":
            phone.put(name, edited)
        return None

    r = sync(store, transport=Faulty(race))
    assert r.deleted_remote == 0 and r.downloaded == 1
    assert store.exists(ids[0]) and store.get_card(ids[0]).note == "edited on the phone"
    assert_converged(store, phone)


def test_a_server_without_etags_on_put_or_sync_collection(store, account, phone):
    """Some servers send no ETag after a PUT and offer no sync-collection."""
    SyncCollection.update(supports_sync=False).execute()

    def strip(request, response):
        if request.method == "PUT":
            response.read()
            headers = [(k, v) for k, v in response.headers.items() if k.lower() != "etag"]
            return httpx.Response(response.status_code, headers=headers,
                                  content=response.content, request=request)
        return response

    faulty = Faulty(lambda r, n: None, after=strip)
    ids = [store.add_contact(make_card(f"Person{i} Local", note="base")) for i in range(3)]
    phone.put("p.vcf", vcard("phone-1", "Pat Phone", "NOTE:base"))
    r = sync(store, transport=faulty)
    assert (r.uploaded, r.downloaded, r.full_scans) == (3, 1, 1)
    assert all(i.etag for i in SyncItem.select())
    card = store.get_card(ids[0])
    card.set_text("NOTE", "edited here")
    store.save_card(ids[0], card)
    phone.put("p.vcf", vcard("phone-1", "Pat Phone", "NOTE:edited there"))
    r = sync(store, transport=faulty)
    assert (r.uploaded, r.downloaded) == (1, 1) and r.clean
    assert store.get_card(store.find_by_uid("phone-1")).note == "edited there"
    r = sync(store, transport=faulty)
    assert (r.uploaded, r.downloaded) == (0, 0)
    assert_converged(store, phone)
