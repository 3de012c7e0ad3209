"""The whole-file check runs when it is due, not at every open (issue 12, 8; issues 11
and 14: it cost 0.2–0.5 s of every command at 100,000 contacts): at most once a day,
after an unclean close, after the file changed behind netbook's back, and after an
error said it is damaged. Damage met in between is said at once all the same, and
nothing more is written into the file."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import peewee
import pytest
from helpers import fail_the_check_once, make_card

from netbook.cli import main
from netbook.data import checkup
from netbook.data import db as dbmod
from netbook.data.contacts import ListQuery, Store

ROOT = Path(__file__).resolve().parents[2]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return "".join(hashlib.sha1(p.read_bytes()).hexdigest() for p in
                   (path, Path(f"{path}-wal")) if p.exists() and p.stat().st_size)


def book(path: Path, n: int = 40) -> None:
    with Store.open(path) as store:
        for i in range(n):
            store.add_contact(make_card(f"Person {i:03} Example", note="n" * 300))


def last_checked(path: Path) -> float | None:
    return checkup.read(path).checked


def due(path: Path) -> str | None:
    """Whether a netbook opening the file now would find the check due, and why."""
    watch = checkup.Watch.start(path)
    try:
        return watch.due()
    finally:
        watch.close(clean=False)


def damage_the_data(path: Path) -> None:
    """Scribble over the root page of every table and index but the schema's, as a
    failing disk would: the book opens, and whatever reads a contact meets the damage."""
    con = sqlite3.connect(path)
    roots = [r for (r,) in con.execute(
        "SELECT rootpage FROM sqlite_master WHERE rootpage > 1")]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    for root in roots:
        start = (root - 1) * size
        data[start + 8:start + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


def as_if_netbook_closed_it(path: Path) -> None:
    """What a netbook closing the file cleanly notes: the damage above came after, unseen
    (a disk going bad), so the check is not due."""
    checkup.Watch.start(path).close()


@pytest.fixture
def unseen_damage(db_path: Path) -> Path:
    book(db_path)
    damage_the_data(db_path)
    as_if_netbook_closed_it(db_path)
    assert due(db_path) is None
    return db_path


def test_a_book_closed_cleanly_is_not_checked_again_the_same_day(db_path):
    book(db_path)
    checked = last_checked(db_path)
    assert checked is not None  # new: whole by definition
    for _ in range(3):
        with Store.open(db_path) as store:  # a command that writes
            store.add_contact(make_card("Someone New"))
    assert last_checked(db_path) == checked


def test_the_check_is_due_once_a_day(db_path, capsys):
    book(db_path)
    record = json.loads(checkup.sidecar(db_path).read_text())
    record["checked"] = time.time() - 25 * 3600
    checkup.sidecar(db_path).write_text(json.dumps(record))
    assert "more than a day ago" in due(db_path)
    assert cli(capsys, "list", "--db", str(db_path))[0] == 0  # reading: not now
    assert last_checked(db_path) == record["checked"]
    assert cli(capsys, "log", "--db", str(db_path), "Person 001", "--kind", "call")[0] == 0
    assert time.time() - last_checked(db_path) < 60  # writing: checked first


def test_a_book_left_open_by_a_crash_is_checked_before_the_next_write(db_path):
    book(db_path)
    crash = ("import os, sys\nfrom netbook.data.contacts import Store\n"
             "from helpers import make_card\n"
             "store = Store.open(sys.argv[1])\n"
             "store.add_contact(make_card('Written Then Killed'))\n"
             "os._exit(0)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    subprocess.run([sys.executable, "-c", crash, str(db_path)], cwd=ROOT, env=env,
                   check=True, timeout=60)
    assert Path(f"{db_path}-wal").stat().st_size > 0
    assert "not closed cleanly" in due(db_path)
    before = last_checked(db_path)
    with Store.open(db_path) as store:
        assert store.count() == 41
    assert last_checked(db_path) > before


def test_another_netbook_with_the_book_open_is_no_unclean_close(store, db_path):
    store.add_contact(make_card("Ada Lovelace"))  # in the log, which is live
    assert Path(f"{db_path}-wal").stat().st_size > 0
    assert due(db_path) is None


def test_a_file_changed_behind_netbooks_back_is_checked(db_path, tmp_path):
    book(db_path)
    other = tmp_path / "elsewhere.sqlite3"
    book(other, 3)
    os.replace(other, db_path)  # copied or synced over
    assert "changed since netbook last closed it" in due(db_path)


def test_a_command_that_only_reads_leaves_a_due_check_due(db_path, capsys):
    book(db_path)
    damage_the_data(db_path)  # behind netbook's back: due
    code, _, err = cli(capsys, "list", "--db", str(db_path))
    assert code != 0 and "netbook restore" in err
    code, _, err = cli(capsys, "log", "--db", str(db_path), "Person 001", "--kind", "call")
    assert code != 0 and "opened read-only" in err


@pytest.mark.parametrize("args", [
    ("list",),
    ("export",),
    ("log", "Person 001", "--kind", "call"),
    ("set", "Person 001", "--needs", "a designer"),
    ("week",),
], ids=lambda a: a[0])
def test_a_command_that_meets_damage_the_check_missed_says_so_and_writes_nothing(
        unseen_damage, capsys, args):
    before = digest(unseen_damage)
    code, _, err = cli(capsys, args[0], "--db", str(unseen_damage), *args[1:])
    assert code != 0
    assert "damaged" in err and "netbook restore" in err
    assert "Traceback" not in err
    assert digest(unseen_damage) == before
    # and the next command checks first: read-only from the start, saying why
    code, _, err = cli(capsys, "list", "--db", str(unseen_damage))
    assert "opened read-only" in err and "netbook restore" in err
    assert digest(unseen_damage) == before


def test_damage_met_during_use_makes_the_store_read_only(unseen_damage):
    with Store.open(unseen_damage) as store:
        assert store.db.damage is None
        with pytest.raises(peewee.DatabaseError, match="malformed"):
            store.list_rows(ListQuery())
        assert "netbook restore" in (store.db.damage or "")
        with pytest.raises(dbmod.DamagedDatabase, match="netbook restore"):
            store.add_contact(make_card("Someone New"))
    assert "an error said it is damaged" in due(unseen_damage)


def test_a_restore_mends_what_damage_during_use_found(unseen_damage, tmp_path, capsys):
    fresh = tmp_path / "fresh" / "netbook.sqlite3"
    fresh.parent.mkdir()
    book(fresh, 2)
    backup = dbmod.backup_file(fresh, "good")
    assert cli(capsys, "list", "--db", str(unseen_damage))[0] != 0
    assert cli(capsys, "restore", "--db", str(unseen_damage), str(backup))[0] == 0
    assert due(unseen_damage) is None  # checked as it went in
    code, out, err = cli(capsys, "list", "--db", str(unseen_damage))
    assert code == 0 and "damaged" not in err and out.count("\n") == 2


def test_the_sidecar_is_private(db_path):
    old = os.umask(0o022)
    try:
        book(db_path, 1)
    finally:
        os.umask(old)
    assert checkup.sidecar(db_path).stat().st_mode & 0o777 == 0o600


def test_without_file_locks_books_open_and_a_check_holds_for_the_day(tmp_path, capsys,
                                                                     monkeypatch):
    """Windows has no flock(): there a clean close can't be told from a crash, so only
    the daily rule skips the check — books still open, read and write."""
    monkeypatch.setattr(checkup, "fcntl", None)
    path = tmp_path / "book.sqlite3"
    book(path, n=3)
    code, out, _ = cli(capsys, "--db", str(path), "list")
    assert code == 0 and "Person 002 Example" in out
    checkup.record_good(path)
    assert due(path) is None


def test_a_read_error_during_the_check_is_no_damage_and_the_check_stays_due(
        db_path, capsys, monkeypatch):
    book(db_path)
    record = json.loads(checkup.sidecar(db_path).read_text())
    record["checked"] = time.time() - 25 * 3600
    checkup.sidecar(db_path).write_text(json.dumps(record))
    fail_the_check_once(monkeypatch)
    code, _, err = cli(capsys, "log", "--db", str(db_path), "Person 001", "--kind", "call")
    assert code == 0  # the book was written: not read-only
    assert "check could not run (disk I/O error)" in err and "read-only" not in err
    monkeypatch.undo()
    assert checkup.read(db_path).damage is None
    assert "more than a day ago" in due(db_path)  # still due: it never ran
    code, _, err = cli(capsys, "log", "--db", str(db_path), "Person 002", "--kind", "call")
    assert code == 0 and err == ""
    assert time.time() - last_checked(db_path) < 60  # and now it ran, and found it whole


def test_damage_found_by_the_check_is_said_in_one_short_line(db_path, capsys):
    book(db_path, 200)
    damage_the_data(db_path)  # behind netbook's back: due
    code, _, err = cli(capsys, "log", "--db", str(db_path), "Person 001", "--kind", "call")
    assert code != 0 and "opened read-only" in err
    said = checkup.read(db_path).damage
    assert "\n" not in said and "***" not in said and len(said) < 200
    assert " more" in said, said


@pytest.mark.parametrize("garbled", ['{"checked": "yesterday"}', '{"closed": 7}',
                                     '{"damage": 1, "damage_of": [1, 2]}', '[1, 2]'])
def test_a_sidecar_holding_the_wrong_kinds_only_makes_the_check_due(
        db_path, capsys, garbled):
    book(db_path)
    checkup.sidecar(db_path).write_text(garbled)
    code, out, err = cli(capsys, "stats", "--db", str(db_path))
    assert code == 0 and "Traceback" not in err and "week of" in out
    assert due(db_path) == "it was never checked"
