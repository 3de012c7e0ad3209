"""Backups you can trust (issue 12, 1 and 5): a backup is checked before it gets its
name, a failed one aborts the import and prunes nothing, and `restore` refuses a
damaged backup naming the problem. A full disk is a file-size limit in a child process
(RLIMIT_FSIZE: writes past it fail as they do on a full disk)."""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_card

from netbook.cli import main
from netbook.data import db as dbmod
from netbook.data.contacts import Store

ROOT = Path(__file__).resolve().parents[2]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def book(db_path: Path, n: int = 30) -> None:
    with Store.open(db_path) as store:
        for i in range(n):
            store.add_contact(make_card(f"Person {i:03} Example", phones=[f"+1 555 01{i:02}"],
                                        note="x" * 400))


def with_file_size_limit(limit: int, *args: str) -> subprocess.CompletedProcess:
    """`netbook ARGS` in a child process that can't write a file past `limit` bytes."""
    def limit_writes() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "netbook", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, preexec_fn=limit_writes)


def count(db_path: Path) -> int:
    with Store.open(db_path) as store:
        return store.count()


def damage(path: Path) -> None:
    """Scribble over every page but the first, as a failing disk would."""
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data) - 100, 4096):
        data[offset + 40:offset + 400] = bytes(range(256)) + bytes(104)
    path.write_bytes(bytes(data))


def test_a_backup_is_whole_checked_private_and_one_file(db_path):
    book(db_path, 3)
    backup = dbmod.backup_file(db_path, "manual")
    assert backup is not None and dbmod.backup_problem(backup) is None
    assert backup.stat().st_mode & 0o777 == 0o600
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal beside it
    con.close()
    assert not [p for p in backup.parent.iterdir() if p.name.endswith(".partial")]


def test_import_on_a_full_disk_imports_nothing_and_prunes_no_backup(db_path, tmp_path):
    book(db_path)
    for n in range(dbmod.BACKUPS_KEPT):
        dbmod.backup_file(db_path, f"old{n}")
    before = sorted(p.name for p in dbmod.backups_dir(db_path).iterdir())
    cards = tmp_path / "new.vcf"
    cards.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Newcomer\r\nEND:VCARD\r\n")
    size = db_path.stat().st_size + Path(f"{db_path}-wal").stat().st_size

    done = with_file_size_limit(size // 3, "import", "--db", str(db_path), str(cards))

    assert done.returncode == 2, done.stderr
    assert "the disk is full — nothing was imported" in done.stderr
    assert "Traceback" not in done.stderr
    assert count(db_path) == 30
    # no 0-byte "backup", no half-written one, and the oldest good one is still there
    assert sorted(p.name for p in dbmod.backups_dir(db_path).iterdir()) == before


def test_a_write_on_a_full_disk_says_so_and_changes_nothing(db_path):
    book(db_path, 3)
    with Store.open(db_path) as store:
        store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    # the write-ahead log starts empty; the 100 kB note can't fit under 64 kB
    done = with_file_size_limit(64 * 1024, "set", "--db", str(db_path), "Person 001",
                                "--needs", "n" * 100_000)

    assert done.returncode == 2
    assert "the disk is full; nothing was changed" in done.stderr
    assert "no transaction is active" not in done.stderr
    with Store.open(db_path) as store:
        assert store.db.execute_sql("PRAGMA quick_check").fetchone()[0] == "ok"
        assert store.db.execute_sql("SELECT count(*) FROM contact WHERE needs != ''"
                                    ).fetchone()[0] == 0


@pytest.mark.parametrize(("spoil", "problem"), [
    (lambda p: p.write_bytes(b""), "is empty (0 bytes)"),
    (damage, "is damaged"),
    (lambda p: p.write_bytes(b"not a database at all, just text"), "not an SQLite database"),
], ids=["empty", "scribbled", "not-sqlite"])
def test_restore_lists_and_refuses_a_damaged_backup(capsys, db_path, spoil, problem):
    book(db_path)
    good = dbmod.backup_file(db_path, "good")
    bad = dbmod.backups_dir(db_path) / f"{db_path.stem}-29991231-000000-000000-bad.sqlite3"
    bad.write_bytes(good.read_bytes())
    spoil(bad)

    code, out, _ = cli(capsys, "restore", "--db", str(db_path), "--list")
    assert code == 0
    first, second = out.splitlines()[:2]
    assert first.startswith("1\t" + bad.name) and "DAMAGED" in first and problem in first
    assert second == f"2\t{good.name}"

    code, _, err = cli(capsys, "restore", "--db", str(db_path), "1")
    assert code == 2
    assert problem in err and "nothing was changed" in err
    assert count(db_path) == 30


def test_restore_refuses_a_database_of_another_program(capsys, db_path, tmp_path):
    book(db_path, 2)
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.commit()
    con.close()
    code, _, err = cli(capsys, "restore", "--db", str(db_path), str(other))
    assert code == 2
    assert "holds no netbook address book" in err
    assert count(db_path) == 2


def test_pruning_keeps_good_backups_and_counts_no_empty_one(db_path):
    book(db_path, 2)
    for n in range(dbmod.BACKUPS_KEPT):
        dbmod.backup_file(db_path, f"good{n}")
    empty = dbmod.backups_dir(db_path) / f"{db_path.stem}-29991231-000000-000000-empty.sqlite3"
    empty.write_bytes(b"")
    dbmod.backup_file(db_path, "newest")
    kept = dbmod.list_backups(db_path)
    good = [b for b in kept if dbmod.backup_problem(b) is None]
    assert len(good) == dbmod.BACKUPS_KEPT
    assert empty in kept  # not deleted: it may be looked at, and it is listed as damaged


def test_restore_over_a_damaged_database_keeps_a_copy_of_it(capsys, db_path):
    book(db_path, 4)
    backup = dbmod.backup_file(db_path, "good")
    with Store.open(db_path) as store:
        store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(db_path)
    code, _, err = cli(capsys, "restore", "--db", str(db_path), str(backup))
    assert code == 0, err
    assert count(db_path) == 4
    kept = [b for b in dbmod.list_backups(db_path) if "damaged-before-restore" in b.name]
    assert len(kept) == 1 and dbmod.backup_problem(kept[0])


def test_restoring_the_oldest_backup_keeps_it_and_every_other_listed(capsys, db_path):
    """Restore the wrong one first, then the right one: nothing a restore chose from
    has gone."""
    book(db_path, 1)
    for n in range(dbmod.BACKUPS_KEPT):
        with Store.open(db_path) as store:
            store.add_contact(make_card(f"Added {n} Later"))
        dbmod.backup_file(db_path, f"step{n}")
    before = dbmod.list_backups(db_path)
    oldest = before[-1]
    code, _, err = cli(capsys, "restore", "--db", str(db_path), str(len(before)))
    assert code == 0, err
    assert count(db_path) == 2  # the first contact and the one added before that backup
    after = dbmod.list_backups(db_path)
    assert set(before) <= set(after) and "before-restore" in after[0].name
    code, out, _ = cli(capsys, "restore", "--db", str(db_path), "--list")
    assert f"{len(after)}\t{oldest.name}" in out.splitlines()
    code, _, err = cli(capsys, "restore", "--db", str(db_path), "2")  # the newest, after all
    assert code == 0, err
    assert count(db_path) == 1 + dbmod.BACKUPS_KEPT
