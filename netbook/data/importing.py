"""Import, for any format: read → plan → preview → apply.

A reader (vCard today; CSV and the phone's upload plug in the same way) turns a file
into cards and errors. `plan_import` matches every card against the store (UID, then
same content, then a probable duplicate by phone, email or name) without writing, so
the window can show a preview; `apply_import` writes the plan in one transaction, after
a checked backup of the database file. netbook's own fields ride in X-NETBOOK-*
properties (data/vcard/netbook_props.py).

A card from a table row (ParsedCard.partial: LinkedIn, Google, Outlook CSV) holds only
what its columns knew, so it is matched firmly (email, profile URL, name with
organisation) and *updates* the contact it matches; when that changes their company or
title, the preview says so and the contact gets a follow-up — a reason to get in touch,
which the week plan shows (unless a follow-up was set already).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import marshal
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ParamSpec, TypeVar

from peewee import chunked

from . import networking, relations
from .changes import Changes
from .contacts import KnownRow, PreparedRow, Store, content_hash, match_keys
from .db import BackupError
from .duplicates import (
    MatchIndex,
    differences,
    job_change,
    merge_cards,
    merge_edited,
    probable_duplicate,
    same_person,
    update_card,
)
from .models import Contact
from .settings import set_setting
from .vcard.card import Card, Property
from .vcard.netbook_props import NetworkData, network_from_texts, take_network_data
from .vcard.reader import CardError, ParsedCard, group_members, iter_vcards, parse_card_text
from .vcard.writer import card_to_text

__all__ = [
    "CardReader",
    "ImportItem",
    "ImportPlan",
    "ImportPolicy",
    "ImportSummary",
    "ImportWarning",
    "apply_import",
    "plan_import",
]

Report = Callable[[int, int], None]
P = ParamSpec("P")
T = TypeVar("T")
# A format's reader: an open file and its name in, parsed cards and per-card errors out
# (a CardError with is_file_error for a file it can't read at all), lazily.
CardReader = Callable[[BinaryIO, str], Iterator[ParsedCard | CardError]]
MAX_FILE_BYTES = 2 * 1024**3
MERGED_BEFORE = "merged into this contact before"
# the preview holds every card in memory: beyond this many, split the file
MAX_IMPORT_CARDS = 200_000


class _Spill:
    """A plan's cards in an unnamed temporary file beside the database, not in memory
    (100,000 parsed cards took ~500 MB; issue 11 allows the whole import 300 MB).

    Each record is written once, as its card is planned: a new contact's prepared row
    (which holds its card text) or just the card's lines; the import reads the rows back
    when it writes them, `ImportItem.card` a card when someone asks for it. The file has
    no name and goes with the plan; it is private to this process."""

    def __init__(self, folder: Path, vcard_at: int) -> None:
        try:
            self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - the plan's
        except OSError:  # a folder that takes no files: the system's temporary one
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long
        weakref.finalize(self, self._file.close)  # closed (and gone) with the plan
        self.vcard_at = vcard_at  # where a row's values hold its card text
        self._end = 0
        self._at_end = True  # the file's position is its end (no seek before a write)
        self._lock = threading.Lock()  # planned on one thread, written on another

    def put(self, record: tuple) -> tuple[int, int]:
        data = marshal.dumps(record)
        with self._lock:
            if not self._at_end:
                self._file.seek(self._end)
                self._at_end = True
            self._file.write(data)
            where = (self._end, len(data))
            self._end += len(data)
        return where

    def get(self, where: tuple[int, int]) -> tuple:
        with self._lock:
            self._file.seek(where[0])
            data = self._file.read(where[1])
            self._at_end = False
        return marshal.loads(data)


@dataclass(eq=False, slots=True)
class ImportItem:
    """One card of an import and what the import will do with it.

    A card that may become a new contact (new, or a probable duplicate) has that
    contact's row worked out while planning, once — card text, index columns, content
    hash, match keys, thumbnail — and goes to the plan's spill file with it; so does an
    unchanged card (its lines). `card` reads it back (and keeps it) when someone asks.
    """

    file: str
    number: int  # the card's place in its file, and the line it starts on
    line: int
    warnings: list[str]
    status: str  # new | unchanged | changed | duplicate
    network: NetworkData
    partial: bool = False  # a table row's card (ParsedCard.partial)
    source_version: str = "3.0"
    uid: str = ""
    name: str = ""  # the card's display name
    contact_id: int | None = None  # the existing contact it matches
    existing_name: str = ""
    match_reason: str = ""  # duplicates: "same phone +1 555…", "same email", "same name"
    differences: list[str] = field(default_factory=list)
    edited_locally: bool = False  # the contact was edited in netbook since its last import
    trashed: bool = False  # matches a contact in the trash
    decision: str = ""  # add | update | merge | skip | keep (both)
    content_hash: str = ""  # the card's, as it will be stored
    job_change: str = ""  # "Changed job: A → B" (a partial card updating a contact)
    # the matched contact's revision and card (its hash, its text in the spill) when
    # planned: applied later (the preview may stay open for minutes), an update of a
    # contact whose card was edited meanwhile is merged with the edit, three ways
    revision: int | None = None
    base_hash: str = ""
    _base: Card | None = field(default=None, repr=False)
    _base_where: tuple[int, int] | None = field(default=None, repr=False)
    _card: Card | None = field(default=None, repr=False)
    _spill: _Spill | None = field(default=None, repr=False)
    _where: tuple[int, int] | None = field(default=None, repr=False)  # its spill record
    # while it is planned: its match keys, phones and emails, read once for its row too
    _keys: set[tuple[str, str]] | None = field(default=None, repr=False)
    _typed: tuple[list, list] | None = field(default=None, repr=False)
    _firm: tuple[int, str] | None = field(default=None, repr=False)  # a partial's match
    _row: Card | None = field(default=None, repr=False)  # a partial's own card, as read
    # its new contact's row as the reader worked it out (ParsedCard.known), until the
    # card is asked for (`card` may be changed by whoever asks) or put away
    _known: KnownRow | None = field(default=None, repr=False)

    @classmethod
    def of(cls, parsed: ParsedCard, file: str, network: NetworkData,
           known: KnownRow | None = None) -> ImportItem:
        card = parsed.card
        uid, name = (known.uid, known.name) if known is not None else (
            card.uid, card.display_name)
        return cls(file, parsed.number, parsed.line, parsed.warnings, "new", network,
                   parsed.partial, parsed.source_version, uid, name, decision="add",
                   _card=card, _known=known)

    @property
    def card(self) -> Card:
        self._known = None  # the card may be changed now: its row is worked out afresh
        if self._card is None:
            assert self._spill is not None and self._where is not None
            record = self._spill.get(self._where)
            if record[0] == "lines":
                self._card = Card(record[1], [Property(*line) for line in record[2]])
            else:
                self._card = parse_card_text(record[1][self._spill.vcard_at])
        return self._card

    @card.setter
    def card(self, card: Card) -> None:
        self._card, self._where, self._known = card, None, None
        self.uid, self.name = card.uid, card.display_name

    def base(self) -> Card:
        """The matched contact's card as it was when the import was planned."""
        if self._base is None:
            assert self._spill is not None and self._base_where is not None
            self._base = parse_card_text(self._spill.get(self._base_where)[1])
        return self._base

    def put_base_away(self, spill: _Spill, text: str) -> None:
        self._spill, self._base_where, self._base = spill, spill.put(("base", text)), None

    @property
    def parsed(self) -> ParsedCard:
        """The card as the reader gave it, with where it was and what it warned."""
        return ParsedCard(self.card, self.number, self.line, self.warnings,
                          self.source_version, self.partial)

    def put_away(self, spill: _Spill, row: PreparedRow | None) -> None:
        """Keep the card (and its new contact's row) in the spill, not in memory."""
        assert self._card is not None
        # a card without a row is kept as its lines, not written out as vCard text
        # (next month's LinkedIn file: 29,000 unchanged cards, each only set aside)
        card = self._card
        record = (("row", row.values, row.keys, row.tags) if row is not None
                  else ("lines", card.version,
                        [(p.name, p.value, p.params, p.group) for p in card.properties]))
        self._spill, self._where, self._card = spill, spill.put(record), None
        self._known = None

    def prepared_row(self, store: Store) -> PreparedRow:
        """Its new contact's row: as planned, or (the card replaced since) made now."""
        if self._card is None and self._spill is not None and self._where is not None:
            record = self._spill.get(self._where)
            if record[0] == "row":
                return PreparedRow(record[1], record[2], record[3])
        return store.prepare_row(self.card, imported=True, networking=dict(self.network.fields))


