"""The block reminds you: a tray icon, a quiet badge on the block's day, and a desktop
notification when it starts ("Your networking block: 6 people, 60 min — Open").

Two parts, so each is testable on its own:

* `BlockReminder` watches a clock (injected: tests move a fake one) against the week's
  plan and says what to show: `badge_changed` with the words for the tray's tooltip
  ("" when there's nothing to say) and `notify` once per block, at its start (or at
  start-up during the block). A block with nobody planned, or all done, stays quiet.
* `Tray` is the system-tray icon: the app's icon, with a dot while a block is due; its
  menu opens the window, captures someone just met, or quits. Where the desktop has no
  tray (`QSystemTrayIcon.isSystemTrayAvailable()` is False: some Wayland desktops, a
  headless test), `Tray.available` is False and the window takes the notification in
  its status bar instead: netbook keeps working and says so once.

Nothing here touches the store: the plan comes from a callable (the week panel's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QBrush, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ..plan.planner import WeekPlan
from ..plan.wording import block_notification, people

__all__ = ["CHECK_EVERY_MS", "NOTIFICATION_TITLE", "NO_TRAY_SHOWN_MS", "NO_TRAY_TEXT",
           "BlockReminder", "Tray"]

CHECK_EVERY_MS = 20_000  # the clock is read this often: a notification is at most 20 s late
NOTIFICATION_TITLE = "netbook"
# said once, on the first start, for a few seconds: it used to fill the status bar for
# half a minute and hide the count beside it at 1024 px
NO_TRAY_TEXT = "No system tray here: the block is announced in this window while it is open"
NO_TRAY_SHOWN_MS = 8000


class BlockReminder(QObject):
    """What the tray shows and says about the week's block, as the clock moves."""

    badge_changed = Signal(str)  # the tooltip's words; "" for none
    notify = Signal(str, str)  # title, text: the block has started

    def __init__(self, plan: Callable[[], WeekPlan | None],
                 clock: Callable[[], dt.datetime] = dt.datetime.now,
                 parent: QObject | None = None, *, start: bool = True) -> None:
        super().__init__(parent)
        self._plan = plan
        self._clock = clock
        self.badge = ""
        self.notified: set[dt.datetime] = set()  # block starts already announced
        self.last_notification: tuple[str, str] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        if start:
            self.timer.start()

    @staticmethod
    def block_times(plan: WeekPlan) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(plan.block_date, plan.block.start)
        return start, start + dt.timedelta(minutes=plan.block.minutes)

    def state(self, plan: WeekPlan | None, now: dt.datetime) -> str:
        """'before' (the block's day, not yet started), 'during', or 'quiet'."""
        if plan is None or plan.planned_count == 0 or plan.done_count >= plan.planned_count:
            return "quiet"
        start, end = self.block_times(plan)
        if start <= now < end:
            return "during"
        if now.date() == plan.block_date and now < start:
            return "before"
        return "quiet"

    @Slot()
    def check(self) -> None:
        """Read the clock: update the badge, and announce a block that has started."""
        self.check_plan(self._plan())

    @Slot(object)
    def check_plan(self, plan: WeekPlan | None) -> None:
        """`check` against a plan just made (the week panel's, once it has reloaded), so
        the badge follows a change without planning the week a second time."""
        now = self._clock()
        state = self.state(plan, now)
        badge = ""
        if plan is not None and state != "quiet":
            start, _ = self.block_times(plan)
            left = plan.planned_count - plan.done_count
            if state == "before":
                badge = (f"Networking block today at {start:%H:%M}: "
                         f"{people(plan.planned_count)}, {plan.block.minutes} min")
            else:
                badge = f"Networking block now: {people(left)} to go"
            if state == "during" and start not in self.notified:
                self.notified.add(start)
                self.last_notification = (NOTIFICATION_TITLE, f"{block_notification(plan)} — Open")
                self.notify.emit(*self.last_notification)
        if badge != self.badge:
            self.badge = badge
            self.badge_changed.emit(badge)


def badged(icon: QIcon, size: int = 64) -> QIcon:
    """The icon with a small dot in its corner: a block is due (quiet, not a number)."""
    pixmap = icon.pixmap(size, size)
    if pixmap.isNull():
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    radius = size * 0.17
    centre = QPointF(size - radius - 1, radius + 1)
    painter.setPen(QPen(QColor("white"), size * 0.05))
    painter.setBrush(QBrush(QColor(220, 60, 40)))
    painter.drawEllipse(centre, radius, radius)
    painter.end()
    return QIcon(pixmap)


class Tray(QObject):
    """The system-tray icon and its menu; `available` is False where there's no tray."""

    open_requested = Signal()
    capture_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self._icon = icon
        self._badged = badged(icon)
        self.last_message: tuple[str, str] | None = None
        self.menu = QMenu()
        self.open_action = QAction("Open netbook", self.menu)
        self.capture_action = QAction("I Just Met Someone…", self.menu)
        self.quit_action = QAction("Quit", self.menu)
        self.open_action.triggered.connect(self.open_requested.emit)
        self.capture_action.triggered.connect(self.capture_requested.emit)
        self.quit_action.triggered.connect(self.quit_requested.emit)
        self.menu.addAction(self.open_action)
        self.menu.addAction(self.capture_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon: QSystemTrayIcon | None = None
        self.tooltip = "netbook"
        if self.available:
            self.icon = QSystemTrayIcon(icon, self)
            self.icon.setToolTip(self.tooltip)
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._activated)
            self.icon.messageClicked.connect(self.open_requested.emit)

    def show(self) -> None:
        if self.icon is not None:
            self.icon.show()

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()

    @Slot(str)
    def set_badge(self, text: str) -> None:
        """The dot and the tooltip while a block is due; the plain icon otherwise."""
        self.tooltip = f"netbook — {text}" if text else "netbook"
        if self.icon is not None:
            self.icon.setIcon(self._badged if text else self._icon)
            self.icon.setToolTip(self.tooltip)

    # a seam: whether this desktop shows a tray icon's messages (some trays show the icon
    # but have no notification service); tests replace it
    supports_messages: Callable[[], bool] = staticmethod(QSystemTrayIcon.supportsMessages)

    @property
    def shows_messages(self) -> bool:
        """A message from the tray icon reaches the desktop (else it would vanish)."""
        return self.icon is not None and self.supports_messages()

    @Slot(str, str)
    def show_message(self, title: str, text: str) -> None:
        """A desktop notification (clicking it opens the window)."""
        self.last_message = (title, text)
        if self.icon is not None and self.shows_messages:
            self.icon.showMessage(title, text, self._icon, 60_000)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()
