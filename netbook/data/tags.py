"""Tags across the book: counts, rename (into an existing tag: a merge), delete, and
tagging several contacts at once.

A tag is a word in the card's CATEGORIES (the vCard is the record), so every change here
rewrites the cards that carry it, in one transaction, and the `tag` index follows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from peewee import fn

from .changes import Changes
from .contacts import Store, StoreError
from .models import Contact, Tag

__all__ = ["delete_tag", "rename_tag", "tag_contacts", "tag_counts"]


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


def _retag(store: Store, ids: Iterable[int], change) -> set[int]:
    """Rewrite each card's tags with `change(tags) -> tags`; the ids that changed."""
    changed = set()
    for cid in ids:
        card = store.get_card(cid)
        before = card.categories
        after = list(dict.fromkeys(change(before)))
        if after != before:
            card.set_categories(after)
            store.save_card(cid, card)
            changed.add(cid)
    return changed


def tag_contacts(store: Store, ids: Sequence[int], *, add: Iterable[str] = (),
                 remove: Iterable[str] = ()) -> Changes:
    """Add and take away tags on several contacts at once (`netbook tag`, the list's
    selection)."""
    adding = [_clean(t) for t in add]
    removing = {t.strip() for t in remove}
    with store.db.atomic():
        for cid in ids:
            store.get_card(cid)  # refuses a contact that isn't there, before any write
        changed = _retag(store, ids, lambda tags: [t for t in tags if t not in removing]
                         + [t for t in adding if t not in tags])
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
