"""CSV bytes → records, streamed: the part every CSV layout shares.

Exports come from spreadsheets, web sites and Outlook, so the bytes are whatever the
exporter felt like:

- the encoding is settled per file (a UTF-8 BOM; UTF-16 with a BOM or recognised from
  its NUL-byte pattern) or, failing that, per line: UTF-8 where it is valid, the Windows
  code page (cp1252) for bytes that aren't — so a file that mixes the two still reads,
  and a record that switched encodings carries a warning;
- line ends (CRLF, LF, a lone CR) become LF, also inside quoted cells;
- records are cut by Python's csv module (C speed) from a line iterator that remembers
  which lines the current record used, so a record gone wrong (an unbalanced quote that
  swallows the rows after it, a cell over csv's 128 KB limit, a line over MAX_LINE) is
  reported with its line number and reading starts again on the line after its first.

Memory stays bounded by MAX_RECORD, whatever the file's size.
"""

from __future__ import annotations

import codecs
import csv
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from ..vcard import reader as _vcard_reader  # noqa: F401  registers "netbook-cp1252"

__all__ = ["Record", "RecordError", "RecordReader", "TableFile", "unneutralise"]

CHUNK = 1 << 20
MAX_LINE = 1 << 20  # a physical line longer than this (1 MB) is an error, not a record
MAX_RECORD = 4 << 20  # a record (quoted cells spanning lines) longer than this is an error
# a cell a spreadsheet would run as a formula was written with a ' in front (OWASP)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Record:
    """One CSV record: its cells and the line (1-based) it starts on."""

    line: int
    cells: list[str]
    lines: int = 1  # physical lines it spans
    warnings: list[str] = field(default_factory=list)

    def first_line(self) -> str:
        text = ",".join(self.cells)
        first = text.split("\n", 1)[0]
        return first[:60] + ("…" if len(first) > 60 else "")

    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass
class RecordError:
    """A record that could not be read; reading went on after its first line."""

    line: int
    first_line: str
    reason: str


@dataclass
class TableFile:
    """What was learnt about the file while reading it (for file-level messages)."""

    encoding: str = "utf-8"  # "utf-8", "utf-8-sig", "utf-16", or "mixed" once a
    # line needed the code page in an otherwise UTF-8 file
    binary: bool = False  # NUL bytes in a file that is not UTF-16
    empty: bool = True
    used_cp1252: bool = False
    used_utf8: bool = False  # a valid multi-byte UTF-8 sequence was seen


def unneutralise(cell: str) -> str:
    """Undo the ' a careful exporter (ours, OWASP's advice) put before a formula start."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


# ---------------------------------------------------------------------------
# bytes → numbered text lines


def _utf16_codec(head: bytes) -> str | None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.1:
            return "utf-16-le"
        if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.1:
            return "utf-16-be"
    return None


def _decode_line(raw: bytes, info: TableFile) -> tuple[str, str]:
    """(text, warning) for one line of a byte-encoded file."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="netbook-cp1252")
        info.used_cp1252 = True
        if info.used_utf8:
            info.encoding = "mixed"
            return text, ("this line was not UTF-8 like the lines before it; it was read "
                          "as Windows-1252 (check its accents)")
        return text, ""
    if not raw.isascii():
        info.used_utf8 = True
        if info.used_cp1252:
            info.encoding = "mixed"
            return text, ("this line is UTF-8 while earlier lines were Windows-1252 "
                          "(check its accents)")
    return text, ""


class _LineTooLong(Exception):
    pass


def _byte_lines(source: BinaryIO, info: TableFile) -> Iterator[tuple[str, str]]:
    """(text line ending in \\n, warning) from a byte-oriented (UTF-8/cp1252) file."""
    pending = b""
    skipping = False  # inside an over-long line: drop bytes up to its end
    cr_only: bool | None = None
    while True:
        chunk = source.read(CHUNK)
        if not chunk:
            break
        info.empty = False
        if b"\0" in chunk:
            info.binary = True
            return
        data = pending + chunk
        if cr_only is None:
            cr_only = b"\n" not in data and b"\r" in data
        sep = b"\r" if cr_only else b"\n"
        start = 0
        while True:
            end = data.find(sep, start)
            if end < 0:
                break
            if skipping:
                skipping = False
                yield "", "\x00toolong"
            else:
                line = data[start:end]
                text, warning = _decode_line(line.rstrip(b"\r") if not cr_only else line, info)
                yield text + "\n", warning
            start = end + 1
        pending = data[start:]
        if len(pending) > MAX_LINE:
            pending = b""
            skipping = True
    if skipping:
        yield "", "\x00toolong"
    elif pending:
        text, warning = _decode_line(pending.rstrip(b"\r"), info)
        yield text + "\n", warning


