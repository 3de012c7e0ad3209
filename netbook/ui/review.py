"""The weekly review: this week in one line, and the last 26 weeks as pictures a person
reads at a glance — is the habit working?

Drawn with QPainter, not QtCharts: QtCharts lives in PySide6-Addons (a second wheel of
well over 100 MB) for five small charts, and its default look (axes, legends, animation)
is the opposite of a glance. QPainter is already how the call sheet is drawn; each chart
here is a small widget that paints from plain numbers (`netbook.plan.stats`), in the
palette's own colours (Highlight for what you did, Mid for the frame of what was
planned), so it follows a light or a dark theme, prints the same, and needs no extra
dependency. Each chart also says what it shows in words (its tooltip and accessible
description), for screen readers and for a precise number.

The numbers are read once when the view opens (tens of milliseconds at 50,000 contacts,
`bench/`): no worker thread for that. `refresh()` reads them again after a change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .. import locale
from ..data.changes import Changes
from ..data.contacts import Store
from ..plan.stats import DEFAULT_WEEKS, Stats, month_name, this_week_line, week_stats
from ..plan.wording import MONTHS, week_range
from .text import plain_label

__all__ = ["Chart", "ReviewView"]


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * t),
                  round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


class Chart(QFrame):
    """A titled picture of a few numbers; subclasses paint `plot` in the rect given."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.summary = ""
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumSize(QSize(300, 170))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)

    def set_summary(self, text: str) -> None:
        """The chart in words: tooltip and accessible description."""
        self.summary = text
        self.setToolTip(text)
        self.setAccessibleDescription(text)

    # colours from the palette: a dark theme gets a dark chart
    def ink(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def faint(self) -> QColor:
        return _mix(self.palette().color(QPalette.ColorRole.Window), self.ink(), 0.28)

    def accent(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Highlight)

    def warm(self) -> QColor:
        """The second series (asks, overdue): the accent's complement, softened."""
        accent = self.accent()
        hue = (accent.hslHue() + 180) % 360 if accent.hslHue() >= 0 else 20
        return QColor.fromHsl(hue, 150, 140)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.ink())
        title_h = painter.fontMetrics().height()
        painter.drawText(QRectF(10, 6, self.width() - 20, title_h), self.title)
        painter.setFont(self.font())
        plot = QRectF(12, 12 + title_h, self.width() - 24, self.height() - 20 - title_h)
        if plot.width() > 20 and plot.height() > 20:
            self.plot(painter, plot)
        painter.end()

    def plot(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def small_text(self, painter: QPainter, rect: QRectF, text: str,
                   align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
                   color: QColor | None = None) -> None:
        painter.setPen(color or self.ink())
        painter.drawText(rect, int(align), text)


def _month_ticks(starts: Sequence[dt.date]) -> list[tuple[int, str]]:
    """(index, 'Jul') where a month begins among the weeks."""
    ticks, last = [], None
    for i, start in enumerate(starts):
        if start.month != last:
            if last is not None or start.day <= 7:
                ticks.append((i, MONTHS[start.month - 1]))
            last = start.month
    return ticks


class WeeklyBars(Chart):
    """One bar a week (touches), with the block's planned/done marked beneath each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Touches per week, and the block", parent)
        self.stats: Stats | None = None

    def plot(self, painter: QPainter, rect: QRectF) -> None:
        if self.stats is None:
            return
        weeks = self.stats.weeks
        fm = painter.fontMetrics()
        label_h = fm.height()
        legend_h = label_h + 4
        block_h = 12
        area = QRectF(rect.left() + fm.horizontalAdvance("00") + 4, rect.top() + legend_h,
                      rect.width() - fm.horizontalAdvance("00") - 4,
                      rect.height() - label_h - block_h - legend_h - 6)
        top = max([w.touches for w in weeks] + [w.block_planned for w in weeks] + [1])
        slot = area.width() / len(weeks)
        bar_w = max(slot * 0.62, 1.0)
        painter.setPen(QPen(self.faint(), 1))
        painter.drawLine(QPointF(area.left(), area.bottom()), QPointF(area.right(), area.bottom()))
        self.small_text(painter, QRectF(rect.left(), area.top(),
                                        fm.horizontalAdvance("00"), label_h), str(top),
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for i, w in enumerate(weeks):
            x = area.left() + i * slot + (slot - bar_w) / 2
            if w.touches:
                h = area.height() * w.touches / top
                painter.fillRect(QRectF(x, area.bottom() - h, bar_w, h), self.accent())
            if w.block_planned:  # the block: a box, filled as far as it was done
                y = area.bottom() + 3
                painter.setPen(QPen(self.faint(), 1))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(x, y, bar_w, block_h - 2))
                done = min(w.block_done / w.block_planned, 1.0)
                color = self.accent() if w.kept else _mix(self.accent(), self.faint(), 0.5)
                painter.fillRect(QRectF(x, y, bar_w * done, block_h - 2), color)
        for i, text in _month_ticks([w.week_start for w in weeks]):
            x = area.left() + i * slot
            self.small_text(painter, QRectF(x, area.bottom() + block_h + 3, 40, label_h), text,
                            Qt.AlignmentFlag.AlignLeft)
        legend = QRectF(area.left(), rect.top(), area.width(), label_h)
        painter.fillRect(QRectF(legend.left(), legend.top() + 3, 10, 10), self.accent())
        self.small_text(painter, legend.adjusted(14, 0, 0, 0), "touches · box below: the "
                        "block, filled as far as it was done", Qt.AlignmentFlag.AlignLeft)


class CircleBars(Chart):
    """Each circle as one bar: the share within its rhythm, the rest overdue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Within rhythm, by circle", parent)
        self.stats: Stats | None = None

    def plot(self, painter: QPainter, rect: QRectF) -> None:
        if self.stats is None:
            return
        fm = painter.fontMetrics()
        rows = list(self.stats.circles.items())
        label_w = max(fm.horizontalAdvance(name.capitalize()) for name, _ in rows) + 10
        count_w = fm.horizontalAdvance("100 of 100") + 8
        row_h = min(rect.height() / len(rows), fm.height() * 2.2)
        for n, (name, c) in enumerate(rows):
            y = rect.top() + n * row_h
            bar = QRectF(rect.left() + label_w, y + row_h * 0.2,
                         rect.width() - label_w - count_w, row_h * 0.6)
            self.small_text(painter, QRectF(rect.left(), y, label_w, row_h), name.capitalize(),
                            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            painter.fillRect(bar, self.faint() if c.people else _mix(
                self.palette().color(QPalette.ColorRole.Window), self.faint(), 0.4))
            if c.people:
                share = c.within_rhythm / c.people
                painter.fillRect(QRectF(bar.left(), bar.top(), bar.width() * share,
                                        bar.height()), self.accent())
            text = f"{c.within_rhythm} of {c.people}" if c.people else "nobody"
            self.small_text(painter, QRectF(bar.right() + 6, y, count_w, row_h), text,
                            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class GiveAsk(Chart):
    """Gave above the line, asked below it, week by week: give before you ask."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Give and ask", parent)
        self.stats: Stats | None = None

    def plot(self, painter: QPainter, rect: QRectF) -> None:
        if self.stats is None:
            return
        weeks = self.stats.weeks
        fm = painter.fontMetrics()
        legend_h = fm.height() + 4
        area = rect.adjusted(0, legend_h, 0, 0)
        top = max([w.gave for w in weeks] + [w.asked for w in weeks] + [1])
        mid = area.top() + area.height() / 2
        half = area.height() / 2 - 2
        slot = area.width() / len(weeks)
        bar_w = max(slot * 0.62, 1.0)
        for i, w in enumerate(weeks):
            x = area.left() + i * slot + (slot - bar_w) / 2
            if w.gave:
                h = half * w.gave / top
                painter.fillRect(QRectF(x, mid - h, bar_w, h), self.accent())
            if w.asked:
                h = half * w.asked / top
                painter.fillRect(QRectF(x, mid, bar_w, h), self.warm())
        painter.setPen(QPen(self.faint(), 1))
        painter.drawLine(QPointF(area.left(), mid), QPointF(area.right(), mid))
        gave = sum(w.gave for w in weeks)
        asked = sum(w.asked for w in weeks)
        painter.fillRect(QRectF(rect.left(), rect.top() + 3, 10, 10), self.accent())
        self.small_text(painter, QRectF(rect.left() + 14, rect.top(), 120, fm.height()),
                        f"gave {gave}", Qt.AlignmentFlag.AlignLeft)
        x = rect.left() + 14 + fm.horizontalAdvance(f"gave {gave}") + 16
        painter.fillRect(QRectF(x, rect.top() + 3, 10, 10), self.warm())
        self.small_text(painter, QRectF(x + 14, rect.top(), 160, fm.height()),
                        f"asked {asked}", Qt.AlignmentFlag.AlignLeft)


class MetPerMonth(Chart):
    """People met each month: one bar a month, its count on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("People met per month", parent)
        self.stats: Stats | None = None

    def plot(self, painter: QPainter, rect: QRectF) -> None:
        if self.stats is None:
            return
        months = self.stats.met_per_month
        fm = painter.fontMetrics()
        label_h = fm.height()
        area = rect.adjusted(0, label_h, 0, -label_h - 2)
        top = max([n for _, n in months] + [1])
        slot = area.width() / len(months)
        bar_w = min(slot * 0.6, 48)
        painter.setPen(QPen(self.faint(), 1))
        painter.drawLine(QPointF(area.left(), area.bottom()), QPointF(area.right(), area.bottom()))
        for i, (month, n) in enumerate(months):
            x = area.left() + i * slot + (slot - bar_w) / 2
            h = area.height() * n / top
            if n:
                painter.fillRect(QRectF(x, area.bottom() - h, bar_w, h), self.accent())
            self.small_text(painter, QRectF(x - 10, area.bottom() - h - label_h, bar_w + 20,
                                            label_h), str(n))
            self.small_text(painter, QRectF(area.left() + i * slot, area.bottom() + 2, slot,
                                            label_h), month_name(month).split()[0])


class StreakStrip(Chart):
    """The streak as a number, and each week as a square: kept (filled), a block not
    finished (outlined), no block (faint)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The streak", parent)
        self.stats: Stats | None = None

    def plot(self, painter: QPainter, rect: QRectF) -> None:
        if self.stats is None:
            return
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2.4)
        big.setBold(True)
        painter.setFont(big)
        weeks = self.stats.streak
        text = f"{weeks} week{'' if weeks == 1 else 's'}"
        high = painter.fontMetrics().height()
        self.small_text(painter, QRectF(rect.left(), rect.top(), rect.width(), high), text,
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                        self.accent() if weeks else self.ink())
        painter.setFont(self.font())
        fm = painter.fontMetrics()
        self.small_text(painter, QRectF(rect.left(), rect.top() + high, rect.width(),
                                        fm.height()),
                        "in a row with everyone planned reached" if weeks
                        else "reach everyone in a week's block to start one",
                        Qt.AlignmentFlag.AlignLeft)
        squares = self.stats.weeks
        top = rect.top() + high + fm.height() + 10
        size = min((rect.width() - 2) / len(squares) - 3, rect.bottom() - top, 22)
        for i, w in enumerate(squares):
            cell = QRectF(rect.left() + i * (size + 3), top, size, size)
            if w.kept:
                painter.fillRect(cell, self.accent())
            elif w.block_planned:
                painter.setPen(QPen(self.accent(), 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(cell.adjusted(0.75, 0.75, -0.75, -0.75))
            else:
                painter.fillRect(cell, _mix(self.palette().color(QPalette.ColorRole.Window),
                                            self.faint(), 0.45))


class ReviewView(QWidget):
    """This week and the last 26, for the user to see whether the habit holds."""

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 today: Callable[[], dt.date] = dt.date.today,
                 first_weekday: int | None = None, weeks: int = DEFAULT_WEEKS) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._store = store
        self._today = today
        self._first_weekday = (locale.first_weekday() if first_weekday is None
                               else first_weekday) % 7
        self._weeks = weeks
        self.stats: Stats | None = None
        self.setWindowTitle("Review — netbook")
        self.setObjectName("review")

        self.title_label = plain_label("")
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.title_label.setFont(font)
        self.week_label = plain_label("")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.week_label)
        head.addLayout(titles, 1)
        head.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)

        self.weekly = WeeklyBars()
        self.circles = CircleBars()
        self.give_ask = GiveAsk()
        self.met = MetPerMonth()
        self.streak = StreakStrip()
        self.charts: list[Chart] = [self.weekly, self.streak, self.circles, self.give_ask,
                                    self.met]
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.weekly, 0, 0, 1, 2)
        grid.addWidget(self.streak, 1, 0)
        grid.addWidget(self.circles, 1, 1)
        grid.addWidget(self.give_ask, 2, 0)
        grid.addWidget(self.met, 2, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 2)
        self.weekly.setMinimumHeight(200)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_host)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        self.resize(900, 680)
        self.refresh()

    def refresh(self) -> None:
        """Read the numbers again and redraw."""
        stats = week_stats(self._store, self._today(), self._weeks, self._first_weekday)
        self.stats = stats
        w = stats.this_week
        self.title_label.setText(
            f"This week · {week_range(w.week_start, w.week_start + dt.timedelta(days=6))}")
        self.week_label.setText(this_week_line(stats))
        for chart in self.charts:
            chart.stats = stats  # type: ignore[attr-defined]
        total = sum(x.touches for x in stats.weeks)
        kept = sum(1 for x in stats.weeks if x.kept)
        blocks = sum(1 for x in stats.weeks if x.block_planned)
        n = len(stats.weeks)
        touches = "1 touch" if total == 1 else f"{total} touches"
        self.weekly.set_summary(f"{touches} in {n} weeks; the block was kept {kept} of the "
                                f"{blocks} weeks it was planned")
        self.streak.set_summary(f"Streak: {stats.streak} week"
                                + ("" if stats.streak == 1 else "s"))
        self.circles.set_summary("; ".join(
            f"{name}: {c.within_rhythm} of {c.people} within rhythm"
            for name, c in stats.circles.items()))
        self.give_ask.set_summary(f"Gave {sum(x.gave for x in stats.weeks)}, asked "
                                  f"{sum(x.asked for x in stats.weeks)} in {n} weeks")
        self.met.set_summary("; ".join(f"{month_name(m)}: {k}"
                                       for m, k in stats.met_per_month))
        for chart in self.charts:
            chart.update()

    def set_first_weekday(self, weekday: int) -> None:
        """The week starts on another day (Settings): the weeks follow, as the panel's."""
        if weekday % 7 != self._first_weekday:
            self._first_weekday = weekday % 7
            self.refresh()

    def apply_changes(self, changes: Changes) -> None:
        """A change elsewhere: the numbers may have moved (only while on screen)."""
        if self.isVisible() and (changes.interactions or changes.plan or changes.everything):
            self.refresh()

