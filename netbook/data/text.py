"""Normalising text for search, sorting and matching — the same rules everywhere."""

from __future__ import annotations

import functools
import re
import unicodedata

import phonenumbers

_NON_DIGITS = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")


@functools.cache
def _combining_marks() -> re.Pattern[str]:
    """Every combining mark as one compiled class of ranges (built once, on first use).

    A per-character Python loop was the slowest part of indexing a 10,000-card import.
    """
    ranges: list[tuple[int, int]] = []
    for code in range(0x300, 0x20000):  # no combining marks below U+0300 or past plane 1
        if unicodedata.combining(chr(code)) or unicodedata.category(chr(code)) == "Mn":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]")


def fold(text: str) -> str:
    """Case- and accent-blind form for any script: "Müller" → "muller", "Иван" → "иван".

    NFKD splits accents off their letters; dropping the combining marks and casefolding
    gives one key per spelling. (Й loses its breve too: "иван" finds "Иван", "Йозеф"
    is found by "иозеф" as well as by "йозеф" folded the same way.)
    """
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = _combining_marks().sub("", decomposed)
    return _SPACES.sub(" ", decomposed.casefold()).strip()


def digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


@functools.lru_cache(maxsize=65536)  # an import matches then indexes each number: parse once
def normalise_phone(number: str, region: str = "US") -> str:
    """E.164 when phonenumbers can parse it, else the bare digits (for matching only)."""
    raw = number.strip()
    if not raw:
        return ""
    try:
        parsed = phonenumbers.parse(raw, region)
        if phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return digits(raw)


def normalise_email(address: str) -> str:
    return address.strip().casefold()


def like_pattern(term: str) -> str:
    r"""A LIKE pattern that finds `term` anywhere, with % _ \ escaped (use ESCAPE '\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def clean_single_line(text: str) -> str:
    """For a value that must stay on one line (a name in a list row)."""
    return _SPACES.sub(" ", text).strip()
