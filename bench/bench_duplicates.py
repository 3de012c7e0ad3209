"""Edit ▸ Find Duplicates over 50,000 contacts named the way people are named.

The shared bench book numbers every family name ("Silva 123"), so no two people share
one and the name comparison never runs; here family names follow a long tail (a few
hundred people share the commonest, most share theirs with a handful), and 1,500 planted
duplicates — one phone written two ways, one email in two cases, "A. Lima" beside "Ana
Lima" at the same firm — give the search groups to find, as a real book has.
Run on its own: `QT_QPA_PLATFORM=offscreen python -m bench.bench_duplicates`.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from bench.generate import cached_book
from netbook.data.contacts import Store
from netbook.data.vcard.card import Card, NameParts, TypedValue

TARGET_MS = 2000.0  # a search the user waits for on purpose, behind a progress dialog
PLANTED = 1500

_ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
           "w", "z", "ch", "sh", "br", "kr", "st", "tr"]
_VOWELS = ["a", "e", "i", "o", "u", "ei", "ou", "ia"]
_ENDS = ["", "n", "r", "s", "l", "k", "th", "m", "ng", "son", "ez", "ov", "ski", "ić"]


def _word(rng: random.Random, syllables: int) -> str:
    text = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
    return (text + rng.choice(_ENDS)).capitalize()


def book(contacts: int = 50_000, seed: int = 5) -> Path:
    """A cached book with a long tail of family names and planted duplicates."""
    def build(store: Store) -> None:
        rng = random.Random(seed)
        given = sorted({_word(rng, rng.choice([1, 2, 2, 3])) for _ in range(900)})
        family = sorted({_word(rng, rng.choice([2, 2, 3])) for _ in range(6000)})
        weights = [1 / (rank + 8) for rank in range(len(family))]  # Zipf-like: a long tail
        orgs = [f"{_word(rng, 2)} {rng.choice(['GmbH', 'Ltd', 'SA', 'Studio', 'Labs'])}"
                for _ in range(3000)]
        people: list[tuple[str, str, str, str, str]] = []  # given, family, org, phone, email
        for i in range(contacts - PLANTED):
            g, f = rng.choice(given), rng.choices(family, weights)[0]
            people.append((g, f, rng.choice(orgs + [""] * 1000),
                           f"+44 20 {i // 10000:04d} {i % 10000:04d}",
                           f"{g.lower()}.{f.lower()}{i}@example.org"))
        for n in range(PLANTED):  # the same person twice, as books do have them
            g, f, org, phone, email = people[rng.randrange(len(people))]
            kind = n % 3
            if kind == 0:  # the same phone, written another way
                people.append((g, f, "", phone.replace("+44 ", "0").replace(" ", "-"), ""))
            elif kind == 1:  # the same email, in capitals
                people.append((g, f, org, "", email.upper()))
            else:  # an initial, at the same firm
                people.append((g[0] + ".", f, org or orgs[n], "", ""))
        rng.shuffle(people)
        with store.db.atomic():
            cards: list[Card] = []
            for g, f, org, phone, email in people:
                card = Card.new()
                card.set_text("FN", f"{g} {f}")
                card.set_name_parts(NameParts(family=f, given=g))
                if org:
                    card.set_organization(org)
                if phone:
                    card.set_typed("TEL", [TypedValue(phone, ("cell",))])
                if email:
                    card.set_typed("EMAIL", [TypedValue(email, ("work",))])
                cards.append(card)
                if len(cards) == 1000:
                    store.add_cards(cards)
                    cards = []
            if cards:
                store.add_cards(cards)
    return cached_book(f"duplicates-{contacts}.sqlite3", build)


def _median_ms(fn, runs: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def bench() -> list[tuple[str, float, float]]:
    from netbook.data.duplicates import find_duplicates
    from netbook.data.models import Contact, ContactKey

    path = book()
    with Store.open(path) as store:
        def read_rows() -> int:  # what the search reads, without comparing anything
            names = list(Contact.select(Contact.id, Contact.display_name, Contact.org_key,
                                        Contact.sort_key)
                         .where(Contact.deleted_at.is_null()).tuples())
            keys = list(ContactKey.select(ContactKey.kind, ContactKey.value,
                                          ContactKey.contact).tuples())
            return len(names) + len(keys)

        anchor, _ = _median_ms(read_rows)
        ms, groups = _median_ms(lambda: find_duplicates(store))
    count = len(groups) if isinstance(groups, list) else 0
    print(f"       reading the rows it compares (names, phones, emails): {anchor:.0f} ms "
          f"(the anchor); {count} groups found of {PLANTED} planted pairs")
    return [("Find Duplicates over 50,000 contacts (median of 3)", ms, TARGET_MS)]


if __name__ == "__main__":
    for label, measured, target in bench():
        print(f"{label}: {measured:.0f} ms (target {target:g} ms)")
