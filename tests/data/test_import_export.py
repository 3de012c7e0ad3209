"""Import and export as a user lives them: a phone's file in, nothing lost, nothing doubled,
netbook's own data carried out and back, and an import that fails leaves no trace."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import make_card

from netbook.data import db as dbmod
from netbook.data import networking
from netbook.data.contacts import Store
from netbook.data.duplicates import merge_cards
from netbook.data.exporting import export_vcards
from netbook.data.importing import ImportPolicy, apply_import, plan_import
from netbook.data.models import Contact, Interaction
from netbook.data.vcard.card import TypedValue

ROOT = Path(__file__).resolve().parents[2]


def vcf(*cards: list[str], version: str = "3.0") -> bytes:
    """Cards, each a list of content lines, as a phone would write them (CRLF)."""
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:{version}\r\n" + "".join(f"{line}\r\n" for line in card)
        + "END:VCARD\r\n" for card in cards).encode("utf-8")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run_import(store: Store, *paths: Path, merge: bool = False, report=None):
    plan = plan_import(store, list(paths))
    summary = apply_import(store, plan, ImportPolicy(merge_duplicates=merge), report=report)
    return plan, summary


def snapshot(store: Store) -> list[tuple]:
    """Everything a user could notice about the store, comparable before and after."""
    contacts = [tuple(row) for row in store.db.execute_sql(
        "SELECT * FROM contact ORDER BY id").fetchall()]
    others = [tuple(row) for table in ("contact_key", "tag", "interaction", "setting")
              for row in store.db.execute_sql(f"SELECT * FROM {table} ORDER BY 1, 2")]
    return contacts + others


ADA = ["UID:ada-1", "FN:Ada Lovelace", "N:Lovelace;Ada;;;", "TEL;TYPE=CELL:+1 555 010 0001",
       "EMAIL;TYPE=HOME:ada@example.org", "NOTE:from the phone"]
BOB = ["UID:bob-1", "FN:Bob Burns", "N:Burns;Bob;;;", "EMAIL:bob@example.org"]


# -- a first import, and the same file again ---------------------------------------


def test_a_first_import_adds_everyone(store, tmp_path):
    path = write(tmp_path, "phone.vcf", vcf(ADA, BOB))
    _, summary = run_import(store, path)
    assert summary.line() == "2 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable"
    assert sorted(r.name for r in store.list_rows()) == ["Ada Lovelace", "Bob Burns"]
    ada = store.get_card(store.find_by_uid("ada-1"))
    assert [p.value for p in ada.phones] == ["+1 555 010 0001"]
    assert ada.note == "from the phone"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(store, tmp_path):
    path = write(tmp_path, "phone.vcf", vcf(ADA, BOB))
    run_import(store, path)
    before = snapshot(store)
    _, summary = run_import(store, path)
    assert summary.line() == "0 new, 0 updated, 0 merged, 2 unchanged, 0 unreadable"
    assert snapshot(store) == before


def test_a_card_without_uid_is_recognised_by_its_content_the_second_time(store, tmp_path):
    path = write(tmp_path, "old.vcf", vcf(["FN:No Uid", "TEL:555 0100"]))
    run_import(store, path)
    _, summary = run_import(store, path)
    assert summary.line() == "0 new, 0 updated, 0 merged, 1 unchanged, 0 unreadable"
    assert store.count() == 1


def test_groups_become_tags_and_a_second_import_changes_nothing(store, tmp_path):
    group = ["UID:g-1", "X-ADDRESSBOOKSERVER-KIND:group", "FN:Book club",
             "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ada-1"]
    path = write(tmp_path, "apple.vcf", vcf(ADA, BOB, group))
    _, summary = run_import(store, path)
    assert summary.new == 2
    assert store.get_card(store.find_by_uid("ada-1")).categories == ["Book club"]
    before = snapshot(store)
    _, summary = run_import(store, path)
    assert summary.line() == "0 new, 0 updated, 0 merged, 2 unchanged, 0 unreadable"
    assert snapshot(store) == before


def test_a_group_card_tags_a_contact_already_in_the_store(store, tmp_path):
    run_import(store, write(tmp_path, "a.vcf", vcf(ADA)))
    group = ["UID:g-1", "KIND:group", "FN:Family", "MEMBER:urn:uuid:ada-1"]
    run_import(store, write(tmp_path, "g.vcf", vcf(group, version="4.0")))
    assert store.get_card(store.find_by_uid("ada-1")).categories == ["Family"]


def test_a_group_card_leaves_a_contact_edited_here_edited_here(store, tmp_path):
    """Tagged by a group card in another file, Ada keeps the note typed here when her
    changed card comes in: it is merged, not written over."""
    run_import(store, write(tmp_path, "a.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    card = store.get_card(cid)
    card.set_text("TITLE", "Countess")
    store.save_card(cid, card)
    group = ["UID:g-1", "KIND:group", "FN:Family", "MEMBER:urn:uuid:ada-1"]
    run_import(store, write(tmp_path, "g.vcf", vcf(group, version="4.0")))
    plan, summary = run_import(store, write(tmp_path, "v2.vcf", vcf(ADA_CHANGED)))
    assert plan.items[0].edited_locally
    assert summary.line() == "0 new, 0 updated, 1 merged, 0 unchanged, 0 unreadable"
    merged = store.get_card(cid)
    assert merged.title == "Countess" and merged.categories == ["Family"]
    assert "changed on the phone" in merged.note


def test_two_cards_with_one_uid_in_a_file_become_two_contacts(store, tmp_path):
    path = write(tmp_path, "twins.vcf", vcf(ADA, ["UID:ada-1", "FN:Not Ada"]))
    plan, summary = run_import(store, path)
    assert summary.new == 2
    assert any("UID was already used" in w for w in plan.warnings)


# -- a changed card ------------------------------------------------------------------

ADA_CHANGED = ["UID:ada-1", "FN:Ada Lovelace", "N:Lovelace;Ada;;;",
               "TEL;TYPE=CELL:+1 555 010 0001", "TEL;TYPE=WORK:+1 555 010 0002",
               "EMAIL;TYPE=HOME:ada@example.org", "NOTE:changed on the phone"]


def test_a_changed_card_updates_a_contact_not_edited_here(store, tmp_path):
    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    _, summary = run_import(store, write(tmp_path, "v2.vcf", vcf(ADA_CHANGED)))
    assert summary.line() == "0 new, 1 updated, 0 merged, 0 unchanged, 0 unreadable"
    card = store.get_card(store.find_by_uid("ada-1"))
    assert card.note == "changed on the phone"
    assert len(card.phones) == 2
    assert store.count() == 1


def test_a_changed_card_is_merged_into_a_contact_edited_here(store, tmp_path):
    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    card = store.get_card(cid)
    card.set_text("NOTE", "met her at the museum")
    card.set_text("TITLE", "Countess")
    store.save_card(cid, card)

    v2 = write(tmp_path, "v2.vcf", vcf(ADA_CHANGED))
    plan, summary = run_import(store, v2)
    assert plan.items[0].edited_locally
    assert summary.line() == "0 new, 0 updated, 1 merged, 0 unchanged, 0 unreadable"
    merged = store.get_card(cid)
    assert "met her at the museum" in merged.note and "changed on the phone" in merged.note
    assert merged.title == "Countess"  # the edit made here is kept
    assert {p.value for p in merged.phones} == {"+1 555 010 0001", "+1 555 010 0002"}

    before = snapshot(store)
    _, summary = run_import(store, v2)  # the same file again: nothing to do
    assert summary.line() == "0 new, 0 updated, 0 merged, 1 unchanged, 0 unreadable"
    assert snapshot(store) == before


def test_the_same_old_file_again_does_not_undo_edits_made_here(store, tmp_path):
    path = write(tmp_path, "v1.vcf", vcf(ADA))
    run_import(store, path)
    cid = store.find_by_uid("ada-1")
    card = store.get_card(cid)
    card.set_typed("TEL", [])  # the number is wrong: removed here
    card.set_text("NOTE", "rewritten here")
    store.save_card(cid, card)
    _, summary = run_import(store, path)
    assert summary.line() == "0 new, 0 updated, 0 merged, 1 unchanged, 0 unreadable"
    card = store.get_card(cid)
    assert card.phones == [] and card.note == "rewritten here"


def test_a_changed_card_brings_a_deleted_contact_back(store, tmp_path):
    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    store.delete_contacts([cid])
    _, summary = run_import(store, write(tmp_path, "v2.vcf", vcf(ADA_CHANGED)))
    assert summary.updated == 1
    assert store.get_card(cid).note == "changed on the phone"


def test_an_edit_saved_while_the_preview_is_open_is_not_overwritten(store, tmp_path):
    """The preview can stay open for minutes while the window, a sync or `netbook set`
    changes the contact: the planned update becomes a merge with the contact as it is."""
    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    plan = plan_import(store, [write(tmp_path, "v2.vcf", vcf(ADA_CHANGED))])
    assert plan.items[0].decision == "update"
    card = store.get_card(cid)  # meanwhile, in the window
    card.set_text("TITLE", "important title typed by the user")
    store.save_card(cid, card)
    summary = apply_import(store, plan)
    assert summary.line() == "0 new, 0 updated, 1 merged, 0 unchanged, 0 unreadable"
    after = store.get_card(cid)
    assert after.title == "important title typed by the user"
    assert "changed on the phone" in after.note
    assert {p.value for p in after.phones} == {"+1 555 010 0001", "+1 555 010 0002"}
    # the edit is still "made here": the next changed card is merged, not written over
    assert Contact.get_by_id(cid).edited_at is not None


def test_a_rhythm_set_while_the_preview_is_open_does_not_stop_the_update(store, tmp_path):
    """`netbook set --rhythm 30` (or a follow-up) while the preview is open touches no
    card: the file's changes land as planned, and the rhythm stays."""
    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    plan = plan_import(store, [write(tmp_path, "v2.vcf", vcf(ADA_CHANGED))])
    networking.set_networking(store, cid, rhythm_days=30)
    assert apply_import(store, plan).line() == (
        "0 new, 1 updated, 0 merged, 0 unchanged, 0 unreadable")
    after = store.get_contact(cid)
    assert after.card.note == "changed on the phone"
    assert {p.value for p in after.card.phones} == {"+1 555 010 0001", "+1 555 010 0002"}
    assert after.rhythm_days == 30
    assert Contact.get_by_id(cid).edited_at is None  # not edited here: the next one updates


