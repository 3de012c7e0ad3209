"""Two-way sync against a real Radicale: first sync, edits, deletes, conflicts, fidelity."""

from __future__ import annotations

import base64

import pytest
from helpers import make_card

from netbook.data import networking
from netbook.data.carddav import accounts, conflicts, engine
from netbook.data.models import Contact, SyncItem

from .conftest import PASSWORD, USER, vcard


def sync(store, **kw):
    return engine.sync_account(store, "phone", **kw)


def live_uids(store) -> set[str]:
    return {c.uid for c in Contact.select().where(Contact.deleted_at.is_null())}


def test_discovery_from_the_bare_server_url(radicale, book):
    books = accounts.test_connection(radicale, USER, PASSWORD)
    found = [b for b in books if b.url.endswith(book)]
    assert found and found[0].supports_sync and found[0].vcard_version == "3.0"
    assert found[0].display_name == book.strip("/").split("/")[-1]


def test_wrong_password_is_said_in_words(radicale, book):
    with pytest.raises(accounts.AccountError, match="refused the user name or password"):
        accounts.test_connection(radicale, USER, "nope")


def test_server_down_is_said_in_words():
    with pytest.raises(accounts.AccountError, match="Could not connect"):
        accounts.test_connection("http://127.0.0.1:9/", USER, "x", timeout=2)


def test_password_is_in_the_keyring_not_the_database(store, account, memory_keyring):
    assert memory_keyring.data[(accounts.KEYRING_SERVICE, "phone")] == PASSWORD
    raw = store.path.read_bytes() + (store.path.with_name(store.path.name + "-wal")
                                     .read_bytes() if store.path.with_name(
                                         store.path.name + "-wal").exists() else b"")
    assert PASSWORD.encode() not in raw
    info = accounts.list_accounts(store)
    assert [a.name for a in info] == ["phone"] and info[0].last_status == "never"
    accounts.remove_account(store, "phone")
    assert accounts.list_accounts(store) == []
    assert (accounts.KEYRING_SERVICE, "phone") not in memory_keyring.data


def test_first_sync_both_ways_then_nothing_to_do(store, account, phone):
    a = store.add_contact(make_card("Ada Lovelace", phones=["+44 20 1234 5678"]))
    phone.put("grace.vcf", vcard("grace-1", "Grace Hopper", "TEL;TYPE=CELL:+1 555 0100"))
    r = sync(store)
    assert (r.uploaded, r.downloaded, r.clean) == (1, 1, True)
    assert live_uids(store) == {Contact.get_by_id(a).uid, "grace-1"}
    assert len(phone.names()) == 2
    assert "Ada Lovelace" in "".join(phone.cards().values())
    again = sync(store)
    assert (again.uploaded, again.downloaded, again.deleted_local, again.deleted_remote) == \
        (0, 0, 0, 0)
    assert accounts.list_accounts(store)[0].last_status == "ok"


def test_edits_go_each_way(store, account, phone):
    cid = store.add_contact(make_card("Ada Lovelace", note="first"))
    sync(store)
    (name,) = phone.names()
    # the phone edits
    text = phone.get(name).replace("first", "from the phone")
    phone.put(name, text)
    r = sync(store)
    assert r.downloaded == 1 and store.get_card(cid).note == "from the phone"
    # netbook edits
    card = store.get_card(cid)
    card.set_text("NOTE", "from netbook")
    store.save_card(cid, card)
    r = sync(store)
    assert r.uploaded == 1 and "from netbook" in phone.get(name)
    assert sync(store).uploaded == 0


def test_deletes_go_each_way_into_the_trash(store, account, phone):
    ids = [store.add_contact(make_card(n)) for n in ("Ada Lovelace", "Alan Turing",
                                                     "Grace Hopper")]
    sync(store)
    assert len(phone.names()) == 3
    store.delete_contacts([ids[1]])
    r = sync(store)
    assert r.deleted_remote == 1 and len(phone.names()) == 2
    victim = Contact.get_by_id(ids[0]).uid
    phone.delete(f"{victim}.vcf")
    r = sync(store)
    assert r.deleted_local == 1
    # the trash lists the latest deletion first: the phone's, then the one made here
    # (the other way round from the contacts' own order, so only the times can decide)
    assert [cid for cid, _, _ in store.trash()] == [ids[0], ids[1]]
    assert store.count() == 1


