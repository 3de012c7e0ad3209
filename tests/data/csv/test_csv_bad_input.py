"""What real CSV files do wrong, and what a user is told: files that are none of the
formats, a broken quote, a line or cell too large, mixed encodings, a huge file — each
with a clear message naming the row ("card N") and line, the rest imported, memory
bounded, and nothing half-written."""

from __future__ import annotations

import codecs
import io
import tracemalloc

import pytest
from helpers import CSV_SAMPLES, contact_named, import_contacts

from netbook.data import importing
from netbook.data.csv.detect import ContactsReader, detect_format
from netbook.data.csv.layout import read_table
from netbook.data.csv.linkedin import LINKEDIN
from netbook.data.csv.table import RecordError, RecordReader
from netbook.data.importing import plan_import

LI_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def plan_of(store, path, **options):
    return plan_import(store, [path], reader=ContactsReader(**options))


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("data", "words"), [
    (b"", "is empty"),
    (b"\n\n  \n", "holds only blank lines"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "holds binary data"),
    (b"just some notes\nabout nothing\n", "is neither a vCard nor a CSV file"),
])
def test_a_file_that_is_no_contacts_file_is_refused_with_a_reason(store, tmp_path, data,
                                                                  words):
    plan = plan_of(store, write(tmp_path, "contacts.csv", data))
    assert [words in message for _, message in plan.file_errors] == [True]
    assert plan.items == []


def test_the_format_is_recognised_by_content_not_by_name(tmp_path):
    vcard = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n"
    assert detect_format(vcard).format == "vcard"
    assert detect_format(b"junk before\r\n" + vcard).format == "vcard"
    assert detect_format(codecs.BOM_UTF16_LE + vcard.decode().encode("utf-16-le")).format \
        == "vcard"
    for name, fmt in (("linkedin_Connections.csv", "linkedin"),
                      ("linkedin_preamble_only.csv", "linkedin"),
                      ("google_contacts.csv", "google"), ("google_legacy.csv", "google"),
                      ("outlook_desktop_cp1252.csv", "outlook"),
                      ("outlook_com_utf16.csv", "outlook"), ("attendees.csv", "csv")):
        assert detect_format((CSV_SAMPLES / name).read_bytes()).format == fmt, name


def test_a_vcard_called_csv_imports_as_a_vcard(store, tmp_path):
    path = write(tmp_path, "export.csv", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\n"
                                         b"END:VCARD\r\n")
    _, summary = import_contacts(store, path)
    assert summary.new == 1


def test_a_forced_format_that_does_not_fit_says_so(store):
    plan = plan_of(store, CSV_SAMPLES / "google_contacts.csv", forced="linkedin")
    [(_, message)] = plan.file_errors
    assert message.startswith("is not a LinkedIn connections export")
    plan = plan_of(store, CSV_SAMPLES / "linkedin_Connections.csv", forced="outlook")
    assert "is not an Outlook CSV" in plan.file_errors[0][1]


def test_linkedin_with_the_preamble_only(store):
    plan = plan_of(store, CSV_SAMPLES / "linkedin_preamble_only.csv")
    assert [m for _, m in plan.file_errors] == [
        "is a LinkedIn export with only its “Notes:” preamble and no connections "
        "(LinkedIn may still be preparing the full archive)"]


def test_a_header_without_rows(store, tmp_path):
    plan = plan_of(store, write(tmp_path, "c.csv", LI_HEADER.encode()))
    assert [m for _, m in plan.file_errors] == [
        "is a LinkedIn connections export with no connections in it"]


def test_an_unbalanced_quote_loses_its_row_only(store, tmp_path):
    data = (LI_HEADER
            + "Ada,Lovelace,https://x.example/in/ada,,Engines,Programmer,12 Mar 2024\n"
            + 'Bob,Burns,https://x.example/in/bob,,"Acme, Inc,Boss,01 Feb 2023\n'
            + "Cy,Young,https://x.example/in/cy,,Baseball,Pitcher,02 Feb 2023\n"
            + 'Di,Lane,https://x.example/in/di,,"Lane, Ltd",Owner,03 Feb 2023\n')
    path = write(tmp_path, "Connections.csv", data.encode())
    plan, summary = import_contacts(store, path)
    assert summary.line() == "3 new, 0 updated, 0 merged, 0 unchanged, 1 unreadable"
    [error] = plan.errors
    assert str(error).startswith(f"{path}: card 2 (line 3): an unbalanced quote")
    assert error.first_line.startswith('Bob,Burns,')
    assert contact_named(store, "Di Lane").card.organization == "Lane, Ltd"


def test_an_unclosed_quote_at_the_end_of_the_file(store, tmp_path):
    data = (LI_HEADER + "Ada,Lovelace,,,Engines,Programmer,12 Mar 2024\n"
            + 'Bob,Burns,,,"Acme\nCy,Young,,,Baseball,Pitcher,02 Feb 2023\n')
    plan, summary = import_contacts(store, write(tmp_path, "c.csv", data.encode()))
    assert (summary.new, summary.unreadable) == (2, 1)
    assert (plan.errors[0].card_number, plan.errors[0].line) == (2, 3)


