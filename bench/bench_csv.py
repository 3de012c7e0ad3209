"""LinkedIn Connections.csv at 30,000 connections: the first import, and next month's
export (a thousand job changes, five hundred new people) — each a whole `netbook import`
process, beside Python's own csv module reading the same file in the same run."""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from bench.generate import FAMILY, GIVEN, ORGS

PREAMBLE = ('Notes:\n"When exporting your connection data, you may notice that some of the '
            'email addresses are missing."\n\n')
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
TITLES = ["Engineer", "Senior Engineer", "Head of Sales", "Product Manager, EMEA",
          'Chief "Everything" Officer', "Designer", "Founder", "Partner"]


def connections(n: int, seed: int = 7, changed: int = 0, added: int = 0) -> str:
    """A LinkedIn export of `n` people (`changed` of them in a new job, `added` more)."""
    rng = random.Random(seed)
    start = dt.date(2012, 1, 1)
    lines = [PREAMBLE, HEADER]
    moved = set(random.Random(seed + 1).sample(range(n), changed)) if changed else set()
    for i in range(n + added):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        org = rng.choice(ORGS[:-1])
        title = rng.choice(TITLES)
        if i in moved:
            org, title = f"{org} Labs", "Director"
        email = f"{given.lower()}.{i}@example.org" if rng.random() < 0.1 else ""
        on = start + dt.timedelta(days=rng.randrange(4000))
        cells = [given, family, f"https://www.linkedin.com/in/{family.lower()}-{i:06d}",
                 email, org, title, on.strftime("%d %b %Y")]
        lines.append(",".join(f'"{c.replace(chr(34), chr(34) * 2)}"'
                              if any(ch in c for ch in ',"') else c for c in cells) + "\n")
    return "".join(lines)


def bench() -> list[tuple[str, float, float]]:
    from bench.__main__ import run_child

    folder = Path(tempfile.mkdtemp())
    march = folder / "Connections.csv"
    march.write_text("\ufeff" + connections(30_000), encoding="utf-8")
    april = folder / "Connections-next-month.csv"
    april.write_text("\ufeff" + connections(30_000, changed=1000, added=500), encoding="utf-8")

    start = time.perf_counter()
    with march.open(newline="", encoding="utf-8-sig") as fh:
        rows = sum(1 for _ in csv.reader(fh))
    anchor = (time.perf_counter() - start) * 1000
    print(f"       anchor: Python's csv module reads its {rows} records in {anchor:.0f} ms")

    db = folder / "linkedin.sqlite3"
    wall, out, rss = run_child(["import", "--db", str(db), str(march)])
    print(f"       netbook import: {out.strip()}")
    results = [("import a 30,000-row LinkedIn export, whole process", wall, 3000),
               ("peak memory of that import", rss, 300)]

    # anchor: the same 30,000 people as a vCard file, imported into an empty book the
    # same way: what the store's own writing costs on this machine today
    from netbook.data.contacts import Store
    from netbook.data.exporting import export_vcards

    vcf = folder / "same-people.vcf"
    with Store.open(db) as store:
        export_vcards(store, vcf)
    vcard_wall, _, _ = run_child(["import", "--db", str(folder / "vcard.sqlite3"), str(vcf)])
    print(f"       anchor: the same 30,000 as vCards import in {vcard_wall:.0f} ms "
          f"(the CSV import takes {wall / vcard_wall:.2f} x that)")

    wall, out, _ = run_child(["import", "--db", str(db), str(april)])
    print(f"       next month: {out.splitlines()[0] if out else '(nothing)'}")
    results.append(("next month's export into those 30,000 (1,000 job changes)", wall, 3000))
    return results
