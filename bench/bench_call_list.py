"""How long the printable call list takes to render to PDF: the usual week and a long one.

Plans are built by hand (no database), so this measures layout, pagination and the PDF
writer only. Median of a few runs after one warm-up (fonts load on first use).
Run on its own: `QT_QPA_PLATFORM=offscreen python -m bench.bench_call_list`.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from netbook.plan import planner
from netbook.plan.sheet import Details, render_pdf

TARGETS_MS = {10: 100.0, 200: 270.0}
RUNS = 5

_NAMES = ("Anna Müller", "Иван Петров", "Γιώργος Παπαδόπουλος", "山田太郎", "José da Silva",
          "Zoë O'Brien-Kessler", "Chen Wei", "Fatima Zahra", "Lars Øvergaard", "Ada Lovelace")
_PHONES = ("+49 30 901820", "+7 495 123-45-67", "+30 21 0123 4567", "+81 3-1234-5678",
           "+1 650-253-0000", "030 901820", "")


def make_plan(rows: int) -> planner.WeekPlan:
    """A week with `rows` people, varied like real ones (points, gifts, long notes)."""
    items = []
    for i in range(rows):
        points = ("Last time: talked about the move to Lisbon and the new role there",
                  "Working on: a book about small-town libraries",
                  "Needs: a designer for the relaunch",
                  "You could offer: an intro to Kim, who runs a studio")[: i % 5]
        items.append(planner.PlanItem(
            contact_id=i + 1, name=f"{_NAMES[i % len(_NAMES)]} {i}",
            phone=_PHONES[i % len(_PHONES)], email=f"person{i}@example.com",
            reason="overdue", why="Overdue: last talked 4 months ago (every month)",
            action="Call to catch up", action_kind="call", minutes=15,
            talking_points=points, done=i % 7 == 3,
            organization="Acme GmbH" if i % 2 else "", gift="introduction" if i % 6 == 0 else "",
        ))
    block = planner.BlockSettings()
    return planner.WeekPlan(
        week_start=dt.date(2026, 11, 23), week_end=dt.date(2026, 11, 29), block=block,
        block_date=dt.date(2026, 11, 27), budget_minutes=60, planned_minutes=15 * rows,
        items=tuple(items), also_birthdays=(("Zoe Rivers", dt.date(2026, 11, 26)),))


def _measure(plan: planner.WeekPlan, path: Path, details: Details) -> tuple[float, int]:
    start = time.perf_counter()
    pages = render_pdf(plan, path, details)
    return (time.perf_counter() - start) * 1000, pages


_APP: QApplication | None = None


def _app() -> None:
    """A QApplication (not a bare QGuiApplication), so widget benches can follow."""
    global _APP
    if QApplication.instance() is None:
        _APP = QApplication(["bench"])


def bench() -> list[tuple[str, float, float]]:
    """(label, measured ms, target ms) for a 10-row and a 200-row call list."""
    _app()
    details = Details(region="DE", paper_region="DE")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.pdf"
        _measure(make_plan(3), path, details)  # warm-up: font database, shaping caches
        for rows in (10, 200):
            plan = make_plan(rows)
            times, pages = [], 0
            for _ in range(RUNS):
                ms, pages = _measure(plan, path, details)
                times.append(ms)
            results.append((f"call list PDF, {rows} rows ({pages} pages)",
                            statistics.median(times), TARGETS_MS[rows]))
    return results


if __name__ == "__main__":
    for label, ms, target in bench():
        verdict = "ok" if ms <= target else "SLOW"
        print(f"{label:<40} {ms:8.1f} ms   target {target:6.0f} ms   {verdict}")
