"""A synthetic phone export for timing the vCard codec.

`generate_phone_export(n, seed)` mixes the two shapes that make up most real imports:

* iPhone-style vCard 3.0: item groups with X-ABLabel (built-in `_$!<Mobile>!$_` labels
  and custom ones), folded lines, escaped commas;
* Android-style vCard 2.1: QUOTED-PRINTABLE UTF-8 names with accents, Cyrillic, Greek
  and Japanese, bare TYPE parameters (`TEL;CELL`), addresses, birthdays and notes with
  commas.

One card in ten (of either kind) carries a ~10 KB base64 JPEG-like photo. With
`soft_breaks=True` long QP values get Android's unindented `=` soft line
  breaks (at character boundaries); off by default because vobject cannot parse them,
  and the bench compares against vobject parsing the very same bytes.

Deterministic for a seed.

`big_export_stream(n)` is the other shape: a file-like object over n small 2.1 cards
(~230 bytes each, 100,000 make 23 MB) made on demand, so reading it shows the reader's
own memory, not the file's.

Run `python bench/vcard_gen.py [n]` to print the reader's speed next to vobject's.
"""

from __future__ import annotations

import base64
import binascii
import io
import random
import re
from collections.abc import Iterator

GIVEN = ["Anna", "Ben", "Chloé", "Dmitri", "Élodie", "François", "Günther", "Hélène", "Ingrid",
         "José", "Jürgen", "Kateřina", "Łukasz", "María", "Nuño", "Øystein", "Zoë", "Sam",
         "Олег", "Наталья", "Γιάννης", "Ελένη", "太郎", "花子", "Søren", "Ines", "Leo"]
FAMILY = ["Smith", "Müller", "García", "Dubois", "Rossi", "Nowak", "Søndergaard", "Ivanov",
          "Иванова", "Петров", "Παπαδόπουλος", "Κωνσταντίνου", "山田", "佐藤", "Doe, Jr.",
          "O'Brien", "van der Berg", "Ñúñez", "Žižek", "Lee"]
COMPANIES = ["Acme, Inc.", "Initech", "Globex; Research", "Umbrella", "Soylent Corp.",
             "Stark Industries", "Wayne Enterprises", "ООО Ромашка", "株式会社サンプル"]
STREETS = ["12 High Street", "5 Rue de la Paix", "Hauptstraße 7", "Calle Mayor, 3",
           "ул. Ленина, 10", "1-2-3 Shibuya", "221B Baker Street"]
CITIES = [("London", "", "SW1A 1AA", "United Kingdom"), ("Paris", "", "75002", "France"),
          ("Berlin", "", "10115", "Germany"), ("Madrid", "", "28013", "Spain"),
          ("Москва", "", "101000", "Россия"), ("東京", "東京都", "150-0002", "日本"),
          ("Springfield", "IL", "62701", "USA")]
NOTES = ["Met at the conference, talked about Python, Qt and address books.",
         "Call back Monday, after lunch",
         "Prefers email; never call before 10",
         "Old friend from university, lives abroad now, visit in summer",
         "Introduced by Anna. Interested in the project, follow up next week, maybe.",
         "Встретились на конференции, обсудили проект.",
         "会議で会いました。来週フォローアップ。"]
APPLE_PHONE_LABELS = ["_$!<Mobile>!$_", "_$!<Home>!$_", "_$!<Work>!$_", "Assistant",
                      "_$!<Main>!$_", "Boat"]


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    out = []
    pos = 0
    limit = 75
    while len(data) - pos > limit:
        cut = pos + limit
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        out.append(data[pos:cut].decode("utf-8"))
        pos = cut
        limit = 74
    out.append(data[pos:].decode("utf-8"))
    return "\r\n ".join(out) + "\r\n"


