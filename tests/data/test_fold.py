"""Folding (search, sort and matching keys) takes out exactly the combining marks and the
characters that draw as nothing — however it is done (a translate table since issue 11;
regex character classes before): every code point is checked against the definition."""

from __future__ import annotations

import re
import unicodedata

from netbook.data.text import fold, without_invisible

BLANK_LETTERS = "\u034f\u115f\u1160\u3164\uffa0"


def is_mark(ch: str) -> bool:
    return 0x300 <= ord(ch) < 0x20000 and (
        bool(unicodedata.combining(ch)) or unicodedata.category(ch) == "Mn")


def is_invisible(ch: str) -> bool:
    code = ord(ch)
    in_blocks = 0x80 <= code < 0x20000 or 0xE0000 <= code < 0xE1000
    return (in_blocks and unicodedata.category(ch) == "Cf") or ch in BLANK_LETTERS


def reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not (is_mark(c) or is_invisible(c)))
    return re.sub(r"\s+", " ", kept.casefold()).strip()


def every_code_point_in_pieces(size: int = 61):
    codes = [c for c in [*range(0x20, 0x30000), *range(0xE0000, 0xE1100)]
             if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(codes), size):
        yield "A" + "".join(chr(c) for c in codes[start:start + size]) + "z"


def test_fold_drops_exactly_the_marks_and_the_invisible():
    for text in every_code_point_in_pieces():
        assert fold(text) == reference_fold(text), [hex(ord(c)) for c in text[1:3]]


def test_without_invisible_drops_exactly_the_invisible():
    for text in every_code_point_in_pieces():
        assert without_invisible(text) == "".join(c for c in text if not is_invisible(c))


def test_names_fold_as_before():
    assert fold("Müller") == "muller" == fold("MU\u0308LLER")
    assert fold("Иван  Петров ") == "иван петров"
    assert fold("A\u200bda\u00ad Love\u202elace") == "ada lovelace"
    assert fold("Ｚｏë") == "zoe"
