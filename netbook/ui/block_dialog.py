"""Block settings: which day the weekly networking block is, when, and how long.

Ferrazzi's habit only works when the block is fixed, so these fields are the Settings
dialog's first page, which Networking ▸ Block Settings… opens at once. That dialog saves
them through `operations.save_settings` (the rules are `settings.set_block`'s) and shows
any refusal in words.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ..data import settings
from ..data.contacts import Store
from ..data.networking import INTERACTION_KINDS
from .log_dialog import plain_label

__all__ = ["BlockForm"]

# what the length field takes (a week), not the rule: `settings.set_block` allows
# settings.MAX_BLOCK_MINUTES (a day) and says so in words, instead of the field clamping
FIELD_MAX_MINUTES = 7 * 24 * 60
MAX_TOUCH_MINUTES = 8 * 60


class BlockForm(QWidget):
    """The block's fields: day, start, length and the minutes each kind of touch takes
    (the Settings dialog's first page, which Block Settings… opens)."""

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
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(touches)
        layout.addStretch()  # at the top of its page, as the other pages are

    def values(self) -> dict[str, Any]:
        """The form in `settings.set_block`'s words."""
        return {
            "weekday": int(self.day_combo.currentData()),
            "start": self.start_edit.time().toString("HH:mm"),
            "minutes": self.minutes_spin.value(),
            "touch_minutes": {kind: spin.value() for kind, spin in self.touch_spins.items()},
        }
