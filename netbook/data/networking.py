"""netbook's own data beside the card: rhythm, how we met, the interaction log, the week's
skips and snoozes.

None of it has a word in vCard, so it lives in columns and tables of its own and travels
in files as X-NETBOOK-* properties (see vcard/netbook_props.py). The block and the
circles' days are settings (settings.py); the plan's queries are in plan_queries.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import chunked, fn

# StoreError and the words of the log and the circles are re-exported for the callers
from .contacts import NotFoundError, Store, as_date
from .contacts import StoreError as StoreError
from .models import CIRCLES as CIRCLES
from .models import EXCHANGES as EXCHANGES
from .models import GIFT_KINDS as GIFT_KINDS
from .models import INTERACTION_KINDS as INTERACTION_KINDS
from .models import Contact, Interaction, WeekSkip
from .settings import circle_days

NETWORK_FIELDS = ("rhythm_days", "circle", "met_on", "met_where", "introduced_by", "does",
                  "needs", "offers", "follow_up", "follow_up_note")


@dataclass(frozen=True)
class InteractionRow:
    id: int
    contact_id: int
    on: dt.date
    kind: str
    note: str
    exchange: str
    gift: str


# -- networking fields ------------------------------------------------------


def resolve_rhythm(store: Store, text: str) -> tuple[int | None, str | None]:
    """"30", "close", "none" → (rhythm_days, circle)."""
    word = text.strip().lower()
    if word in ("none", "", "off"):
        return None, None
    days = circle_days(store)
    if word in days:
        return days[word], word
    try:
        n = int(word)
    except ValueError:
        raise StoreError(f"rhythm “{text}” is not a number of days or one of "
                         f"{', '.join(CIRCLES)}, none") from None
    if n <= 0:
        raise StoreError(f"a rhythm must be at least 1 day (got {n})")
    return n, None


def set_networking(store: Store, contact_id: int, **fields) -> None:
    """Set some of NETWORK_FIELDS (validated as a whole, written together or not at all)."""
    unknown = set(fields) - set(NETWORK_FIELDS)
    if unknown:
        raise StoreError(f"unknown field(s): {', '.join(sorted(unknown))}")
    if fields.get("rhythm_days") is not None and int(fields["rhythm_days"]) <= 0:
        raise StoreError(f"a rhythm must be at least 1 day (got {fields['rhythm_days']})")
    if fields.get("circle") not in (None, *CIRCLES):
        raise StoreError(f"unknown circle “{fields['circle']}”")
    for key in ("met_on", "follow_up"):
        if fields.get(key) is not None and not isinstance(fields[key], dt.date):
            raise StoreError(f"{key} must be a date")
    if fields.get("met_on") and fields["met_on"] > dt.date.today():
        raise StoreError("the date you met can't be in the future")
    introducer = fields.get("introduced_by")
    if introducer is not None:
        if introducer == contact_id:
            raise StoreError("a contact can't have introduced themselves")
        if not store.exists(introducer):
            raise StoreError(f"contact {introducer} (introduced by) does not exist")
    with store.db.atomic():
        store.require_id(contact_id)
        if introducer is not None and (why := introduction_loop(contact_id, introducer)):
            raise StoreError(why)
        values = dict(fields)
        for key in ("met_where", "does", "needs", "offers", "follow_up_note"):
            if key in values and values[key] is None:
                values[key] = ""
        Contact.update(**values, revision=Contact.revision + 1).where(
            Contact.id == contact_id).execute()


def introduction_loop(contact_id: int, introducer: int) -> str:
    """Why `introducer` can't have introduced `contact_id` ("" when they can): the
    introducer was introduced by this contact, or through someone this contact
    introduced — a circle of introductions, where each one came before the next."""
    seen = {introducer}
    step: int | None = introducer
    while True:
        row = Contact.get_or_none(Contact.id == step)
        step = row.introduced_by_id if row is not None else None
        if step is None or step in seen:
            return ""
        if step == contact_id:
            if len(seen) == 1:
                return ("they can't have introduced each other: the other was introduced "
                        "by this contact")
            return ("that would make a circle of introductions: the other was introduced "
                    "through someone this contact introduced")
        seen.add(step)


# -- the interaction log ----------------------------------------------------


def _check_interaction(on: dt.date, kind: str, exchange: str, gift: str) -> None:
    if not isinstance(on, dt.date):
        raise StoreError("an interaction needs a date")
    if on > dt.date.today():
        raise StoreError(f"an interaction can't be dated in the future ({on.isoformat()}); "
                         "for a plan, set a follow-up date instead")
    if kind not in INTERACTION_KINDS:
        raise StoreError(f"unknown kind “{kind}” (one of {', '.join(INTERACTION_KINDS)})")
    if exchange not in EXCHANGES:
        raise StoreError("an interaction is either gave, asked or neither")
    if gift and (exchange != "gave" or gift not in GIFT_KINDS):
        raise StoreError(f"what you gave must be one of {', '.join(GIFT_KINDS)}")


def refresh_summary(store: Store, contact_ids: Iterable[int]) -> None:
    """Recompute last_contacted, gave/asked counts and the last note from the log."""
    for batch in chunked(list(set(contact_ids)), 300):
        rows: dict[int, tuple[dt.date | None, int, int, str]] = {
            cid: (None, 0, 0, "") for cid in batch}
        q = (Interaction.select(Interaction.contact, fn.MAX(Interaction.on),
                                fn.SUM(Interaction.exchange == "gave"),
                                fn.SUM(Interaction.exchange == "asked"))
             .where(Interaction.contact.in_(batch)).group_by(Interaction.contact))
        for cid, last, gave, asked in q.tuples():
            rows[cid] = (as_date(last), int(gave or 0), int(asked or 0), "")
        notes = (Interaction.select(Interaction.contact, Interaction.note)
                 .where(Interaction.contact.in_(batch) & (Interaction.note != ""))
                 .order_by(Interaction.contact, Interaction.on, Interaction.id))
        last_notes = {cid: note for cid, note in notes.tuples()}  # the latest wins
        for cid, (last, gave, asked, _) in rows.items():
            Contact.update(last_contacted=last, gave_count=gave, asked_count=asked,
                           last_note=last_notes.get(cid, "")).where(Contact.id == cid).execute()


def log_interaction(store: Store, contact_id: int, *, on: dt.date, kind: str, note: str = "",
                    exchange: str = "", gift: str = "") -> int:
    """Log a touch; the contact's last-contacted (so its due date) follows at once."""
    _check_interaction(on, kind, exchange, gift)
    with store.db.atomic():
        store.require_id(contact_id)
        row = Interaction.create(contact=contact_id, on=on, kind=kind, note=note,
                                 exchange=exchange, gift=gift)
        refresh_summary(store, [contact_id])
        return row.id


