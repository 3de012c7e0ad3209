"""Any other CSV (an event's attendee list, a spreadsheet): read through a column mapping.

A mapping says which column holds which field (`Full name=name,Mail=email`); it is
remembered per header — a setting keyed by a hash of the header row — so next month's
attendee list with the same columns comes in without asking again. An event can stamp
every contact of one import: tagged with the event and met on its date (`EventStamp`,
applied by detect.ContactsReader to any format).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..contacts import Store
from ..settings import get_setting, set_setting
from ..vcard.card import Address, NameParts, TypedValue
from .fields import CardBuilder, DayOrder, clean, parse_numeric_date, split_multi
from .layout import Columns, Layout, RowReader, normal

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "FIELD_WORDS",
    "ColumnMapping",
    "EventStamp",
    "GenericLayout",
    "MappingError",
    "guess_mapping",
    "header_key",
    "mapping_setting",
    "mapping_text",
    "parse_mapping",
    "remember_mapping",
    "remembered_mapping",
    "unmappable_columns",
]

# field → (its name in the column chooser, what it means in messages and tooltips): the
# one table of the fields' words, for the reader, the command line and the window
FIELD_WORDS: dict[str, tuple[str, str]] = {
    "name": ("Full name", "full name (split into given and family name)"),
    "given": ("Given name", "given (first) name"),
    "middle": ("Middle name", "middle name"),
    "family": ("Family name", "family (last) name"),
    "prefix": ("Honorific (Dr., Ms.)", "honorific (Dr., Ms.)"),
    "suffix": ("Name suffix (Jr., PhD)", "name suffix (Jr., PhD)"),
    "nickname": ("Nickname", "nickname"),
    "organization": ("Organisation", "company or organisation"),
    "department": ("Department", "department"),
    "title": ("Job title", "job title"),
    "email": ("Email", "email"),
    "work-email": ("Work email", "work email"),
    "home-email": ("Home email", "home email"),
    "phone": ("Phone", "phone"),
    "mobile": ("Mobile phone", "mobile phone"),
    "work-phone": ("Work phone", "work phone"),
    "home-phone": ("Home phone", "home phone"),
    "address": ("Address (all in one cell)", "whole address in one cell"),
    "street": ("Street", "street"),
    "city": ("City", "city"),
    "region": ("State or region", "state or region"),
    "postcode": ("Postcode", "postal code"),
    "country": ("Country", "country"),
    "url": ("Website or profile", "website or profile link"),
    "birthday": ("Birthday", "birthday"),
    "note": ("Note", "note"),
    "tags": ("Tags (several: ; or ::: between)", "tags (several: separated by ; or :::)"),
    "met": ("Met on (a date)", "the day you met"),
    "met-where": ("Met where", "where you met"),
    "does": ("Does (what they do)", "what they do"),
    "needs": ("Needs (what they need)", "what they need"),
    "offers": ("Offers (what they offer)", "what they offer"),
    "ignore": ("Leave out", "(leave the column out)"),
}
# what each field means, for messages and the mapping page's tooltips
FIELDS: dict[str, str] = {f: meaning for f, (_label, meaning) in FIELD_WORDS.items()}
# the column chooser's words, in its order: "Leave out" first
FIELD_LABELS: dict[str, str] = {"ignore": FIELD_WORDS["ignore"][0],
                                **{f: label for f, (label, _m) in FIELD_WORDS.items()
                                   if f != "ignore"}}
ALIASES = {
    "full name": "name", "first": "given", "first name": "given", "last": "family",
    "last name": "family", "surname": "family", "org": "organization",
    "organisation": "organization", "company": "organization", "job": "title",
    "position": "title", "job title": "title", "e-mail": "email", "mail": "email",
    "tel": "phone", "telephone": "phone", "cell": "mobile", "zip": "postcode",
    "postal code": "postcode", "state": "region", "website": "url", "web": "url",
    "notes": "note", "tag": "tags", "labels": "tags", "met on": "met", "met_on": "met",
    "met_where": "met-where", "skip": "ignore",
}
# header words → the field they most likely are (the suggestion in a message)
GUESSES = {
    **{k: v for k, v in ALIASES.items() if v != "ignore"},
    **{f: f for f in FIELDS if f != "ignore"},
    "fullname": "name", "attendee": "name", "attendee name": "name", "contact": "name",
    "contact name": "name", "given name": "given", "firstname": "given", "vorname": "given",
    "prénom": "given", "family name": "family", "lastname": "family", "nachname": "family",
    "nom": "family", "email address": "email", "e-mail address": "email",
    "mail address": "email", "phone number": "phone", "mobile phone": "mobile",
    "mobile number": "mobile", "employer": "organization", "organization name": "organization",
    "firma": "organization", "role": "title", "linkedin": "url", "profile": "url",
    "town": "city", "comments": "note", "groups": "tags", "date of birth": "birthday",
    "dob": "birthday",
}
# guessing from a header's words when the whole cell isn't one of GUESSES
# ("Attendee E-Mail", "phone_number", "Company Name", "URL of Member Profile")
_SEPARATORS = re.compile(r"[\s_.\-/()#:*|]+")
_WORD_RULES: tuple[tuple[frozenset[str], str], ...] = tuple(
    (frozenset(words.split()), name) for words, name in (
        ("email mail emailadresse emails mailadresse", "email"),
        ("phone telephone tel telefon mobile cell handy mobil whatsapp", "phone"),
        ("company organization organisation employer firm firma unternehmen org",
         "organization"),
        ("department dept abteilung", "department"),
        ("title position role job beruf", "title"),
        ("url website web homepage linkedin profile site", "url"),
        ("nickname", "nickname"),
        ("note notes comment comments remarks bemerkung bemerkungen notiz", "note"),
        ("tags tag labels groups category categories", "tags"),
        ("city town ort stadt", "city"),
        ("country land", "country"),
        ("zip postcode postal plz zipcode", "postcode"),
        ("state region province", "region"),
        ("street strasse straße", "street"),
        ("address adresse anschrift", "address"),
    ))
_KINDS = {"work": "work", "business": "work", "office": "work", "geschäftlich": "work",
          "home": "home", "private": "home", "personal": "home", "privat": "home"}
_NOT_A_VALUE = frozenset({"opt", "optin", "opted", "consent", "subscribed", "subscription",
                          "verified", "status", "type", "label", "date", "id", "count",
                          "quantity"})
_NAME_WORDS = frozenset({"name", "full", "attendee", "contact", "participant", "guest",
                         "member", "person", "speaker", "display", "your"})
# fields a card holds once: a second column that looks like one is left for the user
_SINGLE = frozenset({"name", "given", "middle", "family", "prefix", "suffix", "nickname",
                     "organization", "department", "title", "birthday", "met", "met-where",
                     "address", "street", "city", "region", "postcode", "country", "does",
                     "needs", "offers"})
IDENTIFYING = {"name", "given", "family", "email", "work-email", "home-email", "phone",
               "mobile", "work-phone", "home-phone", "organization"}
SETTING_PREFIX = "csv_mapping."


class MappingError(ValueError):
    """A mapping that doesn't fit (unknown field, a column not in the file); for the user."""


