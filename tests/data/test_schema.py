"""The schema the migrations leave is the one `models.MODELS` describes (the architecture's
rule): a column added to a model without its migration, or an index a query relies on
that no migration makes, fails here instead of on a user's book."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee

from netbook.data.contacts import Store
from netbook.data.models import MODELS


def _schema(path: Path) -> tuple[dict, dict]:
    """table → {column: (type, not null, pk)}, and table → [indexed column lists]."""
    con = sqlite3.connect(path)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        columns, indexes = {}, {}
        for table in tables:
            columns[table] = {name: (kind.upper(), bool(notnull), bool(pk)) for
                              _, name, kind, notnull, _, pk in
                              con.execute(f'PRAGMA table_info("{table}")')}
            lists = [[c for _, _, c in con.execute(f'PRAGMA index_info("{name}")')]
                     for _, name, *_ in con.execute(f'PRAGMA index_list("{table}")')]
            primary = [c for c, (_, _, pk) in columns[table].items() if pk]
            if primary:  # the primary key is an index too
                lists.append(primary)
            indexes[table] = lists
        return columns, indexes
    finally:
        con.close()


def test_the_migrated_schema_is_the_models_schema(db_path, tmp_path):
    Store.open(db_path).close()  # every migration, as a new book gets them
    fresh = tmp_path / "models.sqlite3"
    db = peewee.SqliteDatabase(fresh)
    with db.bind_ctx(MODELS):
        db.create_tables(MODELS)
    db.close()
    migrated, migrated_indexes = _schema(db_path)
    models, model_indexes = _schema(fresh)
    for table, cols in models.items():
        assert table in migrated, f"no migration creates {table}"
        assert migrated[table] == cols, table
    for table, lists in model_indexes.items():
        for columns in lists:
            assert any(have[:len(columns)] == columns for have in migrated_indexes[table]), (
                f"{table}({', '.join(columns)}): the model's index, made by no migration")