def log_many(store: Store, entries: Iterable[dict]) -> list[int]:
    """Several interactions in one transaction (the paper log-back): all or nothing."""
    entries = list(entries)
    for e in entries:
        _check_interaction(e["on"], e["kind"], e.get("exchange", ""), e.get("gift", ""))
    with store.db.atomic():
        ids = []
        for e in entries:
            store.require_id(e["contact_id"])
            ids.append(Interaction.create(contact=e["contact_id"], on=e["on"], kind=e["kind"],
                                          note=e.get("note", ""),
                                          exchange=e.get("exchange", ""),
                                          gift=e.get("gift", "")).id)
        refresh_summary(store, [e["contact_id"] for e in entries])
        return ids


def update_interaction(store: Store, interaction_id: int, *, on: dt.date, kind: str,
                       note: str = "", exchange: str = "", gift: str = "") -> None:
    _check_interaction(on, kind, exchange, gift)
    with store.db.atomic():
        row = Interaction.get_or_none(Interaction.id == interaction_id)
        if row is None:
            raise StoreError("that interaction no longer exists")
        Interaction.update(on=on, kind=kind, note=note, exchange=exchange, gift=gift).where(
            Interaction.id == interaction_id).execute()
        refresh_summary(store, [row.contact_id])


def delete_interaction(store: Store, interaction_id: int) -> None:
    with store.db.atomic():
        row = Interaction.get_or_none(Interaction.id == interaction_id)
        if row is None:
            return
        row.delete_instance()
        refresh_summary(store, [row.contact_id])