@dataclass
class ColumnMapping:
    """Column (as its header says) → field. Columns not named are left out."""

    columns: dict[str, str] = field(default_factory=dict)

    def check(self, header: list[str]) -> None:
        have = {normal(c) for c in header}
        for column, name in self.columns.items():
            if normal(column) not in have:
                raise MappingError(f"the column “{column}” is not in the file (its columns: "
                                   f"{', '.join(c for c in header if c.strip())})")
            if name not in FIELDS:
                raise MappingError(f"“{name}” is not a field netbook knows "
                                   f"(fields: {', '.join(FIELDS)})")
        if not IDENTIFYING & set(self.columns.values()):
            raise MappingError("the mapping names no column for a name, email, phone or "
                               "organisation, so the rows would be nobody")


@dataclass
class EventStamp:
    """What every contact of one import gets: a tag, the day and place you met."""

    tags: list[str] = field(default_factory=list)
    met_on: dt.date | None = None
    met_where: str = ""

    def is_empty(self) -> bool:
        return not (self.tags or self.met_on or self.met_where)


def _field_name(text: str) -> str:
    key = normal(text)
    return ALIASES.get(key, key)


def parse_mapping(text: str) -> ColumnMapping:
    """`Full name=name,Mail=email` → a mapping. A column whose name holds a comma may
    be given in a --map of its own: pieces without `=` join the next piece."""
    columns: dict[str, str] = {}
    carry = ""
    for piece in text.split(","):
        piece = f"{carry},{piece}" if carry else piece
        if "=" not in piece:
            carry = piece
            continue
        carry = ""
        column, _, name = piece.rpartition("=")
        column, name = column.strip(), _field_name(name)
        if not column:
            raise MappingError(f"“{piece.strip()}”: say which column, as COLUMN=FIELD")
        if name not in FIELDS:
            raise MappingError(f"“{name}” is not a field netbook knows "
                               f"(fields: {', '.join(FIELDS)})")
        columns[column] = name
    if carry.strip():
        raise MappingError(f"“{carry.strip()}” has no =FIELD (write COLUMN=FIELD)")
    return ColumnMapping(columns)


