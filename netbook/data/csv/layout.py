"""A CSV layout (LinkedIn, Google, Outlook, a mapped spreadsheet) and the loop that runs it.

A layout knows its header and what each column means; `read_table` does the rest the
same way for all of them: find the header (after LinkedIn's "Notes:" preamble), number
the rows, skip blank ones, turn each into a card or an error naming its row ("card N")
and line, and wait — a bounded number of rows — when a layout first has to learn from the
data which way round its dates are written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from ..contacts import KnownRow
from ..vcard.card import Card
from ..vcard.reader import CardError, ParsedCard
from .fields import CardBuilder, DayOrder
from .table import Record, RecordError, RecordReader, TableFile

__all__ = ["Columns", "Layout", "RowCard", "RowReader", "normal", "read_table"]

HOLD_ROWS = 5000  # rows held back while a file's date order is still unknown


def normal(cell: str) -> str:
    """A header cell as compared: no BOM, no surrounding space, case-blind."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


class Columns:
    """A header's columns by (normalised) name."""

    def __init__(self, header: list[str]) -> None:
        self.names = [normal(c) for c in header]
        self.index: dict[str, int] = {}
        for i, name in enumerate(self.names):
            self.index.setdefault(name, i)

    def has(self, name: str) -> bool:
        return name in self.index

    def get(self, cells: list[str], *names: str) -> str:
        """The first non-empty cell among the columns `names` (absent columns are empty)."""
        for name in names:
            i = self.index.get(name)
            if i is not None and i < len(cells) and cells[i].strip():
                return cells[i]
        return ""


class RowCard(NamedTuple):
    """One row read: its card, its networking fields as texts (ParsedCard.network),
    and what was odd about it."""

    card: Card
    network: dict[str, str]
    warnings: list[str]
    known: KnownRow | None = None  # its new contact's row, when worked out from the values


class RowReader:
    """Reads the rows of one file once its header is known."""

    order: DayOrder | None = None  # set by layouts whose numeric dates need an order

    def date_cells(self, cells: list[str]) -> list[str]:
        """The cells holding numeric dates, for deciding the file's date order."""
        return []

    def read(self, cells: list[str]) -> CardBuilder:
        """What the row says, field by field (ValueError: a cell that can't be read)."""
        raise NotImplementedError

    def card(self, cells: list[str]) -> RowCard | None:
        """The row's card; None for a row with nothing to make a contact of. A layout
        whose rows are many and all alike may build it straight, without the builder
        (LinkedIn's): `read` stays what it means, and the tests hold the two equal."""
        builder = self.read(cells)
        if builder.is_empty():
            return None
        return RowCard(builder.build(), builder.network, builder.warnings)


class Layout:
    name = ""  # what --format calls it
    title = ""  # what a message calls it
    header_depth = 1  # how many records in the header may come (LinkedIn: a preamble)

    def is_header(self, cells: list[str]) -> bool:
        raise NotImplementedError

    def start(self, header: list[str]) -> RowReader:
        raise NotImplementedError

    def no_header(self, first: list[str]) -> str:
        """The reason when no record in the first `header_depth` is the header."""
        return f"is not a {self.title} file: its first line is not their header"

    def no_rows(self) -> str:
        return "has a header line but no contacts"


def read_table(source: BinaryIO, filename: str, layout: Layout
               ) -> Iterator[ParsedCard | CardError]:
    """The cards of one CSV file in `layout`; file problems as a CardError numbered 0."""
    info = TableFile()
    records = RecordReader(source, info)
    stream = iter(records)
    header: list[str] | None = None
    first: list[str] = []
    seen = 0
    for rec in stream:
        if info.binary:
            break
        if isinstance(rec, RecordError) or rec.is_blank():
            continue
        seen += 1
        if not first:
            first = rec.cells
        if layout.is_header(rec.cells):
            header = rec.cells
            break
        if seen >= layout.header_depth:
            break
    if info.binary:
        yield CardError(filename, 0, 0, "", "is not a text file (it holds binary data)")
        return
    if info.empty:
        yield CardError(filename, 0, 0, "", "is empty")
        return
    if header is None:
        yield CardError(filename, 0, 0, "", layout.no_header(first))
        return
    records.expected_cells = len(header)
    try:
        rows = layout.start(header)
    except ValueError as exc:  # a column mapping that doesn't fit this header
        yield CardError(filename, 0, 0, "", str(exc))
        return
    count = 0
    held: list[tuple[int, Record | RecordError]] = []
    number = 0
    for rec in stream:
        if isinstance(rec, Record) and rec.is_blank():
            continue
        number += 1
        if rows.order is not None and rows.order.day_first is None:
            if isinstance(rec, Record):
                for cell in rows.date_cells(rec.cells):
                    rows.order.observe(cell)
            if rows.order.day_first is None:
                if len(held) < HOLD_ROWS:
                    held.append((number, rec))
                    continue
                rows.order.day_first = False  # thousands of rows and none says: month first
        for n, r in [*held, (number, rec)]:
            count += 1
            yield _card(filename, n, r, rows, len(header))
        held.clear()
    if rows.order is not None and rows.order.day_first is None:
        rows.order.day_first = False  # no date said: month first, as Outlook writes in the US
    for n, r in held:
        count += 1
        yield _card(filename, n, r, rows, len(header))
    if count == 0:
        yield CardError(filename, 0, 0, "", layout.no_rows())


def _card(filename: str, number: int, rec: Record | RecordError, rows: RowReader,
          width: int) -> ParsedCard | CardError:
    if isinstance(rec, RecordError):
        return CardError(filename, number, rec.line, rec.first_line, rec.reason)
    try:
        row = rows.card(rec.cells)
    except ValueError as exc:
        return CardError(filename, number, rec.line, rec.first_line(), str(exc))
    if row is None:
        return CardError(filename, number, rec.line, rec.first_line(),
                         "no name, email, phone or organisation in this row")
    warnings = list(rec.warnings) + row.warnings if rec.warnings else row.warnings
    if len(rec.cells) > width and any(c.strip() for c in rec.cells[width:]):
        warnings.append(f"{len(rec.cells)} cells where the header has {width} "
                        "(an unquoted comma?); the extra cells were left out")
    return ParsedCard(row.card, number, rec.line, warnings, partial=True,
                      network=row.network, known=row.known)
