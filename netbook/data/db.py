"""Open the SQLite file: check it is ours, set the pragmas, migrate, back it up.

Backups are written under a temporary name, checked (`PRAGMA quick_check` and netbook's
own tables) and only then renamed into place, so a failed one (a full disk) never
becomes the newest backup; a restore checks its backup again before using it. A damaged
file is opened read-only: found so by the whole check when it is due (data/checkup.py:
at most once a day, and after an unclean close), or by any error saying so during use.
The data folder, the database and its backups are private to their owner (0700 / 0600)
whatever the umask.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import resource
import secrets
import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import peewee
import platformdirs
from peewee import SqliteDatabase
from playhouse.migrations import Runner

from . import checkup
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
    # statement journals in memory: every INSERT inside an import's transaction keeps one
    # (its row touches ~25 index pages, past SQLite's 64 KB spill), and on disk that was
    # 40 writes a contact — a third of the time the import held the write lock
    "temp_store": "memory",
    # every page's cells checked as it is read: a damaged page fails with "malformed" at
    # once instead of reading as empty or as garbage (the whole check no longer runs at
    # every open: data/checkup.py)
    "cell_size_check": 1,
}


PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
# what holds netbook's data: a backup without these tables is not one of ours
NETBOOK_TABLES = frozenset({"contact", "interaction"})
DISK_FULL = "the disk is full; nothing was changed"
SQLITE_FULL, SQLITE_READONLY, SQLITE_BUSY, SQLITE_LOCKED = 13, 8, 5, 6
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB = 10, 11, 26


class DatabaseError(Exception):
    """A database that can't be used; the message names the file and is shown as is."""


class BackupError(DatabaseError):
    """A backup could not be made whole; nothing was written in its name."""

    def __init__(self, message: str, disk_full: bool = False) -> None:
        super().__init__(message)
        self.disk_full = disk_full


class CheckFailed(DatabaseError):
    """The whole-file check could not run (busy, a read error, out of memory): it found
    nothing either way, so nothing is recorded and it stays due for the next open."""


class DamagedDatabase(DatabaseError):
    """A write asked of a database that was opened read-only because it is damaged."""


class NetbookDatabase(SqliteDatabase):
    """SqliteDatabase whose transactions take the write lock up front, whose rollback
    never hides the error that caused it, and which turns read-only the moment SQLite
    says the file is damaged.

    `BEGIN IMMEDIATE` (peewee's `lock_type`): a deferred transaction that reads, then
    writes, gets "database is locked" at once when another writer holds the file — the
    busy timeout can't help a lock upgrade — while an immediate one waits its turn.

    On a full disk SQLite rolls the transaction back itself; the ROLLBACK that follows
    then failed with "cannot rollback - no transaction is active", and that was all the
    user heard. Here it is skipped when there is nothing to roll back.
    """

    damage: str | None = None  # why this file is read-only (see open_database)
    check_failed: str | None = None  # why the whole check due at open could not run
    watch: checkup.Watch | None = None  # this open file's side of the check's record
    path: Path | None = None  # the file (its URI when opened read-only is in .database)

    def __init__(self, database: str, **kwargs) -> None:
        kwargs.setdefault("lock_type", "IMMEDIATE")
        super().__init__(database, **kwargs)

    @property
    def check_due(self) -> str | None:
        """Why the whole check is due, when it was left for later (open_database)."""
        return self.watch.pending if self.watch is not None else None

    def check_writable(self) -> None:
        """Refuse, in the damage's words, a write into a file opened read-only because
        it is damaged: every transaction asks, and so does work that would only end in
        one (an import reads and matches every file first)."""
        if self.damage:
            raise DamagedDatabase(self.damage)

    def begin(self, lock_type: str | None = None) -> None:
        self.check_writable()
        super().begin(lock_type)

    def _in_transaction(self) -> bool:
        return not self.is_closed() and self.connection().in_transaction

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()

    def commit(self) -> None:
        if self.damage and not self._in_transaction():  # rolled back when it was found
            raise DamagedDatabase(self.damage)
        try:
            super().commit()
        except Exception as exc:
            self.note_failure(exc)
            raise

    def savepoint(self):
        return _Savepoint(self)

    def _execute_cursor(self, sql, params, **cursor_options):
        try:
            # peewee's one road for every query (its stubs leave it out)
            return super()._execute_cursor(sql, params, **cursor_options)  # type: ignore[misc]
        except Exception as exc:
            self.note_failure(exc)
            raise

    def _add_conn_hooks(self, conn: sqlite3.Connection) -> None:
        super()._add_conn_hooks(conn)  # type: ignore[misc]
        if self.damage:  # a connection opened for another thread after the damage was met
            conn.execute("PRAGMA query_only = 1")

    def note_failure(self, exc: BaseException) -> bool:
        """If `exc` says the file is damaged, switch to read-only (mark_damaged); whether
        it did. Every store error passes here: queries, commits, the operations' and the
        command line's error paths, the window's."""
        if self.damage or not is_damage(exc):
            return False
        self.mark_damaged(str(sqlite_error(exc) or exc))
        return True

    def mark_damaged(self, detail: str) -> None:
        """From now on nothing is written into this file: the transaction under way is
        rolled back, this thread's connection is query-only (so are ones opened later),
        every transaction is refused with the message that names `netbook restore`, and
        the next open checks the whole file."""
        self.damage = _damaged(self.path or Path(self.database), detail, now=True)
        if not self.is_closed():
            conn = self.connection()
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.rollback()
                conn.execute("PRAGMA query_only = 1")
        if self.watch is not None:
            self.watch.suspect(detail)


