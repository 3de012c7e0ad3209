"""Outlook CSV: Outlook for Windows (File ▸ Open & Export ▸ Import/Export ▸ Comma
Separated Values) and Outlook.com (People ▸ Manage ▸ Export contacts).

    First Name,Middle Name,Last Name,Title,Suffix,Nickname,…,E-mail Address,…,
    Home Phone,…,Business Phone,…,Mobile Phone,…,Job Title,Department,Company,…,
    Business Street,Business City,…,Birthday,Anniversary,Notes

(Outlook for Windows writes more columns, in another order; both are read by name.)
"Title" is the honorific (Mr., Dr.); the job is "Job Title". The desktop writes the
Windows code page (cp1252 here) or, on request, UTF-16 with a BOM — the table reader
settles that. Dates come in the exporting computer's order: `3/25/1980` in the US,
`25.03.1980` in Germany, so the order is learnt from the file (a first number over 12
means day first); `0/0/00` means no date. Exchange addresses (`/o=…`, type EX) are not
email addresses and are left out.
"""

from __future__ import annotations

from ..vcard.card import Address, NameParts, TypedValue
from .fields import CardBuilder, DayOrder, clean, parse_numeric_date
from .layout import Columns, Layout, RowReader, normal

__all__ = ["OUTLOOK", "OutlookLayout"]

# column → vCard TYPE values and a label for those vCard has no TYPE for
PHONES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("primary phone", ("voice",), ""),
    ("mobile phone", ("cell",), ""),
    ("business phone", ("work", "voice"), ""),
    ("business phone 2", ("work", "voice"), ""),
    ("home phone", ("home", "voice"), ""),
    ("home phone 2", ("home", "voice"), ""),
    ("company main phone", (), "Company Main"),
    ("other phone", (), "Other"),
    ("assistant's phone", (), "Assistant"),
    ("car phone", ("car",), ""),
    ("pager", ("pager",), ""),
    ("business fax", ("work", "fax"), ""),
    ("home fax", ("home", "fax"), ""),
    ("other fax", ("fax",), ""),
    ("callback", (), "Callback"),
    ("isdn", ("isdn",), ""),
    ("radio phone", (), "Radio"),
    ("tty/tdd phone", (), "TTY/TDD"),
    ("telex", (), "Telex"),
)
ADDRESSES = (("business", ("work",)), ("home", ("home",)), ("other", ()))
DATES = ("birthday", "anniversary")


class OutlookLayout(Layout):
    name = "outlook"
    title = "Outlook CSV"

    def is_header(self, cells: list[str]) -> bool:
        names = {normal(c) for c in cells}
        return "e-mail address" in names and bool(
            names & {"business phone", "mobile phone", "job title", "home phone"})

    def start(self, header: list[str]) -> RowReader:
        return _Rows(Columns(header))

    def no_header(self, first: list[str]) -> str:
        return ("is not an Outlook CSV: its first line is not Outlook's header "
                "(First Name,…,E-mail Address,…)")


class _Rows(RowReader):
    def __init__(self, columns: Columns) -> None:
        self.c = columns
        self.order = DayOrder()

    def date_cells(self, cells: list[str]) -> list[str]:
        return [self.c.get(cells, name) for name in DATES]

    def read(self, cells: list[str]) -> CardBuilder:
        c = self.c
        b = CardBuilder()
        b.name = NameParts(
            family=clean(c.get(cells, "last name")), given=clean(c.get(cells, "first name")),
            additional=clean(c.get(cells, "middle name")), prefix=clean(c.get(cells, "title")),
            suffix=clean(c.get(cells, "suffix")))
        b.phonetic = NameParts(family=clean(c.get(cells, "surname yomi")),
                               given=clean(c.get(cells, "given yomi")))
        b.nickname = clean(c.get(cells, "nickname"))
        b.organization = clean(c.get(cells, "company"))
        b.department = clean(c.get(cells, "department"))
        b.title = clean(c.get(cells, "job title"))
        for n in ("", " 2", " 3"):
            email = clean(c.get(cells, f"e-mail{n} address"))
            kind = clean(c.get(cells, f"e-mail{n} type")).upper()
            if not email or kind == "EX" or email.startswith("/o="):
                continue
            b.add_email(email)
        for column, types, label in PHONES:
            value = clean(c.get(cells, column))
            if value:
                b.phones.append(TypedValue(value, types, label, column == "primary phone"))
        for prefix, types in ADDRESSES:
            street = "\n".join(p for p in (clean(c.get(cells, f"{prefix} street")),
                                           clean(c.get(cells, f"{prefix} street 2")),
                                           clean(c.get(cells, f"{prefix} street 3"))) if p)
            address = Address(
                po_box=clean(c.get(cells, f"{prefix} address po box")), street=street,
                locality=clean(c.get(cells, f"{prefix} city")),
                region=clean(c.get(cells, f"{prefix} state")),
                postal_code=clean(c.get(cells, f"{prefix} postal code")),
                country=clean(c.get(cells, f"{prefix} country/region", f"{prefix} country")),
                types=types)
            if any(address.parts()):
                b.addresses.append(address)
        for column, label in (("web page", ""), ("personal web page", "Personal")):
            value = clean(c.get(cells, column))
            if value:
                b.urls.append(TypedValue(value, (), label))
        im = clean(c.get(cells, "imaddress", "im address"))
        if im:
            b.impps.append(TypedValue(im, (), ""))
        day_first = bool(self.order and self.order.day_first)
        for column in DATES:
            text = clean(c.get(cells, column))
            if not text:
                continue
            when = parse_numeric_date(text, day_first)
            if when is None and not _means_no_date(text):
                b.warnings.append(f"the {column} “{text[:40]}” is not a date; left out")
            elif column == "birthday":
                b.birthday = when
            else:
                b.anniversary = when
        for column, label in (("spouse", "Spouse"), ("manager's name", "Manager"),
                              ("assistant's name", "Assistant")):
            value = clean(c.get(cells, column))
            if value:
                b.related.append((label, value))
        b.add_note(c.get(cells, "notes"))
        categories = clean(c.get(cells, "categories"))
        if categories:
            b.add_tags([t.strip() for t in categories.split(";")])
        return b


def _means_no_date(text: str) -> bool:
    return all(ch in "0/.-" for ch in text.strip())


OUTLOOK = OutlookLayout()