def test_a_note_edited_while_the_preview_is_open_stays_and_the_new_job_lands(store, tmp_path):
    """The phone says Yan moved to Globex as CTO; while the preview is open the note is
    edited here. Both survive: the edit kept what it changed, the file the rest."""
    yan = ["UID:yan-1", "FN:Yan Wu", "N:Wu;Yan;;;", "ORG:Acme", "TITLE:Dev",
           "TEL;TYPE=CELL:+1 555 010 0007", "NOTE:from the phone"]
    moved_job = [line.replace("Acme", "Globex").replace("Dev", "CTO") for line in yan]
    run_import(store, write(tmp_path, "v1.vcf", vcf(yan)))
    cid = store.find_by_uid("yan-1")
    plan = plan_import(store, [write(tmp_path, "v2.vcf", vcf(moved_job))])
    card = store.get_card(cid)  # meanwhile, in the window
    card.set_text("NOTE", "met at PyCon, wants an intro to Ada")
    card.set_categories(["pycon"])
    store.save_card(cid, card)
    assert apply_import(store, plan).line() == (
        "0 new, 0 updated, 1 merged, 0 unchanged, 0 unreadable")
    after = store.get_card(cid)
    assert (after.organization, after.title) == ("Globex", "CTO")
    assert after.note == "met at PyCon, wants an intro to Ada"
    assert after.categories == ["pycon"]
    assert [p.value for p in after.phones] == ["+1 555 010 0007"]
    assert Contact.get_by_id(cid).edited_at is not None  # the note is an edit made here
    # the same file again: nothing to do
    assert run_import(store, write(tmp_path, "v2.vcf", vcf(moved_job)))[1].line() == (
        "0 new, 0 updated, 0 merged, 1 unchanged, 0 unreadable")