class _Savepoint(peewee._savepoint):
    """A savepoint whose rollback is skipped when SQLite ended the transaction already."""

    def rollback(self, begin: bool = True) -> None:
        if self.db.connection().in_transaction:
            super().rollback(begin)

    def commit(self, begin: bool = True) -> None:
        if self.db.connection().in_transaction:
            super().commit(begin)
        else:  # the transaction was rolled back under us: say so, don't "release" it
            raise peewee.OperationalError("the transaction was rolled back by SQLite")


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


def private_dir(folder: Path, *, ours: bool = True) -> None:
    """Create `folder` (and its parents) readable by its owner only. An existing folder
    is tightened only when it is `ours` (the data folder, the backups), never a folder
    the user chose to keep the database in, such as their home."""
    existed = folder.is_dir()
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if not existed or ours:
        with contextlib.suppress(OSError):
            if folder.stat().st_mode & 0o077:
                folder.chmod(PRIVATE_DIR)


def private_file(path: Path) -> None:
    """Make `path` (and, for a database, its -wal and -shm) readable by its owner only."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            if p.stat().st_mode & 0o077:
                p.chmod(PRIVATE_FILE)


def create_private_file(path: Path) -> None:
    """Create an empty file 0600 before SQLite does, so it (and the -wal and -shm SQLite
    derives from it) never exists with the umask's 0644, not even for a moment."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    os.close(fd)


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("netbook", appauthor=False))


def sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error behind `exc` (peewee wraps them), if there is one."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        if isinstance(link, sqlite3.Error):
            return link
        if link.args and isinstance(link.args[0], sqlite3.Error):
            return link.args[0]
        link = link.__cause__ or link.__context__
    return None


