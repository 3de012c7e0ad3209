"""A hostile file can't flood the terminal: `netbook import` shows at most 20 problems per
file and `--report FILE` writes every one of them (file, card number, line, reason).

Before, one 15,000-line file of cards that never end printed 4,999 error lines (465 KB).
"""

from __future__ import annotations

import csv
from pathlib import Path

from netbook.cli import MAX_PROBLEMS_SHOWN, main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def hostile(path: Path, cards: int = 5000) -> Path:
    """15,000 lines: card after card that never reaches its END:VCARD, then a good one."""
    lines = []
    for n in range(cards):
        lines += ["BEGIN:VCARD", "VERSION:3.0", f"FN:Nested {n}"]
    lines += ["BEGIN:VCARD", "VERSION:3.0", "FN:Last One", "END:VCARD"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
    return path


def noisy(path: Path, cards: int = 30) -> Path:
    """Cards that import, each with a line that is no property (a warning apiece)."""
    text = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Warned {n}\r\nno colon here\r\n"
                   "END:VCARD\r\n" for n in range(cards))
    path.write_bytes(text.encode("ascii"))
    return path


def test_a_hostile_file_prints_a_bounded_report(capsys, tmp_path: Path):
    path = hostile(tmp_path / "nested.vcf")
    code, out, err = run(capsys, "import", "--db", str(tmp_path / "db.sqlite3"), str(path))
    assert code == 1  # done in part: the cards that never ended were not imported
    assert out == "1 new, 0 updated, 0 merged, 0 unchanged, 5000 unreadable\n"
    lines = err.splitlines()
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1
    assert lines[0] == (f"{path}: card 1 (line 1): the card has no END:VCARD — BEGIN:VCARD")
    assert lines[-1] == (f"… and {5000 - MAX_PROBLEMS_SHOWN} more "
                         "(netbook import --report FILE writes them all)")
    assert len(err.encode("utf-8")) < 4000  # was 465 KB


def test_the_report_holds_every_problem(capsys, tmp_path: Path):
    bad = hostile(tmp_path / "nested.vcf", cards=300)
    warned = noisy(tmp_path / "warned.vcf")
    report = tmp_path / "problems.csv"
    code, out, err = run(capsys, "import", "--db", str(tmp_path / "db.sqlite3"),
                         "--report", str(report), str(bad), str(warned))
    assert code == 1
    assert out.startswith("31 new, ")
    # per file: 20 lines and where the rest are
    assert err.count(f"{bad}: card ") == MAX_PROBLEMS_SHOWN
    assert err.count(f"{warned}: card ") == MAX_PROBLEMS_SHOWN
    assert f"… and 280 more (all of them are in {report})" in err
    assert f"… and 10 more (all of them are in {report})" in err
    with report.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["file", "card", "line", "kind", "reason", "first line"]
    unread = [r for r in rows if r["file"] == str(bad)]
    assert len(unread) == 300
    assert unread[1] == {"file": str(bad), "card": "2", "line": "4",
                         "kind": "card not imported", "reason": "the card has no END:VCARD",
                         "first line": "BEGIN:VCARD"}
    notes = [r for r in rows if r["file"] == str(warned)]
    assert len(notes) == 30
    assert notes[29] == {"file": str(warned), "card": "30", "line": "146", "kind": "warning",
                         "reason": "ignored a line that is not a property: no colon here",
                         "first line": ""}


def test_a_file_that_cant_be_read_is_in_the_report_too(capsys, tmp_path: Path):
    report = tmp_path / "problems.csv"
    code, _, err = run(capsys, "import", "--db", str(tmp_path / "db.sqlite3"),
                       "--report", str(report), str(tmp_path / "missing.vcf"))
    assert code == 2
    assert "Nothing was imported." in err
    with report.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["file"], r["kind"]) for r in rows] == [
        (str(tmp_path / "missing.vcf"), "file not read")]


def test_card_text_reaches_the_terminal_without_control_characters(capsys, tmp_path: Path):
    db = str(tmp_path / "db.sqlite3")
    first, second = tmp_path / "a.vcf", tmp_path / "b.vcf"
    first.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\x1b[2J\r\nTEL:+1 555 0100\r\n"
                      b"END:VCARD\r\n")
    second.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann B\x1b]0;owned\x07\r\n"
                       b"TEL:+1 555 0100\r\nEND:VCARD\r\n")
    run(capsys, "import", "--db", db, str(first))
    _, _, err = run(capsys, "import", "--db", db, str(second))
    assert "probable duplicate kept separately: Ann B^[]0;owned^G ~ Ann^[[2J" in err
    assert "\x1b" not in err and "\x07" not in err


def test_the_report_is_private_and_opens_in_a_spreadsheet_as_text(capsys, tmp_path: Path,
                                                                   monkeypatch):
    """It quotes the cards, so only you can read it (0600), like an export; a file named
    like a formula stays text in a spreadsheet."""
    monkeypatch.chdir(tmp_path)
    hostile(tmp_path / "=SUM(1).vcf", cards=2)
    report = tmp_path / "problems.csv"
    code, _, _ = run(capsys, "import", "--db", str(tmp_path / "db.sqlite3"),
                     "--report", str(report), "=SUM(1).vcf")
    assert code == 1
    assert report.stat().st_mode & 0o777 == 0o600
    with report.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["file"] for r in rows] == ["'=SUM(1).vcf", "'=SUM(1).vcf"]


def test_a_file_whose_name_reads_like_a_card_number_is_reported_whole(capsys, tmp_path: Path):
    warned = noisy(tmp_path / "notes: card 3 (line 9): x.vcf", cards=2)
    report = tmp_path / "problems.csv"
    code, _, _ = run(capsys, "import", "--db", str(tmp_path / "db.sqlite3"),
                     "--report", str(report), str(warned))
    assert code == 0
    with report.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["file"], r["card"], r["line"]) for r in rows] == [
        (str(warned), "1", "1"), (str(warned), "2", "6")]
    assert {r["reason"] for r in rows} == {
        "ignored a line that is not a property: no colon here"}
