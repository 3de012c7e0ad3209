"""A tolerant vCard reader: bytes in, cards plus per-card errors out.

Real exports break naive parsers (ARCHITECTURE.md, "The vCard codec"), so this works on
bytes and never hands untrusted input to vobject:

1. the source is read in chunks; the encoding of the *file* is settled up front (UTF-8
   with or without BOM; UTF-16 with a BOM or recognised from its NUL byte pattern is
   transcoded to UTF-8 on the fly); line ends (CR CR LF, CR LF, LF, CR, mixed) become LF;
2. cards are cut out on their BEGIN:VCARD / END:VCARD lines (case-insensitive, tolerant
   of junk after VCARD and of text between cards); a nested card (2.1 AGENT) only
   counts depth, it is never parsed recursively;
3. inside a card, lines are unfolded at the byte level *before* decoding (a fold inside
   a multi-byte UTF-8 character rejoins), quoted-printable soft breaks are joined, 2.1
   base64 continues over unindented lines, '#' comment lines are skipped;
4. each value is decoded with its declared CHARSET, else as UTF-8; the 8-bit values of a
   card that are neither are read together in the charset charsets.py guesses for them
   (windows-1250 for Outlook in Poland, windows-1251 for The Bat! in Russia…), and
   converted to the card model's escaped 3.0/4.0 form (2.1 only escapes ';');
5. what strict readers refuse is made valid (fidelity.py): names outside the vCard
   grammar, escaped colons in URLs, PROFILE:VCARD.

Each card comes back as a `ParsedCard` (with warnings, e.g. a dropped bad photo) or a
`CardError` naming the file, card number, first line and reason; one bad card never
sinks its file. File-level problems (empty, binary, calendar, not a vCard) are reported
by `iter_vcards` as a `CardError` with `card_number == 0` and by `read_vcards` as
`ReadResult.file_error`.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from netbook.data.vcard.card import Card, Property, escape_text
from netbook.data.vcard.charsets import CharsetGuesser
from netbook.data.vcard.charsets import label as charset_label
from netbook.data.vcard.fidelity import normalise_properties

if TYPE_CHECKING:
    from netbook.data.contacts import KnownRow

__all__ = [
    "CardError",
    "ParsedCard",
    "ReadResult",
    "group_members",
    "iter_vcards",
    "parse_card_text",
    "read_vcards",
]

CHUNK_SIZE = 1 << 20
MAX_CARD_BYTES = 64 << 20  # a card (photo included) larger than this is an error
MAX_TEXT_LINE = 1 << 20  # a non-binary property value larger than this is an error
MAX_NESTING = 8  # AGENT inside AGENT inside …

# ---------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class CardError:
    """One card that could not be read (or, with card_number 0, the whole file)."""

    file: str
    card_number: int
    line: int
    first_line: str
    reason: str

    @property
    def is_file_error(self) -> bool:
        return self.card_number == 0

    def __str__(self) -> str:
        if self.card_number == 0:
            return f"{self.file}: {self.reason}"
        text = f"{self.file}: card {self.card_number} (line {self.line}): {self.reason}"
        if self.first_line:
            text += f" — {self.first_line}"
        return text


@dataclass
class ParsedCard:
    card: Card
    number: int
    line: int
    warnings: list[str] = field(default_factory=list)
    source_version: str = "3.0"  # "2.1" for a card converted from 2.1
    # True for a card built from a table row (a CSV export), which holds only what its
    # columns knew: importing matches it to a stored contact by email, profile URL or
    # name with organisation, and updates that contact instead of replacing its card
    partial: bool = False
    # a table row's networking fields (met on, met where, does, …) as texts by field
    # name, beside its card instead of in it as X-NETBOOK-* lines (which it then lacks)
    network: dict[str, str] | None = None
    # its new contact's row worked out from the row's values (contacts.known_row), for as
    # long as nothing changes the card (stamping tags on it drops it)
    known: KnownRow | None = None


@dataclass
class ReadResult:
    cards: list[ParsedCard] = field(default_factory=list)
    errors: list[CardError] = field(default_factory=list)
    file_error: str | None = None


class _CardFail(Exception):
    """This card cannot be read; the message is the reason (short, no content)."""


# ---------------------------------------------------------------------------
# text decoding


def _cp1252_or_latin1(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: undecodable bytes are read as windows-1252 (latin-1 for its holes)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    return "".join(_CP1252[b] for b in chunk), exc.end


_CP1252 = [
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
]
codecs.register_error("netbook-cp1252", _cp1252_or_latin1)

_CODECS: dict[bytes, str | None] = {}
_SJIS = {"shift_jis", "shift-jis", "sjis", "s_jis", "x-sjis", "ms_kanji", "csshiftjis"}


def _codec(charset: bytes) -> str | None:
    try:
        return _CODECS[charset]
    except KeyError:
        pass
    name = charset.decode("ascii", "replace").strip().strip('"').lower()
    if name in _SJIS:
        name = "cp932"  # Windows' Shift_JIS: the superset phones actually write
    try:
        result: str | None = codecs.lookup(name).name
    except LookupError:
        result = None
    if len(_CODECS) < 256:
        _CODECS[charset] = result
    return result


class _Decoder:
    """Decodes the values of one card, remembering whether a declared charset was wrong.

    8-bit text with no CHARSET (or one Python doesn't know) that isn't UTF-8 comes back
    as None: the card collects all such values and `CharsetGuesser` reads them together.
    """

    __slots__ = ("fallback",)

    def __init__(self) -> None:
        self.fallback = False

    def text(self, raw: bytes, charset: bytes | None) -> str | None:
        if charset is not None:
            name = _codec(charset)
            if name is not None:
                try:
                    return raw.decode(name)
                except UnicodeDecodeError:
                    self.fallback = True
                    return raw.decode(name, "netbook-cp1252")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None


def _decode_lenient(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "netbook-cp1252")


def _short(raw: bytes, limit: int = 80) -> str:
    """A printable excerpt of a line: at most `limit` characters, never the whole line."""
    text = _decode_lenient(raw[: limit * 4])
    text = "".join(ch if ch.isprintable() else " " for ch in text[: limit + 1]).rstrip()
    if len(text) > limit or len(raw) > limit * 4:
        text = text[: limit - 1] + "…"
    return text


# ---------------------------------------------------------------------------
# the byte stream: encoding sniffing, chunking, line-end normalisation


def _raw_chunks(source: BinaryIO | bytes | bytearray | memoryview) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source)
        for start in range(0, len(view), CHUNK_SIZE):
            yield bytes(view[start : start + CHUNK_SIZE])
        return
    read = source.read
    while True:
        chunk = read(CHUNK_SIZE)
        if not chunk:
            return
        if isinstance(chunk, str):
            raise TypeError("vCards are read as bytes: open the file in binary mode ('rb')")
        yield bytes(chunk)


_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3", "a database file"),
)


class _FileState:
    __slots__ = ("binary", "calendar", "cards", "nonblank")

    def __init__(self) -> None:
        self.nonblank = False
        self.binary: str | None = None
        self.calendar = False
        self.cards = 0


def _utf16_guess(sample: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII text has a NUL in every other byte."""
    n = len(sample) - len(sample) % 2
    if n < 8:
        return None
    even = sample[0:n:2].count(0)
    odd = sample[1:n:2].count(0)
    half = n // 2
    if odd > half * 0.3 and even < odd * 0.1:
        return "utf-16-le"
    if even > half * 0.3 and odd < even * 0.1:
        return "utf-16-be"
    return None


def _decoded_chunks(source: BinaryIO | bytes, state: _FileState) -> Iterator[bytes]:
    """Raw chunks → UTF-8-or-8-bit byte chunks (BOM stripped, UTF-16 transcoded)."""
    chunks = _raw_chunks(source)
    head = b""
    for chunk in chunks:
        head += chunk
        if len(head) >= 4096:
            break
    if not head:
        return
    encoding: str | None = None
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding = "utf-32"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = _utf16_guess(head[:4096])
        if encoding is None:
            sample = head[:8192]
            for magic, what in _BINARY_MAGIC:
                if sample.startswith(magic):
                    state.binary = what
                    return
            if b"\x00" in sample and b"begin:vcard" not in sample.lower():
                state.binary = "a binary file"
                return
    if encoding is None:
        yield head
        yield from chunks
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head)
    if text.startswith("\ufeff"):
        text = text[1:]
    yield text.encode("utf-8")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8")
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail.encode("utf-8")


