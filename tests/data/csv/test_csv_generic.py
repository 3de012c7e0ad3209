"""Any other CSV — an event's attendee list — through a column mapping that is remembered
for its header, with everyone tagged with the event and met on its date."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import CSV_SAMPLES, contact_named, import_contacts

from netbook.data.csv.generic import (
    EventStamp,
    MappingError,
    guess_mapping,
    parse_mapping,
    remember_mapping,
    remembered_mapping,
)
from netbook.data.importing import plan_import

ATTENDEES = CSV_SAMPLES / "attendees.csv"
HEADER = ["Attendee", "Mail", "Employer", "Role", "Badge", "Interests"]
MAPPING = "Attendee=name,Mail=email,Employer=company,Role=title,Interests=tags,Badge=ignore"


def test_without_a_mapping_the_file_is_refused_with_how_to_map_it(store):
    from netbook.data.csv.detect import ContactsReader

    plan = plan_import(store, [ATTENDEES], reader=ContactsReader())
    [(path, message)] = plan.file_errors
    assert path == str(ATTENDEES)
    assert "columns: Attendee, Mail, Employer, Role, Badge, Interests" in message
    assert '--map "Attendee=name,Mail=email,Employer=organization,Role=title"' in message
    assert plan.items == []


def test_mapped_attendees_come_in_tagged_and_met_at_the_event(store):
    event = EventStamp(tags=["PyCon 2024"], met_on=dt.date(2024, 5, 17),
                       met_where="PyCon, Pittsburgh")
    _, summary = import_contacts(store, ATTENDEES, mapping=parse_mapping(MAPPING),
                                 event=event)
    assert summary.new == 3
    rosa = contact_named(store, "Rosa Parks")
    assert (rosa.card.organization, rosa.card.title) == (
        "Montgomery Improvement Association", "Secretary")
    assert rosa.card.categories == ["civil rights", "transport", "PyCon 2024"]
    assert (rosa.met_on, rosa.met_where) == (dt.date(2024, 5, 17), "PyCon, Pittsburgh")
    marie = contact_named(store, "Curie, Marie")
    assert (marie.card.name_parts.given, marie.card.name_parts.family) == ("Marie", "Curie")
    assert [e.value for e in marie.card.emails] == ["marie@example.fr"]


def test_an_event_stamp_works_for_any_format(store):
    event = EventStamp(tags=["LinkedIn 2024"])
    import_contacts(store, CSV_SAMPLES / "linkedin_Connections.csv", event=event)
    assert contact_named(store, "Ada Lovelace").card.categories == ["LinkedIn 2024"]


def test_the_mapping_is_remembered_for_files_with_the_same_header(store, tmp_path):
    remember_mapping(store, HEADER, parse_mapping(MAPPING))
    next_event = tmp_path / "attendees-autumn.csv"
    next_event.write_text("attendee,MAIL,Employer,Role,Badge,Interests\n"
                          "Ada Lovelace,ada@example.org,Engines,Programmer,Speaker,\n",
                          encoding="utf-8")
    _, summary = import_contacts(
        store, next_event, remembered=lambda header: remembered_mapping(store, header))
    assert summary.new == 1
    assert contact_named(store, "Ada Lovelace").card.title == "Programmer"
    assert remembered_mapping(store, ["Other", "Columns"]) is None


def test_dates_in_a_mapped_file_follow_the_files_order(store, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,Born,Met\nAnn Bee,4/3/1990,\nCal Dee,25/12/1985,1/2/2024\n",
                    encoding="utf-8")
    import_contacts(store, path, mapping=parse_mapping("Name=name,Born=birthday,Met=met"))
    assert contact_named(store, "Ann Bee").card.birthday.iso() == "1990-03-04"
    assert contact_named(store, "Cal Dee").met_on == dt.date(2024, 2, 1)


@pytest.mark.parametrize(("text", "words"), [
    ("Mail=electronic", "“electronic” is not a field netbook knows"),
    ("Mail", "“Mail” has no =FIELD"),
    ("=email", "say which column"),
])
def test_a_mapping_that_cannot_be_read_says_why(text, words):
    with pytest.raises(MappingError, match=words):
        parse_mapping(text)


def test_a_mapping_that_does_not_fit_the_file_is_a_file_error(store):
    from netbook.data.csv.detect import ContactsReader

    for text, words in (("Name=name", "the column “Name” is not in the file"),
                        ("Badge=note", "names no column for a name, email, phone")):
        reader = ContactsReader(forced="csv", mapping=parse_mapping(text))
        plan = plan_import(store, [ATTENDEES], reader=reader)
        assert [words in m for _, m in plan.file_errors] == [True]


def test_a_column_name_with_a_comma(store, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text('"Name, full",Mail\nAnn Bee,ann@example.org\n', encoding="utf-8")
    mapping = parse_mapping("Name, full=name,Mail=email")
    assert mapping.columns == {"Name, full": "name", "Mail": "email"}
    import_contacts(store, path, mapping=mapping)
    assert contact_named(store, "Ann Bee").card.emails[0].value == "ann@example.org"


def test_guesses_come_from_the_header_words():
    assert guess_mapping(["First name", "Surname", "E-mail", "Company", "Whatever"]).columns \
        == {"First name": "given", "Surname": "family", "E-mail": "email",
            "Company": "organization"}


@pytest.mark.parametrize(("header", "expected"), [
    # Eventbrite's attendee report
    ("Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee Status,"
     "Company,Job Title,Home Address 1,Home Address 2,Home City,Home Zip,Work Phone,"
     "Cell Phone,Email Opt-in,Birth Date",
     {"First Name": "given", "Last Name": "family", "Email": "email",
      "Company": "organization", "Job Title": "title", "Home Address 1": "street",
      "Home City": "city", "Home Zip": "postcode", "Work Phone": "work-phone",
      "Cell Phone": "mobile", "Birth Date": "birthday"}),
    # a sign-up form's export: snake_case
    ("api_id,name,first_name,last_name,email,phone_number,created_at",
     {"name": "name", "first_name": "given", "last_name": "family", "email": "email",
      "phone_number": "phone"}),
    # a German list
    ("Vorname,Nachname,E-Mail-Adresse,Firma,Telefon,Handy,Geburtstag",
     {"Vorname": "given", "Nachname": "family", "E-Mail-Adresse": "email",
      "Firma": "organization", "Telefon": "phone", "Handy": "mobile",
      "Geburtstag": "birthday"}),
    # a field a card holds once is guessed for its first column only
    ("Full Name,Company Name,Event Name,Work Email,Personal email,LinkedIn URL,Employer",
     {"Full Name": "name", "Company Name": "organization", "Work Email": "work-email",
      "Personal email": "home-email", "LinkedIn URL": "url"}),
])
def test_guesses_read_the_words_of_an_event_sites_header(header, expected):
    assert guess_mapping(header.split(",")).columns == expected


def test_what_they_do_need_and_offer_come_from_their_columns(store, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,Work,Looking for,Can help with\n"
                    "Ann Bee,Runs a bakery,A web designer,Sourdough\n", encoding="utf-8")
    import_contacts(store, path, mapping=parse_mapping(
        "Name=name,Work=does,Looking for=needs,Can help with=offers"))
    ann = contact_named(store, "Ann Bee")
    assert (ann.does, ann.needs, ann.offers) == ("Runs a bakery", "A web designer",
                                                 "Sourdough")


def test_the_reader_keeps_the_header_and_first_rows_of_a_csv_it_could_not_map(store):
    from netbook.data.csv.detect import ContactsReader

    reader = ContactsReader()
    plan_import(store, [ATTENDEES, CSV_SAMPLES / "linkedin_Connections.csv"], reader=reader)
    [(name, table)] = reader.tables.items()  # LinkedIn's is a known layout: no table
    assert name == str(ATTENDEES)
    assert (table.header, table.mapping) == (HEADER, None)
    assert [r[0] for r in table.rows] == ["Rosa Parks", "Nikola Tesla", "Curie, Marie"]
    reader = ContactsReader(remembered=lambda header: parse_mapping(MAPPING))
    plan_import(store, [ATTENDEES], reader=reader)
    assert reader.tables[str(ATTENDEES)].mapping == parse_mapping(MAPPING)


def test_an_event_for_one_file_stamps_that_file_only(store):
    from netbook.data.csv.detect import ContactsReader

    linkedin = CSV_SAMPLES / "linkedin_Connections.csv"
    import_contacts(store, ATTENDEES, linkedin, mapping=parse_mapping(MAPPING),
                    events={str(ATTENDEES): EventStamp(tags=["PyCon 2024"])})
    assert "PyCon 2024" in contact_named(store, "Rosa Parks").card.categories
    assert contact_named(store, "Ada Lovelace").card.categories == []
    assert ContactsReader(events={"x": EventStamp()}).events == {}  # empty: no stamp


def test_an_import_remembers_its_mapping_in_its_own_transaction(store):
    from netbook.data.csv.detect import ContactsReader
    from netbook.data.csv.generic import mapping_setting
    from netbook.data.importing import apply_import

    class Stopped(Exception):
        pass

    def stop(done, total):  # what Cancel does while the import is written
        raise Stopped

    plan = plan_import(store, [ATTENDEES],
                       reader=ContactsReader(mapping=parse_mapping(MAPPING)))
    plan.settings.update([mapping_setting(HEADER, parse_mapping(MAPPING))])
    with pytest.raises(Stopped):
        apply_import(store, plan, report=stop)
    assert remembered_mapping(store, HEADER) is None  # rolled back with the contacts
    assert store.count() == 0
    apply_import(store, plan)
    assert remembered_mapping(store, HEADER) == parse_mapping(MAPPING)


def test_a_rows_networking_fields_read_as_they_would_from_x_netbook_lines():
    """A table row's networking texts go beside its card, not into it as X-NETBOOK
    lines: read either way they are the same fields, bad values left out alike."""
    from netbook.data.vcard.card import Card, Property, escape_text
    from netbook.data.vcard.netbook_props import (
        NETWORK_PROPS,
        network_from_texts,
        take_network_data,
    )

    samples = [
        {"met_on": "2024-03-12", "met_where": "Web Summit, Lisbon"},
        {"met_on": "2099-01-01", "met_where": " Lisbon "},  # a meeting in the future
        {"met_on": "--11-02", "does": "game design\r\nand more  "},  # no year: no date
        {"rhythm_days": "14", "circle": "Inner", "needs": "a; b, c\\d"},
        {"rhythm_days": "0", "circle": "bogus", "offers": "   "},
        {"rhythm_days": "abc", "follow_up": "2025-13-01", "follow_up_note": "call\rback"},
    ]
    for texts in samples:
        card = Card.new()
        for key, text in texts.items():
            card.add(Property(NETWORK_PROPS[key], escape_text(text)))
        assert network_from_texts(texts).fields == take_network_data(card).fields, texts
