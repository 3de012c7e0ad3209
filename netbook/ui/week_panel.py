"""This week's networking block: who to reach, why, and a one-click way to log it.

The panel shows the plan `plan.service.load_plan` computes (the same one the CLI, the printed
call list and the calendar file read), and acts on it through `data.operations`: log a
touch, snooze someone, skip them this week. After each of its own changes it refreshes
and emits `changed` with the operation's `Changes`, so the main window can tell the rest;
changes made elsewhere reach it through `apply_changes`.

Rows are small widgets in a scroll area, not a model/view list, on purpose:

* a plan is bounded by the block's minutes (a 60-minute block holds at most a dozen
  5-minute touches), so there are ~5–20 rows, never thousands — unlike the contact list,
  which is model/view because it holds everybody;
* each row carries four real buttons; real QPushButtons take keyboard focus, Tab order,
  mnemonics-free accessible names and screen readers for free, where a painted delegate
  would have to fake all of that through `editorEvent`;
* rows hold wrapped multi-line text (reason, talking points) of varying height, which
  QLabel lays out correctly where a delegate's `sizeHint` would have to guess.

Rows are only rebuilt when the plan's items changed, so `refresh()` costs the plan query
plus a header update. Every label is plain text: names, notes and reasons come from
imported cards and are never interpreted as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import locale
from ..data import operations
from ..data.changes import Changes
from ..data.contacts import Store, StoreError
from ..plan import service as week
from ..plan.planner import PlanItem, WeekPlan
from ..plan.sheet import dial_format
from ..plan.wording import act_lead, block_title, day_label, gift_phrase, introduction_line
from .flow_layout import FlowLayout
from .log_dialog import QuickLogDialog, SnoozeDialog, plain_label
from .text import button_text, isolate, isolate_names

__all__ = ["EMPTY_TEXT", "PANEL_TITLE", "PlanRow", "WeekPanel"]

EMPTY_TEXT = (
    "Nobody is due this week — add rhythms to people you want to keep close, "
    "or enjoy the quiet."
)
PANEL_TITLE = "This week's networking block"  # the dock's title (the heading says when)
# px: from this width the panel is laid out wide and low (docked below the list and card);
# the wide header needs ~750, so a panel made narrower than this can always shrink again
WIDE_PANEL = 860
ROW_WIDTH = 380  # px a row needs side by side with others
QWIDGETSIZE_MAX = 16777215  # Qt's "no maximum"


def streak_text(weeks: int) -> str:
    """'Streak: 3 weeks', or a nudge when there is none yet."""
    if weeks <= 0:
        return "No streak yet — reach everyone in this week's block to start one."
    return f"Streak: {weeks} week" + ("" if weeks == 1 else "s")


def snooze_notice(name: str, until: date) -> str:
    """What a snooze did, in words: 'Remind me on Mon 7 Dec: Ana is out of the plan
    until then.'"""
    return (f"Remind me on {day_label(until)}: {isolate(name)} is out of the plan until "
            "then.")


