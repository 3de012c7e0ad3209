"""Small forms for logging a touch and picking a snooze date.

Both the week panel and the detail pane log interactions, so the form lives here once.
Dialogs are meant to be shown non-blocking (`open()`), which keeps them drivable from
tests with qtbot; `exec()` works too.

A dialog can be given a `save` callable: OK then runs it and, when the store refuses
(`StoreError`), shows the message in the dialog and stays open, so the user can fix the
entry instead of losing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..data.networking import GIFT_KINDS, INTERACTION_KINDS, StoreError
from ..plan.planner import is_promise
from ..plan.wording import day_label, gift_phrase, one_line
from .text import isolate

__all__ = ["QuickLogDialog", "SnoozeDialog", "error_label", "plain_label", "pydate", "qdate"]

NOTE_LIMIT = 10_000  # a note is a line or a paragraph; past this it is a paste accident
_EARLIEST = date(1900, 1, 1)
FOLLOW_UP_DAYS = 7  # a new or moved follow-up, unless the user picks a day: in a week


def qdate(d: date) -> QDate:
    """A Python date as a QDate (explicit fields: no locale or time zone involved)."""
    return QDate(d.year, d.month, d.day)


def pydate(d: QDate) -> date:
    """A QDate as a Python date."""
    return date(d.year(), d.month(), d.day())


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    """A QLabel that never interprets its text: names and notes come from anywhere."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def error_label(parent: QWidget | None = None) -> QLabel:
    """A hidden plain-text label for validation messages, in the theme's warning colour."""
    label = plain_label("", parent)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.darkRed)
    label.setPalette(palette)
    label.setVisible(False)
    return label


def _date_edit(parent: QWidget, initial: date, earliest: date) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    edit.setDateRange(qdate(earliest), qdate(earliest + timedelta(days=10 * 366)))
    edit.setDate(qdate(initial))
    return edit


class FollowUpBox(QGroupBox):
    """What happens to a promise, in the log form (a plan that closes its loops).

    A row that came from a follow-up asks whether the promise was kept (cleared) or
    moves to a day; any touch can set a new follow-up, ticked by itself when the note
    sounds like a promise ("I'll send…") and the user hasn't decided otherwise.
    """

    def __init__(self, parent: QWidget, today: date, promise: tuple[date, str] | None,
                 kept: bool = True) -> None:
        """`kept`: the choice the form starts on — the promise kept (a follow-up row, one
        due by now), or not yet, left on its own day (a promise for later)."""
        super().__init__("Follow-up", parent)
        self._today = today
        self._promise = promise
        self._user_decided = False
        self._auto_about = ""
        layout = QVBoxLayout(self)
        self.kept_radio = QRadioButton("Kept — clear the follow-up", self)
        self.move_radio = QRadioButton("Not yet — move it to", self)
        self.move_edit = _date_edit(self, today + timedelta(days=FOLLOW_UP_DAYS), today)
        self.move_edit.setAccessibleName("Move the follow-up to")
        self.promise_label = plain_label("", self)
        if promise is not None:
            when, note = promise
            text = one_line(note) or "a follow-up"
            self.promise_label.setText(f"The promise: {text} (due {day_label(when)})")
            layout.addWidget(self.promise_label)
            self.kept_radio.setChecked(kept)
            self.move_radio.setChecked(not kept)
            if not kept:  # "not yet": it stays on its day unless the user picks another
                self.move_edit.setDate(qdate(max(when, today)))
            self.promise_group = QButtonGroup(self)
            for radio in (self.kept_radio, self.move_radio):
                self.promise_group.addButton(radio)
            layout.addWidget(self.kept_radio)
            move = QHBoxLayout()
            move.addWidget(self.move_radio)
            move.addWidget(self.move_edit)
            move.addStretch(1)
            layout.addLayout(move)
            self.move_radio.toggled.connect(self._sync)
        else:
            for widget in (self.promise_label, self.kept_radio, self.move_radio, self.move_edit):
                widget.setVisible(False)
        self.new_check = QCheckBox("New follow-up on", self)
        self.new_edit = _date_edit(self, today + timedelta(days=FOLLOW_UP_DAYS), today)
        self.new_edit.setAccessibleName("New follow-up on")
        self.about_edit = QLineEdit(self)
        self.about_edit.setPlaceholderText("what you promised")
        self.about_edit.setAccessibleName("What the follow-up is about")
        self.new_check.clicked.connect(self._decided)
        self.new_check.toggled.connect(self._sync)
        new = QHBoxLayout()
        new.addWidget(self.new_check)
        new.addWidget(self.new_edit)
        new.addWidget(self.about_edit, 1)
        layout.addLayout(new)
        self._sync()

    def _decided(self) -> None:
        self._user_decided = True

    def _sync(self) -> None:
        moving = self._promise is not None and self.move_radio.isChecked()
        self.move_edit.setEnabled(moving)
        self.new_check.setEnabled(not moving)
        active = self.new_check.isChecked() and not moving
        self.new_edit.setEnabled(active)
        self.about_edit.setEnabled(active)

    def note_changed(self, note: str) -> None:
        """A promise typed in the note ticks "New follow-up" and fills what it's about."""
        if not self._user_decided and is_promise(note):
            self.new_check.setChecked(True)
        # what it's about follows the note until the user writes their own
        if self.new_check.isChecked() and self.about_edit.text() == self._auto_about:
            self._auto_about = one_line(note)[:200]
            self.about_edit.setText(self._auto_about)

    def values(self) -> dict:
        """`operations.log_interaction`'s follow_up and follow_up_note; {} keeps it."""
        if self._promise is not None and self.move_radio.isChecked():
            return {"follow_up": pydate(self.move_edit.date())}
        if self.new_check.isChecked():
            return {"follow_up": pydate(self.new_edit.date()),
                    "follow_up_note": self.about_edit.text().strip()}
        if self._promise is not None:  # kept
            return {"follow_up": None}
        return {}