def _esc(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _qp(text: str, head_len: int, soft_breaks: bool) -> str:
    """Quoted-printable UTF-8 as Android writes it: non-ASCII as =XX, `=` soft breaks at 76."""
    encoded = binascii.b2a_qp(text.encode("utf-8"), quotetabs=True, istext=False, header=False)
    encoded = encoded.replace(b"=\n", b"").decode("ascii")
    if not soft_breaks:
        return encoded
    lines: list[str] = []
    current = ""
    limit = 75 - head_len
    for token in _QP_CHAR.findall(encoded):  # one whole character per token
        if len(current) + len(token) > limit:
            lines.append(current + "=")
            current = ""
            limit = 75
        current += token
    lines.append(current)
    return "\r\n".join(lines)


_QP_CHAR = re.compile(
    r"=(?:[0-7][0-9A-F]|F[0-7](?:=[89AB][0-9A-F]){3}|E[0-9A-F](?:=[89AB][0-9A-F]){2}"
    r"|[CD][0-9A-F]=[89AB][0-9A-F])|.",
    re.DOTALL,
)


def _photo(rng: random.Random, size: int) -> str:
    body = rng.randbytes(size - 24)
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + body
    return base64.b64encode(jpeg + b"\xff\xd9").decode("ascii")


def _phone(rng: random.Random) -> str:
    return f"+{rng.choice([1, 33, 44, 49, 7, 81])} {rng.randint(100, 999)} " \
           f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"


def _iphone_card(rng: random.Random, i: int) -> str:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
             f"N:{_esc(family)};{_esc(given)};;;", f"FN:{_esc(given + ' ' + family)}"]
    if rng.random() < 0.6:
        lines.append(f"ORG:{_esc(rng.choice(COMPANIES))};")
        lines.append(f"TITLE:{_esc(rng.choice(['CTO', 'Engineer', 'Sales, EMEA', 'Manager']))}")
    item = 0
    lines.append(f"TEL;type=CELL;type=VOICE;type=pref:{_phone(rng)}")
    for _ in range(rng.randint(0, 2)):
        item += 1
        lines.append(f"item{item}.TEL:{_phone(rng)}")
        lines.append(f"item{item}.X-ABLabel:{rng.choice(APPLE_PHONE_LABELS)}")
    mail = f"{given.lower()}.{i}@example.com"
    item += 1
    lines.append(f"item{item}.EMAIL;type=INTERNET;type=pref:{mail}")
    lines.append(f"item{item}.X-ABLabel:_$!<Other>!$_")
    if rng.random() < 0.5:
        city, region, code, country = rng.choice(CITIES)
        item += 1
        lines.append(f"item{item}.ADR;type=HOME;type=pref:;;{_esc(rng.choice(STREETS))};"
                     f"{_esc(city)};{_esc(region)};{code};{_esc(country)}")
        lines.append(f"item{item}.X-ABADR:us")
    if rng.random() < 0.3:
        item += 1
        lines.append(f"item{item}.URL;type=pref:https://example.com/{i}")
        lines.append(f"item{item}.X-ABLabel:_$!<HomePage>!$_")
    if rng.random() < 0.4:
        lines.append(f"BDAY;value=date:{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-"
                     f"{rng.randint(1, 28):02d}")
    if rng.random() < 0.4:
        lines.append(f"NOTE:{_esc(rng.choice(NOTES))}")
    if i % 10 == 0:
        lines.append(f"PHOTO;ENCODING=b;TYPE=JPEG:{_photo(rng, 7600)}")
    lines.append(f"UID:{rng.getrandbits(128):032x}")
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def _android_card(rng: random.Random, i: int, soft_breaks: bool) -> str:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    out = ["BEGIN:VCARD\r\n", "VERSION:2.1\r\n"]

    def text(name: str, value: str, params: str = "") -> None:
        if value.isascii() and "\n" not in value:
            out.append(f"{name}{params}:{value}\r\n")
        else:
            head = f"{name}{params};CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
            out.append(head + _qp(value, len(head), soft_breaks) + "\r\n")

    family21 = family.replace(";", "\\;")
    given21 = given.replace(";", "\\;")
    text("N", f"{family21};{given21};;;")
    text("FN", f"{given} {family}")
    out.append(f"TEL;CELL:{_phone(rng)}\r\n")
    if rng.random() < 0.5:
        out.append(f"TEL;HOME;VOICE:{_phone(rng)}\r\n")
    out.append(f"EMAIL;HOME:{given.lower()}.{i}@example.org\r\n")
    if rng.random() < 0.4:
        city, region, code, country = rng.choice(CITIES)
        street = rng.choice(STREETS).replace(";", "\\;")
        text("ADR", f";;{street};{city};{region};{code};{country}", ";HOME")
    if rng.random() < 0.3:
        text("ORG", rng.choice(COMPANIES).replace(";", "\\;"))
    if rng.random() < 0.4:
        out.append(f"BDAY:{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-"
                   f"{rng.randint(1, 28):02d}\r\n")
    if rng.random() < 0.5:
        note = rng.choice(NOTES)
        if rng.random() < 0.3:
            note += "\n" + rng.choice(NOTES)
        text("NOTE", note)
    if i % 10 == 0:  # Android: base64 lines indented by a space, a blank line after
        b64 = _photo(rng, 7600)
        out.append("PHOTO;ENCODING=BASE64;JPEG:" + b64[:48] + "\r\n")
        out.extend(f" {b64[k : k + 76]}\r\n" for k in range(48, len(b64), 76))
        out.append("\r\n")
    out.append("END:VCARD\r\n")
    return "".join(out)


