"""Who is probably the same person, and how two cards become one.

Matching keys (a phone however written, an email ignoring case, a name) and the
field-by-field merge are shared by import (a card that matches a stored contact), sync
(a conflict settled as "merge") and the book-wide finder (`find_duplicates`, Edit ▸ Find
Duplicates… and `netbook duplicates`).

A card from a table row (a CSV export: ParsedCard.partial) is matched more firmly — by
email with a name that agrees (a family shares one address), then profile URL, then
name with organisation (`same_person`) — and brings its
contact up to date (`update_card`): a new company and title replace the old ones (a job
change, `job_change`), everything else is merged in.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from .contacts import Store, match_keys
from .models import Contact, ContactKey, MergedUid
from .text import fold, normalise_email, normalise_phone
from .vcard.card import Card, PartialDate, Property, display_label, structured, unescape_text

__all__ = ["DuplicateGroup", "MatchIndex", "card_summary", "differences", "find_duplicates",
           "job_change", "match_keys", "merge_cards", "merge_edited", "merged_into",
           "probable_duplicate", "profile_url_key", "same_person", "similar_names",
           "single_conflicts", "update_card"]

# a shared address at one of these says nothing about two people being one
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "gmx.de", "gmx.net",
    "web.de", "mail.ru", "yandex.ru", "proton.me", "protonmail.com", "posteo.de", "qq.com",
    "163.com", "example.com", "example.org", "example.net", "t-online.de", "orange.fr",
    "free.fr", "libero.it", "fastmail.com"})
_WORD = re.compile(r"[^\w]+")
_URL_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?URL(?:;[^:\n]*)?:(.*)$",
                       re.MULTILINE | re.IGNORECASE)
_FOLD = re.compile(r"\r?\n[ \t]")
# [scheme://][user@]host[:port]/path — the parts a profile URL is compared by
_URL_PARTS = re.compile(r"(?:[a-z][a-z0-9+.\-]*://)?(?:[^@/?#\s]*@)?([^/?#:\s]+)(?::\d*)?"
                        r"(/[^?#\s]*)?", re.IGNORECASE)
AMBIGUOUS = -1  # two stored contacts share the key: it identifies nobody


def profile_url_key(url: str) -> str:
    """A URL that names one person (a profile page), as compared: no scheme, no www.,
    no query or trailing slash, case-blind; "" for a bare site like https://acme.com,
    which a whole company shares."""
    m = _URL_PARTS.match(url.strip())
    if m is None:
        return ""
    host, path = m.group(1).lower().removeprefix("www."), (m.group(2) or "").rstrip("/")
    if not path:
        return ""
    if "%" in path:
        path = unquote(path)
    return fold(f"{host}{path}")


class MatchIndex:
    """The store's identities in memory, so matching 10,000 cards costs no per-card query."""

    def __init__(self, store: Store) -> None:
        # uid → (id, content hash, hash when last imported, edited since, in the trash,
        # revision: an import applied later writes only onto the contact as it saw it)
        self.by_uid: dict[str, tuple[int, str, str, bool, bool, int]] = {}
        self.by_hash: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.by_name_org: dict[tuple[str, str], int] = {}  # AMBIGUOUS when shared
        self.names: dict[int, str] = {}
        q = Contact.select(Contact.id, Contact.uid, Contact.content_hash, Contact.imported_hash,
                           Contact.display_name, Contact.org_key, Contact.edited_at,
                           Contact.deleted_at, Contact.revision).tuples()
        for cid, uid, chash, imported, name, org_key, edited, deleted, revision in q:
            self.by_uid[uid] = (cid, chash, imported, edited is not None, deleted is not None,
                                revision)
            if deleted is None:
                self.by_hash.setdefault(chash, cid)
                folded = fold(name)
                self.by_name.setdefault(folded, cid)
                key = (folded, org_key or "")
                self.by_name_org[key] = AMBIGUOUS if key in self.by_name_org else cid
                self.names[cid] = name
        self.by_key: dict[str, int] = {}  # the first contact with the key
        # keys two or more live contacts share (a family's email, an office's phone) →
        # all of them: such a key alone says who nobody is
        self.shared: dict[str, list[int]] = {}
        keys = (ContactKey.select(ContactKey.value, ContactKey.contact).join(Contact)
                .where(Contact.deleted_at.is_null()).tuples())
        for value, cid in keys:
            first = self.by_key.setdefault(value, cid)
            if first != cid:
                sharing = self.shared.setdefault(value, [first])
                if cid not in sharing:
                    sharing.append(cid)
        # UIDs merged away (Find Duplicates) → the contact they were merged into
        self.merged: dict[str, int] = dict(
            MergedUid.select(MergedUid.uid, MergedUid.contact).join(Contact)
            .where(Contact.deleted_at.is_null()).tuples())
        self._by_url: dict[str, int] | None = None
        self.urls_of: dict[int, set[str]] = {}  # filled with _by_url

    def by_url(self) -> dict[str, int]:
        """Profile URL key → contact, read from the stored cards on first use (only an
        import of table rows asks, and the cards' URL lines are found without parsing)."""
        if self._by_url is None:
            found: dict[str, int] = {}
            q = (Contact.select(Contact.id, Contact.vcard)
                 .where(Contact.deleted_at.is_null() & Contact.vcard.contains("URL")).tuples())
            for cid, text in q:
                for m in _URL_LINE.finditer(_FOLD.sub("", text)):
                    key = profile_url_key(unescape_text(m.group(1).strip()))
                    if key:
                        found[key] = AMBIGUOUS if found.get(key, cid) != cid else cid
                        self.urls_of.setdefault(cid, set()).add(key)
            self._by_url = found
        return self._by_url


