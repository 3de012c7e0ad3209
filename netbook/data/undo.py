"""What a contact was before an operation, so Edit ▸ Undo can put it back.

A saved edit and a merge both rewrite a contact's card and its networking columns; the
state taken just before (`contact_state`) is all that is needed to go back. Putting a
state back goes through `Store.save_card`, so the derived columns, match keys and tags
are rebuilt from the card exactly as after any save.

What neither changes stays out of the state, so an undo never rewinds it: the log's
summary (last contacted, gave/asked, the last note) is recomputed from the log, which
keeps a call logged after the edit, and a snooze set after it stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from . import networking
from .contacts import ConflictError, Store
from .models import Contact
from .vcard.reader import parse_card_text

__all__ = ["STATE_COLUMNS", "ContactState", "contact_state", "put_back"]

# what a contact holds besides its card (and the columns derived from the card) that an
# edit or a merge changes; not the log's summary (`networking.refresh_summary` rebuilds
# it) nor the snooze (its own operation, with its own undo)
STATE_COLUMNS = ("imported_hash", "edited_at", "created_at", "deleted_at", "rhythm_days",
                 "circle", "met_on", "met_where", "introduced_by", "does", "needs", "offers",
                 "follow_up", "follow_up_note")


@dataclass(frozen=True)
class ContactState:
    """One contact as it was: its card text and its own columns."""

    contact_id: int
    vcard: str
    columns: Mapping[str, Any]


def contact_state(store: Store, contact_id: int) -> ContactState:
    """The contact as it is now, in the trash or not."""
    row = Contact.get_by_id(contact_id)
    columns = {name: getattr(row, name) for name in STATE_COLUMNS if name != "introduced_by"}
    columns["introduced_by"] = row.introduced_by_id
    return ContactState(contact_id, row.vcard, MappingProxyType(columns))


def put_back(store: Store, states: Iterable[ContactState],
             revisions: Mapping[int, int] | None = None) -> list[int]:
    """Make each contact what its state says (the caller holds the transaction).

    `revisions`: the revision each contact had right after the operation being undone;
    a contact changed since (another window, the command line) refuses the undo with
    ConflictError instead of losing that change.
    """
    done = []
    for state in states:
        row = Contact.get_or_none(Contact.id == state.contact_id)
        if row is None:
            continue  # emptied from the trash meanwhile: nothing to put back into
        if revisions and state.contact_id in revisions \
                and row.revision != revisions[state.contact_id]:
            raise ConflictError(f"“{row.display_name}” was changed since; it can't be "
                                "undone without losing that change")
        if row.deleted_at is not None:  # save_card works on live contacts only
            Contact.update(deleted_at=None).where(Contact.id == row.id).execute()
        store.save_card(row.id, parse_card_text(state.vcard))
        columns = dict(state.columns)
        if isinstance(columns.get("deleted_at"), str):  # as SQLite hands it back raw
            columns["deleted_at"] = dt.datetime.fromisoformat(columns["deleted_at"])
        Contact.update(**columns).where(Contact.id == row.id).execute()
        done.append(row.id)
    networking.refresh_summary(store, done)  # the log as it is now, calls since included
    return done