def test_an_edit_beats_a_delete(store, account, phone):
    ids = [store.add_contact(make_card(n, note="x")) for n in ("Ada Lovelace", "Alan Turing")]
    sync(store)
    uid = Contact.get_by_id(ids[0]).uid
    phone.delete(f"{uid}.vcf")
    card = store.get_card(ids[0])
    card.set_text("NOTE", "edited here")
    store.save_card(ids[0], card)
    sync(store)
    assert "edited here" in phone.get(f"{uid}.vcf")
    assert store.exists(ids[0])
    # and the other way: deleted here, edited on the phone
    uid2 = Contact.get_by_id(ids[1]).uid
    store.delete_contacts([ids[1]])
    phone.put(f"{uid2}.vcf", phone.get(f"{uid2}.vcf").replace("NOTE:x", "NOTE:phone edit"))
    sync(store)
    assert store.exists(ids[1]) and store.get_card(ids[1]).note == "phone edit"


def _both_edit(store, phone, cid, name):
    card = store.get_card(cid)
    card.set_text("NOTE", "mine")
    store.save_card(cid, card)
    phone.put(name, phone.get(name).replace("NOTE:base", "NOTE:theirs"))


def test_a_conflict_is_kept_then_resolved(store, account, phone):
    cid = store.add_contact(make_card("Ada Lovelace", note="base"))
    sync(store)
    (name,) = phone.names()
    _both_edit(store, phone, cid, name)
    r = sync(store)
    assert len(r.conflicts) == 1 and not r.clean
    assert store.get_card(cid).note == "mine" and "theirs" in phone.get(name)
    (c,) = conflicts.list_conflicts(store)
    assert "mine" in c.local_text and "theirs" in c.remote_text and c.name == "Ada Lovelace"
    assert len(sync(store).conflicts) == 1  # still there, nothing lost
    conflicts.resolve_conflict(store, c.id, "merge")
    assert conflicts.list_conflicts(store) == []
    r = sync(store)
    assert r.clean and r.uploaded == 1
    merged = phone.get(name)
    assert "mine" in merged and "theirs" in merged
    assert "theirs" in store.get_card(cid).note


@pytest.mark.parametrize("prefer", ["local", "remote"])
def test_prefer_decides_conflicts(store, account, phone, prefer):
    cid = store.add_contact(make_card("Ada Lovelace", note="base"))
    sync(store)
    (name,) = phone.names()
    _both_edit(store, phone, cid, name)
    r = sync(store, prefer=prefer)
    assert r.clean and r.resolved == 1
    want = "mine" if prefer == "local" else "theirs"
    assert store.get_card(cid).note == want
    assert f"NOTE:{want}" in phone.get(name)
    assert conflicts.list_conflicts(store) == []


def test_resolve_remote_and_local(store, account, phone):
    ids = [store.add_contact(make_card(n, note="base")) for n in ("Ada Lovelace",
                                                                  "Alan Turing")]
    sync(store)
    for cid in ids:
        _both_edit(store, phone, cid, f"{Contact.get_by_id(cid).uid}.vcf")
    assert len(sync(store).conflicts) == 2
    by_contact = {c.contact_id: c.id for c in conflicts.list_conflicts(store)}
    conflicts.resolve_conflict(store, by_contact[ids[0]], "remote")
    conflicts.resolve_conflict(store, by_contact[ids[1]], "local")
    assert store.get_card(ids[0]).note == "theirs"
    assert sync(store).clean
    assert "NOTE:theirs" in phone.get(f"{Contact.get_by_id(ids[0]).uid}.vcf")
    assert "NOTE:mine" in phone.get(f"{Contact.get_by_id(ids[1]).uid}.vcf")


def test_same_uid_on_both_sides_is_matched_not_duplicated(store, account, phone):
    card = make_card("Ada Lovelace", phones=["+44 20 1234 5678"])
    cid = store.add_contact(card)
    uid = Contact.get_by_id(cid).uid
    phone.put("phone-made-name.vcf", vcard(uid, "Ada Lovelace",
                                           "TEL;TYPE=CELL:+44 20 1234 5678"))
    r = sync(store)
    assert r.clean, r
    assert phone.names() == ["phone-made-name.vcf"] and store.count() == 1
    assert SyncItem.get().href.endswith("phone-made-name.vcf")


