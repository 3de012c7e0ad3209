"""Who is probably the same person, and how two cards become one.

Matching keys (a phone however written, an email ignoring case, a name) and the
field-by-field merge are shared by import (a card that matches a stored contact), sync
(a conflict settled as "merge") and, later, the book-wide duplicate finder.
"""

from __future__ import annotations

from .contacts import Store, match_keys
from .models import Contact, ContactKey
from .text import fold, normalise_phone
from .vcard.card import Card, Property, unescape_text

__all__ = ["MatchIndex", "differences", "match_keys", "merge_cards", "probable_duplicate"]


class MatchIndex:
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



def probable_duplicate(index: MatchIndex, card: Card, region: str) -> tuple[int, str] | None:
    """The stored contact this card probably is, and why in words; None when none."""
    for kind, value in sorted(match_keys(card, region)):
        cid = index.by_key.get(value)
        if cid is not None:
            return cid, f"same {kind} {value}"
    name = fold(card.display_name)
    if name and name in index.by_name:
        return index.by_name[name], "same name"
    return None


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