class ImportWarning(str):
    """A warning about one card, in words ("FILE: card N (line L): text") and in its
    parts, so a report is built from the parts, never by taking the words apart."""

    file: str
    card: int
    line: int | None
    text: str

    def __new__(cls, file: str, card: int, line: int | None, text: str) -> ImportWarning:
        where = f"card {card} (line {line})" if line is not None else f"card {card}"
        self = super().__new__(cls, f"{file}: {where}: {text}")
        self.file, self.card, self.line, self.text = file, card, line, text
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles keep the parts
        return (ImportWarning, (self.file, self.card, self.line, self.text))


@dataclass
class ImportPlan:
    items: list[ImportItem] = field(default_factory=list)
    errors: list[CardError] = field(default_factory=list)
    file_errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    group_tags: dict[str, list[str]] = field(default_factory=dict)  # member uid → tags
    _spill: _Spill | None = field(default=None, repr=False)  # its cards, see _Spill
    # settings the import saves when it is applied, in its transaction (a CSV's column
    # mapping, remembered for its header): key → JSON value
    settings: dict[str, Any] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)


@dataclass
class ImportPolicy:
    """What to do without asking (the CLI); the preview sets per-item decisions instead."""

    merge_duplicates: bool = False


@dataclass
class ImportSummary:
    new: int = 0
    updated: int = 0
    merged: int = 0
    unchanged: int = 0
    unreadable: int = 0
    skipped: int = 0
    duplicates_kept: list[tuple[str, str]] = field(default_factory=list)
    backup: Path | None = None
    changes: Changes = field(default_factory=Changes)  # what the screens redraw
    # when the writing began: every contact it added or changed has updated_at ≥ this
    # (the list's "Imported just now")
    started_at: str = ""

    def line(self) -> str:
        text = (f"{self.new} new, {self.updated} updated, {self.merged} merged, "
                f"{self.unchanged} unchanged, {self.unreadable} unreadable")
        if self.skipped:
            text += f" ({self.skipped} skipped)"
        return text