def test_two_cards_with_one_uid_are_reported(store, account, phone, radicale_root, book):
    # Radicale itself refuses a second card with a UID (409); another server may not
    phone.put("a.vcf", vcard("twin", "Ada One"))
    folder = radicale_root / "collections" / "collection-root" / book.strip("/")
    (folder / "b.vcf").write_bytes(vcard("twin", "Ada Two").replace("\n", "\r\n").encode())
    r = sync(store)
    assert len(r.duplicates) == 1 and "twin" in r.duplicates[0]
    assert store.count() == 1 and len(phone.names()) == 2


JPEG = base64.b64encode(bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b"
    "0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e33"
    "3432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405"
    "060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107"
    "227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a4344"
    "4546474849 4a535455565758595a636465666768696a737475767778797a838485868788898a92939495"
    "969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2"
    "e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9".replace(" ", ""))
).decode()


def test_fidelity_photos_groups_labels_x_properties_and_non_ascii(store, account, phone):
    text = vcard("rich-1", "Zoë Ångström",
                 "item1.TEL:+49 151 2345 6789", "item1.X-ABLabel:Bürotelefon",
                 "X-PHONETIC-FIRST-NAME:Zo-e", "X-CUSTOM-THING;X-PARAM=1:keep me",
                 "CATEGORIES:Freunde,Café", "NOTE:Grüße aus Köln – 東京",
                 f"PHOTO;ENCODING=b;TYPE=JPEG:{JPEG}")
    phone.put("rich.vcf", text)
    sync(store)
    cid = store.find_by_uid("rich-1")
    card = store.get_card(cid)
    assert card.display_name == "Zoë Ångström" and card.photo_bytes
    assert card.text("X-CUSTOM-THING") == "keep me"
    assert "Café" in card.categories
    assert card.group_label(card.first("TEL").group) == "Bürotelefon"
    # netbook's own networking data rides along and comes back on another netbook
    networking.set_networking(store, cid, rhythm_days=30, met_where="PyCon – Köln", does="math")
    networking.log_interaction(store, cid, on=__import__("datetime").date(2024, 5, 1),
                               kind="coffee", note="talked about engines")
    r = sync(store)
    assert r.uploaded == 1
    up = phone.get("rich.vcf")
    assert "X-NETBOOK-RHYTHM:30" in up and "X-CUSTOM-THING" in up and "PHOTO" in up
    assert "Bürotelefon" in up and "talked about engines" in up
    assert sync(store).clean and sync(store).uploaded == 0


@pytest.mark.parametrize("edit", [False, True])
def test_a_card_moved_on_the_server_stays_one_contact(store, account, phone, edit):
    phone.put("a.vcf", vcard("mover", "Ada Lovelace", "NOTE:old"))
    phone.put("other.vcf", vcard("other", "Alan Turing"))
    sync(store)
    cid = store.find_by_uid("mover")
    phone.delete("a.vcf")
    phone.put("b.vcf", vcard("mover", "Ada Lovelace", "NOTE:new" if edit else "NOTE:old"))
    r = sync(store)
    assert r.clean and r.deleted_local == 0 and r.uploaded == 0
    assert store.find_by_uid("mover") == cid
    assert store.get_card(cid).note == ("new" if edit else "old")
    assert SyncItem.get(SyncItem.contact == cid).href.endswith("/b.vcf")
    assert phone.names() == ["b.vcf", "other.vcf"]


def test_two_netbooks_share_networking_data(tmp_path, radicale, book):
    import datetime as dt

    from netbook.data.contacts import Store

    books = [b for b in accounts.test_connection(radicale, USER, PASSWORD)
             if b.url.endswith(book)]
    with Store.open(tmp_path / "a.sqlite3") as a:
        accounts.add_account(a, "phone", radicale, USER, PASSWORD, books)
        intro = a.add_contact(make_card("Kim Introducer"))
        cid = a.add_contact(make_card("Ada Lovelace"))
        networking.set_networking(a, cid, rhythm_days=14, met_on=dt.date(2023, 4, 2),
                                  met_where="Café Central, Wien", introduced_by=intro)
        networking.log_interaction(a, cid, on=dt.date(2024, 1, 5), kind="call", note="hi",
                                   exchange="gave", gift="advice")
        assert sync(a).uploaded == 2
        uid = Contact.get_by_id(cid).uid
    with Store.open(tmp_path / "b.sqlite3") as b:
        accounts.add_account(b, "phone", radicale, USER, PASSWORD, books)
        r = sync(b)
        assert r.downloaded == 2 and r.uploaded == 0 and r.clean
        rec = b.get_contact(b.find_by_uid(uid))
        assert (rec.rhythm_days, rec.met_on, rec.met_where) == (14, dt.date(2023, 4, 2),
                                                                "Café Central, Wien")
        assert rec.introduced_by_name == "Kim Introducer"
        (row,) = networking.interactions(b, rec.id)
        assert (row.on, row.kind, row.note, row.gift) == (dt.date(2024, 1, 5), "call", "hi",
                                                          "advice")
        networking.set_networking(b, rec.id, needs="a co-founder")
        assert sync(b).uploaded == 1
    with Store.open(tmp_path / "a.sqlite3") as a:
        assert sync(a).downloaded == 1
        assert a.get_contact(a.find_by_uid(uid)).needs == "a co-founder"
        assert len(networking.interactions(a, a.find_by_uid(uid))) == 1
        assert sync(a).clean


