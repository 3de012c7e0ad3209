"""Tags on several contacts at once; rename, merge and delete a tag across the book."""

from __future__ import annotations

import pytest
from helpers import make_card

from netbook.data import operations
from netbook.data.contacts import ListQuery, StoreError
from netbook.data.tags import tag_counts


def test_tag_and_untag_several_contacts(store):
    ids = [store.add_contact(make_card(n, tags=t)) for n, t in
           (("Ana Lima", ["clients"]), ("Bob Burns", []), ("Cy Ortiz", ["friends"]))]
    changes = operations.tag_contacts(store, ids, add=["conference"])
    assert changes.contacts == set(ids) and changes.tags
    assert all("conference" in store.get_card(i).categories for i in ids)
    assert store.get_card(ids[0]).categories == ["clients", "conference"]
    assert sorted(store.list_ids(ListQuery(filter="tag", tag="conference"))) == ids
    changes = operations.tag_contacts(store, ids[:2], remove=["conference"])
    assert changes.contacts == set(ids[:2])
    assert tag_counts(store) == [("clients", 1), ("conference", 1), ("friends", 1)]


def test_adding_a_tag_they_have_changes_nothing(store):
    a = store.add_contact(make_card("Ana Lima", tags=["clients"]))
    revision = store.revision(a)
    assert not operations.tag_contacts(store, [a], add=["clients"])
    assert store.revision(a) == revision


def test_rename_into_an_existing_tag_merges_them(store):
    a = store.add_contact(make_card("Ana Lima", tags=["client", "clients"]))
    b = store.add_contact(make_card("Bob Burns", tags=["client"]))
    operations.rename_tag(store, "client", "clients")
    assert store.get_card(a).categories == ["clients"]
    assert store.get_card(b).categories == ["clients"]
    assert tag_counts(store) == [("clients", 2)]


def test_delete_a_tag_keeps_the_contacts(store):
    a = store.add_contact(make_card("Ana Lima", tags=["old", "keep"]))
    operations.delete_tag(store, "old")
    assert store.get_card(a).categories == ["keep"]
    with pytest.raises(StoreError):
        operations.delete_tag(store, "old")


def test_a_tag_of_only_trashed_contacts_is_not_counted(store):
    a = store.add_contact(make_card("Ana Lima", tags=["gone"]))
    operations.delete_contacts(store, [a])
    assert tag_counts(store) == []


def test_set_rhythm_on_several(store):
    ids = [store.add_contact(make_card(n)) for n in ("Ana Lima", "Bob Burns")]
    operations.set_rhythm(store, ids, None, "close")
    assert [store.get_contact(i).circle for i in ids] == ["close", "close"]
    assert [store.get_contact(i).rhythm_days for i in ids] == [30, 30]


def test_undo_of_a_saved_edit_puts_the_card_and_fields_back(store):
    from netbook.data import undo

    a = store.add_contact(make_card("Ana Lima", phones=["+1 555 010 0001"]))
    before = undo.contact_state(store, a)
    card = store.get_card(a)
    card.set_organization("Bakers")
    operations.save_contact(store, card, contact_id=a, revision=store.revision(a),
                            fields={"needs": "an oven"})
    changes = operations.undo_edit(store, before, store.revision(a))
    assert a in changes.contacts
    assert store.get_card(a).organization == ""
    assert store.get_contact(a).needs == ""
    assert store.list_ids(ListQuery(search="bakers")) == []


def test_undo_of_an_edit_changed_since_is_refused(store):
    from netbook.data import undo
    from netbook.data.contacts import ConflictError

    a = store.add_contact(make_card("Ana Lima"))
    before = undo.contact_state(store, a)
    card = store.get_card(a)
    card.set_organization("Bakers")
    operations.save_contact(store, card, contact_id=a, revision=store.revision(a))
    revision = store.revision(a)
    operations.set_networking(store, a, needs="later change")
    with pytest.raises(ConflictError):
        operations.undo_edit(store, before, revision)
    assert store.get_card(a).organization == "Bakers"


class Stop(Exception):
    """What the window's Cancel raises from inside a report."""


def test_tagging_reports_progress_and_a_stop_leaves_every_card_as_it_was(store):
    ids = [store.add_contact(make_card(f"Person {n:03d}", tags=["old"])) for n in range(120)]
    heard: list[tuple[int, int]] = []
    operations.tag_contacts(store, ids, add=["conference"],
                            report=lambda done, total: heard.append((done, total)))
    assert heard[0] == (0, 120) and len(heard) > 1
    assert operations.tags_of(store, ids) == ["conference", "old"]

    def stop_halfway(done: int, total: int) -> None:
        if done >= total // 2:
            raise Stop

    with pytest.raises(Stop):
        operations.tag_contacts(store, ids, remove=["conference"], report=stop_halfway)
    with pytest.raises(Stop):
        operations.set_rhythm(store, ids, None, "close", report=stop_halfway)
    assert all(store.get_card(i).categories == ["old", "conference"] for i in ids)
    assert {store.get_contact(i).circle for i in ids} == {None}


def test_tagging_a_contact_that_is_gone_refuses_before_writing(store):
    a = store.add_contact(make_card("Ana Lima"))
    b = store.add_contact(make_card("Bob Burns"))
    operations.delete_contacts(store, [b])
    with pytest.raises(StoreError):
        operations.tag_contacts(store, [a, b], add=["conference"])
    assert store.get_card(a).categories == []
    assert operations.tags_of(store, [a, b]) == []