class _Pause:
    """Who has the cycle collector paused: it is one switch for the whole process (the
    window's GUI thread too), so the last import to finish turns it back on, never the
    first of two that overlap."""

    lock = threading.Lock()
    holders = 0
    was_enabled = False


def _collector_paused(func: Callable[P, T]) -> Callable[P, T]:
    """Run `func` with Python's cycle collector paused: an import builds hundreds of
    thousands of small objects that hold no cycles, and every collector pass over the
    growing heap cost more than reading the rows (30,000 LinkedIn rows: 3 x slower).
    Only for as long as an import plans or applies (`_Pause`)."""

    @functools.wraps(func)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        with _Pause.lock:
            if _Pause.holders == 0:
                _Pause.was_enabled = gc.isenabled()
                gc.disable()
            _Pause.holders += 1
        try:
            return func(*args, **kwargs)
        finally:
            with _Pause.lock:
                _Pause.holders -= 1
                if _Pause.holders == 0 and _Pause.was_enabled:
                    gc.enable()

    return paused


@_collector_paused
def plan_import(store: Store, paths: Iterable[Path], report: Report | None = None,
                reader: CardReader = iter_vcards) -> ImportPlan:
    """Read the files with `reader` and decide what each card is; writes nothing.

    A damaged book, opened read-only, is refused before any file is read (`DamagedDatabase`,
    in the damage's words): the import could never be written into it (review F16).
    """
    store.db.check_writable()
    plan = ImportPlan()
    paths = list(paths)
    sizes = {}
    for path in paths:
        try:
            if path.is_dir():
                raise IsADirectoryError
            sizes[path] = path.stat().st_size
        except IsADirectoryError:
            plan.file_errors.append((str(path), "is a folder, not a vCard file"))
        except OSError as exc:
            plan.file_errors.append((str(path), f"can't be read ({exc.strerror or exc})"))
    total = sum(sizes.values()) or 1
    index = MatchIndex(store)
    spill = plan._spill = _Spill(store.path.parent, store.insert_columns().index("vcard"))
    done_bytes = 0
    seen_uids: set[str] = set()
    for path in paths:
        if path not in sizes:
            continue
        if sizes[path] > MAX_FILE_BYTES:
            plan.file_errors.append((str(path), "is larger than 2 GB; split it first"))
            continue
        try:
            with path.open("rb") as fh:
                found_card = False
                for n, item in enumerate(reader(fh, str(path))):
                    if isinstance(item, CardError):
                        if item.is_file_error:
                            if not found_card:
                                plan.file_errors.append((str(path), item.reason))
                        else:
                            plan.errors.append(item)
                        continue
                    found_card = True
                    if len(plan.items) >= MAX_IMPORT_CARDS:
                        plan.file_errors.append((str(path), (
                            f"holds more than {MAX_IMPORT_CARDS:,} contacts, more than one "
                            "import takes; split the file")))
                        plan.items = [i for i in plan.items if i.file != str(path)]
                        break
                    collected = _collect_card(store, plan, item, str(path), seen_uids)
                    if collected is not None:  # matched and put away as it is read
                        _plan_item(store, index, spill, collected)
                    if report and n % 50 == 0:
                        report(done_bytes + fh.tell(), total)  # how far the reader got
        except OSError as exc:
            plan.file_errors.append((str(path), f"can't be read ({exc.strerror or exc})"))
        done_bytes += sizes[path]
    _apply_group_tags(store, index, spill, plan)  # members planned again, with their tags
    # table rows matching a stored contact
    firm = [(planned, *planned._firm) for planned in plan.items if planned._firm]
    for batch in chunked(firm, 500):  # their contacts' cards, 500 to a query
        ids = list({cid for _, cid, _ in batch})
        found = {cid: (text, revision, chash) for cid, text, revision, chash in
                 Contact.select(Contact.id, Contact.vcard, Contact.revision,
                                Contact.content_hash)
                 .where(Contact.id.in_(ids)).tuples()}
        for row, cid, reason in batch:
            text, row.revision, row.base_hash = found[cid]
            _update_from_partial(store, index, row, cid, reason, parse_card_text(text))
            if row.status == "changed":
                row.put_base_away(spill, text)
    if report:
        report(total, total)
    return plan


