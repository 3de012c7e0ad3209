"""Which format a contacts file is, by its content — whatever the file is called.

`ContactsReader` is the importer's reader for any file netbook knows: it looks at the
first 64 KB (vCard, LinkedIn connections, Google or Outlook CSV, any other CSV with a
header) and hands the whole stream to that format's reader; a `forced` format skips
the looking. Any other CSV needs a column mapping: given, or remembered for its header;
without one it becomes a file error that says how to give one. An `EventStamp` puts a
tag and a day met on every contact of the import, whatever the format.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from ..vcard.card import Property, escape_text
from ..vcard.netbook_props import NETWORK_PROPS
from ..vcard.reader import CardError, ParsedCard, iter_vcards
from .generic import ColumnMapping, EventStamp, GenericLayout, guess_mapping, mapping_text
from .google import GOOGLE
from .layout import Layout, normal, read_table
from .linkedin import LINKEDIN
from .outlook import OUTLOOK
from .table import Record, RecordReader, TableFile

__all__ = ["FORMATS", "LAYOUTS", "ContactsReader", "CsvTable", "Detected", "detect_format"]

PEEK = 64 * 1024
SAMPLE_ROWS = 5  # the first rows of a mapped CSV kept for the column page
LAYOUTS: dict[str, Layout] = {"linkedin": LINKEDIN, "google": GOOGLE, "outlook": OUTLOOK}
FORMATS = ("vcard", "linkedin", "google", "outlook", "csv")
TITLES = {"vcard": "vCard", "linkedin": "LinkedIn connections", "google": "Google Contacts CSV",
          "outlook": "Outlook CSV", "csv": "CSV"}


@dataclass
class Detected:
    format: str | None  # one of FORMATS, or None: not a contacts file netbook knows
    header: list[str] = field(default_factory=list)  # a CSV's header line
    reason: str = ""  # why None


def detect_format(head: bytes) -> Detected:
    """The format of a file from its first bytes (PEEK of them is plenty)."""
    info = TableFile()
    records: list[Record] = []
    for rec in RecordReader(io.BytesIO(head), info):
        if isinstance(rec, Record) and not rec.is_blank():
            records.append(rec)
        if len(records) >= LINKEDIN.header_depth:
            break
    if info.empty:
        return Detected(None, reason="is empty")
    if info.binary:
        return Detected(None, reason="is neither a vCard nor a CSV file (it holds binary data)")
    if not records:
        return Detected(None, reason="holds only blank lines")

    def is_vcard(rec: Record) -> bool:
        return normal(rec.cells[0]).startswith("begin:vcard")

    first = records[0]
    if is_vcard(first):
        return Detected("vcard")
    for layout in (GOOGLE, OUTLOOK):
        if layout.is_header(first.cells):
            return Detected(layout.name, first.cells)
    for rec in records:
        if LINKEDIN.is_header(rec.cells):
            return Detected("linkedin", rec.cells)
    if normal(first.cells[0]).startswith("notes") and b"linkedin" in head.lower():
        return Detected("linkedin")  # the preamble alone: LinkedIn's reader says so
    if any(is_vcard(r) for r in records):
        return Detected("vcard")  # text before the first card; the vCard reader skips it
    if len(first.cells) >= 2 and sum(1 for c in first.cells if c.strip()) >= 2:
        return Detected("csv", first.cells)
    return Detected(None, reason="is neither a vCard nor a CSV file with a header line "
                                 "(vCard, LinkedIn, Google and Outlook CSV are read)")


@dataclass
class CsvTable:
    """A CSV of no known layout as the reader met it: its header, its first rows (for
    choosing columns) and the mapping it was read with (None: none was known, so it was
    not read)."""

    header: list[str]
    rows: list[list[str]]
    mapping: ColumnMapping | None


def first_rows(head: bytes, count: int = SAMPLE_ROWS) -> list[list[str]]:
    """The first `count` rows after the header line (blank and broken ones skipped)."""
    rows: list[list[str]] = []
    header_seen = False
    for rec in RecordReader(io.BytesIO(head), TableFile()):
        if not isinstance(rec, Record) or rec.is_blank():
            continue
        if header_seen:
            rows.append(rec.cells)
            if len(rows) >= count:
                break
        header_seen = True
    return rows


class _Replay:
    """The peeked bytes, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = memoryview(head)
        self.rest = rest

    def read(self, n: int = -1) -> bytes:
        if self.head:
            if n < 0:
                out = bytes(self.head) + self.rest.read()
                self.head = memoryview(b"")
                return out
            out = bytes(self.head[:n])
            self.head = self.head[n:]
            return out
        return self.rest.read(n)


