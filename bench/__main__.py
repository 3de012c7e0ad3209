"""`make bench`: the figures the issues name, measured at scale, printed — never asserted.

Every line is: what, measured, target, and whether it is within it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

Result = tuple[str, float, float, str]  # label, measured, target, unit
results: list[Result] = []


def record(label: str, measured: float, target: float, unit: str = "ms") -> None:
    results.append((label, measured, target, unit))
    ok = "ok  " if measured <= target else "OVER"
    print(f"  {ok} {label:<62} {measured:9.1f} {unit:<3} (target {target:g} {unit})", flush=True)


def median_ms(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# Compiled bytecode for the child processes, as an installed netbook has it (pip writes
# it at install): a shell with PYTHONDONTWRITEBYTECODE set otherwise makes every timed
# command compile its modules afresh, ~90 ms that no user pays
PYCACHE = Path(__file__).resolve().parent / ".cache" / "pycache"


def child_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=tempfile.mkdtemp(),
               PYTHONPYCACHEPREFIX=str(PYCACHE))
    env.pop("NETBOOK_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(args: list[str], env: dict | None = None) -> tuple[float, str, float]:
    """(wall ms, stdout, its own peak RSS MB) of a whole `netbook` process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bench.run_measured", *args],
                          capture_output=True, env=env or child_env(), text=True)
    wall = (time.perf_counter() - start) * 1000
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
    rss = 0.0
    for word in proc.stderr.split():
        if word.startswith("peak_rss_mb="):
            rss = float(word.split("=")[1])
    return wall, proc.stdout, rss


def address_book() -> None:
    print("The address book (the window at 100,000 contacts; the week plan at 50,000 "
          "contacts with 500,000 interactions)")
    huge = database("huge", 100_000, 200_000)
    big = database("big", 50_000, 500_000)
    walls, rss = [], 0.0
    for _ in range(5):  # a whole process start varies by ±20 % here: the median of 5
        env = child_env() | {"NETBOOK_EXIT_WHEN_SHOWN": "1"}
        wall, out, _ = run_child(["--db", str(huge)], env)
        walls.append(wall)
        for word in out.split():
            if word.startswith("rss_mb="):
                rss = max(rss, float(word.split("=")[1]))
    record("window shown with the list filled, from process start", statistics.median(walls),
           1000)
    record("memory of the window with 100,000 contacts", rss, 400, "MB")

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from netbook.data.contacts import Store
    from netbook.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    store = Store.open(huge)
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "b.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    window.show()
    # the window as a user meets it: its start-up work (the week's plan, laid out after
    # the list's first paint) done, as it is long before anyone types
    QTest.qWait(500)
    per_key = []
    for word in ("ana", "silva", "555 0", "muller"):
        window.search.clear()
        app.processEvents()
        for ch in word:
            start = time.perf_counter()
            QTest.keyClick(window.search, ch)
            window.view.viewport().repaint()
            app.processEvents()
            per_key.append((time.perf_counter() - start) * 1000)
    record("search keystroke, key to repaint (median)", statistics.median(per_key), 50)
    record("search keystroke, key to repaint (slowest)", max(per_key), 100)
    window.search.clear()
    for col, name in ((0, "name"), (1, "organization"), (2, "last contacted")):
        ms = max(median_ms(lambda c=col, o=order: window.model.sort(c, o), 3)
                 for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder))
        record(f"sort 100,000 by {name} (the slower order)", ms, 100)
    decoded_before = len(window.model._thumbs)
    for _ in range(20):
        window.view.verticalScrollBar().setValue(window.view.verticalScrollBar().value() + 400)
        app.processEvents()
    app.processEvents()
    visible = window.view.viewport().height() // window.view.verticalHeader().defaultSectionSize()
    print(f"       photos decoded after scrolling 20 pages: {len(window.model._thumbs)} "
          f"(was {decoded_before}; ~{visible} rows visible a page, 1 in 10 has a photo)")

    window.detail._set_dirty(False)
    window.close()
    store.close()

    import datetime as dt

    from netbook.data import networking
    from netbook.plan import service as week

    store = Store.open(big)
    window = MainWindow(store, settings=settings)
    window.show()
    app.processEvents()
    today = dt.date.today()
    record("week plan for 50,000 contacts / 500,000 interactions",
           median_ms(lambda: (week.forget_plan(store),
                              week.load_plan(store, today, 0, remember=False))), 200)
    panel = window.week_panel
    plan = panel.current_plan()  # the panel fills after the list's first paint
    cid = plan.items[0].contact_id if plan.items else 1

    def log_and_refresh() -> None:
        networking.log_interaction(store, cid, on=today, kind="call", note="bench")
        panel.refresh()
        app.processEvents()

    record("week panel refresh after a logged call", median_ms(log_and_refresh, 3), 100)
    window.detail._set_dirty(False)
    window.close()
    store.close()

    mid = database("mid", 10_000, 20_000)
    walls = [run_child(["list", "--db", str(mid), "--search", "silva"])[0]
             for _ in range(3)]
    record("`netbook list --search` over 10,000 contacts, whole process",
           statistics.median(walls), 500)

    # issue 11: the JSON list is one query, within 3x the text list (the anchor)
    book = database("list", 20_000, 20_000)
    text_ms = statistics.median(run_child(["list", "--db", str(book)])[0] for _ in range(3))
    json_ms = statistics.median(run_child(["list", "--db", str(book), "--format", "json"])[0]
                                for _ in range(3))
    print(f"       `netbook list` (text) over 20,000 contacts: {text_ms:.0f} ms")
    record("`netbook list --format json` over 20,000, ratio to the text list", json_ms / text_ms,
           3, "x")
    record("`netbook list --format json` over 100,000 contacts, whole process",
           statistics.median(run_child(["list", "--db", str(huge), "--format", "json"])[0]
                             for _ in range(3)), 3000)


