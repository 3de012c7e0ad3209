"""Two-way sync between the store and CardDAV address books (rules after vdirsyncer).

Per card, a SyncItem remembers what both sides held at the last sync (state.py): the
server's href and etag, a fingerprint of the server card and of the local contact
(fingerprints.py), and the synced text as the base. Against that state:

- changed on one side only → copied to the other; new on one side → created on the other
  (an existing contact with the same UID is matched first);
- deleted on one side, unchanged on the other → deleted there too (locally: the trash);
  an edit beats a delete;
- changed on both sides → a SyncConflict (kept until resolved: conflicts.py), unless
  `prefer` says who wins; a 412 on upload means the server changed meanwhile: fetch and
  decide again.

Each local write happens in one small transaction together with that card's state, and
the server's sync token is saved only once a collection is through, so a sync killed or
cut off at any point leaves both sides consistent and the next one picks up from there.
A first upload into an empty Radicale book goes as one whole-book write (bulk.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from peewee import chunked

from .. import networking
from ..contacts import Store, StoreError, content_hash
from ..duplicates import merge_cards, merged_into
from ..models import Contact, SyncAccount, SyncCollection, SyncItem
from ..text import terminal_text
from ..vcard.writer import card_to_text
from . import bulk, state
from .accounts import AccountError, get_account, get_password, list_accounts
from .dav import (
    SESSION_DEADLINE,
    Changes,
    DavClient,
    DavError,
    PreconditionFailed,
    TokenExpired,
    describe,
)
from .fingerprints import (
    RemoteCard,
    local_card,
    local_fingerprint,
    local_fingerprints,
    outgoing_card,
    read_remote,
)
from .incoming import add_interactions, apply_remote, link_introducers

Progress = Callable[[int, int, str], None]
# no leading dot: servers keep hidden names for themselves (Radicale refuses them: 400)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,119}$")


class SyncError(StoreError):
    """The sync stopped; the message says why and what to do. `code` is the CLI exit."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


class SafetyStop(SyncError):
    """One side is suddenly empty: nothing was changed; ask before going on."""


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


def _at(coll: SyncCollection, href: str) -> str:
    """A card's URL: its href (a path) on the address book's host, which need not be the
    account's (iCloud)."""
    return urljoin(coll.url, href)


def href_for_uid(book_path: str, uid: str) -> str:
    """A name derived from the UID: a retried upload lands on the same card."""
    name = uid if _SAFE_NAME.match(uid) else hashlib.sha1(uid.encode()).hexdigest()
    return f"{book_path.rstrip('/')}/{name}.vcf"


@dataclass
class _Listing:
    """What the server says of one address book: what changed, and how many cards it has."""

    changes: Changes
    count: int


@dataclass
class _Pulled:
    """What the server's side came to."""

    touched: set[str] = field(default_factory=set)  # settled hrefs: the local pass skips them
    complete: bool = True  # every change there was fetched and applied: the token may move


