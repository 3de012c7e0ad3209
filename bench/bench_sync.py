"""CardDAV sync against a real Radicale on loopback: the first sync of 2,000 contacts
(one in ten with a photo), a sync with nothing changed, a sync with one changed card.

The first upload goes in one whole-book write: Radicale checks each new card's UID
against the whole book, so single PUTs grow from 18 to 59 ms a card as it fills and
2,000 of them took ~100 s here. The engine falls back to single PUTs on any other server
and on any race. Receiving 2,000 cards (multiget in batches of 100) takes a few seconds.

Run on its own: `python -m bench.bench_sync`. Radicale runs as a subprocess on a free
127.0.0.1 port with a temporary storage folder; it is stopped at the end.
"""

from __future__ import annotations

import contextlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

USER, PASSWORD = "bench", "bench"
CONTACTS = 2_000
TARGETS_MS = {"first": 30_000.0, "nothing": 500.0, "one": 1_000.0}


@contextlib.contextmanager
def radicale(root: Path) -> Iterator[str]:
    (root / "users").write_text(f"{USER}:{PASSWORD}\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (root / "config").write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = htpasswd\n"
        f"htpasswd_filename = {root / 'users'}\nhtpasswd_encryption = plain\ndelay = 0\n"
        f"[rights]\ntype = owner_only\n[storage]\nfilesystem_folder = {root / 'data'}\n"
        "[logging]\nlevel = error\n")
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config",
                             str(root / "config")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(150):
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(url, timeout=1)
                break
            time.sleep(0.1)
        mkcol = ('<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" '
                 'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype>'
                 '<D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>')
        httpx.request("MKCOL", f"{url}{USER}/contacts/", content=mkcol,
                      auth=(USER, PASSWORD)).raise_for_status()
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def bench() -> list[tuple[str, float, float]]:
    from bench.vcard_gen import generate_phone_export
    from netbook.data.carddav import accounts, engine
    from netbook.data.contacts import Store
    from netbook.data.importing import apply_import, plan_import

    folder = Path(tempfile.mkdtemp(prefix="netbook-bench-sync-"))
    source = folder / "phone.vcf"
    source.write_bytes(generate_phone_export(CONTACTS))
    out: list[tuple[str, float, float]] = []
    with radicale(folder) as url:
        store = Store.open(folder / "a.sqlite3")
        apply_import(store, plan_import(store, [source]))
        books = accounts.test_connection(url, USER, PASSWORD)
        accounts.add_account(store, "bench", url, USER, None, books, save_password=False)

        def sync(s=store):
            return engine.sync_account(s, "bench", password=PASSWORD)

        first = _timed(sync)
        out.append((f"first sync, {CONTACTS:,} contacts up (1 in 10 with a photo)", first,
                    TARGETS_MS["first"]))
        out.append(("sync with nothing changed (median of 5)",
                    statistics.median(_timed(sync) for _ in range(5)), TARGETS_MS["nothing"]))
        cid = store.list_ids()[0]

        def one_change(n=[0]):  # noqa: B006 - a counter across calls
            n[0] += 1
            card = store.get_card(cid)
            card.set_text("NOTE", f"changed {n[0]}")
            store.save_card(cid, card)
            result = sync()
            assert result.uploaded == 1, result

        out.append(("sync with one changed card (median of 5)",
                    statistics.median(_timed(one_change) for _ in range(5)), TARGETS_MS["one"]))
        store.close()
        # the other direction: an empty netbook receives the whole address book
        other = Store.open(folder / "b.sqlite3")
        accounts.add_account(other, "bench", url, USER, None, books, save_password=False)
        down = _timed(lambda: engine.sync_account(other, "bench", password=PASSWORD))
        assert other.count() == CONTACTS, other.count()
        out.append((f"first sync, {CONTACTS:,} contacts down into an empty netbook", down,
                    TARGETS_MS["first"]))
        other.close()
    return out


if __name__ == "__main__":
    for label, measured, target in bench():
        ok = "ok  " if measured <= target else "OVER"
        print(f"  {ok} {label:<62} {measured:9.1f} ms (target {target:g} ms)")
