"""`netbook` on the command line: the sub-commands, their output and their exit codes
(0 done, 1 done in part, 2 usage error or unreadable input) are a contract."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import cli, make_card

from netbook.data import db as dbmod
from netbook.data import networking
from netbook.data.contacts import Store

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date.today()


def run(*args: str, env: dict | None = None, input: bytes | None = None
        ) -> subprocess.CompletedProcess:
    """Run the real program, `python -m netbook ARGS`."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run([sys.executable, "-m", "netbook", *args], cwd=ROOT, env=full_env,
                          capture_output=True, input=input, timeout=60)


def vcf(*cards: list[str]) -> bytes:
    return "".join("BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{x}\r\n" for x in c)
                   + "END:VCARD\r\n" for c in cards).encode("utf-8")


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def add(db_path: Path, name: str, **kwargs) -> int:
    with Store.open(db_path) as store:
        return store.add_contact(make_card(name, **kwargs))


ADA = ["UID:ada-1", "FN:Ada Lovelace", "N:Lovelace;Ada;;;", "ORG:Engines", "TITLE:Countess",
       "item1.TEL;TYPE=CELL:+44 7700 900001", "item1.X-ABLabel:_$!<Mobile>!$_",
       "EMAIL;TYPE=HOME:ada@example.org", "BDAY:1815-12-10", "CATEGORIES:math,friends"]
BOB = ["UID:bob-1", "FN:Bob Burns", "N:Burns;Bob;;;", "EMAIL:bob@example.org"]


# -- end to end: the real program -------------------------------------------------------


def test_list_json_end_to_end(tmp_path):
    db = tmp_path / "e2e.sqlite3"
    (tmp_path / "in.vcf").write_bytes(vcf(ADA, BOB))
    imported = run("import", "--db", str(db), str(tmp_path / "in.vcf"))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.decode().strip() == (
        "2 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable")

    listed = run("list", "--db", str(db), "--format", "json")
    assert listed.returncode == 0 and listed.stderr == b""
    people = json.loads(listed.stdout)
    assert [p["name"] for p in people] == ["Bob Burns", "Ada Lovelace"]
    ada = people[1]
    assert isinstance(ada["id"], int)
    assert ada["uid"] == "ada-1"
    assert (ada["given"], ada["family"]) == ("Ada", "Lovelace")
    assert (ada["organization"], ada["title"]) == ("Engines", "Countess")
    assert ada["phones"] == [{"value": "+44 7700 900001", "type": "cell", "label": "Mobile"}]
    assert ada["emails"] == [{"value": "ada@example.org", "type": "home", "label": ""}]
    assert ada["birthday"] == "1815-12-10"
    assert ada["tags"] == ["math", "friends"]
    assert people[0]["birthday"] is None and people[0]["phones"] == []


def test_NETBOOK_DB_is_honoured(tmp_path):
    db = tmp_path / "env.sqlite3"
    assert run("demo", env={"NETBOOK_DB": str(db)}).returncode == 0
    assert db.exists()
    listed = run("list", "--format", "json", env={"NETBOOK_DB": str(db)})
    assert len(json.loads(listed.stdout)) >= 45