def vcards() -> None:
    print("vCard import and export (10,000-card mixed phone export)")
    import vobject

    from bench.vcard_gen import generate_phone_export
    from netbook.data.contacts import Store
    from netbook.data.exporting import export_vcards

    data = generate_phone_export(10_000)
    folder = Path(tempfile.mkdtemp())
    path = folder / "phone.vcf"
    path.write_bytes(data)

    def parse_with_vobject() -> None:
        for _ in vobject.readComponents(data.decode("utf-8")):
            pass

    parse_ms = median_ms(parse_with_vobject, 3)
    print(f"       vobject alone parses it in {parse_ms:.0f} ms "
          f"({10_000 / parse_ms * 1000:.0f} cards/s; the anchor, median of 3)")
    walls, rss = [], 0.0
    for run in range(3):  # each into a new database
        db = folder / f"import-{run}.sqlite3"
        wall, out, peak = run_child(["import", "--db", str(db), str(path)])
        walls.append(wall)
        rss = max(rss, peak)
    print(f"       netbook import: {out.strip()}")
    wall = statistics.median(walls)
    record("import 10,000 cards, whole process (target 1.0 x vobject parse)", wall, parse_ms)
    record("import ratio to vobject's parse time (stretch: 0.5 x)", wall / parse_ms, 1.0, "x")
    record("peak memory of the import", rss, 300, "MB")
    store = Store.open(db)
    out_path = folder / "export.vcf"
    export_ms = median_ms(lambda: export_vcards(store, out_path), 1)
    store.close()
    record("export 10,000 contacts (target 0.5 x vobject parse)", export_ms, 0.5 * parse_ms)
    record("export ratio to vobject's parse time", export_ms / parse_ms, 0.5, "x")

    from bench.vcard_gen import big_export_stream
    from netbook.data.vcard import iter_vcards

    def stream_100k() -> None:
        stream = big_export_stream(100_000)
        assert sum(1 for _ in iter_vcards(stream, "big.vcf")) == 100_000

    # tests/data/vcard: the same 23 MB read in bounded memory; the time is measured here
    # (target: 2 s, the reader's share of a 100,000-contact import, issue 11's scale)
    record("stream 100,000 cards (23 MB) through the vCard reader",
           median_ms(stream_100k, 3), 2000)

    # issue 11: a 100,000-card export of the same mix (150 MB) in bounded memory
    big_path = folder / "phone-100k.vcf"
    big_path.write_bytes(generate_phone_export(100_000, seed=2))
    wall, out, rss = run_child(["import", "--db", str(folder / "import-100k.sqlite3"),
                                str(big_path)])
    big_path.unlink()
    print(f"       netbook import of 100,000 cards: {out.strip()} in {wall / 1000:.1f} s")
    record("peak memory of a 100,000-card import", rss, 300, "MB")


def call_list() -> None:
    print("Printable call list")
    from bench.bench_call_list import bench

    for label, measured, target in bench():
        record(label, measured, target)


def csv_import() -> None:
    print("LinkedIn CSV import (30,000 connections)")
    from bench.bench_csv import bench

    for label, measured, target in bench():
        record(label, measured, target, "MB" if "memory" in label else "ms")


def habit() -> None:
    print("The weekly habit (50,000 contacts, 500,000 interactions)")
    from bench.bench_habit import bench

    for label, measured, target in bench(run_child):
        record(label, measured, target)


def connector() -> None:
    print("The connector (who can help, the network map)")
    from bench.bench_connector import bench

    for label, measured, target in bench():
        record(label, measured, target)


def duplicates() -> None:
    print("Edit ▸ Find Duplicates (50,000 contacts, family names with a long tail)")
    from bench.bench_duplicates import bench

    for label, measured, target in bench():
        record(label, measured, target)


def sync() -> None:
    try:
        from bench.bench_sync import bench
    except ImportError:
        return
    print("CardDAV sync (Radicale on loopback)")
    for label, measured, target in bench():
        record(label, measured, target)


def writers() -> None:
    print("Writers waiting for each other")
    from bench.bench_import_lock import bench

    for label, measured, target in bench():
        record(label, measured, target)


def main() -> int:
    print(f"netbook benchmarks — python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores\n")
    sections = (address_book, vcards, csv_import, call_list, habit, writers, connector,
                duplicates, sync)
    chosen = sys.argv[1:]  # `python -m bench sync`: only the sections named
    for section in sections:
        if chosen and section.__name__ not in chosen:
            continue
        section()
        print()
    over = [r for r in results if r[1] > r[2]]
    print(f"{len(results) - len(over)} of {len(results)} figures within their targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