Edits = list[tuple[SyncItem, str | None]]  # synced cards changed here (new fingerprint) or
#                                            deleted here (None)


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
        self.say(text)

    def say(self, text: str) -> None:
        if self.progress:
            self.progress(self.done, max(self.total, self.done), text)

    # -- one address book, step by step ---------------------------------------------
    def collection(self, coll: SyncCollection, first: bool) -> None:
        """List what changed on the server, check neither side is suddenly empty, take the
        server's changes, send ours (new contacts only into the `first` book), then
        remember where the server stands."""
        self.put_props_back(coll)
        items = state.synced_items(coll)
        listing = self.list_remote(coll, items)
        self.check_safety(coll, items, listing.count)
        pulled = self.pull(coll, items, listing.changes)
        rewritten = self.push(coll, first, pulled, empty_there=listing.count == 0)
        self.remember_token(coll, listing.changes.token, pulled.complete, rewritten)

    def put_props_back(self, coll: SyncCollection) -> None:
        """The book's name, if a whole-book write cut off earlier still owes it."""
        problem = bulk.put_props_back(self.dav, coll)
        if problem:
            self.result.errors.append(problem)

    def list_remote(self, coll: SyncCollection, items: dict[str, SyncItem]) -> _Listing:
        """What changed there: by the sync token when the server still knows ours, else
        by comparing its whole listing with what we hold (a full scan)."""
        if coll.supports_sync and coll.sync_token:
            try:
                changes = self.dav.sync_collection(coll.url, coll.sync_token)
            except TokenExpired:
                pass  # the server forgot our token: compare everything
            else:
                count = len((set(items) | set(changes.changed)) - changes.deleted)
                return _Listing(changes, count)
        self.result.full_scans += 1
        token = None
        if coll.supports_sync:
            try:
                token = self.dav.sync_token(coll.url)  # before the listing: nothing slips by
            except DavError:
                token = None
        members = self.dav.list_members(coll.url)
        changes = Changes(changed={h: e for h, e in members.items()
                                   if h not in items or items[h].etag != e or e is None},
                          deleted=set(items) - set(members), token=token)
        return _Listing(changes, len(members))

    def check_safety(self, coll: SyncCollection, items: dict[str, SyncItem],
                     remote_count: int) -> None:
        """SafetyStop, before anything changes, when one side is suddenly empty."""
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

    def pull(self, coll: SyncCollection, items: dict[str, SyncItem],
             changes: Changes) -> _Pulled:
        """The server's side: fetch and apply what changed there (and every card with a
        conflict waiting), then copy its deletions here."""
        self.deleted_hrefs = set(changes.deleted)
        pending = state.conflict_hrefs(coll)
        to_fetch = [h for h, e in changes.changed.items()
                    if h not in items or items[h].etag != e or e is None or h in pending]
        to_fetch += [h for h in pending if h not in changes.changed and h not in changes.deleted]
        self.total += len(to_fetch) + len(changes.deleted)
        pulled = _Pulled()
        self.fetch_changed(coll, items, to_fetch, pulled)
        self.copy_deletions(coll, items, pulled)
        link_introducers(self.store, self.pending_intros)
        return pulled

    def fetch_changed(self, coll: SyncCollection, items: dict[str, SyncItem],
                      hrefs: list[str], pulled: _Pulled) -> None:
        uid_hrefs: dict[str, str] = {i.uid: h for h, i in items.items() if i.uid}
        for start in range(0, len(hrefs), 100):
            batch = hrefs[start:start + 100]
            fetched = self.dav.multiget(coll.url, batch)
            for href in batch:
                if href not in fetched:  # gone meanwhile: the next listing says so
                    pulled.complete = False
                    continue
                etag, data = fetched[href]
                try:
                    if self.remote_changed(coll, items, href, etag, data, uid_hrefs):
                        pulled.touched.add(href)
                except (DavError, StoreError) as exc:
                    pulled.complete = False
                    self.result.errors.append(str(exc))
                self.tick("receiving")

    def copy_deletions(self, coll: SyncCollection, items: dict[str, SyncItem],
                       pulled: _Pulled) -> None:
        for href in sorted(self.deleted_hrefs):
            item = items.get(href)
            pulled.touched.add(href)
            if item is None:
                continue
            try:
                self.remote_deleted(coll, item)
            except (DavError, StoreError) as exc:
                pulled.complete = False
                self.result.errors.append(str(exc))
            self.tick("deleting here")

    def push(self, coll: SyncCollection, first: bool, pulled: _Pulled,
             empty_there: bool) -> bool:
        """Our side: edits and deletions of synced cards, then the contacts this account
        has never seen (into its first book). True when the book was written whole."""
        items = state.synced_items(coll)
        pending = state.conflict_hrefs(coll)
        edits = self.local_edits(items, pending, pulled.touched)
        new_ids = state.unsynced_contacts(self.account) if first else []
        self.total += len(edits) + len(new_ids)
        self.send_edits(coll, edits)
        # a whole-book write only where nothing can be lost: empty there, nothing known here
        whole_book = empty_there and pulled.complete and not items and not pending
        return self.send_new(coll, new_ids, whole_book)

    def local_edits(self, items: dict[str, SyncItem], pending: set[str],
                    touched: set[str]) -> Edits:
        """Synced cards changed or deleted here, but not those the server's side just
        settled or that wait as a conflict."""
        fps = local_fingerprints([i.contact_id for i in items.values() if i.contact_id])
        edits: Edits = []
        for href, item in items.items():
            if href in touched or href in pending:
                continue
            fp = fps.get(item.contact_id) if item.contact_id else None
            if fp is None or fp != item.local_hash:
                edits.append((item, fp))
        return edits

    def send_edits(self, coll: SyncCollection, edits: Edits) -> None:
        for item, fp in edits:
            try:
                if fp is None or item.contact_id is None:
                    self.local_deleted(coll, item)
                else:
                    self.upload(coll, item.href, item.contact_id, fp, item)
            except PreconditionFailed:
                self.result.errors.append(f"{item.href}: changed again on the server; "
                                          "sync again")
            except (DavError, StoreError) as exc:
                self.result.errors.append(str(exc))
            self.tick("sending")

    def send_new(self, coll: SyncCollection, new_ids: list[int], whole_book: bool) -> bool:
        """New contacts up: in one whole-book write when that may and does work (True),
        else one by one."""
        if whole_book and len(new_ids) >= bulk.BULK_MIN_CARDS:
            sent = bulk.upload_book(self.store, self.dav, coll, new_ids, self.result.errors,
                                    announce=lambda: self.say("sending all at once"))
            if sent is not None:
                self.result.uploaded += sent
                self.done += sent
                self.total = max(self.total, self.done)
                return True
        book_path = httpx.URL(coll.url).path
        for batch in chunked(new_ids, 200):
            fps = local_fingerprints(batch)
            uids = dict(Contact.select(Contact.id, Contact.uid)
                        .where(Contact.id.in_(batch)).tuples())
            for cid in batch:
                self.upload_new(coll, book_path, cid, fps.get(cid), uids.get(cid, ""))
        return False

    def remember_token(self, coll: SyncCollection, token: str | None, complete: bool,
                       rewritten: bool) -> None:
        """Where the server stands now, once the whole book is through; after a whole-book
        write none (the next sync compares everything)."""
        if rewritten:
            state.save_token(coll, None)
        elif complete and token and token != coll.sync_token:
            state.save_token(coll, token)

    # -- one card from the server ------------------------------------------------------
    def remote_changed(self, coll: SyncCollection, items: dict[str, SyncItem], href: str,
                       etag: str | None, data: bytes, uid_hrefs: dict[str, str]) -> bool:
        """Handle a new or changed server card; False: only its etag moved."""
        remote = read_remote(data, href)
        item = items.get(href)
        uid = remote.card.uid
        other = uid_hrefs.get(uid) if uid and item is None else None
        if other and other != href and other in self.deleted_hrefs and other in items:
            # the card moved on the server (deleted there, same UID here): its state follows
            item = items.pop(other)
            self.deleted_hrefs.discard(other)
            with self.store.db.atomic():
                state.move_item(coll, item, href)
            items[href] = item
            uid_hrefs[uid] = href
        if item is None:
            return self.remote_new(coll, href, etag, remote, other, uid_hrefs)
        return self.remote_edited(coll, item, href, etag, remote)

    def remote_new(self, coll: SyncCollection, href: str, etag: str | None,
                   remote: RemoteCard, other: str | None, uid_hrefs: dict[str, str]) -> bool:
        """A card this book never had from the server: a second card with a known UID is
        left alone, the same person here is matched, anyone else is added here."""
        card, net, rhash, text = remote
        uid = card.uid
        if other and other != href:
            self.result.duplicates.append(f"UID {uid} is on the server twice: {other} and "
                                          f"{href}; the second was left alone")
            return True
        row = Contact.get_or_none(Contact.uid == uid) if uid else None
        if row is None or row.deleted_at is not None:
            merged = merged_into(uid)  # merged away here: the merged contact, not it back
            if merged is not None:
                return self.remote_merged_away(coll, href, etag, remote, row, merged)
        live = row if row is not None and row.deleted_at is None else None
        if live is not None and state.synced_elsewhere(self.account, live.id, href):
            self.result.duplicates.append(f"UID {uid} is on the server twice ({href} and "
                                          "another card); the second was left alone")
            return True
        if live is not None:
            cid = live.id
            fp = local_fingerprint(cid)
            if fp != rhash:  # the same person on both sides, told differently
                self.conflict(coll, href, cid, etag, remote)
                return True
            with self.store.db.atomic():
                state.record(coll, href, cid, uid, etag, fp, rhash, text)
            return True
        with self.store.db.atomic():
            cid = apply_remote(self.store, row.id if row else None, card, net,
                               self.pending_intros)
            state.record(coll, href, cid, uid, etag, rhash, rhash, text)
        uid_hrefs[uid] = href
        self.result.downloaded += 1
        return True

    def remote_merged_away(self, coll: SyncCollection, href: str, etag: str | None,
                           remote: RemoteCard, row: Contact | None, kept: int) -> bool:
        """The server has a card of someone merged into `kept` here (Find Duplicates):
        what it adds is merged into the kept contact (as import does; the kept UID stays),
        and the card is remembered as the merged-away one's, so this sync's own pass
        deletes it on the server, as it does the merged-away card it knew. False: the
        local pass is still to see it."""
        card, net, rhash, text = remote
        with self.store.db.atomic():
            mine = self.store.get_card(kept)
            combined = merge_cards(mine, card, self.store.region)
            if content_hash(combined) != content_hash(mine):
                self.store.save_card(kept, combined)
            networking.fill_empty_fields(kept, net.fields)
            add_interactions(self.store, kept, net)
            state.record(coll, href, row.id if row is not None else None, card.uid, etag,
                         rhash, rhash, text)
        self.result.downloaded += 1
        return False

    def remote_edited(self, coll: SyncCollection, item: SyncItem, href: str,
                      etag: str | None, remote: RemoteCard) -> bool:
        """A card synced before that the server has anew; False: same content."""
        card, net, rhash, text = remote
        if rhash == item.remote_hash:
            # re-serialised or touched on the server, same content: only the etag moves,
            # and what changed here (an edit, a delete) goes up in the local pass
            state.update_etag(coll, item, etag)
            return False
        cid = item.contact_id
        fp = local_fingerprint(cid)
        if fp is not None and fp != item.local_hash and fp != rhash:
            self.conflict(coll, href, cid, etag, remote)
            return True
        if fp == rhash:
            with self.store.db.atomic():
                state.record(coll, href, cid, card.uid, etag, fp, rhash, text)
            return True
        with self.store.db.atomic():  # changed there only (or deleted here: edit wins)
            cid = apply_remote(self.store, cid, card, net, self.pending_intros)
            state.record(coll, href, cid, card.uid, etag, rhash, rhash, text)
        self.result.downloaded += 1
        return True

    def conflict(self, coll: SyncCollection, href: str, cid: int | None, etag: str | None,
                 remote: RemoteCard) -> None:
        """Changed on both sides: `prefer` picks the winner, else it waits for the user."""
        card, net, rhash, text = remote
        if self.prefer == "remote":
            with self.store.db.atomic():
                cid = apply_remote(self.store, cid, card, net, self.pending_intros)
                state.record(coll, href, cid, card.uid, etag, rhash, rhash, text)
            self.result.downloaded += 1
            self.result.resolved += 1
            return
        if (self.prefer == "local" and cid is not None
                and (fp := local_fingerprint(cid)) is not None):
            stand_in = SyncItem(collection=coll, href=href, contact=cid, uid=card.uid,
                                etag=etag, remote_hash=rhash)
            self.upload(coll, href, cid, fp, stand_in)
            self.result.resolved += 1
            return
        local_text = card_to_text(local_card(self.store, cid)) if cid else ""
        state.keep_conflict(coll, href, cid, etag, local_text, text)
        self.result.conflicts.append(f"{card.display_name} ({href})")

    def remote_deleted(self, coll: SyncCollection, item: SyncItem) -> None:
        cid = item.contact_id
        fp = local_fingerprint(cid)
        if cid is not None and fp is not None and fp != item.local_hash:
            # edited here, deleted there: the edit wins, the card goes up again
            stand_in = SyncItem(collection=coll, href=item.href, contact=cid, uid=item.uid)
            item.delete_instance()
            self.upload(coll, item.href, cid, fp, stand_in, create=True)
            return
        with self.store.db.atomic():
            if cid is not None and fp is not None:
                self.store.delete_contacts([cid])
                self.result.deleted_local += 1
            item.delete_instance()
            state.forget_conflict(coll, item.href)

    # -- one card from here ---------------------------------------------------------------
    def local_deleted(self, coll: SyncCollection, item: SyncItem) -> None:
        try:
            self.dav.delete(_at(coll, item.href), item.etag)
        except PreconditionFailed:
            # changed on the server since: the edit beats the delete, it comes back here
            url = _at(coll, item.href)
            got = self.dav.get(url)
            if got is not None:
                etag, data = got
                card, net, rhash, text = read_remote(data, item.href)
                with self.store.db.atomic():
                    cid = apply_remote(self.store, item.contact_id, card, net,
                                       self.pending_intros)
                    state.record(coll, item.href, cid, card.uid, etag or self.dav.etag_of(url),
                                 rhash, rhash, text)
                self.result.downloaded += 1
                return
        with self.store.db.atomic():
            item.delete_instance()
        self.result.deleted_remote += 1

    def upload(self, coll: SyncCollection, href: str, cid: int, fp: str,
               item: SyncItem | None, *, create: bool = False, retried: bool = False) -> None:
        card, data, sent_hash = outgoing_card(self.store, cid, coll.vcard_version)
        known_etag = item.etag if item is not None else None
        create = create or not known_etag
        try:
            etag = self.dav.put(_at(coll, href), data, etag=None if create else known_etag,
                                create=create)
        except PreconditionFailed:
            if retried:
                raise
            # the server changed (or already has) this card since we read it: look again
            got = self.dav.get(_at(coll, href))
            if got is None:
                return self.upload(coll, href, cid, fp, None, create=True, retried=True)
            etag, held = got
            etag = etag or self.dav.etag_of(_at(coll, href))
            remote = read_remote(held, href)
            if item is None and remote.card.uid != card.uid:
                raise DavError(f"{href}: the server has another card (UID {remote.card.uid}) "
                               f"at the name meant for {card.display_name}; not "
                               "overwritten") from None
            if remote.fingerprint == fp:
                with self.store.db.atomic():
                    state.record(coll, href, cid, remote.card.uid, etag, fp, remote.fingerprint,
                                 remote.text)
                return None
            if item is not None and remote.fingerprint == item.remote_hash:
                item.etag = etag  # only re-serialised there
                return self.upload(coll, href, cid, fp, item, retried=True)
            if self.prefer == "local":
                stand_in = SyncItem(collection=coll, href=href, contact=cid, uid=card.uid,
                                    etag=etag, remote_hash=remote.fingerprint)
                return self.upload(coll, href, cid, fp, stand_in, retried=True)
            return self.conflict(coll, href, cid, etag, remote)
        with self.store.db.atomic():
            state.record(coll, href, cid, card.uid, etag, fp, sent_hash,
                         data.decode("utf-8", "replace"))
        self.result.uploaded += 1
        return None

    def upload_new(self, coll: SyncCollection, book_path: str, cid: int, fp: str | None,
                   uid: str) -> None:
        if fp is None:  # deleted meanwhile
            return
        try:
            self.upload(coll, href_for_uid(book_path, uid), cid, fp, None)
        except (DavError, StoreError) as exc:
            self.result.errors.append(str(exc))
        self.tick("sending")