def is_damage(exc: BaseException) -> bool:
    """Whether `exc` is SQLite saying the file is damaged ("database disk image is
    malformed", "file is not a database"), not busy, full or refused."""
    if isinstance(exc, DamagedDatabase):
        return False  # the refusal of a write into a file known to be damaged
    err = sqlite_error(exc)
    if err is None:
        return False
    code = getattr(err, "sqlite_errorcode", None)
    if code is None:
        return "malformed" in str(err) or "not a database" in str(err)
    return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def _space_left(folder: Path) -> bool:
    """Whether a write in `folder` can still grow a file: free blocks on its disk and
    no per-process file-size limit (ulimit -f) in the way."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft != resource.RLIM_INFINITY:
        return False  # a limit this low is what stopped an SQLite write, if anything did
    try:
        st = os.statvfs(folder)
    except OSError:
        return True
    return st.f_bavail * st.f_frsize > 1024 * 1024


def is_disk_full(exc: BaseException, folder: Path | None = None) -> bool:
    """A full disk (or a file-size limit) behind `exc`. SQLite says SQLITE_FULL only for
    ENOSPC; a quota or a size limit comes back as a plain write error (SQLITE_IOERR)."""
    if isinstance(exc, BackupError):
        return exc.disk_full
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    err = sqlite_error(exc)
    if err is None:
        return False
    code = getattr(err, "sqlite_errorcode", None)
    if code is None:
        return "disk is full" in str(err)
    if code & 0xFF == SQLITE_FULL:
        return True
    return code & 0xFF == SQLITE_IOERR and folder is not None and not _space_left(folder)


def is_store_failure(exc: BaseException) -> bool:
    """Whether `exc` is the database failing (locked, full disk, damaged, read-only),
    not a refusal in words (StoreError) or a bug."""
    return isinstance(exc, DatabaseError | sqlite3.Error | peewee.DatabaseError
                      | peewee.InterfaceError)


def describe_error(exc: BaseException, path: Path | None = None) -> str:
    """A store error in words (a full disk, another writer, a damaged file), for the
    command line and the window alike."""
    where = f"{path}: " if path else ""
    if isinstance(exc, DatabaseError):
        return str(exc)
    if is_disk_full(exc, path.parent if path else None):
        return DISK_FULL
    err = sqlite_error(exc)
    code = (getattr(err, "sqlite_errorcode", 0) or 0) & 0xFF if err is not None else 0
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return (f"{where}another netbook (a window or the command line) kept the database "
                "busy for too long; nothing was changed. Try again in a moment.")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return (f"{where}the database is damaged ({err}); nothing was changed. Put a backup "
                "back with `netbook restore --list` and `netbook restore N`.")
    if code == SQLITE_READONLY:
        return f"{where}the database can't be written ({err}); nothing was changed"
    return f"{where}the database could not be used ({err or exc}); nothing was changed"


def quick_check(con: sqlite3.Connection) -> str | None:
    """What `PRAGMA quick_check` finds wrong, in one line; None when the file is whole."""
    try:
        rows = [row[0] for row in con.execute("PRAGMA quick_check(20)")]
    except sqlite3.Error as exc:
        if is_damage(exc):
            return str(exc)
        raise _check_failed(exc) from None
    except MemoryError:
        raise _check_failed("out of memory") from None
    if rows == ["ok"]:
        return None
    return _one_line(rows)


def _one_line(rows: list[str]) -> str:
    """quick_check's problems as one short line: the first, and how many more. SQLite
    may pack them all into one row, a line each, under a "*** in database main ***"
    header."""
    lines = [" ".join(line.split()) for row in rows for line in str(row).splitlines()]
    problems = [line for line in lines if line and not line.startswith("***")]
    if not problems:
        return " ".join(lines) or "no detail"
    more = f", and {len(problems) - 1} more" if len(problems) > 1 else ""
    return problems[0] + more


def _check_failed(exc: object) -> CheckFailed:
    return CheckFailed(f"the whole-file check could not run ({exc}); nothing was found "
                       "wrong, and it runs again at the next open")


def backup_problem(path: Path, *, thorough: bool = True) -> str | None:
    """What is wrong with a backup file, in words; None when it is whole and ours.

    Read-only: a file we refuse is not changed by looking at it. Not `thorough`: only
    what the first bytes tell (empty, not SQLite), for pruning, where every backup was
    checked whole before it got its name.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"can't be read ({exc.strerror or exc})"
    if size == 0:
        return "is empty (0 bytes): a backup that failed"
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return f"can't be read ({exc.strerror or exc})"
    if head != SQLITE_MAGIC:
        return "is not an SQLite database"
    if not thorough:
        return None
    try:
        con = sqlite3.connect(_read_only_uri(path), uri=True, timeout=10)
    except sqlite3.Error as exc:
        return f"can't be opened ({exc})"
    try:
        problem = quick_check(con)
        if problem:
            return f"is damaged ({problem})"
        version = con.execute("PRAGMA user_version").fetchone()[0]
        names = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except CheckFailed as exc:
        return f"could not be checked: {exc}"
    except sqlite3.Error as exc:
        return f"is damaged ({exc})"
    finally:
        con.close()
    missing = NETBOOK_TABLES - names
    if version == 0 or missing:
        return "holds no netbook address book (" + (
            "no " + ", ".join(sorted(missing)) + " table" if missing else "no schema version"
        ) + ")"
    if version > latest_schema_version():
        return f"was written by a newer netbook (schema {version})"
    return None


