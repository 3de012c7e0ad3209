"""Real exports from phones and address books (../shared/vcard-corpus) read correctly.

`expected.json` holds, per file, values decoded by hand from the raw bytes; every check
of every file is asserted here, then again after writing the cards out and reading them
back (round trip). On a developer's machine without ../shared the file skips; in CI
(`CI=true`, set by the CI service and passed on by .ci/run) a missing corpus fails.
Line breaks compare as line breaks: a 2.1 quoted-printable `=0D=0A`
becomes `\\n` in the 3.0 model (3.0 has no way to say CR), so CRLF and LF are equal here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import vobject

from netbook.data.vcard import (
    Card,
    inline_binary,
    read_vcards,
    structured,
    write_vcards,
)

pytestmark = pytest.mark.corpus

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "vcard-corpus"
EXPECTED = CORPUS / "expected.json"

_PARTS = {
    "n": ["family", "given", "additional", "prefix", "suffix"],
    "adr": ["po_box", "extended", "street", "locality", "region", "postal_code", "country"],
}
_MAGIC = {
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "GIF": (b"GIF87a", b"GIF89a"),
    "TIFF": (b"II*\x00", b"MM\x00*"),
    "DER": (b"\x30\x82", b"\x30\x81", b"\x30\x80"),
}


def _files() -> list[str]:
    if not EXPECTED.is_file():
        return []
    return sorted(json.loads(EXPECTED.read_text(encoding="utf-8")))


def _expected(name: str) -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))[name]


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def values(card: Card, prop: str) -> list[str]:
    """Decoded values of `prop` (`fn`, `tel`, `n.family`, `adr.extended` …) on a card."""
    name, _, part = prop.partition(".")
    props = card.get(name)
    if not part:
        return [p.text for p in props]
    index = _PARTS[name.lower()].index(part)
    out = []
    for p in props:
        parts = structured(p.value)
        out.append(parts[index] if index < len(parts) else "")
    return out


def check(cards: list[Card], check: list) -> None:
    kind = check[0]
    if kind == "count":
        assert len(cards) == check[1], f"{len(cards)} cards, expected {check[1]}"
        return
    card = cards[check[1]]
    if kind == "eq":
        _, _, prop, want = check
        got = [_lines(v) for v in values(card, prop)]
        assert _lines(want) in got, f"{prop}: {got!r} has no {want!r}"
    elif kind == "has":
        _, _, prop, want = check
        got = [_lines(v) for v in values(card, prop)]
        assert any(_lines(want) in v for v in got), f"{prop}: {got!r} lacks {want!r}"
    elif kind == "bin":
        _, _, prop, magic = check
        blobs = [inline_binary(p) for p in card.get(prop)]
        assert any(b and b.startswith(_MAGIC[magic]) for b in blobs), (
            f"{prop}: no {magic} data among {[b[:8] if b else b for b in blobs]}")
    elif kind == "grp":
        _, _, group, prop, want = check
        found = [p.text for p in card.properties
                 if p.group.lower() == group.lower() and p.name == prop.upper()]
        assert any(want in v for v in found), f"{group}.{prop}: {found!r} lacks {want!r}"
    elif kind == "param":
        _, _, prop, param, want = check
        found = [v for p in card.get(prop) for v in p.param_values(param)]
        assert want in found, f"{prop};{param}: {found!r} lacks {want!r}"
    else:  # pragma: no cover - a new kind of check in expected.json
        pytest.fail(f"unknown check kind {kind!r}")


@pytest.fixture(scope="module", autouse=True)
def _corpus_present() -> None:
    if EXPECTED.is_file():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the vCard corpus is not at {CORPUS}: CI must check out "
                    "../shared next to the project", pytrace=False)
    pytest.skip(f"the vCard corpus is not at {CORPUS}")


@pytest.mark.parametrize("name", _files() or ["(corpus absent)"])
def test_corpus_file_decodes_to_the_hand_checked_values(name: str) -> None:
    result = read_vcards((CORPUS / name).read_bytes(), name)
    assert result.file_error is None
    assert result.errors == []
    cards = [pc.card for pc in result.cards]
    for c in _expected(name)["checks"]:
        check(cards, c)


def _reread(cards: list[Card], version: str) -> list[Card]:
    again = read_vcards(write_vcards(cards, version=version))
    assert again.file_error is None
    assert again.errors == []
    assert all(not pc.warnings for pc in again.cards), [pc.warnings for pc in again.cards]
    return [pc.card for pc in again.cards]


@pytest.mark.parametrize("name", _files() or ["(corpus absent)"])
def test_corpus_file_survives_write_and_reread(name: str) -> None:
    first = [pc.card for pc in read_vcards((CORPUS / name).read_bytes(), name).cards]
    cards = _reread(first, "3.0")
    assert len(cards) == len(first)
    for c in _expected(name)["checks"]:
        check(cards, c)
    # writing again changes nothing
    assert _reread(cards, "3.0") == cards


@pytest.mark.parametrize("name", _files() or ["(corpus absent)"])
def test_corpus_file_survives_a_trip_through_4_0(name: str) -> None:
    first = [pc.card for pc in read_vcards((CORPUS / name).read_bytes(), name).cards]
    as_4 = _reread(first, "4.0")
    assert all(card.version == "4.0" for card in as_4)
    back = _reread(as_4, "3.0")
    for c in _expected(name)["checks"]:
        check(as_4 if c[0] in ("bin", "grp", "count") else back, c)
    assert _reread(back, "3.0") == back


_STRICT_KEYS = ("fn", "n", "tel", "email", "note", "url", "org", "title", "adr", "bday",
                "photo", "categories", "nickname", "label")


def _strict_values(text: str) -> list[dict[str, list]]:
    out = []
    for component in vobject.readComponents(text):
        values = {}
        for key in _STRICT_KEYS:
            found = []
            for child in component.contents.get(key, []):
                value = child.value
                found.append(str(value.__dict__) if key in ("n", "adr") else value)
            values[key] = found
        out.append(values)
    return out


def _hide_profile(text: str) -> str:
    """vobject refuses the RFC 2425 `PROFILE:VCard` line that vCard 3.0 allows (netbook
    drops it: only the originals need this)."""
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.upper().startswith("PROFILE:"))


@pytest.mark.parametrize("name", _files() or ["(corpus absent)"])
def test_a_strict_parser_reads_our_output(name: str):
    """vobject (strict, default settings) reads what we write of every corpus file, gets
    the values our model holds, and agrees with its own reading of the original file
    wherever it can read that."""
    raw = (CORPUS / name).read_bytes()
    cards = [pc.card for pc in read_vcards(raw, name).cards]
    ours = _strict_values(write_vcards(cards).decode("utf-8"))
    assert len(ours) == len(cards)
    # the 4.0 export too: every card, the same names, numbers and addresses (4.0 adds no
    # empty N to a card that had none)
    as_4 = _strict_values(write_vcards(cards, "4.0").decode("utf-8"))
    assert [{k: v[k] for k in ("fn", "tel", "email", "adr", "note")} for v in as_4] == [
        {k: v[k] for k in ("fn", "tel", "email", "adr", "note")} for v in ours]
    for mine, card in zip(ours, cards, strict=True):
        assert mine["fn"] == [card.text("FN") or card.display_name]
        for key in ("tel", "email", "note", "title", "nickname", "label"):
            assert mine[key] == [p.text for p in card.get(key)], key
        assert mine["photo"] == [inline_binary(p) or p.value for p in card.get("photo")]
    try:
        original = _strict_values(_hide_profile(raw.decode("utf-8")))
    except (UnicodeDecodeError, vobject.base.VObjectError):
        return  # vobject can't read this file at all (the reason the reader exists)
    for theirs, mine, card in zip(original, ours, cards, strict=True):
        for key in _STRICT_KEYS:
            if theirs[key] == mine[key]:
                continue
            if key == "fn" and not theirs[key]:
                continue  # FN is always written
            # vobject cuts a value at its first raw comma and keeps the invalid escape
            # `\:` of the original; from our output it gets the value our model holds
            assert len(theirs[key]) == len(mine[key])
            for cut, whole, prop in zip(theirs[key], mine[key], card.get(key), strict=True):
                assert whole == prop.text
                cut = cut.replace("\\:", ":")
                assert whole == cut or ("," in whole and whole.startswith(cut))
