"""LinkedIn's Connections.csv as a user lives it: the network comes in with when you
connected, next month's export updates jobs and adds only the new people, and a job
change shows in the preview and in the week's plan as a reason to get in touch."""

from __future__ import annotations

import datetime as dt
import shutil

from helpers import CSV_SAMPLES, contact_named, import_contacts, make_card

from netbook.data import networking
from netbook.data.vcard.card import TypedValue
from netbook.plan import service as week

MARCH = CSV_SAMPLES / "linkedin_Connections.csv"
APRIL = CSV_SAMPLES / "linkedin_Connections_next_month.csv"


def test_each_connection_becomes_a_contact_with_job_profile_and_when_you_connected(store):
    plan, summary = import_contacts(store, MARCH)
    assert summary.line() == "4 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable"
    assert not plan.errors and not plan.warnings
    ada = contact_named(store, "Ada Lovelace")
    assert ada.card.organization == "Analytical Engines, Ltd"  # a quoted comma
    assert ada.card.title == "Programmer"
    assert [u.value for u in ada.card.urls] == ["https://www.linkedin.com/in/ada-lovelace"]
    assert ada.card.urls[0].type_text == "LinkedIn"
    assert ada.card.emails == []  # LinkedIn's usual empty email
    assert (ada.met_on, ada.met_where) == (dt.date(2024, 3, 12), "LinkedIn")
    bjorn = contact_named(store, "Björn Müller")
    assert bjorn.card.title == 'Head of "Special" Projects'  # doubled quotes
    assert bjorn.card.organization == "Müller & Söhne GmbH"
    assert [e.value for e in bjorn.card.emails] == ["bjorn@example.de"]
    assert contact_named(store, "Chidi Anagonye").card.title == "Professor, Ethics"


def test_the_same_export_again_changes_nothing(store):
    import_contacts(store, MARCH)
    _, summary = import_contacts(store, MARCH)
    assert summary.line() == "0 new, 0 updated, 0 merged, 4 unchanged, 0 unreadable"
    assert summary.backup is None  # nothing to write, nothing backed up


def test_next_months_export_updates_jobs_and_adds_only_the_new_people(store):
    import_contacts(store, MARCH)
    ada_id = contact_named(store, "Ada Lovelace").id
    # what the user added here since stays
    card = store.get_card(ada_id)
    card.set_typed("TEL", [TypedValue("+44 20 7946 0001", ("cell",))])
    store.save_card(ada_id, card)
    networking.set_networking(store, ada_id, met_where="LinkedIn, then the Royal Society")

    plan, summary = import_contacts(store, APRIL)
    assert summary.line() == "1 new, 2 updated, 0 merged, 2 unchanged, 0 unreadable"
    assert store.count() == 5
    ada = store.get_contact(ada_id)
    assert (ada.card.organization, ada.card.title) == ("Babbage & Co", "Chief Programmer")
    assert [p.value for p in ada.card.phones] == ["+44 20 7946 0001"]
    assert ada.met_where == "LinkedIn, then the Royal Society"
    assert [u.value for u in ada.card.urls] == ["https://www.linkedin.com/in/ada-lovelace"]
    assert contact_named(store, "Tahani Al-Jamil").met_on == dt.date(2024, 4, 2)

    by_name = {i.name: i for i in plan.items}
    assert by_name["Ada Lovelace"].match_reason == (
        "same profile linkedin.com/in/ada-lovelace")
    assert by_name["Ada Lovelace"].differences[0] == (
        "Changed job: Programmer at Analytical Engines, Ltd → Chief Programmer at "
        "Babbage & Co — a reason to get in touch")
    assert by_name["Björn Müller"].match_reason == "same email bjorn@example.de"
    assert by_name["Björn Müller"].job_change == (
        'New title at Müller & Söhne GmbH: Head of "Special" Projects → Managing Director')


def test_a_job_change_is_a_follow_up_in_this_weeks_plan(store):
    import_contacts(store, MARCH)
    import_contacts(store, APRIL)
    ada = contact_named(store, "Ada Lovelace")
    assert ada.follow_up == dt.date.today()
    assert ada.follow_up_note.startswith("Changed job: Programmer at Analytical Engines")
    plan = week.load_plan(store, dt.date.today(), remember=False)
    item = next(i for i in plan.items if i.name == "Ada Lovelace")
    assert item.reason == "follow_up"
    assert item.why == ("Follow-up: Changed job: Programmer at Analytical Engines, Ltd → "
                        "Chief Programmer at Babbage & Co")


def test_a_follow_up_the_user_set_is_not_replaced(store):
    import_contacts(store, MARCH)
    ada_id = contact_named(store, "Ada Lovelace").id
    later = dt.date.today() + dt.timedelta(days=20)
    networking.set_networking(store, ada_id, follow_up=later, follow_up_note="her book")
    import_contacts(store, APRIL)
    ada = store.get_contact(ada_id)
    assert (ada.follow_up, ada.follow_up_note) == (later, "her book")
    assert ada.card.title == "Chief Programmer"


