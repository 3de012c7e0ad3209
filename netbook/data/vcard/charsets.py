"""Which 8-bit character set a card's text is in, when the card doesn't say.

Outlook 2003 in Poland writes quoted-printable windows-1250 with no CHARSET (`=B3` is
"ł"), The Bat! and other old mail programs write raw 8-bit text the same way, in the
Windows code page of the machine that wrote it. The reader hands this module the card's
undeclared values that are not UTF-8; `CharsetGuesser.guess` says how to read them and
whether that is a sure thing or a guess (a guess gives the card a warning in the import
preview instead of silent garbage).

How the choice is made, per card, over all of its undeclared 8-bit values together:

1. The usual code pages read the bytes: windows-1252 (Western), windows-1250 (Central
   European: Outlook in Poland, Czechia, Hungary), ISO-8859-2 (Central European mail
   programs on Unix), windows-1251 (Cyrillic: The Bat! in Russia). Each reading gets an
   *oddness* score from the shape of its words: a symbol inside a word ("ma³opolskie",
   "Wa¿ny"), a superscript or currency sign against a letter ("Pawe³", "£ukasz"), a
   Cyrillic letter glued to a Latin one ("Mьller"), a word of accented letters only
   ("Èâàí"), a Cyrillic word with no vowel ("Пбрбдьрпхлпт", Greek read as Cyrillic),
   cases swapped inside a word ("йЧБО", KOI8-R read as windows-1251), a control or
   undefined byte. Real names and addresses score 0 in their own code page.
2. When none of them reads as text, windows-1253 (Greek), KOI8-R and Shift_JIS (cp932,
   Japanese phones) read it too; when none of those does either, charset-normalizer (the
   detector) proposes its codecs, best first, and the first one that gives letters of
   another script only (no accented Latin) and reads better than all the rest joins
   (Korean, Chinese, …).
   Measured on card-sized text (charset-normalizer 3.5) the detector alone reads Polish
   windows-1250 as windows-1252 ("ma³opolskie"), French windows-1252 as windows-1250
   ("Hélčne"), "Иван" as Korean and "Poznań" as UTF-16: on a few words it can't be the
   judge, so the word shapes are, and it only speaks when no usual reading makes sense.
3. The reading with the lowest score wins for sure when every reading within 2 points
   of it says the same thing (German "Müller" is the same in windows-1250 and -1252:
   nothing to guess), unless the detector had to find it.
4. Readings that stay close but differ ("Poznañ" or "Poznań"?) are settled by what an
   earlier card of the same file was surely in (a file comes from one program in one
   locale); else the lowest score wins, then the fixed order windows-1252,
   windows-1250, ISO-8859-2, windows-1251, windows-1253, KOI8-R, Shift_JIS, the
   detector's — and the card gets a warning. windows-1252 comes first as the commonest
   8-bit text on Windows machines and what netbook always read before; Latin-1 is never
   a candidate, since it only differs from windows-1252 where it has C1 control codes
   that no text uses; it fills windows-1252's five undefined bytes.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["CharsetGuesser", "Guess", "label"]

USUAL = ("cp1252", "cp1250", "iso8859-2", "cp1251")  # in the order that wins ties
# read only when none of the usual ones looks like text: Greek and Japanese Windows,
# Russian on Unix (each reads a windows-1251 text as something odd, so they never tie)
SECOND = ("cp1253", "koi8-r", "cp932")
MARGIN = 2  # readings closer than this to the best one are still in the running
UNDEFINED = 4  # a control or undefined character; a best reading this odd is a guess
MIXED = 5  # two scripts in one word: the surest sign of a misreading
SAMPLE_BYTES = 16 << 10  # enough to judge; a 1 MB note needn't be read five times

_LABELS = {"cp1252": "windows-1252", "cp1250": "windows-1250", "cp1251": "windows-1251",
           "iso8859-2": "ISO-8859-2", "cp932": "Shift_JIS", "cp1253": "windows-1253",
           "cp1254": "windows-1254", "cp1257": "windows-1257", "koi8-r": "KOI8-R"}


def label(codec: str) -> str:
    """The name people know a codec by: cp1250 → windows-1250."""
    return _LABELS.get(codec, codec)


@dataclass(frozen=True)
class Guess:
    codec: str
    certain: bool


# ---------------------------------------------------------------------------
# oddness: how unlike real text a reading looks

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"[^\W\d_]{3,}")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєў")
_FREE = frozenset("ªº·")  # ordinals (2ºA), the Catalan middle dot (l·l): at home in words


@functools.lru_cache(maxsize=4096)
def _kind(ch: str) -> tuple[str, bool]:
    """(L letter | S symbol | C control | F free, whether a letter is of Latin script)."""
    if ch in _FREE:
        return "F", True
    cat = unicodedata.category(ch)
    if cat[0] == "C" or ch == "\ufffd":
        return "C", False
    if cat in ("Lu", "Ll", "Lt", "Lo"):
        return "L", unicodedata.name(ch, "").startswith("LATIN")
    if cat in ("Pi", "Pf"):  # quotes around words: « », “ ”
        return "F", False
    return "S", False  # symbols, ¹²³¼, modifier letters (ˇ ˘ ˙), other punctuation


def _is_letter(ch: str) -> bool:
    return ch.isalpha() and ch not in _FREE


def oddness(text: str) -> int:
    """0 for text that reads like names and addresses; more for each sign of a misreading."""
    score = 0
    n = len(text)
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        ch = m.group()
        kind, latin = _kind(ch)
        if kind == "F":
            continue
        if kind == "C":
            score += UNDEFINED
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if kind == "L":
            if not latin and ((prev.isascii() and prev.isalpha())
                              or (nxt.isascii() and nxt.isalpha())):
                score += MIXED  # "Mьller", "Paweі": two scripts in one word
            elif ch.isupper() and prev.islower() and nxt.islower():
                score += 2  # "maŁopolskie"
            continue
        left, right = _is_letter(prev), _is_letter(nxt)
        if left and right:
            score += 3  # "ma³opolskie"
        elif (left or right) and not (ch in "¡¿" and right):  # ¿Qué is Spanish
            score += 3 if unicodedata.category(ch) == "No" else 2  # "Pawe³", "£ukasz"
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        accented = [c for c in word if not c.isascii()]
        if len(accented) * 2 > len(word) and all(_kind(c)[1] for c in accented):
            score += 2  # "Èâàí": Cyrillic or Greek read as accented Latin
        if (len(word) >= 4 and not word.isupper() and _CYRILLIC.fullmatch(word)
                and not _CYRILLIC_VOWELS.intersection(word.lower())):
            score += 2  # "Пбрбдьрпхлпт": Greek read as windows-1251 has no vowels
        lower_seen = False
        for c in word:  # "йЧБО": KOI8-R read as windows-1251 swaps the cases
            if c.islower():
                lower_seen = True
            elif c.isupper() and lower_seen and not c.isascii():
                score += 2
                break
    return score


def _other_script(text: str) -> bool:
    """Whether the text has letters beyond ASCII and none of them is a Latin one."""
    seen = False
    for m in _NON_ASCII.finditer(text):
        kind, is_latin = _kind(m.group())
        if kind == "L":
            if is_latin:
                return False
            seen = True
    return seen


# ---------------------------------------------------------------------------
# the choice


def _detector_proposals(sample: bytes) -> list[str]:
    """charset-normalizer's codecs for the sample, most likely first (Python codec names)."""
    from charset_normalizer import from_bytes  # imported on first need: most cards are UTF-8

    out: list[str] = []
    for match in from_bytes(sample):
        try:
            name = codecs.lookup(match.encoding).name
        except LookupError:
            continue
        if name not in out and not name.startswith(("utf", "ascii")):
            out.append(name)
    return out


