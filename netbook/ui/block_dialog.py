"""Block settings: which day the weekly networking block is, when, and how long.

Ferrazzi's habit only works when the block is fixed, so this is a small form rather than
a preference buried in a menu. It saves through `operations.set_block` (the rules are
`settings.set_block`'s) and hands the `Changes` up with `changed`; any refusal is shown
in the dialog in words and the dialog stays open.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTime, Signal
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

from ..data import operations, settings
from ..data.contacts import Store, StoreError
from ..data.networking import INTERACTION_KINDS
from .log_dialog import error_label, plain_label

__all__ = ["BlockForm", "BlockSettingsDialog"]

# what the length field takes (a week), not the rule: `settings.set_block` allows
# settings.MAX_BLOCK_MINUTES (a day) and says so in words, instead of the field clamping
FIELD_MAX_MINUTES = 7 * 24 * 60
MAX_TOUCH_MINUTES = 8 * 60


class BlockForm(QWidget):
    """The block's fields: day, start, length and the minutes each kind of touch takes
    (the dialog below, and the Settings dialog's first page)."""

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        block = settings.block_settings(store)
        self.intro = plain_label(
            "Keep the same slot every week: people you plan for fill it, longest-waiting first.",
            self,
        )
        self.intro.setWordWrap(True)
        self.day_combo = QComboBox(self)
        for i, name in enumerate(settings.WEEKDAY_NAMES):
            self.day_combo.addItem(name.capitalize(), i)
        self.day_combo.setCurrentIndex(block.weekday)

        self.start_edit = QTimeEdit(self)
        self.start_edit.setDisplayFormat("HH:mm")
        self.start_edit.setTime(QTime(block.start.hour, block.start.minute))

        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setRange(1, FIELD_MAX_MINUTES)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setValue(block.minutes)

        form = QFormLayout()
        form.addRow("&Day:", self.day_combo)
        form.addRow("&Starts at:", self.start_edit)
        form.addRow("&Length:", self.minutes_spin)

        self.touch_spins: dict[str, QSpinBox] = {}
        touches = QGroupBox("Time each kind of touch takes", self)
        touch_form = QFormLayout(touches)
        for kind in INTERACTION_KINDS:
            spin = QSpinBox(touches)
            spin.setRange(1, MAX_TOUCH_MINUTES)
            spin.setSuffix(" min")
            spin.setValue(block.touch_minutes.get(kind, 15))
            spin.setAccessibleName(f"Minutes for a {kind}")
            self.touch_spins[kind] = spin
            touch_form.addRow(f"{kind.capitalize()}:", spin)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(touches)

    def values(self) -> dict[str, Any]:
        """The form in `settings.set_block`'s words."""
        return {
            "weekday": int(self.day_combo.currentData()),
            "start": self.start_edit.time().toString("HH:mm"),
            "minutes": self.minutes_spin.value(),
            "touch_minutes": {kind: spin.value() for kind, spin in self.touch_spins.items()},
        }


class BlockSettingsDialog(QDialog):
    """Edit the weekly block; OK saves it and emits what changed."""

    changed = Signal(object)  # the Changes of the saved settings

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        self._store = store
        self.setWindowTitle("Networking block")
        self.form = BlockForm(self, store)
        self.intro, self.day_combo = self.form.intro, self.form.day_combo
        self.start_edit, self.minutes_spin = self.form.start_edit, self.form.minutes_spin
        self.touch_spins = self.form.touch_spins

        self.error = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def accept(self) -> None:
        """Save; on a refusal show why and stay open."""
        try:
            changes = operations.set_block(self._store, **self.values())
        except StoreError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        self.changed.emit(changes)
        super().accept()
