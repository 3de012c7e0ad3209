"""Two-way sync between the store and CardDAV address books (rules after vdirsyncer).

Per card, a SyncItem remembers what both sides held at the last sync: the server's href
and etag, a fingerprint of the server card and of the local contact (normalised content
plus netbook's X-NETBOOK-* networking data: never bytes, servers re-serialise), and the
synced text as the base. Against that state:

- changed on one side only → copied to the other; new on one side → created on the other
  (an existing contact with the same UID is matched first);
- deleted on one side, unchanged on the other → deleted there too (locally: the trash);
  an edit beats a delete;
- changed on both sides → a SyncConflict (kept until resolved), unless `prefer` says who
  wins; a 412 on upload means the server changed meanwhile: fetch and decide again.

Each local write happens in one small transaction together with that card's state, and
the server's sync token is saved only once a collection is through, so a sync killed or
cut off at any point leaves both sides consistent and the next one picks up from there.
A first upload into an empty Radicale book goes as one whole-book write (_bulk_upload).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin

import httpx
from peewee import chunked

from .. import networking
from ..contacts import Store, StoreError, content_hash
from ..duplicates import merge_cards
from ..models import Contact, Interaction, SyncAccount, SyncCollection, SyncConflict, SyncItem
from ..vcard.card import Card
from ..vcard.netbook_props import (
    NETWORK_PROPS,
    NetworkData,
    network_properties,
    take_network_data,
)
from ..vcard.reader import parse_card_text, read_vcards
from ..vcard.writer import card_to_bytes, card_to_text
from .accounts import AccountError, get_account, get_password
from .dav import (
    Changes,
    DavClient,
    DavError,
    PreconditionFailed,
    TokenExpired,
    describe,
    norm_path,
)

Progress = Callable[[int, int, str], None]
BULK_MIN_CARDS = 50  # fewer new cards than this go up one by one, the standard way
BULK_MAX_BYTES = 50 * 1024 * 1024  # under Radicale's default max_content_length (100 MB)
# no leading dot: servers keep hidden names for themselves (Radicale refuses them: 400)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,119}$")
_NULLABLE = {"rhythm_days", "circle", "met_on", "follow_up", "snoozed_until"}


class SyncError(StoreError):
    """The sync stopped; the message says why and what to do. `code` is the CLI exit."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


class SafetyStop(SyncError):
    """One side is suddenly empty: nothing was changed; ask before going on."""


@dataclass
class ConflictInfo:
    id: int
    account: str
    address_book: str
    contact_id: int | None
    name: str
    kind: str
    local_text: str
    remote_text: str
    created_at: dt.datetime


@dataclass
class SyncResult:
    account: str
    uploaded: int = 0
    downloaded: int = 0
    deleted_local: int = 0
    deleted_remote: int = 0
    resolved: int = 0
    full_scans: int = 0
    conflicts: list[str] = field(default_factory=list)  # names, for the summary
    duplicates: list[str] = field(default_factory=list)  # "UID x at a.vcf and b.vcf"
    errors: list[str] = field(default_factory=list)  # one card each; the rest went on

    @property
    def clean(self) -> bool:
        return not (self.conflicts or self.duplicates or self.errors)

    def line(self) -> str:
        parts = [f"{self.uploaded} sent", f"{self.downloaded} received",
                 f"{self.deleted_remote} deleted on the server",
                 f"{self.deleted_local} moved to the trash here"]
        if self.resolved:
            parts.append(f"{self.resolved} conflicts resolved")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} conflicts to resolve")
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicate UIDs on the server")
        if self.errors:
            parts.append(f"{len(self.errors)} cards failed")
        return f"{self.account}: " + ", ".join(parts)


# -- fingerprints --------------------------------------------------------------


