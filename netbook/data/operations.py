"""The user's actions on contacts and their networking: one transaction, one `Changes`.

The window and the command line change contacts only through these functions, so both
follow the same rules (a contact needs something to be called by; a circle sets the
rhythm) and every screen learns what changed from the returned value instead of being
refreshed by hand. They are built from the store's own parts (`Store` in contacts.py,
networking.py), which stay what imports, sync and the demo compose inside their own
transactions. The other actions live where their work is: an import in importing.py
(its summary carries the `Changes`), the demo in demo.py, a restore in db.py.

A new user action goes here (or beside its work, when it has a module of its own),
returns `Changes`, and is called from a widget and from a CLI sub-command alike.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from . import networking, relations, settings, tags, undo
from .changes import Changes
from .contacts import ConflictError, ContactRecord, Store, StoreError, as_date
from .db import describe_error, is_store_failure
from .merging import MergeResult, merge_contacts, plan_merge, undo_merge
from .models import Contact, Interaction
from .tags import delete_tag, rename_tag, tag_contacts, tags_of
from .vcard.card import Card, NameParts, TypedValue
from .vcard.writer import card_to_text

__all__ = [
    "KEEP",
    "NEEDS_A_NAME",
    "EditResult",
    "MergeResult",
    "StoreFailure",
    "add_acquaintance",
    "check_follow_up",
    "delete_contacts",
    "delete_interaction",
    "delete_tag",
    "introduce",
    "is_skipped",
    "log_interaction",
    "log_week",
    "merge_contacts",
    "plan_merge",
    "relate",
    "rename_tag",
    "save_contact",
    "save_edit",
    "save_settings",
    "set_block",
    "set_circle_days",
    "set_first_weekday",
    "set_networking",
    "set_phone_region",
    "set_rhythm",
    "skip_week",
    "snooze",
    "snoozed_until",
    "tag_contacts",
    "tags_of",
    "undelete_contacts",
    "undelete_interaction",
    "undo_edit",
    "undo_merge",
    "unrelate",
    "unskip_week",
    "update_interaction",
]

NEEDS_A_NAME = "Give the contact a name, an organization, a phone or an email."
F = TypeVar("F", bound=Callable[..., Any])


class StoreFailure(StoreError):
    """The database failed under an operation (a full disk, another writer for too
    long, a damaged file): nothing was changed; the message says so in words."""


def in_words(operation: F) -> F:
    """Every operation fails in words: a window slot that catches StoreError shows the
    message and keeps the user's edit in the form, instead of an OperationalError that
    only reached stderr."""
    @functools.wraps(operation)
    def run(store: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return operation(store, *args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            if not is_store_failure(exc):
                raise
            store.db.note_failure(exc)  # a damaged page: the store is read-only from now on
            raise StoreFailure(describe_error(exc, store.path)) from exc
    return run  # type: ignore[return-value]


# -- contacts -----------------------------------------------------------------


@in_words
def save_contact(store: Store, card: Card, *, contact_id: int | None = None,
                 revision: int | None = None, fields: dict[str, Any] | None = None,
                 loaded: ContactRecord | None = None, onto: int | None = None) -> Changes:
    """Save a card and its networking fields together, or neither; a new contact when
    `contact_id` is None (its id is the one in `Changes.added`).

    `revision` is the one the card was loaded at (ConflictError when it moved on).
    `fields` are networking.NETWORK_FIELDS, plus `introduced_by_name`: the introducer as
    typed, which keeps the current introducer when it still names them.

    `loaded` is the contact as the form editing it was filled (a form's save): then only
    what the form changed is written, so a promise kept, a touch logged or a card synced
    meanwhile stays as it now is, and the save is refused (ConflictError) only when that
    change elsewhere touched what this save writes.

    `onto` (with `loaded`): after such a refusal the user chose their edit. `card` is
    their changes applied to the version at revision `onto`; the fields they changed
    from `loaded` are written over the others' (ConflictError if it moved on again).
    """
    if card.display_name == "(no name)":
        raise StoreError(NEEDS_A_NAME)
    with store.db.atomic():
        resolved = _resolved(store, contact_id, fields or {})
        if contact_id is None:
            cid = store.add_contact(card)
            tags_before: list[str] = []
        else:
            tags_before = store.get_card(contact_id).categories
            write_card = True
            if loaded is not None:
                resolved, revision, write_card = _since_loaded(store, contact_id, card,
                                                               loaded, resolved, onto)
            if write_card:
                store.save_card(contact_id, card, revision)
            cid = contact_id
        if resolved:
            networking.set_networking(store, cid, **resolved)
    return Changes(contacts={cid}, added={cid} if contact_id is None else set(),
                   tags=card.categories != tags_before, plan=True)


@dataclass(frozen=True)
class EditResult:
    """A saved edit: what changed, and what takes it back (None for a new contact)."""

    changes: Changes
    undo: Callable[[], Changes] | None


@in_words
def save_edit(store: Store, card: Card, *, contact_id: int | None = None,
              revision: int | None = None, fields: dict[str, Any] | None = None,
              loaded: ContactRecord | None = None, onto: int | None = None) -> EditResult:
    """`save_contact` as the window's form saves, with its Ctrl+Z: the contact as it was
    is taken in the same transaction as the save, so nothing written between the two
    (a sync) ends up in the undo."""
    with store.db.atomic():
        before = undo.contact_state(store, contact_id) if contact_id is not None else None
        changes = save_contact(store, card, contact_id=contact_id, revision=revision,
                               fields=fields, loaded=loaded, onto=onto)
        after = store.revision(contact_id) if contact_id is not None else None
    if before is None or after is None:
        return EditResult(changes, None)
    saved_at = after
    return EditResult(changes, lambda: undo_edit(store, before, saved_at))


def _since_loaded(store: Store, contact_id: int, card: Card, loaded: ContactRecord,
                  resolved: dict[str, Any], onto: int | None = None
                  ) -> tuple[dict[str, Any], int, bool]:
    """What a form's save writes: the fields it changed from `loaded`, the revision to
    save at, and whether the card is written (not when only someone else changed it).

    A change elsewhere since `loaded` (the revision moved) is a conflict only when it
    touched the card the form edited or one of the fields it changed; `onto`: the user
    chose their edit over it, applied to that revision."""
    changed = {k: v for k, v in resolved.items() if v != getattr(loaded, k)}
    if onto is not None:
        return changed, onto, True
    current = store.get_contact(contact_id)
    if current.revision == loaded.revision:
        return changed, loaded.revision, True
    card_moved = card_to_text(current.card) != card_to_text(loaded.card)
    card_edited = card_to_text(card) != card_to_text(loaded.card)
    moved = [k for k in changed if getattr(current, k) != getattr(loaded, k)]
    if moved or (card_moved and card_edited):
        what = ", ".join((["the card"] if card_moved and card_edited else [])
                         + [k.replace("_", " ") for k in moved])
        raise ConflictError(
            f"“{current.name}” was changed elsewhere (another window, a sync or the "
            f"command line) since you opened it: {what}.")
    return changed, current.revision, not card_moved


def _resolved(store: Store, contact_id: int | None, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields in `networking.set_networking`'s words: a circle's rhythm in days, the
    introducer as an id."""
    out = dict(fields)
    if out.get("circle") in networking.CIRCLES:
        out["rhythm_days"] = settings.circle_days(store)[out["circle"]]
    if "introduced_by_name" in out:
        text = (out.pop("introduced_by_name") or "").strip()
        current = store.get_contact(contact_id) if contact_id is not None else None
        if not text:
            out["introduced_by"] = None
        elif current is not None and current.introduced_by and text == current.introduced_by_name:
            out["introduced_by"] = current.introduced_by
        else:
            out["introduced_by"] = store.resolve(text)
    return out


@in_words
def delete_contacts(store: Store, ids: Iterable[int]) -> Changes:
    """Move contacts to the trash (Undo brings them back: `undelete_contacts`)."""
    return Changes(removed=set(store.delete_contacts(ids)), tags=True, plan=True)


@in_words
def undelete_contacts(store: Store, ids: Iterable[int]) -> Changes:
    """Bring contacts back from the trash."""
    ids = list(ids)
    store.restore_contacts(ids)
    return Changes(added=set(ids), tags=True, plan=True)


@in_words
def undo_edit(store: Store, before: undo.ContactState, revision: int) -> Changes:
    """Put a contact back as it was before a saved edit (`before`, taken just before the
    save); `revision` is the one the save left, so a later change refuses the undo."""
    with store.db.atomic():
        undo.put_back(store, [before], {before.contact_id: revision})
    return Changes(contacts={before.contact_id}, tags=True, plan=True)


@in_words
def set_rhythm(store: Store, ids: Iterable[int], rhythm_days: int | None,
               circle: str | None, report: Callable[[int, int], None] | None = None
               ) -> Changes:
    """One rhythm (a circle's, or a number of days, or none) for several contacts, all
    or none. `report(done, total)`: progress (it may raise to stop: nothing changes)."""
    ids = list(ids)
    fields = {"circle": circle, "rhythm_days": rhythm_days}
    with store.db.atomic():
        for done, cid in enumerate(ids):
            if report is not None and done % tags.REPORT_EVERY == 0:
                report(done, len(ids))
            networking.set_networking(store, cid, **_resolved(store, cid, fields))
    return Changes(contacts=set(ids), plan=True)


@in_words
def set_networking(store: Store, contact_id: int, **fields: Any) -> Changes:
    """Set some of a contact's networking fields (`netbook set`)."""
    networking.set_networking(store, contact_id, **_resolved(store, contact_id, fields))
    return Changes(contacts={contact_id}, plan=True)


# -- who knows whom ------------------------------------------------------------


@in_words
def relate(store: Store, contact_id: int, other_id: int, kind: str) -> Changes:
    """Say `other` is this contact's `kind` (colleague, parent, introduced-by…); both
    cards carry their side. Already so: no change. The plan moves: the week introduces
    nobody to someone they know already."""
    if not relations.relate(store, contact_id, other_id, kind):
        return Changes()
    return Changes(contacts={contact_id, other_id}, plan=True)


@in_words
def unrelate(store: Store, contact_id: int, other_id: int, kind: str | None = None) -> Changes:
    """Take a relationship away from both cards (every one between them without `kind`)."""
    relations.unrelate(store, contact_id, other_id, kind)
    return Changes(contacts={contact_id, other_id}, plan=True)


INTRO_FOLLOW_UP_DAYS = 7


def introduction_people(store: Store, needer_id: int, helper_id: int, *,
                        ask_first: bool = False) -> tuple[Contact, Contact]:
    """(who needs it, who'd help), refused in words when one is gone or someone the
    message goes to has no email: an introduction goes to both, an ask first to the one
    who'd help only. The one rule for the draft and for what is logged."""
    if needer_id == helper_id:
        raise StoreError("a contact can't be introduced to themselves")
    people = {c.id: c for c in Contact.select().where(
        Contact.id.in_([needer_id, helper_id]) & Contact.deleted_at.is_null())}
    for cid in (needer_id, helper_id):
        if cid not in people:
            raise StoreError(f"contact {cid} does not exist (deleted?)")
    why = "the ask goes to them by email" if ask_first else \
        "the introduction goes to both by email"
    for cid in (helper_id,) if ask_first else (needer_id, helper_id):
        if not people[cid].best_email:
            raise StoreError(f"{people[cid].display_name or cid} has no email address: add "
                             f"one first ({why})")
    return people[needer_id], people[helper_id]


def _one_line(note: str) -> str:
    return f" — {' '.join(note.split())}" if note.strip() else ""


@in_words
def introduce(store: Store, needer_id: int, helper_id: int, *, on: dt.date,
              note: str = "") -> Changes:
    """An introduction made (the connector's best gift): "gave: introduction" logged with
    both people, and a follow-up a week on with the one who needed it ("ask how the intro
    to Mia went") unless an earlier one is set. Both need an email (the message goes to
    both); anything wrong and nothing is written."""
    needer, helper = introduction_people(store, needer_id, helper_id)
    extra = _one_line(note)
    entries = [{"contact_id": needer_id, "on": on, "kind": "email", "exchange": "gave",
                "gift": "introduction", "note": f"Introduced to {helper.display_name}{extra}"},
               {"contact_id": helper_id, "on": on, "kind": "email", "exchange": "gave",
                "gift": "introduction", "note": f"Introduced to {needer.display_name}{extra}"}]
    due = on + dt.timedelta(days=INTRO_FOLLOW_UP_DAYS)
    current = as_date(needer.follow_up)
    with store.db.atomic():
        networking.log_many(store, entries)
        if current is None or current > due:
            networking.set_networking(store, needer_id, follow_up=due, follow_up_note=(
                f"ask how the intro to {helper.display_name} went"))
    return _logged([needer_id, helper_id])


@in_words
def ask_to_introduce(store: Store, needer_id: int, helper_id: int, *, on: dt.date,
                     note: str = "") -> Changes:
    """First ask the one who'd help whether they'd like the introduction: an email
    logged with them only, nothing given yet (the introduction is logged when it is
    made), and a follow-up with them a week on ("hear back about meeting Omar") unless
    an earlier one is set. Only they need an email."""
    needer, helper = introduction_people(store, needer_id, helper_id, ask_first=True)
    due = on + dt.timedelta(days=INTRO_FOLLOW_UP_DAYS)
    current = as_date(helper.follow_up)
    with store.db.atomic():
        networking.log_interaction(
            store, helper_id, on=on, kind="email",
            note=f"Asked about an introduction to {needer.display_name}{_one_line(note)}")
        if current is None or current > due:
            networking.set_networking(store, helper_id, follow_up=due, follow_up_note=(
                f"hear back about meeting {needer.display_name}"))
    return _logged([helper_id])


# -- the interaction log --------------------------------------------------------


def _logged(contact_ids: Iterable[int]) -> Changes:
    return Changes(contacts=frozenset(contact_ids), interactions=True, plan=True)


class Keep(enum.Enum):
    """`follow_up=KEEP`: the log leaves the contact's follow-up as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


def check_follow_up(follow_up: dt.date | Keep | None, today: dt.date | None = None) -> None:
    """A follow-up set or moved with a touch: a day from today on (None clears it)."""
    if follow_up is KEEP or follow_up is None:
        return
    if not isinstance(follow_up, dt.date):
        raise StoreError("a follow-up needs a date (or none, to clear it)")
    today = today or dt.date.today()
    if follow_up < today:
        raise StoreError(f"the follow-up date {follow_up.isoformat()} is in the past; pick "
                         "today or a later day, or none to clear it")


@in_words
def log_interaction(store: Store, contact_id: int, *, on: dt.date, kind: str, note: str = "",
                    exchange: str = "", gift: str = "",
                    follow_up: dt.date | Keep | None = KEEP,
                    follow_up_note: str | None = None) -> Changes:
    """Log one touch; the contact's last-contacted date (so when they are due) follows.

    `follow_up` closes the loop in the same transaction: None clears the promise (it was
    kept), a date moves it or sets a new one (with `follow_up_note`, or the note it had),
    KEEP leaves it alone.
    """
    check_follow_up(follow_up)
    with store.db.atomic():
        networking.log_interaction(store, contact_id, on=on, kind=kind, note=note,
                                   exchange=exchange, gift=gift)
        if follow_up is not KEEP:
            _set_follow_up(store, contact_id, follow_up, follow_up_note)
    return _logged([contact_id])


def _set_follow_up(store: Store, contact_id: int, follow_up: dt.date | None,
                   note: str | None) -> None:
    fields: dict[str, Any] = {"follow_up": follow_up}
    if follow_up is None:
        fields["follow_up_note"] = ""
    elif note is not None:
        fields["follow_up_note"] = " ".join(note.split())
    networking.set_networking(store, contact_id, **fields)


@in_words
def log_week(store: Store, entries: Iterable[dict[str, Any]]) -> Changes:
    """The week's touches from the paper call list: all of them, or none.

    An entry may carry `follow_up` (a date, None to clear, absent to keep) and
    `follow_up_note`: the sheet's "next step", or a promise kept.
    """
    entries = list(entries)
    if not entries:
        return Changes()
    for e in entries:
        check_follow_up(e.get("follow_up", KEEP))
    with store.db.atomic():
        networking.log_many(store, [{k: v for k, v in e.items()
                                     if k not in ("follow_up", "follow_up_note")}
                                    for e in entries])
        for e in entries:
            if "follow_up" in e and e["follow_up"] is not KEEP:
                _set_follow_up(store, e["contact_id"], e["follow_up"], e.get("follow_up_note"))
    return _logged(e["contact_id"] for e in entries)


@in_words
def update_interaction(store: Store, interaction_id: int, *, on: dt.date, kind: str,
                       note: str = "", exchange: str = "", gift: str = "") -> Changes:
    with store.db.atomic():
        contact_id = _contact_of(interaction_id)
        networking.update_interaction(store, interaction_id, on=on, kind=kind, note=note,
                                      exchange=exchange, gift=gift)
    return _logged([contact_id] if contact_id is not None else [])


@in_words
def delete_interaction(store: Store, interaction_id: int) -> Changes:
    """Take a touch out of the log (one deleted elsewhere already: no change)."""
    with store.db.atomic():
        contact_id = _contact_of(interaction_id)
        if contact_id is None:
            return Changes()
        networking.delete_interaction(store, interaction_id)
    return _logged([contact_id])


@in_words
def undelete_interaction(store: Store, row: networking.InteractionRow) -> Changes:
    """Put back a touch Delete took out of the log (Ctrl+Z), under its own id when that
    is still free — SQLite gives the newest row's id to the next touch logged, so one
    logged since may hold it: then under a new id; the last-contacted date and the plan
    follow again."""
    with store.db.atomic():
        store.get_card(row.contact_id)  # still a live contact (refused in words if not)
        values = {"contact": row.contact_id, "on": row.on, "kind": row.kind,
                  "note": row.note, "exchange": row.exchange, "gift": row.gift}
        if Interaction.get_or_none(Interaction.id == row.id) is None:
            values["id"] = row.id
        Interaction.insert(**values).execute()
        networking.refresh_summary(store, [row.contact_id])
    return _logged([row.contact_id])


def _contact_of(interaction_id: int) -> int | None:
    row = (Interaction.select(Interaction.contact).where(Interaction.id == interaction_id)
           .tuples().first())
    return row[0] if row else None


# -- the week -----------------------------------------------------------------


@in_words
def snooze(store: Store, contact_id: int, until: dt.date | None) -> Changes:
    """Leave someone out of the plan until a day (None: back in at once). The plan's
    own rules (a day after this week) are `netbook.plan.service.snooze_until`'s."""
    networking.snooze(store, contact_id, until)
    return Changes(contacts={contact_id}, plan=True)


@in_words
def snoozed_until(store: Store, contact_id: int) -> dt.date | None:
    """The day someone comes back into the plan, or None."""
    row = Contact.get_or_none(Contact.id == contact_id)
    return as_date(row.snoozed_until) if row is not None else None


@in_words
def is_skipped(store: Store, contact_id: int, week_start: dt.date) -> bool:
    return networking.is_skipped(store, contact_id, week_start)


@in_words
def skip_week(store: Store, contact_id: int, week_start: dt.date) -> Changes:
    """Leave someone out of this week's plan only."""
    networking.skip_week(store, contact_id, week_start)
    return Changes(plan=True)


@in_words
def unskip_week(store: Store, contact_id: int, week_start: dt.date) -> Changes:
    networking.unskip_week(store, contact_id, week_start)
    return Changes(plan=True)


@in_words
def set_circle_days(store: Store, days: dict[str, int]) -> Changes:
    """Change the circles' rhythms; everyone in those circles follows."""
    settings.set_circle_days(store, days)
    return Changes(plan=True, everything=True)


@in_words
def set_first_weekday(store: Store, weekday: int | None) -> Changes:
    """The week starts on this day (None: as the system locale says)."""
    settings.set_first_weekday(store, weekday)
    return Changes(plan=True)


@in_words
def set_phone_region(store: Store, region: str | None, system_region: str) -> Changes:
    """Read numbers without a country code in `region` (None: `system_region`, the
    locale's); every stored number's match key is read again that way, so duplicates
    still match."""
    from .contacts import match_keys
    from .models import Contact, ContactKey, Setting
    from .vcard.reader import parse_card_text

    if region is not None and (len(region) != 2 or not region.isalpha()):
        raise StoreError(f"“{region}” is not a two-letter region (DE, US, GB…)")
    with store.db.atomic():
        if region is None:
            Setting.delete().where(Setting.key == "phone_region").execute()
        else:
            settings.set_setting(store, "phone_region", region.upper())
        store.region = region.upper() if region else system_region
        ContactKey.delete().where(ContactKey.kind == "phone").execute()
        rows = []
        for cid, text in Contact.select(Contact.id, Contact.vcard).tuples():
            rows += [(cid, kind, value) for kind, value in
                     match_keys(parse_card_text(text), store.region) if kind == "phone"]
        for start in range(0, len(rows), 300):
            ContactKey.insert_many(rows[start:start + 300], fields=[
                ContactKey.contact, ContactKey.kind, ContactKey.value]).execute()
    return Changes(everything=True)


@in_words
def save_settings(store: Store, *, block: dict[str, Any], circle_days: dict[str, int],
                  first_weekday: int | None, phone_region: str | None,
                  system_region: str) -> Changes:
    """Settings ▸ OK for the book's pages (the block, the circles, the week, the phone
    region) in one transaction: all of them or, when one is refused, none. Each part is
    written only when it changed, so an OK that changed nothing re-plans nothing."""
    changes = Changes()
    with store.db.atomic():
        before = settings.block_settings(store)
        settings.set_block(store, **block)
        if settings.block_settings(store) != before:
            changes |= Changes(plan=True)
        if circle_days != settings.circle_days(store):
            changes |= set_circle_days(store, circle_days)
        if first_weekday != settings.get_setting(store, "first_weekday"):
            changes |= set_first_weekday(store, first_weekday)
        if phone_region != settings.phone_region(store):
            changes |= set_phone_region(store, phone_region, system_region)
    return changes


@in_words
def set_block(store: Store, **block: Any) -> Changes:
    """Change the weekly block (its day, start, length, minutes per kind of touch)."""
    settings.set_block(store, **block)
    return Changes(plan=True)


# -- someone just met ------------------------------------------------------------

_PHONE_LIKE = re.compile(r"^[+(]?[\d\s().\-/]{3,}$")


@in_words
def add_acquaintance(store: Store, name: str, *, met_on: dt.date, where: str = "",
                     does: str = "", needs: str = "", reach: str = "") -> Changes:
    """"I just met someone": a new contact from a name and a few words, met on `met_on`,
    who comes up in the block as a new acquaintance (never as dormant). `reach` is a
    phone number or an email address, told apart by its "@"."""
    name = " ".join(name.split())
    if not name:
        raise StoreError("Give their name (the rest can wait).")
    reach = reach.strip()
    card = Card.new()
    card.set_text("FN", name)
    given, _, family = name.rpartition(" ")
    card.set_name_parts(NameParts(family=family, given=given) if given
                        else NameParts(given=name))
    if "@" in reach:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", reach):
            raise StoreError(f"“{reach}” doesn't look like an email address")
        card.set_typed("EMAIL", [TypedValue(reach, ("home",))])
    elif reach:
        if not _PHONE_LIKE.match(reach) or sum(ch.isdigit() for ch in reach) < 3:
            raise StoreError(f"“{reach}” is neither a phone number nor an email address")
        card.set_typed("TEL", [TypedValue(reach, ("cell",))])
    fields = {"met_on": met_on, "met_where": " ".join(where.split()),
              "does": " ".join(does.split()), "needs": " ".join(needs.split())}
    return save_contact(store, card, fields=fields)


# the actions that live beside their work fail in words here too
merge_contacts = in_words(merge_contacts)
undo_merge = in_words(undo_merge)
tag_contacts = in_words(tag_contacts)
rename_tag = in_words(rename_tag)
delete_tag = in_words(delete_tag)