def _line_chunks(source: BinaryIO | bytes, state: _FileState) -> Iterator[bytes]:
    """Chunks of complete lines ending in LF, every CR/CRLF/CRCRLF turned into LF.

    A line longer than MAX_CARD_BYTES is passed on in pieces so memory stays bounded.
    """
    rest = b""
    for chunk in _decoded_chunks(source, state):
        buf = rest + chunk if rest else chunk
        end = len(buf)
        while end and buf[end - 1] == 13:  # keep a trailing CR run: LF may follow
            end -= 1
        cut = max(buf.rfind(b"\n", 0, end), buf.rfind(b"\r", 0, end))
        if cut < 0:
            if len(buf) <= MAX_CARD_BYTES:
                rest = buf
                continue
            cut = end - 1
        rest = buf[cut + 1 :]
        done = buf[: cut + 1]
        if b"\r" in done:
            done = done.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if not state.nonblank and done.strip():
            state.nonblank = True
        yield done
    if rest:
        rest = rest.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if not state.nonblank and rest.strip():
            state.nonblank = True
        yield rest if rest.endswith(b"\n") else rest + b"\n"


# ---------------------------------------------------------------------------
# cutting cards out of the line stream

# BEGIN/END:VCARD (or VCALENDAR) lines, matched with the LF before them: a literal
# prefix lets the regex engine skip from line end to line end instead of trying every
# byte of a photo-laden chunk (callers search b"\n" + chunk)
_MARK_NL = re.compile(
    rb"\n(?i:(BEGIN|END)[ \t]*:[ \t]*(VCARD|VCALENDAR))(?![A-Za-z0-9-])[^\n]*")