def fill_empty_fields(contact_id: int, fields: dict) -> None:
    """A file's or server's networking fields, only where this contact has none: what
    netbook already knows stays (import and merge; the caller holds the transaction)."""
    if not fields:
        return
    # only those columns, in SQL written once: a whole Contact (card text and all) cost a
    # millisecond a contact, most of re-importing next month's 1,000 job changes, and
    # peewee's SELECT built anew each time most of the rest
    keys = list(fields)
    columns = ", ".join(f'"{getattr(Contact, k).column_name}"' for k in keys)
    row = Contact._meta.database.execute_sql(
        f'SELECT {columns} FROM "contact" WHERE "id" = ?', (contact_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"contact {contact_id} does not exist")
    empty = {k: v for k, v, now in zip(keys, fields.values(), row, strict=True)
             if now in (None, "")}
    if empty:
        Contact.update(**empty).where(Contact.id == contact_id).execute()


def add_missing_interactions(contact_id: int, entries: list[dict]) -> None:
    """Log entries a file or server brings, skipping ones already logged (same day, kind
    and note), so importing a file twice doesn't double the log. The caller refreshes
    the summary and holds the transaction."""
    if not entries:
        return
    have = {(r.on, r.kind, r.note) for r in Interaction.select(
        Interaction.on, Interaction.kind, Interaction.note).where(
        Interaction.contact == contact_id)}
    rows = [(contact_id, e["on"], e["kind"], e["note"], e["exchange"], e["gift"])
            for e in entries if (e["on"], e["kind"], e["note"]) not in have]
    for batch in chunked(rows, 100):
        Interaction.insert_many(batch, fields=[Interaction.contact, Interaction.on,
                                               Interaction.kind, Interaction.note,
                                               Interaction.exchange, Interaction.gift]).execute()


def interactions(store: Store, contact_id: int) -> list[InteractionRow]:
    """Newest first."""
    q = (Interaction.select().where(Interaction.contact == contact_id)
         .order_by(Interaction.on.desc(), Interaction.id.desc()))
    return [InteractionRow(r.id, r.contact_id, as_date(r.on), r.kind, r.note, r.exchange,
                           r.gift) for r in q]


def interactions_for(store: Store, contact_ids: list[int]) -> dict[int, list[InteractionRow]]:
    """Several contacts' logs in one query (export), each newest first."""
    out: dict[int, list[InteractionRow]] = {cid: [] for cid in contact_ids}
    q = (Interaction.select().where(Interaction.contact.in_(contact_ids))
         .order_by(Interaction.contact, Interaction.on.desc(), Interaction.id.desc()))
    for r in q:
        out[r.contact_id].append(InteractionRow(r.id, r.contact_id, as_date(r.on), r.kind,
                                                r.note, r.exchange, r.gift))
    return out


# -- the week ---------------------------------------------------------------


def snooze(store: Store, contact_id: int, until: dt.date | None) -> None:
    with store.db.atomic():
        store.require_id(contact_id)
        Contact.update(snoozed_until=until).where(Contact.id == contact_id).execute()


def skip_week(store: Store, contact_id: int, week_start: dt.date) -> None:
    with store.db.atomic():
        WeekSkip.insert(contact=contact_id, week_start=week_start).on_conflict_ignore().execute()


def is_skipped(store: Store, contact_id: int, week_start: dt.date) -> bool:
    return WeekSkip.select().where((WeekSkip.contact == contact_id)
                                   & (WeekSkip.week_start == week_start)).exists()


def unskip_week(store: Store, contact_id: int, week_start: dt.date) -> None:
    with store.db.atomic():
        WeekSkip.delete().where((WeekSkip.contact == contact_id)
                                & (WeekSkip.week_start == week_start)).execute()
