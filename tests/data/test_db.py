"""Opening the database file: pragmas, schema versions, migrations, refusals, backups."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from netbook.data import db as dbmod
from netbook.data.contacts import Store
from netbook.data.db import DatabaseError


def fingerprint(path: Path) -> tuple[str, int]:
    """What "left untouched" means: the same bytes and the same modification time."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def names_in(path: Path) -> list[str]:
    """The contacts in a database file, read without netbook."""
    con = sqlite3.connect(path)
    try:
        return [n for (n,) in con.execute("SELECT display_name FROM contact ORDER BY id")]
    finally:
        con.close()


def user_version(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


def test_a_new_database_is_created_at_the_latest_schema(db_path):
    with Store.open(db_path) as store:
        assert store.count() == 0
    assert db_path.exists()
    assert user_version(db_path) == dbmod.latest_schema_version() >= 1


def test_the_database_runs_in_wal_mode_with_foreign_keys_on(store):
    assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute_sql("PRAGMA busy_timeout").fetchone()[0] > 0


def test_reopening_a_database_keeps_its_contacts(db_path):
    from helpers import make_card

    with Store.open(db_path) as store:
        cid = store.add_contact(make_card("Ada Lovelace"))
    with Store.open(db_path) as store:
        assert store.get_contact(cid).name == "Ada Lovelace"


def test_a_folder_that_does_not_exist_yet_is_created(tmp_path):
    path = tmp_path / "deep" / "er" / "netbook.sqlite3"
    with Store.open(path) as store:
        assert store.count() == 0
    assert path.exists()


def test_the_default_path_follows_NETBOOK_DB(monkeypatch, tmp_path):
    monkeypatch.setenv("NETBOOK_DB", str(tmp_path / "mine.sqlite3"))
    assert dbmod.default_db_path() == tmp_path / "mine.sqlite3"


def test_without_NETBOOK_DB_the_default_is_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("NETBOOK_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = dbmod.default_db_path()
    assert path.name == "netbook.sqlite3"
    assert path.parent == tmp_path / "data" / "netbook"


# -- files that are not ours: refused, untouched ------------------------------


def test_a_text_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear diary,\nthis is not a database.\n")
    before = fingerprint(path)
    with pytest.raises(DatabaseError) as err:
        Store.open(path)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_random_bytes_are_refused_and_left_untouched(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 40)
    before = fingerprint(path)
    with pytest.raises(DatabaseError, match="not a netbook database"):
        Store.open(path)
    assert fingerprint(path) == before


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="folder"):
        Store.open(tmp_path)


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
    con.execute("INSERT INTO invoice (total) VALUES (12.5)")
    con.commit()
    con.close()
    before = fingerprint(path)
    with pytest.raises(DatabaseError, match="another program") as err:
        Store.open(path)
    assert str(path) in str(err.value)
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -shm


def test_a_database_from_a_newer_netbook_is_refused_and_left_untouched(db_path):
    Store.open(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=delete")  # as another tool might leave it
    con.execute("PRAGMA user_version = 99")
    con.close()
    before = fingerprint(db_path)
    with pytest.raises(DatabaseError) as err:
        Store.open(db_path)
    message = str(err.value)
    assert str(db_path) in message
    assert "newer netbook" in message and "99" in message
    assert fingerprint(db_path) == before


def test_a_damaged_database_is_refused_with_its_name(db_path):
    from helpers import make_card

    with Store.open(db_path) as store:
        for i in range(30):
            store.add_contact(make_card(f"Person {i}", note="x" * 2000))
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, overwritten
    db_path.write_bytes(bytes(data))
    before = fingerprint(db_path)
    with pytest.raises(DatabaseError) as err:
        Store.open(db_path)
    assert str(db_path) in str(err.value)
    assert fingerprint(db_path) == before


def test_an_empty_file_becomes_a_new_database(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    with Store.open(path) as store:
        assert store.count() == 0
    assert user_version(path) == dbmod.latest_schema_version()


# -- migrations ----------------------------------------------------------------

SECOND = '''
def up(migrator, db):
    db.execute_sql("ALTER TABLE contact ADD COLUMN pronouns TEXT NOT NULL DEFAULT ''")
'''

BROKEN = '''
def up(migrator, db):
    db.execute_sql("CREATE TABLE half_done (x)")
    raise RuntimeError("disk on fire")
'''


@pytest.fixture
def migrations(tmp_path, monkeypatch) -> Path:
    """A copy of the real migrations a test may add a newer one to."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for script in dbmod.MIGRATIONS_DIR.glob("[0-9]*.py"):
        shutil.copy(script, folder / script.name)
    monkeypatch.setattr(dbmod, "MIGRATIONS_DIR", folder)
    return folder


def columns(path: Path, table: str) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
    finally:
        con.close()


def test_an_older_database_is_backed_up_then_migrated(db_path, migrations):
    from helpers import make_card

    with Store.open(db_path) as store:
        cid = store.add_contact(make_card("Grace Hopper"))
    old = dbmod.latest_schema_version()
    (migrations / f"{old + 1:04d}_pronouns.py").write_text(SECOND)

    with Store.open(db_path) as store:
        assert store.get_contact(cid).name == "Grace Hopper"
    assert user_version(db_path) == old + 1
    assert "pronouns" in columns(db_path, "contact")
    backups = dbmod.list_backups(db_path)
    assert len(backups) == 1 and f"before-migration-{old}" in backups[0].name
    assert user_version(backups[0]) == old
    assert "pronouns" not in columns(backups[0], "contact")


def test_a_fresh_database_needs_no_backup(db_path):
    Store.open(db_path).close()
    assert dbmod.list_backups(db_path) == []


def test_a_failing_migration_leaves_the_database_at_its_old_version(db_path, migrations):
    Store.open(db_path).close()
    old = dbmod.latest_schema_version()
    (migrations / f"{old + 1:04d}_broken.py").write_text(BROKEN)
    with pytest.raises(DatabaseError, match="migration failed") as err:
        Store.open(db_path)
    assert str(db_path) in str(err.value)
    assert user_version(db_path) == old
    con = sqlite3.connect(db_path)
    tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert "half_done" not in tables
    # once the script is fixed, the same file opens and migrates
    (migrations / f"{old + 1:04d}_broken.py").unlink()
    (migrations / f"{old + 1:04d}_pronouns.py").write_text(SECOND)
    Store.open(db_path).close()
    assert user_version(db_path) == old + 1


def test_a_new_database_whose_later_migration_fails_is_still_ours(db_path, migrations):
    old = dbmod.latest_schema_version()
    (migrations / f"{old + 1:04d}_broken.py").write_text(BROKEN)
    with pytest.raises(DatabaseError, match="migration failed"):
        Store.open(db_path)
    assert user_version(db_path) == old  # the migrations that ran are recorded
    (migrations / f"{old + 1:04d}_broken.py").write_text(SECOND)
    with Store.open(db_path) as store:  # not mistaken for "another program's file"
        assert store.count() == 0
    assert user_version(db_path) == old + 1


# -- backups -------------------------------------------------------------------


def test_only_the_last_few_backups_are_kept(store, db_path):
    made = [dbmod.backup_file(db_path, f"test{i}") for i in range(dbmod.BACKUPS_KEPT + 3)]
    kept = dbmod.list_backups(db_path)
    assert len(kept) == dbmod.BACKUPS_KEPT
    assert kept[0] == made[-1]  # newest first
    assert set(kept) == set(made[-dbmod.BACKUPS_KEPT:])


def test_a_backup_holds_uncheckpointed_writes(store, db_path):
    from helpers import make_card

    store.add_contact(make_card("Katherine Johnson"))  # still in the -wal file
    backup = dbmod.backup_file(db_path, "test")
    assert names_in(backup) == ["Katherine Johnson"]


def test_restoring_a_backup_brings_the_old_contacts_back(db_path):
    from helpers import make_card

    with Store.open(db_path) as store:
        store.add_contact(make_card("Before Backup"))
        backup = store.backup("test")
        store.add_contact(make_card("After Backup"))
    dbmod.restore_backup(db_path, backup)
    with Store.open(db_path) as store:
        assert [r.name for r in store.list_rows()] == ["Before Backup"]
    # the state before the restore was kept too
    assert any("before-restore" in p.name for p in dbmod.list_backups(db_path))


def test_restoring_from_a_file_that_is_not_a_database_is_refused(db_path, tmp_path):
    Store.open(db_path).close()
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("nope")
    before = fingerprint(db_path)
    with pytest.raises(DatabaseError):
        dbmod.restore_backup(db_path, bogus)
    assert fingerprint(db_path) == before


def test_a_folder_name_with_uri_characters_is_no_problem(tmp_path):
    from helpers import make_card

    path = tmp_path / "my #1 ?book%20" / "netbook.sqlite3"
    with Store.open(path) as store:
        store.add_contact(make_card("Hedy Lamarr"))
        backup = store.backup("test")
    assert backup is not None and backup.exists()
    dbmod.restore_backup(path, backup)
    with Store.open(path) as store:
        assert [r.name for r in store.list_rows()] == ["Hedy Lamarr"]


def test_two_stores_on_one_file_share_it_and_it_closes_with_the_last(db_path):
    from helpers import make_card

    a = Store.open(db_path)
    b = Store.open(db_path)
    a.add_contact(make_card("Shared Sue"))
    a.close()
    a.close()  # twice is once
    assert [r.name for r in b.list_rows()] == ["Shared Sue"]
    b.close()
    assert b.db.is_closed()


def test_a_second_file_is_refused_while_one_is_open(store, tmp_path, db_path):
    other = tmp_path / "other.sqlite3"
    with pytest.raises(DatabaseError, match="close that one first"):
        Store.open(other)
    assert not other.exists()
    store.close()
    with Store.open(other) as s:  # once the first is closed, fine
        assert s.count() == 0
