"""Relationships travel between two netbooks through a real Radicale, both ways."""

from __future__ import annotations

import pytest
from helpers import make_card

from netbook.data import operations, relations
from netbook.data.carddav import accounts, engine
from netbook.data.contacts import Store
from netbook.data.models import Contact, SyncCollection

from .conftest import PASSWORD, USER, vcard


def sync(store):
    return engine.sync_account(store, "phone")


def seen(store: Store, uid: str) -> list[tuple[str, str]]:
    return [(r.name, r.type) for r in relations.related(store, store.find_by_uid(uid))]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_two_netbooks_share_and_take_back_relationships(tmp_path, radicale, book, phone,
                                                        version):
    books = [b for b in accounts.test_connection(radicale, USER, PASSWORD)
             if b.url.endswith(book)]
    with Store.open(tmp_path / "a.sqlite3") as a:
        accounts.add_account(a, "phone", radicale, USER, PASSWORD, books)
        SyncCollection.update(vcard_version=version).execute()
        mia, ravi, tom, anna = (a.add_contact(make_card(n)) for n in
                                ("Mia Chen", "Ravi Patel", "Tom Berg", "Anna Berg"))
        operations.relate(a, mia, ravi, "colleague")
        operations.relate(a, tom, anna, "parent")
        assert sync(a).uploaded == 4
        uids = {n: Contact.get_by_id(c).uid for n, c in
                (("mia", mia), ("ravi", ravi), ("tom", tom), ("anna", anna))}
        assert sync(a).clean and sync(a).uploaded == 0  # no churn
    served = "".join(phone.cards().values())
    assert ("RELATED;TYPE=colleague:urn:uuid:" if version == "4.0"
            else "X-NETBOOK-RELATED;TYPE=colleague:urn:uuid:") in served
    with Store.open(tmp_path / "b.sqlite3") as b:
        accounts.add_account(b, "phone", radicale, USER, PASSWORD, books)
        SyncCollection.update(vcard_version=version).execute()
        r = sync(b)
        assert r.downloaded == 4 and r.uploaded == 0 and r.clean
        assert seen(b, uids["mia"]) == [("Ravi Patel", "colleague")]
        assert seen(b, uids["anna"]) == [("Tom Berg", "child")]
        assert sync(b).uploaded == 0
        # taken back on the second netbook: both cards go up without it
        operations.unrelate(b, b.find_by_uid(uids["ravi"]), b.find_by_uid(uids["mia"]))
        operations.relate(b, b.find_by_uid(uids["mia"]), b.find_by_uid(uids["tom"]), "friend")
        assert sync(b).uploaded == 3
    with Store.open(tmp_path / "a.sqlite3") as a:
        assert sync(a).downloaded == 3
        assert seen(a, uids["mia"]) == [("Tom Berg", "friend")]
        assert seen(a, uids["ravi"]) == []
        assert seen(a, uids["tom"]) == [("Mia Chen", "friend"), ("Anna Berg", "parent")]
        assert sync(a).clean


def test_a_relation_to_a_card_the_server_sends_later_is_resolved(store, account, phone):
    phone.put("mia.vcf", vcard("mia-1", "Mia Chen",
                               "X-NETBOOK-RELATED;TYPE=colleague:urn:uuid:ravi-2"))
    assert sync(store).downloaded == 1
    assert seen(store, "mia-1") == []
    phone.put("ravi.vcf", vcard("ravi-2", "Ravi Patel",
                                "X-NETBOOK-RELATED;TYPE=colleague:urn:uuid:mia-1"))
    assert sync(store).downloaded == 1
    assert seen(store, "mia-1") == [("Ravi Patel", "colleague")]
    assert sync(store).clean and sync(store).uploaded == 0
