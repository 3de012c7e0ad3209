"""How long an import holds the write lock (issue 12, 3: at most 1 s for 10,000 cards),
so a `netbook log` or a Save in the window meanwhile waits briefly instead of failing.

The time is measured between the transaction's BEGIN IMMEDIATE and its COMMIT, on the
real apply_import; reading, matching and preparing the rows happen before it.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def bench(cards: int = 10_000) -> list[tuple[str, float, float]]:
    from bench.vcard_gen import generate_phone_export
    from netbook.data.contacts import Store
    from netbook.data.importing import apply_import, plan_import

    folder = Path(tempfile.mkdtemp())
    source = folder / "phone.vcf"
    source.write_bytes(generate_phone_export(cards))
    store = Store.open(folder / "lock.sqlite3")
    held: list[float] = []
    begin, commit = store.db.begin, store.db.commit

    def timed_begin(*args, **kwargs):
        begin(*args, **kwargs)
        held.append(time.perf_counter())

    def timed_commit():
        commit()
        held[-1] = time.perf_counter() - held[-1]

    try:
        start = time.perf_counter()
        plan = plan_import(store, [source])
        store.db.begin, store.db.commit = timed_begin, timed_commit
        apply_import(store, plan)
        whole = (time.perf_counter() - start) * 1000
    finally:
        store.db.begin, store.db.commit = begin, commit
        store.close()
    return [(f"import {cards:,} cards: the write lock held (BEGIN … COMMIT)",
             max(held) * 1000, 1000),
            (f"import {cards:,} cards: plan + apply in this process", whole, 10_000)]


if __name__ == "__main__":
    for label, measured, target in bench():
        print(f"{label:<62} {measured:9.1f} ms (target {target:g} ms)")
