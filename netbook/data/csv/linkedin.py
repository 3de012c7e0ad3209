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

from ..vcard.card import NameParts, TypedValue
from .fields import CardBuilder, clean, parse_text_date
from .layout import Columns, Layout, RowReader, normal

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


class _Rows(RowReader):
    def __init__(self, columns: Columns) -> None:
        self.c = columns

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
