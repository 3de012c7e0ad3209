"""The connector over a real store: who can help, the week's introductions, making one."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import make_card

from netbook.data import networking, operations, relations
from netbook.data.contacts import Store, StoreError
from netbook.data.models import Contact, Interaction
from netbook.plan import connector
from netbook.plan.service import load_plan, plan_to_json

TODAY = dt.date.today()


def person(store: Store, name: str, *, email: bool = True, title: str = "", org: str = "",
           tags=(), **fields) -> int:
    card = make_card(name, emails=[f"{name.split()[0].lower()}@example.org"] if email else [],
                     org=org, tags=tags)
    if title:
        card.set_text("TITLE", title)
    cid = store.add_contact(card)
    if fields:
        networking.set_networking(store, cid, **fields)
    return cid


def test_who_can_help_ranks_by_work_and_says_who_knows_them(store):
    mia = person(store, "Mia Chen", does="web design", org="Studio North")
    ravi = person(store, "Ravi Patel", title="Designer")
    person(store, "Tag Only", tags=["design"])
    operations.relate(store, mia, ravi, "colleague")
    helpers = connector.who_can_help(store, "a web designer")
    assert [h.name for h in helpers] == ["Mia Chen", "Ravi Patel", "Tag Only"]
    assert helpers[0].matched == "does web design"
    assert [(r.name, r.type) for r in helpers[0].known_through] == [("Ravi Patel",
                                                                     "colleague")]
    assert helpers[0].to_json()["known_through"] == [
        {"contact_id": ravi, "name": "Ravi Patel", "type": "colleague"}]


def test_who_can_help_ranks_real_work_before_an_organisations_name(store):
    """The demo's Ingrid "does Creative director at Nordlys Design": "designers" matched
    the studio's name, worded as what she does, and ranked her above Zed, who does web
    design. Nor is the studio's name a reason for the week to introduce her."""
    person(store, "Ingrid Svensson", org="Nordlys Design",
           does="Creative director at Nordlys Design")
    zed = person(store, "Zed Newman", does="web design")
    found = [(h.name, h.matched) for h in connector.who_can_help(store, "designers")]
    assert found == [("Zed Newman", "does web design"),
                     ("Ingrid Svensson", "works at Nordlys Design")]
    person(store, "Omar Haddad", needs="a designer", met_on=TODAY - dt.timedelta(days=2))
    assert items(store)["Omar Haddad"]["introduce"]["name"] == "Zed Newman"
    operations.delete_contacts(store, [zed])
    assert "introduce" not in items(store)["Omar Haddad"]


def test_who_can_help_never_goes_by_what_i_could_offer_them_or_their_needs(store):
    person(store, "Offer Only", offers="web design for their shop")
    person(store, "Needs It", needs="a web designer")
    assert connector.who_can_help(store, "web design") == []


def test_who_can_help_with_only_stop_words_is_refused(store):
    with pytest.raises(StoreError, match="no word to match on"):
        connector.who_can_help(store, "I need someone to help with the")


def test_who_can_help_leaves_out_people_in_the_trash(store):
    mia = person(store, "Mia Chen", does="web design")
    operations.delete_contacts(store, [mia])
    assert connector.who_can_help(store, "web design") == []


def items(store: Store) -> dict[str, dict]:
    return {i["name"]: i for i in plan_to_json(load_plan(store, TODAY, remember=False))["items"]}


def test_a_planned_persons_need_gets_an_introduction(store):
    """Omar is planned (met last week) and needs a web designer; Mia does web design."""
    mia = person(store, "Mia Chen", does="web design")
    omar = person(store, "Omar Haddad", needs="a web designer",
                  met_on=TODAY - dt.timedelta(days=8), met_where="on the flight")
    intro = items(store)["Omar Haddad"]["introduce"]
    assert intro["contact_id"] == mia and intro["name"] == "Mia Chen"
    assert intro["why"] == ("Omar Haddad, met on the flight last week, needs a web "
                            "designer; Mia Chen (web design) could help: introduce them")
    assert omar


