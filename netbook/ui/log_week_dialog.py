"""Log this week: take the ticked paper call list back into netbook in a minute.

A small form grid, not a model/view table: a week holds about 5–20 people, each row is a
handful of editors (outcome radios, kind, note, gave/asked, gift), and a grid of real
widgets lets the user tab straight through without opening cell editors.

What a row writes (all rows in ONE transaction via `operations.log_week`, whose
`Changes` the dialog hands up with `changed`):
- Reached → an interaction of the chosen kind, with the note and gave/asked/gift.
- Left a message → the chosen kind too (a call that reached voicemail was still a call;
  the kind says how you tried), with the note prefixed "Left a message". It counts as a
  touch, so the person's rhythm restarts, and the note keeps the difference visible.
- Not reached → nothing.
- Next step (the sheet's line, with its "by" day) → the person's follow-up, set in the same
  transaction. A row that came from a follow-up has "promise kept", ticked: reached, the
  promise is cleared (unless a next step replaces it); left a message, it stays.
People already contacted this week are shown as done and default to Not reached, so
they are not logged twice; everyone else also starts at Not reached, so pressing OK
without looking writes nothing that did not happen ("All reached" is one click).
Names are plain text: a name typed as `<b>Bob</b>` shows exactly like that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..data import networking, operations
from ..data.changes import Changes
from ..data.contacts import Store, StoreError
from ..plan.planner import PlanItem, WeekPlan
from ..plan.wording import week_heading
from .text import isolate, plain_warning

REACHED, LEFT_MESSAGE, NOT_REACHED = "reached", "left_message", "not_reached"
OUTCOMES = (REACHED, LEFT_MESSAGE, NOT_REACHED)
_OUTCOME_LABELS = {REACHED: "Reached", LEFT_MESSAGE: "Left a message",
                   NOT_REACHED: "Not reached"}
_EXCHANGES = (("", "—"), ("gave", "gave"), ("asked", "asked"))
ROW_LINES = 3  # grid rows a person takes: what happened, the rest, a line under them


@dataclass
class LogRow:
    """The editors of one person's row."""

    item: PlanItem
    outcome: QButtonGroup
    radios: dict[str, QRadioButton]
    kind: QComboBox
    note: QLineEdit
    exchange: QComboBox
    gift: QComboBox
    next_step: QLineEdit
    by: QDateEdit
    kept: QCheckBox | None  # a follow-up row: the promise kept

    def follow_up(self) -> dict:
        """The entry's follow_up and follow_up_note ({}: as it is)."""
        outcome = self.chosen()
        if outcome == NOT_REACHED:
            return {}
        step = " ".join(self.next_step.text().split())
        if step:
            d = self.by.date()
            return {"follow_up": dt.date(d.year(), d.month(), d.day()), "follow_up_note": step}
        if self.kept is not None and self.kept.isChecked() and outcome == REACHED:
            return {"follow_up": None}
        return {}

    def chosen(self) -> str:
        for key, radio in self.radios.items():
            if radio.isChecked():
                return key
        return NOT_REACHED