_AGENT_LINE = re.compile(rb"(?:[A-Za-z0-9_-]+\.)?AGENT(?:;[^:]*)?:[ \t]*$", re.IGNORECASE)


def _split_cards(
    chunks: Iterator[bytes], state: _FileState
) -> Iterator[tuple[int, int, bytes | None, str]]:
    """Yield (card number, first line number, card bytes or None, error reason).

    Card bytes run from the BEGIN line to the END line inclusive, lines joined by LF.
    A BEGIN:VCARD inside a card only counts as nested when the line before it is an
    empty `AGENT:`; otherwise the open card never ended and a new one starts.
    """
    depth = 0
    parts: list[bytes] = []  # pieces of the current card from earlier chunks
    size = 0
    card_line = 0
    number = 0
    skipping = False  # the current card is already reported: don't collect it
    line_no = 1  # line number of the first line of the current chunk
    prev_last = b""  # last line of the previous chunk (for the AGENT look-behind)

    for chunk in chunks:
        pos = 0  # where this chunk's part of the current card starts
        counted = 0
        line = line_no
        for m in _MARK_NL.finditer(b"\n" + chunk):  # offsets in chunk: start, end - 1
            start = m.start()
            line += chunk.count(b"\n", counted, start)
            counted = start
            kind = m.group(1).upper()
            if m.group(2).upper() == b"VCALENDAR":
                if depth == 0 and kind == b"BEGIN":
                    state.calendar = True
                continue
            if kind == b"END":
                if depth == 0:
                    continue  # a stray END between cards
                depth -= 1
                if depth == 0:
                    if not skipping:
                        yield number, card_line, b"".join([*parts, chunk[pos : m.end() - 1]]), ""
                    parts = []
                    skipping = False
                continue
            if depth:
                prev = prev_last
                if start:
                    prev = chunk[chunk.rfind(b"\n", 0, start - 1) + 1 : start - 1]
                if _AGENT_LINE.match(prev.strip()):
                    depth += 1
                    if depth > MAX_NESTING and not skipping:
                        yield number, card_line, None, "cards nested too deeply (AGENT)"
                        skipping = True
                        parts = []
                    continue
                if not skipping:  # the open card never ended
                    block = b"".join([*parts, chunk[pos:start]])
                    yield number, card_line, block, "the card has no END:VCARD"
            number += 1
            state.cards += 1
            depth = 1
            skipping = False
            parts = []
            size = 0
            pos = start
            card_line = line
        line_no = line + chunk.count(b"\n", counted)
        prev_last = chunk[chunk.rfind(b"\n", 0, len(chunk) - 1) + 1 : -1]
        if depth and not skipping:
            piece = chunk[pos:]
            size += len(piece)
            if size > MAX_CARD_BYTES:
                yield number, card_line, None, (
                    f"the card is larger than {MAX_CARD_BYTES >> 20} MB (no END:VCARD?)")
                skipping = True
                parts = []
            else:
                parts.append(piece)
    if depth and not skipping:
        yield number, card_line, b"".join(parts), "the card has no END:VCARD (file cut short?)"


# ---------------------------------------------------------------------------
# one card: lines → properties

