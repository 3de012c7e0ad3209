"""Bad input never sinks a file: each problem is reported briefly, the rest is read."""

from __future__ import annotations

import io
import os
import tracemalloc

import pytest
from helpers import bench_module

from netbook.data.vcard import ParsedCard, iter_vcards, read_vcards


def vcf(*lines: str | bytes) -> bytes:
    return b"".join((ln.encode() if isinstance(ln, str) else ln) + b"\r\n" for ln in lines)


def card(name: str, *extra: str | bytes) -> bytes:
    return vcf("BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", f"N:{name};;;;", *extra, "END:VCARD")


def test_empty_file():
    assert read_vcards(b"").file_error == "empty file"
    assert read_vcards(b"  \r\n\r\n\t\n").file_error == "empty file"


def test_empty_file_from_a_stream_yields_one_file_level_error():
    (only,) = list(iter_vcards(io.BytesIO(b""), "empty.vcf"))
    assert only.is_file_error
    assert str(only) == "empty.vcf: empty file"


def test_binary_files():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000)
    assert read_vcards(png).file_error == "this is a PNG image, not a vCard file"
    junk = bytes(range(256)) * 40
    assert read_vcards(junk).file_error == "this is a binary file, not a vCard file"


def test_not_a_vcard_file():
    result = read_vcards(b"Dear all,\r\nplease find my contacts attached.\r\n")
    assert result.file_error == "not a vCard file (no BEGIN:VCARD found)"
    assert result.cards == []


def test_calendar_file():
    ics = vcf("BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "SUMMARY:Lunch",
              "END:VEVENT", "END:VCALENDAR")
    assert read_vcards(ics).file_error == (
        "this is a calendar file (BEGIN:VCALENDAR), not contacts")


def test_last_card_without_end_is_an_error_and_the_rest_is_kept():
    data = card("One") + card("Two") + vcf("BEGIN:VCARD", "VERSION:3.0", "FN:Three")
    result = read_vcards(data, "cut.vcf")
    assert [pc.card.formatted_name for pc in result.cards] == ["One", "Two"]
    (error,) = result.errors
    assert (error.card_number, error.line) == (3, 11)
    assert "no END:VCARD" in error.reason
    assert result.file_error is None


def test_card_without_end_in_the_middle_does_not_swallow_the_next():
    data = card("One") + vcf("BEGIN:VCARD", "VERSION:3.0", "FN:Broken") + card("Three")
    result = read_vcards(data)
    assert [pc.card.formatted_name for pc in result.cards] == ["One", "Three"]
    assert [pc.number for pc in result.cards] == [1, 3]
    assert [e.card_number for e in result.errors] == [2]


def test_a_10_mb_line_gives_a_short_error_without_the_line():
    huge = b"NOTE:" + b"x" * (10 * 1024 * 1024)
    data = card("Before") + card("Huge", huge) + card("After")
    result = read_vcards(data, "big.vcf")
    assert [pc.card.formatted_name for pc in result.cards] == ["Before", "After"]
    (error,) = result.errors
    assert error.card_number == 2
    assert len(str(error)) < 200
    assert "xxxxxxxxxx" not in str(error)
    assert len(error.first_line) <= 80


def test_a_10_mb_first_line_is_cut_to_80_characters():
    data = b"BEGIN:VCARD " + b"y" * (10 * 1024 * 1024) + b"\r\nFN:A\r\n"
    result = read_vcards(data, "big.vcf")
    (error,) = result.errors
    assert len(error.first_line) <= 80
    assert len(str(error)) < 250


def test_a_10_mb_junk_file_without_line_ends():
    result = read_vcards(b"z" * (10 * 1024 * 1024))
    assert result.file_error == "not a vCard file (no BEGIN:VCARD found)"


def test_bad_base64_photo_keeps_the_contact():
    data = card("Ann", "PHOTO;ENCODING=b;TYPE=JPEG:####", "TEL:1") + card("Bob")
    result = read_vcards(data)
    ann, bob = result.cards
    assert ann.card.photo_bytes is None
    assert ann.card.phones[0].value == "1"
    assert ann.warnings == ["bad base64 in PHOTO: photo dropped"]
    assert bob.warnings == []


def test_undecodable_bytes_are_read_as_windows_1252_with_a_warning():
    result = read_vcards(card("Ann", b"NOTE:caf\xe9 \x80 \x81\xff"))
    (parsed,) = result.cards
    assert parsed.card.note == "café € \x81ÿ"
    assert parsed.warnings == [
        "text with no CHARSET was guessed to be windows-1252: check its accented letters"]


def test_declared_utf8_with_a_bad_byte_keeps_the_good_characters():
    line = b"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=C3=91=80"
    (parsed,) = read_vcards(card("Ann", line)).cards
    assert parsed.card.organization == "ÑÑ€"


def test_nul_bytes_inside_a_text_file_later_on():
    data = card("Ann") + b"\x00\x00\x00garbage\x00\r\n" + card("Bob")
    result = read_vcards(data)
    assert [pc.card.formatted_name for pc in result.cards] == ["Ann", "Bob"]


# ---------------------------------------------------------------------------
# streaming: memory stays bounded however large the file


@pytest.mark.slow  # 23 MB through the reader under tracemalloc (~6× slower): ~15 s
def test_100000_cards_stream_through_in_bounded_memory():
    """Every card is read, holding a few chunks of the file at a time. How long it takes
    is `make bench`'s figure ("stream 100,000 cards"), never asserted here."""
    n = 100_000
    stream = bench_module("vcard_gen").big_export_stream(n)
    count = 0
    last = None
    tracemalloc.start()
    try:
        for item in iter_vcards(stream, "big.vcf"):
            assert isinstance(item, ParsedCard)
            count += 1
            last = item
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n
    assert last is not None
    assert last.card.formatted_name == f"Ann {n - 1} Müller"
    assert last.card.name_parts.family == "Müller"
    assert last.card.note.startswith("Call back Monday, after lunch; met at the conference")
    assert stream.size > 20_000_000  # the file is over 20 MB …
    assert peak < 12_000_000  # … the reader holds a few 1 MB chunks of it, never the file
