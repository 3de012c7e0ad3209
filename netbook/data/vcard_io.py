"""Import and export: vCard files in, vCard files out, nothing lost either way.

Import is two steps so the window can show a preview: `plan_import` reads the files and
matches every card against the store (UID, then same content, then probable duplicates
by phone, email or name) without writing; `apply_import` writes the plan in one
transaction, after a backup of the database file. netbook's own networking data travels
as X-NETBOOK-* properties.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from peewee import chunked

from . import networking
from .contacts import NETBOOK_PREFIX, Store, content_hash, match_keys
from .models import Contact, ContactKey, Interaction, Tag
from .text import fold, normalise_phone
from .vcard.card import Card, Property, escape_text, unescape_text
from .vcard.reader import CardError, ParsedCard, group_members, iter_vcards, parse_card_text
from .vcard.writer import card_to_bytes

Report = Callable[[int, int], None]
MAX_FILE_BYTES = 2 * 1024**3

# networking field ↔ X-NETBOOK property
_NET_PROPS = {
    "rhythm_days": "X-NETBOOK-RHYTHM", "circle": "X-NETBOOK-CIRCLE", "met_on": "X-NETBOOK-MET",
    "met_where": "X-NETBOOK-MET-WHERE", "does": "X-NETBOOK-DOES", "needs": "X-NETBOOK-NEEDS",
    "offers": "X-NETBOOK-OFFERS", "follow_up": "X-NETBOOK-FOLLOW-UP",
    "follow_up_note": "X-NETBOOK-FOLLOW-UP-NOTE", "snoozed_until": "X-NETBOOK-SNOOZED-UNTIL",
}
_DATE_FIELDS = {"met_on", "follow_up", "snoozed_until"}
_INTERACTION = "X-NETBOOK-INTERACTION"
_INTRODUCED_BY = "X-NETBOOK-INTRODUCED-BY"


# -- networking data in a card ------------------------------------------------


@dataclass
class NetworkData:
    fields: dict = field(default_factory=dict)
    introduced_by_uid: str = ""
    interactions: list[dict] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.fields or self.introduced_by_uid or self.interactions)


def take_network_data(card: Card) -> NetworkData:
    """Remove X-NETBOOK-* from the card (the tables hold them) and return their values."""
    data = NetworkData()
    for prop in card.remove_prefixed(NETBOOK_PREFIX):
        text = prop.text.strip()
        if prop.name == _INTRODUCED_BY:
            data.introduced_by_uid = text
            continue
        if prop.name == _INTERACTION:
            params = {k: v for k, v in prop.params}
            try:
                on = dt.date.fromisoformat(params.get("DATE", ""))
            except ValueError:
                continue
            kind = params.get("KIND", "call").lower()
            if kind not in networking.INTERACTION_KINDS:
                kind = "call"
            exchange = params.get("EXCHANGE", "").lower()
            exchange = exchange if exchange in ("gave", "asked") else ""
            gift = params.get("GIFT", "").lower() if exchange == "gave" else ""
            gift = gift if gift in networking.GIFT_KINDS else ""
            data.interactions.append({"on": min(on, dt.date.today()), "kind": kind,
                                      "note": prop.text, "exchange": exchange, "gift": gift})
            continue
        for key, name in _NET_PROPS.items():
            if prop.name != name or not text:
                continue
            if key in _DATE_FIELDS:
                with contextlib.suppress(ValueError):
                    data.fields[key] = dt.date.fromisoformat(text)
            elif key == "rhythm_days":
                with contextlib.suppress(ValueError):
                    if int(text) > 0:
                        data.fields[key] = int(text)
            elif key == "circle":
                if text.lower() in networking.CIRCLES:
                    data.fields[key] = text.lower()
            else:
                data.fields[key] = prop.text
    if data.fields.get("met_on") and data.fields["met_on"] > dt.date.today():
        data.fields.pop("met_on")
    return data


def network_properties(store: Store, contact: Contact,
                       log: list[networking.InteractionRow] | None = None,
                       introducer_uid: str | None = None) -> list[Property]:
    """The X-NETBOOK-* lines for one contact (export). `log` and `introducer_uid` spare
    the queries when the caller read them for many contacts at once."""
    props: list[Property] = []
    for key, name in _NET_PROPS.items():
        value = getattr(contact, key)
        if value in (None, ""):
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        props.append(Property(name, escape_text(text)))
    if contact.introduced_by_id and introducer_uid is None:
        intro = Contact.get_or_none(Contact.id == contact.introduced_by_id)
        introducer_uid = intro.uid if intro is not None else None
    if contact.introduced_by_id and introducer_uid:
        props.append(Property(_INTRODUCED_BY, escape_text(introducer_uid)))
    for row in log if log is not None else networking.interactions(store, contact.id):
        params = [("DATE", row.on.isoformat()), ("KIND", row.kind)]
        if row.exchange:
            params.append(("EXCHANGE", row.exchange))
        if row.gift:
            params.append(("GIFT", row.gift))
        props.append(Property(_INTERACTION, escape_text(row.note), params))
    return props


# -- planning an import -------------------------------------------------------


@dataclass
class ImportItem:
    parsed: ParsedCard
    file: str
    status: str  # new | unchanged | changed | duplicate
    network: NetworkData
    contact_id: int | None = None  # the existing contact it matches
    existing_name: str = ""
    match_reason: str = ""  # duplicates: "same phone +1 555…", "same email", "same name"
    differences: list[str] = field(default_factory=list)
    edited_locally: bool = False  # the contact was edited in netbook since its last import
    trashed: bool = False  # matches a contact in the trash
    decision: str = ""  # add | update | merge | skip | keep (both)
    content_hash: str = ""  # the card's, as it will be stored

    @property
    def card(self) -> Card:
        return self.parsed.card

    @property
    def name(self) -> str:
        return self.card.display_name


@dataclass
class ImportPlan:
    items: list[ImportItem] = field(default_factory=list)
    errors: list[CardError] = field(default_factory=list)
    file_errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    group_tags: dict[str, list[str]] = field(default_factory=dict)  # member uid → tags

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

    def line(self) -> str:
        text = (f"{self.new} new, {self.updated} updated, {self.merged} merged, "
                f"{self.unchanged} unchanged, {self.unreadable} unreadable")
        if self.skipped:
            text += f" ({self.skipped} skipped)"
        return text


class _Index:
    """The store's identities in memory, so matching 10,000 cards costs no per-card query."""

    def __init__(self, store: Store) -> None:
        # uid → (id, content hash, hash when last imported, edited since, in the trash)
        self.by_uid: dict[str, tuple[int, str, str, bool, bool]] = {}
        self.by_hash: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.names: dict[int, str] = {}
        q = Contact.select(Contact.id, Contact.uid, Contact.content_hash, Contact.imported_hash,
                           Contact.display_name, Contact.edited_at, Contact.deleted_at).tuples()
        for cid, uid, chash, imported, name, edited, deleted in q:
            self.by_uid[uid] = (cid, chash, imported, edited is not None, deleted is not None)
            if deleted is None:
                self.by_hash.setdefault(chash, cid)
                self.by_name.setdefault(fold(name), cid)
                self.names[cid] = name
        self.by_key: dict[str, int] = {}
        keys = (ContactKey.select(ContactKey.value, ContactKey.contact).join(Contact)
                .where(Contact.deleted_at.is_null()).tuples())
        for value, cid in keys:
            self.by_key.setdefault(value, cid)


