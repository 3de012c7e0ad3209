"""About fifty invented people, so a newcomer sees a living window at once.

Everything is relative to today (the history is "3 weeks ago", not a fixed date) and
generated from a fixed seed, so every demo looks alike and always looks current.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from . import networking, plan_queries, relations, settings
from .changes import Changes
from .contacts import Store
from .models import Contact
from .text import fold
from .vcard.card import Address, Card, NameParts, PartialDate, TypedValue

_DEMO_NAMESPACE = uuid.UUID("5f0c2a52-8d3e-4c59-9a55-6e65746b6f6f")

# (given, family, organization, title, country code, dialling prefix, city, country)
PEOPLE = [
    ("Ana", "Silva", "Atelier Norte", "Founder", "PT", "+351 912 345 6{:02d}", "Lisbon",
     "Portugal"),
    ("Ben", "Okafor", "Studio Okafor", "Product designer", "GB", "+44 7700 900{:03d}", "London",
     "United Kingdom"),
    ("Chloé", "Dubois", "Banque Lumière", "Head of Partnerships", "FR", "+33 6 12 34 56 {:02d}",
     "Paris", "France"),
    ("Daniel", "Müller", "Kraftwerk Software GmbH", "CTO", "DE", "+49 151 2345 67{:02d}",
     "Berlin", "Germany"),
    ("Elena", "Papadopoulou", "Aegean Ventures", "Partner", "GR", "+30 69 1234 56{:02d}",
     "Athens", "Greece"),
    ("Иван", "Петров", "Northwind Logistics", "Operations lead", "DE", "+49 160 555 01{:02d}",
     "Hamburg", "Germany"),
    ("Yuki", "Tanaka", "Sakura Robotics", "Engineering manager", "JP", "+81 90-1234-56{:02d}",
     "Tokyo", "Japan"),
    ("Maria", "García", "Hospital Clínic", "Cardiologist", "ES", "+34 612 345 6{:02d}",
     "Barcelona", "Spain"),
    ("James", "Whitfield", "Whitfield & Co", "Recruiter", "US", "+1 415 555 01{:02d}",
     "San Francisco", "United States"),
    ("Priya", "Raman", "Lattice AI", "Research scientist", "US", "+1 212 555 01{:02d}",
     "New York", "United States"),
    ("Lars", "Andersen", "Fjord Capital", "Investor", "NO", "+47 412 34 5{:02d}", "Oslo", "Norway"),
    ("Sofia", "Rossi", "Rossi Architetti", "Architect", "IT", "+39 333 123 45{:02d}", "Milan",
     "Italy"),
    ("Tomás", "Novák", "Pražská Data", "Data engineer", "CZ", "+420 601 234 5{:02d}", "Prague",
     "Czechia"),
    ("Amara", "Diallo", "Sahel Solar", "CEO", "SN", "+221 77 123 45 {:02d}", "Dakar", "Senegal"),
    ("Wei", "Zhang", "Pearl River Capital", "Analyst", "SG", "+65 8123 45{:02d}", "Singapore",
     "Singapore"),
    ("Olivia", "Brown", "Brown Legal", "Lawyer", "US", "+1 617 555 01{:02d}", "Boston",
     "United States"),
    ("Noah", "Cohen", "Cohen Media", "Journalist", "US", "+1 310 555 01{:02d}", "Los Angeles",
     "United States"),
    ("Fatima", "Haddad", "Cedar Health", "Product manager", "GB", "+44 7700 900{:03d}",
     "Manchester", "United Kingdom"),
    ("Mateo", "Fernández", "Pampa Agro", "Agronomist", "AR", "+54 9 11 2345 67{:02d}",
     "Buenos Aires", "Argentina"),
    ("Ingrid", "Svensson", "Nordlys Design", "Creative director", "SE", "+46 70 123 45 {:02d}",
     "Stockholm", "Sweden"),
    ("Kofi", "Mensah", "Accra Fintech Hub", "Community manager", "GH", "+233 24 123 45{:02d}",
     "Accra", "Ghana"),
    ("Hannah", "Schmidt", "", "Freelance translator", "AT", "+43 664 123 45{:02d}", "Vienna",
     "Austria"),
    ("Ravi", "Kapoor", "Monsoon Games", "Game designer", "IN", "+91 98765 432{:02d}", "Bengaluru",
     "India"),
    ("Emma", "Wilson", "Wilson Bakery", "Owner", "US", "+1 503 555 01{:02d}", "Portland",
     "United States"),
    ("Lucas", "Martin", "Université de Lyon", "Professor", "FR", "+33 6 98 76 54 {:02d}", "Lyon",
     "France"),
    ("Aiko", "Suzuki", "Kyoto Tea House", "Owner", "JP", "+81 80-9876-54{:02d}", "Kyoto", "Japan"),
    ("Carlos", "Mendes", "Brasa Consulting", "Consultant", "BR", "+55 11 91234-56{:02d}",
     "São Paulo", "Brazil"),
    ("Zoë", "van Dijk", "Polder Energy", "Engineer", "NL", "+31 6 1234 56{:02d}", "Rotterdam",
     "Netherlands"),
    ("Patrick", "O'Brien", "Liffey Partners", "Accountant", "IE", "+353 85 123 45{:02d}",
     "Dublin", "Ireland"),
    ("Nadia", "Benali", "Atlas Events", "Event organiser", "MA", "+212 6 12 34 56 {:02d}",
     "Casablanca", "Morocco"),
    ("Sam", "Taylor", "Taylor Coaching", "Executive coach", "AU", "+61 412 345 6{:02d}", "Sydney",
     "Australia"),
    ("Mei", "Lin", "Taipei Chips", "Hardware engineer", "TW", "+886 912 345 6{:02d}", "Taipei",
     "Taiwan"),
    ("Grace", "Kim", "Seoul Bio", "Biologist", "KR", "+82 10-1234-56{:02d}", "Seoul",
     "South Korea"),
    ("Oskar", "Nowak", "Wisła Robotics", "Founder", "PL", "+48 512 345 6{:02d}", "Kraków",
     "Poland"),
    ("Leila", "Ahmadi", "Persepolis Books", "Editor", "DE", "+49 170 555 01{:02d}", "Cologne",
     "Germany"),
    ("David", "Levi", "Negev Water", "Hydrologist", "IL", "+972 52-123-45{:02d}", "Tel Aviv",
     "Israel"),
    ("Julia", "Nowicka", "", "Photographer", "PL", "+48 600 123 4{:02d}", "Warsaw", "Poland"),
    ("Henry", "Adams", "Adams Hardware", "Owner", "US", "+1 202 555 01{:02d}", "Washington",
     "United States"),
    ("Ελένη", "Νικολάου", "Κρήτη Οίνος", "Winemaker", "GR", "+30 69 8765 43{:02d}", "Heraklion",
     "Greece"),
    ("Pierre", "Lefèvre", "Lefèvre Avocats", "Partner", "BE", "+32 470 12 34 {:02d}", "Brussels",
     "Belgium"),
    ("Chen", "Wang", "Shenzhen Makers", "Product lead", "CN", "+86 138 0013 80{:02d}",
     "Shenzhen", "China"),
    ("Isabel", "Costa", "Costa Travel", "Travel agent", "PT", "+351 936 543 2{:02d}", "Porto",
     "Portugal"),
    ("Marek", "Horváth", "Danube Analytics", "Statistician", "HU", "+36 30 123 45{:02d}",
     "Budapest", "Hungary"),
    ("Ruth", "Goldberg", "", "Retired teacher", "US", "+1 718 555 01{:02d}", "Brooklyn",
     "United States"),
    ("Tariq", "Aziz", "Indus Textiles", "Buyer", "PK", "+92 300 123 45{:02d}", "Karachi",
     "Pakistan"),
    ("Freya", "Nielsen", "Copenhagen Cycles", "Founder", "DK", "+45 20 12 34 {:02d}",
     "Copenhagen", "Denmark"),
    ("Omar", "Farouk", "Nile Ventures", "Associate", "EG", "+20 100 123 45{:02d}", "Cairo",
     "Egypt"),
    ("Lena", "Weber", "Weber Werkstatt", "Carpenter", "CH", "+41 79 123 45 {:02d}", "Zürich",
     "Switzerland"),
    ("Kai", "Hoffmann", "Kraftwerk Software GmbH", "Developer", "DE", "+49 151 9876 54{:02d}",
     "Berlin", "Germany"),
    ("Rosa", "Jiménez", "Andes Coffee", "Importer", "CO", "+57 310 123 45{:02d}", "Medellín",
     "Colombia"),
]

TAGS = ["work", "friends", "conference", "investors", "alumni", "design", "family", "clients"]
CIRCLE_CYCLE = ["inner", "close", "close", "network", "network", "network", "acquaintance", None]
NOTES = [
    "Met at the Web Summit dinner, talked about remote teams.",
    "Loves sailing, has two kids, allergic to cats.",
    "Was very helpful when I was hiring last year.",
    "Prefers WhatsApp to email. Don't call before 10:00.",
    "Interested in climate tech, reads a lot of history.",
    "",
]
NEEDS_OFFERS = [
    ("a designer for the new brand", "", "product design and brand work"),
    ("", "an intro to a good product designer", ""),
    ("investors for the seed round", "", ""),
    ("", "", "early-stage investing, seed rounds"),
    ("a data engineer", "", ""),
    ("", "", "data engineering, pipelines"),
]
# what some people do and need, so the week has introductions a person would make: the
# three new acquaintances (5, 17, 30) need what others do, and two others' needs meet work
WORK = {
    1: ("product and web design", "a recruiter for two junior designers"),
    5: ("", "a web designer for the company site"),
    15: ("contract law for startups", ""),
    17: ("", "a lawyer for a health-data contract"),
    23: ("", "an accountant who knows small bakeries"),
    28: ("bookkeeping and tax returns for small firms", ""),
    30: ("", "a photographer for the new website"),
    36: ("portrait and event photography", ""),
}
# who knows whom: (person, other, what the other is to them)
RELATIONS = [(3, 48, "colleague"), (15, 39, "friend"), (36, 21, "friend"), (0, 41, "sibling"),
             (10, 4, "acquaintance"), (22, 1, "met"), (16, 43, "parent"), (9, 12, "met")]
KINDS = ["call", "email", "message", "coffee", "meal", "meeting", "event"]
INTERACTION_NOTES = [
    "Caught up on the new job.", "Talked about her trip to Japan.",
    "Asked about hiring plans, promised to send the deck.", "Quick hello, all good.",
    "Lunch near the office; wants to meet the team.", "Sent the article about remote work.",
    "Discussed the conference talk.", "",
]


def demo_uid(given: str, family: str) -> str:
    """The same UID every time, so a second `netbook demo` knows its people are there."""
    return str(uuid.uuid5(_DEMO_NAMESPACE, f"{given} {family}"))


def load_demo(store: Store, today: dt.date | None = None, seed: int = 7,
              first_weekday: int = 0) -> Changes:
    """Add the demo people (after a backup of what was there, in one transaction), with
    twelve past weeks of the block (`first_weekday` starts the user's week) for the
    streak and the Review view's trend.

    `Changes.added` holds them; it is empty when they are in the database already:
    running the demo twice doesn't double everyone.
    """
    today = today or dt.date.today()
    rng = random.Random(seed)
    circle_days = settings.circle_days(store)
    uids = [demo_uid(given, family) for given, family, *_ in PEOPLE]
    if Contact.select(Contact.id).where(Contact.uid.in_(uids)).exists():  # the trash too
        return Changes()
    if Contact.select().exists():  # something to lose (the trash counts): back it up
        store.backup("before-demo")
    with store.db.atomic():
        ids: list[int] = []
        for i, (given, family, org, title, _country, phone_fmt, city, country) in enumerate(PEOPLE):
            card = Card.new()
            card.set_text("UID", demo_uid(given, family))
            card.set_text("FN", f"{given} {family}")
            card.set_name_parts(NameParts(family=family, given=given))
            if org:
                card.set_organization(org)
            card.set_text("TITLE", title)
            phone = phone_fmt.format(i + 10)
            phones = [TypedValue(phone, ("cell",), pref=True)]
            if i % 4 == 0:
                phones.append(TypedValue(phone_fmt.format(i + 60), ("work",)))
            card.set_typed("TEL", phones)
            # "Müller" → "muller" (as people write addresses), not "mller"
            slug = fold(f"{given}.{family}").replace(" ", "").replace("'", "")
            ascii_slug = slug.encode("ascii", "ignore").decode().strip(".") or f"contact{i}"
            org_word = org.split()[0].lower() if org else "mail"
            domain = (fold(org_word).encode("ascii", "ignore").decode() or "mail") + ".example"
            card.set_typed("EMAIL", [TypedValue(f"{ascii_slug}@{domain}", ("work",))])
            card.set_addresses([Address(street=f"{rng.randint(1, 200)} Main Street",
                                        locality=city, country=country, types=("work",))])
            if i % 3 != 2:
                year = None if i % 5 == 0 else rng.randint(1960, 1998)
                month, day = rng.randint(1, 12), rng.randint(1, 28)
                if i == 3:  # someone with a birthday this very week, whatever day
                    month, day = today.month, today.day  # the week starts on: today
                card.set_date("BDAY", PartialDate(month, day, year))
            card.set_categories(rng.sample(TAGS, k=rng.randint(0, 2)))
            note = NOTES[i % len(NOTES)]
            if note:
                card.set_text("NOTE", note)
            circle = CIRCLE_CYCLE[i % len(CIRCLE_CYCLE)]
            needs, asks, offers = NEEDS_OFFERS[i % len(NEEDS_OFFERS)] if i < 12 else ("", "", "")
            cid = store.add_contact(card)
            ids.append(cid)
            fields: dict = {
                "rhythm_days": circle_days[circle] if circle else None,
                "circle": circle,
                "does": title + (f" at {org}" if org else ""),
                "needs": needs or asks,
                "offers": offers,
            }
            does, need = WORK.get(i, ("", ""))
            fields["does"] = does or fields["does"]
            fields["needs"] = need or fields["needs"]
            if i in (5, 17, 30):
                fields["met_on"] = today - dt.timedelta(days=3 + i % 9)
                fields["met_where"] = ["the Lisbon conference", "Berlin airport",
                                       "the coffee shop on Rua Augusta"][(i // 5) % 3]
            elif i in (2, 9, 21, 26, 33, 40, 44):  # met over the last months
                fields["met_on"] = today - dt.timedelta(days=24 + 23 * (i % 7))
                fields["met_where"] = ["a meetup", "a friend's dinner", "the conference"][i % 3]
            networking.set_networking(store, cid, **fields)
        # how they were introduced, follow-ups and a history of touches
        networking.set_networking(store, ids[1], introduced_by=ids[0])
        for person, other, kind in RELATIONS:
            relations.relate(store, ids[person], ids[other], kind)
        networking.set_networking(store, ids[8], follow_up=today - dt.timedelta(days=2),
                                  follow_up_note="promised an intro to Ana Silva")
        networking.set_networking(store, ids[12], follow_up=today + dt.timedelta(days=3),
                                  follow_up_note="send the conference photos")
        for n, cid in enumerate(ids):
            if n in (5, 17, 30) or n % 11 == 10:
                continue  # new acquaintances and a few never-contacted people
            for _ in range(rng.randint(1, 5)):
                on = today - dt.timedelta(days=rng.randint(5, 400))
                exchange = rng.choice(["", "", "gave", "asked", "asked"])
                networking.log_interaction(
                    store, cid, on=on, kind=rng.choice(KINDS),
                    note=rng.choice(INTERACTION_NOTES), exchange=exchange,
                    gift=rng.choice(networking.GIFT_KINDS) if exchange == "gave" else "",
                )
        _past_blocks(store, ids, today, first_weekday, rng)
    return Changes(added=set(ids), everything=True)


def _past_blocks(store: Store, ids: list[int], today: dt.date, first_weekday: int,
                 rng: random.Random) -> None:
    """Twelve weeks of the block before this one: five people planned each, most weeks
    kept, the last three in a row (a streak of 3), with what was said and given."""
    this_start = today - dt.timedelta(days=(today.weekday() - first_weekday) % 7)
    for k in range(12, 0, -1):
        start = this_start - dt.timedelta(weeks=k)
        planned = rng.sample(ids, 5)
        kept = k <= 3 or rng.random() < 0.55
        reached = planned if kept else planned[:rng.randint(1, 4)]
        for cid in reached:
            exchange = rng.choice(["", "", "gave", "gave", "asked"])
            networking.log_interaction(
                store, cid, on=start + dt.timedelta(days=rng.randint(0, 5)),
                kind=rng.choice(["call", "call", "email", "message", "coffee"]),
                note=rng.choice(INTERACTION_NOTES), exchange=exchange,
                gift=rng.choice(networking.GIFT_KINDS) if exchange == "gave" else "")
        plan_queries.record_week(store, start, planned)