def test_an_introduction_reads_naturally_when_does_holds_a_job_title(store):
    """"Lars Andersen does Investor at Fjord Capital" read badly; the title goes in
    brackets after the name instead."""
    lars = person(store, "Lars Andersen", does="Investor at Fjord Capital")
    person(store, "James Whitfield", needs="investors for the seed round",
           follow_up=TODAY, follow_up_note="call back")
    intro = items(store)["James Whitfield"]["introduce"]
    assert intro["contact_id"] == lars
    assert intro["why"] == ("James Whitfield needs investors for the seed round; Lars "
                            "Andersen (Investor at Fjord Capital) could help: introduce them")


def test_a_planned_persons_work_answers_someone_elses_need(store):
    """Mia is planned (a follow-up); Omar, not planned, needs what she does."""
    person(store, "Mia Chen", does="web design", follow_up=TODAY, follow_up_note="call back")
    omar = person(store, "Omar Haddad", needs="a web designer")
    planned = items(store)
    assert "Omar Haddad" not in planned
    intro = planned["Mia Chen"]["introduce"]
    assert intro["contact_id"] == omar
    assert intro["why"] == ("Omar Haddad needs a web designer; Mia Chen (web design) "
                            "could help: introduce them")


def test_no_introduction_for_people_who_know_each_other_or_a_weak_match(store):
    mia = person(store, "Mia Chen", does="web design")
    omar = person(store, "Omar Haddad", needs="a web designer",
                  met_on=TODAY - dt.timedelta(days=2))
    person(store, "Brand Ltd Person", org="Web Brand Ltd")  # the organisation alone
    operations.relate(store, omar, mia, "friend")
    assert "introduce" not in items(store)["Omar Haddad"]


def test_the_give_first_rule_keeps_its_partner(store):
    pia = person(store, "Pia Partner", does="angel investing")
    ola = person(store, "Ola Owed", needs="investors for the seed round")
    networking.log_interaction(store, ola, on=TODAY - dt.timedelta(days=40), kind="call",
                               exchange="asked")
    row = items(store)["Ola Owed"]
    assert row["reason"] == "give_first" and row["introduce"]["contact_id"] == pia


def owed(store: Store, name: str, needs: str) -> int:
    """Someone who asked me once and got nothing back yet: give first."""
    cid = person(store, name, needs=needs)
    networking.log_interaction(store, cid, on=TODAY - dt.timedelta(days=40), kind="call",
                               exchange="asked")
    return cid


def test_give_first_never_introduces_by_what_i_could_offer_them(store):
    """Bob's only field is what *I* could give Bob: he does no web design (issue 13)."""
    person(store, "Bob Stone", offers="intro to a web designer I know")
    owed(store, "Ana Silva", "a web designer")
    row = items(store)["Ana Silva"]
    assert row["reason"] == "give_first"
    assert (row["action"], row["gift"]) == ("Call to offer something", "favour")
    assert "introduce" not in row and "Bob" not in row["why"]
    mia = person(store, "Mia Chen", does="web design")
    row = items(store)["Ana Silva"]
    assert row["action"] == "Introduce Ana Silva to Mia Chen"
    assert row["why"] == ("You've asked once and given nothing — Ana Silva needs a web "
                          "designer, Mia Chen could help (web design): introduce them")
    assert row["introduce"] == {"contact_id": mia, "name": "Mia Chen", "why": (
        "Ana Silva needs a web designer; Mia Chen (web design) could help: introduce them")}


def test_give_first_matches_word_forms_title_and_tags_like_who_can_help(store):
    """One matcher for the week: "DESIGNERS" finds a design studio (the planner's suffix
    rules could not), a title or a tag counts, stop-words alone find nobody."""
    studio = person(store, "Sven Studio", does="design studio")
    owed(store, "Ana Silva", "Looking for DESIGNERS")
    ana = items(store)["Ana Silva"]
    assert ana["action"] == "Introduce Ana Silva to Sven Studio"
    assert ana["introduce"]["contact_id"] == studio
    owed(store, "Otto Owed", "someone who can help with the")
    assert items(store)["Otto Owed"]["action"] == "Call to offer something"
    person(store, "Lea Legal", title="Lawyer")
    owed(store, "Ivan Petrov", "a good lawyer")
    assert items(store)["Ivan Petrov"]["action"] == "Introduce Ivan Petrov to Lea Legal"


