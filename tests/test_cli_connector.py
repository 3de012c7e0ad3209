"""The connector's commands: `show`, `relate`, `who-can-help`, `introduce` (contracts)."""

from __future__ import annotations

import datetime as dt
import json
import re
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


def test_who_can_help_json_is_a_ranked_list(capsys, db_path):
    mia = add(db_path, "Mia Chen", org="Studio North", does="web design")
    ravi = add(db_path, "Ravi Patel", tags=["design"])
    cli(capsys, "relate", "Mia", "Ravi", "--as", "colleague", "--db", str(db_path))
    code, out, _ = cli(capsys, "who-can-help", "a web designer", "--format", "json",
                       "--db", str(db_path))
    assert code == 0
    assert json.loads(out) == [
        {"contact_id": mia, "name": "Mia Chen", "organization": "Studio North",
         "matched": "does web design",
         "known_through": [{"contact_id": ravi, "name": "Ravi Patel", "type": "colleague"}]},
        {"contact_id": ravi, "name": "Ravi Patel", "organization": "",
         "matched": "is tagged design",
         "known_through": [{"contact_id": mia, "name": "Mia Chen", "type": "colleague"}]}]
    code, out, _ = cli(capsys, "who-can-help", "a web designer", "--db", str(db_path))
    assert out.splitlines()[:2] == [" 1. Mia Chen (Studio North) — does web design",
                                    "      known through Ravi Patel (colleague)"]


def test_who_can_help_with_only_stop_words_says_so(capsys, db_path):
    code, out, err = cli(capsys, "who-can-help", "someone to help with the", "--db",
                         str(db_path))
    assert code == 2 and "no word to match on" in err and out == ""


def test_introduce_logs_both_and_prints_the_draft(capsys, db_path):
    add(db_path, "Mia Chen", emails=["mia@studio.example"], does="web design")
    omar = add(db_path, "Omar Haddad", emails=["omar@example.org"], needs="a web designer")
    # said either way round: the one who needed it gets the follow-up
    code, out, _ = cli(capsys, "introduce", "Mia", "Omar", "--note", "Both in Hamburg.",
                       "--format", "json", "--db", str(db_path))
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"to", "subject", "body"}
    assert doc["to"] == ["omar@example.org", "mia@studio.example"]
    assert doc["subject"] == "Introduction: Omar Haddad ↔ Mia Chen"
    code, out, _ = cli(capsys, "show", str(omar), "--format", "json", "--db", str(db_path))
    shown = json.loads(out)
    assert shown["follow_up"] == (TODAY + dt.timedelta(days=7)).isoformat()
    assert shown["interactions"][0]["gave"] == "introduction"
    code, out, _ = cli(capsys, "show", "Mia", "--format", "json", "--db", str(db_path))
    assert json.loads(out)["gave_count"] == 1


def test_introduce_to_someone_without_an_email_saves_nothing(capsys, db_path):
    add(db_path, "Mia Chen", does="web design")
    add(db_path, "Omar Haddad", emails=["omar@example.org"], needs="a web designer")
    code, out, err = cli(capsys, "introduce", "Omar", "Mia", "--db", str(db_path))
    assert code == 2 and "Mia Chen has no email address" in err and out == ""
    with Store.open(db_path):
        from netbook.data.models import Interaction
        assert Interaction.select().count() == 0


def test_week_json_items_carry_the_introduction_only_where_there_is_one(capsys, db_path):
    mia = add(db_path, "Mia Chen", emails=["mia@studio.example"], does="web design")
    add(db_path, "Omar Haddad", needs="a web designer", met_on=TODAY - dt.timedelta(days=3),
        met_where="on the flight")
    add(db_path, "Ada Alone", met_on=TODAY - dt.timedelta(days=2))
    code, out, _ = cli(capsys, "week", "--format", "json", "--db", str(db_path))
    assert code == 0
    items = {i["name"]: i for i in json.loads(out)["items"]}
    intro = items["Omar Haddad"]["introduce"]
    assert (intro["contact_id"], intro["name"]) == (mia, "Mia Chen")
    # how long ago is counted to the block's day, like the plan's own "Met 3 days ago"
    assert re.fullmatch(r"Omar Haddad, met on the flight (\d+ days ago|last week), needs a "
                        r"web designer; Mia Chen \(web design\) could help: introduce them",
                        intro["why"])
    assert "introduce" not in items["Ada Alone"]
    _, out, _ = cli(capsys, "week", "--db", str(db_path))
    assert "→ Introduce: Omar Haddad, met on the flight" in out