_VERSION = re.compile(rb"^VERSION[ \t]*:[ \t]*([0-9.]+)", re.IGNORECASE | re.MULTILINE)
_FOLD = re.compile(rb"\n[ \t]")
_HEAD = re.compile(rb"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_/-]+)[ \t]*")
_LINE = re.compile(  # possessive: no backtracking whatever the line holds
    rb'(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_/-]+)[ \t]*((?:;(?:[^:;"]++|"[^"]*+")*+)*+):(.*)',
    re.DOTALL,
)
_LOOSE_LINE = re.compile(rb"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_/-]+)[ \t]*(;[^:]*)?:(.*)",
                         re.DOTALL)
_PARAM_SPLIT = re.compile(rb';((?:[^;"]|"[^"]*")*)')
_B64_LINE = re.compile(rb"[A-Za-z0-9+/=]+[ \t]*")
_CARET = re.compile(r"\^([n'^])")
_CARET_MAP = {"n": "\n", "'": '"', "^": "^"}
_WS = b" \t\r\n"

_SPECIAL = frozenset({"BEGIN", "END", "VERSION"})
BINARY_NAMES = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
# text whose raw commas/semicolons are literal (escaped on reading, so .text and strict
# parsers agree): single-valued text properties
_SINGLE_TEXT = frozenset({"FN", "NOTE", "TITLE", "ROLE", "LABEL", "X-ABLABEL", "SORT-STRING",
                          "PRODID", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME",
                          "X-PHONETIC-MIDDLE-NAME", "X-ABRELATEDNAMES", "MAILER", "NAME"})
# 2.1 values that are not text: left as they are (no escaping)
_NOT_TEXT = frozenset({"URL", "PHOTO", "LOGO", "SOUND", "KEY", "GEO", "BDAY", "ANNIVERSARY",
                       "REV", "TZ", "UID", "MEMBER", "SOURCE", "FBURL", "CALURI", "CAPURI",
                       "CALADRURI", "IMPP", "X-ADDRESSBOOKSERVER-MEMBER", "AGENT", "VERSION"})
_LIST_TEXT = frozenset({"CATEGORIES", "NICKNAME"})  # commas separate values
_STRUCTURED = frozenset({"N", "ADR", "ORG", "GENDER", "CLIENTPIDMAP", "X-ANDROID-CUSTOM"})

_BARE_ENCODINGS = {b"QUOTED-PRINTABLE": "qp", b"BASE64": "b", b"B": "b", b"8BIT": "", b"7BIT": ""}

# (params, encoding, charset) per raw parameter text
_ParamInfo = tuple[tuple[tuple[str, str], ...], str, bytes | None]
_PARAM_CACHE: dict[tuple[bytes, int], _ParamInfo] = {}
_HEAD_CACHE: dict[bytes, tuple[str, str] | None] = {}


def _head(raw: bytes) -> tuple[str, str] | None:
    """`item1.X-ABLabel` → ("item1", "X-ABLABEL"); None when it is no property name."""
    try:
        return _HEAD_CACHE[raw]
    except KeyError:
        pass
    m = _HEAD.fullmatch(raw)
    head = None
    if m is not None:
        group, name = m.groups()
        text = name.decode("ascii")
        # a name outside the vCard grammar (KDE's X-messaging/aim-All) keeps its spelling
        # until fidelity.normalise_properties turns it into a valid one
        if b"/" not in name and b"_" not in name:
            text = text.upper()
        head = (group.decode("ascii") if group else "", text)
    if len(_HEAD_CACHE) < 8192:
        _HEAD_CACHE[raw] = head
    return head


