"""The contact store as the window and the command line use it: add, edit, find, sort,
filter, trash, and two windows on one file."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import make_card

from netbook.data import networking
from netbook.data.contacts import (
    ConflictError,
    ListQuery,
    NotFoundError,
    Store,
    StoreError,
    content_hash,
)
from netbook.data.vcard.card import TypedValue

TODAY = dt.date.today()


def names(store: Store, **query) -> list[str]:
    return [r.name for r in store.list_rows(ListQuery(**query))]


def found(store: Store, text: str) -> set[str]:
    return set(names(store, search=text))


# -- adding and editing ----------------------------------------------------------


def test_an_added_contact_reads_back_as_typed(store):
    cid = store.add_contact(make_card("Ada Lovelace", phones=["+44 20 7946 0000"],
                                      emails=["ada@example.org"], org="Analytical Engines",
                                      tags=["math", "friends"], note="Poetical science",
                                      birthday="1815-12-10"))
    record = store.get_contact(cid)
    card = record.card
    assert record.name == "Ada Lovelace"
    assert [p.value for p in card.phones] == ["+44 20 7946 0000"]
    assert [e.value for e in card.emails] == ["ada@example.org"]
    assert card.organization == "Analytical Engines"
    assert card.categories == ["math", "friends"]
    assert card.note == "Poetical science"
    assert card.birthday.iso() == "1815-12-10"
    assert card.uid
    assert store.all_tags() == ["friends", "math"]


def test_a_card_without_uid_gets_one(store):
    card = make_card("No Uid")
    card.remove("UID")
    cid = store.add_contact(card)
    assert store.get_card(cid).uid


def test_two_contacts_can_not_share_a_uid(store):
    card = make_card("First")
    store.add_contact(card)
    twin = make_card("Second")
    twin.set_text("UID", card.uid)
    with pytest.raises(StoreError, match="already exists"):
        store.add_contact(twin)
    assert names(store) == ["First"]


def test_many_added_at_once_get_their_own_ids_and_a_shared_uid_is_named(store):
    """Cards added together (an import's thousands) each get the id their card reads
    back under, also after the newest contact went; one whose UID is taken is named."""
    first = store.add_contact(make_card("First"))
    gone = store.add_contact(make_card("Gone"))
    store.delete_contacts([gone])
    store.empty_trash(older_than_days=-1)  # gone for good: its id is free again
    cards = [make_card(name) for name in ("Ada", "Ben", "Cy")]
    with store.db.atomic():
        ids = store.add_cards(cards, imported=True)
    assert len(set(ids)) == 3 and first not in ids
    assert [store.get_card(cid).formatted_name for cid in ids] == ["Ada", "Ben", "Cy"]
    again = [make_card("Dee"), make_card("Eve")]
    again[1].set_text("UID", cards[1].uid)
    with pytest.raises(StoreError, match=f"UID {cards[1].uid} already exists"), \
            store.db.atomic():
        store.add_cards(again)
    assert "Dee" not in names(store)


def test_saving_an_edit_changes_the_list_and_bumps_the_revision(store):
    cid = store.add_contact(make_card("Grace Hopper", org="Navy"))
    rev = store.revision(cid)
    card = store.get_card(cid)
    card.set_organization("Harvard")
    new_rev = store.save_card(cid, card, rev)
    assert new_rev == rev + 1
    assert store.list_rows()[0].organization == "Harvard"
    assert found(store, "harvard") == {"Grace Hopper"}
    assert found(store, "navy") == set()


def test_an_edit_replaces_phones_emails_and_tags_in_the_index(store):
    cid = store.add_contact(make_card("Alan Turing", phones=["555 0101"], emails=["a@x.org"],
                                      tags=["old"]))
    card = store.get_card(cid)
    card.set_typed("TEL", [TypedValue("555 0199", ("cell",))])
    card.set_typed("EMAIL", [TypedValue("alan@y.org", ("home",))])
    card.set_categories(["new"])
    store.save_card(cid, card)
    assert found(store, "0199") == {"Alan Turing"}
    assert found(store, "0101") == set()
    assert found(store, "a@x.org") == set()
    assert store.all_tags() == ["new"]
    assert names(store, filter="tag", tag="old") == []


# -- two windows on one file -----------------------------------------------------


def test_an_edit_from_a_stale_window_is_refused_not_lost(db_path):
    window_a, window_b = Store.open(db_path), Store.open(db_path)
    try:
        cid = window_a.add_contact(make_card("Margaret Hamilton"))
        seen_by_a = window_a.get_contact(cid)
        seen_by_b = window_b.get_contact(cid)

        card_b = seen_by_b.card
        card_b.set_text("TITLE", "Director")
        window_b.save_card(cid, card_b, seen_by_b.revision)

        card_a = seen_by_a.card
        card_a.set_text("NOTE", "Apollo")
        with pytest.raises(ConflictError, match="Margaret Hamilton"):
            window_a.save_card(cid, card_a, seen_by_a.revision)
        kept = window_a.get_card(cid)
        assert kept.title == "Director" and kept.note == ""  # B's edit is still there
    finally:
        window_a.close()
        window_b.close()


def test_two_windows_see_each_others_writes(db_path):
    a, b = Store.open(db_path), Store.open(db_path)
    try:
        first = a.add_contact(make_card("From A"))
        second = b.add_contact(make_card("From B"))
        assert names(a) == names(b) == ["From A", "From B"]
        networking.log_interaction(b, first, on=TODAY, kind="call")
        assert a.get_contact(first).last_contacted == TODAY
        a.delete_contacts([second])
        assert names(b) == ["From A"]
    finally:
        a.close()
        b.close()


def test_a_networking_edit_elsewhere_also_makes_the_window_stale(store):
    cid = store.add_contact(make_card("Stale Window"))
    seen = store.get_contact(cid)
    networking.set_networking(store, cid, needs="a new job")
    with pytest.raises(ConflictError):
        store.save_card(cid, seen.card, seen.revision)


def test_saving_a_contact_that_was_deleted_meanwhile_is_an_error(store):
    cid = store.add_contact(make_card("Gone Soon"))
    seen = store.get_contact(cid)
    store.delete_contacts([cid])
    with pytest.raises(NotFoundError):
        store.save_card(cid, seen.card, seen.revision)


# -- searching -------------------------------------------------------------------


@pytest.fixture
def people(store):
    store.add_contact(make_card("Jürgen Müller", phones=["+1 (555) 010-0123"],
                                emails=["J.Mueller@Example.com"], org="Bäckerei Schmidt",
                                tags=["bakers"], note="Knows 100% of the_secret recipes"))
    store.add_contact(make_card("Иван Петров", phones=["+7 912 345-67-89"]))
    store.add_contact(make_card("Ελένη Νικολάου", org="Κρήτη Οίνος"))
    store.add_contact(make_card("Zoë Ábrego", org="ACME", emails=["zoe@acme.example"]))
    store.add_contact(make_card("François Lefèvre", phones=["+49 151 2345 6710"]))
    store.add_contact(make_card("Plain Person", note="Nothing special here"))
    return store


@pytest.mark.parametrize("query, expected", [
    ("muller", "Jürgen Müller"),
    ("MÜLLER", "Jürgen Müller"),
    ("jurgen", "Jürgen Müller"),
    ("иван", "Иван Петров"),
    ("ИВАН ПЕТРОВ", "Иван Петров"),
    ("петров", "Иван Петров"),
    ("ελενη", "Ελένη Νικολάου"),
    ("ΝΙΚΟΛΑΟΥ", "Ελένη Νικολάου"),
    ("zoe", "Zoë Ábrego"),
    ("abrego zoe", "Zoë Ábrego"),
    ("francois lefevre", "François Lefèvre"),
])
def test_search_ignores_case_and_accents_in_every_script(people, query, expected):
    assert found(people, query) == {expected}


@pytest.mark.parametrize("query", [
    "555 0100", "5550100", "(555) 010-0123", "555-010-0123", "+1 555 010 0123", "0123",
    "+15550100123",
])
def test_phone_digits_match_whatever_the_formatting(people, query):
    assert found(people, query) == {"Jürgen Müller"}


def test_a_national_number_finds_the_international_one(people):
    assert found(people, "0151 2345 6710") == {"François Lefèvre"}
    assert found(people, "912 345 67 89") == {"Иван Петров"}


@pytest.mark.parametrize("query", ["bakers", "j.mueller@example", "EXAMPLE.COM", "backerei",
                                   "schmidt", "secret recipes"])
def test_search_looks_in_tags_emails_organisation_and_notes(people, query):
    assert found(people, query) == {"Jürgen Müller"}


def test_words_of_a_search_may_come_from_different_fields(people):
    assert found(people, "muller bakers") == {"Jürgen Müller"}
    assert found(people, "muller 0123") == {"Jürgen Müller"}
    assert found(people, "muller acme") == set()


@pytest.mark.parametrize("query, expected", [
    ("100%", {"Jürgen Müller"}),
    ("%", {"Jürgen Müller"}),
    ("_", {"Jürgen Müller"}),
    ("the_secret", {"Jürgen Müller"}),
    ("the%secret", set()),
    ("t_e", set()),
    ("\\", set()),
])
def test_like_wildcards_in_a_search_are_literal(people, query, expected):
    assert found(people, query) == expected


def test_an_empty_search_lists_everyone(people):
    assert len(names(people, search="   ")) == 6


def test_a_search_that_finds_nobody_is_an_empty_list(people):
    assert names(people, search="nobody-by-this-name") == []


# -- sorting ---------------------------------------------------------------------


@pytest.fixture
def sortable(store):
    ids = {}
    for name, org, last in [("Carol Cobb", "Beta", 30), ("alice Abbot", "", 5),
                            ("Bob Burns", "alpha", None), ("Dave Dunn", "Gamma", 100)]:
        ids[name] = store.add_contact(make_card(name, org=org))
        if last is not None:
            networking.log_interaction(store, ids[name], on=TODAY - dt.timedelta(days=last),
                                       kind="call")
    return store


def test_sorting_by_name_both_ways_by_family_name_ignoring_case(sortable):
    assert names(sortable) == ["alice Abbot", "Bob Burns", "Carol Cobb", "Dave Dunn"]
    assert names(sortable, descending=True) == ["Dave Dunn", "Carol Cobb", "Bob Burns",
                                                "alice Abbot"]


def test_sorting_by_organisation_puts_those_without_one_last(sortable):
    assert names(sortable, sort="organization") == ["Bob Burns", "Carol Cobb", "Dave Dunn",
                                                    "alice Abbot"]
    assert names(sortable, sort="organization", descending=True) == [
        "Dave Dunn", "Carol Cobb", "Bob Burns", "alice Abbot"]


def test_sorting_by_last_contact_puts_never_contacted_last(sortable):
    assert names(sortable, sort="last_contacted") == ["Dave Dunn", "Carol Cobb", "alice Abbot",
                                                      "Bob Burns"]
    assert names(sortable, sort="last_contacted", descending=True) == [
        "alice Abbot", "Carol Cobb", "Dave Dunn", "Bob Burns"]


def test_list_rows_carry_what_the_list_shows(sortable):
    row = next(r for r in sortable.list_rows() if r.name == "Carol Cobb")
    assert row.organization == "Beta"
    assert row.last_contacted == TODAY - dt.timedelta(days=30)
    assert row.has_photo is False


# -- filters ---------------------------------------------------------------------


@pytest.fixture
def circles(store):
    def add(name, **fields):
        cid = store.add_contact(make_card(name, tags=fields.pop("tags", ())))
        last = fields.pop("last", None)
        if last is not None:
            networking.log_interaction(store, cid, on=TODAY - dt.timedelta(days=last),
                                       kind="call")
        if fields:
            networking.set_networking(store, cid, **fields)
        return cid

    add("Overdue Olga", rhythm_days=30, circle="close", last=45, tags=["work"])
    add("Due Soon Dan", rhythm_days=30, last=27)
    add("Fine Fiona", rhythm_days=90, circle="network", last=10, tags=["work", "golf"])
    add("Follow Up Fred", follow_up=TODAY - dt.timedelta(days=1), last=3)
    add("Later Follow Lisa", follow_up=TODAY + dt.timedelta(days=20), last=3)
    add("Met Recently Mo", met_on=TODAY - dt.timedelta(days=4))
    add("Never Nina")
    return store


def test_filter_overdue(circles):
    assert set(names(circles, filter="overdue")) == {"Follow Up Fred", "Overdue Olga"}


def test_filter_due_now_includes_this_weeks_and_overdue(circles):
    assert set(names(circles, filter="due_now")) == {"Due Soon Dan", "Follow Up Fred",
                                                     "Overdue Olga"}


def test_filter_never_contacted(circles):
    assert set(names(circles, filter="never_contacted")) == {"Met Recently Mo", "Never Nina"}


def test_filter_met_recently(circles):
    assert names(circles, filter="met_recently") == ["Met Recently Mo"]


def test_filter_by_circle_and_by_tag(circles):
    assert names(circles, filter="circle", circle="close") == ["Overdue Olga"]
    assert set(names(circles, filter="tag", tag="work")) == {"Fine Fiona", "Overdue Olga"}
    assert names(circles, filter="tag", tag="golf", search="fiona") == ["Fine Fiona"]


def test_the_filters_count_from_the_later_of_meeting_and_last_contact(store):
    cid = store.add_contact(make_card("Met Again Mia"))
    networking.log_interaction(store, cid, on=TODAY - dt.timedelta(days=200), kind="call")
    networking.set_networking(store, cid, rhythm_days=30, met_on=TODAY - dt.timedelta(days=5))
    assert names(store, filter="overdue") == []  # as the week planner sees it


def test_the_overdue_filter_answers_for_the_day_it_is_given(circles):
    later = TODAY + dt.timedelta(days=10)
    assert "Due Soon Dan" in names(circles, filter="overdue", today=later)


# -- trash -----------------------------------------------------------------------


def test_delete_moves_to_the_trash_and_restore_brings_back(store):
    keep = store.add_contact(make_card("Keep Me", phones=["555 0111"]))
    gone = store.add_contact(make_card("Bin Me", phones=["555 0112"], tags=["temp"]))
    store.delete_contacts([gone])
    assert names(store) == ["Keep Me"]
    assert found(store, "0112") == set()
    assert store.all_tags() == []
    assert [(cid, name) for cid, name, _ in store.trash()] == [(gone, "Bin Me")]
    with pytest.raises(NotFoundError):
        store.get_contact(gone)
    store.restore_contacts([gone])
    assert names(store) == ["Bin Me", "Keep Me"]
    assert store.trash() == []
    assert store.all_tags() == ["temp"]
    assert store.exists(keep)


def test_emptying_the_trash_removes_only_old_deletions_with_their_log(store):
    old = store.add_contact(make_card("Old Bin"))
    recent = store.add_contact(make_card("Recent Bin"))
    networking.log_interaction(store, old, on=TODAY, kind="call")
    store.delete_contacts([old, recent])
    from netbook.data.models import Contact, Interaction

    Contact.update(deleted_at=dt.datetime.now() - dt.timedelta(days=45)).where(
        Contact.id == old).execute()
    assert store.empty_trash(30) == 1
    assert [cid for cid, _, _ in store.trash()] == [recent]
    assert Interaction.select().count() == 0  # the log went with its contact


def test_an_introducer_who_is_purged_leaves_no_dangling_link(store):
    intro = store.add_contact(make_card("Intro Ivy"))
    friend = store.add_contact(make_card("Friend Finn"))
    networking.set_networking(store, friend, introduced_by=intro)
    store.delete_contacts([intro])
    store.empty_trash(older_than_days=-1)
    assert store.get_contact(friend).introduced_by is None


# -- duplicates by key -----------------------------------------------------------


def test_shared_keys_finds_the_same_phone_written_differently(store):
    cid = store.add_contact(make_card("Phone Owner", phones=["+1 (555) 010-0123"]))
    other = make_card("Someone Else", phones=["555.010.0123"])
    shared = store.shared_keys(other)
    assert [(s.contact_id, s.name) for s in shared] == [(cid, "Phone Owner")]
    assert shared[0].value == "+15550100123"


def test_shared_keys_finds_the_same_email_in_other_case(store):
    cid = store.add_contact(make_card("Mail Owner", emails=["Ada@Example.ORG"]))
    assert [s.contact_id for s in store.shared_keys(make_card("X", emails=[" ada@example.org"]))
            ] == [cid]


def test_shared_keys_leaves_out_the_contact_itself_and_the_trash(store):
    cid = store.add_contact(make_card("Me", phones=["555 0100"]))
    assert store.shared_keys(store.get_card(cid), exclude_id=cid) == []
    twin = store.add_contact(make_card("Twin", phones=["555-0100"]))
    assert [s.contact_id for s in store.shared_keys(store.get_card(cid), exclude_id=cid)] == [
        twin]
    store.delete_contacts([twin])
    assert store.shared_keys(store.get_card(cid), exclude_id=cid) == []


def test_a_card_without_phone_or_email_shares_nothing(store):
    store.add_contact(make_card("Someone", phones=["555 0100"]))
    assert store.shared_keys(make_card("Nobody")) == []


# -- finding one contact from a command line -------------------------------------


def test_resolve_by_id_uid_or_unique_text(store):
    ana = store.add_contact(make_card("Ana Silva", emails=["ana@norte.example"]))
    store.add_contact(make_card("Ana Silvana"))
    assert store.resolve(str(ana)) == ana
    assert store.resolve(store.get_card(ana).uid) == ana
    assert store.resolve("ana silva") == ana  # the exact name wins over a longer one
    assert store.resolve("norte") == ana


def test_resolve_text_that_finds_several_lists_them(store):
    ids = [store.add_contact(make_card(f"Sam Taylor {n}")) for n in range(3)]
    with pytest.raises(StoreError) as err:
        store.resolve("taylor")
    message = str(err.value)
    assert "3 contacts" in message
    for cid in ids:
        assert f"{cid}: Sam Taylor" in message


def test_resolve_text_that_finds_nobody(store):
    with pytest.raises(NotFoundError, match="no contact matches"):
        store.resolve("Nobody Here")


def test_resolve_skips_the_trash(store):
    cid = store.add_contact(make_card("Trashed Tom"))
    store.delete_contacts([cid])
    with pytest.raises(NotFoundError):
        store.resolve(str(cid))
    with pytest.raises(NotFoundError):
        store.resolve("Trashed Tom")


def test_an_id_is_an_id_and_never_a_search(store):
    """A script passes ids: the id of a contact in the trash, or one that never was, must
    not find whoever has those digits in a phone number or an address."""
    gone = store.add_contact(make_card("Lars Berg"))
    card = make_card("Mei Lin", phones=[f"+1 555 010 {gone:04d}"])
    card.set_text("NOTE", f"Flat {gone}")
    mei = store.add_contact(card)
    rosa = store.add_contact(make_card("Rosa Jimenez", phones=["+34 600 00 4559"]))
    store.delete_contacts([gone])
    with pytest.raises(NotFoundError, match=f"contact {gone} \\(Lars Berg\\) is in the trash"):
        store.resolve(str(gone))
    with pytest.raises(NotFoundError, match="no contact with id 4559"):
        store.resolve("4559")
    assert store.resolve("+34 600 00 4559") == rosa  # a phone number, written as one
    assert store.resolve(str(mei)) == mei


def test_a_merged_away_id_says_where_it_went(store):
    from netbook.data import operations

    keep = store.add_contact(make_card("Lars Berg", emails=["lars@example.org"]))
    other = store.add_contact(make_card("Lars Berg", phones=["+47 900 00 011"]))
    operations.merge_contacts(store, keep, [other])
    with pytest.raises(NotFoundError, match=f"merged into {keep} \\(Lars Berg\\)"):
        store.resolve(str(other))


# -- what people type, kept exactly ----------------------------------------------

ODD_TEXT = [
    "<b>Bold</b> & <script>alert('x')</script>",
    "bell\x07 escape\x1b nul\x00 end",
    "right-to-left \u202egnp.exe and \u2067isolate\u2069",
    "tab\there\x0cform\x0bvertical\x1cfs\x85nel\u2028line\u2029para",
    "semi;colon,comma\\back:colon",
    "two\nlines",
    "emoji 👩‍👩‍👧 😀 and combining e\u0301",
    "  spaces around  ",
    "BEGIN:VCARD",
    "x\nEND:VCARD\nBEGIN:VCARD",
    "long " + "ω" * 100_000,
]


@pytest.mark.parametrize("text", ODD_TEXT, ids=range(len(ODD_TEXT)))
def test_odd_text_in_card_fields_is_stored_exactly(store, text):
    card = make_card("Odd Text", note=text, org=text)
    card.set_text("TITLE", text)
    cid = store.add_contact(card)
    back = store.get_card(cid)
    assert back.note == text
    assert back.title == text
    assert back.organization == text.strip()  # ORG components are trimmed when read


@pytest.mark.parametrize("text", ODD_TEXT, ids=range(len(ODD_TEXT)))
def test_odd_text_in_networking_fields_is_stored_exactly(store, text):
    cid = store.add_contact(make_card("Odd Net"))
    networking.set_networking(store, cid, does=text, needs=text, offers=text, met_where=text,
                              follow_up_note=text)
    networking.log_interaction(store, cid, on=TODAY, kind="call", note=text)
    record = store.get_contact(cid)
    assert (record.does, record.needs, record.offers, record.met_where,
            record.follow_up_note) == (text,) * 5
    assert networking.interactions(store, cid)[0].note == text


def test_an_odd_name_stays_on_one_line_in_the_list(store):
    store.add_contact(make_card("Evil\nName\tWith\x0bBreaks"))
    [row] = store.list_rows()
    assert row.name == "Evil Name With Breaks"


# -- content hash ----------------------------------------------------------------


def test_the_content_hash_ignores_order_uid_and_networking_lines(store):
    a = make_card("Hash Me", phones=["555 0100"], emails=["h@x.org"])
    b = a.copy()
    b.properties.reverse()
    b.set_text("UID", "another")
    from netbook.data.vcard.card import Property

    b.add(Property("X-NETBOOK-RHYTHM", "30"))
    assert content_hash(a) == content_hash(b)
    b.set_text("NOTE", "now different")
    assert content_hash(a) != content_hash(b)


def test_a_plain_cards_columns_are_those_of_the_general_reading():
    """A card of a name, a job, emails and web addresses (a LinkedIn connection's) is
    indexed in one pass over its lines: whatever its values hold (escapes, several
    organisation parts, bidi marks, spaces), the columns are the general reading's —
    which an extra line of no column (X-TEST) makes the card take."""
    import random

    from netbook.data.contacts import content_hash, derived_columns
    from netbook.data.vcard.card import Card, Property

    rng = random.Random(16)
    texts = ["Ada", "  Björn  Müller ", "Иван", "x\\;y", "a\\,b", "back\\\\slash", "line\\nbreak",
             "\u202eevil", "A\u200bda", "李", "", " ", "Dr.", "ÉMILIE", "tab\tbed"]
    for _ in range(3000):
        card = Card.new()
        add = card.properties.append
        if rng.random() < 0.95:
            add(Property("FN", rng.choice(texts) + rng.choice(["", " Lovelace"])))
        if rng.random() < 0.9:
            add(Property("N", ";".join(rng.choice(texts) for _ in range(rng.choice([1, 2, 5])))))
        if rng.random() < 0.8:
            add(Property("ORG", ";".join(rng.choice(texts) for _ in range(rng.choice([1, 1, 3])))))
        if rng.random() < 0.7:
            add(Property("TITLE", rng.choice(texts)))
        for i in range(rng.choice([0, 0, 1, 2])):
            add(Property("EMAIL", rng.choice([f"Ada{i}@Example.org ", " ", "no-at", "x@y\\,z"])))
        for i in range(rng.choice([0, 1, 1, 2])):
            group = rng.choice(["", f"item{i + 1}"])
            add(Property("URL", rng.choice(["https://www.linkedin.com/in/ada", "http\\://x.org",
                                            " https://a.b/c?d=e,f "]), [], group))
            if group:
                add(Property("X-ABLABEL", "LinkedIn", [], group))
        general = Card(card.version, [*card.properties, Property("X-TEST", "1")])
        known = content_hash(card)
        assert derived_columns(card) == derived_columns(general, known_hash=known), card
        assert derived_columns(card)["content_hash"] == known
