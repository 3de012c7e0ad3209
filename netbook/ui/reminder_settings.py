"""Settings ▸ Reminders: the tray and its notification, starting hidden at login, and
the calendar event's alarm.

`RemindersPage` is a plain widget, one page of Settings (`SettingsDialog.add_page`): OK
there calls its `apply()`.
The tray switch is the window's own setting (QSettings), the login entry a file
(`data/autostart.py`), the alarm the book's block setting (the .ics is written by the
command line too). `apply()` saves all three or says in words what failed.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..data import autostart, operations, settings
from ..data.changes import Changes
from ..data.contacts import Store, StoreError
from . import settings as options
from .log_dialog import error_label, plain_label

__all__ = ["RemindersPage"]


class RemindersPage(QWidget):
    """The reminder settings as a page; `apply()` saves them."""

    title = "Reminders"

    def __init__(self, parent: QWidget | None, store: Store, qsettings: QSettings, *,
                 tray_available: bool = True) -> None:
        super().__init__(parent)
        self._store = store
        self._qsettings = qsettings
        self.tray_check = QCheckBox("Remind me from the system tray", self)
        self.tray_hint = plain_label("A dot on netbook's icon on the block's day, and a "
                                     "notification when the block starts.", self)
        self.tray_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.tray_check.setChecked(options.REMIND_IN_TRAY.get(qsettings))
        self.tray_note = plain_label(
            "This desktop has no system tray, so netbook can remind you only while its "
            "window is open. The calendar reminder below works everywhere.", self)
        self.tray_note.setVisible(not tray_available)
        self.login_check = QCheckBox("Start netbook hidden at login (in the tray)", self)
        self.login_check.setChecked(autostart.is_enabled())
        self.login_check.setToolTip(f"Writes {autostart.entry_path()}")
        self.alarm_spin = QSpinBox(self)
        self.alarm_spin.setRange(0, settings.MAX_ALARM_MINUTES)
        self.alarm_spin.setSuffix(" min before")
        self.alarm_spin.setSpecialValueText("No reminder")
        self.alarm_spin.setAccessibleName("Calendar reminder, minutes before the block")
        self.alarm_spin.setValue(settings.block_settings(store).alarm_minutes)
        self.alarm_note = plain_label("The event you add to your calendar (Networking ▸ Add "
                                      "Block to Calendar) carries this alarm, so your phone "
                                      "reminds you too.", self)
        self.error = error_label(self)
        form = QFormLayout()
        form.addRow("Calendar reminder:", self.alarm_spin)
        layout = QVBoxLayout(self)
        for widget in (self.tray_check, self.tray_hint, self.tray_note, self.login_check):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.alarm_note)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def apply(self) -> Changes:
        """Save; StoreError (with the reason in words) when the login entry can't be
        written or removed, or the alarm is refused."""
        options.REMIND_IN_TRAY.set(self._qsettings, self.tray_check.isChecked())
        try:
            if self.login_check.isChecked() != autostart.is_enabled():
                if self.login_check.isChecked():
                    autostart.enable()
                else:
                    autostart.disable()
        except autostart.AutostartError as exc:
            raise StoreError(str(exc)) from None
        if self.alarm_spin.value() == settings.block_settings(self._store).alarm_minutes:
            return Changes()
        return operations.set_block(self._store, alarm_minutes=self.alarm_spin.value())
