""""I just met someone" (Ctrl+Shift+N, also from the tray): a stranger in ten seconds.

The flight-seat and coffee-shop moment: a name, where, what they do and need, a phone
or an email, and the day you met (today, already filled in). OK adds them through
`operations.add_acquaintance` — a new acquaintance the block suggests following up
while it's fresh, never a dormant reconnect — and hands the `Changes` up with `changed`.
A refusal (no name, an unreadable phone or email) is shown in the form, which stays open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..data import operations
from ..data.changes import Changes
from ..data.contacts import Store, StoreError
from .log_dialog import error_label, plain_label, pydate, qdate

__all__ = ["CaptureDialog"]

FIELD_LIMIT = 500  # a line each; past this it is a paste accident


class CaptureDialog(QDialog):
    """Name, where, does, needs, phone or email, met on: OK adds them."""

    changed = Signal(object)  # the Changes of the contact added

    def __init__(self, parent: QWidget | None, store: Store,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self._store = store
        self.changes = Changes()
        self.added_id: int | None = None
        self.setWindowTitle("I just met someone")
        self.intro = plain_label("Jot them down now; netbook brings them up in your next "
                                 "block to follow up while it's fresh.", self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("Their name")
        self.where_edit = QLineEdit(self)
        self.where_edit.setPlaceholderText("A flight to Berlin, the coffee shop on Rua Augusta…")
        self.does_edit = QLineEdit(self)
        self.does_edit.setPlaceholderText("Runs a design studio, studies robotics…")
        self.needs_edit = QLineEdit(self)
        self.needs_edit.setPlaceholderText("A data engineer, investors, a flat in Lisbon…")
        self.reach_edit = QLineEdit(self)
        self.reach_edit.setPlaceholderText("+49 151 2345 6710 or mia@example.org")
        for edit in (self.name_edit, self.where_edit, self.does_edit, self.needs_edit,
                     self.reach_edit):
            edit.setMaxLength(FIELD_LIMIT)
        now = today()
        self.met_edit = QDateEdit(self)
        self.met_edit.setCalendarPopup(True)
        self.met_edit.setDisplayFormat("ddd d MMM yyyy")
        self.met_edit.setDateRange(qdate(dt.date(1900, 1, 1)), qdate(now))
        self.met_edit.setDate(qdate(now))

        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Where you met:", self.where_edit)
        form.addRow("What they &do:", self.does_edit)
        form.addRow("What they n&eed:", self.needs_edit)
        form.addRow("&Phone or email:", self.reach_edit)
        form.addRow("&Met on:", self.met_edit)

        self.error = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add them")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.name_edit.setFocus()

    def values(self) -> dict:
        """The form in `operations.add_acquaintance`'s words."""
        return {"name": self.name_edit.text(), "met_on": pydate(self.met_edit.date()),
                "where": self.where_edit.text(), "does": self.does_edit.text(),
                "needs": self.needs_edit.text(), "reach": self.reach_edit.text()}

    def accept(self) -> None:
        values = self.values()
        try:
            self.changes = operations.add_acquaintance(self._store, values.pop("name"),
                                                       **values)
        except StoreError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        self.added_id = next(iter(self.changes.added), None)
        self.changed.emit(self.changes)
        super().accept()
