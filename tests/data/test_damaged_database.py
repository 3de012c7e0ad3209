"""A damaged database is opened read-only (issue 12, 8): `log`, `set` and `week` can't
keep writing into a malformed file, and what they say names `netbook restore`."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import damage_a_book, make_card

from netbook.data import db as dbmod
from netbook.data.contacts import Store
from netbook.data.importing import plan_import
from netbook.data.vcard.writer import card_to_text

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "netbook", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def digest(path: Path) -> str:
    return "".join(hashlib.sha1(p.read_bytes()).hexdigest() for p in
                   (path, Path(f"{path}-wal")) if p.exists() and p.stat().st_size)


@pytest.fixture
def damaged(db_path: Path) -> Path:
    return damage_a_book(db_path)


@pytest.fixture
def vcard_file(tmp_path: Path) -> Path:
    path = tmp_path / "new.vcf"
    path.write_text(card_to_text(make_card("New Person")))
    return path


@pytest.mark.parametrize("args", [
    ("log", "Person 001", "--kind", "call"),
    ("set", "Person 001", "--needs", "a designer"),
    ("week",),
    ("demo",),
], ids=lambda a: a[0])
def test_writes_into_a_damaged_database_are_refused_naming_restore(damaged, args):
    before = digest(damaged)
    done = run(args[0], "--db", str(damaged), *args[1:])
    assert done.returncode != 0 or args[0] == "week"
    assert "damaged" in done.stderr and "netbook restore" in done.stderr
    assert "Traceback" not in done.stderr
    assert digest(damaged) == before


def test_a_damaged_database_opens_read_only_with_its_reason(damaged):
    with Store.open(damaged) as store:
        assert store.db.damage and "netbook restore" in store.db.damage
        with pytest.raises(dbmod.DamagedDatabase, match="netbook restore"):
            store.add_contact(make_card("Someone New"))


def test_restore_mends_a_damaged_database(damaged, tmp_path):
    # a backup from before the damage (made here from a fresh copy of the same book)
    fresh = tmp_path / "fresh" / "netbook.sqlite3"
    fresh.parent.mkdir()
    with Store.open(fresh) as store:
        store.add_contact(make_card("Grace Hopper"))
    backup = dbmod.backup_file(fresh, "good")
    assert run("restore", "--db", str(damaged), str(backup)).returncode == 0
    done = run("log", "--db", str(damaged), "Grace", "--kind", "call")
    assert done.returncode == 0, done.stderr
    assert "damaged" not in done.stderr


def test_file_restore_on_a_damaged_open_store_makes_it_writable_again(damaged, tmp_path):
    fresh = tmp_path / "fresh" / "netbook.sqlite3"
    fresh.parent.mkdir()
    with Store.open(fresh) as store:
        store.add_contact(make_card("Grace Hopper"))
    backup = dbmod.backup_file(fresh, "good")
    with Store.open(damaged) as store:
        assert store.db.damage
        dbmod.restore_into_store(store, backup)
        assert not store.db.damage
        store.add_contact(make_card("Someone New"))
        assert store.count() == 2


def test_an_import_into_a_damaged_book_is_refused_before_reading_the_files(
        damaged, tmp_path):
    """Nothing could be written into it: the import says so in the damage's words at
    once, without reading a file (a missing one is never even looked at)."""
    with Store.open(damaged) as store:
        with pytest.raises(dbmod.DamagedDatabase) as refused:
            plan_import(store, [tmp_path / "not-there.vcf"])
        assert str(refused.value) == store.db.damage
        assert "netbook restore" in str(refused.value)


def test_netbook_import_into_a_damaged_book_says_the_damage_once(damaged, vcard_file):
    before = digest(damaged)
    done = run("import", "--db", str(damaged), str(vcard_file))
    assert done.returncode == 2  # as any refused write (cli.EXIT_USAGE)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"netbook import: {damaged}: the database is damaged (")
    assert "netbook restore" in lines[0] and "backup of" not in lines[0]
    assert digest(damaged) == before
