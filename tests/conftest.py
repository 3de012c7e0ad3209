"""Shared fixtures: each test gets its own temporary database and settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "netbook.sqlite3"


@pytest.fixture
def store(db_path: Path):
    from netbook.data.contacts import Store

    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """QSettings and the default database never touch the developer's own files."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("NETBOOK_DB", str(home / "data" / "netbook" / "netbook.sqlite3"))
    yield
