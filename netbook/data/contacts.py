"""The service API over the store: what the window and the command line call.

Every write goes through here so the vCard record and its derived columns change in one
transaction, and every caller gets the same rules (ARCHITECTURE.md, "The record").
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, overload

from peewee import (
    BooleanField,
    CharField,
    Field,
    IntegerField,
    IntegrityError,
    TextField,
    chunked,
)

from . import db as dbmod
from .models import Contact, ContactKey, MergedUid, Setting, Tag
from .photos import thumbnail_or_none
from .text import clean_single_line, digits, fold, like_pattern, normalise_email, normalise_phone
from .vcard.card import (
    Card,
    NameParts,
    PartialDate,
    Property,
    TypedValue,
    escape_text,
    inline_binary,
    structured,
    unescape_text,
)
from .vcard.reader import parse_card_text
from .vcard.writer import card_to_text

NETBOOK_PREFIX = "X-NETBOOK-"
SORT_COLUMNS = ("name", "organization", "last_contacted")
MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer: longer digits are no id
# (sort, descending) → the index that holds the whole book in that order (0012)
_ORDER_INDEXES = {("name", False): "contact_by_name", ("name", True): "contact_by_name_desc",
                  ("organization", False): "contact_by_org",
                  ("organization", True): "contact_by_org_desc",
                  ("last_contacted", False): "contact_by_last",
                  ("last_contacted", True): "contact_by_last_desc"}
# what a card's content hash ignores: identity and bookkeeping, not what the person wrote
_HASH_IGNORED = {"UID", "REV", "PRODID", "VERSION", "X-ABUID"}
_PHONE_QUERY = re.compile(r"^[\d\s+().\-/]+$")


# the date a rhythm counts from, as planner.last_touch: the later of the last contact and
# the day we met, else the day the contact was added
LAST_TOUCH_SQL = ("coalesce(nullif(max(coalesce(last_contacted, ''), coalesce(met_on, '')), ''), "
                  "date(created_at))")


def _is_phone_query(text: str) -> bool:
    return bool(_PHONE_QUERY.match(text)) and len(digits(text)) >= 3


def _phone_variants(text: str, region: str) -> list[str]:
    """The digit strings a typed number may be stored under: as typed, without a trunk
    prefix ("0151…" is "+49 151…"), and its national number ("+1 555…" is "555…")."""
    typed = digits(text)
    variants = [typed]
    if len(typed) >= 7:  # a whole number, not a fragment like "0123"
        variants.append(typed.lstrip("0"))
        import phonenumbers  # on the first number searched for (see text.normalise_phone)

        try:
            national = str(phonenumbers.parse(text, region).national_number)
            if len(national) >= 6:
                variants.append(national)
        except phonenumbers.NumberParseException:
            pass
    return list(dict.fromkeys(variants))


class StoreError(Exception):
    """A request the store refuses; the message is for the user."""


class ConflictError(StoreError):
    """The contact changed (another window, the command line) since it was loaded."""


class NotFoundError(StoreError):
    pass


class ListRow(NamedTuple):
    """One row of the contact list (a tuple: 50,000 of them are built per query)."""

    id: int
    name: str
    organization: str
    last_contacted: dt.date | None
    has_photo: bool


@dataclass(frozen=True)
class ListQuery:
    """What the contact list shows: a search, a filter and an order."""

    search: str = ""
    filter: str = "all"  # all, due_now, overdue, never_contacted, met_recently, circle, tag,
    #                      since (added or changed at or after `since`: "Imported just now")
    circle: str = ""
    tag: str = ""
    since: str = ""  # "YYYY-MM-DD HH:MM:SS", as the updated_at column holds it
    sort: str = "name"
    descending: bool = False
    today: dt.date | None = None


@dataclass(frozen=True)
class SharedKey:
    contact_id: int
    name: str
    value: str  # the phone or email both contacts have


@dataclass
class ContactRecord:
    """One contact as the detail pane shows it: the card plus netbook's own fields."""

    id: int
    card: Card
    revision: int
    last_contacted: dt.date | None
    rhythm_days: int | None
    circle: str | None
    met_on: dt.date | None
    met_where: str
    introduced_by: int | None
    introduced_by_name: str
    does: str
    needs: str
    offers: str
    follow_up: dt.date | None
    follow_up_note: str
    snoozed_until: dt.date | None
    created_at: dt.datetime

    @property
    def name(self) -> str:
        return self.card.display_name


_PHONETIC = frozenset({"X-PHONETIC-LAST-NAME", "X-PHONETIC-FIRST-NAME",
                       "X-PHONETIC-MIDDLE-NAME"})
_BINARY = {"PHOTO", "LOGO", "KEY", "SOUND"}
_DATES = {"BDAY", "ANNIVERSARY", "X-ANNIVERSARY"}
_ENCODING_PARAMS = {"ENCODING", "VALUE", "CHARSET"}


_SKIP = frozenset(_ENCODING_PARAMS)
_SKIP_MEDIA = _SKIP | {"TYPE"}  # the media type, said differently by 3.0 and 4.0


def _canonical(prop: Property) -> str:
    """One line's content, whatever vCard version or encoding wrote it."""
    value = prop.value.strip()
    skip = _SKIP
    if prop.name in _BINARY:
        data = inline_binary(prop)
        if data is not None:
            value = "sha1:" + hashlib.sha1(data).hexdigest()
            skip = _SKIP_MEDIA
    elif prop.name in _DATES:
        parsed = PartialDate.parse(unescape_text(value))
        value = parsed.iso() if parsed else value
    if not prop.params:  # most lines: the same text as below, without the work
        return f"{prop.group.lower()}|{prop.name}|[]|{value}"
    params: list[str] = []
    for key, val in prop.params:
        if key in skip:
            continue
        if key == "PREF":
            params.append("TYPE=pref")
            continue
        if key == "TYPE":
            params += [f"TYPE={t.lower()}" for t in val.split(",") if t]
            continue
        params.append(f"{key}={val}")
    return f"{prop.group.lower()}|{prop.name}|{sorted(set(params))}|{value}"


def content_hash(card: Card) -> str:
    """Same content ⇔ same hash, whatever order, version, encoding or case of groups."""
    lines = []
    for p in card.properties:
        if p.name in _HASH_IGNORED or p.name.startswith(NETBOOK_PREFIX):
            continue
        if not p.value.strip(" ;,"):  # N:;;;; — what a writer adds for the standard's sake
            continue
        lines.append(_canonical(p))
    lines.sort()
    return hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()


def best_of(values: Sequence) -> str:
    """The preferred value, else the first: what the call list dials."""
    for v in values:
        if v.pref:
            return v.value
    for v in values:
        if "cell" in v.types or "mobile" in v.label.lower():
            return v.value
    return values[0].value if values else ""