def _net_text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _fingerprint(card_hash: str, fields: dict, intro_uid: str, interactions: list) -> str:
    net = {k: _net_text(v) for k, v in fields.items() if v not in (None, "")}
    blob = json.dumps([card_hash, sorted(net.items()), intro_uid or "",
                       sorted(interactions)], ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()


def remote_fingerprint(card: Card, net: NetworkData) -> str:
    """`card` with its X-NETBOOK-* taken out into `net` (take_network_data)."""
    rows = [[e["on"].isoformat(), e["kind"], e["note"], e["exchange"], e["gift"]]
            for e in net.interactions]
    return _fingerprint(content_hash(card), net.fields, net.introduced_by_uid, rows)


def local_fingerprints(contact_ids) -> dict[int, str]:
    """Live contacts' fingerprints, from the index columns (no card parsing: fast)."""
    out: dict[int, str] = {}
    cols = [getattr(Contact, k) for k in NETWORK_PROPS]
    for batch in chunked(list(contact_ids), 500):
        rows = list(Contact.select(Contact.id, Contact.content_hash, Contact.introduced_by,
                                   *cols)
                    .where(Contact.id.in_(batch) & Contact.deleted_at.is_null()))
        intro_ids = {r.introduced_by_id for r in rows if r.introduced_by_id}
        uids = dict(Contact.select(Contact.id, Contact.uid)
                    .where(Contact.id.in_(list(intro_ids))).tuples()) if intro_ids else {}
        acts: dict[int, list] = {}
        for cid, on, kind, note, exchange, gift in (
                Interaction.select(Interaction.contact, Interaction.on, Interaction.kind,
                                   Interaction.note, Interaction.exchange, Interaction.gift)
                .where(Interaction.contact.in_(batch)).tuples()):
            on = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on)[:10])
            acts.setdefault(cid, []).append([min(on, dt.date.today()).isoformat(), kind,
                                             note, exchange, gift])
        for r in rows:
            fields = {k: getattr(r, k) for k in NETWORK_PROPS}
            out[r.id] = _fingerprint(r.content_hash, fields,
                                     uids.get(r.introduced_by_id, ""), acts.get(r.id, []))
    return out


def _local_fp(cid: int | None) -> str | None:
    return local_fingerprints([cid]).get(cid) if cid is not None else None


def local_card(store: Store, cid: int) -> Card:
    """What goes up: the stored card plus the X-NETBOOK-* lines, as an export writes it."""
    contact = Contact.get_by_id(cid)
    card = parse_card_text(contact.vcard)
    for prop in network_properties(store, contact):
        card.add(prop)
    return card


def _parse_remote(data: bytes, href: str) -> tuple[Card, NetworkData, str, str]:
    """(card without X-NETBOOK-*, its networking data, fingerprint, text) or DavError."""
    result = read_vcards(data, href)
    if len(result.cards) != 1:
        reason = result.errors[0].reason if result.errors else "not exactly one vCard"
        raise DavError(f"{href}: the server's card can't be read ({reason})")
    card = result.cards[0].card
    text = data.decode("utf-8", "replace")
    net = take_network_data(card)
    return card, net, remote_fingerprint(card, net), text


def _outgoing(store: Store, cid: int, version: str) -> tuple[Card, bytes, str]:
    """(the card, its bytes as sent, the fingerprint of what the server will hold)."""
    card = local_card(store, cid)
    data = card_to_bytes(card, version)
    sent = card.copy()
    sent_net = take_network_data(sent)
    return card, data, remote_fingerprint(sent, sent_net)


def _radicale_names(uid: str) -> list[str]:
    """The names Radicale gives the cards of a whole-collection write, in its order."""
    first = uid if uid.lower().endswith(".vcf") else f"{uid}.vcf"
    return [first, hashlib.sha256(uid.encode()).hexdigest() + ".vcf"]


def _at(coll: SyncCollection, href: str) -> str:
    """A card's URL: its href (a path) on the address book's host, which need not be the
    account's (iCloud)."""
    return urljoin(coll.url, href)


def href_for_uid(book_path: str, uid: str) -> str:
    """A name derived from the UID: a retried upload lands on the same card."""
    name = uid if _SAFE_NAME.match(uid) else hashlib.sha1(uid.encode()).hexdigest()
    return f"{book_path.rstrip('/')}/{name}.vcf"


# -- applying a server card here ------------------------------------------------


def _set_network(store: Store, cid: int, net: NetworkData, pending_intros: list) -> None:
    if net.fields or net.introduced_by_uid or net.interactions:
        # the card carries netbook's data: it is that side's whole networking state
        values = {k: net.fields.get(k, None if k in _NULLABLE else "") for k in NETWORK_PROPS}
        Contact.update(**values).where(Contact.id == cid).execute()
    if net.interactions:
        networking.add_missing_interactions(cid, net.interactions)
        networking.refresh_summary(store, [cid])
    if net.introduced_by_uid:
        intro = store.find_by_uid(net.introduced_by_uid)
        if intro is not None and intro != cid:
            Contact.update(introduced_by=intro).where(Contact.id == cid).execute()
        elif intro is None:
            pending_intros.append((cid, net.introduced_by_uid))