def test_without_db_or_NETBOOK_DB_the_user_data_folder_is_used(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("NETBOOK_DB", None)
    proc = subprocess.run([sys.executable, "-m", "netbook", "list"], cwd=ROOT, env=env,
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "data" / "netbook" / "netbook.sqlite3").exists()


def test_a_db_that_is_not_a_database_gets_one_line_and_is_left_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list: eggs, milk\n")
    before = fingerprint(path)
    proc = run("list", "--db", str(path))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and str(path) in err
    assert proc.stdout == b""
    assert fingerprint(path) == before


def test_export_to_stdout_end_to_end(tmp_path):
    db = tmp_path / "e2e.sqlite3"
    (tmp_path / "in.vcf").write_bytes(vcf(ADA))
    run("import", "--db", str(db), str(tmp_path / "in.vcf"))
    proc = run("export", "--db", str(db))
    assert proc.returncode == 0
    text = proc.stdout.decode("utf-8")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and "UID:ada-1" in text


def test_a_partial_import_exits_1_end_to_end(tmp_path):
    db = tmp_path / "e2e.sqlite3"
    bad = vcf(ADA) + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Never Ends\r\n" + vcf(BOB)
    (tmp_path / "mixed.vcf").write_bytes(bad)
    proc = run("import", "--db", str(db), str(tmp_path / "mixed.vcf"))
    assert proc.returncode == 1
    assert proc.stdout.decode().strip() == "2 new, 0 updated, 0 merged, 0 unchanged, 1 unreadable"
    assert "mixed.vcf: card 2 (line " in proc.stderr.decode()


def test_week_json_end_to_end(tmp_path):
    db = tmp_path / "e2e.sqlite3"
    run("demo", "--db", str(db))
    proc = run("week", "--db", str(db), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    assert plan["items"]


def test_the_other_window_is_the_command_line(tmp_path):
    """Two programs on one file: each sees the other's writes; no edit is lost."""
    db = tmp_path / "shared.sqlite3"
    with Store.open(db) as window:
        cid = window.add_contact(make_card("Margaret Hamilton"))
        seen = window.get_contact(cid)
        proc = run("list", "--db", str(db), "--format", "json")
        assert [p["name"] for p in json.loads(proc.stdout)] == ["Margaret Hamilton"]
        assert run("set", "--db", str(db), str(cid), "--needs", "a rocket").returncode == 0
        assert run("log", "--db", str(db), "hamilton", "--kind", "call").returncode == 0
        assert window.get_contact(cid).needs == "a rocket"
        assert window.get_contact(cid).last_contacted == TODAY
        from netbook.data.contacts import ConflictError

        with pytest.raises(ConflictError):
            window.save_card(cid, seen.card, seen.revision)
        assert window.get_contact(cid).needs == "a rocket"


# -- list ----------------------------------------------------------------------------------


def test_list_text_one_contact_a_line(capsys, db_path):
    add(db_path, "Ada Lovelace", org="Engines")
    add(db_path, "Evil\nName")
    code, out, err = cli(capsys, "list", "--db", str(db_path))
    assert code == 0 and err == ""
    lines = sorted(line.split("\t", 1)[1] for line in out.splitlines())
    assert lines == ["Ada Lovelace — Engines", "Evil Name"]


def test_list_search(capsys, db_path):
    add(db_path, "Jürgen Müller", phones=["+1 (555) 010-0123"])
    add(db_path, "Other Person")
    _, out, _ = cli(capsys, "list", "--db", str(db_path), "--search", "muller",
                    "--format", "json")
    assert [p["name"] for p in json.loads(out)] == ["Jürgen Müller"]
    _, out, _ = cli(capsys, "list", "--db", str(db_path), "--search", "555 0100",
                    "--format", "json")
    assert [p["name"] for p in json.loads(out)] == ["Jürgen Müller"]


def test_list_of_an_empty_book_is_an_empty_array(capsys, db_path):
    code, out, _ = cli(capsys, "list", "--db", str(db_path), "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_list_json_keeps_odd_text_exactly(capsys, db_path):
    odd = "<b>x</b> \u202eevil\x07 \"quoted\""
    add(db_path, "Odd One", org=odd)
    _, out, _ = cli(capsys, "list", "--db", str(db_path), "--format", "json")
    assert json.loads(out)[0]["organization"] == odd


@pytest.mark.parametrize("args", [
    ["list", "--format", "xml"],
    ["list", "--bogus"],
    ["frobnicate"],
    ["log", "someone"],  # --kind is required
    ["week", "--date", "2024-02-30"],
    ["week", "--date", "next friday"],
])
def test_usage_errors_exit_2_with_a_message_on_stderr(capsys, db_path, args):
    code, out, err = cli(capsys, *args, "--db", str(db_path))
    assert code == 2
    assert out == "" and err.strip()


def test_a_db_in_a_folder_that_cannot_be_made_is_a_clear_error(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = cli(capsys, "list", "--db", str(blocker / "sub" / "n.sqlite3"))
    assert code == 2
    assert str(blocker / "sub" / "n.sqlite3") in err and "Traceback" not in err


def test_a_db_from_a_newer_netbook_is_refused_in_one_line(capsys, db_path):
    Store.open(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    before = fingerprint(db_path)
    code, out, err = cli(capsys, "list", "--db", str(db_path))
    assert code == 2 and out == ""
    assert "newer netbook" in err and err.count("\n") == 1
    assert fingerprint(db_path) == before


# -- demo ------------------------------------------------------------------------------------


def test_demo_adds_about_fifty_once(capsys, db_path):
    code, out, _ = cli(capsys, "demo", "--db", str(db_path))
    assert code == 0 and "Added" in out
    with Store.open(db_path) as store:
        count = store.count()
    assert 45 <= count <= 55
    code, out, _ = cli(capsys, "demo", "--db", str(db_path))
    assert code == 0 and "already" in out
    with Store.open(db_path) as store:
        assert store.count() == count


# -- import ------------------------------------------------------------------------------------


def test_import_then_again_changes_nothing(capsys, db_path, tmp_path):
    path = tmp_path / "phone.vcf"
    path.write_bytes(vcf(ADA, BOB))
    code, out, _ = cli(capsys, "import", "--db", str(db_path), str(path))
    assert (code, out) == (0, "2 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable\n")
    code, out, _ = cli(capsys, "import", "--db", str(db_path), str(path))
    assert (code, out) == (0, "0 new, 0 updated, 0 merged, 2 unchanged, 0 unreadable\n")


def test_import_lists_probable_duplicates_and_merges_them_on_request(capsys, db_path,
                                                                       tmp_path):
    (tmp_path / "a.vcf").write_bytes(vcf(ADA))
    (tmp_path / "b.vcf").write_bytes(vcf(["UID:x-1", "FN:A. Lovelace", "TEL:+44 7700 900001",
                                          "EMAIL:countess@example.org"]))
    cli(capsys, "import", "--db", str(db_path), str(tmp_path / "a.vcf"))
    code, out, err = cli(capsys, "import", "--db", str(db_path), str(tmp_path / "b.vcf"))
    assert code == 0 and out.startswith("1 new,")
    assert "probable duplicate" in err and "A. Lovelace" in err and "Ada Lovelace" in err

    fresh = db_path.with_name("fresh.sqlite3")
    cli(capsys, "import", "--db", str(fresh), str(tmp_path / "a.vcf"))
    code, out, err = cli(capsys, "import", "--db", str(fresh), "--merge",
                         str(tmp_path / "b.vcf"))
    assert (code, out) == (0, "0 new, 0 updated, 1 merged, 0 unchanged, 0 unreadable\n")
    assert "probable duplicate" not in err


def test_import_with_a_bad_card_exits_1_and_names_it(capsys, db_path, tmp_path):
    path = tmp_path / "mixed.vcf"
    path.write_bytes(vcf(ADA) + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n" + vcf(BOB))
    code, out, err = cli(capsys, "import", "--db", str(db_path), str(path))
    assert code == 1
    assert out == "2 new, 0 updated, 0 merged, 0 unchanged, 1 unreadable\n"
    assert f"{path}: card 2 (line 14)" in err


@pytest.mark.parametrize("content", [None, b"", b"just some text\n", b"\x00\x01\x02" * 50])
def test_import_of_an_unreadable_file_exits_2_and_writes_nothing(capsys, db_path, tmp_path,
                                                                 content):
    add(db_path, "Already Here")
    good = tmp_path / "good.vcf"
    good.write_bytes(vcf(ADA))
    bad = tmp_path / "bad.vcf"
    if content is not None:
        bad.write_bytes(content)
    with Store.open(db_path) as store:
        before = [r.name for r in store.list_rows()]
    code, out, err = cli(capsys, "import", "--db", str(db_path), str(good), str(bad))
    assert code == 2 and out == ""
    assert str(bad) in err and "Nothing was imported" in err
    with Store.open(db_path) as store:
        assert [r.name for r in store.list_rows()] == before
    assert dbmod.list_backups(db_path) == []


def test_import_of_a_folder_exits_2(capsys, db_path, tmp_path):
    code, _, err = cli(capsys, "import", "--db", str(db_path), str(tmp_path))
    assert code == 2 and err.count("is a folder") == 1


def test_import_backs_up_and_restore_brings_the_old_state_back(capsys, db_path, tmp_path):
    add(db_path, "Before Import")
    (tmp_path / "a.vcf").write_bytes(vcf(ADA, BOB))
    cli(capsys, "import", "--db", str(db_path), str(tmp_path / "a.vcf"))
    code, out, _ = cli(capsys, "restore", "--db", str(db_path), "--list")
    assert code == 0
    assert out.startswith("1\t") and "before-import" in out
    code, out, _ = cli(capsys, "restore", "--db", str(db_path), "1")
    assert code == 0 and "Restored" in out
    _, out, _ = cli(capsys, "list", "--db", str(db_path), "--format", "json")
    assert [p["name"] for p in json.loads(out)] == ["Before Import"]


def test_restore_with_no_backups_and_with_a_bad_choice(capsys, db_path):
    code, out, _ = cli(capsys, "restore", "--db", str(db_path))
    assert code == 0 and "No backups" in out
    code, _, err = cli(capsys, "restore", "--db", str(db_path), "7")
    assert code == 2 and "no backup" in err


# -- export ------------------------------------------------------------------------------------


def test_export_to_a_file_with_a_tag_and_a_version(capsys, db_path, tmp_path):
    add(db_path, "Golf Gus", tags=["golf"])
    add(db_path, "Other Otto")
    target = tmp_path / "golf.vcf"
    code, out, err = cli(capsys, "export", "--db", str(db_path), "--tag", "golf",
                         "--vcard-version", "4.0", "-o", str(target))
    assert code == 0 and out == "" and "Exported 1" in err
    text = target.read_text("utf-8")
    assert "VERSION:4.0" in text and "Golf Gus" in text and "Other Otto" not in text


def test_export_of_an_unknown_tag_is_an_error(capsys, db_path):
    add(db_path, "Someone")
    code, out, err = cli(capsys, "export", "--db", str(db_path), "--tag", "nope")
    assert code == 2 and out == "" and "nope" in err


def test_export_to_a_place_that_cannot_be_written_is_an_error(capsys, db_path, tmp_path):
    add(db_path, "Someone")
    for target in (tmp_path / "missing" / "out.vcf", tmp_path):
        code, _, err = cli(capsys, "export", "--db", str(db_path), "-o", str(target))
        assert code == 2 and str(target) in err and "Traceback" not in err


def test_networking_data_survives_export_and_import_by_command_line(capsys, tmp_path):
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    intro = add(a, "Ivy Introducer")
    cid = add(a, "Nina Network")
    cli(capsys, "set", "--db", str(a), str(cid), "--rhythm", "close", "--met", "2023-04-05",
        "--met-where", "PyCon", "--introduced-by", "ivy", "--does", "boats",
        "--needs", "a sail maker", "--offers", "woodwork", "--follow-up", "2030-01-01",
        "--follow-up-note", "photos")
    cli(capsys, "log", "--db", str(a), "nina", "--kind", "coffee", "--date", "2024-05-01",
        "--note", "first coffee", "--gave", "advice")
    cli(capsys, "export", "--db", str(a), "-o", str(tmp_path / "trip.vcf"))
    code, out, _ = cli(capsys, "import", "--db", str(b), str(tmp_path / "trip.vcf"))
    assert (code, out) == (0, "2 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable\n")
    with Store.open(b) as store:
        r = store.get_contact(store.resolve("Nina Network"))
        assert (r.rhythm_days, r.circle, r.met_on, r.met_where) == (
            30, "close", dt.date(2023, 4, 5), "PyCon")
        assert (r.does, r.needs, r.offers) == ("boats", "a sail maker", "woodwork")
        assert (r.follow_up, r.follow_up_note) == (dt.date(2030, 1, 1), "photos")
        assert r.introduced_by_name == "Ivy Introducer"
        [i] = networking.interactions(store, r.id)
        assert (i.on, i.kind, i.note, i.exchange, i.gift) == (
            dt.date(2024, 5, 1), "coffee", "first coffee", "gave", "advice")
    del intro


# -- log, set, block -------------------------------------------------------------------------


def test_log_a_touch_by_name(capsys, db_path):
    cid = add(db_path, "Ada Lovelace")
    code, out, _ = cli(capsys, "log", "--db", str(db_path), "lovelace", "--kind", "call",
                       "--date", (TODAY - dt.timedelta(days=2)).isoformat(), "--note", "hi",
                       "--asked")
    assert code == 0 and out == "Logged a call with Ada Lovelace\n"
    with Store.open(db_path) as store:
        [row] = networking.interactions(store, cid)
        assert (row.on, row.note, row.exchange) == (TODAY - dt.timedelta(days=2), "hi", "asked")
        assert store.get_contact(cid).last_contacted == row.on


def test_log_by_id_and_by_uid(capsys, db_path):
    cid = add(db_path, "Ada Lovelace")
    with Store.open(db_path) as store:
        uid = store.get_card(cid).uid
    assert cli(capsys, "log", "--db", str(db_path), str(cid), "--kind", "email")[0] == 0
    assert cli(capsys, "log", "--db", str(db_path), uid, "--kind", "meal")[0] == 0
    with Store.open(db_path) as store:
        assert len(networking.interactions(store, cid)) == 2


def test_log_in_the_future_is_refused_and_nothing_saved(capsys, db_path):
    cid = add(db_path, "Ada Lovelace")
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    code, out, err = cli(capsys, "log", "--db", str(db_path), str(cid), "--kind", "call",
                         "--date", tomorrow)
    assert code == 2 and out == "" and "future" in err
    with Store.open(db_path) as store:
        assert networking.interactions(store, cid) == []


@pytest.mark.parametrize("args", [["--gave", "money"], ["--gave", "advice", "--asked"],
                                  ["--kind", "telepathy"], ["--date", "2024-13-01"]])
def test_log_with_nonsense_is_a_usage_error(capsys, db_path, args):
    add(db_path, "Ada Lovelace")
    base = ["log", "--db", str(db_path), "ada"]
    if "--kind" not in args:
        base += ["--kind", "call"]
    code, _, err = cli(capsys, *base, *args)
    assert code == 2 and err


def test_a_contact_that_matches_several_is_an_error_that_lists_them(capsys, db_path):
    ids = [add(db_path, f"Sam Taylor {n}") for n in range(2)]
    code, out, err = cli(capsys, "log", "--db", str(db_path), "taylor", "--kind", "call")
    assert code == 2 and out == ""
    assert "matches 2 contacts" in err
    for cid in ids:
        assert f"{cid}: Sam Taylor" in err
    with Store.open(db_path) as store:
        assert all(networking.interactions(store, cid) == [] for cid in ids)


def test_a_contact_that_matches_nobody_is_an_error(capsys, db_path):
    code, _, err = cli(capsys, "set", "--db", str(db_path), "nobody", "--rhythm", "30")
    assert code == 2 and "no contact matches" in err


def test_a_contact_deleted_meanwhile_is_an_error(capsys, db_path):
    cid = add(db_path, "Gone Gary")
    with Store.open(db_path) as store:
        store.delete_contacts([cid])
    code, _, err = cli(capsys, "log", "--db", str(db_path), str(cid), "--kind", "call")
    assert code == 2 and err


def test_an_id_in_the_trash_never_writes_on_someone_else(capsys, db_path):
    """`netbook log 11` after 11 was merged away logged on whoever had "11" in a phone."""
    gone = add(db_path, "Lars Berg")
    card = make_card("Mei Lin", phones=["+1 555 0100 4559"])
    card.set_text("NOTE", f"Flat {gone}, Harbour Road")
    with Store.open(db_path) as store:
        mei = store.add_contact(card)
        store.delete_contacts([gone])
    code, out, err = cli(capsys, "log", "--db", str(db_path), str(gone), "--kind", "call")
    assert code == 2 and out == ""
    assert f"contact {gone} (Lars Berg) is in the trash; restore it first" in err
    code, out, err = cli(capsys, "log", "--db", str(db_path), "4559", "--kind", "call")
    assert code == 2 and "no contact with id 4559" in err
    with Store.open(db_path) as store:
        assert networking.interactions(store, mei) == []


def test_a_card_whose_uid_is_all_digits_is_named_by_it(capsys, db_path):
    """Some servers and phones number their cards: that UID names the contact, while an
    id still comes first and digits are never a search of phones or addresses."""
    lars = add(db_path, "Lars Berg")
    uids = {"Mei Lin": "1700000000123", "Noor Haddad": "31415926535897932384626",
            "Olu Ade": str(lars)}
    ids = {}
    with Store.open(db_path) as store:
        for name, uid in uids.items():
            card = make_card(name, phones=["+1 555 0100 4559"])
            card.set_text("UID", uid)
            ids[name] = store.add_contact(card)
    for name in ("Mei Lin", "Noor Haddad"):
        code, out, err = cli(capsys, "log", "--db", str(db_path), uids[name], "--kind", "call")
        assert code == 0 and name in out, err
    code, out, _ = cli(capsys, "log", "--db", str(db_path), str(lars), "--kind", "call")
    assert code == 0 and "Lars Berg" in out  # the id, not Olu whose UID it is
    code, _, err = cli(capsys, "log", "--db", str(db_path), "4559", "--kind", "call")
    assert code == 2 and "no contact with id 4559" in err
    with Store.open(db_path) as store:
        store.delete_contacts([ids["Mei Lin"]])
    code, _, err = cli(capsys, "log", "--db", str(db_path), uids["Mei Lin"], "--kind", "call")
    assert code == 2 and "no contact with id 1700000000123" in err
    with Store.open(db_path) as store:
        assert [len(networking.interactions(store, ids[n])) for n in uids] == [1, 1, 0]


def test_set_networking_fields(capsys, db_path):
    intro = add(db_path, "Ivy Introducer")
    cid = add(db_path, "Nina Network")
    code, out, _ = cli(capsys, "set", "--db", str(db_path), "nina", "--rhythm", "45",
                       "--met", "2024-01-02", "--met-where", "a train",
                       "--introduced-by", str(intro), "--does", "boats",
                       "--needs", "sails", "--offers", "wood",
                       "--follow-up", (TODAY - dt.timedelta(days=3)).isoformat(),
                       "--follow-up-note", "call back")
    assert code == 0 and out.startswith("Updated Nina Network:")
    with Store.open(db_path) as store:
        r = store.get_contact(cid)
    assert (r.rhythm_days, r.circle, r.met_on, r.met_where) == (45, None,
                                                                dt.date(2024, 1, 2), "a train")
    assert (r.introduced_by, r.does, r.needs, r.offers) == (intro, "boats", "sails", "wood")
    assert r.follow_up == TODAY - dt.timedelta(days=3)  # in the past: simply overdue
    assert r.follow_up_note == "call back"


def test_set_rhythm_by_circle_and_none(capsys, db_path):
    cid = add(db_path, "Nina Network")
    cli(capsys, "set", "--db", str(db_path), str(cid), "--rhythm", "inner")
    with Store.open(db_path) as store:
        assert (store.get_contact(cid).rhythm_days, store.get_contact(cid).circle) == (
            14, "inner")
    cli(capsys, "set", "--db", str(db_path), str(cid), "--rhythm", "none",
        "--introduced-by", "none")
    with Store.open(db_path) as store:
        assert (store.get_contact(cid).rhythm_days, store.get_contact(cid).circle) == (
            None, None)


@pytest.mark.parametrize("args, words", [
    (["--rhythm", "0"], "at least 1 day"),
    (["--rhythm", "-3"], "at least 1 day"),
    (["--rhythm", "whenever"], "rhythm"),
    (["--met", "2999-01-01"], "future"),
    (["--met", "2023-02-29"], "not a date"),
    (["--follow-up", "soon"], "not a date"),
    (["--introduced-by", "nina"], "themselves"),
    ([], "nothing to set"),
])
def test_set_with_bad_values_says_why_and_saves_nothing(capsys, db_path, args, words):
    cid = add(db_path, "Nina Network")
    code, out, err = cli(capsys, "set", "--db", str(db_path), "nina", "--needs", "half?",
                         *args) if args else cli(capsys, "set", "--db", str(db_path), "nina")
    assert code == 2 and out == "" and words in err
    with Store.open(db_path) as store:
        assert store.get_contact(cid).needs == ""


def test_block_shows_and_sets_the_settings(capsys, db_path):
    code, out, _ = cli(capsys, "block", "--db", str(db_path))
    assert code == 0 and "day: Friday\nstart: 08:00\nminutes: 60\n" in out
    code, out, _ = cli(capsys, "block", "--db", str(db_path), "--day", "tue", "--start",
                       "07:30", "--minutes", "45")
    assert code == 0 and "day: Tuesday\nstart: 07:30\nminutes: 45\n" in out
    code, out, _ = cli(capsys, "block", "--db", str(db_path), "--day", "Friday")
    assert "day: Friday\nstart: 07:30\nminutes: 45\n" in out


@pytest.mark.parametrize("args, words", [
    (["--minutes", "0"], "at least 1"),
    (["--minutes", "-5"], "at least 1"),
    (["--minutes", "ten"], "whole number"),
    (["--minutes", "5000"], "longer than a day"),
    (["--day", "t"], "not a day"),
    (["--day", "someday"], "not a day"),
    (["--start", "8pm"], "not a time"),
    (["--start", "24:00"], "not a time"),
])
def test_a_bad_block_is_refused_and_the_old_one_kept(capsys, db_path, args, words):
    code, out, err = cli(capsys, "block", "--db", str(db_path), "--day", "mon", *args)
    assert code == 2 and out == "" and words in err
    _, out, _ = cli(capsys, "block", "--db", str(db_path))
    assert "day: Friday\nstart: 08:00\nminutes: 60\n" in out


# -- week --------------------------------------------------------------------------------------


def test_week_text_lists_the_plan(capsys, db_path):
    cid = add(db_path, "Fred Followup", phones=["555 0100"])
    with Store.open(db_path) as store:
        networking.set_networking(store, cid, follow_up=TODAY - dt.timedelta(days=1),
                                  follow_up_note="send the deck")
    code, out, _ = cli(capsys, "week", "--db", str(db_path))
    assert code == 0
    assert out.startswith("This week's networking block — ")
    assert " 1. [ ] Fred Followup — " in out


def test_week_of_an_empty_book_says_so(capsys, db_path):
    code, out, _ = cli(capsys, "week", "--db", str(db_path), "--date", "2024-03-01")
    assert code == 0 and "Nobody is due this week." in out
