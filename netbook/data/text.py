"""Normalising text for search, sorting and matching — the same rules everywhere."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_NON_DIGITS = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case- and accent-blind form for any script: "Müller" → "muller", "Иван" → "иван".

    NFKD splits accents off their letters; dropping the combining marks and casefolding
    gives one key per spelling. (Й loses its breve too: "иван" finds "Иван", "Йозеф"
    is found by "иозеф" as well as by "йозеф" folded the same way.)
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


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
