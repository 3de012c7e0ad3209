"""`netbook list --format json` is one query over stored JSON (issue 11): what it prints
must be, byte for byte, what it printed when it parsed every card (`contact_json` of
`store.get_card`, written by `json.dump(indent=1, ensure_ascii=False)`)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import bench_module, make_card

from netbook.data import db as dbmod
from netbook.data.contacts import ListQuery, Store, contact_json, json_list_text
from netbook.data.importing import apply_import, plan_import
from netbook.data.vcard.card import NameParts, PartialDate, TypedValue

EXPORTS = Path(__file__).resolve().parent / "vcard" / "exports"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "vcard-corpus"


def per_card(store: Store, query: ListQuery | None = None) -> str:
    """The old way: a query and a parse per contact."""
    out = [contact_json(cid, store.get_card(cid)) for cid in store.list_ids(query or ListQuery())]
    return json.dumps(out, ensure_ascii=False, indent=1)


def odd_cards():
    """Cards whose JSON is easy to get wrong: empty lists, labels, quotes, newlines,
    non-BMP text, a line separator, no name at all, a year-less birthday."""
    a = make_card("Ann \"Quote\" O'Neil", phones=["+1 555 0100", "020 7946 0000"],
                  emails=["ann@example.com"], org="Back\\slash; Ltd", tags=["vip", "b, c"],
                  birthday="--04-01")
    a.set_typed("TEL", [*a.phones, TypedValue("+44 20 1234", ("work",), "Boat")])
    b = make_card("Zoë 😀 Ω\u2028line", note="two\nlines")
    b.set_text("TITLE", "Chief\tof  staff\nand more")
    c = make_card("")
    c.remove("FN")
    c.set_name_parts(NameParts())
    d = make_card("Ünïcode Ñame", emails=["a@b.c", "second@b.c"], birthday="1980-12-24")
    d.set_date("BDAY", PartialDate(12, 24, 1980))
    return [a, b, c, d]


def mixed_book(store: Store, tmp_path: Path) -> None:
    phone = tmp_path / "phone.vcf"
    phone.write_bytes(bench_module("vcard_gen").generate_phone_export(300, seed=5))
    files = [phone, *sorted(EXPORTS.glob("*.vcf"))]
    if CORPUS.is_dir():
        files += sorted(CORPUS.rglob("*.vcf"))
    apply_import(store, plan_import(store, files))
    with store.db.atomic():
        store.add_cards(odd_cards())


def test_the_json_list_equals_the_card_by_card_list_on_a_mixed_book(store, tmp_path):
    mixed_book(store, tmp_path)
    assert store.count() > 300
    assert "".join(store.list_json()) == per_card(store)
    for query in (ListQuery(search="ann"), ListQuery(sort="organization", descending=True),
                  ListQuery(search="zzz-nobody")):
        assert "".join(store.list_json(query)) == per_card(store, query)


def test_the_json_list_follows_edits_and_the_trash(store):
    ids = [store.add_contact(card) for card in odd_cards()]
    card = store.get_card(ids[0])
    card.set_text("FN", "Renamed Person")
    card.set_typed("EMAIL", [])
    store.save_card(ids[0], card)
    store.delete_contacts([ids[1]])
    text = "".join(store.list_json())
    assert text == per_card(store)
    assert "Renamed Person" in text and ids[1] not in [p["id"] for p in json.loads(text)]


def test_an_empty_book_lists_as_an_empty_array(store):
    assert "".join(store.list_json()) == "[]" == json.dumps([], indent=1)


def test_a_row_without_stored_json_is_read_from_its_card(store):
    for card in odd_cards():
        store.add_contact(card)
    store.db.execute_sql("UPDATE contact SET card_json = '' WHERE id % 2 = 0")
    assert "".join(store.list_json()) == per_card(store)


def test_a_database_from_before_the_column_gets_it_filled(db_path):
    with Store.open(db_path) as store:
        for card in odd_cards():
            store.add_contact(card)
        before = per_card(store)
    con = sqlite3.connect(db_path)  # as it was before migration 0010
    with con:
        con.execute("ALTER TABLE contact DROP COLUMN card_json")
        con.execute("DELETE FROM schema_migration WHERE name LIKE '0010%'")
        con.execute("PRAGMA user_version = 9")
    con.close()
    with Store.open(db_path) as store:
        assert store.db.execute_sql(
            "SELECT count(*) FROM contact WHERE card_json = ''").fetchone()[0] == 0
        assert "".join(store.list_json()) == before
    assert dbmod.list_backups(db_path)  # the migration ran after a backup


@pytest.mark.parametrize("rows", [[], [{"a": 1}], [{"a": [], "b": [{"x": "1\n2"}], "c": None}],
                                  [{"k": "é\u2028"}, {"k": {}}]])
def test_the_list_text_is_json_dump_with_indent_1(rows):
    stored = [(n, json.dumps(r, ensure_ascii=False, indent=1)) for n, r in enumerate(rows)]
    expected = json.dumps([{"id": n, **r} for n, r in enumerate(rows)], ensure_ascii=False,
                          indent=1)
    assert "".join(json_list_text(stored)) == expected
