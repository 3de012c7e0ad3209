"""Merging probable duplicates into one contact, field by field, and taking it back.

Like KAddressBook's merge: the contact kept gets every phone, email, address, website,
handle, tag and every other line of the others once (`duplicates.merge_cards`), the notes
joined; where both have a single field (a title, a birthday) the kept one's stays and the
other's is written into the note, said in the preview (`single_conflicts`); the
others' interaction logs, the people they introduced and whatever else points at them
(the week's skips, a relationship table) move to it; netbook's networking fields are
merged by rules a user can read in the preview (`MergePlan.choices`). The others go to
the trash — a sync then removes their server cards — and their UIDs are remembered
(`MergedUid`), so the same file imported again, or a sync bringing one back, lands on the
merged contact. `undo_merge` puts everything back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import networking, undo
from .changes import Changes
from .contacts import Store, StoreError
from .duplicates import card_summary, merge_cards, single_conflicts
from .models import Contact, ContactKey, Interaction, MergedUid, SyncConflict, SyncItem, Tag
from .text import fold
from .vcard.card import Card, PartialDate

__all__ = ["FieldChoice", "MergePlan", "MergeResult", "MergeUndo", "merge_contacts",
           "plan_merge", "undo_merge"]

# rows that point at a contact but are not moved by a merge: derived from the card
# (rebuilt by the save), or the server's copy of the merged-away card, which the sync
# must see go (the contact is in the trash, so its server card is deleted)
_NOT_MOVED = (ContactKey, Tag, SyncItem, SyncConflict)


@dataclass(frozen=True)
class FieldChoice:
    """One field of the merged contact that both had, or a networking field: what it gets
    and where it comes from."""

    label: str  # "Rhythm", "Title"
    value: str  # "every 14 days (inner circle)"
    source: str  # "from Ana Lima", "joined", "earliest", "kept; Jo's “CTO” goes in the note"
    day: dt.date | None = None  # a date's field: the window words it as it says dates


@dataclass(frozen=True)
class MergePlan:
    """What a merge would do, shown before it does it (the dialog, `--dry-run`)."""

    keep_id: int
    other_ids: tuple[int, ...]
    names: dict[int, str]
    card: Card  # the merged card
    network: dict[str, Any]  # Contact columns the kept contact gets
    choices: tuple[FieldChoice, ...]
    interactions_moved: int

    def card_fields(self) -> list[tuple[str, str]]:
        """The merged card, field by field in words (empty fields left out)."""
        return [(k, v) for k, v in card_summary(self.card).items() if v]

    def lines(self) -> list[str]:
        """The whole plan in words, one line a field (the CLI prints these)."""
        keep = self.names[self.keep_id]
        others = ", ".join(self.names[i] for i in self.other_ids)
        out = [f"Keep {keep} ({self.keep_id}); merge in {others}"]
        out += [f"  {label}: {value}" for label, value in self.card_fields()]
        out += [f"  {c.label}: {c.value} ({c.source})" for c in self.choices]
        if self.interactions_moved:
            out.append(f"  Interactions moved: {self.interactions_moved}")
        return out


@dataclass(frozen=True)
class MergeUndo:
    """Everything a merge changed, to put back."""

    states: tuple[undo.ContactState, ...]  # the kept one and the others, before
    moved: tuple[tuple[str, str, int, int], ...]  # (table, column, rowid now, contact it left)
    aliases: tuple[str, ...]  # UIDs the merge remembered
    keep_id: int
    keep_revision: int  # right after the merge: a later edit refuses the undo


@dataclass(frozen=True)
class MergeResult:
    changes: Changes
    plan: MergePlan
    undo: MergeUndo


def _rhythm_text(days: int | None, circle: str | None) -> str:
    if not days:
        return "none"
    return f"every {days} days" + (f" ({circle} circle)" if circle else "")


def _load(store: Store, keep_id: int, other_ids: Sequence[int]) -> list[Contact]:
    ids = [keep_id, *other_ids]
    if len(set(ids)) != len(ids):
        raise StoreError("a contact can't be merged with itself")
    if not other_ids:
        raise StoreError("name at least one contact to merge into the one kept")
    rows = []
    for cid in ids:
        row = Contact.get_or_none((Contact.id == cid) & Contact.deleted_at.is_null())
        if row is None:
            raise StoreError(f"contact {cid} does not exist (deleted?)")
        rows.append(row)
    return rows


def _merge_network(rows: list[Contact], names: dict[int, str]
                   ) -> tuple[dict[str, Any], list[FieldChoice]]:
    """netbook's fields for the merged contact, and each choice in words."""
    keep = rows[0]
    ids = {r.id for r in rows}
    out: dict[str, Any] = {}
    choices: list[FieldChoice] = []

    rhythmic = [(days, r) for r in rows if (days := r.rhythm_days)]
    if rhythmic:  # the closer rhythm: whoever wanted them near is right
        days, best = min(rhythmic, key=lambda pair: pair[0])
        out["rhythm_days"], out["circle"] = days, best.circle
        choices.append(FieldChoice("Rhythm", _rhythm_text(days, best.circle),
                                   "the closer one" if len(rhythmic) > 1
                                   else f"from {names[best.id]}"))
    met = [(on, r) for r in rows if (on := r.met_on)]
    if met:
        met_on, first = min(met, key=lambda pair: pair[0])
        out["met_on"] = met_on
        choices.append(FieldChoice("Met on", met_on.isoformat(),
                                   "the earliest" if len(met) > 1 else f"from {names[first.id]}",
                                   met_on))
    for key, label in (("met_where", "Met where"), ("does", "Does"), ("needs", "Needs"),
                       ("offers", "I can offer"), ("follow_up_note", "Follow-up note")):
        texts: list[str] = []
        for r in rows:
            text = (getattr(r, key) or "").strip()
            if text and not any(fold(text) == fold(t) for t in texts):
                texts.append(text)
        if texts:
            out[key] = "; ".join(texts)
            whose = [r for r in rows if (getattr(r, key) or "").strip()]
            choices.append(FieldChoice(label, out[key], "joined" if len(texts) > 1
                                       else f"from {names[whose[0].id]}"))
    follow = [(on, r) for r in rows if (on := r.follow_up)]
    if follow:
        follow_up, soonest = min(follow, key=lambda pair: pair[0])
        out["follow_up"] = follow_up
        choices.append(FieldChoice("Follow up on", follow_up.isoformat(),
                                   "the soonest" if len(follow) > 1
                                   else f"from {names[soonest.id]}", follow_up))
    intro = next((r.introduced_by_id for r in rows
                  if r.introduced_by_id and r.introduced_by_id not in ids), None)
    out["introduced_by"] = intro
    if intro is not None:
        row = Contact.get_or_none(Contact.id == intro)
        introduced = next(r for r in rows if r.introduced_by_id == intro)
        choices.append(FieldChoice("Introduced by", row.display_name if row else str(intro),
                                   f"from {names[introduced.id]}"))
    snoozed = keep.snoozed_until
    out["snoozed_until"] = snoozed
    if snoozed:
        choices.append(FieldChoice("Snoozed until", snoozed.isoformat(),
                                   f"from {names[keep.id]}", snoozed))
    out["created_at"] = min(r.created_at for r in rows)
    return out, choices