def test_a_vcard_4_address_book_round_trips_without_churn(store, account, phone):
    from netbook.data.models import SyncCollection

    SyncCollection.update(vcard_version="4.0").execute()
    cid = store.add_contact(make_card("Zoë Ångström", phones=["+49 151 2345 6789"],
                                      birthday="1980-12-24", tags=["Freunde"]))
    card = store.get_card(cid)
    card.set_photo(base64.b64decode(JPEG))
    store.save_card(cid, card)
    assert sync(store).uploaded == 1
    (text,) = phone.cards().values()
    assert "VERSION:4.0" in text and "PHOTO" in text
    again = sync(store)
    assert again.clean and (again.uploaded, again.downloaded) == (0, 0)


def test_test_account_uses_the_keyring_password(store, account, book):
    assert any(b.url.endswith(book) for b in accounts.test_account(store, "phone"))
    accounts.update_account(store, "phone", password="wrong")
    with pytest.raises(accounts.AccountError, match="refused"):
        accounts.test_account(store, "phone")


def test_a_card_merged_away_here_does_not_come_back_from_the_phone(store, account, phone):
    from netbook.data import operations

    a = store.add_contact(make_card("Ada Lovelace", phones=["+44 20 1234 5678"]))
    b = store.add_contact(make_card("Ada Lovelace", emails=["ada@example.org"]))
    sync(store)
    uid_b = Contact.get_by_id(b).uid
    operations.merge_contacts(store, a, [b])
    sync(store)
    assert len(phone.names()) == 1  # the merged-away card left the server
    # another device still had it and puts it back
    phone.put("old-device.vcf", vcard(uid_b, "Ada Lovelace", "EMAIL:ada@example.org"))
    sync(store)
    assert store.count() == 1 and not store.exists(b)
    assert [e.value for e in store.get_card(a).emails] == ["ada@example.org"]


def test_a_merged_away_card_changed_on_another_device_joins_the_merged_contact(
        store, account, phone):
    """Merged here, then the old card comes back from a device that had it, with a new
    title and phone: no conflict to settle, nothing lost, and the stale card leaves
    the server so the next sync is quiet (even with --prefer remote)."""
    from netbook.data import operations

    a = store.add_contact(make_card("Ada Lovelace", phones=["+44 20 1234 5678"]))
    b = store.add_contact(make_card("Ada Lovelace", emails=["ada@example.org"]))
    sync(store)
    uid_a, uid_b = Contact.get_by_id(a).uid, Contact.get_by_id(b).uid
    operations.merge_contacts(store, a, [b])
    sync(store)
    phone.put("old-device.vcf", vcard(uid_b, "Ada Lovelace", "EMAIL:ada@example.org",
                                      "TEL:+44 20 9999 0000", "TITLE:Countess"))
    result = sync(store)
    assert result.clean and not result.conflicts, result
    card = store.get_card(a)
    assert card.uid == uid_a and card.title == "Countess"
    assert {p.value for p in card.phones} == {"+44 20 1234 5678", "+44 20 9999 0000"}
    assert store.count() == 1 and not store.exists(b)
    assert "old-device.vcf" not in phone.names() and len(phone.names()) == 1
    (text,) = phone.cards().values()
    assert f"UID:{uid_a}" in text and "Countess" in text
    again = sync(store, prefer="remote")
    assert again.clean and (again.uploaded, again.downloaded) == (0, 0)