def sync_account(store: Store, name: str, *, prefer: str | None = None,
                 allow_empty: bool = False, progress: Progress | None = None,
                 password: str | None = None, transport: httpx.BaseTransport | None = None,
                 timeout: float = 30.0, deadline: float = SESSION_DEADLINE) -> SyncResult:
    """Sync one account both ways. Raises SyncError (SafetyStop) when it had to stop; the
    account's status (last_sync_at, last_status, last_message) records either way.

    `progress(done, total, what)` is called after each card (total grows as the sync
    learns more); raising from it cancels the sync, leaving a consistent state that the
    next sync continues from. `deadline`: seconds the whole sync may take (each request
    has its own deadline too, see dav.py)."""
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
                       timeout=timeout, session_deadline=deadline) as dav:
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


def _status(account: SyncAccount, status: str, message: str) -> None:
    """Record how the sync went. The message may quote the server (a reason phrase, a
    card's name): kept sanitised, as every `account list` prints it again."""
    SyncAccount.update(last_status=status, last_message=terminal_text(message),
                       last_sync_at=dt.datetime.now().replace(microsecond=0)).where(
        SyncAccount.id == account.id).execute()


# -- every account ------------------------------------------------------------------


@dataclass
class AccountSync:
    """One account's part of sync_all: its result, or why it stopped (in words)."""

    account: str
    result: SyncResult | None = None
    error: StoreError | None = None  # SyncError, SafetyStop, AccountError

    @property
    def safety_stop(self) -> bool:
        """One side was suddenly empty: nothing changed; allow_empty would go on."""
        return isinstance(self.error, SafetyStop)


def sync_all(store: Store, names: Sequence[str] | None = None, *, prefer: str | None = None,
             allow_empty: bool = False, progress: Progress | None = None,
             ) -> Iterator[AccountSync]:
    """Sync the accounts `names` (None: every account, by name) in turn, yielding each
    one's outcome as soon as it is through; one failing does not stop the next.

    Lazy: an account syncs when the caller asks for the next outcome, so a caller stops
    the rest by no longer asking (the command line stops at the first failure).
    `progress` is sync_account's, for each account in turn (it starts again from 0);
    raising from it cancels the whole run."""
    if names is None:
        names = [a.name for a in list_accounts(store)]
    for name in names:
        try:
            outcome = AccountSync(name, result=sync_account(
                store, name, prefer=prefer, allow_empty=allow_empty, progress=progress))
        except StoreError as exc:  # SyncError, AccountError: the message is in words
            outcome = AccountSync(name, error=exc)
        yield outcome
