"""The sync tables the migration makes are the ones the models describe."""

from __future__ import annotations

import sqlite3

import pytest

from netbook.data.models import SyncAccount, SyncCollection, SyncConflict, SyncItem


@pytest.mark.parametrize("model", [SyncAccount, SyncCollection, SyncItem, SyncConflict])
def test_models_match_the_migrated_schema(store, model):
    con = sqlite3.connect(store.path)
    try:
        columns = {name: (bool(notnull), bool(pk)) for _, name, _, notnull, _, pk in
                   con.execute(f"PRAGMA table_info({model._meta.table_name})")}
        indexes = {row[1]: row[2] for row in
                   con.execute(f"PRAGMA index_list({model._meta.table_name})")}
    finally:
        con.close()
    fields = {f.column_name: (not f.null, f.primary_key) for f in model._meta.sorted_fields}
    assert columns == fields
    for cols, unique in model._meta.indexes:
        name = "_".join([model._meta.table_name,
                         *(model._meta.fields[c].column_name for c in cols)])
        assert indexes.get(name) == int(unique), name
