"""The Review view (issue 14): opened from the View menu and from the week panel, this
week in a line and the last 26 weeks as charts that say what they show in words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import make_card
from PySide6.QtCore import QSettings

from netbook.data import networking, plan_queries
from netbook.ui.main_window import MainWindow
from netbook.ui.review import ReviewView

TODAY = dt.date(2025, 11, 26)
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


@pytest.fixture
def window(qtbot, store, tmp_path: Path):
    settings = QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)
    ana = store.add_contact(make_card("Ana Inner"))
    networking.set_networking(store, ana, circle="inner", rhythm_days=14)
    networking.log_interaction(store, ana, on=dt.date(2025, 11, 18), kind="call",
                               exchange="gave", gift="advice")
    plan_queries.record_week(store, dt.date(2025, 11, 17), [ana])
    ben = store.add_contact(make_card("Ben Due"))
    networking.set_networking(store, ben, follow_up=dt.date(2025, 11, 27))
    win = MainWindow(store, today=lambda: TODAY, settings=settings)
    win.show()
    qtbot.waitExposed(win)
    qtbot.addWidget(win)
    return win


def test_the_review_opens_from_the_view_menu(qtbot, window):
    window.review_action.trigger()
    review = window.review
    assert isinstance(review, ReviewView) and review.isVisible()
    assert review.title_label.text() == "This week · 24–30 Nov 2025"
    assert review.week_label.text() == ("Block: 0 of 1 done · 0 touches with 0 people · "
                                        "gave 0, asked 0 · met nobody new")
    assert review.weekly.summary == ("1 touch in 26 weeks; the block was kept 1 of the 2 "
                                     "weeks it was planned")
    assert review.streak.summary == "Streak: 1 week"
    assert review.circles.summary.startswith("inner: 1 of 1 within rhythm")
    assert review.give_ask.summary == "Gave 1, asked 0 in 26 weeks"
    for chart in review.charts:  # each one paints without a fault
        chart.grab()
    window.review_action.trigger()
    assert window.review is review  # one window, brought back


def test_the_review_opens_from_the_week_panel_and_follows_a_logged_touch(qtbot, window):
    qtbot.waitUntil(lambda: window.week_panel.plan is not None)
    window.week_panel.review_button.click()
    review = window.review
    assert review is not None and review.isVisible()
    ana = window.store.resolve("Ana Inner")
    from netbook.data import operations

    window.operation_did_execute(operations.log_interaction(
        window.store, ana, on=TODAY, kind="call"))
    assert review.stats is not None and review.stats.this_week.touches == 1


def test_an_open_review_follows_a_new_first_day_of_the_week(qtbot, window, store):
    """Settings ▸ the week starts on Sunday: the open Review's weeks start on Sunday too,
    as the week panel's do."""
    review = window.open_review()
    assert review.title_label.text() == "This week · 24–30 Nov 2025"
    dialog = window.open_settings()
    dialog.weekday_combo.setCurrentIndex(dialog.weekday_combo.findData(6))
    dialog.accept()
    assert window.week_panel.first_weekday == 6
    assert review.title_label.text() == "This week · 23–29 Nov 2025"


def accent_pixels(chart, start: float, end: float) -> int:
    """Pixels in the chart's accent colour between two fractions of its width."""
    import numpy as np
    from PySide6.QtGui import QImage

    image = chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), dtype=np.uint32).reshape(
        image.height(), image.bytesPerLine() // 4)[:, :image.width()]
    part = rows[:, int(image.width() * start):int(image.width() * end)] & 0xFFFFFF
    return int((part == (chart.accent().rgb() & 0xFFFFFF)).sum())


def test_the_weekly_chart_draws_a_bar_for_the_week_with_a_touch(qtbot, window):
    """Last week had Ana's call: its bar stands at the right end; the quiet weeks before
    it draw none (only the legend's square, top left, is in the accent colour)."""
    review = window.open_review()
    chart = review.weekly
    qtbot.waitExposed(review)
    assert [w.touches for w in review.stats.weeks][-2:] == [1, 0]
    assert accent_pixels(chart, 0.85, 1.0) > 200  # a whole bar, and last week's block box
    assert accent_pixels(chart, 0.3, 0.8) == 0