def test_a_line_or_a_cell_too_large_is_an_error_for_its_row(store, tmp_path):
    huge_line = "x" * (2 << 20)
    huge_cell = '"' + "y" * (200 << 10) + '"'
    data = (LI_HEADER + "Ada,Lovelace,,,Engines,Programmer,12 Mar 2024\n"
            + huge_line + "\n" + f"Bob,Burns,,,{huge_cell},Boss,01 Feb 2023\n"
            + "Cy,Young,,,Baseball,Pitcher,02 Feb 2023\n")
    plan, summary = import_contacts(store, write(tmp_path, "c.csv", data.encode()))
    assert (summary.new, summary.unreadable) == (2, 2)
    assert [(e.card_number, e.line) for e in plan.errors] == [(2, 3), (3, 4)]
    assert "a line longer than 1 MB" in plan.errors[0].reason
    assert "a cell larger than 128 KB" in plan.errors[1].reason


def test_mixed_encodings_read_right_and_say_so(store, tmp_path):
    data = (LI_HEADER.encode() + "Björn,Müller,,,Söhne,Chef,03 Jan 2022\n".encode()
            + "Zoë,Ångström,,,Café,Barista,04 Jan 2022\n".encode("cp1252"))
    plan, summary = import_contacts(store, write(tmp_path, "c.csv", data))
    assert summary.new == 2
    assert contact_named(store, "Zoë Ångström").card.organization == "Café"
    assert contact_named(store, "Björn Müller").card.organization == "Söhne"
    assert plan.warnings == [f"{tmp_path / 'c.csv'}: card 2 (line 3): this line was not UTF-8 "
                             "like the lines before it; it was read as Windows-1252 (check "
                             "its accents)"]


def test_old_mac_line_ends_also_inside_quoted_cells(store, tmp_path):
    data = (LI_HEADER.replace("\n", "\r") + 'Ada,Lovelace,,,"Engines\rLtd",X,12 Mar 2024\r')
    import_contacts(store, write(tmp_path, "c.csv", data.encode()))
    assert contact_named(store, "Ada Lovelace").card.organization == "Engines\nLtd"


def test_a_row_with_nobody_in_it(store, tmp_path):
    data = LI_HEADER + ",,,,,,12 Mar 2024\n" + ",,,,,,\n"  # the blank row is skipped
    plan = plan_of(store, write(tmp_path, "c.csv", data.encode()))
    assert [(e.card_number, e.reason) for e in plan.errors] == [
        (1, "no name, email, phone or organisation in this row")]


def test_too_many_contacts_for_one_import_writes_nothing(store, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_IMPORT_CARDS", 3)
    plan = plan_of(store, CSV_SAMPLES / "linkedin_Connections.csv")
    assert plan.items == []
    assert "holds more than 3 contacts" in plan.file_errors[0][1]


class Synthetic(io.RawIOBase):
    """A file of `size` bytes made up as it is read: a header, a few rows, a huge
    middle of `filler`, a few rows — without ever holding it."""

    def __init__(self, head: bytes, filler: bytes, size: int, tail: bytes) -> None:
        self.parts = [head]
        self.filler, self.left, self.tail = filler, size, tail
        self.done = 0

    def read(self, n: int = -1) -> bytes:
        n = 1 << 20 if n < 0 else n
        if self.parts:
            return self.parts.pop()
        if self.left > 0:
            take = min(n, self.left)
            self.left -= take
            start = self.done % len(self.filler)
            self.done += take
            return (self.filler * ((start + take) // len(self.filler) + 1))[start:start + take]
        out, self.tail = self.tail[:n], self.tail[n:]
        return out


def test_a_200_mb_file_is_streamed_in_bounded_memory():
    rows = "Ada,Lovelace,,,Engines,Programmer,12 Mar 2024\n"
    source = Synthetic((LI_HEADER + rows).encode(), b"z", 200 << 20,
                       ("\n" + rows.replace("Ada", "Bea")).encode())
    tracemalloc.start()
    try:
        items = list(read_table(source, "big.csv", LINKEDIN))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [getattr(i, "reason", None) for i in items] == [None, "a line longer than 1 MB",
                                                           None]
    assert [i.card.display_name for i in items if hasattr(i, "card")] == [
        "Ada Lovelace", "Bea Lovelace"]
    assert peak < 16 << 20


def test_records_of_a_long_file_are_not_kept():
    row = b'Ada,Lovelace,,,"Engines, Ltd",Programmer,12 Mar 2024\n'
    count = 100_000
    source = Synthetic(LI_HEADER.encode(), row, len(row) * count, b"")
    tracemalloc.start()
    try:
        seen = sum(1 for r in RecordReader(source) if not isinstance(r, RecordError))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seen == count + 1
    assert peak < 16 << 20