class ContactsReader:
    """An importer's CardReader (data/importing.py) for every format netbook reads.

    After reading, `formats` says what each file was read as, `headers` the header
    of each file read through a column mapping given here (`mapping`), so the caller can
    remember that mapping once the import is in, and `tables` every CSV of no known
    layout with its first rows and the mapping it was read with — None when there was
    none, so the window can ask for one. `event` stamps every contact of the import;
    `events` (file name → stamp) the contacts of one file.
    """

    def __init__(self, forced: str | None = None, mapping: ColumnMapping | None = None,
                 remembered: Callable[[list[str]], ColumnMapping | None] | None = None,
                 event: EventStamp | None = None,
                 events: Mapping[str, EventStamp] | None = None) -> None:
        if forced is not None and forced not in FORMATS:
            raise ValueError(f"unknown format {forced!r}")
        self.forced = forced
        self.mapping = mapping
        self.remembered = remembered
        self.event = event if event is not None and not event.is_empty() else None
        self.events = {f: e for f, e in (events or {}).items() if not e.is_empty()}
        self.formats: dict[str, str] = {}
        self.headers: dict[str, list[str]] = {}
        self.tables: dict[str, CsvTable] = {}

    def __call__(self, source: BinaryIO, filename: str) -> Iterator[ParsedCard | CardError]:
        event = self.events.get(filename, self.event)
        for item in self._read(source, filename):
            if event is not None and isinstance(item, ParsedCard):
                stamp(item, event)
            yield item

    def _read(self, source: BinaryIO, filename: str) -> Iterator[ParsedCard | CardError]:
        head = source.read(PEEK)
        stream = cast(BinaryIO, _Replay(head, source))  # read() is all the readers use
        detected = detect_format(head)
        fmt = self.forced or detected.format
        if fmt is None:
            yield CardError(filename, 0, 0, "", detected.reason)
            return
        self.formats[filename] = fmt
        if fmt == "vcard":
            yield from iter_vcards(stream, filename)
            return
        if fmt in LAYOUTS:
            yield from read_table(stream, filename, LAYOUTS[fmt])
            return
        header = detected.header
        mapping = self.mapping
        if mapping is None and self.remembered is not None and header:
            mapping = self.remembered(header)
        if header:
            self.tables[filename] = CsvTable(header, first_rows(head), mapping)
        if mapping is None:
            yield CardError(filename, 0, 0, "", _how_to_map(header))
            return
        if self.mapping is not None and header:
            self.headers[filename] = header
        yield from read_table(stream, filename, GenericLayout(mapping))


def _how_to_map(header: list[str]) -> str:
    columns = ", ".join(c.strip() for c in header if c.strip()) or "(none)"
    guess = guess_mapping(header)
    example = mapping_text(guess) if guess.columns else "Full name=name,Mail=email"
    return (f"is a CSV file netbook doesn't recognise (not LinkedIn, Google or Outlook; "
            f"columns: {columns[:300]}). Say which column holds what, e.g. "
            f"--map \"{example}\" (fields: name, given, family, email, phone, mobile, "
            "organization, title, url, street, city, country, birthday, note, tags, met, "
            "met-where, does, needs, offers, ignore); netbook remembers it for files with "
            "these columns")


def stamp(item: ParsedCard, event: EventStamp) -> None:
    """Tag the card with the event and set the day and place met (the event's wins)."""
    card = item.card
    if event.tags:
        item.known = None  # the card changes: its row is worked out from it again
        card.set_categories([*card.categories, *event.tags])
    for key, value in (("met_on", event.met_on.isoformat() if event.met_on else ""),
                       ("met_where", event.met_where)):
        if not value:
            continue
        if item.network is not None:  # a table row's: beside its card
            item.network[key] = value
        else:
            card.remove(NETWORK_PROPS[key])
            card.add(Property(NETWORK_PROPS[key], escape_text(value)))