def _apply_remote(store: Store, cid: int | None, card: Card, net: NetworkData,
                  pending_intros: list) -> int:
    """Write the server's card here (the caller holds the transaction); its contact id."""
    if cid is None:
        row = Contact.get_or_none(Contact.uid == card.uid) if card.uid else None
        cid = row.id if row else None
    row = Contact.get_or_none(Contact.id == cid) if cid is not None else None
    if row is not None:
        if row.deleted_at is not None:
            store.restore_contacts([cid])  # an edit beats a delete
        store.save_card(cid, card.copy(), imported=True)
    else:
        cid = store.add_cards([card.copy()], imported=True)[0]
    _set_network(store, cid, net, pending_intros)
    return cid


def _keep_props(coll: SyncCollection, props: dict[str, str]) -> None:
    coll.restore_props = json.dumps(props, ensure_ascii=False) if props else ""
    SyncCollection.update(restore_props=coll.restore_props).where(
        SyncCollection.id == coll.id).execute()


def _record(coll: SyncCollection, href: str, cid: int | None, uid: str, etag: str | None,
            local_hash: str, remote_hash: str, base: str) -> None:
    (SyncItem.insert(collection=coll, href=href, contact=cid, uid=uid, etag=etag,
                     local_hash=local_hash, remote_hash=remote_hash, base=base)
     .on_conflict(conflict_target=[SyncItem.collection, SyncItem.href],
                  preserve=[SyncItem.contact, SyncItem.uid, SyncItem.etag, SyncItem.local_hash,
                            SyncItem.remote_hash, SyncItem.base]).execute())
    SyncConflict.delete().where((SyncConflict.collection == coll)
                                & (SyncConflict.href == href)).execute()


# -- the sync -------------------------------------------------------------------