def test_the_same_person_twice_in_one_export_is_not_taken_for_an_edit_made_here(
        store, tmp_path):
    """Two rows of one LinkedIn export both match Ada: the second lands on the first's
    update (both profiles kept) and neither says she was edited in netbook."""
    from netbook.data.csv.detect import ContactsReader

    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    rows = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,ada@example.org,"
            "Babbage & Co,Chief Programmer,01 Feb 2024\n"
            "Ada,Lovelace,https://www.linkedin.com/in/ada-l,ada@example.org,"
            "Babbage & Co,Chief Programmer,01 Feb 2024\n")
    plan = plan_import(store, [write(tmp_path, "Connections.csv", rows.encode())],
                       reader=ContactsReader())
    assert [i.contact_id for i in plan.items] == [cid, cid]
    assert apply_import(store, plan).line() == (
        "0 new, 2 updated, 0 merged, 0 unchanged, 0 unreadable")
    assert not any(item.edited_locally for item in plan.items)
    after = store.get_card(cid)
    assert {u.value for u in after.urls} == {"https://www.linkedin.com/in/ada-lovelace",
                                             "https://www.linkedin.com/in/ada-l"}
    assert after.organization == "Babbage & Co"


def test_ada_twice_in_one_import_is_not_taken_for_an_edit_made_here(store, tmp_path):
    """`netbook import Connections.csv phone.vcf`: her LinkedIn row updates Ada first, then
    her phone card lands on that — its new note and phone too, not merged as if Ada had
    been edited here while the preview was open."""
    from netbook.data.csv.detect import ContactsReader

    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    row = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
           "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,ada@example.org,"
           "Babbage & Co,Chief Programmer,01 Feb 2024\n")
    plan = plan_import(store, [write(tmp_path, "Connections.csv", row.encode()),
                               write(tmp_path, "phone.vcf", vcf(ADA_CHANGED))],
                       reader=ContactsReader())
    assert [i.contact_id for i in plan.items] == [cid, cid]
    apply_import(store, plan)
    assert not any(item.edited_locally for item in plan.items)
    after = store.get_card(cid)
    assert after.note == "changed on the phone"
    assert {p.value for p in after.phones} == {"+1 555 010 0001", "+1 555 010 0002"}
    assert (after.organization, after.title) == ("Babbage & Co", "Chief Programmer")
    # a table row's update is more than the phone's card: the next one is merged with it
    assert Contact.get_by_id(cid).edited_at is not None