def test_give_first_leaves_out_someone_they_know_already(store):
    mia = person(store, "Mia Chen", does="web design")
    ben = person(store, "Ben Okafor", does="web design and branding")
    ana = owed(store, "Ana Silva", "a web designer")
    operations.relate(store, ana, mia, "friend")
    assert items(store)["Ana Silva"]["introduce"]["contact_id"] == ben


def test_introducing_logs_both_and_follows_up_with_the_one_who_needed_it(store):
    mia = person(store, "Mia Chen", does="web design")
    omar = person(store, "Omar Haddad", needs="a web designer")
    assert connector.needer_of(store, mia, omar) == (omar, mia)
    changes = operations.introduce(store, omar, mia, on=TODAY, note="both in Hamburg")
    assert changes.contacts == {mia, omar} and changes.interactions
    logged = {(r.contact_id, r.exchange, r.gift, r.note) for r in Interaction.select()}
    assert logged == {(omar, "gave", "introduction", "Introduced to Mia Chen — both in Hamburg"),
                      (mia, "gave", "introduction", "Introduced to Omar Haddad — both in Hamburg")}
    o = Contact.get_by_id(omar)
    assert (o.follow_up, o.follow_up_note) == (TODAY + dt.timedelta(days=7),
                                               "ask how the intro to Mia Chen went")
    assert Contact.get_by_id(mia).follow_up is None


def test_an_earlier_follow_up_is_kept(store):
    mia = person(store, "Mia Chen", does="web design")
    omar = person(store, "Omar Haddad", follow_up=TODAY + dt.timedelta(days=2),
                  follow_up_note="send the deck")
    operations.introduce(store, omar, mia, on=TODAY)
    o = Contact.get_by_id(omar)
    assert (o.follow_up, o.follow_up_note) == (TODAY + dt.timedelta(days=2), "send the deck")


def test_no_email_no_introduction_and_nothing_logged(store):
    mia = person(store, "Mia Chen", does="web design", email=False)
    omar = person(store, "Omar Haddad", needs="a web designer")
    with pytest.raises(StoreError, match="Mia Chen has no email address"):
        connector.introduction_draft(store, omar, mia)
    with pytest.raises(StoreError, match="Mia Chen has no email address"):
        operations.introduce(store, omar, mia, on=TODAY)
    assert Interaction.select().count() == 0
    assert Contact.get_by_id(omar).follow_up is None


def test_the_draft_goes_to_both_or_first_asks_the_busier_one(store):
    mia = person(store, "Mia Chen", does="web design")
    omar = person(store, "Omar Haddad", needs="a web designer")
    both = connector.introduction_draft(store, omar, mia, note="You are both in Hamburg.")
    assert both.to == ("omar@example.org", "mia@example.org")
    assert both.subject == "Introduction: Omar Haddad ↔ Mia Chen"
    assert "Omar, meet Mia Chen (web design)." in both.body
    assert "You are both in Hamburg." in both.body
    assert both.mailto.startswith("mailto:omar@example.org,mia@example.org?subject=")
    ask = connector.introduction_draft(store, omar, mia, ask_first=True)
    assert ask.to == ("mia@example.org",) and "Would you be open to an introduction" in ask.body
    assert "I thought of you because of what you do (web design)." in ask.body