def match_keys(card: Card, region: str = "US", *, phones: list[TypedValue] | None = None,
               emails: list[TypedValue] | None = None) -> set[tuple[str, str]]:
    """Normalised phones and emails: what makes two cards probably the same person.
    `phones`, `emails`: the card's, when the caller has read them already."""
    phones = card.phones if phones is None else phones
    emails = card.emails if emails is None else emails
    return ({("phone", normalise_phone(p.value, region)) for p in phones if digits(p.value)}
            | {("email", normalise_email(e.value)) for e in emails if e.value.strip()})


def derived_columns(card: Card, region: str = "US", *, known_hash: str | None = None,
                    known_keys: set[tuple[str, str]] | None = None,
                    phones: list[TypedValue] | None = None,
                    emails: list[TypedValue] | None = None) -> dict:
    """The index columns a card implies (ARCHITECTURE.md: the columns are its index).

    `known_hash`, `known_keys`, `phones`, `emails`: the card's content hash, match keys,
    phones and emails when the caller worked them out already (an import matches every
    card before it stores it). Each of the card's values is read once here: reading one
    walks the card's lines, and indexing is most of an import's time."""
    simple = _simple_card_columns(card, region, known_hash, known_keys, phones, emails)
    if simple is not None:
        return simple
    # which lines the card has, in one pass: the value of a line it lacks is empty, and
    # looking for it would walk the whole card again
    present = {p.name for p in card.properties}
    phones = card.phones if phones is None else phones
    emails = card.emails if emails is None else emails
    return _index_columns(
        card.uid, card.display_name, card.name_parts, card.org_parts if "ORG" in present else [],
        card.title if "TITLE" in present else "", phones, emails,
        [u.value for u in card.urls] if "URL" in present else [],
        known_hash if known_hash is not None else content_hash(card),
        known_keys if known_keys is not None else match_keys(
            card, region, phones=phones, emails=emails),
        nickname=card.nickname if "NICKNAME" in present else "",
        phonetic=card.phonetic.joined() if not present.isdisjoint(_PHONETIC) else "",
        note=card.note if "NOTE" in present else "",
        tags=card.categories if "CATEGORIES" in present else [],
        addresses=(" ".join(a.one_line() for a in card.addresses) if "ADR" in present
                   else ""),
        birthday=card.birthday if "BDAY" in present else None)


_SIMPLE_ONCE = frozenset({"UID", "FN", "N", "ORG", "TITLE"})


def _simple_card_columns(card: Card, region: str, known_hash: str | None,
                         known_keys: set[tuple[str, str]] | None,
                         phones: list[TypedValue] | None,
                         emails: list[TypedValue] | None) -> dict | None:
    """`derived_columns` for a card of a name, a job, emails and web addresses, each
    line without parameters — a LinkedIn connection's, every one of a 30,000-row
    export — read in one pass over its lines; None for any other card. The same
    columns as the general reading (tests/data/test_contacts.py holds them equal)."""
    if phones:
        return None
    once: dict[str, Property] = {}
    email_lines: list[Property] = []
    url_values: list[str] = []
    for prop in card.properties:
        name = prop.name
        if prop.params:
            return None
        if name in _SIMPLE_ONCE:
            if name in once:
                return None
            once[name] = prop
        elif name == "EMAIL" and not prop.group:
            email_lines.append(prop)
        elif name == "URL":
            url_values.append(unescape_text(prop.value).strip())
        elif name != "X-ABLABEL" or not prop.group:  # a URL's label: no column of its own
            return None
    fn = once.get("FN")
    display = unescape_text(fn.value).strip() if fn is not None else ""
    if not display:
        return None
    n = once.get("N")
    parts = (NameParts(*(p.strip() for p in (structured(n.value) + [""] * 5)[:5]))
             if n is not None else NameParts())
    org = once.get("ORG")
    org_parts = [p.strip() for p in structured(org.value)] if org is not None else []
    title_line = once.get("TITLE")
    title = unescape_text(title_line.value) if title_line is not None else ""
    if emails is None:
        emails = [TypedValue(unescape_text(p.value).strip(), (), "", False, i)
                  for i, p in enumerate(email_lines)]
    uid_line = once.get("UID")
    uid = unescape_text(uid_line.value).strip() if uid_line is not None else ""
    return _index_columns(
        uid, display, parts, org_parts, title, [], emails, url_values,
        known_hash if known_hash is not None else content_hash(card),
        known_keys if known_keys is not None else match_keys(card, region, phones=[],
                                                             emails=emails))


def _index_columns(uid: str, display: str, parts: NameParts, org_parts: list[str],
                   title: str, phones: list[TypedValue], emails: list[TypedValue],
                   url_values: list[str], chash: str, keys: set[tuple[str, str]], *,
                   nickname: str = "", phonetic: str = "", note: str = "",
                   tags: list[str] | None = None, addresses: str = "",
                   birthday: PartialDate | None = None) -> dict:
    """The index columns from a card's values, however they were read (every card's
    lines, a plain card's in one pass, a table row's cells)."""
    tags = [] if tags is None else tags
    name = clean_single_line(display)
    organization = org_parts[0] if org_parts else ""
    department = "; ".join(p for p in org_parts[1:] if p)
    sort_basis = " ".join(p for p in (parts.family, parts.given) if p) or name
    searchable = [name, parts.joined(), nickname, phonetic, organization, department, title,
                  note, " ".join(tags), " ".join(e.value for e in emails),
                  " ".join(url_values), addresses]
    fields = _json_fields(uid, display, parts, organization, title, phones, emails,
                          birthday, tags)
    phone_digits = (digits(p.value) for p in phones)
    return {
        "display_name": name,
        "sort_key": fold(sort_basis),
        "organization": clean_single_line(organization),
        "org_key": fold(organization),
        "title": clean_single_line(title),
        # each part folded on its own (names, organisations and titles repeat: folding
        # remembers them) is the whole folded (tests/data/test_fold.py)
        "search_text": " ".join(f for f in map(fold, (s for s in searchable if s)) if f),
        "phone_digits": " ".join(d for d in phone_digits if d),
        "best_phone": best_of(phones),
        "best_email": best_of(emails),
        "birthday": birthday.iso() if birthday else None,
        "content_hash": chash,
        "card_json": _card_json_text(fields),
        "_keys": keys,
        "_tags": tags,
    }