def test_a_contact_trashed_while_the_preview_is_open_stays_in_the_trash(store, tmp_path):
    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    plan = plan_import(store, [write(tmp_path, "v2.vcf", vcf(ADA_CHANGED))])
    store.delete_contacts([cid])
    summary = apply_import(store, plan)
    assert (summary.updated, summary.skipped) == (0, 1)
    assert store.count() == 0 and store.get_card_any(cid).note == "from the phone"


def test_networking_data_made_here_survives_an_update_from_the_phone(store, tmp_path):
    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    networking.set_networking(store, cid, rhythm_days=30, needs="a mathematician")
    networking.log_interaction(store, cid, on=dt.date.today(), kind="call", note="hello")
    run_import(store, write(tmp_path, "v2.vcf", vcf(ADA_CHANGED)))
    record = store.get_contact(cid)
    assert (record.rhythm_days, record.needs) == (30, "a mathematician")
    assert [i.note for i in networking.interactions(store, cid)] == ["hello"]


# -- probable duplicates ---------------------------------------------------------------


@pytest.mark.parametrize("dup, reason", [
    (["UID:other-1", "FN:A. Lovelace", "TEL:(555) 010-0001"], "same phone +15550100001"),
    (["UID:other-2", "FN:Countess", "EMAIL:ADA@Example.org"], "same email ada@example.org"),
    (["UID:other-3", "FN:ada lovelace", "NOTE:another Ada"], "same name"),
])
def test_a_probable_duplicate_is_kept_separate_and_listed(store, tmp_path, dup, reason):
    run_import(store, write(tmp_path, "a.vcf", vcf(ADA)))
    plan, summary = run_import(store, write(tmp_path, "dup.vcf", vcf(dup)))
    assert plan.items[0].status == "duplicate"
    assert plan.items[0].match_reason == reason
    assert summary.new == 1 and store.count() == 2
    assert summary.duplicates_kept == [(plan.items[0].name, "Ada Lovelace")]


