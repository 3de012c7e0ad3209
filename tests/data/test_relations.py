"""Relationships between contacts: both sides, inverses, bad input, and RELATED in files."""

from __future__ import annotations

import pytest
from helpers import make_card

from netbook.data import operations, relations
from netbook.data.contacts import Store, StoreError
from netbook.data.exporting import export_vcards
from netbook.data.importing import apply_import, plan_import
from netbook.data.models import Contact, Relation


def people(store: Store, *names: str) -> list[int]:
    return [store.add_contact(make_card(n)) for n in names]


def seen(store: Store, cid: int) -> list[tuple[str, str]]:
    return [(r.name, r.type) for r in relations.related(store, cid)]


def test_a_colleague_shows_on_both_people(store):
    mia, ravi = people(store, "Mia Chen", "Ravi Patel")
    changes = operations.relate(store, mia, ravi, "colleague")
    assert changes.contacts == {mia, ravi}
    assert seen(store, mia) == [("Ravi Patel", "colleague")]
    assert seen(store, ravi) == [("Mia Chen", "colleague")]
    assert not operations.relate(store, ravi, mia, "colleague")  # already: no change


def test_a_parent_shows_as_child_on_the_other_side(store):
    tom, anna = people(store, "Tom Berg", "Anna Berg")
    operations.relate(store, tom, anna, "parent")  # Anna is Tom's parent
    assert seen(store, tom) == [("Anna Berg", "parent")]
    assert seen(store, anna) == [("Tom Berg", "child")]
    operations.unrelate(store, anna, tom, "child")
    assert seen(store, tom) == seen(store, anna) == []


def test_one_way_types_read_back_from_the_other_side(store):
    ada, max_ = people(store, "Ada Agent", "Max Client")
    operations.relate(store, max_, ada, "agent")  # Ada is Max's agent
    assert seen(store, max_) == [("Ada Agent", "agent")]
    assert seen(store, ada) == [("Max Client", "agent-for")]
    assert Relation.select().count() == 1  # only Max's card says it


def test_introduced_by_is_one_of_the_relationships(store):
    ravi, omar = people(store, "Ravi Patel", "Omar Haddad")
    operations.relate(store, omar, ravi, "introduced-by")
    assert Contact.get_by_id(omar).introduced_by_id == ravi
    assert seen(store, omar) == [("Ravi Patel", "introduced-by")]
    assert seen(store, ravi) == [("Omar Haddad", "introduced")]
    operations.unrelate(store, omar, ravi)
    assert Contact.get_by_id(omar).introduced_by_id is None


def test_nobody_introduced_their_own_introducer_however_it_is_said(store, db_path, capsys):
    """`relate`, `set --introduced-by` and the detail pane's field share one rule."""
    from helpers import cli

    ravi, omar, lea = people(store, "Ravi Patel", "Omar Haddad", "Lea Roux")
    operations.relate(store, omar, ravi, "introduced-by")  # Ravi introduced Omar
    with pytest.raises(StoreError, match="can't have introduced each other"):
        operations.relate(store, ravi, omar, "introduced-by")
    with pytest.raises(StoreError, match="can't have introduced each other"):
        operations.save_contact(store, store.get_card(ravi), contact_id=ravi,
                                revision=store.revision(ravi),
                                fields={"introduced_by_name": "Omar Haddad"})
    operations.set_networking(store, lea, introduced_by=omar)  # Omar introduced Lea
    with pytest.raises(StoreError, match="circle of introductions"):
        operations.set_networking(store, ravi, introduced_by=lea)
    assert Contact.get_by_id(ravi).introduced_by_id is None
    store.close()
    code, _, err = cli(capsys, "set", str(ravi), "--introduced-by", str(omar),
                       "--db", str(db_path))
    assert code == 2 and "can't have introduced each other" in err


@pytest.mark.parametrize("kind, message", [
    ("boss", "unknown relationship “boss”"),
    ("sweetheart", "unknown relationship"),
])
def test_unknown_types_are_refused(store, kind, message):
    a, b = people(store, "A One", "B Two")
    with pytest.raises(StoreError, match=message):
        operations.relate(store, a, b, kind)
    assert Relation.select().count() == 0


