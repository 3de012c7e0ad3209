"""Nothing a card or a server says can drive the terminal (issue 12, 2): hostile names,
organisations and notes go through the real CLI and come out with every control shown
(^[, \\x9b, \\u202e), while JSON stays exact."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_card

from netbook.data import networking
from netbook.data.contacts import Store

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date.today()
NAME = "Bob\x1b]0;pwned\x07 \x1b[2JSmith\x08\x08\x00"
ORG = "Acme\x9b31m\x1b]52;c;ZXZpbA==\x07"
NOTE = "call \u202eabout the deck\x1b[1A"
TAG = "vip\x1b[5m"
FORBIDDEN = ["\x1b", "\x07", "\x08", "\x00", "\x9b", "\u202e"]


def run(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "netbook", *args], cwd=ROOT, env=env,
                          capture_output=True, input=input, timeout=60)


def harmless(data: bytes) -> bool:
    text = data.decode("utf-8")
    return not any(c in text for c in FORBIDDEN)


@pytest.fixture
def hostile(db_path: Path) -> int:
    with Store.open(db_path) as store:
        cid = store.add_contact(make_card(NAME, org=ORG, note=NOTE, tags=[TAG],
                                          emails=["bob@acme.example"]))
        networking.set_networking(store, cid, follow_up=TODAY, follow_up_note=NOTE,
                                  needs=NOTE, does=NOTE, rhythm_days=7)
        networking.log_interaction(store, cid, on=TODAY - dt.timedelta(days=30), kind="call",
                                   note=NOTE)
        # a probable duplicate of Bob and someone to introduce him to, just as hostile
        twin = store.add_contact(make_card(NAME, org=ORG, emails=["bob@acme.example"]))
        networking.set_networking(store, twin, does="slides " + NOTE)
    return cid


@pytest.mark.parametrize("args", [
    ("list",),
    ("list", "--search", "Smith"),
    ("week",),
    ("log", "1", "--kind", "call", "--note", "fine"),
    ("set", "1", "--does", "x"),
    ("show", "1"),
    ("duplicates",),
    ("merge", "--dry-run", "1", "2"),
    ("tags",),
    ("tag", "--remove", TAG, "1"),
    ("relate", "1", "2", "--as", "colleague"),
    ("skip", "1"),
    ("snooze", "1", "--until", (TODAY + dt.timedelta(days=9)).isoformat()),
    ("stats",),
    ("who-can-help", "deck"),
    ("introduce", "1", "2"),
    ("merge", "1", "2"),
], ids=lambda a: " ".join(a[:2]))
def test_card_text_is_printed_with_its_controls_shown(hostile, db_path, args):
    """Every command that prints what a card says (the hostile contact is id 1)."""
    done = run(args[0], "--db", str(db_path), *args[1:])
    assert done.returncode == 0, done.stderr
    assert harmless(done.stdout) and harmless(done.stderr)
    if args[0] != "stats":  # numbers only, through the same sanitiser
        # shown, not dropped: the user sees something is off
        assert "^[" in done.stdout.decode()


def test_list_shows_the_name_and_organisation_visibly(hostile, db_path):
    out = run("list", "--db", str(db_path)).stdout.decode()
    assert "Bob^[]0;pwned^G ^[[2JSmith^H^H^@ — Acme\\x9b31m^[]52;c;ZXZpbA==^G" in out


def test_json_output_stays_exact(hostile, db_path):
    done = run("list", "--db", str(db_path), "--format", "json")
    rows = json.loads(done.stdout)
    assert rows[0]["name"] == NAME
    assert b"\x1b" not in done.stdout  # JSON escapes C0 controls itself


def test_an_import_error_quoting_a_card_is_printed_harmless(db_path, tmp_path):
    bad = tmp_path / "bad.vcf"
    bad.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ok\r\nEND:VCARD\r\n"
                    b"BEGIN:VCARD\r\nVERSION:3.0\r\n\x1b]0;pwned\x07junk\r\nEND:VCARD\r\n"
                    b"BEGIN:VCARD\x1b[2J\r\nFN:broken\r\n")
    done = run("import", "--db", str(db_path), str(bad))
    assert harmless(done.stdout) and harmless(done.stderr)
