"""Google Contacts CSV ("Google CSV" in contacts.google.com ▸ Export), both layouts.

The current layout (since 2022):

    First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,
    Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,
    Organization Title,Organization Department,Birthday,Notes,Photo,Labels,
    E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,
    Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,
    Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,
    Address 1 - Extended Address,Website 1 - Label,Website 1 - Value,Event 1 - Label,
    Event 1 - Value,Relation 1 - Label,Relation 1 - Value,…

and the legacy one (`Name,Given Name,Additional Name,Family Name,Yomi Name,…,Birthday,…,
Notes,Group Membership,E-mail 1 - Type,E-mail 1 - Value,…,Organization 1 - Name,
Organization 1 - Title,…`). Either may hold several values in one cell, separated by
` ::: ` (two work emails, two labels); a label starting with `* ` marks the primary value
(`* Work`) or a system group (`* myContacts`, left out; `* starred` becomes the tag
"Starred"). Birthdays come with or without a year (`--11-02`); addresses may span lines.
The photo column is a link to Google's servers: netbook fetches nothing, so it is left out.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..vcard.card import Address, NameParts, TypedValue
from .fields import (
    ADDRESS_TYPES,
    CardBuilder,
    clean,
    parse_numeric_date,
    split_multi,
)
from .layout import Columns, Layout, RowReader, normal

__all__ = ["GOOGLE", "GoogleLayout", "google_tags"]

_NUMBERED = re.compile(r"^(e-mail|phone|address|website|event|relation|im|custom field|"
                       r"organization) (\d+) - (.+)$")
_DROPPED_GROUPS = {"*mycontacts", "systemgroup:mycontacts"}  # spaces taken out
STARRED_TAG = "Starred"


def google_tags(cell: str) -> list[str]:
    """`* myContacts ::: * starred ::: Friends` → ["Starred", "Friends"]."""
    tags = []
    for part in split_multi(cell):
        if "".join(part.casefold().split()) in _DROPPED_GROUPS:
            continue
        if part.casefold().startswith("system group:"):
            part = part.split(":", 1)[1].strip()
        elif part.startswith("*"):
            part = part.lstrip("* ").strip()
            part = part[:1].upper() + part[1:]
        if part:
            tags.append(part)
    return tags


class GoogleLayout(Layout):
    name = "google"
    title = "Google Contacts CSV"

    def is_header(self, cells: list[str]) -> bool:
        names = {normal(c) for c in cells}
        numbered = any(_NUMBERED.match(n) for n in names)
        current = {"first name", "last name", "labels"} <= names or (
            "labels" in names and numbered)
        legacy = {"given name", "family name"} <= names or "group membership" in names
        return (current or legacy) and (numbered or "notes" in names)

    def start(self, header: list[str]) -> RowReader:
        return _Rows(header)

    def no_header(self, first: list[str]) -> str:
        return ("is not a Google Contacts CSV: its first line is not Google's header "
                "(First Name,Middle Name,Last Name,… or Name,Given Name,…)")


class _Rows(RowReader):
    def __init__(self, header: list[str]) -> None:
        self.c = Columns(header)
        # ("e-mail", 1) → {"label": column, "value": column, …}
        groups: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
        for i, name in enumerate(self.c.names):
            m = _NUMBERED.match(name)
            if m:
                part = {"type": "label"}.get(m.group(3), m.group(3))
                groups[(m.group(1), int(m.group(2)))].setdefault(part, i)
        self.groups = sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1]))

    def read(self, cells: list[str]) -> CardBuilder:
        c = self.c
        b = CardBuilder()
        b.full_name = clean(c.get(cells, "name"))
        b.name = NameParts(
            family=clean(c.get(cells, "last name", "family name")),
            given=clean(c.get(cells, "first name", "given name")),
            additional=clean(c.get(cells, "middle name", "additional name")),
            prefix=clean(c.get(cells, "name prefix")),
            suffix=clean(c.get(cells, "name suffix")),
        )
        b.phonetic = NameParts(
            family=clean(c.get(cells, "phonetic last name", "family name yomi")),
            given=clean(c.get(cells, "phonetic first name", "given name yomi")),
            additional=clean(c.get(cells, "phonetic middle name", "additional name yomi")),
        )
        b.nickname = clean(c.get(cells, "nickname"))
        b.organization = clean(c.get(cells, "organization name"))
        b.title = clean(c.get(cells, "organization title"))
        b.department = clean(c.get(cells, "organization department"))
        birthday = clean(c.get(cells, "birthday"))
        if birthday:
            b.birthday = parse_numeric_date(birthday, day_first=False)
            if b.birthday is None:
                b.warnings.append(f"the birthday “{birthday[:40]}” is not a date; left out")
        b.add_note(c.get(cells, "notes"))
        b.add_tags(google_tags(c.get(cells, "labels", "group membership")))
        for (kind, _), cols in self.groups:
            self._group(b, kind, {k: cells[i] if i < len(cells) else "" for k, i in cols.items()})
        return b

    def _group(self, b: CardBuilder, kind: str, v: dict[str, str]) -> None:
        label = clean(v.get("label", ""))
        value = v.get("value", "")
        if kind == "e-mail":
            b.add_email(value, label or "")
        elif kind == "phone":
            b.add_phone(value, label or "")
        elif kind == "website":
            b.add_url(value, label)
        elif kind == "im":
            service = clean(v.get("service", ""))
            for part in split_multi(value):
                b.impps.append(TypedValue(part, (), service or label.lstrip("* ")))
        elif kind == "organization":
            if not b.organization and not b.title:
                b.organization = clean(v.get("name", ""))
                b.title = clean(v.get("title", ""))
                b.department = clean(v.get("department", ""))
        elif kind == "event":
            for part in split_multi(value):
                when = parse_numeric_date(part, day_first=False)
                if when is None:
                    b.warnings.append(f"the date “{part[:40]}” ({label}) is not a date")
                elif label.lstrip("* ").casefold() == "anniversary":
                    b.anniversary = when
                else:
                    b.dates.append((label.lstrip("* ") or "Other", when))
        elif kind == "relation":
            for part in split_multi(value):
                b.related.append((label.lstrip("* "), part))
        elif kind == "address":
            self._addresses(b, label, v)

    def _addresses(self, b: CardBuilder, label: str, v: dict[str, str]) -> None:
        keys = ("po box", "extended address", "street", "city", "region", "postal code",
                "country")
        parts = {k: split_multi(v.get(k, "")) for k in keys}
        count = max((len(p) for p in parts.values()), default=0)
        kinds = ADDRESS_TYPES.get(label.lstrip("* ").casefold(), ())
        if count == 0:
            formatted = split_multi(v.get("formatted", ""))
            for text in formatted:
                b.addresses.append(Address(street=text, types=kinds))
            return
        for n in range(count):
            def part(k: str, n: int = n) -> str:
                values = parts[k]
                return values[n] if n < len(values) else ""

            b.addresses.append(Address(
                po_box=part("po box"), extended=part("extended address"),
                street=part("street"), locality=part("city"), region=part("region"),
                postal_code=part("postal code"), country=part("country"), types=kinds))


GOOGLE = GoogleLayout()