def test_bad_relations_are_refused_and_nothing_is_half_saved(store):
    a, b, c = people(store, "Ann Old", "Bea Mid", "Cy Young")
    with pytest.raises(StoreError, match="related to themselves"):
        operations.relate(store, a, a, "friend")
    operations.relate(store, c, b, "parent")  # Bea is Cy's parent
    operations.relate(store, b, a, "parent")  # Ann is Bea's parent
    before = sorted(Relation.select(Relation.contact, Relation.other_uid, Relation.type)
                    .tuples())
    with pytest.raises(StoreError, match="cycle of parents"):
        operations.relate(store, a, c, "parent")  # Cy as Ann's parent: a cycle
    with pytest.raises(StoreError, match="cycle of parents"):
        operations.relate(store, c, a, "child")  # the same, said from Cy's side
    operations.delete_contacts(store, [b])
    with pytest.raises(StoreError, match="in the trash"):
        operations.relate(store, a, b, "friend")
    assert sorted(Relation.select(Relation.contact, Relation.other_uid, Relation.type)
                  .tuples()) == before
    with pytest.raises(StoreError, match="aren't related"):
        operations.unrelate(store, a, c)


def test_someone_in_the_trash_is_not_shown_but_comes_back(store):
    mia, ravi = people(store, "Mia Chen", "Ravi Patel")
    operations.relate(store, mia, ravi, "friend")
    operations.delete_contacts(store, [ravi])
    assert seen(store, mia) == []
    operations.undelete_contacts(store, [ravi])
    assert seen(store, mia) == [("Ravi Patel", "friend")]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_relations_survive_export_and_import_into_a_fresh_book(tmp_path, version):
    with Store.open(tmp_path / "a.sqlite3") as a:
        mia, ravi, tom, anna = people(a, "Mia Chen", "Ravi Patel", "Tom Berg", "Anna Berg")
        operations.relate(a, mia, ravi, "colleague")
        operations.relate(a, tom, anna, "parent")
        operations.relate(a, tom, mia, "introduced-by")
        export_vcards(a, tmp_path / "out.vcf", version=version)
    text = (tmp_path / "out.vcf").read_text("utf-8")
    if version == "4.0":
        assert "RELATED;TYPE=colleague:urn:uuid:" in text
        assert "X-NETBOOK-RELATED" not in text and "X-ABRELATEDNAMES" not in text
    else:
        assert ".X-NETBOOK-RELATED;TYPE=colleague:urn:uuid:" in text
        assert ".X-ABRELATEDNAMES:Ravi Patel" in text
        assert ".X-ABLABEL:_$!<Parent>!$_" in text  # Apple's own word for a parent
        assert "\nRELATED" not in text
    with Store.open(tmp_path / "b.sqlite3") as b:
        apply_import(b, plan_import(b, [tmp_path / "out.vcf"]))
        ids = {b.get_contact(cid).name: cid for cid in b.list_ids()}
        assert seen(b, ids["Mia Chen"]) == [("Ravi Patel", "colleague"),
                                            ("Tom Berg", "introduced")]
        assert seen(b, ids["Anna Berg"]) == [("Tom Berg", "child")]
        # the Apple lines went back into the relation they came with, not into the card
        assert "X-ABRELATEDNAMES" not in Contact.get_by_id(ids["Mia Chen"]).vcard
        export_vcards(b, tmp_path / "again.vcf", version=version)
    assert (tmp_path / "again.vcf").read_text("utf-8").count("RELATED") == text.count(
        "RELATED")


def test_a_relation_to_a_card_not_here_yet_waits_for_it(store, tmp_path):
    first = tmp_path / "first.vcf"
    first.write_text("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:mia-1\r\nFN:Mia Chen\r\n"
                     "RELATED;TYPE=colleague:urn:uuid:ravi-2\r\n"
                     "RELATED;VALUE=text:Her old boss\r\nEND:VCARD\r\n")
    apply_import(store, plan_import(store, [first]))
    mia = store.find_by_uid("mia-1")
    assert seen(store, mia) == []
    assert "RELATED;VALUE=text:Her old boss" in Contact.get_by_id(mia).vcard  # not ours
    second = tmp_path / "second.vcf"
    second.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:urn:uuid:ravi-2\r\nFN:Ravi Patel\r\n"
                      "END:VCARD\r\n")
    apply_import(store, plan_import(store, [second]))
    assert seen(store, mia) == [("Ravi Patel", "colleague")]
    assert seen(store, store.find_by_uid("urn:uuid:ravi-2")) == [("Mia Chen", "colleague")]


def test_a_relation_to_a_merged_away_card_lands_on_the_one_kept(store):
    mia, ravi, ravi2 = people(store, "Mia Chen", "Ravi Patel", "Ravi Patel")
    operations.relate(store, mia, ravi2, "colleague")
    operations.merge_contacts(store, ravi, [ravi2])
    assert seen(store, mia) == [("Ravi Patel", "colleague")]
    assert seen(store, ravi) == [("Mia Chen", "colleague")]
    assert [(e.a, e.b) for e in relations.edges(store)] == [(mia, ravi)]