def same_person(index: MatchIndex, card: Card) -> tuple[int, str] | None:
    """The stored contact a table row's card is, firmly: same email, else same profile
    URL, else same name with the same organisation (one contact only); why, in words.
    An email is firm only with a name that agrees: two people can share one address."""
    if not index.names:  # no stored contact to be (a first import): none to look for
        return None
    name = fold(card.formatted_name)
    for e in card.emails:
        value = normalise_email(e.value)
        cid = index.by_key.get(value) if value else None
        if cid is None:
            continue
        sharing = index.shared.get(value, [cid])
        if name:
            sharing = [c for c in sharing if _names_agree(name, index.names.get(c, ""))]
        if len(sharing) == 1:
            return sharing[0], f"same email {value}"
    keys = [k for k in (profile_url_key(u.value) for u in card.urls) if k]
    if keys:
        urls = index.by_url()
        for key in keys:
            cid = urls.get(key)
            if cid is not None and cid != AMBIGUOUS:
                return cid, f"same profile {key}"
    name = fold(card.formatted_name or card.display_name)
    cid = index.by_name_org.get((name, fold(card.organization))) if name else None
    if cid is None or cid == AMBIGUOUS:
        return None
    hosts = {k.split("/", 1)[0] for k in keys}
    if any(k.split("/", 1)[0] in hosts for k in index.urls_of.get(cid, ())):
        return None  # a namesake at the same company with another profile: someone else
    org = f" at {card.organization}" if card.organization else ""
    return cid, f"same name{org}"


def _names_agree(folded: str, stored: str) -> bool:
    """A row's folded name and a stored display name: one person's — the same, or given
    names that agree and family names spelt nearly alike ("Björn Müller" is "Bjorn
    Mueller"; "Tina Hill" is not "Tom Hill")."""
    other = fold(stored)
    if folded == other:
        return True
    wa, wb = _words(folded), _words(other)
    if len(wa) < 2 or len(wb) < 2:
        return False
    return (wa[-1] == wb[-1] or _spelt_alike(wa[-1], wb[-1])) and _given_alike(wa[0], wb[0])


def merged_into(uid: str) -> int | None:
    """The live contact a UID was merged into (Find Duplicates), or None."""
    if not uid:
        return None
    row = (MergedUid.select(MergedUid.contact).join(Contact)
           .where((MergedUid.uid == uid) & Contact.deleted_at.is_null()).tuples().first())
    return row[0] if row else None


def probable_duplicate(index: MatchIndex, card: Card, region: str,
                       keys: set[tuple[str, str]] | None = None) -> tuple[int, str] | None:
    """The stored contact this card probably is, and why in words; None when none.
    `keys`: the card's match_keys, when the caller has them already."""
    if not index.names:  # an empty book: nobody to be a duplicate of
        return None
    name = fold(card.display_name)
    for kind, value in sorted(match_keys(card, region) if keys is None else keys):
        cid = index.by_key.get(value)
        if cid is not None:
            # a shared key: the one of them whose name agrees, if any
            cid = next((c for c in index.shared.get(value, ()) if name
                        and _names_agree(name, index.names.get(c, ""))), cid)
            return cid, f"same {kind} {value}"
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


def _job(card: Card) -> str:
    org, title = card.organization.strip(), card.title.strip()
    return f"{title} at {org}" if org and title else org or title


