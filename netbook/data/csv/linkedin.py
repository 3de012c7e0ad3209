"""LinkedIn's `Connections.csv` (Settings ▸ Data privacy ▸ Get a copy of your data).

    Notes:
    "When exporting your connection data, you may notice that some of the email …"

    First Name,Last Name,URL,Email Address,Company,Position,Connected On
    Ada,Lovelace,https://www.linkedin.com/in/ada,,Analytical Engines,Programmer,12 Mar 2024

The preamble (and often a BOM) comes before the header; emails are mostly empty, since
members choose whether connections may download theirs. Each row becomes a contact with
its organisation, title and profile URL; "Connected On" becomes how you met (that day,
"LinkedIn"). Exports from before 2020 have no URL column.
"""

from __future__ import annotations

import uuid

from ..contacts import known_row
from ..vcard.card import Card, NameParts, Property, TypedValue, escape_text
from .fields import CardBuilder, clean, parse_text_date, split_multi
from .layout import Columns, Layout, RowCard, RowReader, normal

__all__ = ["LINKEDIN", "LinkedInLayout"]

HEADER = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position",
          "Connected On")
_REQUIRED = {"first name", "last name", "company", "position", "connected on"}
MET_WHERE = "LinkedIn"
URL_LABEL = "LinkedIn"


class LinkedInLayout(Layout):
    name = "linkedin"
    title = "LinkedIn connections"
    header_depth = 30  # the "Notes:" preamble is a few records long

    def is_header(self, cells: list[str]) -> bool:
        return {normal(c) for c in cells} >= _REQUIRED

    def start(self, header: list[str]) -> RowReader:
        return _Rows(Columns(header))

    def no_header(self, first: list[str]) -> str:
        if first and normal(first[0]).startswith("notes"):
            return ("is a LinkedIn export with only its “Notes:” preamble and no "
                    "connections (LinkedIn may still be preparing the full archive)")
        return ("is not a LinkedIn connections export: no line "
                f"“{','.join(HEADER)}” near its start")

    def no_rows(self) -> str:
        return "is a LinkedIn connections export with no connections in it"


_FIELDS = (("first name",), ("last name",), ("url", "profile url"), ("email address", "email"),
           ("company",), ("position",), ("connected on",))
_LABEL = escape_text(URL_LABEL)


class _Rows(RowReader):
    def __init__(self, columns: Columns) -> None:
        self.c = columns
        # where each field's cells are (Columns.get's order), found once for the file
        self.at = [[columns.index[n] for n in names if n in columns.index]
                   for names in _FIELDS]

    def card(self, cells: list[str]) -> RowCard | None:
        """`read(cells)` built into its card, written straight: a LinkedIn export is
        the one that runs to 30,000 rows, and every one has the same few lines (issue
        16's bench). Equal to the builder's card, UID aside (tests/data/csv)."""
        width = len(cells)
        values = []
        for at in self.at:
            text = ""
            for i in at:
                if i < width and cells[i].strip():
                    text = clean(cells[i])
                    break
            values.append(text)
        given, family, url, email, org, title, connected = values
        warnings: list[str] = []
        emails = split_multi(email) if email else []
        for part in emails:
            if "@" not in part:
                warnings.append(f"“{part[:60]}” is not an email address; kept as one")
        network: dict[str, str] = {}
        if connected:
            on = parse_text_date(connected)
            if on is None:
                warnings.append(f"“Connected On” is not a date: {connected[:40]}")
            else:
                network["met_on"] = on.isoformat()
                network["met_where"] = MET_WHERE
        if not (given or family):
            if not (org or emails):
                return None
            warnings.append("no name in this row")
        uid = str(uuid.uuid4())
        props = [Property("UID", uid)]
        full = " ".join(f"{given} {family}".split())
        if full:
            props.append(Property("FN", escape_text(full)))
        if given or family:
            props.append(Property("N", f"{escape_text(family)};{escape_text(given)};;;"))
        if org:
            props.append(Property("ORG", escape_text(org)))
        if title:
            props.append(Property("TITLE", escape_text(title)))
        seen: set[str] = set()
        unique = []
        for part in emails:
            key = part.strip().casefold()
            if key and key not in seen:
                seen.add(key)
                unique.append(part)
                props.append(Property("EMAIL", escape_text(part)))
        if url:
            props.append(Property("URL", url, [], "item1"))
            props.append(Property("X-ABLABEL", _LABEL, [], "item1"))
        known = known_row(uid, given, family, org, title, unique,
                          [(url, URL_LABEL)] if url else []) if full else None
        return RowCard(Card(version="3.0", properties=props), network, warnings, known)

    def read(self, cells: list[str]) -> CardBuilder:
        c = self.c
        b = CardBuilder()
        given, family = clean(c.get(cells, "first name")), clean(c.get(cells, "last name"))
        b.name = NameParts(family=family, given=given)
        b.organization = clean(c.get(cells, "company"))
        b.title = clean(c.get(cells, "position"))
        url = clean(c.get(cells, "url", "profile url"))
        if url:
            b.urls.append(TypedValue(url, (), URL_LABEL))
        email = clean(c.get(cells, "email address", "email"))
        if email:
            b.add_email(email)
        connected = clean(c.get(cells, "connected on"))
        if connected:
            on = parse_text_date(connected)
            if on is None:
                b.warnings.append(f"“Connected On” is not a date: {connected[:40]}")
            else:
                b.network["met_on"] = on.isoformat()
                b.network["met_where"] = MET_WHERE
        if not (given or family) and (b.organization or email):
            b.warnings.append("no name in this row")
        return b


LINKEDIN = LinkedInLayout()
