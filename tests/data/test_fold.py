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


def test_a_search_column_folded_part_by_part_is_the_column_folded_whole():
    """The index folds each part of a contact's search column (name, organisation,
    title, emails…) on its own, so the parts that repeat across a book are folded once:
    whatever the parts hold — accents split off, marks starting a part, zero-width and
    direction characters, odd spaces, full case folding — the column is the same."""
    import random

    pieces = ["a", "B", "é", "e\u0301", "\u0301", "\u0327", "\u200b", "\u00a0", " ", "\t",
              "\n", "ß", "İ", "Σ", "ς", "\u202e", "\u2066", "ǅ", "ﬁ", "①", "\u3000", "Å",
              "A\u030a", "\u0345", "\u05d0", "\u0591", "😀", "\ufeff", "-", "\u3164", "ı"]
    rng = random.Random(16)
    for _ in range(20_000):
        parts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
                 for _ in range(rng.randint(1, 5))]
        assert " ".join(f for f in map(fold, parts) if f) == fold(" ".join(parts)), parts
