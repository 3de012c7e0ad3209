"""Open the SQLite file: check it is ours, set the pragmas, migrate, back it up."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from peewee import SqliteDatabase
from playhouse.migrations import Runner

from .changes import Changes
from .models import MODELS

if TYPE_CHECKING:  # contacts.py imports this module
    from .contacts import Store

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_MAGIC = b"SQLite format 3\x00"
BACKUPS_KEPT = 5
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 10_000,  # a second window or the CLI waits its turn instead of failing
    "cache_size": -32_000,
}


class DatabaseError(Exception):
    """A database that can't be used; the message names the file and is shown as is."""


def default_db_path() -> Path:
    env = os.environ.get("NETBOOK_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("netbook", appauthor=False)) / "netbook.sqlite3"


def latest_schema_version() -> int:
    return max((int(p.name[:4]) for p in MIGRATIONS_DIR.glob("[0-9]*.py")), default=0)


def check_is_sqlite(path: Path) -> None:
    """Refuse, without touching it, a file that is not an SQLite database."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a netbook database")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(f"{path}: can't be read ({exc.strerror or exc})") from None
    if head and head != SQLITE_MAGIC:
        raise DatabaseError(f"{path}: not a netbook database (not an SQLite file)")


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _read_only_uri(path: Path) -> str:
    """A read-only SQLite URI; as_uri() escapes what a folder name may hold (# ? %)."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def backup_file(db_path: Path, reason: str, prune: bool = True) -> Path | None:
    """Copy the database (consistently, WAL included) beside it; keep the last few."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    src = sqlite3.connect(_read_only_uri(db_path), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    if prune:
        prune_backups(db_path)
    return target


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.sqlite3"), reverse=True)


def prune_backups(db_path: Path, keep: int = BACKUPS_KEPT) -> None:
    for old in list_backups(db_path)[keep:]:
        old.unlink(missing_ok=True)


def restore_backup(db_path: Path, backup: Path) -> None:
    """Put a backup's content into the live file (which is backed up first)."""
    check_is_sqlite(backup)
    check_is_sqlite(db_path)
    try:
        backup_file(db_path, "before-restore", prune=False)  # pruning could take `backup` away
    except sqlite3.Error as exc:
        raise DatabaseError(f"{db_path}: can't be backed up before the restore ({exc}); "
                            "nothing was changed") from None
    src = sqlite3.connect(_read_only_uri(backup), uri=True)
    try:
        dst = sqlite3.connect(db_path, timeout=10)
        try:
            src.backup(dst)
            new_plan_epoch(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"{backup}: can't be restored ({exc})") from None
    finally:
        src.close()
    prune_backups(db_path)


def new_plan_epoch(con) -> None:
    """Move the plan's change counter (migration 0005) to a value it never had, so a
    plan remembered from before a restore can't pass for the restored data's."""
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'plan_epoch'").fetchone():
        with con:
            con.execute("UPDATE plan_epoch SET n = n + ?", (secrets.randbelow(1 << 40) + 1,))


def upgrade_after_restore(db: SqliteDatabase, path: Path) -> None:
    """A backup taken before a migration comes back at its own schema: bring it up to
    date on the open connection, as opening the file would."""
    version = db.execute_sql("PRAGMA user_version").fetchone()[0]
    if version < latest_schema_version():
        migrate(db, path, version)
    new_plan_epoch(db.connection())


def restore_into_store(store: Store, backup: Path) -> Changes:
    """Put a backup in place under an open store and go on with it (File ▸ Restore).

    The store's connection in this thread is closed first, so it holds no lock or stale
    cache while SQLite copies pages into the file, and opened again whatever happens;
    a backup from before a migration is then brought up to date. The plan remembered
    for this store is the plan service's to forget (`plan.service.restore_backup`).
    """
    if not store.db.is_closed():
        store.db.close()
    try:
        restore_backup(store.path, backup)
    finally:
        store.db.connect(reuse_if_open=True)
    upgrade_after_restore(store.db, store.path)
    return Changes.all()


def _peek(path: Path) -> tuple[int, bool] | None:
    """(user_version, holds other tables) read without changing a byte; None for new.

    Read-only and before any pragma: `journal_mode=wal` alone rewrites the file header,
    so a file we refuse must never be opened for writing.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        con = sqlite3.connect(_read_only_uri(path), uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: can't be opened as a netbook database ({exc})") from None
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        names = {n for (n,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: can't be opened as a netbook database ({exc})") from None
    finally:
        con.close()
    return version, bool(names - {"schema_migration"})


def open_database(path: Path) -> SqliteDatabase:
    """Open (creating if new) and migrate; raise DatabaseError with a clear message.

    A file that is not ours, or is from a newer netbook, is refused before it is opened
    for writing, so it is left exactly as it was.
    """
    path = Path(path).expanduser()
    check_is_sqlite(path)
    latest = latest_schema_version()
    peeked = _peek(path)
    if peeked is not None:
        version, foreign = peeked
        if version == 0 and foreign:
            raise DatabaseError(f"{path}: is an SQLite file of another program, not a netbook "
                                "database; it was left untouched")
        if version > latest:
            raise DatabaseError(
                f"{path}: was written by a newer netbook (schema {version}; this one knows up "
                f"to {latest}). Update netbook to open it; the file was left untouched."
            )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"{path}: its folder can't be created ({exc.strerror or exc})"
                            ) from None
    db = SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=10)
    try:
        db.connect()
        version = db.execute_sql("PRAGMA user_version").fetchone()[0]
    except Exception as exc:  # sqlite3 errors and peewee's wrappers of them
        db.close()
        raise DatabaseError(f"{path}: can't be opened as a netbook database ({exc})") from None
    if version > latest:  # written meanwhile by a newer netbook
        db.close()
        raise DatabaseError(
            f"{path}: was written by a newer netbook (schema {version}; this one knows up to "
            f"{latest}). Update netbook to open it; the file was left untouched."
        )
    if version < latest:
        try:
            migrate(db, path, version)
        except BaseException:
            db.close()
            raise
    db.bind(MODELS)
    return db


def migrate(db: SqliteDatabase, path: Path, version: int) -> None:
    """Run the pending migrations in order, each in its own transaction together with
    the `user_version` it reaches: a failure leaves the file at the last good version."""
    if version > 0:
        backup_file(path, f"before-migration-{version}")
    runner = Runner(db, str(MIGRATIONS_DIR))
    reached = version
    try:
        applied = runner.applied()
        pending = [m for m in runner.migrations()
                   if m.name not in applied and m.idx > version]
        runner.History.create_table()
        for migration in pending:
            module = migration.load()
            with db.atomic():  # the schema change and the version it reaches, or neither
                module.up(runner.migrator, db)
                runner.History.create(name=migration.name)
                db.execute_sql(f"PRAGMA user_version = {int(migration.idx)}")
            reached = migration.idx
        db.execute_sql(f"PRAGMA user_version = {latest_schema_version()}")
    except Exception as exc:
        raise DatabaseError(f"{path}: migration failed, the file stays at schema {reached} "
                            f"({exc})") from exc