def _collect_card(store: Store, plan: ImportPlan, parsed: ParsedCard, file: str,
                  seen_uids: set[str]) -> ImportItem | None:
    card = parsed.card
    for warning in parsed.warnings:
        plan.warnings.append(ImportWarning(file, parsed.number, parsed.line, warning))
    if parsed.known is None and card.kind == "group":
        tag = card.formatted_name or card.display_name
        for uid in group_members(card):
            plan.group_tags.setdefault(uid, []).append(tag)
        return None
    network = (take_network_data(card) if parsed.network is None
               else network_from_texts(parsed.network))
    known = parsed.known  # a row worked out by the reader: a named card with a UID
    uid = known.uid if known is not None else card.uid
    if uid and uid in seen_uids:
        plan.warnings.append(ImportWarning(file, parsed.number, None,
                                           "its UID was already used by an earlier card in "
                                           "this import; it gets a new one"))
        card.remove("UID")
        known = None
    if known is None:
        store.prepare_card(card)
    item = ImportItem.of(parsed, file, network, known)
    seen_uids.add(item.uid)
    plan.items.append(item)
    return item


def _plan_item(store: Store, index: MatchIndex, spill: _Spill, item: ImportItem) -> None:
    """Match the card; a card that may become a new contact gets that contact's row now
    (its hash and match keys worked out once, for both); put the card away."""
    item._firm = _classify(store, index, item)
    if item._firm is not None:  # finished with its contact's card, after the reading
        return
    if item.status in ("new", "duplicate"):
        phones, emails = item._typed or (None, None)
        known = item._known
        card = item._card if known is not None else item.card
        assert card is not None
        row = store.prepare_row(card, imported=True, networking=dict(item.network.fields),
                                known_hash=item.content_hash, known_keys=item._keys,
                                phones=phones, emails=emails, known=known)
        item.put_away(spill, row)
    elif item.status == "unchanged":
        item.put_away(spill, None)
    if item._base is not None:  # a changed card's contact as planned on, for a merge
        item.put_base_away(spill, card_to_text(item._base))
    item._keys = item._typed = None  # a changed card stays: the import updates or merges it


