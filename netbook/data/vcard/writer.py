"""The vCard writer: cards → UTF-8, CRLF, 75-octet folded vCard 3.0 (or 4.0 on request).

A card is re-emitted, not reconstructed: every property goes out with its group, its
parameters and its (already escaped) value, in order. Only what the target version
spells differently is converted:

    3.0                                   4.0
    PHOTO;ENCODING=b;TYPE=JPEG:<b64>  ↔  PHOTO:data:image/jpeg;base64,<b64>  (LOGO, KEY, SOUND)
    TYPE=pref                         ↔  PREF=1
    X-ADDRESSBOOKSERVER-KIND/-MEMBER  ↔  KIND / MEMBER
    BDAY:1980-12-24, BDAY:--12-24     ↔  BDAY:19801224, BDAY:--1224  (4.0 wants ISO basic)

FN is always written (from Card.display_name when the card has none, or an empty one)
and, in 3.0, N (`N:;;;;` when the card has none), since 3.0 requires both. What strict
readers refuse is made valid first (fidelity.py): names outside the vCard grammar,
escaped colons in URLs, PROFILE:VCARD.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from typing import BinaryIO

from netbook.data.vcard.card import Card, Property, escape_text, split_unescaped
from netbook.data.vcard.fidelity import URI_NAMES, normalise_properties

__all__ = ["card_to_bytes", "card_to_text", "write_vcards", "write_vcards_to"]

VERSIONS = ("3.0", "4.0")
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_MULTI_VALUED = frozenset({"TYPE", "PID", "SORT-AS"})  # a comma separates values here
_DATES = frozenset({"BDAY", "ANNIVERSARY", "DEATHDATE", "X-ANNIVERSARY"})
_NEWLINE = re.compile(r"\r\n|\n|\r")
_NEEDS_QUOTES = re.compile(r"[:;,]")
_YEARLESS_EXT = re.compile(r"^--(\d\d)-(\d\d)$")
_YEARLESS_BASIC = re.compile(r"^--(\d\d)(\d\d)$")
_DATE_EXT = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
_DATE_BASIC = re.compile(r"^(\d{4})(\d\d)(\d\d)$")
_DATA_URI = re.compile(r"^data:([^;,]*)((?:;[^;,]*)*?);base64,(.*)$", re.IGNORECASE | re.DOTALL)

_MIME = {
    ("PHOTO", "JPEG"): "image/jpeg", ("PHOTO", "JPG"): "image/jpeg",
    ("PHOTO", "PNG"): "image/png", ("PHOTO", "GIF"): "image/gif",
    ("PHOTO", "BMP"): "image/bmp", ("PHOTO", "TIFF"): "image/tiff",
    ("PHOTO", "WEBP"): "image/webp", ("PHOTO", "HEIC"): "image/heic",
    ("KEY", "PGP"): "application/pgp-keys", ("KEY", "X509"): "application/pkix-cert",
    ("SOUND", "WAVE"): "audio/wav", ("SOUND", "WAV"): "audio/wav",
    ("SOUND", "PCM"): "audio/basic", ("SOUND", "MP3"): "audio/mpeg",
    ("SOUND", "AAC"): "audio/aac", ("SOUND", "OGG"): "audio/ogg",
}
_SUBTYPE = {
    "image/jpeg": "JPEG", "image/jpg": "JPEG", "image/png": "PNG", "image/gif": "GIF",
    "image/bmp": "BMP", "image/tiff": "TIFF", "image/webp": "WEBP", "image/heic": "HEIC",
    "application/pgp-keys": "PGP", "application/pkix-cert": "X509",
    "application/x-x509-ca-cert": "X509", "audio/wav": "WAVE", "audio/basic": "PCM",
    "audio/mpeg": "MP3", "audio/aac": "AAC", "audio/ogg": "OGG",
}
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG", "image/png"), (b"GIF8", "image/gif"),
    (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"), (b"BM", "image/bmp"),
)
_DEFAULT_MIME = {"PHOTO": "image/jpeg", "LOGO": "image/jpeg", "KEY": "application/octet-stream",
                 "SOUND": "audio/basic"}


# ---------------------------------------------------------------------------
# one content line


def _param_value(name: str, value: str, v4: bool) -> str:
    if v4:
        if "^" in value or '"' in value or "\n" in value or "\r" in value:
            value = _NEWLINE.sub("^n", value.replace("^", "^^")).replace('"', "^'")
    elif '"' in value or "\n" in value or "\r" in value:
        value = _NEWLINE.sub(" ", value).replace('"', "'")
    if _NEEDS_QUOTES.search(value) and (
        ":" in value or ";" in value or name not in _MULTI_VALUED
    ):
        return f'"{value}"'
    return value


def _line(prop: Property, v4: bool) -> str:
    head = f"{prop.group}.{prop.name}" if prop.group else prop.name
    if prop.params:
        head += "".join(f";{k}={_param_value(k, v, v4)}" for k, v in prop.params)
    value = prop.value
    if "\n" in value or "\r" in value:
        value = _NEWLINE.sub("\\\\n", value)
    if "," in value and prop.name in URI_NAMES:
        # the card keeps a URI as it is; a raw comma would end it for readers that take
        # every value as text (vobject does), `\,` is read back as ',' by all of them
        value = value.replace(",", "\\,")
    return f"{head}:{value}"


# ---------------------------------------------------------------------------
# version conversions


def _mime_of(prop: Property, data: str) -> str:
    for t in prop.param_values("TYPE"):
        t = t.strip()
        if "/" in t:
            return t.lower()
        mime = _MIME.get((prop.name, t.upper()))
        if mime:
            return mime
        if prop.name in ("PHOTO", "LOGO") and t.isalnum():
            return f"image/{t.lower()}"
    try:
        head = base64.b64decode(data[:24] + "=" * (-len(data[:24]) % 4))
    except (binascii.Error, ValueError):
        head = b""
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    return _DEFAULT_MIME.get(prop.name, "application/octet-stream")


def _to_v4(prop: Property) -> Property:
    name = prop.name
    params = prop.params
    value = prop.value
    if name in _BINARY and any(
        k == "ENCODING" and v.lower() in ("b", "base64") for k, v in params
    ):
        mime = _mime_of(prop, value)
        params = [(k, v) for k, v in params if k not in ("ENCODING", "TYPE")]
        return Property(name, f"data:{mime};base64,{value}", params, prop.group)
    if name == "X-ADDRESSBOOKSERVER-KIND":
        name, value = "KIND", value.lower()
    elif name == "X-ADDRESSBOOKSERVER-MEMBER":
        name = "MEMBER"
    elif name in _DATES:
        m = _YEARLESS_EXT.match(value) or _DATE_EXT.match(value)
        if m:
            value = ("--" if len(m.groups()) == 2 else "") + "".join(m.groups())
    if any(k == "TYPE" and "pref" in v.lower() for k, v in params):
        out: list[tuple[str, str]] = []
        pref = False
        for k, v in params:
            if k != "TYPE":
                out.append((k, v))
                continue
            kept = [t for t in split_unescaped(v, ",") if t]
            if any(t.lower() == "pref" for t in kept):
                pref = True
                kept = [t for t in kept if t.lower() != "pref"]
                if kept:
                    out.append(("TYPE", ",".join(kept)))
            else:
                out.append((k, v))
        if pref and not any(k == "PREF" for k, _ in out):
            out.append(("PREF", "1"))
        params = out
    if name is prop.name and value is prop.value and params is prop.params:
        return prop
    return Property(name, value, list(params), prop.group)


def _to_v3(prop: Property) -> Property:
    name = prop.name
    params = prop.params
    value = prop.value
    if name in _BINARY and value[:5].lower() == "data:":
        m = _DATA_URI.match(value)
        if m:
            mime = m.group(1).lower()
            subtype = _SUBTYPE.get(mime) or (mime.split("/")[-1].upper() if mime else "")
            params = [*params, ("ENCODING", "b")]
            if subtype:
                params.append(("TYPE", subtype))
            value = m.group(3)
    elif name == "KIND":
        name = "X-ADDRESSBOOKSERVER-KIND"
    elif name == "MEMBER":
        name = "X-ADDRESSBOOKSERVER-MEMBER"
    elif name in _DATES:
        m = _YEARLESS_BASIC.match(value)
        if m:
            value = f"--{m.group(1)}-{m.group(2)}"
        else:
            m = _DATE_BASIC.match(value)
            if m:
                value = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if any(k == "PREF" for k, _ in params):
        kinds = [t.lower() for t in prop.param_values("TYPE")]
        params = [(k, v) for k, v in params if k != "PREF"]
        if "pref" not in kinds:
            params.append(("TYPE", "pref"))
    if name is prop.name and value is prop.value and params is prop.params:
        return prop
    return Property(name, value, list(params), prop.group)


# ---------------------------------------------------------------------------
# folding


def _fold(line: bytes, out: list[bytes]) -> None:
    """Append `line` folded at 75 octets, never inside a UTF-8 character."""
    n = len(line)
    if n <= 75:
        out.append(line)
        return
    if line.isascii():
        out.append(line[:75])
        out.extend(b" " + line[i : i + 74] for i in range(75, n, 74))
        return
    pos = 0
    limit = 75
    prefix = b""
    while n - pos > limit:
        cut = pos + limit
        while cut > pos and (line[cut] & 0xC0) == 0x80:  # inside a character: back off
            cut -= 1
        out.append(prefix + line[pos:cut])
        pos = cut
        prefix = b" "
        limit = 74
    out.append(prefix + line[pos:])


# ---------------------------------------------------------------------------
# cards


def _target(card: Card, version: str | None) -> str:
    target = version or (card.version if card.version in VERSIONS else "3.0")
    if target not in VERSIONS:
        raise ValueError(f"cannot write vCard {target}; 3.0 and 4.0 are supported")
    return target


def _text_lines(card: Card, target: str) -> list[str]:
    v4 = target == "4.0"
    lines = ["BEGIN:VCARD", f"VERSION:{target}"]
    has_fn = has_n = False
    props = normalise_properties(card.properties)
    for prop in props:
        if prop.name == "FN" and prop.value.strip():
            has_fn = True
        elif prop.name == "N":
            has_n = True
    if not has_fn:
        lines.append("FN:" + escape_text(card.display_name))
    if not has_n and not v4:
        lines.append("N:;;;;")
    same = card.version == target
    convert = _to_v4 if v4 else _to_v3
    for prop in props:
        if prop.name in ("VERSION", "BEGIN", "END") or (prop.name == "FN" and not has_fn):
            continue
        if not same:
            prop = convert(prop)
        lines.append(_line(prop, v4))
    lines.append("END:VCARD")
    return lines


def card_to_bytes(card: Card, version: str | None = None) -> bytes:
    """One card as UTF-8 bytes with CRLF line ends, folded at 75 octets."""
    out: list[bytes] = []
    for line in _text_lines(card, _target(card, version)):
        data = line.encode("utf-8")
        if len(data) <= 75:  # most lines: nothing to fold
            out.append(data)
        else:
            _fold(data, out)
    out.append(b"")
    return b"\r\n".join(out)


def card_to_text(card: Card, version: str | None = None) -> str:
    """One card as vCard text (CRLF, folded): in the card's own version unless told."""
    return card_to_bytes(card, version).decode("utf-8")


def write_vcards_to(stream: BinaryIO, cards: Iterable[Card], version: str = "3.0") -> int:
    """Write cards to a binary stream one by one; returns the number written."""
    count = 0
    batch: list[bytes] = []
    size = 0
    for card in cards:
        data = card_to_bytes(card, version)
        batch.append(data)
        size += len(data)
        count += 1
        if size >= 1 << 20:
            stream.write(b"".join(batch))
            batch = []
            size = 0
    if batch:
        stream.write(b"".join(batch))
    return count


def write_vcards(cards: Iterable[Card], version: str = "3.0") -> bytes:
    """Cards as one vCard file (UTF-8, CRLF), 3.0 unless told otherwise."""
    return b"".join(card_to_bytes(card, version) for card in cards)