def test_with_merge_a_probable_duplicate_is_merged_once(store, tmp_path):
    run_import(store, write(tmp_path, "a.vcf", vcf(ADA)))
    dup = write(tmp_path, "dup.vcf", vcf(["UID:other-1", "FN:A. Lovelace",
                                          "TEL:(555) 010-0001", "EMAIL:countess@example.org",
                                          "NOTE:from the laptop"]))
    _, summary = run_import(store, dup, merge=True)
    assert summary.line() == "0 new, 0 updated, 1 merged, 0 unchanged, 0 unreadable"
    assert store.count() == 1
    card = store.get_card(store.find_by_uid("ada-1"))
    assert card.note == "from the phone\n\nfrom the laptop"  # both notes kept
    assert len(card.phones) == 1  # the same number, written differently, is one number
    assert {e.value for e in card.emails} == {"ada@example.org", "countess@example.org"}

    before = snapshot(store)
    _, summary = run_import(store, dup, merge=True)
    assert summary.line() == "0 new, 0 updated, 0 merged, 1 unchanged, 0 unreadable"
    assert snapshot(store) == before


def test_merging_fills_gaps_and_keeps_what_is_there():
    base = make_card("Ada Lovelace", phones=["555 0100"], note="mine")
    other = make_card("Augusta Ada King", phones=["555-0100", "555 0199"], org="Engines",
                      note="theirs", tags=["math"])
    other.set_text("X-TWITTER", "@ada")
    merged = merge_cards(base, other)
    assert merged.display_name == "Ada Lovelace"
    assert merged.organization == "Engines"
    assert [p.value for p in merged.phones] == ["555 0100", "555 0199"]
    assert merged.note == "mine\n\ntheirs"
    assert merged.categories == ["math"]
    assert merged.text("X-TWITTER") == "@ada"
    assert merge_cards(merged, other).note == merged.note  # merging twice adds nothing


# -- unreadable cards and files --------------------------------------------------------


def test_a_bad_card_is_reported_and_the_rest_imported(store, tmp_path):
    data = vcf(ADA) + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n" + vcf(BOB)
    plan, summary = run_import(store, write(tmp_path, "mixed.vcf", data))
    assert summary.line() == "2 new, 0 updated, 0 merged, 0 unchanged, 1 unreadable"
    [err] = plan.errors
    assert (err.file, err.card_number, err.line) == (str(tmp_path / "mixed.vcf"), 2, 10)
    assert err.reason
    assert "mixed.vcf: card 2 (line 10)" in str(err)