def plan_import(store: Store, paths: Iterable[Path], report: Report | None = None) -> ImportPlan:
    """Read the files and decide what each card is; writes nothing."""
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
    index = _Index(store)
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
                counted = _CountingReader(fh)
                found_card = False
                for n, item in enumerate(iter_vcards(counted, str(path))):
                    if isinstance(item, CardError):
                        if item.is_file_error:
                            if not found_card:
                                plan.file_errors.append((str(path), item.reason))
                        else:
                            plan.errors.append(item)
                        continue
                    found_card = True
                    _collect_card(store, plan, item, str(path), seen_uids)
                    if report and n % 50 == 0:
                        report(done_bytes + counted.position, total)
        except OSError as exc:
            plan.file_errors.append((str(path), f"can't be read ({exc.strerror or exc})"))
        done_bytes += sizes[path]
    _apply_group_tags(plan)  # before matching: the tags are part of what is stored
    for item in plan.items:
        _classify(store, index, item)
    if report:
        report(total, total)
    return plan


class _CountingReader:
    """A file wrapper that knows how far the reader got (for the progress bar)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.position = 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.position += len(data)
        return data


def _collect_card(store: Store, plan: ImportPlan, parsed: ParsedCard, file: str,
                  seen_uids: set[str]) -> None:
    card = parsed.card
    for warning in parsed.warnings:
        plan.warnings.append(f"{file}: card {parsed.number} (line {parsed.line}): {warning}")
    if card.kind == "group":
        tag = card.formatted_name or card.display_name
        for uid in group_members(card):
            plan.group_tags.setdefault(uid, []).append(tag)
        return
    network = take_network_data(card)
    if card.uid and card.uid in seen_uids:
        plan.warnings.append(f"{file}: card {parsed.number}: its UID was already used by an "
                             "earlier card in this import; it gets a new one")
        card.remove("UID")
    store.prepare_card(card)
    seen_uids.add(card.uid)
    plan.items.append(ImportItem(parsed, file, "new", network, decision="add"))


def _classify(store: Store, index: _Index, item: ImportItem) -> None:
    """New, unchanged, changed (same UID) or a probable duplicate of a stored contact.

    A card is unchanged when it equals the contact, or equals the version last imported
    into it (the contact was edited here since, or the card was merged in): importing
    the same file twice changes nothing the second time.
    """
    card = item.card
    item.content_hash = chash = content_hash(card)
    known = index.by_uid.get(card.uid)
    if known is not None:
        cid, stored_hash, imported_hash, edited, trashed = known
        item.contact_id, item.trashed, item.edited_locally = cid, trashed, edited
        item.existing_name = index.names.get(cid, card.display_name)
        if chash in (stored_hash, imported_hash) and not trashed:
            item.status, item.decision = "unchanged", "skip"
        else:
            item.status = "changed"
            item.decision = "merge" if edited else "update"
            item.differences = differences(store.get_card_any(cid), card)
    elif chash in index.by_hash:
        item.status, item.decision = "unchanged", "skip"
        item.contact_id = index.by_hash[chash]
        item.existing_name = index.names.get(item.contact_id, "")
    else:
        match = _probable_duplicate(store, index, card)
        if match is not None:
            item.status, item.decision = "duplicate", "keep"
            item.contact_id, item.match_reason = match
            item.existing_name = index.names.get(item.contact_id, "")


def _probable_duplicate(store: Store, index: _Index, card: Card) -> tuple[int, str] | None:
    for kind, value in sorted(match_keys(card, store.region)):
        cid = index.by_key.get(value)
        if cid is not None:
            return cid, f"same {kind} {value}"
    name = fold(card.display_name)
    if name and name in index.by_name:
        return index.by_name[name], "same name"
    return None


def _apply_group_tags(plan: ImportPlan) -> None:
    if not plan.group_tags:
        return
    for item in plan.items:
        tags = plan.group_tags.get(item.card.uid)
        if tags:
            item.card.set_categories(item.card.categories + tags)


# -- comparing and merging ----------------------------------------------------


def _summary(card: Card) -> dict[str, str]:
    return {
        "Name": card.display_name,
        "Organization": " / ".join(p for p in (card.organization, card.department) if p),
        "Title": card.title,
        "Phones": ", ".join(p.value for p in card.phones),
        "Emails": ", ".join(e.value for e in card.emails),
        "Addresses": "; ".join(a.one_line() for a in card.addresses),
        "Websites": ", ".join(u.value for u in card.urls),
        "Birthday": card.birthday.iso() if card.birthday else "",
        "Tags": ", ".join(card.categories),
        "Note": card.note,
        "Photo": "yes" if card.first("PHOTO") else "",
    }


def differences(old: Card, new: Card) -> list[str]:
    """What a changed card would change, field by field, in words."""
    before, after = _summary(old), _summary(new)
    out = []
    for key in before:
        if before[key] != after[key]:
            a = " ".join(before[key].split()) or "(none)"
            b = " ".join(after[key].split()) or "(none)"
            out.append(f"{key}: {a[:80]} → {b[:80]}")
    if not out:
        out.append("Other details differ (labels, extra fields)")
    return out


_SINGLE = ("FN", "N", "ORG", "TITLE", "BDAY", "ANNIVERSARY", "NICKNAME", "PHOTO", "ROLE",
           "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "X-PHONETIC-MIDDLE-NAME", "GENDER")
_MULTI = ("TEL", "EMAIL", "ADR", "URL", "IMPP", "X-SOCIALPROFILE")


def _normal(prop: Property, region: str) -> str:
    text = unescape_text(prop.value)
    if prop.name == "TEL":  # "+1 555 010 0001" and "(555) 010-0001" are one number
        return normalise_phone(text, region)
    return fold(text)


def merge_cards(base: Card, other: Card, region: str = "US") -> Card:
    """`base` plus what `other` adds: empty fields filled, lists united, both notes kept.

    Merging the same card in twice adds nothing the second time.
    """
    merged = base.copy()
    for name in _SINGLE:
        if merged.first(name) is None and other.first(name) is not None:
            merged.add(_copy(other.first(name)))
    used_groups = {p.group.lower() for p in merged.properties if p.group}
    for name in _MULTI:
        have = {_normal(p, region) for p in merged.get(name)}
        for prop in other.get(name):
            if _normal(prop, region) in have:
                continue
            have.add(_normal(prop, region))
            extra = [_copy(prop)]
            if prop.group:
                new_group = _free_group(used_groups)
                extra = [_copy(p, group=new_group) for p in other.properties
                         if p.group.lower() == prop.group.lower()
                         and (p is prop or p.name not in _MULTI)]
            for p in extra:
                merged.add(p)
    merged.set_categories(list(dict.fromkeys(merged.categories + other.categories)))
    notes = [n for n in (base.note, other.note) if n.strip()]
    if len(notes) == 2 and fold(notes[1]) not in fold(notes[0]):  # not merged in before
        merged.remove("NOTE")
        merged.set_text("NOTE", f"{notes[0]}\n\n{notes[1]}")
    elif not base.note.strip() and other.note.strip():
        merged.set_text("NOTE", other.note)
    known = {p.name for p in merged.properties}
    for prop in other.properties:
        if prop.name.startswith("X-") and prop.name not in known and not prop.group:
            merged.add(_copy(prop))
    return merged


def _copy(prop: Property, group: str | None = None) -> Property:
    return Property(prop.name, prop.value, list(prop.params),
                    prop.group if group is None else group)


def _free_group(used: set[str]) -> str:
    n = 1
    while f"item{n}" in used:
        n += 1
    used.add(f"item{n}")
    return f"item{n}"


# -- applying -----------------------------------------------------------------


def apply_import(store: Store, plan: ImportPlan, policy: ImportPolicy | None = None,
                 report: Report | None = None) -> ImportSummary:
    """Write the plan in ONE transaction (after a backup): all of it, or — on an error or a
    Cancel raised by `report` — nothing at all."""
    policy = policy or ImportPolicy()
    summary = ImportSummary(unreadable=len(plan.errors))
    for item in plan.items:
        if item.status == "duplicate" and policy.merge_duplicates and item.decision == "keep":
            item.decision = "merge"
    writes = [i for i in plan.items if i.decision != "skip"]
    summary.unchanged = sum(1 for i in plan.items if i.status == "unchanged")
    summary.skipped = sum(1 for i in plan.items if i.decision == "skip"
                          and i.status != "unchanged")
    if writes or plan.group_tags:
        summary.backup = store.backup("before-import")
    total = len(writes) or 1
    with store.db.atomic():
        new_items = [i for i in writes if i.decision in ("add", "keep")]
        for batch_no, batch in enumerate(chunked(new_items, 200)):
            ids = store.add_cards([i.card for i in batch], imported=True,
                                  networking=[dict(i.network.fields) for i in batch])
            for item, cid in zip(batch, ids, strict=True):
                item.contact_id = cid
                _add_interactions(cid, item.network)
                if item.status == "duplicate":
                    summary.duplicates_kept.append((item.name, item.existing_name))
            summary.new += len(batch)
            if report:
                report(min((batch_no + 1) * 200, len(new_items)), total)
        for n, item in enumerate(i for i in writes if i.decision in ("update", "merge")):
            assert item.contact_id is not None
            if item.trashed:
                store.restore_contacts([item.contact_id])
            if item.decision == "update":
                store.save_card(item.contact_id, item.card, imported=True)
                summary.updated += 1
            else:
                existing = store.get_card(item.contact_id)
                merged = merge_cards(existing, item.card, store.region)
                if content_hash(merged) == content_hash(existing) and not item.trashed:
                    summary.unchanged += 1  # everything in the card is here already
                else:
                    same_uid = item.status == "changed"
                    store.save_card(item.contact_id, merged,
                                    imported=same_uid and not item.edited_locally,
                                    import_hash=item.content_hash if same_uid else None)
                    summary.merged += 1
            _fill_network(store, item.contact_id, item.network)
            _add_interactions(item.contact_id, item.network)
            if report and n % 50 == 0:
                report(len(new_items) + n, total)
        _link_introducers(store, plan)
        _tag_existing_members(store, plan)
        networking.refresh_summary(store, [i.contact_id for i in writes
                                           if i.contact_id and i.network.interactions])
    return summary


def _fill_network(store: Store, contact_id: int, network: NetworkData) -> None:
    """netbook's own data stays; the file only fills what is empty here."""
    if not network.fields:
        return
    contact = Contact.get_by_id(contact_id)
    empty = {k: v for k, v in network.fields.items() if getattr(contact, k) in (None, "")}
    if empty:
        Contact.update(**empty).where(Contact.id == contact_id).execute()


