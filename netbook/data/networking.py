"""netbook's own data beside the card: rhythm, how we met, the interaction log, the block.

None of it has a word in vCard, so it lives in columns and tables of its own and travels
in files as X-NETBOOK-* properties (see vcard/netbook_props.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import chunked, fn

from .contacts import LAST_TOUCH_SQL, Store, StoreError, as_date
from .models import Contact, Interaction, Setting, WeekSkip, WeekSnapshot
from .text import like_pattern

# The words the planner speaks too (netbook.planner); kept here because data/ never
# imports the layers above it.
INTERACTION_KINDS = ("call", "email", "message", "coffee", "meal", "meeting", "event")
GIFT_KINDS = ("introduction", "referral", "advice", "event", "article", "favour")
EXCHANGES = ("gave", "asked", "")
DEFAULT_CIRCLE_DAYS = {"inner": 14, "close": 30, "network": 90, "acquaintance": 365}
CIRCLES = tuple(DEFAULT_CIRCLE_DAYS)
DEFAULT_BLOCK = {
    "weekday": 4,
    "start": "08:00",
    "minutes": 60,
    "touch_minutes": {"call": 15, "email": 5, "message": 5, "coffee": 45, "meal": 60,
                      "meeting": 30, "event": 90},
}
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
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


# -- settings ---------------------------------------------------------------


def get_setting(store: Store, key: str, default=None):
    row = Setting.get_or_none(Setting.key == key)
    return json.loads(row.value) if row else default


def set_setting(store: Store, key: str, value) -> None:
    with store.db.atomic():
        Setting.replace(key=key, value=json.dumps(value)).execute()


def circle_days(store: Store) -> dict[str, int]:
    saved = get_setting(store, "circle_days", {})
    return {c: int(saved.get(c, d)) for c, d in DEFAULT_CIRCLE_DAYS.items()}


def set_circle_days(store: Store, days: dict[str, int]) -> None:
    for circle, n in days.items():
        if circle not in DEFAULT_CIRCLE_DAYS:
            raise StoreError(f"unknown circle “{circle}” (one of {', '.join(CIRCLES)})")
        if int(n) <= 0:
            raise StoreError(f"a circle's rhythm must be at least 1 day (got {n})")
    merged = circle_days(store) | {c: int(n) for c, n in days.items()}
    with store.db.atomic():
        set_setting(store, "circle_days", merged)
        for circle, n in merged.items():
            Contact.update(rhythm_days=n).where(Contact.circle == circle).execute()


def block_settings(store: Store) -> dict:
    saved = get_setting(store, "block", {})
    block = {**DEFAULT_BLOCK, **{k: v for k, v in saved.items() if k in DEFAULT_BLOCK}}
    block["touch_minutes"] = {**DEFAULT_BLOCK["touch_minutes"], **saved.get("touch_minutes", {})}
    return block


def parse_weekday(text: str) -> int:
    """"friday", "fri", "fr" → 4: a full name or any unambiguous start of one."""
    word = text.strip().lower()
    matches = [i for i, name in enumerate(WEEKDAY_NAMES)
               if len(word) >= 2 and name.startswith(word)]
    if len(matches) != 1:
        raise StoreError(f"“{text}” is not a day of the week (monday … sunday, or mon … sun)")
    return matches[0]


def parse_hhmm(text: str) -> str:
    try:
        t = dt.datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise StoreError(f"“{text}” is not a time of day (HH:MM, e.g. 08:00)") from None
    return t.strftime("%H:%M")


def set_block(store: Store, *, weekday: int | None = None, start: str | None = None,
              minutes: int | None = None, touch_minutes: dict[str, int] | None = None) -> dict:
    block = block_settings(store)
    if weekday is not None:
        if not 0 <= int(weekday) <= 6:
            raise StoreError("the block's day must be Monday … Sunday")
        block["weekday"] = int(weekday)
    if start is not None:
        block["start"] = parse_hhmm(start)
    if minutes is not None:
        if int(minutes) <= 0:
            raise StoreError("the block needs at least 1 minute (it was given "
                             f"{minutes}); to pause it, snooze people instead")
        if int(minutes) > 24 * 60:
            raise StoreError("the block can't be longer than a day")
        block["minutes"] = int(minutes)
    if touch_minutes:
        for kind, n in touch_minutes.items():
            if kind not in INTERACTION_KINDS:
                raise StoreError(f"unknown kind of touch “{kind}”")
            if int(n) <= 0:
                raise StoreError(f"a {kind} must take at least 1 minute")
        block["touch_minutes"] = {**block["touch_minutes"],
                                  **{k: int(v) for k, v in touch_minutes.items()}}
    set_setting(store, "block", block)
    return block


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
        store._live(contact_id)
        values = {("introduced_by" if k == "introduced_by" else k): v for k, v in fields.items()}
        for key in ("met_where", "does", "needs", "offers", "follow_up_note"):
            if key in values and values[key] is None:
                values[key] = ""
        Contact.update(**values, revision=Contact.revision + 1).where(
            Contact.id == contact_id).execute()


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
        rows = {cid: (None, 0, 0, "") for cid in batch}
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
        store._live(contact_id)
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
            store._live(e["contact_id"])
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
    contact = Contact.get_by_id(contact_id)
    empty = {k: v for k, v in fields.items() if getattr(contact, k) in (None, "")}
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
        store._live(contact_id)
        Contact.update(snoozed_until=until).where(Contact.id == contact_id).execute()


def skip_week(store: Store, contact_id: int, week_start: dt.date) -> None:
    with store.db.atomic():
        WeekSkip.insert(contact=contact_id, week_start=week_start).on_conflict_ignore().execute()


def unskip_week(store: Store, contact_id: int, week_start: dt.date) -> None:
    with store.db.atomic():
        WeekSkip.delete().where((WeekSkip.contact == contact_id)
                                & (WeekSkip.week_start == week_start)).execute()


PLAN_COLUMNS = ("id", "name", "organization", "phone", "email", "rhythm_days", "circle",
                "last_contacted", "created", "birthday", "met_on", "met_where", "does",
                "needs", "offers", "follow_up", "follow_up_note", "snoozed_until",
                "gave_count", "asked_count", "last_note")
_PLAN_SELECT = (
    "SELECT id, display_name, organization, best_phone, best_email, rhythm_days, circle, "
    "last_contacted, date(created_at), birthday, met_on, met_where, does, needs, offers, "
    "follow_up, follow_up_note, snoozed_until, gave_count, asked_count, last_note "
    # "+deleted_at": keep SQLite on each rule's own index (migration 0004), not this one
    "FROM contact WHERE +deleted_at IS NULL"
)
# the last touch the planner counts from: the later of last contact and meeting, else added
_LAST_TOUCH = LAST_TOUCH_SQL


def _birthday_keys(week_start: dt.date, week_end: dt.date) -> list[str]:
    keys = []
    day = week_start
    while day <= week_end:
        keys.append(day.strftime("%m-%d"))
        if day.month == 2 and day.day == 28 and (day + dt.timedelta(days=1)).month == 3:
            keys.append("02-29")  # 29 Feb birthdays fall on 28 Feb in other years
        day += dt.timedelta(days=1)
    return keys


def plan_candidates(store: Store, week_start: dt.date, week_end: dt.date,
                    block_date: dt.date, recent_days: int = 14, cap: int = 300) -> list[dict]:
    """Contacts the planner's first five rules could pick this week.

    Filtering in SQL keeps the plan fast at 50,000 contacts. Follow-ups, birthdays, people
    touched this week and new acquaintances come whole (few); the overdue and the people
    you owe come capped, each in the planner's own order (most overdue relative to their
    rhythm; most out of balance), which is more than any week's block can hold.
    """
    ws, we, bd = week_start.isoformat(), week_end.isoformat(), block_date.isoformat()
    keys = _birthday_keys(week_start, week_end)
    met_from = min(block_date - dt.timedelta(days=recent_days), week_start).isoformat()
    # one query per rule, each answered by its own index (migration 0004)
    queries = [
        (f"{_PLAN_SELECT} AND follow_up IS NOT NULL AND follow_up <= ?", [we]),
        (f"{_PLAN_SELECT} AND birthday IS NOT NULL "
         f"AND substr(birthday, -5) IN ({', '.join('?' * len(keys))})", keys),
        (f"{_PLAN_SELECT} AND last_contacted >= ?", [ws]),
        (f"{_PLAN_SELECT} AND met_on IS NOT NULL AND met_on >= ?", [met_from]),
        (f"{_PLAN_SELECT} AND rhythm_days > 0 "
         f"AND date({_LAST_TOUCH}, '+' || rhythm_days || ' days') <= ? "
         f"ORDER BY (julianday(?) - julianday({_LAST_TOUCH})) / rhythm_days DESC, id LIMIT ?",
         [we, bd, cap]),
        (f"{_PLAN_SELECT} AND asked_count > gave_count "
         "ORDER BY gave_count - asked_count, id LIMIT ?", [cap]),
    ]
    rows: dict[int, dict] = {}
    for sql, params in queries:
        for row in _plan_rows(store, sql, params, week_start, week_end):
            rows.setdefault(row["id"], row)
    return list(rows.values())


def partner_rows(store: Store, words: Iterable[str], exclude: set[int], week_start: dt.date,
                 week_end: dt.date, per_word: int = 20) -> list[dict]:
    """People whose work or offers mention one of `words`: who could answer a need.

    A few per word, lowest ids first as the planner prefers them, work before offers.
    """
    out: dict[int, dict] = {}
    for word in sorted(set(words))[:40]:
        sql = (f"{_PLAN_SELECT} AND (does LIKE ? ESCAPE '\\' OR offers LIKE ? ESCAPE '\\') "
               "ORDER BY id LIMIT ?")
        pattern = like_pattern(word)
        for row in _plan_rows(store, sql, [pattern, pattern, per_word], week_start, week_end):
            if row["id"] not in exclude:
                out.setdefault(row["id"], row)
    return list(out.values())


def dormant_ids(store: Store, week_start: dt.date, week_end: dt.date, block_date: dt.date,
                after_days: int) -> list[int]:
    """Ids (sorted) of people with no rhythm and a long silence: the dormant pool.

    People touched this week count by their touch before it (the planner decides), so
    they join the pool too.
    """
    cutoff = (block_date - dt.timedelta(days=after_days)).isoformat()
    ws, we = week_start.isoformat(), week_end.isoformat()
    common = ("SELECT id FROM contact WHERE +deleted_at IS NULL AND rhythm_days IS NULL "
              "AND (snoozed_until IS NULL OR snoozed_until <= ?) "
              "AND id NOT IN (SELECT contact_id FROM week_skip WHERE week_start = ?) ")
    silent = store.db.execute_sql(common + f"AND {_LAST_TOUCH} <= ?", (we, ws, cutoff))
    # only those silent before the week: a call this week to someone who was not must not
    # grow the pool, or the rotation would shift and swap this week's dormant people
    before_week = ('(SELECT max("on") FROM interaction '
                   'WHERE contact_id = contact.id AND "on" < ?)')
    touch_before = _LAST_TOUCH.replace("last_contacted", before_week)
    touched = store.db.execute_sql(
        common + f"AND last_contacted >= ? AND {touch_before} <= ?", (we, ws, ws, ws, cutoff))
    return sorted({cid for (cid,) in silent.fetchall()} | {cid for (cid,) in touched.fetchall()})


def plan_epoch(store: Store) -> tuple[int, int]:
    """(change counter, last interaction id): what a cached plan was computed from.

    The counter (migration 0005) moves on every change the plan reads except a plain
    touch logged; those are the interactions after the id, see `touches_since`.
    """
    (n,), = store.db.execute_sql("SELECT n FROM plan_epoch").fetchall()
    (last,), = store.db.execute_sql("SELECT coalesce(max(id), 0) FROM interaction").fetchall()
    return n, last


def touches_since(store: Store, interaction_id: int,
                  limit: int) -> list[tuple[int, dt.date]] | None:
    """(contact id, earliest date) of the touches logged after `interaction_id`, or None
    when there are more than `limit` of them (too many to patch a plan with)."""
    # by rowid alone: a GROUP BY here would walk the whole log through its contact index
    rows = store.db.execute_sql(
        'SELECT contact_id, "on" FROM interaction WHERE id > ? ORDER BY id LIMIT ?',
        (interaction_id, limit + 1)).fetchall()
    if len(rows) > limit:
        return None
    earliest: dict[int, dt.date] = {}
    for cid, on in rows:
        day = as_date(on)
        earliest[cid] = min(earliest.get(cid, day), day)
    return list(earliest.items())


def plan_rows_for(store: Store, ids: list[int], week_start: dt.date,
                  week_end: dt.date) -> list[dict]:
    if not ids:
        return []
    out: list[dict] = []
    for batch in chunked(ids, 500):
        sql = f"{_PLAN_SELECT} AND id IN ({', '.join('?' * len(batch))})"
        out += _plan_rows(store, sql, list(batch), week_start, week_end)
    return out


def plan_rows(store: Store, week_start: dt.date, week_end: dt.date) -> list[dict]:
    """Every contact, as the planner sees them (small address books, tests)."""
    return _plan_rows(store, _PLAN_SELECT, [], week_start, week_end)


def _plan_rows(store: Store, sql: str, params: list, week_start: dt.date,
               week_end: dt.date) -> list[dict]:
    """Rows as of the week's start, so the plan holds all week.

    `last_contacted` is the last touch before the week; `contacted_this_week` marks the
    week's items done; `skipped_this_week` keeps skipped people out until next week.
    """
    rows = [dict(zip(PLAN_COLUMNS, r, strict=True))
            for r in store.db.execute_sql(sql, params).fetchall()]
    if not rows:
        return rows
    ws, we = week_start.isoformat(), week_end.isoformat()
    touched = [r["id"] for r in rows if r["last_contacted"] and str(r["last_contacted"]) >= ws]
    before: dict[int, tuple] = {}
    for batch in chunked(touched, 500):
        marks = ", ".join("?" * len(batch))
        for cid, last, in_week in store.db.execute_sql(
                'SELECT contact_id, max(CASE WHEN "on" < ? THEN "on" END), '
                f'max("on" BETWEEN ? AND ?) FROM interaction WHERE contact_id IN ({marks}) '
                "GROUP BY contact_id", (ws, ws, we, *batch)).fetchall():
            before[cid] = (last, bool(in_week))
    skipped = {cid for (cid,) in store.db.execute_sql(
        "SELECT contact_id FROM week_skip WHERE week_start = ?", (ws,)).fetchall()}
    for row in rows:
        cid = row["id"]
        row["last_contacted"] = as_date(row["last_contacted"])
        row["contacted_this_week"] = False
        if cid in before:
            last, in_week = before[cid]
            row["last_contacted"] = as_date(last)
            row["contacted_this_week"] = in_week
        row["skipped_this_week"] = cid in skipped
        for key in ("created", "met_on", "follow_up", "snoozed_until"):
            row[key] = as_date(row[key])
    return rows


def record_week(store: Store, week_start: dt.date, contact_ids: list[int]) -> None:
    """Remember who this week's plan held (for the streak); rewritten while it changes."""
    text = " ".join(map(str, contact_ids))
    row = WeekSnapshot.get_or_none(WeekSnapshot.week_start == week_start)
    if row is None or row.contact_ids != text:
        with store.db.atomic():
            WeekSnapshot.replace(week_start=week_start, contact_ids=text).execute()


def past_weeks(store: Store, before: dt.date, limit: int = 104) -> list[tuple[int, int]]:
    """(planned, done) for the recorded weeks before `before`, most recent first.

    A missing week (netbook not opened) breaks the run: it counts as (0, 0).
    """
    snaps = (WeekSnapshot.select().where(WeekSnapshot.week_start < before)
             .order_by(WeekSnapshot.week_start.desc()).limit(limit))
    out: list[tuple[int, int]] = []
    expected = before - dt.timedelta(days=7)
    for snap in snaps:
        start = as_date(snap.week_start)
        if start != expected:
            out.append((0, 0))
            break
        ids = [int(x) for x in snap.contact_ids.split()]
        end = start + dt.timedelta(days=6)
        done = 0
        if ids:
            done = (Interaction.select(Interaction.contact).distinct()
                    .where(Interaction.contact.in_(ids) & (Interaction.on >= start)
                           & (Interaction.on <= end)).count())
        out.append((len(ids), done))
        expected = start - dt.timedelta(days=7)
    return out