def plan_merge(store: Store, keep_id: int, other_ids: Sequence[int]) -> MergePlan:
    """What merging `other_ids` into `keep_id` gives; writes nothing."""
    other_ids = tuple(other_ids)
    rows = _load(store, keep_id, other_ids)
    names = {r.id: r.display_name for r in rows}
    card = store.get_card(keep_id)
    kept_aside: list[str] = []
    card_choices: list[FieldChoice] = []
    for cid in other_ids:
        theirs = store.get_card(cid)
        conflicts = single_conflicts(card, theirs)  # the kept value stays; theirs is noted
        card = merge_cards(card, theirs, store.region)
        if conflicts:
            kept_aside.append(f"From {names[cid]}'s card: "
                              + "; ".join(f"{label}: {value}" for label, _, value in conflicts))
            card_choices += [FieldChoice(label, mine, f"kept; {names[cid]}'s “{value}” goes "
                                         "in the note", _day(label, mine))
                             for label, mine, value in conflicts]
    if kept_aside:  # nothing a merge drops: what had no place of its own is in the note
        card.set_text("NOTE", "\n\n".join([n for n in (card.note,) if n.strip()] + kept_aside))
    network, choices = _merge_network(rows, names)
    moved = Interaction.select().where(Interaction.contact.in_(list(other_ids))).count()
    return MergePlan(keep_id, other_ids, names, card, network,
                     (*card_choices, *choices), moved)