def test_contacts_already_here_are_matched_by_email_then_name_with_organisation(store):
    from_phone = make_card("Bjorn Mueller", phones=["+49 151 0000000"],
                           emails=["BJORN@example.de"])
    grace = make_card("Grace Hopper", org="US Navy")
    chidi = make_card("Chidi Anagonye")  # the same name, but no organisation: not firm
    ids = [store.add_contact(c) for c in (from_phone, grace, chidi)]
    plan, summary = import_contacts(store, MARCH)
    by_name = {i.card.display_name: i for i in plan.items}
    assert by_name["Bjorn Mueller"].match_reason == "same email bjorn@example.de"
    assert by_name["Grace Hopper"].match_reason == "same name at US Navy"
    assert summary.line() == "2 new, 2 updated, 0 merged, 0 unchanged, 0 unreadable"
    bjorn = store.get_contact(ids[0])
    assert [p.value for p in bjorn.card.phones] == ["+49 151 0000000"]
    assert bjorn.card.title == 'Head of "Special" Projects'
    assert bjorn.met_on == dt.date(2022, 1, 3)  # how we met was empty: now filled
    assert summary.duplicates_kept == [("Chidi Anagonye", "Chidi Anagonye")]


def test_name_with_organisation_matches_an_older_export_without_urls(store, tmp_path):
    grace = make_card("Grace Hopper", org="US Navy")
    grace_id = store.add_contact(grace)
    old = tmp_path / "Connections.csv"
    old.write_text("First Name,Last Name,Email Address,Company,Position,Connected On\n"
                   "Grace,Hopper,,US Navy,Rear Admiral,28 Feb 2019\n", encoding="utf-8")
    plan, summary = import_contacts(store, old)
    assert plan.items[0].match_reason == "same name at US Navy"
    assert summary.updated == 1
    assert store.get_contact(grace_id).card.title == "Rear Admiral"


def test_recognised_by_content_whatever_the_file_is_called(store, tmp_path):
    renamed = tmp_path / "my network.txt"
    shutil.copy(MARCH, renamed)
    _, summary = import_contacts(store, renamed)
    assert summary.new == 4


def test_a_new_connection_is_a_new_acquaintance_in_the_plan(store, tmp_path):
    today = dt.date.today()
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                    f"Rosa,Parks,https://www.linkedin.com/in/rosa,,MIA,Secretary,"
                    f"{today:%d %b %Y}\n", encoding="utf-8")
    import_contacts(store, path)
    plan = week.load_plan(store, today, remember=False)
    assert [i.reason for i in plan.items if i.name == "Rosa Parks"] == ["new_acquaintance"]


def test_a_namesake_at_the_same_company_with_another_profile_is_someone_else(store, tmp_path):
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    first = tmp_path / "Connections.csv"
    first.write_text(header + "Ana,Silva,https://www.linkedin.com/in/ana-silva-1,,Acme,"
                     "Engineer,12 Mar 2024\n", encoding="utf-8")
    import_contacts(store, first)
    second = tmp_path / "Connections-later.csv"
    second.write_text(header + "Ana,Silva,https://www.linkedin.com/in/ana-silva-1,,Acme,"
                      "Engineer,12 Mar 2024\n" + "Ana,Silva,https://www.linkedin.com/in/"
                      "ana-silva-2,,Acme,Designer,01 Apr 2024\n", encoding="utf-8")
    plan, _ = import_contacts(store, second)
    assert [i.status for i in plan.items] == ["unchanged", "duplicate"]
    assert plan.items[1].match_reason == "same name"  # offered as a probable duplicate
    assert store.count() == 2


def test_next_months_export_applied_after_an_edit_keeps_the_edit(store):
    """The preview of April's export stayed open while Ada's phone was typed in: the job
    change still lands, on her card as it is now."""
    from netbook.data.csv.detect import ContactsReader
    from netbook.data.importing import apply_import, plan_import

    import_contacts(store, MARCH)
    ada_id = contact_named(store, "Ada Lovelace").id
    plan = plan_import(store, [APRIL], reader=ContactsReader())
    card = store.get_card(ada_id)
    card.set_typed("TEL", [TypedValue("+44 20 7946 0001", ("cell",))])
    card.set_text("NOTE", "typed while the preview was open")
    store.save_card(ada_id, card)
    apply_import(store, plan)
    ada = store.get_contact(ada_id)
    assert (ada.card.organization, ada.card.title) == ("Babbage & Co", "Chief Programmer")
    assert [p.value for p in ada.card.phones] == ["+44 20 7946 0001"]
    assert ada.card.note == "typed while the preview was open"


LINKEDIN_HEAD = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _hills(store):
    tom = make_card("Tom Hill", emails=["family@hill.example"], org="Alpha")
    tom.set_text("TITLE", "Engineer")
    tina = make_card("Tina Hill", emails=["family@hill.example"], org="Beta")
    tina.set_text("TITLE", "Doctor")
    return store.add_contact(tom), store.add_contact(tina)


def _tinas_row(tmp_path):
    """Tina's LinkedIn row: the family's address, a new job."""
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN_HEAD + "Tina,Hill,https://www.linkedin.com/in/tina-hill,"
                    "family@hill.example,Gamma Clinic,Surgeon,01 Feb 2024\n", encoding="utf-8")
    return path