def _params(raw: bytes, mode: int) -> _ParamInfo:
    """Parse `;A=b;C="d";BARE` (mode 21, 30 or 40) → (params, encoding, charset)."""
    key = (raw, mode)
    try:
        return _PARAM_CACHE[key]
    except KeyError:
        pass
    pieces = raw.split(b";")[1:] if b'"' not in raw else _PARAM_SPLIT.findall(raw)
    params: list[tuple[str, str]] = []
    encoding = ""
    charset: bytes | None = None
    for piece in pieces:
        pname, eq, pvalue = piece.partition(b"=")
        pname = pname.strip().upper()
        if not eq:
            if not pname:
                continue
            if pname in _BARE_ENCODINGS:
                encoding = _BARE_ENCODINGS[pname] or encoding
                if encoding == "b":
                    params.append(("ENCODING", "b"))
                continue
            params.append(("TYPE", _decode_lenient(pname)))
            continue
        pvalue = pvalue.strip()
        if pname == b"CHARSET":
            charset = pvalue.strip(b'"')
            continue
        if pname == b"ENCODING":
            enc = pvalue.strip(b'"').upper()
            if enc in (b"QUOTED-PRINTABLE", b"QP"):
                encoding = "qp"
            elif enc in (b"B", b"BASE64"):
                encoding = "b"
                params.append(("ENCODING", "b"))
            elif enc not in (b"8BIT", b"7BIT"):
                params.append(("ENCODING", _decode_lenient(pvalue)))
            continue
        if len(pvalue) >= 2 and pvalue[0] == 34 and pvalue[-1] == 34:  # "quoted"
            pvalue = pvalue[1:-1]
        value = _decode_lenient(pvalue)
        if mode == 40 and "^" in value:
            value = _CARET.sub(lambda m: _CARET_MAP[m.group(1)], value)
        name = _decode_lenient(pname)
        if mode == 21 and name == "VALUE" and value.upper() == "URL":
            value = "uri"
        params.append((name, value))
    info = (tuple(params), encoding, charset)
    if len(_PARAM_CACHE) < 4096:
        _PARAM_CACHE[key] = info
    return info


# 2.1 → 3.0 escaping: 2.1 escapes only ';' (and phones write \\, \, \: \n loosely)
_TOKENS_21 = re.compile(r"\\[\\;:,nN]|\\|,|;|\r\n|\n|\r")
_NEEDS_21 = re.compile(r"[\\,;\r\n]")
_NEEDS_21_STRUCT = re.compile(r"[\\,\r\n]")
_NEEDS_21_LIST = re.compile(r"[\\;\r\n]")
_TOKENS_30 = re.compile(r"\\.|,|;", re.DOTALL)
_RAW_NEWLINE = re.compile(r"\r\n|\n|\r")


def _escape_21(text: str, comma: bool, semicolon: bool) -> str:
    def repl(m: re.Match[str]) -> str:
        tok = m.group()
        if tok[0] == "\\":
            if len(tok) == 1:
                return "\\\\"
            ch = tok[1]
            if ch in "nN":
                return "\\n"
            return ":" if ch == ":" else tok
        if tok == ",":
            return "\\," if comma else ","
        if tok == ";":
            return "\\;" if semicolon else ";"
        return "\\n"

    return _TOKENS_21.sub(repl, text)


def _convert_21(name: str, text: str) -> str:
    """A decoded 2.1 (or quoted-printable) value → the model's escaped 3.0 form."""
    if name in _STRUCTURED:
        return _escape_21(text, True, False) if _NEEDS_21_STRUCT.search(text) else text
    if name in _NOT_TEXT:
        if name == "GEO" and "," in text and ";" not in text:
            return text.replace(",", ";", 1)
        return _RAW_NEWLINE.sub("\\\\n", text) if "\n" in text or "\r" in text else text
    if name in _LIST_TEXT:
        return _escape_21(text, False, True) if _NEEDS_21_LIST.search(text) else text
    if name in _SINGLE_TEXT or name in ("TEL", "EMAIL"):
        return _escape_21(text, True, True) if _NEEDS_21.search(text) else text
    # unknown (X-) properties: a ';' may separate components, so it stays
    return _escape_21(text, True, False) if _NEEDS_21_STRUCT.search(text) else text


def _escape_bare_token(m: re.Match[str]) -> str:
    tok = m.group()
    if len(tok) == 1:
        return "\\" + tok  # a raw ',' or ';'
    if tok[1] in "\\,;nN":
        return tok
    return tok[1]  # `\:`, `\"`: not escapes in 3.0/4.0; the writer meant the character


def _escape_bare(text: str) -> str:
    r"""A 3.0/4.0 single-valued text value in valid form: raw ',' and ';' escaped,
    invalid escapes (`\:`) resolved; its `.text` stays the same."""
    return _TOKENS_30.sub(_escape_bare_token, text)


def _clean_b64(value: bytes) -> bytes | None:
    """Whitespace-free base64 if it decodes, else None."""
    value = value.translate(None, _WS)
    try:
        binascii.a2b_base64(value + b"=" * (-len(value) % 4), strict_mode=True)
    except (binascii.Error, ValueError):
        try:  # some writers pad wrongly or add a stray '=' run; accept what decodes
            base64.b64decode(value.rstrip(b"=") + b"=" * (-len(value.rstrip(b"=")) % 4),
                             validate=True)
            value = value.rstrip(b"=")
            value += b"=" * (-len(value) % 4)
        except (binascii.Error, ValueError):
            return None
    return value


