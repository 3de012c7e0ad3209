"""Small editors the detail pane is built from: repeating phone/email rows, addresses,
dates that may lack a year, tags with completion.

Each editor hands back the card's own value types (TypedValue, Address, PartialDate)
with the original line's index kept, so an untouched phone keeps its group, label and
unknown parameters when the card is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..data.vcard.card import Address, PartialDate, TypedValue, display_label

# display name → vCard TYPE values, per kind of line
PHONE_KINDS = {"mobile": ("cell",), "home": ("home",), "work": ("work",), "main": ("main",),
               "work fax": ("work", "fax"), "home fax": ("home", "fax"), "pager": ("pager",),
               "other": ("other",)}
EMAIL_KINDS = {"home": ("home",), "work": ("work",), "other": ("other",)}
URL_KINDS = {"homepage": ("home",), "work": ("work",), "profile": ("x-profile",),
             "other": ("other",)}
IM_KINDS = {"skype": ("skype",), "jabber": ("jabber",), "telegram": ("telegram",),
            "signal": ("signal",), "linkedin": ("linkedin",), "twitter": ("twitter",),
            "other": ("other",)}
ADDRESS_KINDS = {"home": ("home",), "work": ("work",), "other": ("other",)}


def kind_text(value: TypedValue | Address, kinds: Mapping[str, tuple[str, ...]]) -> str:
    if value.label:
        return display_label(value.label)
    types = tuple(t for t in value.types if t not in ("voice", "internet", "pref", "x400"))
    for name, wanted in kinds.items():
        if types and set(types) == set(wanted):
            return name
    if "cell" in types:
        return "mobile"
    return ", ".join(types)


def kind_from_text(text: str, kinds: Mapping[str, tuple[str, ...]]) -> tuple[tuple[str, ...], str]:
    """(types, custom label) for what the user picked or typed in the kind box."""
    text = text.strip()
    if text.lower() in kinds:
        return kinds[text.lower()], ""
    return (), text


class TypedListEditor(QWidget):
    """Rows of [kind ▾] [value] [×] and an Add button; any number of them."""

    changed = Signal()
    rows_changed = Signal()  # a row came or went (the Tab order follows)

    def __init__(self, noun: str, kinds: Mapping[str, tuple[str, ...]], placeholder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.noun = noun
        self.kinds = kinds
        self.placeholder = placeholder
        self.rows: list[tuple[QWidget, QComboBox, QLineEdit, TypedValue | None]] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.add_button = QPushButton(f"Add {noun}")
        self.add_button.setObjectName(f"add_{noun.replace(' ', '_')}")
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self._layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def set_values(self, values: list[TypedValue]) -> None:
        for row, *_ in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for value in values:
            self.add_row(value, announce=False)
        self.rows_changed.emit()

    def add_row(self, value: TypedValue | None = None, focus: bool = False,
                announce: bool = True) -> QLineEdit:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        kind = QComboBox(row)
        kind.setEditable(True)
        kind.addItems(list(self.kinds))
        kind.setMinimumContentsLength(8)
        kind.setToolTip("Pick a kind or type your own label")
        kind.setCurrentText(kind_text(value, self.kinds) if value else next(iter(self.kinds)))
        edit = QLineEdit(value.value if value else "", row)
        edit.setCursorPosition(0)  # a long email shows its start, not its end
        edit.setPlaceholderText(self.placeholder)
        remove = QToolButton(row)
        remove.setText("×")
        remove.setToolTip(f"Remove this {self.noun}")
        layout.addWidget(kind)
        layout.addWidget(edit, 1)
        layout.addWidget(remove)
        entry = (row, kind, edit, value)
        self.rows.append(entry)
        self._layout.insertWidget(self._layout.count() - 1, row)
        edit.textEdited.connect(self.changed)
        kind.currentTextChanged.connect(self.changed)
        remove.clicked.connect(lambda: self._remove(entry))
        if announce:
            self.rows_changed.emit()
        if focus:
            row.show()  # now, not at the layout's queued show: a hidden row takes no focus
            edit.setFocus()
            self.changed.emit()
        return edit

    def _remove(self, entry) -> None:
        self.rows.remove(entry)
        self._layout.removeWidget(entry[0])
        entry[0].deleteLater()
        self.rows_changed.emit()
        self.changed.emit()

    def values(self) -> list[TypedValue]:
        out = []
        for _row, kind, edit, original in self.rows:
            if not edit.text().strip():
                continue
            if original is not None and kind.currentText() == kind_text(original, self.kinds):
                types, label = original.types, original.label
            else:
                types, label = kind_from_text(kind.currentText(), self.kinds)
            out.append(TypedValue(edit.text().strip(), tuple(types), label,
                                  original.pref if original else False,
                                  original.index if original else None))
        return out


class AddressEditor(QWidget):
    """Postal addresses: street, city, region, postcode, country and a kind."""

    changed = Signal()
    rows_changed = Signal()  # a row came or went (the Tab order follows)
    FIELDS = (("street", "Street"), ("locality", "City"), ("region", "Region"),
              ("postal_code", "Postcode"), ("country", "Country"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[QWidget, QComboBox, dict[str, QLineEdit], Address | None]] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton("Add address")
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self._layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def set_values(self, values: list[Address]) -> None:
        for row, *_ in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for value in values:
            self.add_row(value, announce=False)
        self.rows_changed.emit()

    def add_row(self, value: Address | None = None, focus: bool = False,
                announce: bool = True) -> None:
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 6)
        kind = QComboBox(box)
        kind.setEditable(True)
        kind.addItems(list(ADDRESS_KINDS))
        kind.setCurrentText(kind_text(value, ADDRESS_KINDS) if value else "home")
        grid.addWidget(kind, 0, 0)
        edits: dict[str, QLineEdit] = {}
        for i, (attr, placeholder) in enumerate(self.FIELDS):
            edit = QLineEdit(getattr(value, attr) if value else "", box)
            edit.setPlaceholderText(placeholder)
            edit.textEdited.connect(self.changed)
            edits[attr] = edit
            if attr == "street":
                grid.addWidget(edit, 0, 1, 1, 2)
            else:
                grid.addWidget(edit, 1 + (i - 1) // 2, 1 + (i - 1) % 2)
        remove = QToolButton(box)
        remove.setText("×")
        remove.setToolTip("Remove this address")
        grid.addWidget(remove, 0, 3)
        entry = (box, kind, edits, value)
        remove.clicked.connect(lambda: self._remove(entry))
        kind.currentTextChanged.connect(self.changed)
        self.rows.append(entry)
        self._layout.insertWidget(self._layout.count() - 1, box)
        if announce:
            self.rows_changed.emit()
        if focus:
            box.show()  # now, not at the layout's queued show: a hidden row takes no focus
            edits["street"].setFocus()
            self.changed.emit()

    def _remove(self, entry) -> None:
        self.rows.remove(entry)
        self._layout.removeWidget(entry[0])
        entry[0].deleteLater()
        self.rows_changed.emit()
        self.changed.emit()

    def values(self) -> list[Address]:
        out = []
        for _box, kind, edits, original in self.rows:
            texts = {attr: edit.text().strip() for attr, edit in edits.items()}
            if not any(texts.values()):
                continue
            if original is not None and kind.currentText() == kind_text(original, ADDRESS_KINDS):
                types, label = original.types, original.label
            else:
                types, label = kind_from_text(kind.currentText(), ADDRESS_KINDS)
            base = original or Address()
            out.append(Address(po_box=base.po_box, extended=base.extended, types=tuple(types),
                               label=label, index=original.index if original else None,
                               **texts))
        return out


class PartialDateEdit(QLineEdit):
    """A date that may lack its year: 1980-12-24, or --12-24 for "no year"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD, or --MM-DD without the year")
        self.setClearButtonEnabled(True)

    def set_value(self, value: PartialDate | None) -> None:
        self.setText(value.iso() if value else "")

    def value(self) -> PartialDate | None:
        """None when empty; raises ValueError with a message when it isn't a date."""
        text = self.text().strip()
        if not text:
            return None
        parsed = PartialDate.parse(text)
        if parsed is None:
            raise ValueError(f"“{text}” is not a date (YYYY-MM-DD, or --MM-DD without a year)")
        return parsed


