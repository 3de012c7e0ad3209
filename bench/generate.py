"""Large invented address books for the benchmarks (cached under bench/.cache)."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from netbook.data.contacts import Store
from netbook.data.vcard.card import Card, NameParts, PartialDate, TypedValue

CACHE = Path(__file__).resolve().parent / ".cache"
GIVEN = ["Ana", "Ben", "Chloé", "Daniel", "Elena", "Иван", "Yuki", "María", "James", "Priya",
         "Lars", "Sofia", "Tomás", "Amara", "Wei", "Olivia", "Noah", "Fatima", "Mateo", "Ingrid",
         "Ελένη", "Kofi", "Hannah", "Ravi", "Emma", "Lucas", "Aiko", "Carlos", "Zoë", "Patrick"]
FAMILY = ["Silva", "Okafor", "Dubois", "Müller", "Papadopoulou", "Петров", "Tanaka", "García",
          "Whitfield", "Raman", "Andersen", "Rossi", "Novák", "Diallo", "Zhang", "Brown", "Cohen",
          "Haddad", "Fernández", "Svensson", "Νικολάου", "Mensah", "Schmidt", "Kapoor", "Wilson"]
ORGS = ["Atelier Norte", "Kraftwerk GmbH", "Aegean Ventures", "Sakura Robotics", "Lattice AI",
        "Fjord Capital", "Sahel Solar", "Brown Legal", "Cedar Health", "Polder Energy", ""]
NEEDS = ["a designer", "investors", "a data engineer", "a lawyer", "a recruiter", ""]
DOES = ["product designer", "seed investor", "data engineer", "lawyer", "recruiter", "teacher"]


def _photo(rng: random.Random) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (96, 96), (rng.randrange(256), rng.randrange(256), 90)).save(out, "JPEG")
    return out.getvalue()


def fill(store: Store, contacts: int, interactions: int, seed: int = 1) -> None:
    """Add `contacts` people and `interactions` logged touches, quickly (one transaction)."""
    rng = random.Random(seed)
    photos = [_photo(rng) for _ in range(20)]
    today = dt.date.today()
    with store.db.atomic():
        batch: list[Card] = []
        networking: list[dict] = []
        for i in range(contacts):
            card = Card.new()
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            card.set_text("FN", f"{given} {family} {i}")
            card.set_name_parts(NameParts(family=f"{family} {i}", given=given))
            org = rng.choice(ORGS)
            if org:
                card.set_organization(org)
            card.set_typed("TEL", [TypedValue(f"+1 555 {i // 10000:03d} {i % 10000:04d}",
                                              ("cell",))])
            card.set_typed("EMAIL", [TypedValue(f"person{i}@example.com", ("work",))])
            if i % 3 == 0:
                card.set_date("BDAY", PartialDate(rng.randint(1, 12), rng.randint(1, 28),
                                                  rng.choice([None, 1980, 1990])))
            if i % 10 == 0:
                card.set_photo(rng.choice(photos), "image/jpeg")
            card.set_text("NOTE", f"Met through {org or 'friends'}; likes {rng.choice(DOES)}s")
            batch.append(card)
            rhythm = rng.choice([None, None, 14, 30, 90, 365])
            networking.append({"rhythm_days": rhythm, "needs": rng.choice(NEEDS),
                               "does": rng.choice(DOES)})
            if len(batch) == 1000:
                store.add_cards(batch, networking=networking)
                batch, networking = [], []
        if batch:
            store.add_cards(batch, networking=networking)
        kinds = ["call", "email", "message", "coffee", "meal", "meeting", "event"]
        rows = []
        for _ in range(interactions):
            on = today - dt.timedelta(days=rng.randint(1, 900))
            exchange = rng.choice(["", "", "", "gave", "asked"])
            rows.append((rng.randint(1, contacts), on.isoformat(), rng.choice(kinds),
                         "Talked about the new project", exchange,
                         "advice" if exchange == "gave" else "", dt.datetime.now().isoformat()))
        store.db.execute_sql("PRAGMA foreign_keys = OFF")
        cursor = store.db.cursor()
        cursor.executemany('INSERT INTO interaction (contact_id, "on", kind, note, exchange, '
                           "gift, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        store.db.execute_sql(
            "UPDATE contact SET "
            'last_contacted = (SELECT max("on") FROM interaction i '
            "WHERE i.contact_id = contact.id),"
            " gave_count = (SELECT count(*) FROM interaction i WHERE i.contact_id = contact.id "
            "AND exchange = 'gave'), asked_count = (SELECT count(*) FROM interaction i "
            "WHERE i.contact_id = contact.id AND exchange = 'asked')")
    store.db.execute_sql("PRAGMA foreign_keys = ON")
    store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def cached_book(filename: str, build: Callable[[Store], None]) -> Path:
    """A database file in the bench's cache, built once by `build(store)`: under a
    temporary name first, so a build cut short is never taken for a whole one."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / filename
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        for leftover in CACHE.glob(tmp.name + "*"):
            leftover.unlink()
        with Store.open(tmp) as store:
            build(store)
        tmp.rename(path)
        for leftover in CACHE.glob(tmp.name + "*"):  # its check record: the renamed
            leftover.unlink()                          # file is checked when it is due
    Store.open(path).close()  # a cached file from an older schema migrates here, untimed
    return path


def database(name: str, contacts: int, interactions: int) -> Path:
    """A cached database file with that many contacts and interactions."""
    return cached_book(f"{name}-{contacts}-{interactions}.sqlite3",
                       lambda store: fill(store, contacts, interactions))
