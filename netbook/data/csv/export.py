"""CSV export in Google Contacts' layout, UTF-8 with a BOM: spreadsheets open it cleanly,
Google Contacts imports it, and netbook's own Google reader reads it back.

A cell that a spreadsheet would run as a formula — one starting with `=`, `+`, `-`, `@`,
a tab or a carriage return — gets a `'` in front (OWASP's advice on CSV injection), so
"+1 555 0100" shows as text instead of being computed; the readers take the `'` off
again (table.unneutralise). There are as many "E-mail N", "Phone N", … columns as the
contact with the most of them needs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from ..contacts import Store
from ..exporting import export_cards, export_ids, write_atomically
from ..vcard.card import Address, Card, PartialDate, TypedValue, display_label
from .google import STARRED_TAG
from .table import FORMULA_STARTS

__all__ = ["FIXED_COLUMNS", "card_row", "export_csv", "neutralise"]

Report = Callable[[int, int], None]

FIXED_COLUMNS = (
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday",
    "Notes", "Photo", "Labels",
)
ADDRESS_PARTS = ("Formatted", "Street", "City", "PO Box", "Region", "Postal Code", "Country",
                 "Extended Address")
# repeated groups, in Google's order: name, the parts after "Label"
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("E-mail", ("Value",)), ("Phone", ("Value",)), ("Address", ADDRESS_PARTS),
    ("Website", ("Value",)), ("Event", ("Value",)), ("Relation", ("Value",)),
)
MY_CONTACTS = "* myContacts"


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would take for a formula, made plain text (OWASP)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _typed_label(item: TypedValue, names: dict[tuple[str, ...], str]) -> str:
    label = item.type_text if item.label else ""
    if not label:
        kinds = tuple(t for t in item.types if t not in ("voice", "internet", "pref"))
        label = names.get(kinds, names.get(kinds[:1], kinds[0].capitalize() if kinds else ""))
    return f"* {label}" if item.pref and label else label


_PHONE_LABELS: dict[tuple[str, ...], str] = {
    ("cell",): "Mobile", ("home",): "Home", ("work",): "Work", ("work", "fax"): "Work Fax",
    ("home", "fax"): "Home Fax", ("fax",): "Fax", ("pager",): "Pager", ("car",): "Car",
    ("isdn",): "ISDN"}
_EMAIL_LABELS: dict[tuple[str, ...], str] = {("home",): "Home", ("work",): "Work"}


def _formatted(a: Address) -> str:
    city = " ".join(p for p in (a.locality, a.region, a.postal_code) if p)
    return "\n".join(p for p in (a.street, a.extended, a.po_box, city, a.country) if p)


def card_row(card: Card) -> dict[str, list[list[str]]]:
    """One contact as Google's cells: fixed columns, then each group's entries."""
    parts = card.name_parts
    if parts.is_empty() and card.formatted_name and card.formatted_name != card.organization:
        parts = type(parts)(given=card.formatted_name)  # Google's layout has no full name
    phonetic = card.phonetic
    birthday = card.birthday
    tags = [MY_CONTACTS] + ["* starred" if t == STARRED_TAG else t for t in card.categories]
    fixed = [parts.given, parts.additional, parts.family, phonetic.given, phonetic.additional,
             phonetic.family, parts.prefix, parts.suffix, card.nickname, "",
             card.organization, card.title, card.department,
             birthday.iso() if birthday else "", card.note, "", " ::: ".join(tags)]
    groups: dict[str, list[list[str]]] = {"": [fixed]}
    groups["E-mail"] = [[_typed_label(e, _EMAIL_LABELS), e.value] for e in card.emails]
    groups["Phone"] = [[_typed_label(p, _PHONE_LABELS), p.value] for p in card.phones]
    groups["Address"] = [
        [a.label or next((t.capitalize() for t in a.types if t in ("home", "work")), ""),
         _formatted(a), a.street,
         a.locality, a.po_box, a.region, a.postal_code, a.country, a.extended]
        for a in card.addresses]
    groups["Website"] = [[_typed_label(u, _EMAIL_LABELS), u.value] for u in card.urls]
    events = []
    anniversary = card.anniversary
    if anniversary:
        events.append(["Anniversary", anniversary.iso()])
    for prop in card.get("X-ABDATE"):
        when = PartialDate.parse(prop.text)
        if when:
            events.append([display_label(card.group_label(prop.group)) or "Other",
                           when.iso()])
    groups["Event"] = events
    groups["Relation"] = [[display_label(card.group_label(p.group)), p.text]
                          for p in card.get("X-ABRELATEDNAMES") if p.text.strip()]
    return groups


def _header(counts: dict[str, int]) -> list[str]:
    header = list(FIXED_COLUMNS)
    for name, parts in GROUPS:
        for n in range(1, counts[name] + 1):
            header.append(f"{name} {n} - Label")
            header += [f"{name} {n} - {p}" for p in parts]
    return header


def write_csv(cards: Iterable[Card], stream: BinaryIO, report: Report | None = None,
              total: int = 0) -> int:
    """Cards → Google CSV on a binary stream; the number written."""
    rows = [card_row(card) for card in cards]  # the widest contact sets the columns
    counts = {name: max((len(r[name]) for r in rows), default=0) for name, _ in GROUPS}
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        text.write("\ufeff")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(_header(counts))
        for n, row in enumerate(rows):
            cells = list(row[""][0])
            for name, parts in GROUPS:
                entries = row[name]
                for i in range(counts[name]):
                    cells += entries[i] if i < len(entries) else [""] * (len(parts) + 1)
            writer.writerow([neutralise(c) for c in cells])
            if report and n % 200 == 0:
                report(n, total or len(rows))
        text.flush()
    finally:
        text.detach()  # the caller owns the stream
    return len(rows)


def export_csv(store: Store, target: Path | BinaryIO, *, ids: Iterable[int] | None = None,
               tag: str | None = None, report: Report | None = None) -> int:
    """Write contacts as Google CSV to a file (atomically) or a stream."""
    chosen = export_ids(store, ids, tag)

    def write(stream: BinaryIO) -> int:
        # the cards as stored: never netbook's own fields nor who knows whom
        return write_csv(export_cards(store, chosen, shareable=True), stream, report,
                         len(chosen))

    if not isinstance(target, Path):
        return write(target)
    return write_atomically(target, write, suffix=".csv")