def _qp_rest(value: bytes, lines: list[bytes], i: int, n: int) -> tuple[bytes, int]:
    """Join quoted-printable soft breaks: a value line ending in '=' goes on with the next
    line whatever it starts with (no indent, '=', even '#'), up to a blank line."""
    value = value.rstrip(b" \t")
    if value.endswith(b"="):
        parts = [value[:-1]]
        while i < n and lines[i].strip():
            nxt = lines[i].rstrip(b" \t")
            i += 1
            if nxt.endswith(b"="):
                parts.append(nxt[:-1])
                continue
            parts.append(nxt)
            break
        value = b"".join(parts)
    if i < n and lines[i][:1] in (b" ", b"\t"):
        value, i = _unfold(value, lines, i, n)
    return value, i


def _unfold(value: bytes, lines: list[bytes], i: int, n: int) -> tuple[bytes, int]:
    parts = [value]
    while i < n and lines[i][:1] in (b" ", b"\t"):
        parts.append(lines[i][1:])
        i += 1
    return b"".join(parts), i


def _b64_rest(value: bytes, lines: list[bytes], i: int, n: int) -> tuple[bytes, int]:
    """2.1 base64 runs on over unindented lines and blank lines until a property."""
    parts = [value]
    b64 = _B64_LINE.fullmatch
    while i < n:
        nxt = lines[i]
        if b64(nxt) or (nxt[:1] in (b" ", b"\t") and nxt.strip()):
            parts.append(nxt)
            i += 1
        elif not nxt.strip():
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            if j < n and (b64(lines[j]) or lines[j][:1] in (b" ", b"\t")):
                i = j
                continue
            break
        else:
            break
    return b"".join(parts), i