def job_change(old: Card, new: Card) -> str:
    """"Changed job: Analyst at Acme → Director at Globex" ("New title: …" within the
    same organisation), or "" when both are the same — or were unknown before: learning
    someone's job is no change."""
    before, after = _job(old), _job(new)
    if not before or not after or fold(before) == fold(after):
        return ""
    if old.organization and fold(old.organization) == fold(new.organization):
        return f"New title at {new.organization}: {old.title or '(none)'} → {new.title}"
    return f"Changed job: {before} → {after}"


def update_card(base: Card, newer: Card, region: str = "US") -> Card:
    """`base` brought up to date by a newer partial card (a table row): the newer
    organisation and title win — people change jobs — and the rest is merged in
    (empty fields filled, lists united, notes kept). Applying it twice changes nothing."""
    merged = merge_cards(base, newer, region)
    new_org = newer.first("ORG")
    org_changed = bool(newer.organization.strip()) and (
        fold(newer.organization) != fold(base.organization))
    if new_org is not None and (org_changed or (
            newer.department and fold(newer.department) != fold(base.department)
            and fold(newer.organization) == fold(base.organization))):
        merged.set_raw("ORG", new_org.value)
    new_title = newer.first("TITLE")
    if new_title is not None and new_title.text.strip():
        if fold(new_title.text) != fold(base.title):
            merged.set_raw("TITLE", new_title.value)
    elif org_changed:
        merged.remove("TITLE")  # the old title was at the old company
    return merged


# one value a card, shown as the person's: when both cards have one and they differ, the
# kept card's stays (a book-wide merge names the other's: `single_conflicts`)
_SINGLE = ("FN", "N", "ORG", "TITLE", "ROLE", "BDAY", "ANNIVERSARY", "NICKNAME", "GENDER",
           "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "X-PHONETIC-MIDDLE-NAME")
# one value a card that identifies the card, not the person: always the kept card's
_OWN = frozenset({"VERSION", "UID", "PRODID", "REV", "KIND", "SORT-STRING", "CLASS",
                  "X-ABUID", "X-ADDRESSBOOKSERVER-KIND"})
# merged on their own rules (tags united, notes joined)
_SPECIAL = frozenset({"CATEGORIES", "NOTE"})
# compared by value only, whatever their label says ("a phone is a phone")
_MULTI = ("TEL", "EMAIL", "ADR", "URL", "IMPP", "X-SOCIALPROFILE")
# lines that describe their group's main line (Apple's label, an address's country code)
_ANNOTATIONS = frozenset({"X-ABLABEL", "X-ABADR"})


def _normal(prop: Property, region: str) -> str:
    text = unescape_text(prop.value)
    if prop.name == "TEL":  # "+1 555 010 0001" and "(555) 010-0001" are one number
        return normalise_phone(text, region)
    if prop.name in _BINARY or len(text) > 200:
        return prop.value  # a photo, a key: compared as it is
    return fold(text)


_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})


def _line_key(labels: dict[str, str], prop: Property, region: str) -> tuple[str, str, str]:
    """What makes two lines the same: name and value, and for lines other than phones,
    emails, addresses and the like, their label too (an anniversary is not a birthday).
    `labels`: the card's group → label text (`_groups`)."""
    label = "" if prop.name in _MULTI else labels.get(prop.group.lower(), "")
    if prop.name in _ANNIVERSARIES or (prop.name == "X-ABDATE" and label == "anniversary"):
        date = PartialDate.parse(prop.text)  # Apple's, vCard 4's and a CSV's: one day
        return "ANNIVERSARY", date.iso() if date else _normal(prop, region), ""
    return prop.name, _normal(prop, region), label


_ANNIVERSARIES = frozenset({"ANNIVERSARY", "X-ANNIVERSARY"})


def _groups(card: Card) -> tuple[dict[str, list[Property]], dict[str, str]]:
    """A card's groups (lower-case name → its lines) and their labels, folded."""
    groups: dict[str, list[Property]] = {}
    labels: dict[str, str] = {}
    for p in card.properties:
        if p.group:
            group = p.group.lower()
            groups.setdefault(group, []).append(p)
            if p.name == "X-ABLABEL" and group not in labels:  # "_$!<Spouse>!$_" is "Spouse"
                labels[group] = fold(display_label(p.text))
    return groups, labels