def _day(label: str, text: str) -> dt.date | None:
    """A kept birthday's or anniversary's date with its year (the window words it)."""
    if label not in ("Birthday", "Anniversary"):
        return None
    date = PartialDate.parse(text)
    return date.as_date() if date else None


def _pointers() -> list[tuple[str, str, bool]]:
    """(table, column, whether the column is the row's id) of every foreign key to a
    contact that a merge moves — the log, introductions, skips, remembered UIDs, the
    dormant rotation's turns, and tables added later (relationships)."""
    out = []
    for fk in Contact._meta.backrefs:
        if fk.model in _NOT_MOVED:
            continue
        out.append((fk.model._meta.table_name, fk.column_name, bool(fk.primary_key)))
    return sorted(out)


def merge_contacts(store: Store, keep_id: int, other_ids: Sequence[int]) -> MergeResult:
    """Merge `other_ids` into `keep_id` in one transaction (`netbook merge`, Find
    Duplicates); `undo_merge(result.undo)` takes it back."""
    other_ids = tuple(other_ids)
    with store.db.atomic():
        plan = plan_merge(store, keep_id, other_ids)
        everyone = [keep_id, *other_ids]
        states = tuple(undo.contact_state(store, cid) for cid in everyone)
        moved: list[tuple[str, str, int, int]] = []
        marks = ", ".join("?" * len(other_ids))
        for table, column, is_rowid in _pointers():
            where = f'"{column}" IN ({marks})'
            params: list[Any] = list(other_ids)
            if table == Contact._meta.table_name:  # the people they introduced, not them
                where += f" AND id NOT IN ({', '.join('?' * len(everyone))})"
                params += everyone
            found = store.db.execute_sql(
                f'SELECT rowid, "{column}" FROM "{table}" WHERE {where}', params).fetchall()
            for rowid, old in found:
                cursor = store.db.execute_sql(
                    f'UPDATE OR IGNORE "{table}" SET "{column}" = ? WHERE rowid = ?',
                    (keep_id, rowid))
                if cursor.rowcount:  # a row whose id is the contact now has the kept one's
                    moved.append((table, column, keep_id if is_rowid else rowid, old))
        store.save_card(keep_id, plan.card)
        Contact.update(**plan.network).where(Contact.id == keep_id).execute()
        aliases = []
        for cid in other_ids:
            uid = Contact.get_by_id(cid).uid
            MergedUid.replace(uid=uid, contact=keep_id,
                              merged_at=dt.datetime.now().replace(microsecond=0)).execute()
            aliases.append(uid)
        store.delete_contacts(other_ids)
        networking.refresh_summary(store, [keep_id])
        revision = store.revision(keep_id)
    changes = Changes(contacts={keep_id}, removed=set(other_ids), interactions=True,
                      tags=True, plan=True)
    return MergeResult(changes, plan, MergeUndo(states, tuple(moved), tuple(aliases),
                                                 keep_id, revision))


def undo_merge(store: Store, record: MergeUndo) -> Changes:
    """Split a merge again: each contact as it was, its rows back where they were."""
    with store.db.atomic():
        current = Contact.get_or_none(Contact.id == record.keep_id)
        if current is not None and current.revision != record.keep_revision:
            raise StoreError(f"“{current.display_name}” was changed since the merge; undoing "
                             "it would lose that change")
        MergedUid.delete().where(MergedUid.uid.in_(list(record.aliases))).execute()
        for table, column, rowid, old in reversed(record.moved):
            store.db.execute_sql(f'UPDATE OR IGNORE "{table}" SET "{column}" = ? '
                                 "WHERE rowid = ?", (old, rowid))
        undo.put_back(store, record.states)  # the log's summary rebuilt there
    others = [s.contact_id for s in record.states if s.contact_id != record.keep_id]
    return Changes(contacts={record.keep_id}, added=set(others), interactions=True, tags=True,
                   plan=True)
