"""The first upload into an empty Radicale address book, as one whole-book write.

Radicale checks each new card's UID against every card it holds, so 2,000 single uploads
take over a minute there; one whole-book write (a PUT of the collection) takes seconds.
Only into a book empty in the listing whose etag guards the write (If-Match, checked under
Radicale's lock). That write replaces the book's own properties (its name), so they are
kept here first and put back afterwards, or by the next sync if this one is cut off.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from urllib.parse import quote

import httpx
from peewee import chunked

from ..contacts import Store
from ..models import SyncCollection
from ..vcard.reader import read_vcards
from . import state
from .dav import DavClient, DavError, PreconditionFailed, norm_path
from .fingerprints import local_fingerprints, outgoing_card

BULK_MIN_CARDS = 50  # fewer new cards than this go up one by one, the standard way
BULK_MAX_BYTES = 50 * 1024 * 1024  # under Radicale's default max_content_length (100 MB)

_Outgoing = dict[str, tuple[int, str, str, bytes]]  # uid → (cid, fingerprint, sent, data)


def upload_book(store: Store, dav: DavClient, coll: SyncCollection, new_ids: list[int],
                errors: list[str], announce: Callable[[], None] | None = None) -> int | None:
    """Send `new_ids` into the empty book `coll` in one request: how many cards are now
    recorded as synced, or None when it doesn't apply or the server refused (nothing was
    written: the cards then go up one by one). A problem that did not stop the upload
    goes to `errors`; `announce()` is called just before the write."""
    try:
        found = dav.collection_state(coll.url)
    except DavError:
        return None
    if not found.radicale or not found.etag or found.members:
        return None  # not Radicale, or no longer empty: one by one
    outgoing = _outgoing(store, coll, new_ids)
    if outgoing is None:
        return None
    if announce:
        announce()
    keep_props(coll, found.dead_props)  # first, so a cut-off sync still has them
    try:
        dav.put_collection(coll.url, b"".join(d for *_, d in outgoing.values()), found.etag)
    except PreconditionFailed:
        keep_props(coll, {})
        return None  # someone wrote there meanwhile: one by one, with every check
    except DavError as exc:
        if exc.status in (400, 403, 405, 409, 413, 415, 501):
            keep_props(coll, {})
            return None  # not allowed or not understood: nothing was written
        raise
    problem = put_props_back(dav, coll)
    if problem:
        errors.append(problem)
    return _record_placed(store, dav, coll, outgoing)


def _outgoing(store: Store, coll: SyncCollection, new_ids: list[int]) -> _Outgoing | None:
    """The cards to write, by UID; None when one has no UID or shares it, or they are
    too big for one request."""
    outgoing: _Outgoing = {}
    size = 0
    for batch in chunked(new_ids, 200):
        fps = local_fingerprints(batch)
        for cid in batch:
            if cid not in fps:
                continue  # deleted meanwhile
            card, data, sent_hash = outgoing_card(store, cid, coll.vcard_version)
            if not card.uid or card.uid in outgoing:
                return None
            outgoing[card.uid] = (cid, fps[cid], sent_hash, data)
            size += len(data)
        if size > BULK_MAX_BYTES:
            return None
    return outgoing


def keep_props(coll: SyncCollection, props: dict[str, str]) -> None:
    """Remember the book's properties until the server has them back ({}: nothing to do)."""
    coll.restore_props = json.dumps(props, ensure_ascii=False) if props else ""
    SyncCollection.update(restore_props=coll.restore_props).where(
        SyncCollection.id == coll.id).execute()


def put_props_back(dav: DavClient, coll: SyncCollection) -> str | None:
    """Give the book back the properties a whole-book write replaced; the problem in words
    when the server would not have them yet (they stay kept for the next sync)."""
    if not coll.restore_props:
        return None
    try:
        dav.proppatch(coll.url, json.loads(coll.restore_props))
    except DavError as exc:
        return (f"{coll.display_name or coll.url}: the address book's name could not be put "
                f"back yet ({exc})")
    keep_props(coll, {})
    return None


def _radicale_names(uid: str) -> list[str]:
    """The names Radicale gives the cards of a whole-collection write, in its order."""
    first = uid if uid.lower().endswith(".vcf") else f"{uid}.vcf"
    return [first, hashlib.sha256(uid.encode()).hexdigest() + ".vcf"]


def _record_placed(store: Store, dav: DavClient, coll: SyncCollection,
                   outgoing: _Outgoing) -> int:
    """Find where the server put each card and remember it as synced; how many.

    Radicale names cards after their UID; any other name is read to learn its UID.
    Cards that are not ours (another client was quick) stay unrecorded: the next
    sync compares everything and fetches them.
    """
    members = dav.list_members(coll.url)
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
    for href, (_etag, data) in dav.multiget(coll.url, unknown).items():
        uids = [c.card.uid for c in read_vcards(data, href).cards]
        if len(uids) == 1 and uids[0] in outgoing and uids[0] not in found:
            placed[href] = uids[0]
            found.add(uids[0])
    with store.db.atomic():
        for href, uid in placed.items():
            cid, fp, sent_hash, data = outgoing[uid]
            state.record(coll, href, cid, uid, members[href], fp, sent_hash,
                         data.decode("utf-8", "replace"))
    return len(placed)