def _add_interactions(contact_id: int, network: NetworkData) -> None:
    if not network.interactions:
        return
    have = {(r.on, r.kind, r.note) for r in Interaction.select(
        Interaction.on, Interaction.kind, Interaction.note).where(
        Interaction.contact == contact_id)}
    rows = [(contact_id, e["on"], e["kind"], e["note"], e["exchange"], e["gift"])
            for e in network.interactions if (e["on"], e["kind"], e["note"]) not in have]
    for batch in chunked(rows, 100):
        Interaction.insert_many(batch, fields=[Interaction.contact, Interaction.on,
                                               Interaction.kind, Interaction.note,
                                               Interaction.exchange, Interaction.gift]).execute()


def _link_introducers(store: Store, plan: ImportPlan) -> None:
    for item in plan.items:
        uid = item.network.introduced_by_uid
        if not uid or item.contact_id is None or item.decision == "skip":
            continue
        intro = store.find_by_uid(uid)
        if intro is not None and intro != item.contact_id:
            Contact.update(introduced_by=intro).where(
                (Contact.id == item.contact_id) & Contact.introduced_by.is_null()).execute()


def _tag_existing_members(store: Store, plan: ImportPlan) -> None:
    """Group cards naming contacts already in the store (not in this file) tag them too."""
    in_file = {i.card.uid for i in plan.items}
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
            store.save_card(cid, card, imported=True)


