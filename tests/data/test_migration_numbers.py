"""Migrations run by number, once each: two scripts with one number (two branches
landing the same day) leave a database that reached that number with only one of them
short of the other for good."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from netbook.data import db as dbmod
from netbook.data.contacts import Store


def test_every_migration_has_a_number_of_its_own():
    numbers = Counter(p.name[:4] for p in dbmod.MIGRATIONS_DIR.glob("[0-9]*.py"))
    assert [n for n, count in numbers.items() if count > 1] == []


def indexes(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        con.close()


def test_a_database_that_reached_12_without_the_work_indexes_gets_them(db_path):
    Store.open(db_path).close()
    con = sqlite3.connect(db_path)  # as main left it for a while: 0012_sort_indexes alone
    with con:
        con.execute("DROP INDEX contact_work")
        con.execute("DROP INDEX contact_needs")
        con.execute("DELETE FROM schema_migration WHERE name LIKE '0013%'")
        con.execute("PRAGMA user_version = 12")
    con.close()
    Store.open(db_path).close()
    assert {"contact_work", "contact_needs", "contact_by_org"} <= indexes(db_path)


def test_a_database_that_ran_both_twelves_migrates_on(db_path):
    Store.open(db_path).close()
    con = sqlite3.connect(db_path)  # both 0012 scripts ran, under their old names
    with con:
        con.execute("UPDATE schema_migration SET name = '0012_work_index' "
                    "WHERE name = '0013_work_index'")
        con.execute("PRAGMA user_version = 12")
    con.close()
    Store.open(db_path).close()
    assert {"contact_work", "contact_needs"} <= indexes(db_path)