def _classify(store: Store, index: MatchIndex, item: ImportItem) -> tuple[int, str] | None:
    """New, unchanged, changed (same UID) or a probable duplicate of a stored contact;
    for a table row that is firmly a stored contact, that contact and why (the caller
    finishes it with _update_from_partial).

    A card is unchanged when it equals the contact, or equals the version last imported
    into it (the contact was edited here since, or the card was merged in): importing
    the same file twice changes nothing the second time.
    """
    # only read here: asking the item for it would set aside the row the reader knew
    reader_row = item._known
    card = item._card if reader_row is not None else item.card
    assert card is not None
    item.content_hash = chash = (reader_row.content_hash() if reader_row is not None
                                 else content_hash(card))
    uid = item.uid  # the card's, read once (it is asked for all through matching)
    merged_into = index.merged.get(uid)
    if merged_into is not None:  # a card merged away (Find Duplicates): onto the merged one
        existing = store.get_card(merged_into)
        item.contact_id, item.edited_locally = merged_into, True
        item.match_reason = MERGED_BEFORE
        item.existing_name = index.names.get(merged_into, existing.display_name)
        merged = merge_cards(existing, card, store.region)
        if content_hash(merged) == content_hash(existing):
            item.status, item.decision = "unchanged", "skip"
        else:
            item.status, item.decision = "changed", "merge"
            item.differences = differences(existing, merged)
        return None
    known = index.by_uid.get(uid)
    if known is not None:
        cid, stored_hash, imported_hash, edited, trashed, item.revision = known
        item.base_hash = stored_hash
        item.contact_id, item.trashed, item.edited_locally = cid, trashed, edited
        item.existing_name = index.names.get(cid, card.display_name)
        if chash in (stored_hash, imported_hash) and not trashed:
            item.status, item.decision = "unchanged", "skip"
        else:
            item.status = "changed"
            item.decision = "merge" if edited else "update"
            item._base = store.get_card_any(cid)
            item.differences = differences(item._base, card)
    elif chash in index.by_hash:
        item.status, item.decision = "unchanged", "skip"
        item.contact_id = index.by_hash[chash]
        item.existing_name = index.names.get(item.contact_id, "")
    elif item.partial and (found := same_person(index, card)) is not None:
        return found  # the caller reads that contact's card (in batches) and updates it
    else:
        if reader_row is not None:
            item._keys = reader_row.match_keys()
        else:
            item._typed = phones, emails = card.phones, card.emails  # kept for its row
            item._keys = match_keys(card, store.region, phones=phones, emails=emails)
        match = probable_duplicate(index, card, store.region, item._keys)
        if match is not None:
            item.status, item.decision = "duplicate", "keep"
            item.contact_id, item.match_reason = match
            item.existing_name = index.names.get(item.contact_id, "")
    return None


def _update_from_partial(store: Store, index: MatchIndex, item: ImportItem, cid: int,
                         reason: str, existing: Card) -> None:
    """A table row's card matched a stored contact: the plan holds that contact brought
    up to date (duplicates.update_card) — unchanged when the row adds nothing new."""
    item._row = item.card
    updated = update_card(existing, item._row, store.region)
    item.card = updated
    item.contact_id, item.match_reason = cid, reason
    item.existing_name = index.names.get(cid, existing.display_name)
    known = index.by_uid.get(existing.uid)
    item.edited_locally = bool(known and known[3])
    item.content_hash = content_hash(updated)
    if item.content_hash == content_hash(existing):
        item.status, item.decision = "unchanged", "skip"
        return
    item.status, item.decision = "changed", "update"
    item.differences = differences(existing, updated)
    change = job_change(existing, updated)
    if change:
        item.job_change = change
        item.differences.insert(0, f"{change} — a reason to get in touch")
        item.network.fields.setdefault("follow_up", dt.date.today())
        item.network.fields.setdefault("follow_up_note", change)


