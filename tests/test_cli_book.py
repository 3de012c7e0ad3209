"""The command line of the whole book: duplicates, merge, tag, tags, export --shareable.
Their options, JSON keys and exit codes are a contract (issue 15)."""

from __future__ import annotations

import json

from helpers import make_card

from netbook.cli import main
from netbook.data import networking
from netbook.data.contacts import Store


def cli(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def add(db_path, name: str, **kwargs) -> int:
    with Store.open(db_path) as store:
        return store.add_contact(make_card(name, **kwargs))


def test_duplicates_json_is_a_list_of_contacts_and_reasons(capsys, db_path):
    a = add(db_path, "Ana Lima", phones=["+1 555 010 0001"])
    b = add(db_path, "A. Lima", phones=["(555) 010-0001"])
    add(db_path, "Bob Burns")
    code, out, _ = cli(capsys, "duplicates", "--db", str(db_path), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc == [{"contacts": [{"contact_id": b, "name": "A. Lima"},
                                 {"contact_id": a, "name": "Ana Lima"}],
                    "reasons": ["same phone +15550100001"]}]


def test_duplicates_text_and_none(capsys, db_path):
    code, out, _ = cli(capsys, "duplicates", "--db", str(db_path))
    assert (code, out) == (0, "No probable duplicates.\n")
    add(db_path, "Ana Lima", emails=["ana@example.org"])
    add(db_path, "Ana Maria", emails=["ANA@example.org"])
    code, out, _ = cli(capsys, "duplicates", "--db", str(db_path))
    assert code == 0
    assert out.splitlines()[1] == "   same email ana@example.org"


def test_merge_dry_run_changes_nothing_then_merge(capsys, db_path):
    a = add(db_path, "Ana Lima", phones=["+1 555 010 0001"])
    b = add(db_path, "Ana Lima", emails=["ana@example.org"])
    code, out, err = cli(capsys, "merge", str(a), str(b), "--db", str(db_path), "--dry-run")
    assert code == 0 and "Nothing was changed" in err
    assert "Emails: ana@example.org" in out and "Phones: +1 555 010 0001" in out
    with Store.open(db_path) as store:
        assert store.count() == 2
    code, out, err = cli(capsys, "merge", str(a), str(b), "--db", str(db_path))
    assert code == 0 and "Merged 2 contacts" in err
    with Store.open(db_path) as store:
        assert store.count() == 1
        assert [e.value for e in store.get_card(a).emails] == ["ana@example.org"]


def test_merge_of_unknown_or_same_contacts_exits_2(capsys, db_path):
    a = add(db_path, "Ana Lima")
    assert cli(capsys, "merge", str(a), "999", "--db", str(db_path))[0] == 2
    assert cli(capsys, "merge", str(a), str(a), "--db", str(db_path))[0] == 2
    assert cli(capsys, "merge", str(a), "--db", str(db_path))[0] == 2  # no OTHER


def test_tag_add_and_remove_on_several(capsys, db_path):
    a = add(db_path, "Ana Lima")
    b = add(db_path, "Bob Burns", tags=["clients"])
    code, out, _ = cli(capsys, "tag", str(a), str(b), "--add", "conference", "--db",
                       str(db_path))
    assert (code, out) == (0, "Tagged 2 contacts “conference”\n")
    code, out, _ = cli(capsys, "tag", "Bob", "--remove", "clients", "--db", str(db_path))
    assert (code, out) == (0, "Took “clients” off 1 contact\n")
    code, out, _ = cli(capsys, "tags", "--db", str(db_path), "--format", "json")
    assert json.loads(out) == [{"name": "conference", "count": 2}]
    # exactly one of --add / --remove
    assert cli(capsys, "tag", str(a), "--db", str(db_path))[0] == 2
    assert cli(capsys, "tag", str(a), "--add", "x", "--remove", "y", "--db",
               str(db_path))[0] == 2


def test_tags_rename_merge_and_delete(capsys, db_path):
    add(db_path, "Ana Lima", tags=["client"])
    add(db_path, "Bob Burns", tags=["clients", "old"])
    code, out, _ = cli(capsys, "tags", "--db", str(db_path))
    assert (code, out) == (0, "1\tclient\n1\tclients\n1\told\n")
    code, out, _ = cli(capsys, "tags", "--rename", "client", "clients", "--db", str(db_path),
                       "--format", "json")
    assert code == 0 and json.loads(out) == [{"name": "clients", "count": 2},
                                             {"name": "old", "count": 1}]
    code, out, _ = cli(capsys, "tags", "--delete", "old", "--db", str(db_path), "--format",
                       "json")
    assert json.loads(out) == [{"name": "clients", "count": 2}]
    assert cli(capsys, "tags", "--delete", "nope", "--db", str(db_path))[0] == 2


def test_export_shareable_leaves_the_private_notes_out(capsys, db_path, tmp_path):
    import datetime as dt

    a = add(db_path, "Ana Lima", note="her own card note")
    with Store.open(db_path) as store:
        networking.set_networking(store, a, needs="a designer", rhythm_days=30)
        networking.log_interaction(store, a, on=dt.date.today(), kind="call", note="secret")
    full, shared = tmp_path / "full.vcf", tmp_path / "shared.vcf"
    assert cli(capsys, "export", "-o", str(full), "--db", str(db_path))[0] == 0
    assert cli(capsys, "export", "--shareable", "-o", str(shared), "--db", str(db_path))[0] == 0
    assert b"X-NETBOOK-" in full.read_bytes() and b"secret" in full.read_bytes()
    text = shared.read_bytes()
    assert b"X-NETBOOK-" not in text and b"secret" not in text and b"designer" not in text
    assert b"FN:Ana Lima" in text and b"her own card note" in text
