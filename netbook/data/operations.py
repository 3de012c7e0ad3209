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
from collections.abc import Iterable
from typing import Any

from . import networking, settings, undo
from .changes import Changes
from .contacts import Store, StoreError
from .merging import MergeResult, merge_contacts, plan_merge, undo_merge
from .models import Interaction
from .tags import delete_tag, rename_tag, tag_contacts
from .vcard.card import Card

__all__ = [
    "NEEDS_A_NAME",
    "MergeResult",
    "delete_contacts",
    "delete_interaction",
    "delete_tag",
    "log_interaction",
    "log_week",
    "merge_contacts",
    "plan_merge",
    "rename_tag",
    "save_contact",
    "set_block",
    "set_networking",
    "set_rhythm",
    "skip_week",
    "snooze",
    "tag_contacts",
    "undelete_contacts",
    "undo_edit",
    "undo_merge",
    "unskip_week",
    "update_interaction",
]

NEEDS_A_NAME = "Give the contact a name, an organization, a phone or an email."


# -- contacts -----------------------------------------------------------------


def save_contact(store: Store, card: Card, *, contact_id: int | None = None,
                 revision: int | None = None, fields: dict[str, Any] | None = None) -> Changes:
    """Save a card and its networking fields together, or neither; a new contact when
    `contact_id` is None (its id is the one in `Changes.added`).

    `revision` is the one the card was loaded at (ConflictError when it moved on).
    `fields` are networking.NETWORK_FIELDS, plus `introduced_by_name`: the introducer as
    typed, which keeps the current introducer when it still names them.
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
            store.save_card(contact_id, card, revision)
            cid = contact_id
        if resolved:
            networking.set_networking(store, cid, **resolved)
    return Changes(contacts={cid}, added={cid} if contact_id is None else set(),
                   tags=card.categories != tags_before, plan=True)


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


def delete_contacts(store: Store, ids: Iterable[int]) -> Changes:
    """Move contacts to the trash (Undo brings them back: `undelete_contacts`)."""
    return Changes(removed=set(store.delete_contacts(ids)), tags=True, plan=True)


def undelete_contacts(store: Store, ids: Iterable[int]) -> Changes:
    """Bring contacts back from the trash."""
    ids = list(ids)
    store.restore_contacts(ids)
    return Changes(added=set(ids), tags=True, plan=True)


def undo_edit(store: Store, before: undo.ContactState, revision: int) -> Changes:
    """Put a contact back as it was before a saved edit (`before`, taken just before the
    save); `revision` is the one the save left, so a later change refuses the undo."""
    with store.db.atomic():
        undo.put_back(store, [before], {before.contact_id: revision})
    return Changes(contacts={before.contact_id}, tags=True, plan=True)


def set_rhythm(store: Store, ids: Iterable[int], rhythm_days: int | None,
               circle: str | None) -> Changes:
    """One rhythm (a circle's, or a number of days, or none) for several contacts."""
    ids = list(ids)
    fields = {"circle": circle, "rhythm_days": rhythm_days}
    with store.db.atomic():
        for cid in ids:
            networking.set_networking(store, cid, **_resolved(store, cid, fields))
    return Changes(contacts=set(ids), plan=True)


def set_networking(store: Store, contact_id: int, **fields: Any) -> Changes:
    """Set some of a contact's networking fields (`netbook set`)."""
    networking.set_networking(store, contact_id, **_resolved(store, contact_id, fields))
    return Changes(contacts={contact_id}, plan=True)


# -- the interaction log --------------------------------------------------------


def _logged(contact_ids: Iterable[int]) -> Changes:
    return Changes(contacts=frozenset(contact_ids), interactions=True, plan=True)


def log_interaction(store: Store, contact_id: int, *, on: dt.date, kind: str, note: str = "",
                    exchange: str = "", gift: str = "") -> Changes:
    """Log one touch; the contact's last-contacted date (so when they are due) follows."""
    networking.log_interaction(store, contact_id, on=on, kind=kind, note=note,
                               exchange=exchange, gift=gift)
    return _logged([contact_id])


def log_week(store: Store, entries: Iterable[dict[str, Any]]) -> Changes:
    """The week's touches from the paper call list: all of them, or none."""
    entries = list(entries)
    if not entries:
        return Changes()
    networking.log_many(store, entries)
    return _logged(e["contact_id"] for e in entries)


def update_interaction(store: Store, interaction_id: int, *, on: dt.date, kind: str,
                       note: str = "", exchange: str = "", gift: str = "") -> Changes:
    with store.db.atomic():
        contact_id = _contact_of(interaction_id)
        networking.update_interaction(store, interaction_id, on=on, kind=kind, note=note,
                                      exchange=exchange, gift=gift)
    return _logged([contact_id] if contact_id is not None else [])


def delete_interaction(store: Store, interaction_id: int) -> Changes:
    """Take a touch out of the log (one deleted elsewhere already: no change)."""
    with store.db.atomic():
        contact_id = _contact_of(interaction_id)
        if contact_id is None:
            return Changes()
        networking.delete_interaction(store, interaction_id)
    return _logged([contact_id])


def _contact_of(interaction_id: int) -> int | None:
    row = (Interaction.select(Interaction.contact).where(Interaction.id == interaction_id)
           .tuples().first())
    return row[0] if row else None


# -- the week -----------------------------------------------------------------


def snooze(store: Store, contact_id: int, until: dt.date | None) -> Changes:
    """Leave someone out of the plan until a day (None: back in at once)."""
    networking.snooze(store, contact_id, until)
    return Changes(contacts={contact_id}, plan=True)


def skip_week(store: Store, contact_id: int, week_start: dt.date) -> Changes:
    """Leave someone out of this week's plan only."""
    networking.skip_week(store, contact_id, week_start)
    return Changes(plan=True)


def unskip_week(store: Store, contact_id: int, week_start: dt.date) -> Changes:
    networking.unskip_week(store, contact_id, week_start)
    return Changes(plan=True)


def set_block(store: Store, **block: Any) -> Changes:
    """Change the weekly block (its day, start, length, minutes per kind of touch)."""
    settings.set_block(store, **block)
    return Changes(plan=True)