def _apply_group_tags(store: Store, index: MatchIndex, spill: _Spill,
                      plan: ImportPlan) -> None:
    """A group card names its members by UID, anywhere in the files: once all are read,
    its members get its name as a tag and are matched again (the tags are stored)."""
    if not plan.group_tags:
        return
    for n, item in enumerate(plan.items):
        tags = plan.group_tags.get(item.uid)
        if tags:
            card = item.card
            card.set_categories(card.categories + tags)
            again = ImportItem(item.file, item.number, item.line, item.warnings, "new",
                               item.network, item.partial, item.source_version,
                               decision="add")
            again.card = card
            plan.items[n] = again
            _plan_item(store, index, spill, again)



@_collector_paused
def apply_import(store: Store, plan: ImportPlan, policy: ImportPolicy | None = None,
                 report: Report | None = None) -> ImportSummary:
    """Write the plan in ONE transaction (after a checked backup): all of it, or — on an
    error or a Cancel raised by `report` — nothing at all. The user's "Import" operation: what it
    changed is `summary.changes`."""
    policy = policy or ImportPolicy()
    started = dt.datetime.now().replace(microsecond=0)
    summary = ImportSummary(unreadable=len(plan.errors), started_at=str(started))
    for item in plan.items:
        if item.status == "duplicate" and policy.merge_duplicates and item.decision == "keep":
            item.decision = "merge"
    writes = [i for i in plan.items if i.decision != "skip"]
    summary.unchanged = sum(1 for i in plan.items if i.status == "unchanged")
    summary.skipped = sum(1 for i in plan.items if i.decision == "skip"
                          and i.status != "unchanged")
    if writes or plan.group_tags:
        try:
            summary.backup = store.backup("before-import")
        except BackupError as exc:  # no import without a backup to go back to
            why = "the disk is full" if exc.disk_full else str(exc).removesuffix(
                "; nothing was changed")
            raise BackupError(f"{why} — nothing was imported", exc.disk_full) from None
        summary.changes = Changes.all()
    total = len(writes) or 1
    # The new contacts' rows (card text, index columns, thumbnails) were built while the
    # import was planned, outside any lock, so the write lock is held only for the bulk
    # write and other writers (`netbook log`, a Save in the window) wait briefly instead
    # of failing (bench/bench_import_lock.py). They come back from the plan's spill file
    # a thousand at a time: memory stays bounded whatever the file's size.
    new_items = [i for i in writes if i.decision in ("add", "keep")]
    with store.db.atomic():
        with store.bulk_insert(len(new_items)):
            for batch in chunked(new_items, 1000):
                ids = store.insert_rows([item.prepared_row(store) for item in batch],
                                        stamp=started)
                for item, cid in zip(batch, ids, strict=True):
                    item.contact_id = cid
                    networking.add_missing_interactions(cid, item.network.interactions)
                    if item.status == "duplicate":
                        summary.duplicates_kept.append((item.name, item.existing_name))
                summary.new += len(batch)
                if report:
                    report(summary.new, total)
        # contact → (its card's hash as this import left it, whether that write marked it
        # edited here — a table row's does): an earlier card of this import writing it is
        # no edit made here, but the mark it left stays
        written: dict[int, tuple[str, bool]] = {}
        for n, item in enumerate(i for i in writes if i.decision in ("update", "merge")):
            assert item.contact_id is not None
            cid = item.contact_id
            moved = _moved_since_planned(store, item, written.get(cid, ("", False))[0])
            if moved is None:  # put in the trash since the preview was made: left there
                item.decision = "skip"
                summary.skipped += 1
                continue
            if item.trashed:
                store.restore_contacts([cid])
            if moved is True:
                item.edited_locally = True
            keep_mark = item.edited_locally or (moved == "this import" and written[cid][1])
            if item.decision == "update" and moved and item.partial:
                # the row again, onto the contact as it is now (job change and all)
                row = item._row if item._row is not None else item.card
                card = update_card(store.get_card(cid), row, store.region)
                wrote = store.save_card(cid, card)
                summary.updated += 1
            elif item.decision == "update" and not moved:
                # a partial card's update is more than any one file holds: not a base
                wrote = store.save_card(cid, item.card, imported=not item.partial)
                summary.updated += 1
            elif item.decision == "update" and item._base_where is not None:
                # its card was edited since the plan: the file's changes onto the edit's
                existing = store.get_card(cid)
                merged = merge_edited(item.base(), existing, item.card, store.region)
                if content_hash(merged) == content_hash(existing):
                    summary.unchanged += 1
                    wrote = None
                else:
                    wrote = store.save_card(cid, merged, imported=not keep_mark,
                                            import_hash=item.content_hash)
                    summary.merged += 1  # the file's changes and the edit's
            else:  # a merge, or an update of a contact edited since it was planned
                existing = store.get_card(cid)
                merged = merge_cards(existing, item.card, store.region)
                if content_hash(merged) == content_hash(existing) and not item.trashed:
                    summary.unchanged += 1  # everything in the card is here already
                    wrote = None
                else:
                    same_uid = (item.status == "changed" and item.match_reason != MERGED_BEFORE
                                and not item.partial)
                    wrote = store.save_card(cid, merged,
                                            imported=same_uid and not keep_mark,
                                            import_hash=item.content_hash if same_uid
                                            else None)
                    summary.merged += 1
            networking.fill_empty_fields(item.contact_id, item.network.fields)
            networking.add_missing_interactions(item.contact_id, item.network.interactions)
            if wrote is not None:
                chash, edited_at = store.db.execute_sql(_WRITTEN_SQL, (cid,)).fetchone()
                written[cid] = (chash, edited_at is not None)
            if report and n % 50 == 0:
                report(len(new_items) + n, total)
        _link_introducers(store, plan)
        for item in writes:
            if item.contact_id and item.network.relations and item.decision != "skip":
                relations.set_relations(item.contact_id, item.network.relations, replace=False)
        _tag_existing_members(store, plan)
        networking.refresh_summary(store, [i.contact_id for i in writes
                                           if i.contact_id and i.network.interactions])
        for key, value in plan.settings.items():
            set_setting(store, key, value)
    return summary