@dataclass(slots=True)
class KnownRow:
    """A table row's values, as the card it makes holds them: the card UID, FN (given
    family), N, ORG, TITLE, an EMAIL for each of `emails` (no parameters) and a URL for
    each (address, label) of `urls` (a label in an item group), in that order — for a
    layout whose rows are many and plain (LinkedIn's). `row()` works out the new
    contact's row from them as `prepare_row` would from the card, without reading it."""

    uid: str
    given: str
    family: str
    organization: str
    title: str
    emails: tuple[str, ...]
    urls: tuple[tuple[str, str], ...]
    # its lines, worked out once for both the hash (matching) and the row (a new contact)
    _content: tuple[list[str], list[str], bool] | None = field(default=None, repr=False,
                                                               compare=False)

    @property
    def name(self) -> str:
        """The card's display name (its FN)."""
        return " ".join(f"{self.given} {self.family}".split())

    def lines(self) -> tuple[list[str], list[str], bool]:
        """The card's lines as the writer writes them, as `content_hash` reads them, and
        whether the writer would write them so (not a URL it normalises or escapes)."""
        if self._content is None:
            self._content = self._work_out_lines()
        return self._content

    def _work_out_lines(self) -> tuple[list[str], list[str], bool]:
        lines = ["BEGIN:VCARD", "VERSION:3.0", "UID:" + self.uid]
        values = [("FN", escape_text(self.name)),
                  ("N", f"{escape_text(self.family)};{escape_text(self.given)};;;")]
        if self.organization:
            values.append(("ORG", escape_text(self.organization)))
        if self.title:
            values.append(("TITLE", escape_text(self.title)))
        values += [("EMAIL", escape_text(e)) for e in self.emails]
        canonical = []
        for name, value in values:
            lines.append(f"{name}:{value}")
            if value.strip(" ;,"):
                canonical.append(f"|{name}|[]|{value.strip()}")
        as_is = True
        group = 0
        for url, label in self.urls:
            as_is = as_is and not ("\\" in url or "\n" in url or "\r" in url)
            head = ""
            if label:
                group += 1
                head = f"item{group}."
            escaped = url.replace(",", "\\,")  # what the writer does to a URI's commas
            lines.append(f"{head}URL:{escaped}")
            if url.strip(" ;,"):
                canonical.append(f"{head[:-1]}|URL|[]|{url.strip()}")
            if label:
                text = escape_text(label)
                lines.append(f"{head}X-ABLABEL:{text}")
                if text.strip(" ;,"):
                    canonical.append(f"{head[:-1]}|X-ABLABEL|[]|{text.strip()}")
        lines.append("END:VCARD")
        return lines, canonical, as_is

    def content_hash(self) -> str:
        """`content_hash(card)`."""
        canonical = sorted(self.lines()[1])
        return hashlib.sha1("\n".join(canonical).encode("utf-8")).hexdigest()

    def match_keys(self) -> set[tuple[str, str]]:
        """`match_keys(card)`: its emails (it has no phone)."""
        return {("email", normalise_email(e)) for e in self.emails if e.strip()}

    def row(self, chash: str | None = None) -> tuple[str, dict] | None:
        """The card's text and index columns (`card_to_text`, `derived_columns`);
        `chash`: its content hash, when worked out already. None when a line would need
        more than writing out as it is (folding past 75 octets, a URL to normalise):
        the card's own road then. tests/data/csv holds it equal to the card's."""
        lines, _canonical, as_is = self.lines()
        if not as_is:
            return None
        for line in lines:  # a line the writer folds (past 75 octets)
            if len(line) > 75 or (len(line) > 18 and not line.isascii()
                                  and len(line.encode("utf-8")) > 75):
                return None
        if chash is None:
            chash = self.content_hash()
        typed = [TypedValue(e, (), "", False, i) for i, e in enumerate(self.emails)]
        parts = NameParts(family=self.family.strip(), given=self.given.strip())
        org = self.organization
        columns = _index_columns(self.uid, self.name, parts, [org.strip()] if org else [],
                                 self.title, [], typed, [u.strip() for u, _ in self.urls],
                                 chash, self.match_keys())
        return "\r\n".join(lines) + "\r\n", columns


def known_row(uid: str, given: str, family: str, organization: str, title: str,
              emails: list[str], urls: list[tuple[str, str]]) -> KnownRow | None:
    """A row's values as its card holds them (KnownRow); None without a name (the
    card then gets an FN from its organisation or email: the card's own road)."""
    if not (given.strip() or family.strip()):
        return None
    return KnownRow(uid, given, family, organization, title, tuple(emails), tuple(urls))


class _Children(NamedTuple):
    """A contact's ContactKey and Tag rows, derived from its card, written after it."""

    keys: set[tuple[str, str]]
    tags: list[str]


class PreparedRow(NamedTuple):
    """A new contact ready to insert (Store.prepare_row), built outside any lock: the
    INSERT's values (Store.insert_columns() order) and the child rows to write once it
    has an id. Plain values only, so an import can keep 100,000 of them in a file."""

    values: list
    keys: set[tuple[str, str]]
    tags: list[str]


def _child_insert(model, names: Sequence[str], *, ignore: bool = False) -> str:
    """INSERT for one child table, its column names taken from the model."""
    fields = [model._meta.fields[n] for n in names]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    return (f'{verb} INTO "{model._meta.table_name}" ({columns}) '
            f"VALUES ({', '.join('?' * len(fields))})")


# a first import of at least this many contacts builds the contact table's indexes after
# its rows instead of keeping them up to date row by row (Store.bulk_insert)
BULK_INSERT_MIN = 2000
_LIVE_SQL = 'SELECT * FROM "contact" WHERE "id" = ? AND "deleted_at" IS NULL'
_LAST_ID_SQL = 'SELECT max("id") FROM "contact"'
_INSERT_TRIGGER = "plan_contact_insert"  # migration 0005: one counter bump per new row


# The Peewee models are bound to one database for the whole program, so every Store open
# in this process must be on the same file: they then share its database object (two
# windows on one file), and a Store on another file is refused until the first is closed
# instead of silently redirecting the first one's queries.
_OPEN: dict[str, list] = {}  # resolved path → [NetbookDatabase, number of Stores using it]


def saved_region(fallback: str) -> str:
    """The phone region chosen in Settings (the `phone_region` setting), else `fallback`
    (the one place it is read: `settings.phone_region` asks here too)."""
    row = Setting.get_or_none(Setting.key == "phone_region")
    try:
        saved = json.loads(row.value) if row else None
    except ValueError:
        saved = None
    return saved if isinstance(saved, str) and len(saved) == 2 else fallback


