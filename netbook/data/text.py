"""Normalising text for search, sorting and matching — the same rules everywhere."""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_DIGITS = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")


@functools.cache
def _fold_drops() -> dict[int, None]:
    """What folding takes out of NFKD text, as a `str.translate` table (built once, on
    first use): every combining mark, and every character that draws as nothing.

    One dict lookup a character: the regex character classes this replaced took ~40 µs
    a search column, the slowest step of indexing an import (before them, a
    per-character Python loop was).
    """
    drops = dict.fromkeys(
        code for code in range(0x300, 0x20000)  # no combining marks below U+0300 or past plane 1
        if unicodedata.combining(chr(code)) or unicodedata.category(chr(code)) == "Mn")
    drops.update(_invisible())
    return drops


def fold(text: str) -> str:
    """Case- and accent-blind form for any script: "Müller" → "muller", "Иван" → "иван".

    NFKD splits accents off their letters; dropping the combining marks and casefolding
    gives one key per spelling. (Й loses its breve too: "иван" finds "Иван", "Йозеф"
    is found by "иозеф" as well as by "йозеф" folded the same way.) Zero-width and
    direction characters go too: names that look the same are the same name to search
    and to the duplicate finder. Short text — names, organisations, which an import
    folds several times each and which repeat — is remembered; long text (a whole
    search column) is folded afresh.
    """
    return _fold_short(text) if len(text) <= 80 else _fold(text)


@functools.lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():  # marks, and what draws as nothing ("A\u200bda" is "ada")
        decomposed = decomposed.translate(_fold_drops())
    return _SPACES.sub(" ", decomposed.casefold()).strip()


def digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


@functools.lru_cache(maxsize=65536)  # an import matches then indexes each number: parse once
def normalise_phone(number: str, region: str = "US") -> str:
    """E.164 when phonenumbers can parse it, else the bare digits (for matching only)."""
    raw = number.strip()
    if not raw:
        return ""
    import phonenumbers  # on the first number: a command that reads none skips its 12 ms

    try:
        parsed = phonenumbers.parse(raw, region)
        if phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return digits(raw)


def normalise_email(address: str) -> str:
    return without_invisible(address).strip().casefold()


def like_pattern(term: str) -> str:
    r"""A LIKE pattern that finds `term` anywhere, with % _ \ escaped (use ESCAPE '\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def clean_single_line(text: str) -> str:
    """For a value that must stay on one line (a name in a list row)."""
    return _SPACES.sub(" ", text).strip()


# -- untrusted text: terminals and spoofed names ------------------------------------
# Characters that change the direction of the text around them (UAX #9): a name holding
# U+202E shows "Evil\u202eexe.txt" as "Eviltxt.exe" and flips whatever follows it.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
_RTL_CLASSES = frozenset({"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF",
                          "LRI", "RLI", "FSI", "PDI"})
# Drawn as nothing though they are not format characters (Hangul fillers, the grapheme
# joiner): two names that differ only by one look the same.
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u3164\uffa0")
_JOINERS = frozenset("\u200c\u200d")  # part of Persian, Indic and emoji spelling
FSI, PDI = "\u2068", "\u2069"


def _visible(ch: str) -> str:
    """How the terminal shows one control character: ^[ for ESC, \\x9b for CSI, \\u202e."""
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return "^" + chr(code ^ 0x40)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _needs_showing(ch: str) -> bool:
    if ch in BIDI_CONTROLS or ch in "\u2028\u2029":
        return True
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs")  # controls (C0, DEL, C1) and lone surrogates


_UNSAFE_ASCII = re.compile(r"[\x00-\x1f\x7f]")


def terminal_text(text: str, *, one_line: bool = True) -> str:
    """`text` from a card or a server, safe to print: nothing in it can move the cursor,
    retitle the terminal, write the clipboard (OSC 52) or flip the line. Controls,
    escapes, C1 codes, backspaces, NUL and bidi controls are shown (^[, \\x9b, \\u202e)
    instead of obeyed. `one_line` first folds line breaks and tabs into single spaces.

    The one sanitiser of everything the command line prints from outside (and of server
    messages before they are stored).
    """
    if one_line:
        text = " ".join(text.split())  # also \x1c-\x1f, NEL, U+2028/9: all whitespace
    if text.isascii() and not _UNSAFE_ASCII.search(text):
        return text  # the common case, at no cost
    keep = "" if one_line else "\n\t"
    return "".join(_visible(c) if c not in keep and _needs_showing(c) else c for c in text)


def terminal_lines(text: str) -> str:
    """Like terminal_text, keeping the line breaks (a message of several lines)."""
    return "\n".join(terminal_text(line, one_line=False)
                     for line in text.replace("\r\n", "\n").split("\n"))


def needs_isolating(text: str) -> bool:
    """Whether `text` holds anything that can change the direction of its neighbours."""
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def isolate(text: str) -> str:
    """`text` inside FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE when it needs it: an
    override or a right-to-left run in a name then stays inside the name and can't
    reorder the label, the row or the line of the PDF around it (UAX #9 isolates)."""
    return f"{FSI}{text}{PDI}" if needs_isolating(text) else text


def hidden_characters(text: str) -> list[str]:
    """The invisible or direction-changing characters in `text`, by Unicode name, once
    each: what the detail pane warns about (a spoofed or doubled name). A zero-width
    joiner between two letters of a script that needs it (Persian, Devanagari, emoji)
    is spelling, not a trick."""
    if text.isascii():
        return []
    found: dict[str, None] = {}
    for i, ch in enumerate(text):
        if ch in _JOINERS:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before and after and not before.isascii() and not after.isascii():
                continue
        if ch in BIDI_CONTROLS or ch in _BLANK_LETTERS or unicodedata.category(ch) == "Cf":
            found.setdefault(unicodedata.name(ch, f"U+{ord(ch):04X}"))
    return list(found)


@functools.cache
def _invisible() -> dict[int, None]:
    """Every format character (Cf: zero-width spaces, joiners, bidi controls, BOM, soft
    hyphen…) plus the blank letters, as a `str.translate` table that drops them."""
    codes = [c for block in (range(0x80, 0x20000), range(0xE0000, 0xE1000))  # Cf lives here
             for c in block if unicodedata.category(chr(c)) == "Cf"]
    codes += sorted(ord(c) for c in _BLANK_LETTERS)
    return dict.fromkeys(codes)


def without_invisible(text: str) -> str:
    """`text` without the characters that draw as nothing: two names that look the same
    match the same (duplicates, search)."""
    if text.isascii():
        return text
    return text.translate(_invisible())