def _read_only_uri(path: Path) -> str:
    """A read-only SQLite URI; as_uri() escapes what a folder name may hold (# ? %)."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def backup_file(db_path: Path, reason: str, prune: bool = True) -> Path | None:
    """Copy the database (consistently, WAL included) beside it; keep the last few.

    Written under a temporary name, checked, and renamed into place only when whole; a
    backup that can't be made raises BackupError and leaves the backups as they were
    (nothing is pruned). The copy is one self-contained file (journal_mode=delete),
    0600 in a 0700 folder.
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder = backups_dir(db_path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    partial = folder / f".{target.name}.partial"
    try:
        private_dir(folder)
        create_private_file(partial)
        src = sqlite3.connect(_read_only_uri(db_path), uri=True, timeout=10)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=delete")
            finally:
                dst.close()
        finally:
            src.close()
        problem = backup_problem(partial)
        if problem:
            raise BackupError(f"the backup of {db_path} {problem}; nothing was changed")
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
        _fsync_dir(folder)
        checkup.record_good(db_path)  # a whole copy of it, just now: it was whole too
    except BaseException as exc:
        for leftover in (partial, Path(f"{partial}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        if isinstance(exc, BackupError):
            raise
        if isinstance(exc, sqlite3.Error | OSError):
            full = is_disk_full(exc, folder)
            why = "the disk is full" if full else str(exc)
            raise BackupError(f"{db_path} can't be backed up ({why}); nothing was changed",
                              disk_full=full) from None
        raise
    if prune:
        prune_backups(db_path)
    return target


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.sqlite3"), reverse=True)


def prune_backups(db_path: Path, keep: int = BACKUPS_KEPT) -> None:
    """Keep the newest `keep` good backups. An empty or foreign one is no backup: it
    neither counts toward them nor is deleted here (the user may want to look at it)."""
    good = [b for b in list_backups(db_path) if backup_problem(b, thorough=False) is None]
    for old in good[keep:]:
        old.unlink(missing_ok=True)


def restore_backup(db_path: Path, backup: Path) -> None:
    """Put a backup's content into the live file (which is backed up first).

    The backup is checked first: a damaged, empty or foreign one is refused, naming the
    problem, and the live file is left as it was.
    """
    problem = backup_problem(backup)
    if problem:
        raise refused_backup(backup, problem)
    check_is_sqlite(db_path)
    try:
        if db_path.exists() and db_path.stat().st_size and backup_problem(db_path):
            keep_damaged(db_path)  # a damaged file can't pass a backup's check: kept as is
        else:
            backup_file(db_path, "before-restore", prune=False)  # pruning could take `backup`
    except (BackupError, OSError) as exc:
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
    # what is in the file now was checked whole a moment ago (and closed, if no other
    # netbook has it open): no need to read it all through again at the next open
    watch = checkup.Watch.start(db_path)
    checkup.record_good(db_path)
    watch.close()
    # no pruning here: it would take the oldest backup, maybe the one just restored
    # (the next backup made prunes)


def refused_backup(backup: Path, problem: str) -> DatabaseError:
    """The refusal of a backup found damaged, empty or foreign (`backup_problem`)."""
    return DatabaseError(f"{backup.name}: {problem}; it can't be restored and nothing "
                         "was changed")


def keep_damaged(db_path: Path) -> Path:
    """Copy a damaged database byte for byte into the backups folder (never pruned, and
    listed as damaged): what a restore replaces is kept, whatever its state."""
    folder = backups_dir(db_path)
    private_dir(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{db_path.stem}-{stamp}-damaged-before-restore.sqlite3"
    for src, dst in ((db_path, target), (Path(f"{db_path}-wal"), Path(f"{target}-wal"))):
        if src.exists():
            create_private_file(dst)
            shutil.copyfile(src, dst)
    return target


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
    cache while SQLite copies pages into the file (`restore_backup`, which a window runs
    on a worker thread between the two halves), and opened again whatever happens
    (`reopen_after_restore`). The plan remembered for this store is the plan service's
    to forget (`plan.service.restore_backup`).
    """
    if not store.db.is_closed():
        store.db.close()
    try:
        restore_backup(store.path, backup)
    except BaseException:
        reopen_after_restore(store, restored=False)
        raise
    return reopen_after_restore(store, restored=True)


def reopen_after_restore(store: Store, *, restored: bool) -> Changes:
    """Go on with the store on the calling thread after `restore_backup` put a backup in
    its file (`restored`) or refused to (nothing changed: the store is only reconnected).

    A store opened read-only because it was damaged is writable again; a backup from
    before a migration is brought up to date; what the store remembered of the data
    replaced (its caches) goes with it.
    """
    if not store.db.is_closed():  # opened meanwhile: it may predate the new content
        store.db.close()
    if restored and store.db.damage:  # it was damaged, read-only: no longer
        store.db.init(str(store.path), pragmas=PRAGMAS, timeout=10, uri=False)
        store.db.damage = None
    if restored and store.db.watch is not None:  # the backup was checked whole
        store.db.watch.pending = None
    store.db.connect(reuse_if_open=True)
    if not restored:
        return Changes()
    upgrade_after_restore(store.db, store.path)
    store.caches.clear()
    return Changes.all()


class _Peek:
    """What a look at an existing file found, without changing a byte of it."""

    def __init__(self, version: int, foreign: bool) -> None:
        self.version, self.foreign = version, foreign


def _damaged(path: Path, detail: str, *, now: bool = False) -> str:
    opened = "It is read-only from now on" if now else "It was opened read-only"
    return (f"{path}: the database is damaged ({detail}). {opened}, so nothing more is "
            "written into it; put a backup back with `netbook restore --list` and "
            "`netbook restore N`.")


def _peek(path: Path) -> _Peek | None:
    """The file's schema version and whether it holds other programs' tables; None for
    a new file. (Whether it is whole is the whole check's question, when it is due.)

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
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
            raise DatabaseError(
                f"{path}: the database is damaged beyond reading ({exc}); put a backup "
                "back with `netbook restore --list` and `netbook restore N`") from None
        raise DatabaseError(f"{path}: can't be opened as a netbook database ({exc})") from None
    finally:
        con.close()
    return _Peek(version, bool(names - {"schema_migration"}))


def whole_check(path: Path) -> str | None:
    """`PRAGMA quick_check` over the whole file, on a connection of its own (read-only,
    so it can run on any thread beside the store's); what it found, None when whole."""
    try:
        con = sqlite3.connect(_read_only_uri(path), uri=True, timeout=10)
    except sqlite3.Error as exc:
        if is_damage(exc):
            return str(exc)
        raise _check_failed(exc) from None
    try:
        return quick_check(con)
    finally:
        con.close()


def run_due_check(db: NetbookDatabase) -> str | None:
    """Run the whole check that was left for later (`db.check_due`), and remember what
    it found: what is wrong, or None; CheckFailed when it could not run (it stays due,
    nothing is recorded). Safe on another thread: it touches neither the
    store's connection nor its state — the caller switches the store to read-only
    (`db.mark_damaged`) on its own thread."""
    if db.path is None or db.watch is None:
        return None
    problem = whole_check(db.path)
    db.watch.found(problem)
    return problem


def open_database(path: Path, *, check: str = "now") -> NetbookDatabase:
    """Open (creating if new) and migrate; raise DatabaseError with a clear message.

    A file that is not ours, or is from a newer netbook, is refused before it is opened
    for writing, so it is left exactly as it was. A damaged one is opened read-only
    (`db.damage` says why): it can be read and exported, not written into.

    The whole check (data/checkup.py) runs here when it is due and `check` is "now"
    (what writes: the command line's writing commands, and any caller by default). With
    "later" it is left for the caller (`db.check_due`: the window runs it after its first
    paint, a command that only reads never does) — unless an error said the file is
    damaged last time, which is checked before anything else happens.
    """
    path = Path(path).expanduser()
    check_is_sqlite(path)
    latest = latest_schema_version()
    peeked = _peek(path)
    watch: checkup.Watch | None = None
    check_failed: str | None = None
    if peeked is not None:
        if peeked.version == 0 and peeked.foreign:
            raise DatabaseError(f"{path}: is an SQLite file of another program, not a netbook "
                                "database; it was left untouched")
        if peeked.version > latest:
            raise DatabaseError(
                f"{path}: was written by a newer netbook (schema {peeked.version}; this one "
                f"knows up to {latest}). Update netbook to open it; the file was left untouched."
            )
        watch = checkup.Watch.start(path)
        known = watch.known_damage()
        if known:
            return _open_read_only(path, _damaged(path, known), watch)
        due = watch.due()
        if due and (check == "now" or watch.suspected()):
            try:
                problem = whole_check(path)
            except CheckFailed as exc:  # a passing error: due again next time
                watch.pending, check_failed = due, f"{path}: {exc}"
            else:
                watch.found(problem)
                if problem:
                    return _open_read_only(path, _damaged(path, problem), watch)
        else:
            watch.pending = due
    try:
        folder = path.parent
        private_dir(folder, ours=folder.resolve() == _default_data_dir().resolve())
        if not path.exists():
            create_private_file(path)
        private_file(path)
    except OSError as exc:
        if watch is not None:
            watch.close()
        raise DatabaseError(f"{path}: its folder can't be created ({exc.strerror or exc})"
                            ) from None
    if watch is None:  # a new book (or an empty file): whole by definition
        watch = checkup.Watch.start(path, new=True)
    db = NetbookDatabase(str(path), pragmas=PRAGMAS, timeout=10)
    db.path, db.watch, db.check_failed = path, watch, check_failed
    try:
        db.connect()
        version = db.execute_sql("PRAGMA user_version").fetchone()[0]
    except Exception as exc:  # sqlite3 errors and peewee's wrappers of them
        close_database(db)
        raise DatabaseError(f"{path}: can't be opened as a netbook database ({exc})") from None
    if version > latest:  # written meanwhile by a newer netbook
        close_database(db)
        raise DatabaseError(
            f"{path}: was written by a newer netbook (schema {version}; this one knows up to "
            f"{latest}). Update netbook to open it; the file was left untouched."
        )
    if version < latest:
        try:
            migrate(db, path, version)
        except BaseException:
            close_database(db)
            raise
    private_file(path)  # the -wal and -shm SQLite just made
    db.bind(MODELS)
    return db


def close_database(db: NetbookDatabase) -> None:
    """Close the file for good (this thread's connection, then the check's record: the
    last netbook out notes the file as closed cleanly)."""
    try:
        if not db.is_closed():
            db.close()
    finally:
        if db.watch is not None:
            db.watch.close()


def _open_read_only(path: Path, damage: str, watch: checkup.Watch) -> NetbookDatabase:
    """A damaged file opened so that nothing can write into it (SQLite's mode=ro, and
    every transaction refused with `damage` before it starts)."""
    db = NetbookDatabase(_read_only_uri(path), uri=True, timeout=10,
                         pragmas={"foreign_keys": 1, "busy_timeout": PRAGMAS["busy_timeout"],
                                  "cell_size_check": 1, "query_only": 1})
    db.damage, db.path, db.watch = damage, path, watch
    try:
        db.connect()
    except Exception as exc:
        close_database(db)
        raise DatabaseError(_damaged(path, str(exc))) from None
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
