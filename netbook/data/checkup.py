"""When netbook reads a whole database file through (`PRAGMA quick_check`), and what it
remembers between opens to decide that.

The check costs 0.2–0.5 s at 100,000 contacts; run at every open it was most of what a
command like `netbook stats` took, and a third of the window's start. Damage is also
found as it is met: any "database disk image is malformed" (SQLITE_CORRUPT, NOTADB)
switches the open store to read-only (`db.NetbookDatabase.note_failure`). So the whole
check only runs when it is *due*:

- the file was never checked (a book from before this, or copied in from elsewhere), or
  not for a day;
- it was not closed cleanly: no other netbook has it open, yet a write-ahead log with
  content, or a hot rollback journal, lies beside it (a crash, a kill, a power cut);
- it changed since a netbook last closed it (its inode, size or modification time are
  not what that netbook saw): another program wrote it, or it was copied or synced over;
- an error during use said it is damaged, and no check has confirmed it yet.

What it remembers lies in a small private file beside the database (`NAME-checked`,
0600): when the last good check was, the file's identity at the last clean close, and
the damage a check found (with the identity it found it in: a file replaced since is
checked again). Losing or garbling that file only makes the check due; so does a check
that could not run (the file busy, a read error): it records nothing. Every netbook
with the database open holds a shared lock on it, so "another netbook is running"
(its log is live) is told from "the last one died" (the log was left behind).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock(); the check is then due daily, never skipped
    fcntl = None  # type: ignore[assignment]  # the module or nothing, tested below

__all__ = ["CHECK_EVERY_S", "Record", "Watch", "identity", "read", "record_good",
           "sidecar"]

CHECK_EVERY_S = 24 * 3600
SUFFIX = "-checked"
PRIVATE_FILE = 0o600


@dataclass
class Record:
    """What the sidecar holds; every field may be missing (None)."""

    checked: float | None = None  # time.time() of the last check that found it whole
    closed: list[int] | None = None  # identity() when the last netbook closed it cleanly
    damage: str | None = None  # what a check found wrong
    damage_of: list[int] | None = None  # identity() of the file it was found in
    suspect: str | None = None  # what an error during use said, not confirmed yet


def sidecar(path: Path) -> Path:
    return Path(f"{path}{SUFFIX}")


def identity(path: Path) -> list[int] | None:
    """Which file, and which state of it: its inode, size and modification time."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _has_content(path: Path) -> bool:
    try:
        return os.stat(path).st_size > 0
    except OSError:
        return False


def read(path: Path) -> Record:
    """The sidecar's record; an empty one when it is missing or garbled."""
    try:
        data = json.loads(sidecar(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return Record()
    if not isinstance(data, dict):
        return Record()
    names = {f.name for f in fields(Record)}
    kept = {k: v for k, v in data.items() if k in names and v is not None}
    if not all(_KINDS[k](v) for k, v in kept.items()):
        return Record()  # valid JSON, yet not what netbook writes: as good as garbled
    return Record(**kept)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_identity(value: object) -> bool:
    return (isinstance(value, list) and len(value) == 3
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value))


_KINDS = {"checked": _is_number, "closed": _is_identity, "damage": lambda v: isinstance(v, str),
          "damage_of": _is_identity, "suspect": lambda v: isinstance(v, str)}


def _update(path: Path, **changes: object) -> None:
    """Change some of the record's fields in place (0600 whatever the umask). A write
    that fails leaves the check due next time, which is the safe side."""
    with contextlib.suppress(OSError):
        fd = os.open(sidecar(path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
        try:
            os.fchmod(fd, PRIVATE_FILE)
            record = read(path)
            for key, value in changes.items():
                setattr(record, key, value)
            data = json.dumps(asdict(record)).encode()
            os.pwrite(fd, data, 0)
            os.ftruncate(fd, len(data))
        finally:
            os.close(fd)


def record_good(path: Path) -> None:
    """A check (of the file, or of a backup copied from it just now) found it whole."""
    _update(path, checked=time.time(), suspect=None, damage=None, damage_of=None)


class Watch:
    """One open database's side of the sidecar: the shared lock every netbook holds
    while it has the file open, and whether the whole check is due."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.alone = False  # no other netbook had the file open when this one opened it
        # why the check is due, while it is left for later (see close)
        self.pending: str | None = None
        self._fd: int | None = None

    @classmethod
    def start(cls, path: Path, *, new: bool = False) -> Watch:
        """Take the shared lock (testing first whether anyone else holds it). `new`: the
        file was just created, whole by definition."""
        watch = cls(path)
        if fcntl is None:
            return watch  # without locks, "closed cleanly" can't be told: daily checks
        try:
            fd = os.open(sidecar(path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
        except OSError:
            return watch  # a folder that takes no file: the check is due every day
        with contextlib.suppress(OSError):
            os.fchmod(fd, PRIVATE_FILE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            watch.alone = True
        except OSError:
            pass
        if not _shared_lock(fd):
            watch.alone = False
        watch._fd = fd
        if new:
            record_good(path)
        return watch

    def known_damage(self) -> str | None:
        """The damage a check found in this very file (unchanged since), if any."""
        record = read(self.path)
        if record.damage and record.damage_of == identity(self.path):
            return record.damage
        return None

    def suspected(self) -> bool:
        """An error during use said the file is damaged: checked before anything else."""
        return bool(read(self.path).suspect)

    def due(self) -> str | None:
        """Why the whole check should run now, in words; None when it need not."""
        record = read(self.path)
        if record.suspect:
            return f"an error said it is damaged ({record.suspect})"
        if record.damage:
            return "it was damaged, and has changed since"
        if record.checked is None:
            return "it was never checked"
        if not 0 <= time.time() - record.checked < CHECK_EVERY_S:
            return "it was last checked more than a day ago"
        if self.alone:
            if _has_content(Path(f"{self.path}-wal")):
                return "it was not closed cleanly (its write-ahead log was left behind)"
            if _has_content(Path(f"{self.path}-journal")):
                return "it was not closed cleanly (a rollback journal was left behind)"
            if record.closed != identity(self.path):
                return "it was changed since netbook last closed it"
        return None

    def found(self, damage: str | None) -> None:
        """What a whole check found: whole (None) or `damage`."""
        self.pending = None
        if damage is None:
            record_good(self.path)
        else:
            _update(self.path, damage=damage, damage_of=identity(self.path), suspect=None,
                    checked=None)

    def suspect(self, detail: str) -> None:
        """An error during use said the file is damaged: the next open checks it."""
        _update(self.path, suspect=detail)

    def close(self, *, clean: bool = True) -> None:
        """The database was closed: the last netbook out notes the file's identity
        (SQLite checkpointed and removed the log as it closed) — unless a check was due
        and never ran: a command that only read must not make a file that changed
        behind netbook's back look as if netbook had closed it. Not `clean`: only let
        go of the lock."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if not clean:
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # another netbook has it open: it notes it when it closes
            if self.pending is None and not _has_content(Path(f"{self.path}-wal")):
                _update(self.path, closed=identity(self.path))
        finally:
            os.close(fd)

    def __del__(self) -> None:  # never closed (an error on the way): the lock goes
        self.close(clean=False)


def _shared_lock(fd: int) -> bool:
    """A shared lock on the sidecar, waiting a moment for another netbook that holds it
    exclusively for the instant of its own test; False when it can't be had."""
    deadline = time.monotonic() + 1.0
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        except OSError:  # a file system without locks
            return False