def _text_lines(source: BinaryIO, head: bytes, codec: str,
                info: TableFile) -> Iterator[tuple[str, str]]:
    """Lines of a UTF-16 file, decoded incrementally."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    info.encoding = "utf-16"
    pending = ""
    skipping = False
    data = head
    first = True
    while True:
        if data:
            info.empty = False
        text = pending + decoder.decode(data, final=not data)
        if first and text:
            text, first = text.removeprefix("\ufeff"), False
        # a CR LF split across two chunks leaves a CR at the end: keep it for the next
        keep_cr = text.endswith("\r") and bool(data)
        if keep_cr:
            text = text[:-1]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        parts = text.split("\n")
        pending = parts.pop() + ("\r" if keep_cr else "")
        for part in parts:
            if skipping:
                skipping = False
                yield "", "\x00toolong"
            else:
                yield part + "\n", ""
        if len(pending) > MAX_LINE:
            pending, skipping = "", True
        if not data:
            break
        data = source.read(CHUNK)
    if skipping:
        yield "", "\x00toolong"
    elif pending:
        yield pending + "\n", ""


def _lines(source: BinaryIO, info: TableFile) -> Iterator[tuple[str, str]]:
    head = source.read(4096)
    if not head:
        return
    codec = _utf16_codec(head)
    if codec:
        yield from _text_lines(source, head, codec, info)
        return
    if head.startswith(codecs.BOM_UTF8):
        info.encoding = "utf-8-sig"
        head = head[len(codecs.BOM_UTF8):]
    yield from _byte_lines(cast(BinaryIO, _Prefixed(head, source)), info)


class _Prefixed:
    """A stream that first returns bytes already read from it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = head
        self.rest = rest

    def read(self, n: int = -1) -> bytes:
        if self.head:
            out, self.head = self.head, b""
            if n < 0 or len(out) < n:
                out += self.rest.read(-1 if n < 0 else n - len(out))
            return out
        return self.rest.read(n)


# ---------------------------------------------------------------------------
# lines → records


class _Runaway(Exception):
    """The record being read grew past MAX_RECORD or hit an over-long line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Feed:
    """The csv module's line source: numbers lines and keeps the current record's."""

    def __init__(self, lines: Iterator[tuple[str, str]]) -> None:
        self.lines = lines
        self.number = 0
        self.replay: deque[tuple[int, str, str]] = deque()
        self.record: list[tuple[int, str, str]] = []
        self.size = 0

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if self.replay:
            item = self.replay.popleft()
        else:
            text, warning = next(self.lines)
            self.number += 1
            item = (self.number, text, warning)
        self.record.append(item)
        if item[2] == "\x00toolong":
            raise _Runaway(f"a line longer than {MAX_LINE // (1 << 20)} MB")
        self.size += len(item[1])
        if self.size > MAX_RECORD and len(self.record) > 1:
            raise _Runaway("an unbalanced quote: the cell it opens never closes")
        return item[1]

    def take(self) -> list[tuple[int, str, str]]:
        record, self.record, self.size = self.record, [], 0
        return record

    def restart_after_first(self) -> list[tuple[int, str, str]]:
        """Give up the current record; the lines after its first are read again."""
        record = self.take()
        self.replay.extendleft(reversed(record[1:]))
        return record


class RecordReader:
    """The file's records in order, blank ones included (the caller skips them).

    Set `expected_cells` once a layout knows its header: a record that spans lines with
    the wrong number of cells is then told apart as an unbalanced quote.
    """

    def __init__(self, source: BinaryIO, info: TableFile | None = None) -> None:
        self.info = info or TableFile()
        self.feed = _Feed(_lines(source, self.info))
        self.expected_cells: int | None = None

    def __iter__(self) -> Iterator[Record | RecordError]:
        feed = self.feed
        rows = csv.reader(feed)
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except (csv.Error, _Runaway) as exc:
                reason = exc.reason if isinstance(exc, _Runaway) else _csv_reason(exc)
                bad = feed.restart_after_first()
                if not bad:  # nothing was read: give up (cannot happen, but never loop)
                    return
                yield RecordError(bad[0][0], _preview(bad[0][1]), reason)
                rows = csv.reader(feed)
                continue
            used = feed.take()
            if not used:
                continue
            expected = self.expected_cells
            if (len(used) > 1 and expected is not None and len(cells) != expected
                    and '"' in used[0][1]):
                # a quote opened on the first line closed somewhere in the rows below
                feed.replay.extendleft(reversed(used[1:]))
                yield RecordError(used[0][0], _preview(used[0][1]),
                                  "an unbalanced quote: the cell it opens runs into the "
                                  "lines below")
                continue
            warnings = [w for (_, _, w) in used if w and w != "\x00toolong"]
            yield Record(used[0][0], cells, len(used), warnings)


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell larger than {csv.field_size_limit() // 1024} KB (an unbalanced quote?)"
    return f"not readable as CSV ({text})"


def _preview(line: str) -> str:
    line = line.rstrip("\n")
    return line[:60] + ("…" if len(line) > 60 else "")
