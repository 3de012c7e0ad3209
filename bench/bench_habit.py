"""The weekly habit at scale (issue 14): `netbook stats` and the Review view over 50,000
contacts and 500,000 interactions, each printed beside an anchor measured in the same
run (what any netbook command, or any window, costs on this machine), so a slow figure
can be told from a slow machine.

Run on its own: `QT_QPA_PLATFORM=offscreen python -m bench habit`.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import database

RUNS = 5


def _median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _with_weeks(big: Path) -> Path:
    """A copy of the big book with 26 recorded weeks of the block (eight people each),
    so the stats read real week records; the cached file stays as it is."""
    from netbook.data import plan_queries
    from netbook.data.contacts import Store

    copy = Path(tempfile.mkdtemp()) / "habit.sqlite3"
    shutil.copy(big, copy)
    rng = random.Random(3)
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    with Store.open(copy) as store:
        for k in range(26):
            plan_queries.record_week(store, monday - dt.timedelta(weeks=k),
                                     rng.sample(range(1, 50_001), 8))
    return copy


def bench(run_child: Callable[[list[str]], tuple[float, str, float]]
          ) -> list[tuple[str, float, float]]:
    """(label, measured ms, target ms); anchors are printed, not targeted."""
    big = _with_weeks(database("big", 50_000, 500_000))
    out: list[tuple[str, float, float]] = []

    # interleaved, so the anchor and the figure share whatever else the machine is doing
    run_child(["stats", "--db", str(big)])  # the page cache warms up
    anchors, walls = [], []
    for _ in range(RUNS):
        anchors.append(run_child(["block", "--db", str(big)])[0])
        walls.append(run_child(["stats", "--format", "json", "--db", str(big)])[0])
    anchor, wall = statistics.median(anchors), statistics.median(walls)
    print(f"       anchor: `netbook block` (start, open the book, print) "
          f"{anchor:.0f} ms; stats beyond it: {wall - anchor:.0f} ms")
    out.append(("`netbook stats` over 50,000 / 500,000, whole process", wall, 300.0))

    from netbook.data.contacts import Store
    from netbook.plan.stats import week_stats

    store = Store.open(big)
    today = dt.date.today()
    inside = _median_ms(lambda: week_stats(store, today))
    print(f"       of which the 26 weeks' numbers themselves: {inside:.0f} ms")

    from PySide6.QtWidgets import QApplication

    from netbook.plan import service as week
    from netbook.ui.review import ReviewView

    app = QApplication.instance() or QApplication([])

    def fresh_plan() -> None:
        week.forget_plan(store)
        week.load_plan(store, today, 0, remember=False)

    plan_ms = _median_ms(fresh_plan)
    print(f"       anchor: the week's plan computed afresh (the panel's work) {plan_ms:.0f} ms")

    def open_review() -> None:
        view = ReviewView(store, today=lambda: today)
        view.show()
        view.repaint()
        app.processEvents()
        view.close()
        view.deleteLater()

    open_review()
    out.append(("Review view opens, numbers read and charts painted", _median_ms(open_review),
                500.0))
    store.close()
    shutil.rmtree(big.parent, ignore_errors=True)
    return out
