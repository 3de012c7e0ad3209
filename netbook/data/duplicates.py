"""Who is probably the same person, and how two cards become one.

Matching keys (a phone however written, an email ignoring case, a name) and the
field-by-field merge are shared by import (a card that matches a stored contact), sync
(a conflict settled as "merge") and the book-wide finder (`find_duplicates`, Edit ▸ Find
Duplicates… and `netbook duplicates`).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .contacts import Store, match_keys
from .models import Contact, ContactKey, MergedUid
from .text import fold, normalise_phone
from .vcard.card import Card, Property, unescape_text

__all__ = ["DuplicateGroup", "MatchIndex", "card_summary", "differences", "find_duplicates",
           "match_keys", "merge_cards", "merged_into", "probable_duplicate", "similar_names"]

# a shared address at one of these says nothing about two people being one
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "gmx.de", "gmx.net",
    "web.de", "mail.ru", "yandex.ru", "proton.me", "protonmail.com", "posteo.de", "qq.com",
    "163.com", "example.com", "example.org", "example.net", "t-online.de", "orange.fr",
    "free.fr", "libero.it", "fastmail.com"})
_WORD = re.compile(r"[^\w]+")


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
        # UIDs merged away (Find Duplicates) → the contact they were merged into
        self.merged: dict[str, int] = dict(
            MergedUid.select(MergedUid.uid, MergedUid.contact).join(Contact)
            .where(Contact.deleted_at.is_null()).tuples())


def merged_into(uid: str) -> int | None:
    """The live contact a UID was merged into (Find Duplicates), or None."""
    if not uid:
        return None
    row = (MergedUid.select(MergedUid.contact).join(Contact)
           .where((MergedUid.uid == uid) & Contact.deleted_at.is_null()).tuples().first())
    return row[0] if row else None


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


def card_summary(card: Card) -> dict[str, str]:
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
    before, after = card_summary(old), card_summary(new)
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
        if merged.first(name) is None and (theirs := other.first(name)) is not None:
            merged.add(_copy(theirs))
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


# -- the whole book -------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateGroup:
    """Contacts that are probably one person, and why, in words."""

    contacts: tuple[tuple[int, str], ...]  # (contact id, name), in the book's order
    reasons: tuple[str, ...]

    @property
    def ids(self) -> list[int]:
        return [cid for cid, _ in self.contacts]

    def to_json(self) -> dict:
        """`netbook duplicates --format json` (a contract: keep the keys)."""
        return {"contacts": [{"contact_id": cid, "name": name} for cid, name in self.contacts],
                "reasons": list(self.reasons)}


def _words(name: str) -> list[str]:
    return [w for w in _WORD.split(fold(name)) if w]


def similar_names(a: str, b: str) -> bool:
    """"Ana Lima" ~ "Ana M. Lima" ~ "A. Lima" ~ "Anna Lima": the same family name AND given
    names that agree (one an initial of the other, or spelt nearly alike). A shared
    family name alone is never enough."""
    wa, wb = _words(a), _words(b)
    if len(wa) < 2 or len(wb) < 2 or wa[-1] != wb[-1]:
        return False
    ga, gb = wa[0], wb[0]
    if ga == gb:
        return True
    if len(ga) == 1 or len(gb) == 1:
        return ga[0] == gb[0]
    return difflib.SequenceMatcher(None, ga, gb).ratio() >= 0.8


class _Groups:
    """Union-find over contact ids, with the reasons that joined them."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.reasons: dict[int, list[str]] = defaultdict(list)

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, ids: Iterable[int], reason: str) -> None:
        ids = list(ids)
        roots = {self.find(i) for i in ids}
        root = min(roots)
        gathered: list[str] = []
        for r in roots:
            self.parent[r] = root
            gathered += self.reasons.pop(r, [])
        self.reasons[root] = list(dict.fromkeys([*gathered, reason]))

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for x in list(self.parent):
            out[self.find(x)].append(x)
        return out


def find_duplicates(store: Store) -> list[DuplicateGroup]:
    """Groups of live contacts that are probably one person: the same phone however
    written, the same email ignoring case, or very similar names together with a shared
    organisation or email domain (not a free-mail one). Exactly the same full name counts
    on its own; a shared family name never does."""
    rows = list(Contact.select(Contact.id, Contact.display_name, Contact.org_key,
                               Contact.sort_key)
                .where(Contact.deleted_at.is_null()).tuples())
    names = {cid: name for cid, name, _org, _sort in rows}
    orgs = {cid: org for cid, _name, org, _sort in rows}
    order = {cid: n for n, (cid, *_rest) in enumerate(sorted(rows, key=lambda r: (r[3], r[0])))}
    groups = _Groups()

    by_value: dict[tuple[str, str], set[int]] = defaultdict(set)
    domains: dict[int, set[str]] = defaultdict(set)
    keys = (ContactKey.select(ContactKey.kind, ContactKey.value, ContactKey.contact)
            .join(Contact).where(Contact.deleted_at.is_null()).tuples())
    for kind, value, cid in keys:
        by_value[(kind, value)].add(cid)
        if kind == "email" and "@" in value:
            domain = value.rsplit("@", 1)[1]
            if domain not in FREE_MAIL:
                domains[cid].add(domain)
    for (kind, value), ids in sorted(by_value.items()):
        if len(ids) > 1:
            groups.join(ids, f"same {kind} {value}")

    by_family: dict[str, list[int]] = defaultdict(list)
    for cid, name in names.items():
        words = _words(name)
        if len(words) >= 2:
            by_family[words[-1]].append(cid)
    for family in by_family.values():
        if len(family) < 2 or len(family) > 200:  # "Smith" ×5,000: no name says anything
            continue
        family.sort(key=order.__getitem__)
        for i, a in enumerate(family):
            for b in family[i + 1:]:
                na, nb = names[a], names[b]
                if _words(na) == _words(nb):
                    groups.join((a, b), f"same name “{na}”")
                    continue
                if not similar_names(na, nb):
                    continue
                if orgs[a] and orgs[a] == orgs[b]:
                    groups.join((a, b), f"similar names “{na}” and “{nb}”, both at "
                                        f"{_org_name(store, a)}")
                elif domains[a] & domains[b]:
                    domain = sorted(domains[a] & domains[b])[0]
                    groups.join((a, b), f"similar names “{na}” and “{nb}”, both with an "
                                        f"email at {domain}")

    out = []
    for root, members in groups.groups().items():
        if len(members) < 2:
            continue
        members.sort(key=order.__getitem__)
        out.append(DuplicateGroup(tuple((cid, names[cid]) for cid in members),
                                  tuple(groups.reasons[root])))
    out.sort(key=lambda g: order[g.contacts[0][0]])
    return out


def _org_name(store: Store, contact_id: int) -> str:
    row = Contact.get_by_id(contact_id)
    return row.organization or row.org_key
