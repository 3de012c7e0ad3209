"""Settings ▸ Settings…: one dialog, a page for each part (KAddressBook's and Thunderbird's
way): the weekly block, circles and their rhythms, the week and the phone region, the
theme, reminders (a page another feature adds with `add_page`), accounts.

The book's settings are saved through data operations (the block, the circles, the week,
the region live in the database so the command line sees them too); the theme is the
window's own (QSettings) and is applied the moment it is picked (a preview: Cancel puts
the one before back). OK saves the pages that save on OK (each says what changed with
`changed`); Cancel leaves them as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import phonenumbers
from PySide6.QtCore import QLocale, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import locale
from ..data import operations, settings
from ..data.changes import Changes
from ..data.contacts import Store, StoreError
from . import settings as options
from .block_dialog import BlockForm
from .log_dialog import error_label
from .text import plain_label
from .theme import THEMES, apply_theme

__all__ = ["SettingsDialog"]

DAY_CHOICES = [("As the system says", None), ("Monday", 0), ("Sunday", 6), ("Saturday", 5)]


def _page(intro: str) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    if intro:
        layout.addWidget(plain_label(intro, page, wrap=True))
    return page, layout


class SettingsDialog(QDialog):
    """The pages; `add_page(title, widget)` adds one (reminders, from another feature)."""

    changed = Signal(object)  # Changes of what OK saved
    interval_changed = Signal(int)

    def __init__(self, parent: QWidget | None, store: Store, window_settings: QSettings,
                 sync_running: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        self.store = store
        self.window_settings = window_settings
        self.setWindowTitle("Settings")
        self.resize(760, 540)
        self.pages = QListWidget(self)  # a handful of page names, not contacts
        self.pages.setObjectName("settings_pages")
        self.pages.setMaximumWidth(190)
        self.pages.setSpacing(3)
        self.stack = QStackedWidget(self)
        self.pages.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.titles: list[str] = []

        # the block
        self.block_form = BlockForm(self, store)
        self.add_page("Weekly block", self.block_form)

        # circles
        page, layout = _page("How often you keep in touch with each circle. Everyone in a "
                             "circle follows when you change it.")
        form = QFormLayout()
        self.circle_spins: dict[str, QSpinBox] = {}
        for circle, days in settings.circle_days(store).items():
            spin = QSpinBox(page)
            spin.setRange(1, 3650)
            spin.setSuffix(" days")
            spin.setValue(days)
            spin.setAccessibleName(f"Days for the {circle} circle")
            self.circle_spins[circle] = spin
            form.addRow(f"{circle.capitalize()}:", spin)
        layout.addLayout(form)
        layout.addStretch()
        self.add_page("Circles", page)

        # the week and the region
        page, layout = _page("The week the block plans, and how phone numbers without a "
                             "country code are read.")
        self.weekday_combo = QComboBox(page)
        saved_day = settings.get_setting(store, "first_weekday")
        for label, value in DAY_CHOICES:
            self.weekday_combo.addItem(label, value)
        self.weekday_combo.setCurrentIndex(max(0, self.weekday_combo.findData(saved_day))
                                           if saved_day is not None else 0)
        self.region_combo = QComboBox(page)
        self.region_combo.setObjectName("region")
        self.region_combo.addItem(f"As the system says ({locale.region()})", None)
        names = []
        for code in sorted(phonenumbers.SUPPORTED_REGIONS):
            territory = QLocale.codeToTerritory(code)
            name = (QLocale.territoryToString(territory)
                    if territory != QLocale.Country.AnyTerritory else code)
            names.append((name, code))
        for name, code in sorted(names):
            self.region_combo.addItem(f"{name} ({code})", code)
        saved_region = settings.phone_region(store)
        if saved_region:
            self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(saved_region)))
        form = QFormLayout()
        form.addRow("First day of the &week:", self.weekday_combo)
        form.addRow("Default phone &region:", self.region_combo)
        layout.addLayout(form)
        layout.addStretch()
        self.add_page("Week and region", page)

        # appearance
        page, layout = _page("Applied at once.")
        self.theme_group = QButtonGroup(page)
        self.theme_radios: dict[str, QRadioButton] = {}
        current = options.THEME.get(window_settings)
        self._theme_before = current
        for key, label in THEMES.items():
            radio = QRadioButton(label, page)
            radio.setChecked(key == current)
            self.theme_group.addButton(radio)
            self.theme_radios[key] = radio
            radio.toggled.connect(partial(self._theme_toggled, key))
            layout.addWidget(radio)
        layout.addStretch()
        self.add_page("Appearance", page)

        # accounts: today's Accounts page, inside
        from .sync_ui import AccountsDialog

        self.accounts_page = AccountsDialog(self, store, window_settings, sync_running)
        self.accounts_page.setWindowFlags(Qt.WindowType.Widget)
        for box in self.accounts_page.findChildren(QDialogButtonBox):
            box.hide()
        self.accounts_page.interval_changed.connect(self.interval_changed)
        self.add_page("Accounts", self.accounts_page)

        self.error = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.pages)
        row.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.pages.setCurrentRow(0)

    # -- pages ----------------------------------------------------------------------
    def add_page(self, title: str, widget: QWidget) -> None:
        """A page of another feature (Reminders…), before Accounts when that is last.
        A page with an `apply() -> Changes` method is saved by OK (StoreError: refused,
        the dialog stays open and says why)."""
        at = self.titles.index("Accounts") if "Accounts" in self.titles else len(self.titles)
        self.titles.insert(at, title)
        self.pages.insertItem(at, title)
        self.stack.insertWidget(at, widget)

    def show_page(self, title: str) -> None:
        if title in self.titles:
            self.pages.setCurrentRow(self.titles.index(title))

    def page(self, title: str) -> QWidget:
        widget = self.stack.widget(self.titles.index(title))
        assert widget is not None
        return widget

    # -- theme ----------------------------------------------------------------------
    def _theme_toggled(self, theme: str, on: bool) -> None:
        if on:
            self.set_theme(theme)

    def set_theme(self, theme: str) -> None:
        """Switch now (and keep it: the theme is not waiting for OK)."""
        options.THEME.set(self.window_settings, theme)
        apply_theme(theme)

    # -- saving ---------------------------------------------------------------------
    def accept(self) -> None:
        """Save the book's pages in one operation, then the pages added by others; a
        refusal is shown and the dialog stays, and what was saved before it is still
        dispatched (the week panel shows the block that is now saved)."""
        changes = Changes()
        try:
            changes |= operations.save_settings(
                self.store, block=self.block_form.values(),
                circle_days={c: s.value() for c, s in self.circle_spins.items()},
                first_weekday=self.weekday_combo.currentData(),
                phone_region=self.region_combo.currentData(), system_region=locale.region())
            for i in range(self.stack.count()):  # pages added by others save themselves
                page = self.stack.widget(i)
                apply = getattr(page, "apply", None)
                if callable(apply):
                    changes |= apply()
        except StoreError as exc:
            if changes:
                self.changed.emit(changes)
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        self.changed.emit(changes)
        super().accept()

    def reject(self) -> None:
        """Cancel: the theme tried here goes back to the one the dialog opened with."""
        if options.THEME.get(self.window_settings) != self._theme_before:
            self.set_theme(self._theme_before)
        super().reject()