class _Card:
    """Parses one card's bytes. Kept as a class so the hot loop has few globals."""

    __slots__ = ("decoder", "guesser", "mode", "pending", "props", "warnings")

    def __init__(self, guesser: CharsetGuesser | None = None) -> None:
        self.props: list[Property] = []
        self.warnings: list[str] = []
        self.decoder = _Decoder()
        self.mode = 30
        self.guesser = guesser
        # values whose charset is to be guessed: (property, raw bytes, quoted-printable)
        self.pending: list[tuple[Property, bytes, bool]] = []

    def parse(self, block: bytes) -> Card:
        # case-insensitive searches on a lowered copy: a regex with IGNORECASE would try
        # every byte of a photo, a plain find skips along at memchr speed
        low = block.lower()
        at = low.find(b"\nversion")
        m = _VERSION.match(block, at + 1) if at >= 0 else None
        if m is None and at >= 0:
            m = _VERSION.search(block)
        version = m.group(1).decode("ascii") if m else "3.0"
        if version.startswith("4"):
            mode = 40
        elif version.startswith(("2", "1")):
            mode = 21
        else:
            mode = 30
        self.mode = mode
        folded = b"quoted-printable" in low
        if not folded:
            block = _FOLD.sub(b"", block)
        lines = block.split(b"\n")
        # drop the BEGIN line and everything from the last END line on
        end = len(lines)
        while end > 1 and not lines[end - 1].strip():
            end -= 1
        if end > 1 and lines[end - 1].lstrip()[:3].upper() == b"END":
            end -= 1
        self._lines(lines, 1, end, folded)
        if self.decoder.fallback:
            self.warnings.append("text that was not valid in its declared CHARSET: "
                                 "the bad bytes were read as windows-1252")
        if self.pending:
            self._guess_charset()
        return Card(version="4.0" if mode == 40 else "3.0",
                    properties=normalise_properties(self.props))

    def _guess_charset(self) -> None:
        """Decode the values that had no CHARSET and weren't UTF-8, all in one guessed
        charset (charsets.py); a guess that isn't sure leaves a warning on the card."""
        guesser = self.guesser or CharsetGuesser()
        guess = guesser.guess([raw for _, raw, _ in self.pending])
        for prop, raw, qp in self.pending:
            text = raw.decode(guess.codec, "netbook-cp1252")
            if qp or self.mode == 21:
                text = _convert_21(prop.name, text)
            elif prop.name in _SINGLE_TEXT and ("," in text or ";" in text or "\\" in text):
                text = _escape_bare(text)
            prop.value = text
        if not guess.certain:
            self.warnings.append(f"text with no CHARSET was guessed to be "
                                 f"{charset_label(guess.codec)}: check its accented letters")

    def _lines(self, lines: list[bytes], i: int, n: int, folded: bool) -> None:
        """Parse lines[i:n]; `folded` says continuation lines may still be there."""
        props = self.props
        mode = self.mode
        heads = _HEAD_CACHE
        single_text = _SINGLE_TEXT
        binary_names = BINARY_NAMES
        new = Property
        while i < n:
            line = lines[i]
            i += 1
            if not line:
                continue
            first = line[0]
            if first == 35 or first == 32 or first == 9:  # '#' comment, stray fold
                if first != 35 and line.strip():
                    self.warnings.append(f"ignored a stray continuation line: {_short(line, 40)}")
                continue
            # split `group.NAME;params:value` with plain byte searches; the regex is
            # only needed when a quoted parameter value may hold a ':' or ';'
            colon = line.find(b":")
            semi = line.find(b";", 0, colon)
            head = None
            value = rawparams = b""  # read only once head is found
            if colon > 0:
                if semi < 0:
                    rawhead = line[:colon]
                    rawparams = b""
                    value = line[colon + 1 :]
                    head = heads.get(rawhead) or _head(rawhead)
                else:
                    rawhead = line[:semi]
                    rawparams = line[semi:colon]
                    if b'"' not in rawparams:
                        value = line[colon + 1 :]
                        head = heads.get(rawhead) or _head(rawhead)
                    else:
                        m = _LINE.match(line) or _LOOSE_LINE.match(line)
                        if m is not None:
                            _, _, rawparams, value = m.groups()
                            head = _head(line[: m.end(2)])
            if head is None:
                if line.strip():
                    self.warnings.append(f"ignored a line that is not a property: "
                                         f"{_short(line, 40)}")
                continue
            group, name = head
            if name in _SPECIAL:
                if name == "BEGIN" and value.strip().upper().startswith(b"VCARD"):
                    i = self._nested(lines, i - 1, n)
                continue
            if rawparams:
                params, encoding, charset = _params(rawparams, mode)
            else:
                params, encoding, charset = (), "", None
            if encoding:
                if encoding == "qp":
                    value, i = _qp_rest(value, lines, i, n)
                elif i < n:  # base64
                    value, i = _b64_rest(value, lines, i, n)
            elif folded and i < n and lines[i][:1] in (b" ", b"\t"):
                value, i = _unfold(value, lines, i, n)
            # -- binary values ---------------------------------------------------
            if encoding == "b" or (name in binary_names and value[:5].lower() == b"data:"):
                prop = self._binary(group, name, params, value)
                if prop is not None:
                    props.append(prop)
                continue
            # -- text values -----------------------------------------------------
            if len(value) > MAX_TEXT_LINE:
                raise _CardFail(f"a {len(value):,}-byte {name} line is too long "
                                f"(limit {MAX_TEXT_LINE >> 20} MB)")
            if encoding == "qp":
                value = binascii.a2b_qp(value)
                text = self.decoder.text(value, charset)
                if text is None:
                    self._later(new(name, "", list(params) if params else [], group), value, True)
                    continue
                text = _convert_21(name, text)
            else:
                if charset is None and value.isascii():
                    text = value.decode("ascii")
                else:
                    text = self.decoder.text(value, charset)
                    if text is None:
                        self._later(new(name, "", list(params) if params else [], group), value,
                                    False)
                        continue
                if mode == 21:
                    text = _convert_21(name, text)
                elif name in single_text and ("," in text or ";" in text or "\\" in text):
                    text = _escape_bare(text)
            props.append(new(name, text, list(params) if params else [], group))

    def _later(self, prop: Property, raw: bytes, qp: bool) -> None:
        """Keep the property's place; its value is decoded once the charset is guessed."""
        self.props.append(prop)
        self.pending.append((prop, raw, qp))

    def _nested(self, lines: list[bytes], i: int, n: int) -> int:
        """Lines i.. hold a nested BEGIN:VCARD (2.1 AGENT): keep it as the AGENT's text."""
        depth = 0
        start = i
        while i < n:
            head = lines[i].lstrip()[:12].upper()
            if head.startswith(b"BEGIN") and b"VCARD" in head:
                depth += 1
            elif head.startswith(b"END") and b"VCARD" in head:
                depth -= 1
                if depth == 0:
                    i += 1
                    break
            i += 1
        inner = "\n".join(_decode_lenient(x) for x in lines[start:i] if x.strip())
        if self.props and self.props[-1].name == "AGENT" and not self.props[-1].value:
            self.props[-1].value = escape_text(inner)
        else:
            self.warnings.append("ignored a nested vCard outside an AGENT property")
        return i

    def _binary(self, group: str, name: str, params: tuple[tuple[str, str], ...],
                value: bytes) -> Property | None:
        value = value.strip()
        if not value:
            return None
        if value[:5].lower() == b"data:":
            head, comma, payload = value.partition(b",")
            if b";base64" in head.lower():
                clean = _clean_b64(payload)
                if clean is None:
                    self.warnings.append(f"bad base64 in {name}: {name.lower()} dropped")
                    return None
                value = head + comma + clean
            text = _decode_lenient(value)
            params = tuple(p for p in params if p[0] != "ENCODING")
            return Property(name, text, list(params), group)
        if len(value) > MAX_CARD_BYTES:
            raise _CardFail(f"{name} is larger than {MAX_CARD_BYTES >> 20} MB")
        clean = _clean_b64(value)
        if clean is None:
            self.warnings.append(f"bad base64 in {name}: {name.lower()} dropped")
            return None
        return Property(name, clean.decode("ascii"), list(params), group)


