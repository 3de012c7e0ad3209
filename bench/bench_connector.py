"""Who can help over 50,000 contacts, and the network map at 2,000 people / 5,000 links.

The book is its own (cached under bench/.cache): the shared bench book says one of six
things about everyone's work, which would flatter a matcher that scores each wording
once; here nearly every person's work is worded their own way (a role, a field, a
speciality, a company, tags), as in a real address book.
Run on its own: `QT_QPA_PLATFORM=offscreen python -m bench.bench_connector`.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from bench.generate import cached_book
from netbook.data.contacts import Store
from netbook.data.vcard.card import Card, NameParts

TARGET_WHO_MS = 100.0
TARGET_LAYOUT_MS = 2000.0
TARGET_FRAME_MS = 16.7  # a pan or zoom step at 60 frames a second

ROLES = ["designer", "engineer", "investor", "lawyer", "recruiter", "accountant", "teacher",
         "photographer", "architect", "consultant", "developer", "analyst", "writer",
         "editor", "nurse", "doctor", "chef", "producer", "marketer", "coach", "translator",
         "researcher", "manager", "founder", "carpenter", "pharmacist", "economist"]
FIELDS = ["web", "product", "brand", "data", "cloud", "mobile", "tax", "contract", "health",
          "energy", "food", "travel", "games", "music", "film", "retail", "banking",
          "insurance", "logistics", "education", "fashion", "sports", "robotics", "biotech"]
WORDS = ["for startups", "for small firms", "in Berlin", "in Lisbon", "at scale",
         "for charities", "on weekends", "for families", "across Europe", "remote"]
TAGS = ["work", "friends", "conference", "investors", "alumni", "design", "family", "clients",
        "climbing", "board", "mentors", "press"]
QUERIES = ["a web designer", "investors for the seed round", "a tax accountant",
           "someone who knows contract law", "a photographer for the wedding"]


def book(contacts: int = 50_000, seed: int = 3) -> Path:
    """A cached book whose people describe their work in their own words."""
    def build(store: Store) -> None:
        rng = random.Random(seed)
        with store.db.atomic():
            cards: list[Card] = []
            fields: list[dict] = []
            for i in range(contacts):
                card = Card.new()
                card.set_text("FN", f"Person {i}")
                card.set_name_parts(NameParts(family=f"{i}", given="Person"))
                card.set_organization(f"{rng.choice(FIELDS).title()} {rng.choice(ROLES).title()}s "
                                      f"{i % 997}")
                card.set_text("TITLE", f"{rng.choice(['Senior', 'Lead', 'Junior', ''])} "
                                       f"{rng.choice(ROLES)}".strip())
                card.set_categories(rng.sample(TAGS, k=rng.randint(0, 3)))
                cards.append(card)
                fields.append({"does": f"{rng.choice(FIELDS)} {rng.choice(ROLES)} "
                                       f"{rng.choice(WORDS)}, {rng.choice(FIELDS)} #{i}",
                               "needs": rng.choice(["", "", "", f"a {rng.choice(ROLES)}"])})
                if len(cards) == 1000:
                    store.add_cards(cards, networking=fields)
                    cards, fields = [], []
            if cards:
                store.add_cards(cards, networking=fields)
    return cached_book(f"connector-{contacts}.sqlite3", build)


def who_can_help_ms(path: Path) -> float:
    from netbook.plan.connector import who_can_help

    with Store.open(path) as store:
        for q in QUERIES:  # warm: the stemmer's tables, the pages
            who_can_help(store, q)
        times = []
        for _ in range(3):
            for q in QUERIES:
                start = time.perf_counter()
                who_can_help(store, q)
                times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _graph(people: int = 2000, links: int = 5000, seed: int = 1) -> list[tuple[int, int]]:
    """Clustered like a real network: mostly near neighbours, some long ties."""
    rng = random.Random(seed)
    found: set[tuple[int, int]] = set()
    while len(found) < links:
        a = rng.randrange(people)
        b = (a + rng.choice([1, 2, 3, 5, 8, 13, 40, rng.randrange(people)])) % people
        if a != b:
            found.add((min(a, b), max(a, b)))
    return sorted(found)


def layout_ms() -> float:
    from netbook.plan.layout import spring_layout

    links = _graph()
    times = []
    for seed in range(3):
        start = time.perf_counter()
        spring_layout(2000, links, seed=seed)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def frame_ms() -> float:
    """One pan or zoom step of the 2,000-person map, repainted (median of 40)."""
    from PySide6.QtWidgets import QApplication

    from netbook.plan.connector import MapNode, NetworkMap
    from netbook.plan.layout import spring_layout
    from netbook.ui.network_map import MapView

    app = QApplication.instance() or QApplication([])
    links = _graph()
    points = spring_layout(2000, links)
    circles = [None, "inner", "close", "network", "acquaintance"]
    nodes = tuple(MapNode(i, f"Person {i}", circles[i % 5], i % 7, i % 4 == 0, x, y)
                  for i, (x, y) in enumerate(points))
    view = MapView()
    view.resize(1000, 700)
    view.show_map(NetworkMap(nodes, tuple((a, b, "friend") for a, b in links)))
    view.show()
    app.processEvents()
    times = []
    for step in range(40):
        start = time.perf_counter()
        if step % 2:
            view.zoom(1.1 if step % 4 == 1 else 1 / 1.1)
        else:
            view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 25)
        view.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
    view.close()
    return statistics.median(times)


def bench() -> list[tuple[str, float, float]]:
    return [("who-can-help over 50,000 contacts (median of 15 needs)",
             who_can_help_ms(book()), TARGET_WHO_MS),
            ("network map layout, 2,000 people / 5,000 links", layout_ms(), TARGET_LAYOUT_MS),
            ("network map pan or zoom step, 2,000 people, repainted", frame_ms(),
             TARGET_FRAME_MS)]


if __name__ == "__main__":
    for label, measured, target in bench():
        print(f"{label}: {measured:.1f} ms (target {target:g} ms)")
