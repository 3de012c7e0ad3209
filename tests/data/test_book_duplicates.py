"""Duplicates across the whole book: who is probably one person and why, and the merge
that keeps every field, moves the log and can be undone."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import make_card

from netbook.data import networking, operations
from netbook.data.contacts import StoreError
from netbook.data.duplicates import find_duplicates, similar_names
from netbook.data.importing import apply_import, plan_import
from netbook.data.models import Interaction, WeekSkip
from netbook.data.vcard.card import Address
from netbook.data.vcard.writer import card_to_bytes

TODAY = dt.date.today()


def test_the_same_phone_however_written_is_a_duplicate(store):
    a = store.add_contact(make_card("Ana Lima", phones=["+1 555 010 0001"]))
    b = store.add_contact(make_card("Ana L.", phones=["(555) 010-0001"]))
    store.add_contact(make_card("Bob Burns", phones=["+1 555 010 0002"]))
    [group] = find_duplicates(store)
    assert group.ids == [a, b] or set(group.ids) == {a, b}
    assert group.reasons == ("same phone +15550100001",)


def test_the_same_email_ignoring_case_is_a_duplicate(store):
    store.add_contact(make_card("Ana Lima", emails=["Ana@Example.ORG"]))
    store.add_contact(make_card("Ana Maria", emails=["ana@example.org"]))
    [group] = find_duplicates(store)
    assert group.reasons == ("same email ana@example.org",)


def test_similar_names_need_a_shared_organisation_or_email_domain(store):
    a = store.add_contact(make_card("Jon Smith", org="Acme"))
    b = store.add_contact(make_card("John Smith", org="acme"))
    store.add_contact(make_card("Jane Smith", org="Other Co"))
    store.add_contact(make_card("Joan Smith"))  # similar, but nothing shared
    [group] = find_duplicates(store)
    assert set(group.ids) == {a, b}
    assert group.reasons == ("similar names “John Smith” and “Jon Smith”, both at acme",)


def test_a_shared_family_name_alone_is_never_a_duplicate(store):
    store.add_contact(make_card("Alice Smith", org="Acme", emails=["alice@acme.com"]))
    store.add_contact(make_card("Bruno Smith", org="Acme", emails=["bruno@acme.com"]))
    assert find_duplicates(store) == []
    assert not similar_names("Alice Smith", "Bruno Smith")
    assert similar_names("A. Smith", "Alice Smith")


def test_a_shared_company_domain_counts_but_free_mail_does_not(store):
    store.add_contact(make_card("Anna Lima", emails=["anna@bakers.example.com"]))
    store.add_contact(make_card("Ana Lima", emails=["ana.l@bakers.example.com"]))
    store.add_contact(make_card("Ana Lyma", emails=["x@gmail.com"]))
    store.add_contact(make_card("Anna Lyma", emails=["y@gmail.com"]))
    [group] = find_duplicates(store)
    assert group.reasons == (
        "similar names “Anna Lima” and “Ana Lima”, both with an email at "
        "bakers.example.com",) or "bakers.example.com" in group.reasons[0]


def test_json_shape(store):
    a = store.add_contact(make_card("Ana Lima", phones=["+1 555 010 0001"]))
    store.add_contact(make_card("Ana Lima", phones=["+1 555 010 0001"]))
    doc = find_duplicates(store)[0].to_json()
    assert set(doc) == {"contacts", "reasons"}
    assert doc["contacts"][0] == {"contact_id": a, "name": "Ana Lima"}
    assert "same name “Ana Lima”" in doc["reasons"]


def _rich_pair(store):
    one = make_card("Ana Lima", phones=["+1 555 010 0001"], emails=["ana@work.example"],
                    org="Bakers", tags=["clients"], note="Likes sourdough")
    one.set_addresses([Address(street="1 Main St", locality="Springfield", types=("home",))])
    two = make_card("Ana Lima", phones=["(555) 010-0001", "+1 555 010 0009"],
                    emails=["ANA@work.example", "ana@home.example"], tags=["friends", "clients"],
                    note="Met at the bakery fair")
    two.set_addresses([Address(street="9 Work Rd", locality="Springfield", types=("work",))])
    a, b = store.add_contact(one), store.add_contact(two)
    networking.set_networking(store, a, rhythm_days=90, circle="network", needs="an oven")
    networking.set_networking(store, b, rhythm_days=14, circle="inner",
                              met_on=TODAY - dt.timedelta(days=300), needs="a designer",
                              met_where="bakery fair")
    networking.log_interaction(store, b, on=TODAY - dt.timedelta(days=3), kind="call",
                               note="talked ovens")
    c = store.add_contact(make_card("Carl Ortiz"))
    networking.set_networking(store, c, introduced_by=b)
    WeekSkip.create(contact=b, week_start=TODAY)
    return a, b, c


def test_merge_keeps_every_field_once_joins_notes_and_moves_the_log(store):
    a, b, c = _rich_pair(store)
    result = operations.merge_contacts(store, a, [b])
    card = store.get_card(a)
    assert sorted(p.value for p in card.phones) == ["+1 555 010 0001", "+1 555 010 0009"]
    assert sorted(e.value.lower() for e in card.emails) == ["ana@home.example",
                                                            "ana@work.example"]
    assert [ad.street for ad in card.addresses] == ["1 Main St", "9 Work Rd"]
    assert card.categories == ["clients", "friends"]
    assert "Likes sourdough" in card.note and "Met at the bakery fair" in card.note
    assert card.organization == "Bakers"
    record = store.get_contact(a)
    assert (record.rhythm_days, record.circle) == (14, "inner")  # the closer rhythm
    assert record.needs == "an oven; a designer"
    assert record.met_where == "bakery fair"
    assert record.last_contacted == TODAY - dt.timedelta(days=3)
    assert [r.note for r in networking.interactions(store, a)] == ["talked ovens"]
    assert store.get_contact(c).introduced_by == a
    assert WeekSkip.get_or_none(WeekSkip.contact == a) is not None
    assert not store.exists(b)  # in the trash
    assert result.changes.removed == {b}
    choices = {ch.label: (ch.value, ch.source) for ch in result.plan.choices}
    assert choices["Rhythm"] == ("every 14 days (inner circle)", "the closer one")
    assert choices["Needs"] == ("an oven; a designer", "joined")


def test_undo_of_a_merge_puts_both_contacts_back(store):
    a, b, c = _rich_pair(store)
    before_a, before_b = store.get_card(a), store.get_card(b)
    result = operations.merge_contacts(store, a, [b])
    operations.undo_merge(store, result.undo)
    assert store.exists(b)
    assert store.get_card(a).phones == before_a.phones
    assert store.get_card(b).phones == before_b.phones
    assert store.get_contact(a).rhythm_days == 90 and store.get_contact(b).rhythm_days == 14
    assert Interaction.select().where(Interaction.contact == b).count() == 1
    assert Interaction.select().where(Interaction.contact == a).count() == 0
    assert store.get_contact(c).introduced_by == b
    assert [g.ids for g in find_duplicates(store)] != []


def test_undo_of_a_merge_gives_back_the_dormant_rotation_turn(store):
    """Lars came up as a dormant reconnect last week; merged into Ana and split again,
    the rotation still knows it was his turn, not hers."""
    from netbook.data.models import DormantTurn

    ana = store.add_contact(make_card("Ana Lima", phones=["+1 555 010 0001"]))
    lars = store.add_contact(make_card("Lars Lima", phones=["+1 555 010 0001"]))
    last_week = TODAY - dt.timedelta(days=7)
    DormantTurn.create(contact=lars, week_start=last_week)
    result = operations.merge_contacts(store, ana, [lars])
    assert [(t.contact_id, t.week_start) for t in DormantTurn.select()] == [(ana, last_week)]
    operations.undo_merge(store, result.undo)
    assert [(t.contact_id, t.week_start) for t in DormantTurn.select()] == [(lars, last_week)]


def test_a_merge_refuses_itself_and_unknown_contacts(store):
    a = store.add_contact(make_card("Ana Lima"))
    with pytest.raises(StoreError):
        operations.merge_contacts(store, a, [a])
    with pytest.raises(StoreError):
        operations.merge_contacts(store, a, [999])


def test_importing_the_merged_away_card_again_lands_on_the_merged_contact(store, tmp_path):
    one = make_card("Ana Lima", phones=["+1 555 010 0001"])
    two = make_card("Ana Lima", emails=["ana@example.org"])
    path = tmp_path / "phone.vcf"
    path.write_bytes(card_to_bytes(one) + card_to_bytes(two))
    apply_import(store, plan_import(store, [path]))
    a, b = sorted(r.id for r in store.list_rows())
    operations.merge_contacts(store, a, [b])
    plan = plan_import(store, [path])
    assert [i.status for i in plan.items] == ["unchanged", "unchanged"]
    apply_import(store, plan)
    assert store.count() == 1 and not store.exists(b)
    # the other card changed in the file: it merges into the merged contact
    two.set_typed("TEL", [*two.phones, *make_card("x", phones=["+1 555 010 0042"]).phones])
    path.write_bytes(card_to_bytes(two))
    plan = plan_import(store, [path])
    assert [(i.status, i.decision, i.contact_id) for i in plan.items] == [("changed", "merge", a)]
    apply_import(store, plan)
    assert store.count() == 1
    assert "+1 555 010 0042" in [p.value for p in store.get_card(a).phones]


KEPT_APPLE = """BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//macOS 14.0//EN
N:Park;Jo;;;
FN:Jo Park
ORG:Alpha;
TITLE:CTO
BDAY:1980-01-02
X-AIM;type=HOME:jo1
item1.X-ABDATE;type=pref:2010-05-06
item1.X-ABLabel:_$!<Anniversary>!$_
UID:kept-uid
END:VCARD
"""

OTHER_APPLE = """BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//iOS 17.0//EN
N:Park;Jo;;;
FN:Jo Park
TITLE:Founder
BDAY:1981-03-04
NICKNAME:JP
X-AIM;type=WORK:jo2
item2.X-ABDATE:2015-07-08
item2.X-ABLabel:Wedding
item3.X-ABRELATEDNAMES:Sam Park
item3.X-ABLabel:_$!<Spouse>!$_
GEO:geo:52.52,13.40
KEY;ENCODING=b;TYPE=PGP:bWVyZ2UtbWUtcGxlYXNl
TZ:Europe/Berlin
X-SOCIALPROFILE;type=twitter:https://twitter.com/jopark
UID:other-uid
END:VCARD
"""


def test_merging_two_apple_cards_loses_no_line_of_the_other(store):
    """Issue 15: "merge without losing a field". Every line of the card merged away is
    on the kept card, or, where the kept card has its own title and birthday, in the
    note and named in the preview."""
    from netbook.data.vcard.reader import parse_card_text

    a = store.add_contact(parse_card_text(KEPT_APPLE))
    b = store.add_contact(parse_card_text(OTHER_APPLE))
    other = store.get_card(b)
    result = operations.merge_contacts(store, a, [b])
    card = store.get_card(a)
    assert card.title == "CTO" and card.first("BDAY").text == "1980-01-02"  # the kept one's
    lines = {(p.name, p.value) for p in card.properties}
    for name in ("NICKNAME", "GEO", "KEY", "TZ", "X-SOCIALPROFILE"):
        assert (name, other.first(name).value) in lines, name
    assert {p.value for p in card.get("X-AIM")} == {"jo1", "jo2"}
    # Apple's grouped lines come with their own labels, in groups of their own
    groups: dict[str, dict[str, str]] = {}
    for p in card.properties:
        if p.group:
            groups.setdefault(p.group.lower(), {})[p.name] = p.value
    assert sorted(groups.values(), key=str) == sorted([
        {"X-ABDATE": "2010-05-06", "X-ABLABEL": "_$!<Anniversary>!$_"},
        {"X-ABDATE": "2015-07-08", "X-ABLABEL": "Wedding"},
        {"X-ABRELATEDNAMES": "Sam Park", "X-ABLABEL": "_$!<Spouse>!$_"}], key=str)
    # what had no place of its own: in the note, and said in the preview
    assert "From Jo Park's card: Title: Founder; Birthday: 1981-03-04" in card.note
    choices = {c.label: (c.value, c.source) for c in result.plan.choices}
    assert choices["Title"] == ("CTO", "kept; Jo Park's “Founder” goes in the note")
    assert choices["Birthday"] == ("1980-01-02", "kept; Jo Park's “1981-03-04” goes in the note")
    assert card.uid == "kept-uid"


def test_merging_the_same_apple_card_in_twice_adds_nothing(store):
    from netbook.data.duplicates import merge_cards
    from netbook.data.vcard.reader import parse_card_text

    kept, other = parse_card_text(KEPT_APPLE), parse_card_text(OTHER_APPLE)
    once = merge_cards(kept, other)
    twice = merge_cards(once, other)
    assert [(p.group, p.name, p.value) for p in twice.properties] == [
        (p.group, p.name, p.value) for p in once.properties]
