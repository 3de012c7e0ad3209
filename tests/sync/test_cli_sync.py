"""`netbook account …` and `netbook sync`: the contract (names, options, exit codes)."""

from __future__ import annotations

import io

from helpers import make_card

from netbook.cli import main
from netbook.data.carddav.accounts import KEYRING_SERVICE
from netbook.data.models import Contact

from .conftest import PASSWORD, USER, Phone, vcard
from .test_accounts import make_book


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys, monkeypatch, db, radicale, book, name="phone"):
    return run(capsys, "account", "add", "--db", str(db), name, "--url", radicale,
               "--user", USER, "--password-stdin", "--addressbook", book.strip("/").split("/")[-1],
               stdin=PASSWORD + "\n", monkeypatch=monkeypatch)


def test_account_add_list_remove(capsys, monkeypatch, db_path, radicale, book, memory_keyring):
    code, out, err = add(capsys, monkeypatch, db_path, radicale, book)
    assert code == 0, err
    assert "Added account phone" in out
    code, out, _ = run(capsys, "account", "list", "--db", str(db_path))
    assert code == 0 and "phone" in out and book in out and "never" in out
    code, _, err = add(capsys, monkeypatch, db_path, radicale, book)
    assert code == 2 and "already" in err
    code, _, _ = run(capsys, "account", "remove", "--db", str(db_path), "phone")
    assert code == 0 and memory_keyring.data == {}
    code, _, err = run(capsys, "account", "remove", "--db", str(db_path), "phone")
    assert code == 2 and "no account" in err


def test_account_add_refuses_a_wrong_password(capsys, monkeypatch, db_path, radicale, book):
    code, _, err = run(capsys, "account", "add", "--db", str(db_path), "x", "--url", radicale,
                       "--user", USER, "--password-stdin", stdin="wrong\n",
                       monkeypatch=monkeypatch)
    assert code == 2 and "refused the user name or password" in err


def test_sync_exit_codes_and_prefer(capsys, monkeypatch, db_path, radicale, book, phone):
    assert add(capsys, monkeypatch, db_path, radicale, book)[0] == 0
    from netbook.data.contacts import Store

    with Store.open(db_path) as store:
        cid = store.add_contact(make_card("Ada Lovelace", note="base"))
        uid = Contact.get_by_id(cid).uid
    code, out, err = run(capsys, "sync", "--db", str(db_path))
    assert code == 0, err
    assert "1 sent" in out
    with Store.open(db_path) as store:
        card = store.get_card(cid)
        card.set_text("NOTE", "mine")
        store.save_card(cid, card)
    phone.put(f"{uid}.vcf", phone.get(f"{uid}.vcf").replace("NOTE:base", "NOTE:theirs"))
    code, out, err = run(capsys, "sync", "--db", str(db_path), "--account", "phone")
    assert code == 1 and "conflict" in err and "Ada Lovelace" in err
    code, _, err = run(capsys, "sync", "--db", str(db_path), "--prefer", "remote")
    assert code == 0, err
    assert "NOTE:theirs" in phone.get(f"{uid}.vcf")
    with Store.open(db_path) as store:
        assert store.get_card(cid).note == "theirs"
    code, out, _ = run(capsys, "account", "list", "--db", str(db_path))
    assert "(ok)" in out


def test_sync_stops_when_the_server_is_suddenly_empty(capsys, monkeypatch, db_path, radicale,
                                                       book, phone):
    assert add(capsys, monkeypatch, db_path, radicale, book)[0] == 0
    for i in range(3):
        phone.put(f"p{i}.vcf", vcard(f"p-{i}", f"Person{i} Phone"))
    assert run(capsys, "sync", "--db", str(db_path))[0] == 0
    for name in phone.names():
        phone.delete(name)
    code, _, err = run(capsys, "sync", "--db", str(db_path))
    assert code == 2 and "suddenly empty" in err and "--allow-empty" in err
    from netbook.data.contacts import Store

    with Store.open(db_path) as store:
        assert store.count() == 3
    code, _, err = run(capsys, "sync", "--db", str(db_path), "--allow-empty")
    assert code == 0, err
    with Store.open(db_path) as store:
        assert store.count() == 0 and len(store.trash()) == 3


def test_sync_errors_are_words_and_exit_2(capsys, monkeypatch, db_path, radicale, book):
    assert add(capsys, monkeypatch, db_path, radicale, book)[0] == 0
    code, _, err = run(capsys, "sync", "--db", str(db_path), "--account", "nope")
    assert code == 2 and "no account" in err
    monkeypatch.setenv("NETBOOK_PASSWORD", "wrong")
    code, _, err = run(capsys, "sync", "--db", str(db_path))
    assert code == 2 and "refused the user name or password" in err
    code, out, _ = run(capsys, "account", "list", "--db", str(db_path))
    assert "(error)" in out and "refused" in out


def test_sync_runs_every_account_and_stops_at_the_first_that_fails(capsys, monkeypatch, db_path,
                                                                    radicale, book,
                                                                    memory_keyring):
    other = make_book(radicale, "Work")
    assert add(capsys, monkeypatch, db_path, radicale, book, name="home")[0] == 0
    assert add(capsys, monkeypatch, db_path, radicale, other, name="work")[0] == 0
    code, out, err = run(capsys, "sync", "--db", str(db_path))
    assert code == 0, err
    nothing = "0 sent, 0 received, 0 deleted on the server, 0 moved to the trash here"
    assert out.splitlines() == [f"home: {nothing}", f"work: {nothing}"]

    work = Phone(radicale, other)
    work.put("grace.vcf", vcard("grace-1", "Grace Hopper"))
    memory_keyring.data[(KEYRING_SERVICE, "home")] = "wrong"
    code, out, err = run(capsys, "sync", "--db", str(db_path))
    assert code == 2 and out == ""
    assert err.startswith("netbook sync: home: ") and "refused the user name or password" in err
    from netbook.data.contacts import Store

    with Store.open(db_path) as store:
        assert store.find_by_uid("grace-1") is None  # work was not synced

    memory_keyring.data[(KEYRING_SERVICE, "home")] = PASSWORD
    code, out, err = run(capsys, "sync", "--db", str(db_path))
    assert code == 0, err
    assert out.splitlines() == [f"home: {nothing}",
                                "work: 0 sent, 1 received, 0 deleted on the server, "
                                "0 moved to the trash here"]
    with Store.open(db_path) as store:
        assert store.find_by_uid("grace-1") is not None
    work.http.close()


def test_an_account_failing_after_one_synced_is_done_in_part(capsys, monkeypatch, db_path,
                                                             radicale, book, memory_keyring):
    other = make_book(radicale, "Work")
    assert add(capsys, monkeypatch, db_path, radicale, book, name="home")[0] == 0
    assert add(capsys, monkeypatch, db_path, radicale, other, name="work")[0] == 0
    memory_keyring.data[(KEYRING_SERVICE, "work")] = "wrong"
    code, out, err = run(capsys, "sync", "--db", str(db_path))
    assert code == 1  # home was synced: done in part, not a usage error
    assert out.startswith("home: 0 sent, 0 received")
    assert err.startswith("work: ") and "refused the user name or password" in err