class DateEdit(QLineEdit):
    """A full date or nothing (met on, follow-up)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD")
        self.setClearButtonEnabled(True)

    def set_value(self, value: dt.date | None) -> None:
        self.setText(value.isoformat() if value else "")

    def value(self) -> dt.date | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"“{text}” is not a date (YYYY-MM-DD)") from None


class TagsEdit(QLineEdit):
    """Comma-separated tags; the completer completes the tag being typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("work, friends, …")
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setWidget(self)
        self._completer.activated.connect(self._insert)
        self.textEdited.connect(self._complete)

    def set_known_tags(self, tags: list[str]) -> None:
        self._model.setStringList(tags)

    def _current_prefix(self) -> str:
        return self.text()[: self.cursorPosition()].split(",")[-1].strip()

    def _complete(self) -> None:
        prefix = self._current_prefix()
        if not prefix:
            self._hide_popup()
            return
        self._completer.setCompletionPrefix(prefix)
        if self._completer.completionCount():
            self._completer.complete()
        else:
            self._hide_popup()

    def _hide_popup(self) -> None:
        popup = self._completer.popup()  # Qt makes one when first asked: never None here
        if popup is not None:
            popup.hide()

    def _insert(self, tag: str) -> None:
        head = self.text()[: self.cursorPosition()]
        tail = self.text()[self.cursorPosition():]
        parts = head.split(",")
        parts[-1] = (" " if len(parts) > 1 else "") + tag
        text = ",".join(parts) + ", "
        self.setText(text + tail.lstrip(", "))
        self.setCursorPosition(len(text))
        self.textEdited.emit(self.text())

    def tags(self) -> list[str]:
        return list(dict.fromkeys(t.strip() for t in self.text().split(",") if t.strip()))

    def set_tags(self, tags: list[str]) -> None:
        self.setText(", ".join(tags))