@pytest.mark.parametrize("name, data, words", [
    ("empty.vcf", b"", "empty"),
    ("photo.vcf", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a vCard"),
    ("diary.vcf", b"Dear diary\nnothing here\n", "no BEGIN:VCARD"),
    ("cal.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "calendar"),
])
def test_a_file_without_any_vcard_is_a_file_error(store, tmp_path, name, data, words):
    plan = plan_import(store, [write(tmp_path, name, data)])
    assert plan.items == []
    [(path, message)] = plan.file_errors
    assert path == str(tmp_path / name) and words in message


def test_a_missing_file_and_a_folder_are_each_reported_once(store, tmp_path):
    plan = plan_import(store, [tmp_path / "missing.vcf", tmp_path])
    assert plan.file_errors == [
        (str(tmp_path / "missing.vcf"), "can't be read (No such file or directory)"),
        (str(tmp_path), "is a folder, not a vCard file"),
    ]


def test_a_card_with_a_photo_that_is_no_image_is_imported_without_thumbnail(store, tmp_path):
    junk = base64.b64encode(os.urandom(300)).decode()
    path = write(tmp_path, "p.vcf", vcf(["UID:p-1", "FN:Pic Less", f"PHOTO;ENCODING=b:{junk}"]))
    _, summary = run_import(store, path)
    assert summary.new == 1
    [row] = store.list_rows()
    assert row.has_photo is False
    assert store.get_card(row.id).first("PHOTO").value == junk  # kept for the export


# -- one transaction, a backup first -------------------------------------------------


class Cancelled(Exception):
    pass


def test_a_cancel_midway_leaves_the_database_exactly_as_before(store, tmp_path):
    run_import(store, write(tmp_path, "v1.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    card = store.get_card(cid)
    card.set_text("TITLE", "edited here")
    store.save_card(cid, card)
    before = snapshot(store)
    many = [[f"UID:p-{n}", f"FN:Person {n}", f"TEL:555 01{n:02d}"] for n in range(30)]
    path = write(tmp_path, "big.vcf", vcf(ADA_CHANGED, *many, BOB))
    calls = []

    def report(done: int, total: int) -> None:
        calls.append(done)
        raise Cancelled

    plan = plan_import(store, [path])
    with pytest.raises(Cancelled):
        apply_import(store, plan, report=report)
    assert calls  # it was stopped after writing had begun
    assert snapshot(store) == before
    assert store.count() == 1


def schema(store: Store) -> set[tuple]:
    return set(store.db.execute_sql("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def test_a_first_big_import_leaves_the_book_indexed_and_counted_as_any_other(store,
                                                                            tmp_path):
    """A first import of thousands builds the contact indexes once, after its rows: the
    book it leaves has the same indexes and triggers, and the week plan's change counter
    moved once per new contact, as row-by-row writing moves it."""
    from netbook.data.contacts import BULK_INSERT_MIN, ListQuery

    before = schema(store)
    (epoch,), = store.db.execute_sql("SELECT n FROM plan_epoch").fetchall()
    n = BULK_INSERT_MIN + 10
    people = [[f"UID:p-{i}", f"FN:Person {n - i:05d}", f"ORG:Firm {i % 7}"] for i in range(n)]
    _, summary = run_import(store, write(tmp_path, "all.vcf", vcf(*people)))
    assert summary.new == n
    assert schema(store) == before
    assert store.db.execute_sql("SELECT n FROM plan_epoch").fetchone()[0] == epoch + n
    assert store.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = store.list_rows(ListQuery(search="person 00001"))
    assert [r.name for r in rows] == ["Person 00001"]
    assert store.list_rows()[0].name == "Person 00001"  # in name order, from its index


def test_a_cancelled_first_big_import_leaves_its_indexes_in_place(store, tmp_path):
    from netbook.data.contacts import BULK_INSERT_MIN

    before = schema(store)
    people = [[f"UID:p-{i}", f"FN:Person {i}"] for i in range(BULK_INSERT_MIN + 1500)]
    plan = plan_import(store, [write(tmp_path, "all.vcf", vcf(*people))])

    def report(done: int, total: int) -> None:
        if done > 1000:  # the first thousand written, without the indexes
            raise Cancelled

    with pytest.raises(Cancelled):
        apply_import(store, plan, report=report)
    assert schema(store) == before
    assert store.count() == 0
    assert store.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_killed_import_leaves_the_database_exactly_as_before(db_path, tmp_path):
    with Store.open(db_path) as store:
        store.add_contact(make_card("Already Here"))
        before = snapshot(store)
    many = [[f"UID:p-{n}", f"FN:Person {n}", f"NOTE:{'x' * 500}"] for n in range(600)]
    path = write(tmp_path, "big.vcf", vcf(*many))
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from netbook.data.contacts import Store
        from netbook.data.importing import apply_import, plan_import
        store = Store.open(Path({str(db_path)!r}))
        plan = plan_import(store, [Path({str(path)!r})])
        def report(done, total):
            if done >= 200:  # some batches written, the transaction still open
                os.kill(os.getpid(), signal.SIGKILL)
        apply_import(store, plan, report=report)
        print("not killed")
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr
    with Store.open(db_path) as store:
        assert snapshot(store) == before


def test_each_import_that_writes_backs_up_the_database_first(store, tmp_path, db_path):
    store.add_contact(make_card("Before Import"))
    _, summary = run_import(store, write(tmp_path, "a.vcf", vcf(ADA)))
    assert summary.backup is not None and summary.backup.exists()
    assert "before-import" in summary.backup.name
    con = sqlite3.connect(summary.backup)
    assert con.execute("SELECT display_name FROM contact").fetchall() == [("Before Import",)]
    con.close()
    _, again = run_import(store, write(tmp_path, "a.vcf", vcf(ADA)))
    assert again.backup is None  # nothing to write, nothing to back up
    assert len(dbmod.list_backups(db_path)) == 1


def test_only_the_last_few_import_backups_are_kept(store, tmp_path, db_path):
    for n in range(dbmod.BACKUPS_KEPT + 2):
        run_import(store, write(tmp_path, f"{n}.vcf", vcf([f"UID:n-{n}", f"FN:Person {n}"])))
    assert len(dbmod.list_backups(db_path)) == dbmod.BACKUPS_KEPT


# -- export ---------------------------------------------------------------------------

PHONE_CARD = [
    "UID:iphone-1", "FN:Ada Lovelace", "N:Lovelace;Ada;;;",
    "item1.TEL;TYPE=CELL;X-CARRIER=vodafone:+44 7700 900001",
    "item1.X-ABLabel:_$!<Mobile>!$_",
    "item2.EMAIL;TYPE=INTERNET:ada@engines.example", "item2.X-ABLabel:engines",
    "X-ABUID:5A1B2C3D:ABPerson", "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/ada",
    "X-UNKNOWN-THING;X-WEIRD=yes:keep me\\, please",
    "item3.X-ABRELATEDNAMES:Lord Byron", "item3.X-ABLabel:_$!<Father>!$_",
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQg=",
]


def export_text(store: Store, **kwargs) -> str:
    out = io.BytesIO()
    export_vcards(store, out, **kwargs)
    return out.getvalue().decode("utf-8")


def test_export_of_an_unedited_import_carries_everything_the_phone_wrote(store, tmp_path):
    run_import(store, write(tmp_path, "iphone.vcf", vcf(PHONE_CARD)))
    text = export_text(store)
    unfolded = text.replace("\r\n ", "")
    for line in PHONE_CARD:
        name, _, rest = line.partition(":")
        assert f"{name.upper() if '.' not in name else name}:{rest}".lower() in \
            unfolded.lower(), line
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")


def test_export_in_vcard_4(store, tmp_path):
    run_import(store, write(tmp_path, "iphone.vcf", vcf(PHONE_CARD)))
    text = export_text(store, version="4.0")
    assert "VERSION:4.0" in text
    assert "X-UNKNOWN-THING;X-WEIRD=yes:keep me\\, please" in text


def test_an_edit_made_here_is_in_the_export(store, tmp_path):
    run_import(store, write(tmp_path, "iphone.vcf", vcf(PHONE_CARD)))
    cid = store.find_by_uid("iphone-1")
    card = store.get_card(cid)
    card.set_text("TITLE", "Countess of Lovelace")
    phones = card.phones
    card.set_typed("TEL", [TypedValue("+44 7700 900999", phones[0].types, phones[0].label,
                                      index=0)])
    store.save_card(cid, card)
    text = export_text(store).replace("\r\n ", "")
    assert "TITLE:Countess of Lovelace" in text
    assert "+44 7700 900999" in text and "+44 7700 900001" not in text
    assert "X-UNKNOWN-THING;X-WEIRD=yes:keep me\\, please" in text  # the rest untouched
    assert "item1.X-ABLABEL:_$!<Mobile>!$_" in text.replace("X-ABLabel", "X-ABLABEL")


def test_export_by_tag_and_trash_left_out(store):
    store.add_contact(make_card("Tagged Tina", tags=["golf"]))
    store.add_contact(make_card("Other Otto"))
    gone = store.add_contact(make_card("Deleted Dora", tags=["golf"]))
    store.delete_contacts([gone])
    assert "Tagged Tina" in export_text(store, tag="golf")
    assert "Other Otto" not in export_text(store, tag="golf")
    assert "Deleted Dora" not in export_text(store)


def test_export_to_a_file_replaces_it_whole(store, tmp_path):
    store.add_contact(make_card("File Fay"))
    target = tmp_path / "out.vcf"
    target.write_text("old content that is much longer than the new one " * 100)
    assert export_vcards(store, target) == 1
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCARD") and b"old content" not in data
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".netbook")] == []


def test_networking_data_survives_a_trip_through_a_file(tmp_path):
    today = dt.date.today()
    with Store.open(tmp_path / "a.sqlite3") as a:
        intro = a.add_contact(make_card("Ivy Introducer", emails=["ivy@example.org"]))
        cid = a.add_contact(make_card("Nina Network", phones=["+1 555 010 0042"]))
        networking.set_networking(
            a, cid, rhythm_days=30, circle="close", met_on=dt.date(2023, 4, 5),
            met_where="PyCon; Lisbon, PT", introduced_by=intro, does="builds boats",
            needs="a sail maker, soon", offers="woodwork\\joinery",
            follow_up=today + dt.timedelta(days=3), follow_up_note="send\nthe photos")
        networking.log_interaction(a, cid, on=dt.date(2024, 5, 1), kind="coffee",
                                   note="line one\nline two; semi, comma", exchange="gave",
                                   gift="introduction")
        networking.log_interaction(a, cid, on=dt.date(2024, 6, 1), kind="call",
                                   exchange="asked")
        networking.snooze(a, cid, today + dt.timedelta(days=10))
        uid = a.get_card(cid).uid
        a_interactions = [(i.on, i.kind, i.note, i.exchange, i.gift)
                          for i in networking.interactions(a, cid)]
        export_vcards(a, tmp_path / "trip.vcf", version="4.0")

    with Store.open(tmp_path / "b.sqlite3") as b:
        _, summary = run_import(b, tmp_path / "trip.vcf")
        assert summary.new == 2
        bid = b.find_by_uid(uid)
        r = b.get_contact(bid)
        assert (r.rhythm_days, r.circle, r.met_on, r.met_where) == (
            30, "close", dt.date(2023, 4, 5), "PyCon; Lisbon, PT")
        assert (r.does, r.needs, r.offers) == ("builds boats", "a sail maker, soon",
                                               "woodwork\\joinery")
        assert (r.follow_up, r.follow_up_note) == (today + dt.timedelta(days=3),
                                                   "send\nthe photos")
        assert r.snoozed_until == today + dt.timedelta(days=10)
        assert r.introduced_by_name == "Ivy Introducer"
        assert [(i.on, i.kind, i.note, i.exchange, i.gift)
                for i in networking.interactions(b, bid)] == a_interactions
        assert r.last_contacted == dt.date(2024, 6, 1)
        c = Contact.get_by_id(bid)
        assert (c.gave_count, c.asked_count) == (1, 1)
        # the X-NETBOOK lines went into the tables, not into the stored card
        assert not any(p.name.startswith("X-NETBOOK") for p in r.card.properties)
        # and the trip back changes nothing
        before = snapshot(b)
        _, summary = run_import(b, tmp_path / "trip.vcf")
        assert summary.line() == "0 new, 0 updated, 0 merged, 2 unchanged, 0 unreadable"
        assert snapshot(b) == before
        assert Interaction.select().count() == 2


def test_networking_data_in_a_file_does_not_overwrite_what_is_set_here(store, tmp_path):
    run_import(store, write(tmp_path, "a.vcf", vcf(ADA)))
    cid = store.find_by_uid("ada-1")
    networking.set_networking(store, cid, rhythm_days=14)
    path = write(tmp_path, "b.vcf", vcf([*ADA_CHANGED, "X-NETBOOK-RHYTHM:90",
                                                  "X-NETBOOK-NEEDS:funding"]))
    run_import(store, path)
    record = store.get_contact(cid)
    assert (record.rhythm_days, record.needs) == (14, "funding")


@pytest.mark.parametrize("line", [
    "X-NETBOOK-RHYTHM:0", "X-NETBOOK-RHYTHM:-5", "X-NETBOOK-RHYTHM:often",
    "X-NETBOOK-MET:2999-01-01", "X-NETBOOK-MET:yesterday", "X-NETBOOK-CIRCLE:besties",
    "X-NETBOOK-INTERACTION;DATE=not-a-date;KIND=call:hi",
])
def test_nonsense_networking_lines_in_a_file_are_ignored(store, tmp_path, line):
    path = write(tmp_path, "odd.vcf", vcf(["UID:odd-1", "FN:Odd Netbook", line]))
    _, summary = run_import(store, path)
    assert summary.new == 1
    r = store.get_contact(store.find_by_uid("odd-1"))
    assert (r.rhythm_days, r.met_on, r.circle) == (None, None, None)
    assert networking.interactions(store, r.id) == []


def test_an_interaction_dated_in_the_future_in_a_file_is_dated_today(store, tmp_path):
    path = write(tmp_path, "f.vcf", vcf(["UID:f-1", "FN:Future Fan",
                                         "X-NETBOOK-INTERACTION;DATE=2999-01-01;KIND=call:hi"]))
    run_import(store, path)
    [row] = networking.interactions(store, store.find_by_uid("f-1"))
    assert row.on == dt.date.today()