def _plain(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def default_day(plan: WeekPlan, today: dt.date) -> dt.date:
    """The block's day once it has passed (the paper comes back a day or two later),
    else today: never in the future."""
    return plan.block_date if plan.block_date <= today else today


class LogWeekDialog(QDialog):
    """The week's people with what happened; OK writes the interactions in one go."""

    changed = Signal(object)  # the Changes of what OK logged

    def __init__(self, parent: QWidget | None, store: Store, plan: WeekPlan,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.store = store
        self.plan = plan
        self.changes = Changes()
        # replaceable so a test (or a headless caller) is never blocked by a message box
        self.report_error: Callable[[str], None] = self._show_error
        self.setWindowTitle("Log this week")

        outer = QVBoxLayout(self)
        title = _plain(week_heading(plan))
        title.setWordWrap(True)
        outer.addWidget(title)

        top = QHBoxLayout()
        top.addWidget(QLabel("Date of these touches:"))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        now = today()
        self.date_edit.setMaximumDate(QDate(now.year, now.month, now.day))
        day = default_day(plan, now)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        top.addWidget(self.date_edit)
        top.addStretch(1)
        self.all_reached = QPushButton("All reached")
        self.all_reached.setToolTip("Mark everyone not yet done as reached")
        self.all_reached.clicked.connect(self.mark_all_reached)
        top.addWidget(self.all_reached)
        outer.addLayout(top)

        # two lines a person (what happened; then gave/asked and the next step): eight
        # columns side by side scrolled sideways in a 1024 px window
        self.grid_host = QWidget()
        grid = QGridLayout(self.grid_host)
        grid.setVerticalSpacing(4)
        self._now = now
        for col, text in enumerate(("Person", "Outcome", "Kind", "Note")):
            head = QLabel(text)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            grid.addWidget(head, 0, col)
        self.rows: list[LogRow] = [self._add_row(grid, 1 + ROW_LINES * n, item, last=(
                                       n == len(plan.items) - 1))
                                   for n, item in enumerate(plan.items)]
        if not self.rows:
            grid.addWidget(QLabel("Nobody was planned this week."), 1, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(1 + ROW_LINES * len(self.rows), 1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.grid_host)
        outer.addWidget(self.scroll_area, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self._update_ok()
        if self.rows:  # straight to the first person's outcome, not the date
            self.rows[0].radios[REACHED].setFocus()
        screen = self.screen().availableGeometry()
        width = min(1000, screen.width() - 40)
        self.resize(width, min(170 + 86 * max(len(self.rows), 3), 760, screen.height() - 40))

    # building

    def _add_row(self, grid: QGridLayout, r: int, item: PlanItem, last: bool) -> LogRow:
        who = QWidget()
        who_box = QVBoxLayout(who)
        who_box.setContentsMargins(0, 0, 0, 0)
        who_box.setSpacing(0)
        name = _plain(isolate(" ".join(item.name.split())) or "(no name)")
        who_box.addWidget(name)
        sub = item.action + (" · done this week" if item.done else "")
        detail = _plain(sub)
        detail.setEnabled(False)
        who_box.addWidget(detail)
        kept = None
        if item.reason == "follow_up":
            kept = QCheckBox("promise kept")
            kept.setChecked(True)
            kept.setToolTip("Reached and kept: the follow-up is cleared")
            who_box.addWidget(kept)
        grid.addWidget(who, r, 0, 2, 1, Qt.AlignmentFlag.AlignTop)

        outcome_box = QWidget()
        radios_layout = QHBoxLayout(outcome_box)
        radios_layout.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(self)
        radios: dict[str, QRadioButton] = {}
        for key in OUTCOMES:
            radio = QRadioButton(_OUTCOME_LABELS[key])
            group.addButton(radio)
            radios_layout.addWidget(radio)
            radios[key] = radio
        radios[NOT_REACHED].setChecked(True)
        grid.addWidget(outcome_box, r, 1)

        kind = QComboBox()
        kind.addItems(list(networking.INTERACTION_KINDS))
        if item.action_kind in networking.INTERACTION_KINDS:
            kind.setCurrentText(item.action_kind)
        grid.addWidget(kind, r, 2)

        note = QLineEdit()
        note.setPlaceholderText("What you talked about")
        note.setClearButtonEnabled(True)
        grid.addWidget(note, r, 3)

        exchange = QComboBox()
        for value, text in _EXCHANGES:
            exchange.addItem(text, value)
        exchange.setAccessibleName(f"Gave or asked, with {item.name}")
        gift = QComboBox()
        gift.addItem("—", "")
        for value in networking.GIFT_KINDS:
            gift.addItem(value, value)
        gift.setAccessibleName(f"What you gave {item.name}")
        give = QHBoxLayout()
        give.setContentsMargins(0, 0, 0, 0)
        give.addWidget(_plain("Gave or asked:"))
        give.addWidget(exchange)
        give.addWidget(gift)
        give.addStretch(1)
        grid.addLayout(give, r + 1, 1)
        if item.gift in networking.GIFT_KINDS:  # the plan was to give first
            exchange.setCurrentIndex(exchange.findData("gave"))
            gift.setCurrentIndex(gift.findData(item.gift))

        next_step = QLineEdit()
        next_step.setPlaceholderText("Send the deck…")
        next_step.setAccessibleName(f"Next step with {item.name}")
        next_step.setMinimumWidth(120)
        note.setMinimumWidth(150)
        by = QDateEdit()
        by.setCalendarPopup(True)
        by.setDisplayFormat("d MMM yyyy")
        soon = self._now + dt.timedelta(days=7)
        by.setMinimumDate(QDate(self._now.year, self._now.month, self._now.day))
        by.setDate(QDate(soon.year, soon.month, soon.day))
        by.setAccessibleName(f"Next step with {item.name} by")
        step = QHBoxLayout()
        step.setContentsMargins(0, 0, 0, 0)
        step.addWidget(_plain("Next step:"))
        step.addWidget(next_step, 1)
        step.addWidget(_plain("by"))
        step.addWidget(by)
        grid.addLayout(step, r + 1, 2, 1, 2)
        if not last:  # a line between people: which editors are whose
            line = QFrame()
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            grid.addWidget(line, r + 2, 0, 1, 4)

        row = LogRow(item, group, radios, kind, note, exchange, gift, next_step, by, kept)
        group.buttonToggled.connect(lambda *_: self._sync(row))
        next_step.textChanged.connect(lambda *_: self._sync(row))
        exchange.currentIndexChanged.connect(lambda *_: self._sync(row))
        self._sync(row)
        return row

    def _sync(self, row: LogRow) -> None:
        """Editors of a not-reached row are off; a gift only goes with 'gave'."""
        active = row.chosen() != NOT_REACHED
        for widget in (row.kind, row.note, row.exchange, row.next_step):
            widget.setEnabled(active)
        row.by.setEnabled(active and bool(row.next_step.text().strip()))
        if row.kept is not None:
            row.kept.setEnabled(row.chosen() == REACHED and not row.next_step.text().strip())
        row.gift.setEnabled(active and row.exchange.currentData() == "gave")
        self._update_ok()

    def _update_ok(self) -> None:
        if not hasattr(self, "buttons"):
            return
        n = sum(1 for row in self.rows if row.chosen() != NOT_REACHED)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Log {n} touch{'es' if n != 1 else ''}" if n else "Log")
        ok.setEnabled(n > 0)

    # the user's actions, also used by tests

    def mark_all_reached(self) -> None:
        for row in self.rows:
            if not row.item.done and row.chosen() == NOT_REACHED:
                row.radios[REACHED].setChecked(True)

    def set_row(self, index: int, outcome: str, kind: str | None = None, note: str | None = None,
                exchange: str | None = None, gift: str | None = None,
                next_step: str | None = None, by: dt.date | None = None) -> None:
        """Fill one row the way a user would (radios, combos, text)."""
        row = self.rows[index]
        if next_step is not None:
            row.next_step.setText(next_step)
        if by is not None:
            row.by.setDate(QDate(by.year, by.month, by.day))
        row.radios[outcome].setChecked(True)
        if kind is not None:
            row.kind.setCurrentText(kind)
        if note is not None:
            row.note.setText(note)
        if exchange is not None:
            row.exchange.setCurrentIndex(row.exchange.findData(exchange))
        if gift is not None:
            row.gift.setCurrentIndex(row.gift.findData(gift))

    def day(self) -> dt.date:
        d = self.date_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def entries(self) -> list[dict]:
        """What OK writes: one `log_week` entry for each reached or messaged person."""
        out = []
        on = self.day()
        for row in self.rows:
            outcome = row.chosen()
            if outcome == NOT_REACHED:
                continue
            note = " ".join(row.note.text().split())
            if outcome == LEFT_MESSAGE:
                note = f"Left a message — {note}" if note else "Left a message"
            exchange = row.exchange.currentData() or ""
            out.append({
                "contact_id": row.item.contact_id,
                "on": on,
                "kind": row.kind.currentText(),
                "note": note,
                "exchange": exchange,
                "gift": (row.gift.currentData() or "") if exchange == "gave" else "",
                **row.follow_up(),
            })
        return out

    def accept(self) -> None:
        try:
            self.changes = operations.log_week(self.store, self.entries())
        except StoreError as exc:  # nothing was written (one transaction)
            self.report_error(str(exc))
            return
        self.changed.emit(self.changes)
        super().accept()

    def _show_error(self, message: str) -> None:
        plain_warning(self, "Log this week", f"Nothing was logged:\n{message}")
