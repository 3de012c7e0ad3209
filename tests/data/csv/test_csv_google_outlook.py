"""Google Contacts and Outlook CSV exports, in the layouts and encodings they really come
in: several values in one cell, labels as tags, birthdays without a year, addresses over
several lines, the Windows code page, UTF-16, and dates in the exporting locale's order."""

from __future__ import annotations

from helpers import CSV_SAMPLES, contact_named, import_contacts

from netbook.data.vcard.card import PartialDate

GOOGLE = CSV_SAMPLES / "google_contacts.csv"
LEGACY = CSV_SAMPLES / "google_legacy.csv"
OUTLOOK_DESKTOP = CSV_SAMPLES / "outlook_desktop_cp1252.csv"
OUTLOOK_COM = CSV_SAMPLES / "outlook_com_utf16.csv"


def test_google_current_layout(store):
    plan, summary = import_contacts(store, GOOGLE)
    assert summary.line() == "4 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable"
    assert not plan.warnings
    ada = contact_named(store, "Countess Ada King Lovelace").card
    parts = ada.name_parts
    assert (parts.prefix, parts.given, parts.additional, parts.family) == (
        "Countess", "Ada", "King", "Lovelace")
    assert (ada.organization, ada.department, ada.title) == (
        "Analytical Engines", "Research", "Programmer")
    # "a ::: b" is two emails; "* Home" marks the first one primary
    assert [(e.value, e.types, e.pref) for e in ada.emails] == [
        ("ada@example.org", ("home",), True), ("ada.l@example.org", ("home",), False),
        ("ada@engines.example", ("work",), False)]
    assert [(p.value, p.types) for p in ada.phones] == [
        ("+44 20 7946 0001", ("cell",)), ("+44 20 7946 0002", ("work", "fax"))]
    # labels are tags: myContacts is Google's own, starred becomes a tag
    assert ada.categories == ["Starred", "Friends", "Royal Society"]
    assert ada.birthday == PartialDate(12, 10, 1815)
    assert ada.anniversary == PartialDate(7, 8, 1835)
    [home] = ada.addresses
    assert (home.street, home.locality, home.postal_code, home.country, home.types) == (
        "12 St James's Square\nFlat 2", "London", "SW1Y 4JH", "United Kingdom", ("home",))
    assert ada.note == 'Met at the Royal Society, 1833.\nSays "poetical science".'
    assert [(u.value, u.type_text) for u in ada.urls] == [("https://example.org/ada", "Profile")]
    assert ada.first("PHOTO") is None  # a link to Google's servers: not fetched
    bob = contact_named(store, "Bob Burns").card
    assert bob.birthday == PartialDate(11, 2, None)  # --11-02: no year
    acme = contact_named(store, "Acme Corp").card
    assert acme.addresses[0].street == "1 Acme Way\nSpringfield, IL 62701"  # Formatted only
    assert acme.categories == ["Suppliers"]


def test_google_legacy_layout(store):
    _, summary = import_contacts(store, LEGACY)
    assert summary.new == 2
    grace = contact_named(store, "Grace Hopper").card
    assert (grace.organization, grace.title) == ("US Navy", "Rear Admiral")
    assert [p.value for p in grace.phones] == ["+1 202 555 0106", "+1 202 555 0107"]
    assert grace.categories == ["Navy", "Starred"]  # "* My Contacts" is left out
    assert grace.addresses[0].locality == "Washington"
    assert grace.note == 'Found the moth, "the first bug".'
    assert contact_named(store, "Alan Turing").card.birthday == PartialDate(6, 23, None)


def test_a_google_export_again_a_month_later_only_updates_what_changed(store, tmp_path):
    import_contacts(store, GOOGLE)
    text = GOOGLE.read_text(encoding="utf-8").replace("(555) 010-0199", "(555) 010-0200")
    later = tmp_path / "contacts.csv"
    later.write_text(text, encoding="utf-8")
    _, summary = import_contacts(store, later)
    assert summary.line() == "0 new, 1 updated, 0 merged, 3 unchanged, 0 unreadable"
    bob = contact_named(store, "Bob Burns").card
    assert [p.value for p in bob.phones] == ["(555) 010-0199", "(555) 010-0200"]


def test_outlook_desktop_in_the_windows_code_page_with_day_first_dates(store):
    plan, summary = import_contacts(store, OUTLOOK_DESKTOP)
    assert summary.new == 3
    juergen = contact_named(store, "Dr. Jürgen Müller").card
    assert juergen.name_parts.prefix == "Dr."  # Outlook's "Title" is the honorific
    assert (juergen.organization, juergen.title) == ("Café Größe AG", "Geschäftsführer")
    # 3.4.1970 is read as 3 April: a later row (13.4.1975) shows the file is day first
    assert juergen.birthday == PartialDate(4, 3, 1970)
    assert juergen.anniversary is None  # 0/0/00: no date
    assert juergen.categories == ["Kunden", "VIP"]
    assert juergen.note == 'Kaffee: 5 €, "doppelt".\nRuft montags an.'
    assert [(p.value, p.types) for p in juergen.phones] == [
        ("+49 151 23456710", ("cell",)), ("+49 89 1234567", ("work", "voice"))]
    assert juergen.addresses[0].locality == "München"
    ingrid = contact_named(store, "Ingrid Østergaard").card
    assert [e.value for e in ingrid.emails] == ["ingrid@nordlys.example"]  # no Exchange /o=
    kim = contact_named(store, "Kim Lee").card
    assert kim.birthday is None
    assert kim.addresses[0].street == "7 Elm St\nApt 3"
    assert not plan.warnings


def test_outlook_com_in_utf16_with_month_first_dates(store):
    _, summary = import_contacts(store, OUTLOOK_COM)
    assert summary.new == 3
    sam = contact_named(store, "Sam O'Neil").card
    assert sam.birthday == PartialDate(3, 25, 1980)
    assert (sam.organization, sam.title) == ("Contoso, Ltd.", "Engineer")
    assert contact_named(store, "李 小龙").card.birthday == PartialDate(11, 27, 1940)
    # 4/3/1990 follows the file's order (month first, as 3/25/1980 said): 3 April
    assert contact_named(store, "Ana Souza").card.birthday == PartialDate(4, 3, 1990)


def test_outlook_dates_with_no_row_to_decide_are_month_first(store, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("First Name,Last Name,E-mail Address,Mobile Phone,Birthday\r\n"
                    "Ann,Bee,ann@example.org,,4/3/1990\r\n", encoding="cp1252")
    import_contacts(store, path)
    assert contact_named(store, "Ann Bee").card.birthday == PartialDate(4, 3, 1990)