class _Run:
    def __init__(self, store: Store, dav: DavClient, account: SyncAccount, result: SyncResult,
                 prefer: str | None, allow_empty: bool, progress: Progress | None) -> None:
        self.store = store
        self.dav = dav
        self.account = account
        self.result = result
        self.prefer = prefer
        self.allow_empty = allow_empty
        self.progress = progress
        self.pending_intros: list[tuple[int, str]] = []
        self.deleted_hrefs: set[str] = set()
        self.done = 0
        self.total = 0

    def tick(self, text: str) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, max(self.total, self.done), text)

    # one address book
    def collection(self, coll: SyncCollection, first: bool) -> None:
        dav = self.dav
        self.put_props_back(coll)
        items = {i.href: i for i in SyncItem.select().where(SyncItem.collection == coll)}
        changes: Changes | None = None
        if coll.supports_sync and coll.sync_token:
            try:
                changes = dav.sync_collection(coll.url, coll.sync_token)
            except TokenExpired:
                changes = None  # the server forgot our token: compare everything
        if changes is None:
            self.result.full_scans += 1
            token = None
            if coll.supports_sync:
                try:
                    token = dav.sync_token(coll.url)  # before the listing: nothing slips by
                except DavError:
                    token = None
            members = dav.list_members(coll.url)
            changes = Changes(changed={h: e for h, e in members.items()
                                       if h not in items or items[h].etag != e or e is None},
                              deleted=set(items) - set(members), token=token)
            remote_count = len(members)
        else:
            remote_count = len((set(items) | set(changes.changed)) - changes.deleted)
        self._safety(coll, items, remote_count)

        self.deleted_hrefs = set(changes.deleted)
        pending = {c.href for c in SyncConflict.select(SyncConflict.href)
                   .where(SyncConflict.collection == coll)}
        to_fetch = [h for h, e in changes.changed.items()
                    if h not in items or items[h].etag != e or e is None or h in pending]
        to_fetch += [h for h in pending if h not in changes.changed and h not in changes.deleted]
        self.total += len(to_fetch) + len(changes.deleted)
        remote_failed = False
        touched: set[str] = set()
        uid_hrefs: dict[str, str] = {i.uid: h for h, i in items.items() if i.uid}

        for start in range(0, len(to_fetch), 100):
            batch = to_fetch[start:start + 100]
            fetched = dav.multiget(coll.url, batch)
            for href in batch:
                if href not in fetched:  # gone meanwhile: the next listing says so
                    remote_failed = True
                    continue
                etag, data = fetched[href]
                try:
                    if self._remote_changed(coll, items, href, etag, data, uid_hrefs):
                        touched.add(href)
                except (DavError, StoreError) as exc:
                    remote_failed = True
                    self.result.errors.append(str(exc))
                self.tick("receiving")

        for href in sorted(self.deleted_hrefs):
            item = items.get(href)
            touched.add(href)
            if item is None:
                continue
            try:
                self._remote_deleted(coll, item)
            except (DavError, StoreError) as exc:
                remote_failed = True
                self.result.errors.append(str(exc))
            self.tick("deleting here")

        self._link_intros()
        # local side: edits, deletions, new contacts
        items = {i.href: i for i in SyncItem.select().where(SyncItem.collection == coll)}
        pending = {c.href for c in SyncConflict.select(SyncConflict.href)
                   .where(SyncConflict.collection == coll)}
        ids = [i.contact_id for i in items.values() if i.contact_id]
        fps = local_fingerprints(ids)
        work = []
        for href, item in items.items():
            if href in touched or href in pending:
                continue
            fp = fps.get(item.contact_id) if item.contact_id else None
            if fp is None or fp != item.local_hash:
                work.append((item, fp))
        new_ids: list[int] = []
        if first:
            live = {c for (c,) in Contact.select(Contact.id)
                    .where(Contact.deleted_at.is_null()).tuples()}
            synced = {cid for (cid,) in SyncItem.select(SyncItem.contact).join(SyncCollection)
                      .where((SyncCollection.account == self.account)
                             & SyncItem.contact.is_null(False)).tuples()}
            waiting = {cid for (cid,) in SyncConflict.select(SyncConflict.contact)
                       .join(SyncCollection)
                       .where((SyncCollection.account == self.account)
                              & SyncConflict.contact.is_null(False)).tuples()}
            new_ids = sorted(live - synced - waiting)
        self.total += len(work) + len(new_ids)
        for item, fp in work:
            try:
                if fp is None:
                    self._local_deleted(coll, item)
                else:
                    self._upload(coll, item.href, item.contact_id, fp, item)
            except PreconditionFailed:
                self.result.errors.append(f"{item.href}: changed again on the server; "
                                          "sync again")
            except (DavError, StoreError) as exc:
                self.result.errors.append(str(exc))
            self.tick("sending")
        book_path = httpx.URL(coll.url).path
        if (new_ids and not items and not pending and remote_count == 0
                and not remote_failed and len(new_ids) >= BULK_MIN_CARDS
                and self._bulk_upload(coll, new_ids)):
            new_ids = []
            changes.token = None  # the book was rewritten: compare everything next time
            SyncCollection.update(sync_token=None).where(SyncCollection.id == coll.id).execute()
        for batch in chunked(new_ids, 200):
            fps = local_fingerprints(batch)
            uids = dict(Contact.select(Contact.id, Contact.uid)
                        .where(Contact.id.in_(batch)).tuples())
            for cid in batch:
                self._upload_new(coll, book_path, cid, fps.get(cid), uids.get(cid, ""))
        if not remote_failed and changes.token and changes.token != coll.sync_token:
            SyncCollection.update(sync_token=changes.token).where(
                SyncCollection.id == coll.id).execute()

    def _bulk_upload(self, coll: SyncCollection, new_ids: list[int]) -> bool:
        """First upload into an empty Radicale address book, in one request; False when
        it doesn't apply or the server refused (the cards then go up one by one).

        Radicale checks each new card's UID against every card it holds, so 2,000 single
        uploads take over a minute there; one whole-book write takes seconds. Only into a
        book empty in the listing whose etag guards the write (If-Match, checked under
        Radicale's lock), and its name and other properties are put back afterwards.
        """
        try:
            state = self.dav.collection_state(coll.url)
        except DavError:
            return False
        if not state.radicale or not state.etag or state.members:
            return False  # not Radicale, or no longer empty: one by one
        outgoing: dict[str, tuple[int, str, str, bytes]] = {}  # uid → (cid, fp, hash, data)
        size = 0
        for batch in chunked(new_ids, 200):
            fps = local_fingerprints(batch)
            for cid in batch:
                if cid not in fps:
                    continue  # deleted meanwhile
                card, data, sent_hash = _outgoing(self.store, cid, coll.vcard_version)
                if not card.uid or card.uid in outgoing:
                    return False
                outgoing[card.uid] = (cid, fps[cid], sent_hash, data)
                size += len(data)
            if size > BULK_MAX_BYTES:
                return False
        if self.progress:
            self.progress(self.done, max(self.total, self.done), "sending all at once")
        _keep_props(coll, state.dead_props)  # first, so a cut-off sync still has them
        try:
            self.dav.put_collection(coll.url, b"".join(d for *_, d in outgoing.values()),
                                    state.etag)
        except PreconditionFailed:
            _keep_props(coll, {})
            return False  # someone wrote there meanwhile: one by one, with every check
        except DavError as exc:
            if exc.status in (400, 403, 405, 409, 413, 415, 501):
                _keep_props(coll, {})
                return False  # not allowed or not understood: nothing was written
            raise
        self.put_props_back(coll)
        self._record_bulk(coll, outgoing)
        return True

    def put_props_back(self, coll: SyncCollection) -> None:
        """Give the book back the properties a whole-book write replaced (kept until the
        server has them, so a sync cut off in between does it next time)."""
        if not coll.restore_props:
            return
        try:
            self.dav.proppatch(coll.url, json.loads(coll.restore_props))
        except DavError as exc:
            self.result.errors.append(f"{coll.display_name or coll.url}: the address book's "
                                      f"name could not be put back yet ({exc})")
            return
        _keep_props(coll, {})

    def _record_bulk(self, coll: SyncCollection, outgoing: dict) -> None:
        """Find where the server put each card and remember it as synced.

        Radicale names cards after their UID; any other name is read to learn its UID.
        Cards that are not ours (another client was quick) stay unrecorded: the next
        sync compares everything and fetches them.
        """
        members = self.dav.list_members(coll.url)
        book_path = httpx.URL(coll.url).path.rstrip("/")
        placed: dict[str, str] = {}  # href → uid
        for uid in outgoing:
            for name in _radicale_names(uid):
                href = norm_path(coll.url, f"{book_path}/{quote(name, safe='')}")
                if href in members and href not in placed:
                    placed[href] = uid
                    break
        unknown = [h for h in members if h not in placed]
        found = set(placed.values())
        for href, (_etag, data) in self.dav.multiget(coll.url, unknown).items():
            uids = [c.card.uid for c in read_vcards(data, href).cards]
            if len(uids) == 1 and uids[0] in outgoing and uids[0] not in found:
                placed[href] = uids[0]
                found.add(uids[0])
        with self.store.db.atomic():
            for href, uid in placed.items():
                cid, fp, sent_hash, data = outgoing[uid]
                _record(coll, href, cid, uid, members[href], fp, sent_hash,
                        data.decode("utf-8", "replace"))
        self.result.uploaded += len(placed)
        self.done += len(placed)
        self.total = max(self.total, self.done)

    def _upload_new(self, coll, book_path: str, cid: int, fp: str | None, uid: str) -> None:
        if fp is None:  # deleted meanwhile
            return
        try:
            self._upload(coll, href_for_uid(book_path, uid), cid, fp, None)
        except (DavError, StoreError) as exc:
            self.result.errors.append(str(exc))
        self.tick("sending")

    def _safety(self, coll: SyncCollection, items: dict, remote_count: int) -> None:
        if self.allow_empty or not items:
            return
        ids = [i.contact_id for i in items.values() if i.contact_id]
        local_count = Contact.select().where(Contact.id.in_(ids)
                                             & Contact.deleted_at.is_null()).count() if ids else 0
        if remote_count == 0 and local_count > 0:
            raise SafetyStop(
                f"the address book {coll.display_name or coll.url} on the server is suddenly "
                f"empty, while {local_count} of its contacts are here. Nothing was changed. If "
                "it was emptied on purpose, sync with --allow-empty to delete them here too "
                "(they go to the trash).")
        if local_count == 0 and remote_count > 0:
            raise SafetyStop(
                f"every contact synced with {coll.display_name or coll.url} is gone here, "
                f"while the server still has {remote_count}. Nothing was changed. If you "
                "deleted them on purpose, sync with --allow-empty to delete them on the server "
                "too; else restore them from the trash or a backup.")

    def _remote_changed(self, coll, items, href, etag, data, uid_hrefs) -> bool:
        """Handle a new or changed server card; False: only its etag moved."""
        card, net, rhash, text = _parse_remote(data, href)
        item = items.get(href)
        uid = card.uid
        other = uid_hrefs.get(uid) if uid and item is None else None
        if other and other != href and other in self.deleted_hrefs and other in items:
            # the card moved on the server (deleted there, same UID here): its state follows
            item = items.pop(other)
            self.deleted_hrefs.discard(other)
            with self.store.db.atomic():
                SyncItem.update(href=href).where(SyncItem.id == item.id).execute()
                SyncConflict.delete().where((SyncConflict.collection == coll)
                                            & (SyncConflict.href == other)).execute()
            item.href = href
            items[href] = item
            uid_hrefs[uid] = href
        if item is None:
            if other and other != href:
                self.result.duplicates.append(f"UID {uid} is on the server twice: {other} and "
                                              f"{href}; the second was left alone")
                return True
            row = Contact.get_or_none(Contact.uid == uid) if uid else None
            if row is not None and row.deleted_at is None and (
                    SyncItem.select().join(SyncCollection)
                    .where((SyncItem.contact == row.id)
                           & (SyncCollection.account == self.account)
                           & (SyncItem.href != href)).exists()):
                self.result.duplicates.append(f"UID {uid} is on the server twice ({href} and "
                                              "another card); the second was left alone")
                return True
            cid = row.id if row is not None and row.deleted_at is None else None
            if cid is not None:
                fp = _local_fp(cid)
                if fp != rhash:  # the same person on both sides, told differently
                    self._conflict(coll, None, href, cid, etag, card, net, rhash, text)
                    return True
                with self.store.db.atomic():
                    _record(coll, href, cid, uid, etag, fp, rhash, text)
                return True
            with self.store.db.atomic():
                cid = _apply_remote(self.store, row.id if row else None, card, net,
                                    self.pending_intros)
                _record(coll, href, cid, uid, etag, rhash, rhash, text)
            uid_hrefs[uid] = href
            self.result.downloaded += 1
            return True
        cid = item.contact_id
        fp = _local_fp(cid)
        if rhash == item.remote_hash:
            # re-serialised or touched on the server, same content: only the etag moves,
            # and what changed here (an edit, a delete) goes up in the local pass
            SyncItem.update(etag=etag).where(SyncItem.id == item.id).execute()
            SyncConflict.delete().where((SyncConflict.collection == coll)
                                        & (SyncConflict.href == href)).execute()
            item.etag = etag
            return False
        if fp is not None and fp != item.local_hash and fp != rhash:
            self._conflict(coll, item, href, cid, etag, card, net, rhash, text)
            return True
        if fp == rhash:
            with self.store.db.atomic():
                _record(coll, href, cid, uid, etag, fp, rhash, text)
            return True
        with self.store.db.atomic():  # changed there only (or deleted here: edit wins)
            cid = _apply_remote(self.store, cid, card, net, self.pending_intros)
            _record(coll, href, cid, uid, etag, rhash, rhash, text)
        self.result.downloaded += 1
        return True

    def _conflict(self, coll, item, href, cid, etag, card, net, rhash, text) -> None:
        if self.prefer == "remote":
            with self.store.db.atomic():
                cid = _apply_remote(self.store, cid, card, net, self.pending_intros)
                _record(coll, href, cid, card.uid, etag, rhash, rhash, text)
            self.result.downloaded += 1
            self.result.resolved += 1
            return
        if self.prefer == "local" and cid is not None:
            fp = _local_fp(cid)
            stand_in = SyncItem(collection=coll, href=href, contact=cid, uid=card.uid,
                                etag=etag, remote_hash=rhash)
            self._upload(coll, href, cid, fp, stand_in)
            self.result.resolved += 1
            return
        local_text = card_to_text(local_card(self.store, cid)) if cid else ""
        (SyncConflict.insert(collection=coll, href=href, contact=cid, kind="edit",
                             local_text=local_text, remote_text=text, remote_etag=etag,
                             created_at=dt.datetime.now().replace(microsecond=0))
         .on_conflict(conflict_target=[SyncConflict.collection, SyncConflict.href],
                      preserve=[SyncConflict.contact, SyncConflict.local_text,
                                SyncConflict.remote_text, SyncConflict.remote_etag]).execute())
        name = card.display_name
        self.result.conflicts.append(f"{name} ({href})")

    def _remote_deleted(self, coll, item: SyncItem) -> None:
        cid = item.contact_id
        fp = _local_fp(cid)
        if fp is not None and fp != item.local_hash:
            # edited here, deleted there: the edit wins, the card goes up again
            stand_in = SyncItem(collection=coll, href=item.href, contact=cid, uid=item.uid)
            item.delete_instance()
            self._upload(coll, item.href, cid, fp, stand_in, create=True)
            return
        with self.store.db.atomic():
            if fp is not None:
                self.store.delete_contacts([cid])
                self.result.deleted_local += 1
            item.delete_instance()
            SyncConflict.delete().where((SyncConflict.collection == coll)
                                        & (SyncConflict.href == item.href)).execute()

    def _local_deleted(self, coll, item: SyncItem) -> None:
        try:
            self.dav.delete(_at(coll, item.href), item.etag)
        except PreconditionFailed:
            # changed on the server since: the edit beats the delete, it comes back here
            url = _at(coll, item.href)
            got = self.dav.get(url)
            if got is not None:
                etag, data = got
                card, net, rhash, text = _parse_remote(data, item.href)
                with self.store.db.atomic():
                    cid = _apply_remote(self.store, item.contact_id, card, net,
                                        self.pending_intros)
                    _record(coll, item.href, cid, card.uid, etag or self.dav.etag_of(url),
                            rhash, rhash, text)
                self.result.downloaded += 1
                return
        with self.store.db.atomic():
            item.delete_instance()
        self.result.deleted_remote += 1

    def _upload(self, coll, href: str, cid: int, fp: str, item: SyncItem | None, *,
                create: bool = False, retried: bool = False) -> None:
        card, data, sent_hash = _outgoing(self.store, cid, coll.vcard_version)
        create = create or item is None or not item.etag
        try:
            etag = self.dav.put(_at(coll, href), data, etag=None if create else item.etag,
                                create=create)
        except PreconditionFailed:
            if retried:
                raise
            # the server changed (or already has) this card since we read it: look again
            got = self.dav.get(_at(coll, href))
            if got is None:
                return self._upload(coll, href, cid, fp, None, create=True, retried=True)
            etag, remote = got
            etag = etag or self.dav.etag_of(_at(coll, href))
            rcard, rnet, rhash, text = _parse_remote(remote, href)
            if item is None and rcard.uid != card.uid:
                raise DavError(f"{href}: the server has another card (UID {rcard.uid}) at the "
                               f"name meant for {card.display_name}; not overwritten") from None
            if rhash == fp:
                with self.store.db.atomic():
                    _record(coll, href, cid, rcard.uid, etag, fp, rhash, text)
                return None
            if item is not None and rhash == item.remote_hash:  # only re-serialised there
                item.etag = etag
                return self._upload(coll, href, cid, fp, item, retried=True)
            if self.prefer == "local":
                stand_in = SyncItem(collection=coll, href=href, contact=cid, uid=card.uid,
                                    etag=etag, remote_hash=rhash)
                return self._upload(coll, href, cid, fp, stand_in, retried=True)
            return self._conflict(coll, item, href, cid, etag, rcard, rnet, rhash, text)
        with self.store.db.atomic():
            _record(coll, href, cid, card.uid, etag, fp, sent_hash,
                    data.decode("utf-8", "replace"))
        self.result.uploaded += 1
        return None

    def _link_intros(self) -> None:
        for cid, uid in self.pending_intros:
            intro = self.store.find_by_uid(uid)
            if intro is not None and intro != cid:
                Contact.update(introduced_by=intro).where(Contact.id == cid).execute()
        self.pending_intros.clear()