# ---------------------------------------------------------------------------
# public API


def iter_vcards(
    source: BinaryIO | bytes, filename: str = "<data>"
) -> Iterator[ParsedCard | CardError]:
    """Stream the cards of a vCard file: a ParsedCard or a CardError per card.

    Memory stays bounded by the largest card, whatever the file's size. A problem with
    the file as a whole (empty, binary, a calendar, no BEGIN:VCARD) comes as one final
    CardError with card_number 0.
    """
    state = _FileState()
    guesser = CharsetGuesser()  # one per file: its cards come from one program and locale
    for number, line, block, reason in _split_cards(_line_chunks(source, state), state):
        if block is None or reason:
            first = block.split(b"\n", 1)[0] if block else b"BEGIN:VCARD"
            yield CardError(filename, number, line, _short(first), reason)
            continue
        first_nl = block.find(b"\n", 0, 4096)
        first = block[:first_nl] if first_nl >= 0 else block[:4096]
        try:
            parser = _Card(guesser)
            card = parser.parse(block)
        except _CardFail as exc:
            yield CardError(filename, number, line, _short(first), str(exc))
            continue
        except (ValueError, LookupError, RecursionError, MemoryError) as exc:
            yield CardError(filename, number, line, _short(first),
                            f"unreadable card ({type(exc).__name__})")
            continue
        source_version = "2.1" if parser.mode == 21 else card.version
        yield ParsedCard(card, number, line, parser.warnings, source_version)
    problem = _file_problem(state)
    if problem:
        yield CardError(filename, 0, 0, "", problem)


def _file_problem(state: _FileState) -> str | None:
    if state.binary:
        return f"this is {state.binary}, not a vCard file"
    if state.cards:
        return None
    if not state.nonblank:
        return "empty file"
    if state.calendar:
        return "this is a calendar file (BEGIN:VCALENDAR), not contacts"
    return "not a vCard file (no BEGIN:VCARD found)"


def read_vcards(source: BinaryIO | bytes, filename: str = "<data>") -> ReadResult:
    """Read a whole vCard file: its cards, its per-card errors, or a file-level error."""
    result = ReadResult()
    for item in iter_vcards(source, filename):
        if isinstance(item, ParsedCard):
            result.cards.append(item)
        elif item.card_number == 0:
            result.file_error = item.reason
        else:
            result.errors.append(item)
    return result


def parse_card_text(text: str) -> Card:
    """The first card of clean vCard text (the store's own records); ValueError if none."""
    data = text.encode("utf-8")
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if not data.endswith(b"\n"):
        data += b"\n"
    for _, _, block, reason in _split_cards(iter((data,)), _FileState()):
        if block is None or reason:
            raise ValueError(reason)
        try:
            return _Card().parse(block)
        except _CardFail as exc:
            raise ValueError(str(exc)) from None
    raise ValueError("no BEGIN:VCARD in the text")


def group_members(card: Card) -> list[str]:
    """UIDs of a group card's members (MEMBER / X-ADDRESSBOOKSERVER-MEMBER), urn:uuid: cut."""
    out: list[str] = []
    for prop in card.properties:
        if prop.name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
            uid = prop.text.strip()
            if uid[:9].lower() == "urn:uuid:":
                uid = uid[9:]
            if uid and uid not in out:
                out.append(uid)
    return out