def merge_cards(base: Card, other: Card, region: str = "US") -> Card:
    """`base` plus everything `other` adds: empty single fields filled, every other line
    `base` lacks carried over (phones, emails, addresses, Apple's grouped dates and
    related names, GEO, KEY, handles…: each with its own group's label), tags united,
    both notes kept. Where both have a single field (title, birthday) `base`'s stays.

    Merging the same card in twice adds nothing the second time.
    """
    merged = base.copy()
    used_groups = {p.group.lower() for p in merged.properties if p.group}
    _, base_labels = _groups(merged)
    have = {_line_key(base_labels, p, region) for p in merged.properties}
    groups_of_other, other_labels = _groups(other)
    carried_groups: set[str] = set()

    def carry(prop: Property) -> None:
        """`prop` into the merged card; a grouped one with its labels, in a new group."""
        if not prop.group:
            merged.add(_copy(prop))
            return
        mates = groups_of_other.get(prop.group.lower(), [prop])
        new_group = _free_group(used_groups)
        for p in mates:
            if p is prop or p.name in _ANNOTATIONS:
                merged.add(_copy(p, group=new_group))

    for prop in other.properties:
        name = prop.name
        if name in _OWN or name in _SPECIAL:
            continue
        group = prop.group.lower()
        if name in _ANNOTATIONS and group:
            mates = groups_of_other.get(group, [])
            if any(p.name not in _ANNOTATIONS for p in mates):
                continue  # goes with its main line
            if group in carried_groups:
                continue
        if name in _SINGLE:
            if merged.first(name) is None:
                carry(prop)
            continue
        key = _line_key(other_labels, prop, region)
        if key in have:
            continue
        have.add(key)
        if name in _ANNOTATIONS and group:  # a label with no line of its own: as it is
            carried_groups.add(group)
            new_group = _free_group(used_groups)
            for p in groups_of_other[group]:
                merged.add(_copy(p, group=new_group))
            continue
        carry(prop)
    merged.set_categories(list(dict.fromkeys(merged.categories + other.categories)))
    notes = [n for n in (base.note, other.note) if n.strip()]
    if len(notes) == 2 and fold(notes[1]) not in fold(notes[0]):  # not merged in before
        merged.remove("NOTE")
        merged.set_text("NOTE", f"{notes[0]}\n\n{notes[1]}")
    elif not base.note.strip() and other.note.strip():
        merged.set_text("NOTE", other.note)
    return merged


# a single field's name in words (a book-wide merge names what it did with each)
SINGLE_LABELS = {"FN": "Name", "N": "Name parts", "ORG": "Organization", "TITLE": "Title",
                 "ROLE": "Role", "BDAY": "Birthday", "ANNIVERSARY": "Anniversary",
                 "NICKNAME": "Nickname", "GENDER": "Gender",
                 "X-PHONETIC-FIRST-NAME": "Phonetic first name",
                 "X-PHONETIC-LAST-NAME": "Phonetic last name",
                 "X-PHONETIC-MIDDLE-NAME": "Phonetic middle name"}


def single_conflicts(base: Card, other: Card) -> list[tuple[str, str, str]]:
    """The single fields both cards have with different values, in words: (label, the
    kept value, the other's value). `merge_cards` keeps `base`'s; a book-wide merge
    writes the other's into the note, so nothing is lost, and says so."""
    out = []
    for name in _SINGLE:
        mine, theirs = base.first(name), other.first(name)
        if mine is None or theirs is None:
            continue
        a, b = _single_text(name, mine), _single_text(name, theirs)
        if fold(a) != fold(b):
            out.append((SINGLE_LABELS[name], a, b))
    if any(label == "Name" for label, _, _ in out):  # the name said once is enough
        out = [c for c in out if c[0] != "Name parts"]
    return out


def _single_text(name: str, prop: Property) -> str:
    if name in ("N", "ORG", "GENDER"):
        return " ".join(" ".join(p.split()) for p in structured(prop.value) if p.strip())
    if name in ("BDAY", "ANNIVERSARY"):
        date = PartialDate.parse(prop.text)
        return date.iso() if date else prop.text.strip()
    return " ".join(prop.text.split())


