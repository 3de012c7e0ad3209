"""Tags across the book: counts, rename (into an existing tag: a merge), delete, and
tagging several contacts at once.

A tag is a word in the card's CATEGORIES (the vCard is the record), so every change here
rewrites the cards that carry it, in one transaction, and the `tag` index follows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from peewee import chunked, fn

from .changes import Changes
from .contacts import Store, StoreError
from .models import Contact, Tag

__all__ = ["delete_tag", "live_ids", "rename_tag", "tag_contacts", "tag_counts", "tags_of"]

Report = Callable[[int, int], None]
REPORT_EVERY = 50  # contacts between two progress reports


def tag_counts(store: Store) -> list[tuple[str, int]]:
    """Every tag with the number of live contacts that have it, by name."""
    q = (Tag.select(Tag.name, fn.COUNT(Tag.contact)).join(Contact)
         .where(Contact.deleted_at.is_null()).group_by(Tag.name).order_by(Tag.name))
    return [(name, int(n)) for name, n in q.tuples()]


def _clean(tag: str) -> str:
    text = " ".join(tag.replace(",", " ").split())
    if not text:
        raise StoreError("a tag needs at least one letter")
    return text


def tags_of(store: Store, ids: Iterable[int]) -> list[str]:
    """The tags any of these contacts has, by name (one query a batch, no card read:
    the choices of "Remove a tag" for thousands selected)."""
    names: set[str] = set()
    for batch in chunked(list(dict.fromkeys(ids)), 900):
        names.update(name for (name,) in Tag.select(Tag.name).distinct()
                     .where(Tag.contact.in_(batch)).tuples())
    return sorted(names)


def live_ids(store: Store, ids: Iterable[int]) -> None:
    """Refuse (NotFoundError, in the store's words) when one of `ids` is not a live
    contact, before anything is written; one query a batch."""
    wanted = list(dict.fromkeys(ids))
    live: set[int] = set()
    for batch in chunked(wanted, 900):
        live.update(cid for (cid,) in Contact.select(Contact.id)
                    .where(Contact.id.in_(batch) & Contact.deleted_at.is_null()).tuples())
    missing = [cid for cid in wanted if cid not in live]
    if missing:
        store.get_card(missing[0])  # raises, as a single contact's refusal reads


def _retag(store: Store, ids: Iterable[int], change, report: Report | None = None
           ) -> set[int]:
    """Rewrite each card's tags with `change(tags) -> tags`; the ids that changed.
    `report(done, total)` hears how far it is (it may raise: the transaction rolls back)."""
    ids = list(ids)
    changed = set()
    for done, cid in enumerate(ids):
        if report is not None and done % REPORT_EVERY == 0:
            report(done, len(ids))
        card = store.get_card(cid)
        before = card.categories
        after = list(dict.fromkeys(change(before)))
        if after != before:
            card.set_categories(after)
            store.save_card(cid, card)
            changed.add(cid)
    return changed


def tag_contacts(store: Store, ids: Sequence[int], *, add: Iterable[str] = (),
                 remove: Iterable[str] = (), report: Report | None = None) -> Changes:
    """Add and take away tags on several contacts at once (`netbook tag`, the list's
    selection), all or none. `report(done, total)`: progress, for thousands selected
    (it may raise to stop: nothing is changed then)."""
    adding = [_clean(t) for t in add]
    removing = {t.strip() for t in remove}
    with store.db.atomic():
        live_ids(store, ids)  # refuses a contact that isn't there, before any write
        changed = _retag(store, ids, lambda tags: [t for t in tags if t not in removing]
                         + [t for t in adding if t not in tags], report)
    # tags are work the week's introductions match on: the plan may move
    return Changes(contacts=changed, tags=bool(changed), plan=bool(changed))


def _tagged(name: str) -> list[int]:
    q = (Tag.select(Tag.contact).join(Contact)
         .where((Tag.name == name) & Contact.deleted_at.is_null()).order_by(Tag.contact))
    return [cid for (cid,) in q.tuples()]


def rename_tag(store: Store, old: str, new: str) -> Changes:
    """Rename a tag on every contact; renaming into a tag that exists merges the two."""
    new = _clean(new)
    with store.db.atomic():
        ids = _tagged(old)
        if not ids:
            raise StoreError(f"no contact has the tag “{old}”")
        changed = _retag(store, ids, lambda tags: [new if t == old else t for t in tags])
    return Changes(contacts=changed, tags=True, plan=True)


def delete_tag(store: Store, name: str) -> Changes:
    """Take a tag off every contact (the contacts stay)."""
    with store.db.atomic():
        ids = _tagged(name)
        if not ids:
            raise StoreError(f"no contact has the tag “{name}”")
        changed = _retag(store, ids, lambda tags: [t for t in tags if t != name])
    return Changes(contacts=changed, tags=True, plan=True)