# -- export -------------------------------------------------------------------


def export_ids(store: Store, ids: Iterable[int] | None = None, tag: str | None = None) -> list[int]:
    q = Contact.select(Contact.id).where(Contact.deleted_at.is_null())
    if ids is not None:
        q = q.where(Contact.id.in_(list(ids)))
    if tag:
        q = q.where(Contact.id.in_(Tag.select(Tag.contact).where(Tag.name == tag)))
    return [cid for (cid,) in q.order_by(Contact.sort_key, Contact.id).tuples()]


def export_cards(store: Store, ids: list[int]) -> Iterator[Card]:
    """The stored cards with netbook's networking data added as X-NETBOOK-* lines."""
    for batch in chunked(ids, 200):
        contacts = {c.id: c for c in Contact.select().where(Contact.id.in_(batch))}
        logs = networking.interactions_for(store, batch)
        wanted = {c.introduced_by_id for c in contacts.values() if c.introduced_by_id}
        uids = dict(Contact.select(Contact.id, Contact.uid)
                    .where(Contact.id.in_(list(wanted))).tuples()) if wanted else {}
        for cid in batch:
            contact = contacts[cid]
            card = parse_card_text(contact.vcard)
            for prop in network_properties(store, contact, logs[cid],
                                           uids.get(contact.introduced_by_id, "")):
                card.add(prop)
            yield card


def export_vcards(store: Store, target: Path | BinaryIO, *, version: str = "3.0",
                  ids: Iterable[int] | None = None, tag: str | None = None,
                  report: Report | None = None) -> int:
    """Write contacts to a file (atomically: a temp file renamed into place) or a stream."""
    chosen = export_ids(store, ids, tag)

    def write(stream: BinaryIO) -> int:
        for n, card in enumerate(export_cards(store, chosen)):
            stream.write(card_to_bytes(card, version))
            if report and n % 100 == 0:
                report(n, len(chosen))
        return len(chosen)

    if not isinstance(target, Path):
        return write(target)
    fd, tmp = tempfile.mkstemp(prefix=".netbook-export-", suffix=".vcf", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            count = write(fh)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return count