class Store:
    """One open netbook database. Open with `Store.open(path)`; close when done."""

    def __init__(self, db: dbmod.NetbookDatabase, path: Path, region: str = "US",
                 language: str = "en") -> None:
        self.db = db
        self.path = path
        self.region = region
        self.language = language  # ISO 639-1, for matching words (who can help)
        self._closed = False
        self._insert_sql: tuple[str, list[Field], list[int]] | None = None
        self._row_defaults: dict[str, object] | None = None
        self._template: tuple[list, dict[str, int], frozenset[int]] | None = None
        self._update_sql: dict[tuple[str, ...], str] = {}  # columns → UPDATE (save_card)
        # what the layers above remember about this open store (the plan service's last
        # week plan), so it lives and goes with the store; each keeps its own key, and
        # data/ needs to know none of their types
        self.caches: dict[str, object] = {}

    @classmethod
    def open(cls, path: Path | str | None = None, region: str = "US",
             language: str = "en", *, check: str = "now") -> Store:
        """Open the book at `path` (the default one when None). `check`: "now" runs the
        whole-file check here when it is due, "later" leaves it to the caller
        (`db.check_due`; see db.open_database)."""
        path = Path(path).expanduser() if path else dbmod.default_db_path()
        key = str(path.resolve())
        entry = _OPEN.get(key)
        if entry is not None:
            entry[1] += 1
            return cls(entry[0], path, saved_region(region), language)
        if _OPEN:
            other = next(iter(_OPEN))
            raise dbmod.DatabaseError(f"{path}: can't be opened while {other} is open in "
                                      "this program; close that one first")
        db = dbmod.open_database(path, check=check)
        _OPEN[key] = [db, 1]
        return cls(db, path, saved_region(region), language)

    def close(self) -> None:
        """Close this Store; the file itself closes with the last Store on it."""
        if self._closed:
            return
        self._closed = True
        key = str(self.path.resolve())
        entry = _OPEN.get(key)
        if entry is not None and entry[0] is self.db:
            entry[1] -= 1
            if entry[1] > 0:
                return
            del _OPEN[key]
        dbmod.close_database(self.db)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if exc is not None:  # a damaged page met inside the block: nothing more written
            self.db.note_failure(exc)
        self.close()

    def backup(self, reason: str) -> Path | None:
        return dbmod.backup_file(self.path, reason)

    # -- writing cards -----------------------------------------------------
    def _index(self, contact: Contact, card: Card,
               thumb: bytes | bool | None = True) -> _Children:
        """Set derived columns on `contact` (unsaved); return the match keys and tags to
        write once it has an id. thumb=True: recompute from the card."""
        cols = derived_columns(card, self.region)
        children = _Children(cols.pop("_keys"), cols.pop("_tags"))
        contact.__data__.update(cols)  # plain columns: peewee's per-field setter costs more
        if thumb is True:
            contact.thumbnail = thumbnail_or_none(card.photo_bytes)
        elif thumb is not False:
            contact.thumbnail = thumb
        contact.has_photo = contact.thumbnail is not None
        return children

    def _write_children(self, rows: Sequence[tuple[int, _Children]], replace: bool) -> None:
        if replace:
            # as SQL written once: peewee built both DELETEs anew for every saved card,
            # a fifth of what saving next month's 1,000 job changes cost
            for ids in chunked([cid for cid, _ in rows], 500):
                marks = ", ".join("?" * len(ids))
                for model in (ContactKey, Tag):
                    self.db.execute_sql(f'DELETE FROM "{model._meta.table_name}" WHERE '
                                        f'"{model.contact.column_name}" IN ({marks})', ids)
        keys = [(cid, k, v) for cid, children in rows for k, v in children.keys]
        tags = [(cid, t) for cid, children in rows for t in dict.fromkeys(children.tags)]
        # one prepared statement each: peewee's insert_many built its SQL row by row,
        # the slowest part of an import's time under the write lock
        cursor = self.db.cursor()
        if keys:
            cursor.executemany(_child_insert(ContactKey, ("contact", "kind", "value")), keys)
        if tags:
            cursor.executemany(_child_insert(Tag, ("contact", "name"), ignore=True), tags)

    def prepare_card(self, card: Card) -> Card:
        """Give a card what every record needs: a UID, an FN."""
        if not card.uid:
            card.set_text("UID", Card.new().uid)
        if not card.formatted_name:
            card.set_text("FN", card.display_name if card.display_name != "(no name)" else "")
        return card

    def add_contact(self, card: Card, *, imported: bool = False, **networking) -> int:
        """Add one contact (an edit in netbook unless `imported`); return its id."""
        with self.db.atomic():
            return self.add_cards([card], imported=imported, networking=[networking])[0]

    def add_cards(self, cards: Sequence[Card], *, imported: bool = False,
                  networking: Sequence[dict] | None = None,
                  thumbnails: Sequence[bytes | None] | None = None) -> list[int]:
        """Insert many cards; the caller holds the transaction."""
        return self.insert_rows(self.prepare_rows(cards, imported=imported,
                                                  networking=networking,
                                                  thumbnails=thumbnails))

    def prepare_rows(self, cards: Sequence[Card], *, imported: bool = False,
                     networking: Sequence[dict] | None = None,
                     thumbnails: Sequence[bytes | None] | None = None) -> list[PreparedRow]:
        """The rows for new contacts, built without touching the database (see
        `prepare_row`)."""
        return [self.prepare_row(card, imported=imported,
                                 networking=networking[i] if networking else None,
                                 thumbnail=thumbnails[i] if thumbnails else True)
                for i, card in enumerate(cards)]

    def prepare_row(self, card: Card, *, imported: bool = False,
                    networking: dict | None = None, thumbnail: bytes | bool | None = True,
                    known_hash: str | None = None,
                    known_keys: set[tuple[str, str]] | None = None,
                    phones: list[TypedValue] | None = None,
                    emails: list[TypedValue] | None = None,
                    known: KnownRow | None = None) -> PreparedRow:
        """A new contact's row, built without touching the database: the card text, its
        index columns, its thumbnail (True: made from the card's photo), the INSERT's
        values. An import builds them while it plans, so it holds the write lock only to
        insert them (`insert_rows`); `known_hash` … `emails` as for derived_columns;
        `known`: the card's text and columns as a reader worked them out (known_row)."""
        now = dt.datetime.now().replace(microsecond=0)
        # the row as a new Contact(...) would hold it, without making one (peewee's
        # per-field setters cost more than the rest of the row): the defaults' values,
        # then each column the card gives, in the order a dict of them would be updated
        values, at, convert = self._row_template()
        values = values.copy()
        made = known.row(known_hash) if known is not None else None
        if made is not None:  # a named card with a UID and no photo, from its values
            text, cols = made
            photo = None
        else:
            self.prepare_card(card)
            cols = derived_columns(card, self.region, known_hash=known_hash,
                                   known_keys=known_keys, phones=phones, emails=emails)
            text = card_to_text(card)
            photo = thumbnail_or_none(card.photo_bytes) if thumbnail is True else (
                thumbnail or None)
        keys, tags = cols.pop("_keys"), cols.pop("_tags")
        cols.update(uid=card.uid, vcard=text,
                    created_at=now, updated_at=now, thumbnail=photo,
                    has_photo=photo is not None)
        if imported:
            cols["imported_hash"] = cols["content_hash"]
        else:
            cols["edited_at"] = now
        if networking:
            cols.update(networking)
        for name, value in cols.items():
            i = at.get(name)
            if i is not None:  # a value for no column (as a dict of fields ignored it)
                values[i] = self._db_value(i, value) if i in convert else value
        return PreparedRow(values, keys, tags)

    def _row_template(self) -> tuple[list, dict[str, int], frozenset[int]]:
        """A new contact's INSERT values before its card fills them (its columns'
        defaults, as `_row_values` writes them), where each column is, and which need
        converting."""
        if self._template is None:
            _sql, fields, convert = self._insert_statement()
            self._template = (self._row_values(self._defaults()),
                              {f.name: i for i, f in enumerate(fields)}, frozenset(convert))
        return self._template

    def _defaults(self) -> dict[str, object]:
        """A new contact's column defaults (the callable ones, the times, are set by
        prepare_row itself)."""
        if self._row_defaults is None:
            self._row_defaults = {f.name: f.default for f in self._insert_statement()[1]
                                  if f.default is not None and not callable(f.default)}
        return self._row_defaults

    def insert_columns(self) -> list[str]:
        """The columns of a PreparedRow's values, in order."""
        return [f.name for f in self._insert_statement()[1]]

    @contextmanager
    def bulk_insert(self, count: int) -> Iterator[None]:
        """Around inserting `count` new contacts (the caller holds the transaction): when
        they are at least as many as the contacts already stored (a first import), the
        contact table's indexes and its per-row plan-counter trigger are taken away for
        the inserts and put back after, from their own stored SQL: building an index
        once over all the rows costs half what keeping ~20 of them up to date row by row
        does (30,000 LinkedIn rows: ~1.2 s → ~0.6 s), and the counter moves by the rows
        added in one step, as the trigger would have moved it. Other connections never
        see the table without them: it all happens inside the transaction, and on an
        error the transaction's rollback puts the schema back as it was."""
        if count < BULK_INSERT_MIN:
            yield
            return
        (stored,), = self.db.execute_sql("SELECT count(*) FROM contact").fetchall()
        if stored > count:
            yield
            return
        schema = self.db.execute_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'contact' AND "
            "sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND name = ?))",
            (_INSERT_TRIGGER,)).fetchall()
        for kind, name, _sql in schema:
            self.db.execute_sql(f'DROP {kind.upper()} "{name}"')
        yield
        (now,), = self.db.execute_sql("SELECT count(*) FROM contact").fetchall()
        for _kind, _name, sql in schema:
            self.db.execute_sql(sql)
        if any(name == _INSERT_TRIGGER for _, name, _ in schema) and now > stored:
            self.db.execute_sql("UPDATE plan_epoch SET n = n + ?", (now - stored,))

    def insert_rows(self, rows: Sequence[PreparedRow],
                    stamp: dt.datetime | None = None) -> list[int]:
        """Insert rows from `prepare_row(s)`; the caller holds the transaction. `stamp`:
        when they count as added (an import prepares its rows when it reads the file,
        and adds them when the user says so)."""
        sql, fields, _convert = self._insert_statement()
        names = [f.name for f in fields]
        uid_at = names.index("uid")
        stamped = [names.index("created_at"), names.index("updated_at")] if stamp else []
        when = str(stamp.replace(microsecond=0)) if stamp else ""
        batch = [row.values for row in rows]
        if stamped:
            batch = [list(values) for values in batch]
            for values in batch:
                for i in stamped:
                    values[i] = when
        # all in one call (an import's thousands: the per-row call was a tenth of its
        # write): a row without an id gets one more than the largest (SQLite's rowid
        # rule), so they are numbered from the largest before them
        cursor = self.db.cursor()
        before = cursor.execute(_LAST_ID_SQL).fetchone()[0] or 0
        try:
            cursor.executemany(sql, batch)
        except (IntegrityError, sqlite3.IntegrityError):  # peewee's, the cursor's
            # the rows before the refused one went in: it is the next
            refused = (cursor.execute(_LAST_ID_SQL).fetchone()[0] or 0) - before
            raise StoreError(f"a contact with UID {batch[refused][uid_at]} already exists"
                             ) from None
        ids = list(range(before + 1, before + 1 + len(batch)))
        if (cursor.execute(_LAST_ID_SQL).fetchone()[0] or 0) != before + len(batch):
            # numbered otherwise (the largest id was taken): read them back by UID
            by_uid: dict[str, int] = {}
            for uids in chunked([values[uid_at] for values in batch], 500):
                by_uid.update(cursor.execute(
                    f"SELECT uid, id FROM contact WHERE uid IN ({', '.join('?' * len(uids))})",
                    uids).fetchall())
            ids = [by_uid[values[uid_at]] for values in batch]
        self._write_children([(cid, _Children(r.keys, r.tags)) for cid, r in zip(
            ids, rows, strict=True)], replace=False)
        return ids

    def _insert_statement(self) -> tuple[str, list, list[int]]:
        """One prepared INSERT: peewee's per-row query building cost more than the row."""
        if self._insert_sql is None:
            fields = [f for f in Contact._meta.sorted_fields if f.name != "id"]
            columns = ", ".join(f'"{f.column_name}"' for f in fields)
            # only these need peewee's conversion; text and numbers go in as they are
            convert = [i for i, f in enumerate(fields)
                       if not isinstance(f, (CharField, TextField, IntegerField))
                       or isinstance(f, BooleanField)]
            self._insert_sql = (f"INSERT INTO contact ({columns}) "
                                f"VALUES ({', '.join('?' * len(fields))})", fields, convert)
        return self._insert_sql

    def _row_values(self, data: dict) -> list:
        """The INSERT's parameters for a row's values by field name."""
        _sql, fields, convert = self._insert_statement()
        values = [data.get(f.name) for f in fields]
        for i in convert:
            values[i] = self._db_value(i, values[i])
        return values

    def _db_value(self, i: int, value: object) -> object:
        """The INSERT's parameter for the value of its `i`th column (one that converts)."""
        if value is None:
            return None
        field = self._insert_statement()[1][i]
        if type(value) is dt.datetime and field.field_type == "DATETIME":
            return str(value)  # db_value gives a datetime back as it is
        value = field.db_value(value)
        if isinstance(value, dt.datetime):
            return str(value)  # peewee's own text form: "YYYY-MM-DD HH:MM:SS"
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    def _update_contact(self, contact: Contact) -> None:
        """`contact.save()` as one UPDATE of the same columns whose SQL is made once per
        set of columns: peewee built its ~40-column SQL anew for every save, a third of
        what re-importing next month's 1,000 job changes spent writing them."""
        data = contact.__data__
        names = tuple(n for n in data if n != "id")
        fields = Contact._meta.fields
        sql = self._update_sql.get(names)
        if sql is None:
            sets = ", ".join(f'"{fields[n].column_name}" = ?' for n in names)
            sql = self._update_sql[names] = f'UPDATE "contact" SET {sets} WHERE "id" = ?'
        values = []
        for name in names:
            value = data[name]
            if value is not None:
                value = fields[name].db_value(value)
                if isinstance(value, dt.datetime):
                    value = str(value)  # peewee's own text form, as in _row_values
                elif isinstance(value, dt.date):
                    value = value.isoformat()
            values.append(value)
        values.append(data["id"])
        self.db.execute_sql(sql, values)

    def save_card(self, contact_id: int, card: Card, expected_revision: int | None = None,
                  *, imported: bool = False, import_hash: str | None = None) -> int:
        """Replace a contact's card; rebuild its index; return the new revision.

        `expected_revision` guards against a lost edit when a second window or the
        command line changed the contact meanwhile (ConflictError). `imported`: the card
        is a file's version, now the base. `import_hash`: the content hash of a file's
        card this save took in (a merge), so importing that same card again is no change.
        """
        with self.db.atomic():
            contact = self._live(contact_id)
            if expected_revision is not None and contact.revision != expected_revision:
                raise ConflictError(
                    f"“{contact.display_name}” was changed elsewhere (another window or the "
                    "command line) since you opened it."
                )
            self.prepare_card(card)
            # a card without the word has no photo: most cards, and no parse to find out
            old_photo = (parse_card_text(contact.vcard).first("PHOTO")
                         if "photo" in contact.vcard.lower() else None)
            new_photo = card.first("PHOTO")
            same_photo = (old_photo.value if old_photo else None) == (
                new_photo.value if new_photo else None)
            contact.vcard = card_to_text(card)
            # decoding a photo is the slow part of a save: only when it changed
            children = self._index(contact, card,
                                   thumb=contact.thumbnail if same_photo else True)
            now = dt.datetime.now().replace(microsecond=0)
            contact.updated_at = now
            if imported:  # the file's version is now the base: not "edited since import"
                contact.imported_hash = contact.content_hash
                contact.edited_at = None
            else:
                contact.edited_at = now
            if import_hash is not None:
                contact.imported_hash = import_hash
            contact.uid = card.uid
            contact.revision += 1
            self._update_contact(contact)
            self._write_children([(contact.id, children)], replace=True)
            return contact.revision

    # -- reading -----------------------------------------------------------
    def _live(self, contact_id: int) -> Contact:
        # a raw SELECT read into the same Contact: peewee built the ~40-column query anew
        # for every read, the slowest part of reading one contact to save it
        contact = next(iter(Contact.raw(_LIVE_SQL, contact_id)), None)
        if contact is None:
            raise NotFoundError(f"contact {contact_id} does not exist (deleted?)")
        return contact

    def require_id(self, contact_id: int) -> int:
        """`contact_id` when it is a live contact; else why not, in words (NotFoundError)."""
        row = (Contact.select(Contact.id, Contact.uid, Contact.display_name, Contact.deleted_at)
               .where(Contact.id == contact_id).first())
        if row is None:
            raise NotFoundError(f"no contact with id {contact_id}")
        if row.deleted_at is not None:
            kept = (MergedUid.select(Contact.id, Contact.display_name).join(Contact)
                    .where((MergedUid.uid == row.uid) & Contact.deleted_at.is_null())
                    .tuples().first())
            merged = f", merged into {kept[0]} ({kept[1]})" if kept else ""
            raise NotFoundError(f"contact {contact_id} ({row.display_name}) is in the trash"
                             f"{merged}; restore it first")
        return contact_id

    def exists(self, contact_id: int) -> bool:
        return Contact.select().where((Contact.id == contact_id)
                                      & Contact.deleted_at.is_null()).exists()

    def get_card(self, contact_id: int) -> Card:
        return parse_card_text(self._live(contact_id).vcard)

    def get_card_any(self, contact_id: int) -> Card:
        """The card even when the contact is in the trash (an import may bring it back)."""
        contact = Contact.get_or_none(Contact.id == contact_id)
        if contact is None:
            raise NotFoundError(f"contact {contact_id} does not exist")
        return parse_card_text(contact.vcard)

    def get_contact(self, contact_id: int) -> ContactRecord:
        c = self._live(contact_id)
        introducer = ""
        if c.introduced_by_id:
            row = Contact.get_or_none(Contact.id == c.introduced_by_id)
            introducer = row.display_name if row else ""
        return ContactRecord(
            id=c.id, card=parse_card_text(c.vcard), revision=c.revision,
            last_contacted=c.last_contacted, rhythm_days=c.rhythm_days, circle=c.circle,
            met_on=c.met_on, met_where=c.met_where, introduced_by=c.introduced_by_id,
            introduced_by_name=introducer, does=c.does, needs=c.needs, offers=c.offers,
            follow_up=c.follow_up, follow_up_note=c.follow_up_note,
            snoozed_until=c.snoozed_until, created_at=c.created_at,
        )

    def revision(self, contact_id: int) -> int:
        return self._live(contact_id).revision

    def display_names(self, ids: Iterable[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for batch in chunked(list(ids), 500):
            q = Contact.select(Contact.id, Contact.display_name).where(Contact.id.in_(batch))
            out.update({cid: name for cid, name in q.tuples()})
        return out

    def count(self) -> int:
        return Contact.select().where(Contact.deleted_at.is_null()).count()

    def thumbnails(self, ids: Iterable[int]) -> dict[int, bytes]:
        out: dict[int, bytes] = {}
        for batch in chunked(list(ids), 500):
            q = (Contact.select(Contact.id, Contact.thumbnail)
                 .where(Contact.id.in_(batch) & Contact.thumbnail.is_null(False)))
            out.update({cid: bytes(blob) for cid, blob in q.tuples()})
        return out

    def all_tags(self) -> list[str]:
        q = (Tag.select(Tag.name).join(Contact).where(Contact.deleted_at.is_null())
             .distinct().order_by(Tag.name))
        return [name for (name,) in q.tuples()]

    def list_rows(self, query: ListQuery = ListQuery()) -> list[ListRow]:
        """The rows the contact list shows, filtered and sorted in SQL (fast at 50,000)."""
        sql, params = self._list_sql(query)
        cursor = self.db.execute_sql(sql, params)
        day = dt.date.fromisoformat
        # 50,000 fresh tuples would set off collector passes over the whole heap;
        # they hold no cycles, so building them with the collector paused is safe
        collecting = gc.isenabled()
        gc.disable()
        try:
            return [ListRow(cid, name, org, day(last) if last else None, bool(photo))
                    for cid, name, org, last, photo in cursor.fetchall()]
        finally:
            if collecting:
                gc.enable()

    def list_ids(self, query: ListQuery = ListQuery()) -> list[int]:
        """Only the ids, in order: what a 50,000-row list needs per keystroke."""
        sql, params = self._list_sql(query)
        sql = "SELECT id" + sql[sql.index(" FROM contact"):]
        return [cid for (cid,) in self.db.execute_sql(sql, params).fetchall()]

    def list_json(self, query: ListQuery = ListQuery()) -> Iterator[str]:
        """`netbook list --format json`'s text, in pieces: one query for all the rows,
        each contact's JSON from its stored `card_json` (see `json_list_text`)."""
        sql, params = self._list_sql(query)
        sql = ("SELECT id, card_json, CASE card_json WHEN '' THEN vcard END"
               + sql[sql.index(" FROM contact"):])
        cursor = self.db.execute_sql(sql, params)

        def rows() -> Iterator[tuple[int, str]]:
            for cid, stored, vcard in cursor:
                yield cid, stored or card_json(parse_card_text(vcard))

        return json_list_text(rows())

    def rows_by_id(self, ids: Sequence[int]) -> dict[int, ListRow]:
        """List rows for some ids (the rows on screen)."""
        out: dict[int, ListRow] = {}
        day = dt.date.fromisoformat
        for batch in chunked(list(ids), 500):
            cursor = self.db.execute_sql(
                "SELECT id, display_name, organization, last_contacted, has_photo FROM contact "
                f"WHERE id IN ({', '.join('?' * len(batch))})", batch)
            for cid, name, org, last, photo in cursor.fetchall():
                out[cid] = ListRow(cid, name, org, day(last) if last else None, bool(photo))
        return out

    def _list_sql(self, query: ListQuery) -> tuple[str, list]:
        where = ["deleted_at IS NULL"]
        params: list = []
        text = query.search.strip()
        if text:
            if _is_phone_query(text):
                # the whole search is a number: "+1 (555) 010-0123", "0151 2345 6710"
                variants = _phone_variants(text, self.region)
                where.append("(" + " OR ".join(
                    ["phone_digits LIKE ? ESCAPE '\\'"] * len(variants)
                    + ["search_text LIKE ? ESCAPE '\\'"]) + ")")
                params += [like_pattern(v) for v in variants] + [like_pattern(fold(text))]
            else:
                # every word must be found somewhere: "muller bakers", "muller 0123"
                for term in fold(text).split():
                    if _is_phone_query(term):
                        where.append("(search_text LIKE ? ESCAPE '\\' "
                                     "OR phone_digits LIKE ? ESCAPE '\\')")
                        params += [like_pattern(term), like_pattern(digits(term))]
                    else:
                        where.append("search_text LIKE ? ESCAPE '\\'")
                        params.append(like_pattern(term))
        today = (query.today or dt.date.today()).isoformat()
        # due counts from the same last touch as the week planner (planner.last_touch)
        due = f"date({LAST_TOUCH_SQL}, '+' || rhythm_days || ' days')"
        if query.filter == "due_now":
            # a rhythm and no touch on record is due at once, as in the week's plan
            where.append(f"((rhythm_days > 0 AND ({due} <= date(?, '+6 days') "
                         "OR (last_contacted IS NULL AND met_on IS NULL))) "
                         "OR (follow_up IS NOT NULL AND follow_up <= date(?, '+6 days')))")
            params += [today, today]
        elif query.filter == "overdue":
            where.append(f"((rhythm_days > 0 AND {due} < ?) "
                         "OR (follow_up IS NOT NULL AND follow_up < ?))")
            params += [today, today]
        elif query.filter == "never_contacted":
            where.append("last_contacted IS NULL")
        elif query.filter == "met_recently":
            where.append("met_on IS NOT NULL AND met_on >= date(?, '-30 days')")
            params.append(today)
        elif query.filter == "circle":
            where.append("circle = ?")
            params.append(query.circle)
        elif query.filter == "tag":
            where.append("id IN (SELECT contact_id FROM tag WHERE name = ?)")
            params.append(query.tag)
        elif query.filter == "since":
            where.append("updated_at >= ?")
            params.append(query.since)
        direction = "DESC" if query.descending else "ASC"
        order = {
            "name": f"sort_key {direction}, id",
            "organization": f"org_key = '' , org_key {direction}, sort_key, id",
            "last_contacted": f"last_contacted IS NULL, last_contacted {direction}, sort_key, id",
        }[query.sort]
        # a search reads the text in contact_list; the whole book reads its order's own
        # narrow index (migration 0012) and sorts nothing; a filter is SQLite's to plan
        if text:
            source = "contact INDEXED BY contact_list"
        elif query.filter == "all":
            source = f"contact INDEXED BY {_ORDER_INDEXES[query.sort, query.descending]}"
        else:
            source = "contact"
        sql = ("SELECT id, display_name, organization, last_contacted, has_photo "
               f"FROM {source} WHERE {' AND '.join(where)} ORDER BY {order}")
        return sql, params

    def shared_keys(self, card: Card, exclude_id: int | None = None) -> list[SharedKey]:
        """Other contacts that have one of this card's phones or emails."""
        keys = derived_columns(card, self.region)["_keys"]
        if not keys:
            return []
        values = {v: v for _, v in keys}
        q = (ContactKey.select(ContactKey.contact, ContactKey.value, Contact.display_name)
             .join(Contact)
             .where(ContactKey.value.in_(list(values)) & Contact.deleted_at.is_null()))
        if exclude_id is not None:
            q = q.where(ContactKey.contact != exclude_id)
        seen: dict[int, SharedKey] = {}
        for cid, value, name in q.tuples():
            seen.setdefault(cid, SharedKey(cid, name, value))
        return list(seen.values())

    def find_by_uid(self, uid: str) -> int | None:
        row = Contact.get_or_none((Contact.uid == uid) & Contact.deleted_at.is_null())
        return row.id if row else None

    # -- trash -------------------------------------------------------------
    def delete_contacts(self, ids: Iterable[int]) -> list[int]:
        """Move to the trash (restorable: Undo, `restore_contacts`). The time keeps its
        microseconds: two deletions within a second still list in the order they were made."""
        ids = list(ids)
        now = dt.datetime.now()
        with self.db.atomic():
            for batch in chunked(ids, 500):
                (Contact.update(deleted_at=now, revision=Contact.revision + 1)
                 .where(Contact.id.in_(batch) & Contact.deleted_at.is_null()).execute())
        return ids

    def restore_contacts(self, ids: Iterable[int]) -> None:
        with self.db.atomic():
            for batch in chunked(list(ids), 500):
                (Contact.update(deleted_at=None, revision=Contact.revision + 1)
                 .where(Contact.id.in_(batch)).execute())

    def trash(self) -> list[tuple[int, str, dt.datetime]]:
        q = (Contact.select(Contact.id, Contact.display_name, Contact.deleted_at)
             .where(Contact.deleted_at.is_null(False)).order_by(Contact.deleted_at.desc()))
        return list(q.tuples())

    def empty_trash(self, older_than_days: int = 30) -> int:
        cutoff = dt.datetime.now() - dt.timedelta(days=older_than_days)
        with self.db.atomic():
            return Contact.delete().where(Contact.deleted_at < cutoff).execute()

    # -- finding one contact from a command line ---------------------------
    def resolve(self, text: str) -> int:
        """An id, a uid, or text that finds exactly one contact.

        All-digit text is an id — or, when no live contact has that id, exactly a live
        contact's UID (some servers and phones number their cards) — and nothing else: a
        script that passes the id of a contact in the trash (or one that never was) must
        not write on whoever has those digits in a phone number or an address. A phone
        number to search by is written with a `+`, a space or punctuation.
        """
        text = text.strip()
        if text.isdigit():
            number = int(text)
            if number <= MAX_ROW_ID and self.exists(number):
                return number
            by_uid = self.find_by_uid(text)
            if by_uid is not None:
                return by_uid
            if number > MAX_ROW_ID:
                raise NotFoundError(f"no contact with id {text}")
            return self.require_id(number)
        by_uid = self.find_by_uid(text)
        if by_uid is not None:
            return by_uid
        rows = self.list_rows(ListQuery(search=text))
        exact = [r for r in rows if fold(r.name) == fold(text)]
        if len(exact) == 1:
            return exact[0].id
        if len(rows) == 1:
            return rows[0].id
        if not rows:
            raise NotFoundError(f"no contact matches “{text}”")
        listing = "\n".join(f"  {r.id}: {r.name}" + (f" ({r.organization})" if r.organization
                                                        else "") for r in rows[:20])
        more = f"\n  … and {len(rows) - 20} more" if len(rows) > 20 else ""
        raise StoreError(f"“{text}” matches {len(rows)} contacts; say which (by id):\n"
                         f"{listing}{more}")

def contact_json(contact_id: int, card: Card) -> dict:
    """One contact for `netbook list --format json` (a contract: keep the keys)."""
    return {"id": contact_id, **_json_fields_of(card)}


def _json_fields(uid: str, name: str, parts: NameParts, organization: str, title: str,
                 phones: list[TypedValue], emails: list[TypedValue],
                 birthday: PartialDate | None, tags: list[str]) -> dict:
    """`contact_json` but its id, from what indexing a card reads anyway."""

    def typed(values: list[TypedValue]) -> list[dict]:
        return [{"value": v.value, "type": ",".join(v.types), "label": v.type_text if v.label
                 else ""} for v in values]

    return {
        "uid": uid,
        "name": name,
        "given": parts.given,
        "family": parts.family,
        "organization": organization,
        "title": title,
        "phones": typed(phones),
        "emails": typed(emails),
        "birthday": birthday.iso() if birthday else None,
        "tags": tags,
    }


def card_json(card: Card) -> str:
    """The `card_json` column: `contact_json` but its id, as `json.dumps(indent=1)` writes
    it (stored, so listing 100,000 contacts as JSON parses no vCard)."""
    return _card_json_text(_json_fields_of(card))


def _json_fields_of(card: Card) -> dict:
    return _json_fields(card.uid, card.display_name, card.name_parts, card.organization,
                        card.title, card.phones, card.emails, card.birthday, card.categories)


_JSON_SHAPE = ("uid", "name", "given", "family", "organization", "title", "phones", "emails",
               "birthday", "tags")
_quote = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) quotes with


def _card_json_text(fields: dict) -> str:
    """`json.dumps(fields, ensure_ascii=False, indent=1)`, written out for the shape
    `_json_fields` makes: json's own indenting encoder is pure Python, and cost an
    import 12 µs a card (this: under 2). Any other shape goes to json.dumps."""
    if tuple(fields) != _JSON_SHAPE:
        return json.dumps(fields, ensure_ascii=False, indent=1)
    q = _quote

    def typed(values: list[dict]) -> str:
        if not values:
            return "[]"
        return "[\n" + ",\n".join([f'  {{\n   "value": {q(v["value"])},\n   "type": '
                                    f'{q(v["type"])},\n   "label": {q(v["label"])}\n  }}'
                                    for v in values]) + "\n ]"

    tags = fields["tags"]
    tag_text = "[\n" + ",\n".join(["  " + q(t) for t in tags]) + "\n ]" if tags else "[]"
    birthday = fields["birthday"]
    return (f'{{\n "uid": {q(fields["uid"])},\n "name": {q(fields["name"])},\n'
            f' "given": {q(fields["given"])},\n "family": {q(fields["family"])},\n'
            f' "organization": {q(fields["organization"])},\n "title": {q(fields["title"])},\n'
            f' "phones": {typed(fields["phones"])},\n "emails": {typed(fields["emails"])},\n'
            f' "birthday": {"null" if birthday is None else q(birthday)},\n'
            f' "tags": {tag_text}\n}}')


def json_list_text(rows: Iterable[tuple[int, str]]) -> Iterator[str]:
    """The text `json.dump([contact_json(id, card), …], indent=1, ensure_ascii=False)`
    writes, in pieces, from each contact's id and stored `card_json`.

    `card_json` is its `contact_json` without the id, as `json.dumps(indent=1)` writes
    it at the top level; one level down in the list, every line but the first gains one
    space (a JSON string never holds a raw newline), and the id comes first.
    """
    first = True
    for cid, stored in rows:
        yield "[\n" if first else ",\n"
        first = False
        yield f' {{\n  "id": {int(cid)},' + stored[1:].replace("\n", "\n ")
    yield "[]" if first else "\n]"


@overload
def as_date(value: dt.date | str) -> dt.date: ...
@overload
def as_date(value: object) -> dt.date | None: ...
def as_date(value: object) -> dt.date | None:
    """A date column as a date: SQLite hands back text for raw queries."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