def mapping_text(mapping: ColumnMapping) -> str:
    return ",".join(f"{c}={f}" for c, f in mapping.columns.items())


def guess_mapping(header: list[str]) -> ColumnMapping:
    """What the header's words suggest (a starting point, never applied unasked): the
    whole cell first ("E-mail", "Firma"), then its words ("Attendee Email", "first_name",
    "Work Phone"); a field a card holds once is guessed for its first column only."""
    columns: dict[str, str] = {}
    taken: set[str] = set()
    seen: set[str] = set()
    for cell in header:
        key = normal(cell)
        if not key or key in seen:  # a repeated column can't be told apart by its name
            continue
        seen.add(key)
        name = GUESSES.get(key) or _guess_from_words(key)
        if name and name not in taken:
            columns[cell.strip()] = name
            if name in _SINGLE:
                taken.add(name)
    return ColumnMapping(columns)


def _guess_from_words(key: str) -> str | None:
    text = _SEPARATORS.sub(" ", key).strip()
    if text in GUESSES:
        return GUESSES[text]
    words = set(text.split())
    if words & {"birth", "birthday", "birthdate", "geburtstag", "geburtsdatum"}:
        return "birthday"
    if words & _NOT_A_VALUE:  # "Email opt-in", "Phone type", "Order date": about a value
        return None
    if (words & {"first", "given"} and "name" in words) or words & {
            "firstname", "forename", "vorname"}:
        return "given"
    if (words & {"last", "family"} and "name" in words) or words & {
            "lastname", "surname", "nachname"}:
        return "family"
    for rule, name in _WORD_RULES:
        if not rule & words:
            continue
        kind = next((_KINDS[w] for w in words if w in _KINDS), "")
        if name == "email":
            return f"{kind}-email" if kind else "email"
        if name == "phone":
            if words & {"mobile", "cell", "handy", "mobil"}:
                return "mobile"
            return f"{kind}-phone" if kind else "phone"
        if name == "address" and words & {"1", "line", "street"}:
            return "street"
        if name == "address" and words & {"2", "3"}:
            return None  # a second address line: the user says where it goes
        return name
    if "name" in words and words <= _NAME_WORDS:
        return "name"
    return None


def unmappable_columns(header: list[str]) -> dict[int, str]:
    """The columns a mapping can't name — it names columns by their header, so one with
    no name, or with an earlier column's, can't be told apart: index → why."""
    why: dict[int, str] = {}
    first: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = normal(cell)
        if not key:
            why[i] = ("This column has no name in the file's header line, so netbook can't "
                      "tell it apart: it is left out.")
        elif key in first:
            why[i] = (f"Column {first[key] + 1} has the same name; only the first of them "
                      "can be chosen.")
        else:
            first[key] = i
    return why


def header_key(header: list[str]) -> str:
    """The setting a header's mapping is remembered under."""
    text = "\x1f".join(normal(c) for c in header)
    return SETTING_PREFIX + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def remembered_mapping(store: Store, header: list[str]) -> ColumnMapping | None:
    saved = get_setting(store, header_key(header))
    if not isinstance(saved, Mapping) or not isinstance(saved.get("columns"), Mapping):
        return None
    return ColumnMapping({str(k): str(v) for k, v in saved["columns"].items()})