def sync_account(store: Store, name: str, *, prefer: str | None = None,
                 allow_empty: bool = False, progress: Progress | None = None,
                 password: str | None = None, transport: httpx.BaseTransport | None = None,
                 timeout: float = 30.0) -> SyncResult:
    """Sync one account both ways. Raises SyncError (SafetyStop) when it had to stop; the
    account's status (last_sync_at, last_status, last_message) records either way.

    `progress(done, total, what)` is called after each card (total grows as the sync
    learns more); raising from it cancels the sync, leaving a consistent state that the
    next sync continues from."""
    if prefer not in (None, "local", "remote"):
        raise ValueError(f"prefer must be 'local' or 'remote', not {prefer!r}")
    account = get_account(name)
    password = password or get_password(name)
    if not password:
        raise AccountError(f"no password for account “{name}”: add it again (it goes to the "
                           "system keyring) or set NETBOOK_PASSWORD")
    result = SyncResult(account=name)
    collections = list(SyncCollection.select().where(SyncCollection.account == account)
                       .order_by(SyncCollection.position, SyncCollection.id))
    _status(account, "running", "")
    try:
        with DavClient(account.url, account.username, password, transport=transport,
                       timeout=timeout) as dav:
            run = _Run(store, dav, account, result, prefer, allow_empty, progress)
            for i, coll in enumerate(collections):
                run.collection(coll, first=i == 0)
    except SyncError as exc:
        _status(account, "error", str(exc))
        raise
    except (DavError, httpx.HTTPError) as exc:
        message = describe(exc, account.url)
        _status(account, "error", message)
        raise SyncError(message) from None
    except BaseException:  # cancelled (progress raised), interrupted: the state is whole
        _status(account, "error", "The sync was interrupted before the end. Nothing is "
                "lost; sync again to finish.")
        raise
    if result.conflicts or result.duplicates:
        _status(account, "conflicts", result.line())
    elif result.errors:
        _status(account, "error", result.line() + ": " + "; ".join(result.errors[:3]))
    else:
        _status(account, "ok", result.line())
    return result