class CharsetGuesser:
    """Guesses per card, remembering what the file's earlier cards were surely in."""

    def __init__(self) -> None:
        self.prior: frozenset[str] = frozenset()

    def guess(self, values: list[bytes]) -> Guess:
        sample = b"\n".join(values)[:SAMPLE_BYTES]
        readings: dict[str, str] = {}
        scores: dict[str, int] = {}

        def consider(codec: str) -> None:
            if codec not in readings:
                readings[codec] = text = sample.decode(codec, "replace")
                scores[codec] = oddness(text)

        for codec in USUAL:
            consider(codec)
        detected = ""
        if min(scores.values()) >= MARGIN:  # none of the usual code pages reads as text
            for codec in SECOND:
                consider(codec)
        if min(scores.values()) >= MARGIN:
            best = min(scores.values())
            for codec in _detector_proposals(sample):
                if codec in readings:
                    continue
                text = sample.decode(codec, "replace")
                if _other_script(text) and oddness(text) < best:
                    consider(codec)
                    detected = codec
                    break
        best = min(scores.values())
        order = list(readings)  # USUAL, then SECOND, then the detector's: the fixed order
        running = sorted((c for c in readings if scores[c] < best + MARGIN),
                         key=lambda c: (scores[c], order.index(c)))
        distinct = {readings[c] for c in running}
        in_prior = [c for c in running if c in self.prior and scores[c] == best]
        if len(distinct) == 1:
            winner = in_prior[0] if in_prior else running[0]
            same = frozenset(c for c in readings if readings[c] == readings[winner])
            if best < UNDEFINED and winner != detected and not {"cp1252", "cp1250"} <= same:
                self.prior = same  # a reading only some code pages give: remember them
            return Guess(winner, best < UNDEFINED and winner != detected)
        if in_prior:
            return Guess(in_prior[0], best < UNDEFINED)
        return Guess(running[0], False)