def test_the_printed_sheet_says_whom_to_introduce(qapp, store, tmp_path):
    from pypdf import PdfReader

    from netbook.plan.sheet import write_pdf

    person(store, "Mia Chen", does="web design")
    person(store, "Omar Haddad", needs="a web designer", met_on=TODAY - dt.timedelta(days=2))
    write_pdf(store, load_plan(store, TODAY, remember=False), tmp_path / "week.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in
                    PdfReader(tmp_path / "week.pdf").pages)
    assert "Introduce: Omar Haddad, met" in text
    assert "needs a web designer; Mia Chen (web design) could help: introduce them" in text


def test_the_demo_week_suggests_introductions_a_person_would_make(store):
    from netbook.data.demo import load_demo

    load_demo(store)
    planned = items(store)
    intros = {name: row["introduce"]["name"] for name, row in planned.items()
              if "introduce" in row}
    assert intros.get("Иван Петров") == "Ben Okafor"  # needs a web designer
    assert intros.get("Fatima Haddad") == "Olivia Brown"  # needs a lawyer
    assert [h.name for h in connector.who_can_help(store, "a photographer")][:1] == [
        "Julia Nowicka"]


def test_an_ask_first_is_an_email_to_the_helper_and_no_gift_yet(store):
    mia = person(store, "Mia Chen", does="web design")
    omar = person(store, "Omar Haddad", needs="a web designer", email=False)
    ask = connector.introduction_draft(store, omar, mia, ask_first=True)
    assert ask.to == ("mia@example.org",)
    operations.ask_to_introduce(store, omar, mia, on=TODAY, note="both in Hamburg")
    logged = [(r.contact_id, r.exchange, r.gift, r.note) for r in Interaction.select()]
    assert logged == [(mia, "", "", "Asked about an introduction to Omar Haddad — both in Hamburg")]
    assert Contact.get_by_id(mia).follow_up_note == "hear back about meeting Omar Haddad"
    # the one who'd help has no email either: the draft and the log refuse alike
    nia = person(store, "Nia Noemail", does="web design", email=False)
    for attempt in (lambda: connector.introduction_draft(store, omar, nia,
                                                         ask_first=True),
                    lambda: operations.ask_to_introduce(store, omar, nia, on=TODAY)):
        with pytest.raises(StoreError, match=r"Nia Noemail has no email address.*the ask"):
            attempt()
    assert Interaction.select().count() == 1


def test_the_weeks_introductions_never_use_what_i_could_offer_either_way(store):
    """"I can offer them" is what *I* could give them, not their work (issue 13): it
    neither answers a planned person's need nor makes a planned person someone's help."""
    person(store, "Bob Stone", offers="web design for their shop")
    omar = person(store, "Omar Haddad", needs="a web designer",
                  met_on=TODAY - dt.timedelta(days=2))
    person(store, "Jim Whitfield", needs="investors for the seed round")
    pia = person(store, "Pia Planned", offers="investors for the seed round",
                 met_on=TODAY - dt.timedelta(days=3))
    planned = items(store)
    assert {planned["Omar Haddad"]["contact_id"], planned["Pia Planned"]["contact_id"]} == {
        omar, pia}
    assert "introduce" not in planned["Omar Haddad"]
    assert "introduce" not in planned["Pia Planned"]
    # what they do, though, matches both ways
    networking.set_networking(store, pia, does="angel investor, seed rounds")
    assert items(store)["Pia Planned"]["introduce"]["name"] == "Jim Whitfield"


def test_cancel_stops_the_network_maps_layout_between_steps(store):
    """The map's progress dialog has Cancel: the layout hears of it at its next step
    instead of running its 120 steps to the end."""
    mia, ravi = person(store, "Mia Chen"), person(store, "Ravi Patel")
    relations.relate(store, mia, ravi, "friend")
    steps: list[int] = []

    class Stop(Exception):
        pass

    def report(step: int, total: int) -> None:
        steps.append(step)
        if step == 3:
            raise Stop

    with pytest.raises(Stop):
        connector.network_map(store, TODAY, report=report)
    assert steps == [0, 1, 2, 3]
    whole = connector.network_map(store, TODAY, report=lambda step, total: None)
    assert {n.contact_id for n in whole.nodes} == {mia, ravi}