def _status(account: SyncAccount, state: str, message: str) -> None:
    SyncAccount.update(last_status=state, last_message=message,
                       last_sync_at=dt.datetime.now().replace(microsecond=0)).where(
        SyncAccount.id == account.id).execute()


# -- conflicts --------------------------------------------------------------------


def list_conflicts(store: Store, account: str | None = None) -> list[ConflictInfo]:
    q = (SyncConflict.select(SyncConflict, SyncCollection, SyncAccount)
         .join(SyncCollection).join(SyncAccount).order_by(SyncConflict.id))
    if account:
        q = q.where(SyncAccount.name == account)
    out = []
    for c in q:
        card = parse_card_text(c.local_text) if c.local_text else None
        name = card.display_name if card else ""
        if not name:
            parsed = read_vcards(c.remote_text.encode("utf-8"))
            name = parsed.cards[0].card.display_name if parsed.cards else c.href
        out.append(ConflictInfo(c.id, c.collection.account.name,
                                c.collection.display_name or c.collection.url, c.contact_id,
                                name, c.kind, c.local_text, c.remote_text, c.created_at))
    return out


def resolve_conflict(store: Store, conflict_id: int, choice: str) -> int | None:
    """Settle a conflict here: "local" (mine wins), "remote" (theirs wins) or "merge"
    (merge_cards: mine plus what theirs adds). The server gets the outcome at the next
    sync (If-Match its version: if it changed again meanwhile, that is a new conflict).
    Returns the contact id."""
    if choice not in ("local", "remote", "merge"):
        raise ValueError(f"choice must be local, remote or merge, not {choice!r}")
    c = SyncConflict.get_or_none(SyncConflict.id == conflict_id)
    if c is None:
        raise StoreError(f"no conflict {conflict_id} (resolved already?)")
    coll = c.collection
    card, net, rhash, text = _parse_remote(c.remote_text.encode("utf-8"), c.href)
    intros: list = []
    with store.db.atomic():
        cid = c.contact_id
        if cid is not None and Contact.get_or_none(Contact.id == cid) is None:
            cid = None
        if choice == "remote" or cid is None:
            cid = _apply_remote(store, cid, card, net, intros)
            _record(coll, c.href, cid, card.uid, c.remote_etag, rhash, rhash, text)
        else:
            if choice == "merge":
                store.restore_contacts([cid])
                merged = merge_cards(store.get_card(cid), card, store.region)
                store.save_card(cid, merged)
                contact = Contact.get_by_id(cid)
                empty = {k: v for k, v in net.fields.items()
                         if getattr(contact, k) in (None, "")}
                if empty:
                    Contact.update(**empty).where(Contact.id == cid).execute()
                if net.interactions:
                    networking.add_missing_interactions(cid, net.interactions)
                    networking.refresh_summary(store, [cid])
            # the server's version is the base now; ours differs from it, so it goes up
            _record(coll, c.href, cid, card.uid, c.remote_etag, "", rhash, text)
        c.delete_instance()
    return cid
