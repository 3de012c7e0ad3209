"""The connector's commands: `show`, `relate`, `who-can-help`, `introduce` (contracts)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from helpers import make_card

from netbook.cli import main
from netbook.data import networking
from netbook.data.contacts import Store
from netbook.data.models import Relation

TODAY = dt.date.today()

SHOW_KEYS = {"id", "uid", "name", "given", "family", "organization", "title", "phones",
             "emails", "birthday", "tags", "rhythm_days", "circle", "met_on", "met_where",
             "introduced_by", "does", "needs", "offers", "follow_up", "follow_up_note",
             "asked_count", "gave_count", "next_due", "interactions", "related"}


def cli(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def add(db: Path, name: str, **fields) -> int:
    card_keys = {k: fields.pop(k) for k in ("emails", "org", "tags", "phones") if k in fields}
    with Store.open(db) as store:
        cid = store.add_contact(make_card(name, **card_keys))
        if fields:
            networking.set_networking(store, cid, **fields)
        return cid


def test_show_json_has_every_key_with_iso_dates_and_nulls(capsys, db_path):
    ravi = add(db_path, "Ravi Patel")
    mia = add(db_path, "Mia Chen", emails=["mia@studio.example"], org="Studio North",
              rhythm_days=30, met_on=TODAY - dt.timedelta(days=3), introduced_by=ravi,
              does="web design")
    with Store.open(db_path) as store:
        networking.log_interaction(store, mia, on=TODAY - dt.timedelta(days=2), kind="coffee",
                                   note="talked shop", exchange="gave", gift="advice")
        networking.log_interaction(store, mia, on=TODAY, kind="call", exchange="asked")
    assert cli(capsys, "relate", "Mia", "Ravi", "--as", "colleague", "--db",
               str(db_path))[0] == 0
    code, out, _ = cli(capsys, "show", "Mia Chen", "--format", "json", "--db", str(db_path))
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == SHOW_KEYS
    assert doc["met_on"] == (TODAY - dt.timedelta(days=3)).isoformat()
    assert doc["next_due"] == (TODAY + dt.timedelta(days=30)).isoformat()
    assert doc["needs"] is None and doc["follow_up"] is None and doc["circle"] is None
    assert doc["introduced_by"] == {"contact_id": ravi, "name": "Ravi Patel"}
    assert (doc["asked_count"], doc["gave_count"]) == (1, 1)
    assert [i["kind"] for i in doc["interactions"]] == ["call", "coffee"]  # newest first
    assert doc["interactions"][1] == {"date": (TODAY - dt.timedelta(days=2)).isoformat(),
                                      "kind": "coffee", "note": "talked shop",
                                      "gave": "advice", "asked": False}
    assert doc["related"] == [{"contact_id": ravi, "name": "Ravi Patel",
                               "type": "introduced-by"},
                              {"contact_id": ravi, "name": "Ravi Patel", "type": "colleague"}]
    code, out, _ = cli(capsys, "show", str(mia), "--db", str(db_path))
    assert code == 0 and "Mia Chen — Studio North" in out and "Colleague: Ravi Patel" in out


def test_relate_and_remove_say_what_happened(capsys, db_path):
    add(db_path, "Tom Berg")
    add(db_path, "Anna Berg")
    code, out, _ = cli(capsys, "relate", "Tom", "Anna", "--as", "parent", "--db", str(db_path))
    assert (code, out) == (0, "Anna Berg is Tom Berg's parent\n")
    code, out, _ = cli(capsys, "relate", "Tom", "Anna", "--as", "parent", "--db", str(db_path))
    assert code == 0 and "already; nothing changed" in out
    code, out, _ = cli(capsys, "show", "Anna", "--format", "json", "--db", str(db_path))
    assert [r["type"] for r in json.loads(out)["related"]] == ["child"]
    code, out, _ = cli(capsys, "relate", "Tom", "Anna", "--remove", "--db", str(db_path))
    assert (code, out) == (0, "Tom Berg and Anna Berg are no longer related\n")


@pytest.mark.parametrize("args, message", [
    (["Tom", "Tom", "--as", "friend"], "can't be related to themselves"),
    (["Tom", "Anna", "--as", "boss"], "unknown relationship “boss”"),
    (["Tom", "Anna"], "--as TYPE"),
    (["Tom", "Nobody", "--as", "friend"], "no contact matches"),
    (["Tom", "Anna", "--remove"], "aren't related"),
])
def test_relate_refuses_bad_input_and_saves_nothing(capsys, db_path, args, message):
    add(db_path, "Tom Berg")
    add(db_path, "Anna Berg")
    code, out, err = cli(capsys, "relate", *args, "--db", str(db_path))
    assert code == 2 and message in err and out == ""
    with Store.open(db_path):
        assert Relation.select().count() == 0


def test_a_cycle_of_parents_is_refused(capsys, db_path):
    for name in ("Ann Old", "Bea Mid", "Cy Young"):
        add(db_path, name)
    assert cli(capsys, "relate", "Cy", "Bea", "--as", "parent", "--db", str(db_path))[0] == 0
    assert cli(capsys, "relate", "Bea", "Ann", "--as", "parent", "--db", str(db_path))[0] == 0
    code, _, err = cli(capsys, "relate", "Ann", "Cy", "--as", "parent", "--db", str(db_path))
    assert code == 2 and "cycle of parents" in err


def test_relating_to_someone_in_the_trash_is_refused(capsys, db_path):
    from netbook.data import operations

    tom = add(db_path, "Tom Berg")
    anna = add(db_path, "Anna Berg")
    with Store.open(db_path) as store:
        operations.delete_contacts(store, [anna])
    code, _, err = cli(capsys, "relate", str(tom), str(anna), "--as", "friend", "--db",
                       str(db_path))
    assert code == 2 and "contact 2 (Anna Berg) is in the trash" in err
