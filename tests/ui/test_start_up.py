"""Opening the window: the list is on screen first, the week's plan follows (issue 11:
with 100,000 contacts the plan took ~0.3 s, and it was worked out before the first
paint)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import make_card
from PySide6.QtCore import QEvent, QObject, QSettings

from netbook.ui.main_window import MainWindow

TODAY = dt.date(2025, 11, 26)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def book(store):
    for i in range(30):
        store.add_contact(make_card(f"Person {i:02d}"), rhythm_days=14)
    return store


class PaintWatch(QObject):
    """Notes, at each paint of the list, whether the week panel had its plan yet."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.plan_at_paint: list[bool] = []
        window.view.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.plan_at_paint.append(self.window.week_panel.plan is not None)
        return False


def close(window: MainWindow) -> None:
    window.detail._set_dirty(False)
    window.close()
    window.deleteLater()


def test_the_list_is_painted_before_the_weeks_plan_is_worked_out(qtbot, book, settings):
    window = MainWindow(book, today=lambda: TODAY, settings=settings)
    watch = PaintWatch(window)
    window.show()
    qtbot.waitUntil(lambda: window.week_panel.plan is not None, timeout=3000)
    assert watch.plan_at_paint and watch.plan_at_paint[0] is False
    assert window.week_panel.plan.items, "and then the plan is there"
    assert window.model.rowCount() == 30
    close(window)


def test_a_window_not_shown_still_works_out_its_plan(qtbot, book, settings):
    """Started to the tray: nothing paints, the reminder still needs the week's plan."""
    window = MainWindow(book, today=lambda: TODAY, settings=settings)
    qtbot.waitUntil(lambda: window.week_panel.plan is not None, timeout=3000)
    assert window.week_panel.plan.items
    close(window)
