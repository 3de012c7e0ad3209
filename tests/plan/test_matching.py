"""Who could help with a need: word forms, stop-words, ranking by work (pure matcher)."""

from __future__ import annotations

import pytest

from netbook.plan.matching import Need as NeedOf
from netbook.plan.matching import (
    Worker,
    best_needer,
    best_worker,
    head_term,
    rank,
    stemmer_language,
    terms,
)


def stems(text: str, language: str = "en") -> list[str]:
    return [t.stem for t in terms(text, language)]


@pytest.mark.parametrize("need, work", [
    ("a web designer", "does web design"),
    ("designers", "design studio"),
    ("investors", "angel investing"),
    ("an accountant", "accounting and tax"),
    ("a photographer", "event photography"),
    ("companies", "company law"),
])
def test_word_forms_match(need, work):
    hit = best_worker(need, [Worker(1, "Mia", does=work)])
    assert hit is not None, (need, work)


def test_unrelated_words_do_not_match():
    assert best_worker("a lawyer", [Worker(1, "Mia", does="web design")]) is None
    assert best_worker("art", [Worker(1, "Mia", does="startup advice")]) is None


def test_stop_words_say_nothing():
    assert stems("I need someone who could help with the") == []
    assert stems("looking for a designer for the new brand") == ["design", "brand"]


def test_the_locale_language_has_its_own_stemmer_and_stop_words():
    assert stemmer_language("de") == "german" and stemmer_language("xx") == "english"
    assert stems("sucht einen Fotografen für die Hochzeit", "de") == \
        stems("Fotograf Hochzeiten", "de")


def test_the_thing_needed_is_the_head_of_the_phrase():
    assert head_term("an intro to a good product designer").word == "designer"
    assert head_term("investors for the seed round").word == "investors"
    assert head_term("ein Designer", "de") is None


def test_ranked_by_what_they_do_then_title_tags_and_organisation():
    need = terms("design")
    people = [Worker(1, "Org Only", organization="Design Ltd"),
              Worker(2, "Tagged", tags=("design",)),
              Worker(3, "Titled", title="Designer"),
              Worker(4, "Doer", does="web design")]
    assert [h.name for h in rank(need, people)] == ["Doer", "Titled", "Tagged", "Org Only"]


def test_an_organisation_named_in_what_they_do_counts_as_the_organisation():
    """"Creative director at Nordlys Design" does no design work: the word is the
    studio's name, so it ranks and reads as a match on the organisation."""
    need = terms("designers")
    people = [Worker(1, "Ingrid", organization="Nordlys Design",
                     does="Creative director at Nordlys Design"),
              Worker(2, "Zed", does="web design"),
              Worker(3, "Ravi", organization="Monsoon Games",
                     does="Game designer at Monsoon Games")]
    hits = rank(need, people)
    assert [(h.name, h.matched_text) for h in hits] == [
        ("Ravi", "does Game designer at Monsoon Games"), ("Zed", "does web design"),
        ("Ingrid", "works at Nordlys Design")]
    assert [h.by_work for h in hits] == [True, True, False]
    director = rank(terms("a creative director"), people)[0]
    assert (director.name, director.matched_text) == (
        "Ingrid", "does Creative director at Nordlys Design")


def test_more_of_the_need_answered_ranks_first_and_says_what_matched():
    need = terms("a web designer for the brand")
    people = [Worker(1, "Brand Person", does="brand strategy"),
              Worker(2, "Mia", does="web design", tags=("design", "family"))]
    hits = rank(need, people)
    assert [h.name for h in hits] == ["Mia", "Brand Person"]
    assert hits[0].matched_text == "does web design"  # the best field for each word


def test_the_thing_needed_beats_a_modifier():
    need = terms("a good product designer")
    head = head_term("a good product designer")
    people = [Worker(1, "Pat Product", title="Product manager"),
              Worker(2, "Uma UX", title="UX designer")]
    assert rank(need, people, head_of=head)[0].name == "Uma UX"


def test_the_same_book_always_ranks_the_same():
    people = [Worker(i, f"P{i % 3}", does="design") for i in range(9)]
    first = [h.contact_id for h in rank(terms("design"), people)]
    assert first == [h.contact_id for h in rank(terms("design"), list(reversed(people)))]


def test_whose_need_a_persons_work_answers():
    mia = Worker(1, "Mia", does="web design")
    needers = [NeedOf("a web designer", (4, 2)), NeedOf("a lawyer", (3,)),
               NeedOf("design", (1,))]
    need, hit = best_needer(mia, needers)
    assert need.id == 4 and hit.matched_text == "does web design"
    assert best_needer(mia, needers, exclude=[4])[0].id == 2
    assert best_needer(mia, [NeedOf("a lawyer", (3,))]) is None