class PlanRow(QFrame):
    """One person in the plan as a card: who, why, what to do, and the actions."""

    def __init__(self, item: PlanItem, parent: QWidget | None = None, *,
                 today: date | None = None, snooze_days: tuple[date, date] | None = None,
                 region: str = "") -> None:
        """`today` words a dated item ("Today: send a birthday message"); `snooze_days`
        are next week's and the week after's first days, for the "Remind me on" menu;
        `region` is the book's, for the phone number as the sheet writes it."""
        super().__init__(parent)
        self.item = item
        self.setObjectName(f"plan-row-{item.contact_id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        # names from cards stay inside their own direction (as in the list and the sheet)
        intro = item.introduce
        names = [item.name] + ([intro.name] if intro else [])
        self.name_label = plain_label(isolate(item.name), self)
        font = self.name_label.font()
        font.setBold(True)
        font.setStrikeOut(item.done)
        self.name_label.setFont(font)
        self.org_label = plain_label(isolate(item.organization), self)
        self.org_label.setVisible(bool(item.organization))
        self.done_mark = plain_label("✓ Done" if item.done else "", self, wrap=False)
        self.done_mark.setAccessibleName("Done this week" if item.done else "")
        self.done_mark.setVisible(item.done)

        self.why_label = plain_label(isolate_names(item.why, names), self)
        lead = act_lead(item.on, today or date.today())
        action = f"{lead}: {item.action}" if lead else item.action
        action = f"{action} · {item.minutes} min"
        if item.gift:
            action = f"{action} · give {gift_phrase(item.gift)}"
        self.action_label = plain_label(action, self)
        if lead == "Today" and not item.done:  # the one thing that can't wait for the block
            bold = self.action_label.font()
            bold.setBold(True)
            self.action_label.setFont(bold)
        # the number as the printed sheet gives it (dialled from the book's region)
        phone = dial_format(item.phone, region) if item.phone else ""
        reach = " · ".join(x for x in (phone, item.email) if x)
        self.reach_label = plain_label(reach, self)
        self.reach_label.setVisible(bool(reach))
        self.points_label = plain_label("\n".join(f"• {p}" for p in item.talking_points), self)
        self.points_label.setVisible(bool(item.talking_points))
        # the week's introduction (issue 13): their need meets someone's work, or back
        self.intro_label = plain_label(isolate_names(intro.why, names) if intro else "", self)
        self.intro_label.setVisible(intro is not None)
        self.introduce_button = QPushButton(
            button_text(introduction_line(isolate(intro.name))) + "…" if intro
            else "Introduce…", self)
        self.introduce_button.setVisible(intro is not None)
        self.introduce_button.setToolTip("A draft message to both of them, logged as given "
                                         "with both (or first an ask to the one who'd help)")

        self.done_button = QPushButton("Done…", self)
        self.done_button.setToolTip(
            "Make the introduction: the message to both, logged with both, a follow-up "
            "a week on" if item.gift == "introduction" and item.partner_id is not None
            else "Log the touch; the row is marked done"
            + (" and you say what happens to the promise" if item.reason == "follow_up"
               else ""))
        self.snooze_button = QPushButton("Remind me on…", self)
        self.snooze_button.setToolTip("Leave them out of the plan until a day you pick; "
                                      "they come back in that week's block")
        self.skip_button = QPushButton("Not this week", self)
        self.skip_button.setToolTip("Leave them out of this week's block only; they stay "
                                    "due and come back next week")
        self.open_button = QPushButton("Open contact", self)
        for verb, button in (
            ("Log a touch with", self.done_button),
            ("Remind me later about", self.snooze_button),
            ("Not this week:", self.skip_button),
            ("Open", self.open_button),
            ("Introduce someone to", self.introduce_button),
        ):
            button.setAutoDefault(False)
            button.setAccessibleName(f"{verb} {item.name}")  # accessible names are plain
        for button in (self.done_button, self.snooze_button, self.skip_button):
            button.setEnabled(not item.done)

        self.snooze_menu = QMenu(self)
        next_week, week_after = snooze_days or (date.today() + timedelta(days=7),
                                                date.today() + timedelta(days=14))
        self.next_week_action = self.snooze_menu.addAction(
            f"Remind me on {day_label(next_week)} (next week)")
        self.two_weeks_action = self.snooze_menu.addAction(
            f"Remind me on {day_label(week_after)} (in two weeks)")
        self.date_action = self.snooze_menu.addAction("Remind me on a day…")
        self.snooze_button.clicked.connect(self._show_snooze_menu)

        heading = QHBoxLayout()
        heading.addWidget(self.name_label)
        heading.addWidget(self.org_label, 1)
        heading.addWidget(self.done_mark, 0, Qt.AlignmentFlag.AlignTop)
        # buttons that don't fit go to the next line: the panel never scrolls sideways
        buttons = FlowLayout()
        for button in (self.done_button, self.snooze_button, self.skip_button, self.open_button,
                       self.introduce_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        for label in (self.why_label, self.action_label, self.reach_label, self.points_label,
                      self.intro_label):
            layout.addWidget(label)
        layout.addLayout(buttons)

        if item.done:  # dimmed: what's done stays visible (it counts) but steps back
            for label in (self.name_label, self.org_label, self.why_label, self.action_label,
                          self.reach_label, self.points_label):
                label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        else:
            self.org_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    @Slot()
    def _show_snooze_menu(self) -> None:
        """Non-blocking popup (a QPushButton menu would run a nested event loop)."""
        self.snooze_menu.popup(self.snooze_button.mapToGlobal(
            QPoint(0, self.snooze_button.height())))

    def first_button(self) -> QPushButton:
        """Where keyboard focus lands on this row."""
        return self.done_button if self.done_button.isEnabled() else self.open_button


class WeekPanel(QWidget):
    """The week's plan with its progress, streak and per-person actions."""

    open_contact = Signal(int)
    introduce_requested = Signal(int, int)  # the planned person, who to introduce them to
    who_can_help_requested = Signal(str)  # a need typed in the panel's field
    changed = Signal(object)  # the Changes of an operation run here
    plan_reloaded = Signal(object)  # the WeekPlan just loaded and shown (the tray's badge)
    print_requested = Signal()
    calendar_requested = Signal()
    log_week_requested = Signal()
    settings_requested = Signal()
    review_requested = Signal()
    collapsed_changed = Signal(bool)  # folded to one line (below the list), or opened
    shape_changed = Signal(bool)  # laid out wide and low (True) or narrow and tall

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        first_weekday: int | None = None,
        load: bool = True,
    ) -> None:
        """`load=False`: the owner calls refresh() when it is ready (start-up shows the
        contact list first and fills the plan right after)."""
        super().__init__(parent)
        self._store = store
        self._today = today
        if first_weekday is None:
            first_weekday = locale.first_weekday()
        self._first_weekday = first_weekday % 7
        self.plan: WeekPlan | None = None
        self._shown_day: date | None = None  # the day the rows were worded for ("Today")
        self.streak_weeks = 0
        self._rows: list[PlanRow] = []
        self._undo: Callable[[], Changes] | None = None
        self._stale = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        self._shape_timer = QTimer(self)
        self._shape_timer.setSingleShot(True)
        self._shape_timer.setInterval(0)
        self._shape_timer.timeout.connect(self._reshape)

        self.title_label = plain_label("", self)
        title_font = self.title_label.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.title_label.setFont(title_font)

        self.progress_label = plain_label("", self, wrap=False)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(12)
        self.progress_bar.setMinimumWidth(40)
        self.progress_bar.setAccessibleName("Progress this week")
        self.streak_label = plain_label("", self)
        self.review_button = QPushButton("Review the weeks…", self)
        self.review_button.setAutoDefault(False)
        self.review_button.setFlat(True)
        self.review_button.setToolTip("This week and the last 26: is the habit working?")
        self.review_button.clicked.connect(self.review_requested.emit)

        self.print_button = QPushButton("Print…", self)
        self.calendar_button = QPushButton("Add to calendar…", self)
        self.log_week_button = QPushButton("Log this week…", self)
        self.settings_button = QPushButton("Block settings…", self)
        for button, signal in (
            (self.print_button, self.print_requested),
            (self.calendar_button, self.calendar_requested),
            (self.log_week_button, self.log_week_requested),
            (self.settings_button, self.settings_requested),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(signal.emit)

        self.help_field = QLineEdit(self)
        self.help_field.setPlaceholderText("Who could help with…? (type a need, press Enter)")
        self.help_field.setAccessibleName("Who could help with")
        self.help_field.setClearButtonEnabled(True)
        self.help_field.returnPressed.connect(self._ask_who_can_help)

        self.notice_label = plain_label("", self)
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setAutoDefault(False)
        self.undo_button.clicked.connect(self.undo)
        self.notice = QWidget(self)
        notice_layout = QHBoxLayout(self.notice)
        notice_layout.setContentsMargins(0, 0, 0, 0)
        notice_layout.addWidget(self.notice_label, 1)
        notice_layout.addWidget(self.undo_button)
        self.notice.setVisible(False)

        self.empty_label = plain_label(EMPTY_TEXT, self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.also_label = plain_label("", self)

        self._rows_box = QWidget(self)
        self._rows_layout = QGridLayout(self._rows_box)
        self._rows_layout.setContentsMargins(0, 4, 4, 4)  # the panel's own margins suffice
        self._columns = 1
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # long lines wrap, buttons flow onto a second line: never sideways
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self._rows_box)

        # below the list and card (a narrow window) the panel is wide and low: its header
        # takes two lines instead of five, its rows stand side by side, and it folds
        # down to its first line with one click
        self.collapse_button = QToolButton(self)
        self.collapse_button.setCheckable(True)
        self.collapse_button.setAutoRaise(True)
        self.collapse_button.toggled.connect(self.set_collapsed)
        self._show_collapse_state(False)
        self.block_buttons = QWidget(self)
        block_buttons = FlowLayout(self.block_buttons)
        for button in (self.print_button, self.calendar_button, self.log_week_button,
                       self.settings_button):
            block_buttons.addWidget(button)
        self.header = QWidget(self)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.header)
        self._layout.addWidget(self.notice)
        self._layout.addWidget(self.scroll_area, 1)
        self._wide: bool | None = None
        self._lay_out_header(wide=False)
        self._place_rows()

        if load:
            self.refresh()

    # -- the panel's shape ----------------------------------------------------------

    @property
    def wide(self) -> bool:
        """Laid out for a wide, low panel (docked below the list and card)."""
        return bool(self._wide)

    @property
    def columns(self) -> int:
        """How many rows stand side by side."""
        return self._columns

    @property
    def collapsed(self) -> bool:
        return self.collapse_button.isChecked()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._shape_timer.start()  # once the resizing is over: a new shape resizes again

    @Slot()
    def _reshape(self) -> None:
        wide = self.width() >= WIDE_PANEL
        if wide != self._wide:
            self._lay_out_header(wide)
        columns = self._columns_for(self.width()) if wide else 1
        if columns != self._columns:
            self._columns = columns
            self._place_rows()

    @staticmethod
    def _columns_for(width: int) -> int:
        return max(1, min(3, width // ROW_WIDTH))

    def _lay_out_header(self, wide: bool) -> None:
        """The header's widgets on two lines (wide) or one above the other (narrow), in a
        new header widget (the widgets move over; the old one goes)."""
        self._wide = wide
        header = QWidget(self)
        if wide:
            first = QHBoxLayout()
            first.addWidget(self.title_label)
            first.addSpacing(6)
            first.addWidget(self.progress_label)
            first.addWidget(self.progress_bar, 2)
            first.addSpacing(6)
            first.addWidget(self.streak_label, 1)
            first.addWidget(self.review_button)
            first.addWidget(self.collapse_button)
            second = QHBoxLayout()
            second.addWidget(self.block_buttons)
            second.addWidget(self.help_field, 1)
            lines: list[QWidget | QHBoxLayout] = [first, second]
        else:
            progress = QHBoxLayout()
            progress.addWidget(self.progress_label)
            progress.addWidget(self.progress_bar, 1)
            streak = QHBoxLayout()
            streak.addWidget(self.streak_label, 1)
            streak.addWidget(self.review_button)
            lines = [self.title_label, progress, streak, self.block_buttons, self.help_field]
            if self.collapsed:  # a tall panel has the room: nothing to fold away
                self.collapse_button.setChecked(False)
        column = QVBoxLayout(header)
        column.setContentsMargins(0, 0, 0, 0)
        for line in lines:
            if isinstance(line, QWidget):
                column.addWidget(line)
            else:
                column.addLayout(line)
        self.collapse_button.setParent(header if wide else self)
        self.collapse_button.setVisible(wide)
        self.title_label.setWordWrap(not wide)  # one line when wide
        old, self.header = self.header, header
        self._layout.replaceWidget(old, header)
        old.deleteLater()
        self.shape_changed.emit(wide)

    def _place_rows(self) -> None:
        """The rows in `columns` columns, in plan order, reading across then down."""
        grid = self._rows_layout
        for widget in (self.empty_label, self.also_label, *self._rows):
            grid.removeWidget(widget)
        columns = self._columns
        for column in range(3):
            grid.setColumnStretch(column, 1 if column < columns else 0)
        for r in range(grid.rowCount()):
            grid.setRowStretch(r, 0)
        grid.addWidget(self.empty_label, 0, 0, 1, columns)
        for i, row in enumerate(self._rows):
            grid.addWidget(row, 1 + i // columns, i % columns, Qt.AlignmentFlag.AlignTop)
        last = 1 + (len(self._rows) + columns - 1) // columns
        grid.addWidget(self.also_label, last, 0, 1, columns)
        grid.setRowStretch(last + 1, 1)

    @Slot(bool)
    def set_collapsed(self, collapsed: bool) -> None:
        """Fold the panel down to its first line (title, progress, streak), or open it."""
        if self.collapse_button.isChecked() != collapsed:
            self.collapse_button.setChecked(collapsed)  # comes back here through toggled
            return
        for widget in (self.block_buttons, self.help_field, self.scroll_area):
            widget.setVisible(not collapsed)
        self.notice.setVisible(not collapsed and bool(self.notice_label.text()))
        self._show_collapse_state(collapsed)
        # folded, the panel is no taller than its first line: the dock shrinks with it
        margins = self._layout.contentsMargins()
        self.setMaximumHeight(self.title_label.sizeHint().height() + margins.top()
                              + margins.bottom() + 8 if collapsed else QWIDGETSIZE_MAX)
        self.collapsed_changed.emit(collapsed)

    def _show_collapse_state(self, collapsed: bool) -> None:
        button = self.collapse_button
        button.setArrowType(Qt.ArrowType.UpArrow if collapsed else Qt.ArrowType.DownArrow)
        text = "Show this week's people" if collapsed else "Fold the panel to one line"
        button.setToolTip(text)
        button.setAccessibleName(text)

    @Slot()
    def _ask_who_can_help(self) -> None:
        text = self.help_field.text().strip()
        if text:
            self.who_can_help_requested.emit(text)

    # -- showing the plan ---------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Reload the plan (after a change here or anywhere else) and show it, now."""
        self._reload()

    def current_plan(self) -> WeekPlan:
        """The week's plan as of now, for Print, the calendar and Log this week: the one
        shown, reloaded first when it may be old (not loaded yet, a change while hidden,
        a refresh still pending)."""
        if self.plan is None or self._stale or self._refresh_timer.isActive():
            return self._reload()
        return self.plan

    def _reload(self) -> WeekPlan:
        self._refresh_timer.stop()
        self._stale = False
        today = self._today()
        plan = week.load_plan(self._store, today, self._first_weekday)
        self.streak_weeks = week.streak(self._store, plan)
        previous, self.plan = self.plan, plan
        self._show_header(plan)
        # a new day words the same items anew: yesterday's "Today" is belated now
        if previous is None or previous.items != plan.items or today != self._shown_day:
            self._shown_day = today
            self._show_rows(plan)
        self.plan_reloaded.emit(plan)
        return plan

    @property
    def shown_day(self) -> date | None:
        """The day the rows on show were worded for (None before the first load)."""
        return self._shown_day

    @Slot()
    def refresh_soon(self) -> None:
        """Refresh once the current burst of changes is over, and only when on screen.

        A whole plan costs ~130 ms at 50k contacts when what it rests on changed, so a
        main window wiring this to "contacts changed" should not pay for it per change,
        nor while the panel is hidden.
        """
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self._stale = True

    def apply_changes(self, changes: Changes, origin: object | None = None) -> None:
        """Redraw after an operation run elsewhere, when it may have moved the plan: once
        the burst of changes is over when on screen, else when shown again (a whole plan
        costs ~150 ms at 50,000 contacts: neither a sync page by page nor a hidden panel
        pays it per change). `current_plan` catches up first when asked in between."""
        if origin is not self and changes.plan:
            self.refresh_soon()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh_timer.start()

    @property
    def first_weekday(self) -> int:
        """The day the panel's weeks start on (0=Monday)."""
        return self._first_weekday

    def set_first_weekday(self, weekday: int) -> None:
        """The week starts on another day (Settings): the plan follows at once."""
        if weekday % 7 != self._first_weekday:
            self._first_weekday = weekday % 7
            self.refresh()

    def rows(self) -> list[PlanRow]:
        """The rows on show, in plan order."""
        return list(self._rows)

    def row(self, contact_id: int) -> PlanRow | None:
        """The row for a contact, or None when they are not in the plan."""
        return next((r for r in self._rows if r.item.contact_id == contact_id), None)

    def _show_header(self, plan: WeekPlan) -> None:
        # the dock's own title says "This week's networking block": the heading says when
        self.title_label.setText(block_title(plan))
        planned, done = plan.planned_count, plan.done_count
        self.progress_label.setText(f"{done} of {planned} done")
        self.progress_bar.setRange(0, max(planned, 1))
        self.progress_bar.setValue(done)
        for widget in (self.progress_label, self.progress_bar):
            widget.setVisible(planned > 0)
        text = streak_text(self.streak_weeks)
        finished = bool(planned) and done == planned
        if finished:
            text = f"{text} · this week's block is done ✓"
        self.streak_label.setText(text)
        # the end of a block: the review steps forward
        self.review_button.setText("Review the week…" if finished else "Review the weeks…")
        self.review_button.setFlat(not finished)
        self.log_week_button.setEnabled(planned > 0)

    def _show_rows(self, plan: WeekPlan) -> None:
        focus = self._focused_row_index()
        for row in self._rows:
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self._rows = []
        rows: list[PlanRow] = []
        next_week = plan.week_end + timedelta(days=1)
        days = (next_week, next_week + timedelta(days=7))
        for item in plan.items:
            row = PlanRow(item, self._rows_box, today=self._today(), snooze_days=days,
                          region=self._store.region)
            if item.gift == "introduction" and item.partner_id is not None:
                # an introduction is recorded one way: with both, and its follow-up
                row.done_button.clicked.connect(partial(
                    self.introduce_requested.emit, item.contact_id, item.partner_id))
            else:
                row.done_button.clicked.connect(partial(self.open_log_dialog, item))
            row.next_week_action.triggered.connect(partial(self.snooze_next_week, item))
            row.two_weeks_action.triggered.connect(partial(self.snooze_weeks, item, 2))
            row.date_action.triggered.connect(partial(self.open_snooze_dialog, item))
            row.skip_button.clicked.connect(partial(self.skip, item))
            row.open_button.clicked.connect(partial(self.open_contact.emit, item.contact_id))
            if item.introduce is not None:
                row.introduce_button.clicked.connect(partial(
                    self.introduce_requested.emit, item.contact_id, item.introduce.contact_id))
            row.show()  # at once, not when the layout's queued show runs
            rows.append(row)
        self._rows = rows
        self._place_rows()
        self.empty_label.setVisible(not plan.items)
        also = ", ".join(f"{isolate(name)} ({day_label(on)})" for name, on in plan.also_birthdays)
        self.also_label.setText(f"Also birthdays this week: {also}" if also else "")
        self.also_label.setVisible(bool(also))
        if focus is not None and self._rows:
            self._rows[min(focus, len(self._rows) - 1)].first_button().setFocus()

    def _focused_row_index(self) -> int | None:
        widget = self.focusWidget()
        for i, row in enumerate(self._rows):
            if widget is not None and row.isAncestorOf(widget):
                return i
        return None

    # -- acting on a row ----------------------------------------------------------

    def open_log_dialog(self, item: PlanItem) -> QuickLogDialog:
        """Open the quick log form for `item` (non-blocking); OK logs and marks it done.

        A row that came from a follow-up asks what happens to the promise (kept: cleared;
        or moved to a day); any row can set a new follow-up, in the same transaction.
        """
        give = item.reason == "give_first"
        dialog = QuickLogDialog(
            self,
            item.name,
            kind=item.action_kind,
            exchange="gave" if give else "",
            gift=item.gift if give else "",
            on=self._today(),
            today=self._today,
            save=partial(self._log, item.contact_id),
            follow_ups=True,
            promise=self._promise(item),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _promise(self, item: PlanItem) -> tuple[date, str] | None:
        """The open follow-up of a follow-up row: its day and note."""
        if item.reason != "follow_up":
            return None
        try:
            record = self._store.get_contact(item.contact_id)
        except StoreError:
            return None
        if record.follow_up is None:
            return None
        return record.follow_up, record.follow_up_note

    def _log(self, contact_id: int, values: dict) -> None:
        """The log form's OK: log, then redraw (a refusal keeps the form open)."""
        self._changed(operations.log_interaction(self._store, contact_id, **values))

    def snooze_next_week(self, item: PlanItem) -> None:
        """"Remind me on" next week's first day."""
        self.snooze_weeks(item, 1)

    def snooze_weeks(self, item: PlanItem, weeks: int) -> None:
        """"Remind me on" the first day `weeks` weeks on."""
        assert self.plan is not None
        until = self.plan.week_end + timedelta(days=1 + 7 * (weeks - 1))
        before = self._snoozed_until(item.contact_id)
        self._act(
            lambda: week.snooze_until(self._store, item.contact_id, until, self._today(),
                                      self._first_weekday),
            snooze_notice(item.name, until),
            partial(self._unsnooze, item.contact_id, before),
        )

    def open_snooze_dialog(self, item: PlanItem) -> SnoozeDialog:
        """Ask which day to be reminded of `item` (non-blocking); OK snoozes."""
        assert self.plan is not None
        earliest = week.earliest_snooze(self._today(), self._first_weekday)

        def save(until: date) -> None:
            before = self._snoozed_until(item.contact_id)
            changes = week.snooze_until(self._store, item.contact_id, until, self._today(),
                                        self._first_weekday)
            self._show_notice(snooze_notice(item.name, until),
                              partial(self._unsnooze, item.contact_id, before))
            self._changed(changes)

        dialog = SnoozeDialog(self, item.name, earliest=earliest, save=save)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _snoozed_until(self, contact_id: int) -> date | None:
        """Their snooze before a new one (an earlier one that has run out keeps them in
        the plan): what Undo puts back."""
        try:
            return operations.snoozed_until(self._store, contact_id)
        except StoreError:
            return None

    def _unsnooze(self, contact_id: int, before: date | None) -> Changes:
        """Undo a snooze: back into the plan, their earlier snooze day as it was."""
        if before is None:
            return week.unsnooze(self._store, contact_id)
        return operations.snooze(self._store, contact_id, before)

    def skip(self, item: PlanItem) -> None:
        """"Not this week": leave `item` out of this week only; they stay due and come
        back next week. Nobody else in the plan moves."""
        # the plan service's skip, as `netbook week skip`: the week holding today (the one
        # shown may be last week's until the reminder rolls it over), refused in words
        # when they are not in it or skipped already
        today, first = self._today(), self._first_weekday
        self._act(
            lambda: week.skip(self._store, item.contact_id, today, first),
            f"Not this week: {isolate(item.name)} is out of this week's block and comes back "
            "next week.",
            lambda: week.unskip(self._store, item.contact_id, today, first),
        )

    @Slot()
    def undo(self) -> None:
        """Take back the last snooze or skip made here."""
        undo, self._undo = self._undo, None
        self.notice.setVisible(False)
        if undo is not None:
            self._act(undo, "", None)

    def _act(self, change: Callable[[], Changes], notice: str,
             undo: Callable[[], Changes] | None) -> None:
        """Run an operation; refuse in words (the contact may be gone) and refresh."""
        try:
            changes = change()
        except StoreError as exc:
            self._show_notice(str(exc), None)
            self.refresh()
            return
        if notice:
            self._show_notice(notice, undo)
        self._changed(changes)

    def _show_notice(self, text: str, undo: Callable[[], Changes] | None) -> None:
        self._undo = undo
        self.notice_label.setText(text)
        self.undo_button.setVisible(undo is not None)
        self.notice.setVisible(bool(text))

    def _changed(self, changes: Changes) -> None:
        self.refresh()
        self.changed.emit(changes)