class QuickLogDialog(QDialog):
    """Log one touch: when, what kind, a note, and whether you gave or asked; with
    `follow_ups`, what happens to the promise (`promise`: its day and note)."""

    def __init__(
        self,
        parent: QWidget | None,
        name: str,
        *,
        kind: str = "call",
        exchange: str = "",
        gift: str = "",
        note: str = "",
        on: date | None = None,
        today: Callable[[], date] = date.today,
        save: Callable[[dict], object] | None = None,
        follow_ups: bool = False,
        promise: tuple[date, str] | None = None,
        promise_kept: bool = True,
    ) -> None:
        """`promise_kept`: whether the form starts on "Kept" for the open promise (see
        FollowUpBox)."""
        super().__init__(parent)
        self._today = today
        self._save = save
        self.setWindowTitle(f"Log a touch with {isolate(name)}")  # titles are plain text

        self.heading = plain_label(f"What happened with {isolate(name)}?", self)

        now = today()
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setDateRange(qdate(_EARLIEST), qdate(now))
        self.date_edit.setDate(qdate(min(on or now, now)))

        self.kind_combo = QComboBox(self)
        for k in INTERACTION_KINDS:
            self.kind_combo.addItem(k.capitalize(), k)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))

        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setPlaceholderText("What you talked about, what you promised…")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlainText(note)

        self.neither_radio = QRadioButton("Neither", self)
        self.gave_radio = QRadioButton("I gave", self)
        self.asked_radio = QRadioButton("I asked for something", self)
        self.exchange_group = QButtonGroup(self)
        for radio in (self.neither_radio, self.gave_radio, self.asked_radio):
            self.exchange_group.addButton(radio)
        self.gift_combo = QComboBox(self)
        self.gift_combo.setAccessibleName("What you gave")
        for g in (*GIFT_KINDS, ""):
            self.gift_combo.addItem(gift_phrase(g), g)
        self.gift_combo.setCurrentIndex(max(self.gift_combo.findData(gift), 0))
        {"gave": self.gave_radio, "asked": self.asked_radio}.get(
            exchange, self.neither_radio
        ).setChecked(True)
        self.gave_radio.toggled.connect(self.gift_combo.setEnabled)
        self.gift_combo.setEnabled(self.gave_radio.isChecked())

        exchange_box = QGridLayout()
        exchange_box.addWidget(self.neither_radio, 0, 0)
        exchange_box.addWidget(self.gave_radio, 1, 0)
        exchange_box.addWidget(self.gift_combo, 1, 1)
        exchange_box.addWidget(self.asked_radio, 2, 0)

        form = QFormLayout()
        form.addRow("&Date:", self.date_edit)
        form.addRow("&Kind:", self.kind_combo)
        form.addRow("&Note:", self.note_edit)
        form.addRow("Give or ask:", exchange_box)

        self.error = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Log it")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.follow_up_box: FollowUpBox | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        if follow_ups:
            self.follow_up_box = FollowUpBox(self, now, promise, kept=promise_kept)
            self.note_edit.textChanged.connect(
                lambda: self.follow_up_box.note_changed(self.note_edit.toPlainText())
                if self.follow_up_box is not None else None)
            layout.addWidget(self.follow_up_box)
            self.setMinimumWidth(560)  # room for what the new follow-up is about
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.note_edit.setFocus()

    def values(self) -> dict:
        """What the form says, in `operations.log_interaction`'s words (the follow-up
        only when the form asks about it)."""
        exchange = "gave" if self.gave_radio.isChecked() else ""
        if self.asked_radio.isChecked():
            exchange = "asked"
        values = {
            "on": pydate(self.date_edit.date()),
            "kind": self.kind_combo.currentData(),
            "note": self.note_edit.toPlainText().strip(),
            "exchange": exchange,
            "gift": self.gift_combo.currentData() if exchange == "gave" else "",
        }
        if self.follow_up_box is not None:
            values.update(self.follow_up_box.values())
        return values

    def problem(self) -> str:
        """The first thing wrong with the entry, in words; '' when it can be saved."""
        values = self.values()
        if values["on"] > self._today():
            return "The date can't be in the future — for a plan, set a follow-up instead."
        if len(values["note"]) > NOTE_LIMIT:
            return f"The note is too long ({len(values['note'])} characters, at most {NOTE_LIMIT})."
        return ""

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def accept(self) -> None:
        """Validate, save through `save` if given, and close only when that worked."""
        message = self.problem()
        if not message and self._save is not None:
            try:
                self._save(self.values())
            except StoreError as exc:
                message = str(exc)
        if message:
            self.show_error(message)
            return
        super().accept()


class SnoozeDialog(QDialog):
    """Pick the day someone comes back into the plan."""

    def __init__(
        self,
        parent: QWidget | None,
        name: str,
        *,
        earliest: date,
        initial: date | None = None,
        save: Callable[[date], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._earliest = earliest
        self._save = save
        self.setWindowTitle(f"Remind me about {isolate(name)}")
        self.heading = plain_label(
            f"Remind me about {isolate(name)} on this day: they stay out of the plan until "
            "then and come back in the week that holds it.",
            self,
        )
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setMinimumDate(qdate(earliest))
        self.date_edit.setMaximumDate(qdate(earliest + timedelta(days=10 * 366)))
        self.date_edit.setDate(qdate(initial or earliest + timedelta(days=7)))
        self.error = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Remind me then")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Remind me &on:", self.date_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def value(self) -> date:
        return pydate(self.date_edit.date())

    def accept(self) -> None:
        until = self.value()
        message = ""
        if until < self._earliest:
            message = f"Pick a day after this week ({day_label(self._earliest)} or later)."
        elif self._save is not None:
            try:
                self._save(until)
            except StoreError as exc:
                message = str(exc)
        if message:
            self.error.setText(message)
            self.error.setVisible(True)
            return
        super().accept()