_MOVED_SQL = 'SELECT "revision", "deleted_at", "content_hash" FROM "contact" WHERE "id" = ?'
_WRITTEN_SQL = 'SELECT "content_hash", "edited_at" FROM "contact" WHERE "id" = ?'


def _moved_since_planned(store: Store, item: ImportItem, written: str
                         ) -> bool | str | None:
    """Whether the card of the contact an item writes onto changed since the plan was
    made (a Save in the window, a tag, a sync): True; "this import" when an earlier card
    of this import wrote it and it is as that left it (`written`: its hash then) — no
    edit made here; None when it went to the trash meanwhile. Only the card counts: a
    rhythm or a follow-up set meanwhile (`netbook set`) leaves the update as planned.
    An update of a moved card is merged with it three ways, so the edit is kept."""
    if item.revision is None:  # a merge planned without one reads the contact as it is
        return False
    row = store.db.execute_sql(_MOVED_SQL, (item.contact_id,)).fetchone()
    if row is None or (row[1] is not None and not item.trashed):
        return None
    revision, _, chash = row
    if revision == item.revision or (item.base_hash and chash == item.base_hash):
        return False
    if written == chash:
        return "this import"
    return True


def _link_introducers(store: Store, plan: ImportPlan) -> None:
    for item in plan.items:
        uid = item.network.introduced_by_uid
        if not uid or item.contact_id is None or item.decision == "skip":
            continue
        intro = store.find_by_uid(uid)
        if intro is not None and intro != item.contact_id \
                and not networking.introduction_loop(item.contact_id, intro):
            Contact.update(introduced_by=intro).where(
                (Contact.id == item.contact_id) & Contact.introduced_by.is_null()).execute()


def _tag_existing_members(store: Store, plan: ImportPlan) -> None:
    """Group cards naming contacts already in the store (not in this file) tag them too."""
    in_file = {i.uid for i in plan.items}
    for uid, tags in plan.group_tags.items():
        if uid in in_file:
            continue
        cid = store.find_by_uid(uid)
        if cid is None:
            continue
        card = store.get_card(cid)
        wanted = list(dict.fromkeys(card.categories + tags))
        if wanted != card.categories:
            card.set_categories(wanted)
            # only the tags changed: whether it was edited here since its own card was
            # imported stays as it was (a later changed card is merged, not written over)
            row = Contact.get_by_id(cid)
            store.save_card(cid, card, import_hash=row.imported_hash)
            Contact.update(edited_at=row.edited_at).where(Contact.id == cid).execute()