def generate_phone_export(n: int, seed: int = 1, soft_breaks: bool = False) -> bytes:
    """n cards, about half iPhone 3.0 and half Android 2.1, as one .vcf file's bytes."""
    rng = random.Random(seed)
    parts = []
    for i in range(n):
        if rng.random() < 0.5:
            parts.append(_iphone_card(rng, i))
        else:
            parts.append(_android_card(rng, i, soft_breaks))
    return "".join(parts).encode("utf-8")


class GeneratedStream(io.RawIOBase):
    """A file-like view of a generator of byte blocks, made on demand (nothing stored)."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self.blocks = blocks
        self.buffer = b""
        self.size = 0  # bytes handed out so far

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self.buffer) < n:
            block = next(self.blocks, None)
            if block is None:
                break
            self.buffer += block
        if n < 0:
            n = len(self.buffer)
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        self.size += len(out)
        return out


def _big_export_blocks(n: int) -> Iterator[bytes]:
    for i in range(0, n, 200):
        yield b"".join(
            b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;"
            b"Ann %d;;;\r\nFN:Ann %d M\xc3\xbcller\r\nNOTE:Call back Monday, after lunch; met "
            b"at the conference in Berlin, talked about address books\r\nEND:VCARD\r\n" % (j, j)
            for j in range(i, min(i + 200, n))
        )


def big_export_stream(n: int) -> GeneratedStream:
    """n cards "Ann {i} Müller" (2.1, a quoted-printable N, a note), generated as read."""
    return GeneratedStream(_big_export_blocks(n))


def _main() -> None:  # pragma: no cover - a tuning aid
    import sys
    import time

    import vobject

    from netbook.data.vcard import read_vcards, write_vcards

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    data = generate_phone_export(n)
    print(f"{n} cards, {len(data) / 1e6:.1f} MB")
    t = time.perf_counter()
    result = read_vcards(data)
    t_read = time.perf_counter() - t
    print(f"reader:  {t_read:6.2f} s  {n / t_read:8.0f} cards/s "
          f"({len(result.cards)} cards, {len(result.errors)} errors)")
    cards = [pc.card for pc in result.cards]
    t = time.perf_counter()
    out = write_vcards(cards)
    t_write = time.perf_counter() - t
    print(f"writer:  {t_write:6.2f} s  {n / t_write:8.0f} cards/s ({len(out) / 1e6:.1f} MB)")
    text = data.decode("utf-8")
    t = time.perf_counter()
    count = sum(1 for _ in vobject.readComponents(text))
    t_vobj = time.perf_counter() - t
    print(f"vobject: {t_vobj:6.2f} s  {n / t_vobj:8.0f} cards/s ({count} cards)")
    print(f"reader/vobject = {t_read / t_vobj:.2f}, writer/vobject = {t_write / t_vobj:.2f}")


if __name__ == "__main__":
    _main()