def test_a_shared_family_email_updates_the_person_named_not_the_first_one_with_it(
        store, tmp_path):
    tom, tina = _hills(store)
    plan, _ = import_contacts(store, _tinas_row(tmp_path))
    assert [(i.contact_id, i.match_reason) for i in plan.items] == [
        (tina, "same email family@hill.example")]
    assert (store.get_card(tom).organization, store.get_card(tom).title) == ("Alpha",
                                                                            "Engineer")
    assert store.get_contact(tom).follow_up is None  # no false "changed job" for Tom
    assert store.get_card(tina).title == "Surgeon"


def test_an_email_under_another_name_is_only_a_probable_duplicate(store, tmp_path):
    """Tom's card holds the family address; Tina's row is not Tom changing jobs."""
    tom, tina = _hills(store)
    store.delete_contacts([tina])
    plan, _ = import_contacts(store, _tinas_row(tmp_path))
    [item] = plan.items
    assert (item.status, item.decision, item.existing_name) == ("duplicate", "keep",
                                                                 "Tom Hill")
    assert item.match_reason == "same email family@hill.example" and not item.job_change
    assert contact_named(store, "Tina Hill").card.title == "Surgeon"  # kept beside Tom
    card = store.get_card(tom)
    assert (card.organization, card.title, card.urls) == ("Alpha", "Engineer", [])
    assert store.get_contact(tom).follow_up is None


def _awkward_rows(count: int, seed: int) -> list[list[str]]:
    """LinkedIn rows with every kind of awkward cell: no name, quotes, separators,
    backslashes, line breaks, formula starts, several emails, bad and future dates."""
    import random

    rng = random.Random(seed)
    names = ["Ada", "Björn", "Иван", "", "  Kim  ", "李", "A\u200bda", "x;y", "a,b",
             "back\\slash", "tab\there", "quote\"d", "\u202eevil", "'=SUM(A1)", "ǅemal"]
    orgs = ["", "Acme, Inc.", "Foo; Bar", "Back\\slash Ltd", "Line\nBreak Corp", "=cmd|calc",
            "  padded  ", "\x07bell"]
    titles = ["", "Engineer", 'Chief "Everything" Officer', "multi\r\nline", "-minus", "@at",
              "Senior Vice President, Global Strategic Partnerships & Alliances, EMEA",
              "Директор по развитию бизнеса в Восточной Европе"]  # folded past 75 octets
    emails = ["", "", "ada@Example.ORG", "not-an-email", " spaced@example.com ",
              "a@b.c ::: A@B.C ::: d@e.f", " ::: "]
    urls = ["", "https://www.linkedin.com/in/ada", "http://linkedin.com/in/X,1/", " ",
            "https://x.org/a\\\\b", "https://x.org/line\\nbreak"]
    dates = ["12 Mar 2024", "", "31 Feb 2020", "not a date", "March 12, 2024", "5 Dec 2099"]
    rows = []
    for _ in range(count):
        row = [rng.choice(names), rng.choice(names), rng.choice(urls), rng.choice(emails),
               rng.choice(orgs), rng.choice(titles), rng.choice(dates)]
        rows.append(row[:rng.choice([7, 7, 7, 5])])  # some rows short of cells
    return rows


def test_each_row_is_built_straight_into_the_card_the_builder_would_make():
    """LinkedIn's rows skip the general card builder (the 30,000-row bench): whatever a
    cell holds, the card, networking fields and warnings are the builder's, UID aside;
    and the new contact's row worked out from the cells is the one the card makes."""
    from netbook.data.contacts import content_hash, derived_columns, match_keys
    from netbook.data.csv.layout import RowReader
    from netbook.data.csv.linkedin import HEADER, LINKEDIN
    from netbook.data.vcard.writer import card_to_text

    def shown(row):
        if row is None:
            return None
        lines = [(p.name, p.value, p.params, p.group) for p in row.card.properties
                 if p.name != "UID"]
        return lines, row.card.version, row.network, row.warnings

    worked_out = 0
    for header in (list(HEADER), [*HEADER[:2], "Email", "Company", "Position",
                                  "Connected On", "Profile URL"]):
        rows = LINKEDIN.start(header)
        for cells in _awkward_rows(3000, seed=len(header)):
            if len(header) > 7 or header[2] != "URL":
                cells = [*cells[:2], *cells[3:], cells[2]] if len(cells) == 7 else cells
            straight = rows.card(cells)
            assert shown(straight) == shown(RowReader.card(rows, cells)), cells
            if straight is not None:
                assert straight.card.uid
                known, card = straight.known, straight.card
                if known is not None:  # what matching reads of it, as the card's
                    assert known.content_hash() == content_hash(card), cells
                    assert known.match_keys() == match_keys(card), cells
                row = known.row() if known is not None else None
                worked_out += row is not None
                if row is not None:  # its row, as the card's own road makes it
                    assert (known.uid, known.name, row) == (
                        card.uid, card.display_name,
                        (card_to_text(card), derived_columns(card))), cells
    assert worked_out > 3000  # most rows: the awkward ones take the card's road