def mapping_setting(header: list[str], mapping: ColumnMapping) -> tuple[str, dict[str, Any]]:
    """The setting (key, value) that remembers `mapping` for files with this header —
    for an import to save in its own transaction (ImportPlan.settings)."""
    return header_key(header), {"header": header, "columns": dict(mapping.columns)}


def remember_mapping(store: Store, header: list[str], mapping: ColumnMapping) -> None:
    set_setting(store, *mapping_setting(header, mapping))


class GenericLayout(Layout):
    """A CSV whose first line is a header and whose columns a mapping names."""

    name = "csv"
    title = "CSV"

    def __init__(self, mapping: ColumnMapping) -> None:
        self.mapping = mapping

    def is_header(self, cells: list[str]) -> bool:
        return True

    def start(self, header: list[str]) -> RowReader:
        self.mapping.check(header)
        return _Rows(header, self.mapping)


class _Rows(RowReader):
    def __init__(self, header: list[str], mapping: ColumnMapping) -> None:
        c = Columns(header)
        self.fields: list[tuple[int, str]] = [
            (c.index[normal(col)], name) for col, name in mapping.columns.items()
            if name != "ignore"]
        self.order = DayOrder() if any(
            n in ("birthday", "met") for _, n in self.fields) else None

    def date_cells(self, cells: list[str]) -> list[str]:
        return [cells[i] for i, n in self.fields if n in ("birthday", "met") and i < len(cells)]

    def read(self, cells: list[str]) -> CardBuilder:
        b = CardBuilder()
        name = dict(family="", given="", additional="", prefix="", suffix="")
        address = dict(street="", locality="", region="", postal_code="", country="")
        day_first = bool(self.order and self.order.day_first)
        for i, field_name in self.fields:
            raw = cells[i] if i < len(cells) else ""
            value = clean(raw)
            if not value:
                continue
            if field_name == "name":
                b.full_name = " ".join(value.split())
            elif field_name in ("given", "middle", "family", "prefix", "suffix"):
                name[{"middle": "additional"}.get(field_name, field_name)] = value
            elif field_name == "nickname":
                b.nickname = value
            elif field_name == "organization":
                b.organization = value
            elif field_name == "department":
                b.department = value
            elif field_name == "title":
                b.title = value
            elif field_name.endswith("email"):
                kind = field_name.partition("-")[0]
                b.add_email(value, types=(kind,) if kind in ("work", "home") else ())
            elif field_name in ("phone", "mobile", "work-phone", "home-phone"):
                types = {"mobile": ("cell",), "work-phone": ("work", "voice"),
                         "home-phone": ("home", "voice")}.get(field_name, ())
                b.add_phone(value, types=types)
            elif field_name == "address":
                b.addresses.append(Address(street=value))
            elif field_name in ("street", "city", "region", "postcode", "country"):
                key = {"city": "locality", "postcode": "postal_code"}.get(field_name,
                                                                         field_name)
                address[key] = value
            elif field_name == "url":
                for part in split_multi(value):
                    b.urls.append(TypedValue(part))
            elif field_name == "birthday":
                b.birthday = parse_numeric_date(value, day_first)
                if b.birthday is None:
                    b.warnings.append(f"the birthday “{value[:40]}” is not a date; left out")
            elif field_name == "note":
                b.add_note(value)
            elif field_name == "tags":
                parts = split_multi(value) if ":::" in value else value.split(";")
                b.add_tags([p.strip() for p in parts])
            elif field_name == "met":
                when = parse_numeric_date(value, day_first)
                if when is None or when.year is None:
                    b.warnings.append(f"the day you met “{value[:40]}” is not a date; "
                                      "left out")
                else:
                    b.network["met_on"] = when.iso()
            elif field_name == "met-where":
                b.network["met_where"] = value
            elif field_name in ("does", "needs", "offers"):
                b.network[field_name] = value
        b.name = NameParts(**name)
        if any(address.values()):
            b.addresses.append(Address(
                street=address["street"], locality=address["locality"],
                region=address["region"], postal_code=address["postal_code"],
                country=address["country"]))
        return b
