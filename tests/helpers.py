"""Builders the tests share (imported as `from helpers import …`; pytest puts tests/ on
the path, see pyproject.toml). Fixtures stay in conftest.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


def make_card(name: str, *, phones=(), emails=(), org: str = "", tags=(), note: str = "",
              birthday: str = ""):
    """A card as a user would type it in."""
    from netbook.data.vcard.card import Card, NameParts, PartialDate, TypedValue

    card = Card.new()
    given, _, family = name.partition(" ")
    card.set_text("FN", name)
    card.set_name_parts(NameParts(family=family, given=given))
    card.set_typed("TEL", [TypedValue(p, ("cell",)) for p in phones])
    card.set_typed("EMAIL", [TypedValue(e, ("work",)) for e in emails])
    if org:
        card.set_organization(org)
    if tags:
        card.set_categories(tags)
    if note:
        card.set_text("NOTE", note)
    if birthday:
        card.set_date("BDAY", PartialDate.parse(birthday))
    return card


def damage_a_book(db_path: Path) -> Path:
    """A book of 40 people whose last page's cell pointers are scribbled over: netbook
    finds it damaged when it opens it, and opens it read-only."""
    from netbook.data.contacts import Store

    with Store.open(db_path) as store:
        for i in range(40):
            store.add_contact(make_card(f"Person {i:03} Example", note="n" * 300))
        store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    last = len(data) // 4096 - 1
    data[last * 4096 + 8:last * 4096 + 200] = b"\xff" * 192  # one page's cell pointers
    db_path.write_bytes(bytes(data))
    return db_path


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run `netbook ARGS` in this process: (exit code, stdout, stderr)."""
    from netbook.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def bench_module(name: str) -> ModuleType:
    """bench/NAME.py, loaded from its file: the generators `make bench` times are the
    inputs some tests read, so both read the same bytes (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CSV_SAMPLES = Path(__file__).resolve().parent / "data" / "csv" / "samples"


def import_contacts(store, *paths, merge: bool = False, **reader_options):
    """Import files the way `netbook import` does (format recognised by content):
    (plan, summary). `reader_options` go to ContactsReader (forced=, mapping=, event=)."""
    from netbook.data.csv.detect import ContactsReader
    from netbook.data.importing import ImportPolicy, apply_import, plan_import

    reader = ContactsReader(**reader_options)
    plan = plan_import(store, list(paths), reader=reader)
    summary = apply_import(store, plan, ImportPolicy(merge_duplicates=merge))
    return plan, summary


def contact_named(store, name: str):
    """The one stored contact with this display name, as the detail pane has it."""
    ids = [r.id for r in store.list_rows() if r.name == name]
    assert len(ids) == 1, f"{len(ids)} contacts named {name!r}"
    return store.get_contact(ids[0])


PHONE_BOUNDARY = "----netbookPhoneBoundaryX7MA4YWxkTrZu0gW"


def phone_form(filename: str, data: bytes, *, field: str = "vcf",
               boundary: str = PHONE_BOUNDARY) -> bytes:
    """The body a phone's browser sends for Receive from Phone's form (one file field)."""
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: text/x-vcard\r\n\r\n").encode() + \
        data + f"\r\n--{boundary}--\r\n".encode()


def port_refuses(port: int) -> bool:
    """Nothing listens on 127.0.0.1:port any more (the connection is refused)."""
    import socket

    with socket.socket() as s:
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
        except ConnectionRefusedError:
            return True
        return False


def when_asked(kind: type, answer) -> None:
    """Once a modal `kind` (a QMessageBox, a QInputDialog…) is open, `answer(it)`, as the
    user would: the code under test calls exec() and waits for them."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, kind):
            answer(box)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)


def fail_the_check_once(monkeypatch, message: str = "disk I/O error") -> None:
    """The whole check's read fails once, as a disk that hiccups does (the read-only
    connections are the check's and the first look's; only the check is made to fail)."""
    import sqlite3

    real = sqlite3.connect
    failures = [message]

    class Hiccup(sqlite3.Connection):
        def execute(self, sql, *args):
            if sql.startswith("PRAGMA quick_check") and failures:
                raise sqlite3.OperationalError(failures.pop())
            return super().execute(sql, *args)

    def connect(database, *args, **kwargs):
        if "mode=ro" in str(database):
            kwargs["factory"] = Hiccup
        return real(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)

