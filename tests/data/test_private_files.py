"""Private files (issue 12, 6): with the usual umask (022) every local user could read
the whole address book. The data folder is 0700; the database, its -wal and -shm, the
backups and the exports are 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_card

from netbook.cli import main
from netbook.data import db as dbmod
from netbook.data.contacts import Store

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_default_data_folder_database_and_backups_are_private(umask_022, capsys,
                                                                   tmp_path):
    default = dbmod.default_db_path()  # under this test's own XDG_DATA_HOME
    assert not default.parent.exists()
    with Store.open() as store:
        store.add_contact(make_card("Ada Lovelace", phones=["+44 20 7946 0000"]))
        backup = store.backup("manual")
        assert mode(default.parent) == 0o700
        for path in (default, Path(f"{default}-wal"), Path(f"{default}-shm")):
            assert mode(path) == 0o600, path
        assert mode(backup.parent) == 0o700
        assert mode(backup) == 0o600
    vcf, pdf, ics = tmp_path / "all.vcf", tmp_path / "week.pdf", tmp_path / "week.ics"
    assert main(["export", "-o", str(vcf)]) == 0
    capsys.readouterr()
    # a child process: the PDF needs a QGuiApplication, which this one must not get
    week = subprocess.run([sys.executable, "-m", "netbook", "week", "--pdf", str(pdf),
                           "--ics", str(ics)], cwd=ROOT, capture_output=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert week.returncode == 0, week.stderr
    for path in (vcf, pdf, ics):
        assert mode(path) == 0o600, path


def test_an_existing_world_readable_data_folder_and_database_are_tightened(umask_022):
    default = dbmod.default_db_path()
    with Store.open() as store:
        store.add_contact(make_card("Ada Lovelace"))
    default.parent.chmod(0o755)
    default.chmod(0o644)
    with Store.open():
        assert mode(default.parent) == 0o700
        assert mode(default) == 0o600


def test_a_folder_the_user_chose_keeps_its_mode(umask_022, tmp_path):
    folder = tmp_path / "shared-folder"
    folder.mkdir(mode=0o755)
    with Store.open(folder / "book.sqlite3") as store:
        store.add_contact(make_card("Ada Lovelace"))
    assert mode(folder) == 0o755  # not ours to close
    assert mode(folder / "book.sqlite3") == 0o600