def merge_edited(base: Card, mine: Card, theirs: Card, region: str = "US") -> Card:
    """A three-way merge: `theirs` (a file's card, planned as the update of `base`) onto
    `mine` (`base` as edited here since). What the edit here left alone comes as the file
    has it (its new title, a phone it dropped); what the edit changed stays: its single
    fields (a name, a title, a photo), the lines it added or removed, its tags; a note
    both changed keeps both. `mine` equal to `base` gives `theirs` exactly."""
    result = theirs.copy()
    groups_mine, labels_mine = _groups(mine)
    _, labels_base = _groups(base)
    used = {p.group.lower() for p in result.properties if p.group}

    def field_lines(card: Card, labels: dict[str, str], name: str) -> list[tuple]:
        return sorted((p.value, tuple(p.params), labels.get(p.group.lower(), ""))
                      for p in card.get(name))

    def drop(props: list[Property]) -> None:
        """`props` out of the result, and the labels of groups left with no line."""
        gone = {id(p) for p in props}
        result.properties = [p for p in result.properties if id(p) not in gone]
        main = {p.group.lower() for p in result.properties
                if p.group and p.name not in _ANNOTATIONS}
        result.properties = [p for p in result.properties if not (
            p.name in _ANNOTATIONS and p.group and p.group.lower() not in main)]

    def carry(prop: Property) -> None:
        if not prop.group:
            result.add(_copy(prop))
            return
        group = _free_group(used)
        for p in groups_mine.get(prop.group.lower(), [prop]):
            if p is prop or p.name in _ANNOTATIONS:
                result.add(_copy(p, group=group))

    names = dict.fromkeys(p.name for card in (base, mine) for p in card.properties)
    for name in names:
        if name in _OWN or name in _ANNOTATIONS:
            continue
        here, was = field_lines(mine, labels_mine, name), field_lines(base, labels_base, name)
        if here == was:
            continue  # left alone here: as the file has it
        if name == "CATEGORIES":
            added = [t for t in mine.categories if t not in base.categories]
            result.set_categories([t for t in dict.fromkeys(theirs.categories + added)
                                   if t in mine.categories or t not in base.categories])
        elif name == "NOTE" and theirs.note.strip() and fold(theirs.note) != fold(base.note) \
                and fold(theirs.note) not in fold(mine.note):  # both wrote: both kept
            result.remove("NOTE")
            result.set_text("NOTE", "\n\n".join(n for n in (mine.note, theirs.note) if n.strip()))
        elif name in _SINGLE or name in _BINARY or name == "NOTE":  # the edit's value
            drop(result.get(name))
            for prop in mine.get(name):
                carry(prop)
        else:  # lines: the ones the edit removed go, the ones it added come
            _, labels_result = _groups(result)
            removed = ({_line_key(labels_base, p, region) for p in base.get(name)}
                       - {_line_key(labels_mine, p, region) for p in mine.get(name)})
            drop([p for p in result.get(name)
                  if _line_key(labels_result, p, region) in removed])
            have = {_line_key(labels_result, p, region) for p in result.get(name)}
            was_keys = {_line_key(labels_base, p, region) for p in base.get(name)}
            for prop in mine.get(name):
                key = _line_key(labels_mine, prop, region)
                if key not in was_keys and key not in have:
                    have.add(key)
                    carry(prop)
    return result


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
    return _given_alike(wa[0], wb[0])


def _given_alike(ga: str, gb: str) -> bool:
    """Two folded given names that agree: the same, one an initial of the other, or spelt
    nearly alike (SequenceMatcher's ratio 0.8 or more, in this order: it is not always
    symmetric)."""
    verdict = _given_verdict(ga, gb)
    return _spelt_alike(ga, gb) if verdict is None else verdict


def _given_verdict(ga: str, gb: str) -> bool | None:
    """What decides two given names without SequenceMatcher (either way round), or None."""
    if ga == gb:
        return True
    if len(ga) == 1 or len(gb) == 1:
        return ga[0] == gb[0]
    # the ratio is 2·matches / (len a + len b); matches ≤ the shorter length, and letters
    # the other name hasn't got match nothing: cheap bounds first (a book compares
    # hundreds of thousands of given names)
    need = 0.8 * (len(ga) + len(gb))
    if 2 * min(len(ga), len(gb)) < need:
        return False
    in_b, in_a = set(gb), set(ga)
    if 2 * min(sum(ch in in_b for ch in ga), sum(ch in in_a for ch in gb)) < need:
        return False
    return None


def _spelt_alike(ga: str, gb: str) -> bool:
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


_LIVE_NAMES_SQL = ('SELECT "id", "display_name", "org_key", "sort_key" FROM "contact" '
                   'WHERE "deleted_at" IS NULL')
_LIVE_KEYS_SQL = ('SELECT k."kind", k."value", k."contact_id" FROM "contact_key" AS k '
                  'INNER JOIN "contact" AS c ON k."contact_id" = c."id" '
                  'WHERE c."deleted_at" IS NULL')


