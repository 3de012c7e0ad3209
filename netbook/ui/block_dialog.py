"""Block settings: which day the weekly networking block is, when, and how long.

Ferrazzi's habit only works when the block is fixed, so this is a small form rather than
a preference buried in a menu. It saves through `networking.set_block`, which holds the
rules; any refusal is shown in the dialog in words and the dialog stays open.
"""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ..data import networking
from ..data.contacts import Store
from ..data.networking import StoreError
from .log_dialog import error_label, plain_label

__all__ = ["BlockSettingsDialog"]

MAX_BLOCK_MINUTES = 24 * 60
MAX_TOUCH_MINUTES = 8 * 60


class BlockSettingsDialog(QDialog):
    """Edit the weekly block; OK saves it (the caller then refreshes the week panel)."""

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        self._store = store
        self.setWindowTitle("Networking block")
        settings = networking.block_settings(store)

        self.intro = plain_label(
            "Keep the same slot every week: people you plan for fill it, longest-waiting first.",
            self,
        )
        self.day_combo = QComboBox(self)
        for i, name in enumerate(networking.WEEKDAY_NAMES):
            self.day_combo.addItem(name.capitalize(), i)
        self.day_combo.setCurrentIndex(int(settings["weekday"]))

        self.start_edit = QTimeEdit(self)
        self.start_edit.setDisplayFormat("HH:mm")
        hh, mm = (int(x) for x in settings["start"].split(":"))
        self.start_edit.setTime(QTime(hh, mm))

        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setRange(1, MAX_BLOCK_MINUTES)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setValue(int(settings["minutes"]))

        form = QFormLayout()
        form.addRow("&Day:", self.day_combo)
        form.addRow("&Starts at:", self.start_edit)
        form.addRow("&Length:", self.minutes_spin)

        self.touch_spins: dict[str, QSpinBox] = {}
        touches = QGroupBox("Time each kind of touch takes", self)
        touch_form = QFormLayout(touches)
        for kind in networking.INTERACTION_KINDS:
            spin = QSpinBox(touches)
            spin.setRange(1, MAX_TOUCH_MINUTES)
            spin.setSuffix(" min")
            spin.setValue(int(settings["touch_minutes"].get(kind, 15)))
            spin.setAccessibleName(f"Minutes for a {kind}")
            self.touch_spins[kind] = spin
            touch_form.addRow(f"{kind.capitalize()}:", spin)

        self.error = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(touches)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def values(self) -> dict:
        """The form in `networking.set_block`'s words."""
        return {
            "weekday": int(self.day_combo.currentData()),
            "start": self.start_edit.time().toString("HH:mm"),
            "minutes": self.minutes_spin.value(),
            "touch_minutes": {kind: spin.value() for kind, spin in self.touch_spins.items()},
        }

    def accept(self) -> None:
        """Save; on a refusal show why and stay open."""
        try:
            networking.set_block(self._store, **self.values())
        except StoreError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        super().accept()
