"""Writers wait for each other (issue 12, 3): every write transaction takes the lock up
front (BEGIN IMMEDIATE), so the busy timeout applies and a second writer waits its turn
instead of failing at once with "database is locked". Real processes on one file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from helpers import make_card

from netbook.data import networking
from netbook.data.contacts import Store

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE contact SET updated_at = updated_at")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    con.execute("COMMIT")
""")


def netbook(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "netbook", *args], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    """(exit code, stderr) of a finished process, its pipes closed."""
    _out, err = proc.communicate(timeout=120)
    return proc.returncode, err


def test_a_write_waits_for_another_process_that_holds_the_lock(db_path):
    with Store.open(db_path) as store:
        cid = store.add_contact(make_card("Ada Lovelace"))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), "1.5"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        logs = [netbook("log", "--db", str(db_path), "Ada", "--kind", kind)
                for kind in ("call", "email", "coffee")]
        results = [finish(p) for p in logs]
    finally:
        holder.communicate(timeout=30)
    assert results == [(0, "")] * 3
    with Store.open(db_path) as store:
        assert len(networking.interactions_for(store, [cid])[cid]) == 3


def test_many_writers_at_once_all_succeed(db_path):
    with Store.open(db_path) as store:
        ids = [store.add_contact(make_card(f"Person {i} Example")) for i in range(6)]
    procs = [netbook("set", "--db", str(db_path), str(cid), "--needs", f"need {cid}")
             for cid in ids]
    procs += [netbook("log", "--db", str(db_path), str(cid), "--kind", "call") for cid in ids]
    results = [finish(p) for p in procs]
    assert [r for r in results if r != (0, "")] == []


def test_logging_calls_during_a_big_import_all_succeed(db_path, tmp_path):
    with Store.open(db_path) as store:
        cid = store.add_contact(make_card("Ada Lovelace"))
    cards = tmp_path / "phone.vcf"
    cards.write_text("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n} Example\r\nN:Example;Person {n};;;\r\n"
        f"TEL;TYPE=CELL:+1 555 {n:07}\r\nNOTE:{'x' * 200}\r\nEND:VCARD\r\n"
        for n in range(3000)), encoding="utf-8")
    importing = netbook("import", "--db", str(db_path), str(cards))
    logs = []
    for kind in ("call", "email", "coffee", "meal", "message", "meeting"):
        logs.append(netbook("log", "--db", str(db_path), "Ada", "--kind", kind))
        time.sleep(0.15)
    results = [finish(p) for p in logs]
    assert finish(importing)[0] == 0
    assert results == [(0, "")] * 6
    with Store.open(db_path) as store:
        assert store.count() == 3001
        assert len(networking.interactions_for(store, [cid])[cid]) == 6