def find_duplicates(store: Store,
                    report: Callable[[int, int], None] | None = None) -> list[DuplicateGroup]:
    """Groups of live contacts that are probably one person: the same phone however
    written, the same email ignoring case, or very similar names together with a shared
    organisation or email domain (not a free-mail one). Exactly the same full name counts
    on its own; a shared family name never does.

    `report(done, total)` hears how far the name comparison is (the window's progress;
    it may raise to stop the search)."""
    # the rows as SQL written once: peewee's per-row conversion of 150,000 rows (none
    # of these columns needs one) was a sixth of the search at 50,000 contacts
    rows = store.db.execute_sql(_LIVE_NAMES_SQL).fetchall()
    names = {cid: name for cid, name, _org, _sort in rows}
    orgs = {cid: org for cid, _name, org, _sort in rows}
    order = {cid: n for n, (cid, *_rest) in enumerate(sorted(rows, key=lambda r: (r[3], r[0])))}
    groups = _Groups()

    by_value: dict[tuple[str, str], set[int]] = defaultdict(set)
    domains: dict[int, set[str]] = defaultdict(set)
    for kind, value, cid in store.db.execute_sql(_LIVE_KEYS_SQL).fetchall():
        by_value[(kind, value)].add(cid)
        if kind == "email" and "@" in value:
            domain = value.rsplit("@", 1)[1]
            if domain not in FREE_MAIL:
                domains[cid].add(domain)
    for (kind, value), ids in sorted(by_value.items()):
        if len(ids) > 1:
            groups.join(ids, f"same {kind} {value}")

    words = {cid: _words(name) for cid, name in names.items()}
    by_family: dict[str, list[int]] = defaultdict(list)
    for cid, parts in words.items():
        if len(parts) >= 2:
            by_family[parts[-1]].append(cid)
    families = [f for f in by_family.values()
                if 2 <= len(f) <= 200]  # "Smith" ×5,000: no name says anything
    alike: dict[tuple[str, str], tuple[bool, bool]] = {}  # given names, once a book
    for done, family in enumerate(families):
        if report is not None and done % 200 == 0:
            report(done, len(families))
        family.sort(key=order.__getitem__)
        for i, j in _alike_pairs([words[cid][0] for cid in family], alike):
            a, b = family[i], family[j]
            na, nb = names[a], names[b]
            if words[a] == words[b]:
                groups.join((a, b), f"same name “{na}”")
                continue
            # similar names (the pairs are those): they need a place in common too
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


def _alike_pairs(given: list[str], alike: dict[tuple[str, str], tuple[bool, bool]]
                 ) -> list[tuple[int, int]]:
    """The pairs (i < j) of one family's members whose given names agree, in the order
    a loop over every pair would meet them.

    Measured at 50,000 contacts with a long tail of family names: comparing every pair
    of a family (730,000 pairs, a SequenceMatcher each) took 7.5 s; the people of a
    family share few distinct given names, so those are compared once (`alike`, kept
    for the whole book) and the pairs come from them."""
    at: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(given):
        at[name].append(i)
    distinct = list(at)
    pairs: list[tuple[int, int]] = []
    for x, ga in enumerate(distinct):
        mine = at[ga]
        pairs.extend((i, j) for k, i in enumerate(mine) for j in mine[k + 1:])
        for gb in distinct[x + 1:]:
            forward, backward = _both_ways(ga, gb, alike)
            if not (forward or backward):
                continue
            for i in mine:
                for j in at[gb]:
                    if forward if i < j else backward:
                        pairs.append((i, j) if i < j else (j, i))
    pairs.sort()
    return pairs


def _both_ways(ga: str, gb: str,
               alike: dict[tuple[str, str], tuple[bool, bool]]) -> tuple[bool, bool]:
    """(_given_alike(ga, gb), _given_alike(gb, ga)), each pair of names compared once."""
    if ga > gb:
        backward, forward = _both_ways(gb, ga, alike)
        return forward, backward
    found = alike.get((ga, gb))
    if found is None:
        verdict = _given_verdict(ga, gb)
        found = alike[(ga, gb)] = ((verdict, verdict) if verdict is not None
                                   else (_spelt_alike(ga, gb), _spelt_alike(gb, ga)))
    return found


def _org_name(store: Store, contact_id: int) -> str:
    organization, key = (Contact.select(Contact.organization, Contact.org_key)
                         .where(Contact.id == contact_id).tuples().get())
    return organization or key
