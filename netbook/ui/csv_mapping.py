"""Which column of a CSV is what: the page before the import preview for a spreadsheet
netbook has no layout for (an event's attendee list, a sign-up sheet).

One row per column of the file — its name, a chooser for the field it holds, and its
first values — because an export from an event site has thirty columns and a row each
reads at any width (a spreadsheet-wide table would not). The chooser starts on what the
header's words suggest (`guess_mapping`: "E-mail", "Firma", "first_name"); under it,
a tag, a day and a place for everyone in the file. Continue reads the file again through
the same importing plan; the mapping is remembered for files with the same header when
the import is applied (ImportPlan.settings, in the import's transaction), so the next
file like it goes straight to the preview — and `netbook import` uses it too.

Every cell comes from the file: shown as plain text (a view's cells are; tooltips are
escaped), never interpreted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..data.contacts import Store
from ..data.csv.detect import ContactsReader, CsvTable
from ..data.csv.generic import (
    FIELD_LABELS,
    FIELDS,
    ColumnMapping,
    EventStamp,
    MappingError,
    guess_mapping,
    header_key,
    mapping_setting,
    remembered_mapping,
    unmappable_columns,
)
from ..data.csv.layout import normal
from ..plan.wording import long_date
from .log_dialog import pydate, qdate
from .text import plain_label, plain_tooltip

__all__ = [
    "FIELD_LABELS",
    "ChosenColumns",
    "ColumnMappingDialog",
    "ColumnMappingModel",
    "FieldCombo",
    "FieldDelegate",
    "ask_columns",
    "columns_note",
    "field_choices",
    "field_label",
]

SAMPLES_SHOWN = 3  # values of each column shown beside its chooser
CELL_SHOWN = 80  # characters of a cell in the table (its tooltip has it all)
TEXT_LIMIT = 200  # the event's name and place: a line each


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or FIELDS.get(name, name)


def field_choices() -> list[tuple[str, str]]:
    """(field, label) for the chooser: netbook's order, then any field it doesn't list."""
    order = [f for f in FIELD_LABELS if f in FIELDS] + [f for f in FIELDS
                                                        if f not in FIELD_LABELS]
    return [(f, field_label(f)) for f in order]


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line[:CELL_SHOWN] + "…" if len(line) > CELL_SHOWN else line


# -- the model ------------------------------------------------------------------


class ColumnMappingModel(QAbstractTableModel):
    """A CSV's columns, one row each: the column's name, the field it holds (editable),
    its first values. `mapping()` is what the rows say; `problem()` why it can't be used.

    A column a mapping can't name (no name in the header, or an earlier column's) stays
    left out and says why (`unmappable_columns`).
    """

    COL_COLUMN, COL_FIELD = 0, 1
    FIELD_ROLE = Qt.ItemDataRole.UserRole  # the field's code ("email", "ignore")

    mapping_changed = Signal()

    def __init__(self, table: CsvTable, mapping: ColumnMapping | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = list(table.header)
        self.samples = [list(r) for r in table.rows[:SAMPLES_SHOWN]]
        why = unmappable_columns(self.header)
        self._why_not = [why.get(i, "") for i in range(len(self.header))]
        given = mapping if mapping is not None else guess_mapping(self.header)
        wanted = {normal(c): f for c, f in given.columns.items() if f in FIELDS}
        self._fields = ["ignore" if self._why_not[i] else wanted.get(normal(c), "ignore")
                        for i, c in enumerate(self.header)]

    # -- shape --
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.header)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 2 + len(self.samples)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self.header) else None
        if section == self.COL_COLUMN:
            return "Column in the file"
        if section == self.COL_FIELD:
            return "Holds"
        if 2 <= section < self.columnCount():
            return f"Row {section - 1}"
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_FIELD and self.choosable(index.row()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _valid(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        return (index.isValid() and 0 <= index.row() < len(self.header)
                and 0 <= index.column() < self.columnCount())

    def choosable(self, row: int) -> bool:
        return 0 <= row < len(self.header) and not self._why_not[row]

    # -- data --
    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        row, col = index.row(), index.column()
        if col == self.COL_FIELD:
            name = self._fields[row]
            if role == Qt.ItemDataRole.DisplayRole:
                return field_label(name)
            if role in (Qt.ItemDataRole.EditRole, self.FIELD_ROLE):
                return name
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain_tooltip(self._why_not[row] or FIELDS.get(name, ""))
            return None
        if col == self.COL_COLUMN:
            text = self.header[row].replace("\ufeff", "").strip()
            shown = _one_line(text) or "(no name)"
        else:
            sample = self.samples[col - 2]
            text = sample[row] if row < len(sample) else ""
            shown = _one_line(text)
        if role == Qt.ItemDataRole.DisplayRole:
            return shown
        if role == Qt.ItemDataRole.ToolTipRole and text and shown != text:
            return plain_tooltip(text)
        if role == Qt.ItemDataRole.ForegroundRole and self._fields[row] == "ignore":
            # a column left out reads dimmer: what will be read stands out
            return QGuiApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role not in (Qt.ItemDataRole.EditRole, self.FIELD_ROLE) or not self._valid(index)
                or index.column() != self.COL_FIELD or not self.choosable(index.row())
                or value not in FIELDS):
            return False
        if self._fields[index.row()] != value:
            self._fields[index.row()] = value
            self.dataChanged.emit(self.index(index.row(), 0),
                                  self.index(index.row(), self.columnCount() - 1),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                                   Qt.ItemDataRole.ToolTipRole,
                                   Qt.ItemDataRole.ForegroundRole])
            self.mapping_changed.emit()
        return True

    # -- what it says --
    def field_of(self, column: str) -> str:
        """The field chosen for the column named `column` ("ignore" when none)."""
        key = normal(column)
        for i, cell in enumerate(self.header):
            if normal(cell) == key and self.choosable(i):
                return self._fields[i]
        raise KeyError(column)

    def row_of(self, column: str) -> int:
        key = normal(column)
        for i, cell in enumerate(self.header):
            if normal(cell) == key:
                return i
        raise KeyError(column)

    def mapping(self) -> ColumnMapping:
        return ColumnMapping({self.header[i].replace("\ufeff", "").strip(): f
                              for i, f in enumerate(self._fields)
                              if f != "ignore" and self.choosable(i)})

    def chosen_count(self) -> int:
        return len(self.mapping().columns)

    def problem(self) -> str:
        """Why these choices can't be read ("" when they can): the reader's own rule."""
        try:
            self.mapping().check(self.header)
        except MappingError as exc:
            return str(exc)
        return ""


# -- the chooser ----------------------------------------------------------------


class FieldCombo(QComboBox):
    """A chooser that leaves the wheel to the table unless it has the focus: scrolling
    down a file's thirty columns must not change what they hold on the way."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the view scrolls


class FieldDelegate(QStyledItemDelegate):
    """A combo of every field the reader knows; a pick (by mouse or by typing its first
    letters: each label's first word says it) is written to the model at once, so the
    editors can stay open."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = FieldCombo(parent)
        combo.setAccessibleName(f"What column {index.row() + 1} holds")
        for name, label in field_choices():
            combo.addItem(label, name)
            combo.setItemData(combo.count() - 1, FIELDS.get(name, ""),
                              Qt.ItemDataRole.ToolTipRole)
        combo.currentIndexChanged.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            at = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            if at != editor.currentIndex():
                editor.blockSignals(True)
                editor.setCurrentIndex(max(at, 0))
                editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox) and editor.currentIndex() >= 0:
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# -- the page -------------------------------------------------------------------


class ColumnMappingDialog(QDialog):
    """The column page for one CSV (and every file of the import with its header):
    what each column holds, and what everyone in the file gets. Continue accepts; the
    caller reads the file again with `mapping()` and `event_stamp()`."""

    def __init__(self, parent: QWidget | None, filename: str, table: CsvTable, *,
                 event: EventStamp | None = None, others: int = 0,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import CSV: which column is what")
        self.resize(900, 600)
        name = Path(filename).name
        also = (f" (and {others} more file{'s' if others > 1 else ''} with the same "
                "columns)") if others else ""
        if table.mapping is not None:
            intro = (f"{name}{also} was read with the columns chosen before for files like "
                     "it. Change what a column holds, or say what everyone in it gets.")
        else:
            intro = (f"netbook doesn't know the layout of {name}{also}. Say what each "
                     "column holds — its first rows are shown beside it. netbook remembers "
                     "your choice for files with the same columns.")
        self.intro = plain_label(intro, self, wrap=True)

        self.model = ColumnMappingModel(table, table.mapping, self)
        self.view = QTableView(self)
        self.view.setObjectName("columns")
        self.view.setAccessibleName("The file's columns")
        self.view.setModel(self.model)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # always open
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.delegate = FieldDelegate(self.view)
        self.view.setItemDelegateForColumn(ColumnMappingModel.COL_FIELD, self.delegate)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.setColumnWidth(ColumnMappingModel.COL_COLUMN, 170)
        self.view.setColumnWidth(ColumnMappingModel.COL_FIELD, 210)
        for col in range(2, self.model.columnCount()):  # the first rows share the rest
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        vheader = self.view.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        probe = QComboBox(self)
        vheader.setDefaultSectionSize(max(vheader.defaultSectionSize(),
                                          probe.sizeHint().height() + 2))
        probe.deleteLater()
        for row in range(self.model.rowCount()):  # a chooser per column, always shown
            if self.model.choosable(row):
                self.view.openPersistentEditor(
                    self.model.index(row, ColumnMappingModel.COL_FIELD))

        now = today()
        stamp = event or EventStamp()
        self.tag_edit = QLineEdit(", ".join(stamp.tags), self)
        self.tag_edit.setPlaceholderText("The event's name, e.g. PyCon 2026 "
                                         "(several tags: commas between)")
        self.met_check = QCheckBox("&Met on:", self)
        self.met_edit = QDateEdit(self)
        self.met_edit.setCalendarPopup(True)
        self.met_edit.setDisplayFormat("ddd d MMM yyyy")
        self.met_edit.setDateRange(qdate(dt.date(1900, 1, 1)), qdate(now))
        self.met_edit.setDate(qdate(stamp.met_on or now))
        self.met_edit.setAccessibleName("The day you met them")
        self.met_check.setChecked(stamp.met_on is not None)
        self.met_edit.setEnabled(self.met_check.isChecked())
        self.met_check.toggled.connect(self.met_edit.setEnabled)
        self.where_edit = QLineEdit(stamp.met_where, self)
        self.where_edit.setPlaceholderText("Where it was, e.g. PyCon, Pittsburgh")
        for edit in (self.tag_edit, self.where_edit):
            edit.setMaxLength(TEXT_LIMIT)

        self.event_box = QGroupBox("Everyone in this file", self)
        form = QFormLayout(self.event_box)
        form.addRow("&Tag them with:", self.tag_edit)
        met_row = QHBoxLayout()
        met_row.addWidget(self.met_edit)
        met_row.addStretch(1)
        form.addRow(self.met_check, met_row)
        form.addRow("Met &where:", self.where_edit)
        self.event_hint = plain_label(
            "The day and place here win over a column that holds them.", self.event_box)
        self.event_hint.setWordWrap(True)
        form.addRow(self.event_hint)

        self.status = plain_label("", self, wrap=True)
        self.status.setObjectName("mapping_status")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.continue_button = self.buttons.addButton(
            "&Continue", QDialogButtonBox.ButtonRole.AcceptRole)
        self.continue_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setToolTip(
            "Import nothing")
        self.buttons.accepted.connect(self._continue)
        self.buttons.rejected.connect(self.reject)
        self.model.mapping_changed.connect(self._update)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.event_box)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        problem = self.model.problem()
        chosen, total = self.model.chosen_count(), self.model.rowCount()
        if problem:
            self.status.setText(f"⚠ Can't continue yet: {problem}. Choose the column "
                                "that holds their name, email or phone.")
        else:
            self.status.setText(f"{chosen} of {total} columns will be read; the rest are "
                                "left out.")
        font = self.status.font()
        font.setBold(bool(problem))
        self.status.setFont(font)
        self.continue_button.setEnabled(not problem)
        self.continue_button.setToolTip(problem)

    def _continue(self) -> None:
        if not self.model.problem():
            self.accept()

    def mapping(self) -> ColumnMapping:
        return self.model.mapping()

    def event_stamp(self) -> EventStamp:
        tags = [t.strip() for t in self.tag_edit.text().split(",") if t.strip()]
        return EventStamp(tags=list(dict.fromkeys(tags)),
                          met_on=pydate(self.met_edit.date()) if self.met_check.isChecked()
                          else None,
                          met_where=" ".join(self.where_edit.text().split()))


# -- across one import --------------------------------------------------------


@dataclass
class ChosenColumns:
    """What the column pages settled for one import: a mapping per header (by the key it
    is remembered under) and an event per file. It makes the reader for the next pass
    and the settings the import saves when it is applied."""

    mappings: dict[str, tuple[list[str], ColumnMapping]] = field(default_factory=dict)
    events: dict[str, EventStamp] = field(default_factory=dict)

    def reader(self, store: Store) -> ContactsReader:
        def mapping_for(header: list[str]) -> ColumnMapping | None:
            chosen = self.mappings.get(header_key(header))
            return chosen[1] if chosen else remembered_mapping(store, header)

        return ContactsReader(remembered=mapping_for, events=self.events)

    def choose(self, files: list[str], header: list[str], mapping: ColumnMapping,
               event: EventStamp) -> None:
        self.mappings[header_key(header)] = (header, mapping)
        for name in files:
            self.events[name] = event

    def settings(self) -> dict[str, Any]:
        return dict(mapping_setting(h, m) for h, m in self.mappings.values())


def _by_header(tables: Mapping[str, CsvTable]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for name, table in tables.items():
        groups.setdefault(header_key(table.header), []).append(name)
    return list(groups.values())


def ask_columns(parent: QWidget | None, tables: Mapping[str, CsvTable],
                chosen: ChosenColumns, then: Callable[[], None],
                cancelled: Callable[[], None] | None = None) -> ColumnMappingDialog | None:
    """Show the column page for each header among `tables` (file → table) in turn,
    non-blocking; record the choices in `chosen`, then call `then` (or `cancelled` when
    a page is cancelled). Returns the first page (None when there is nothing to ask)."""
    groups = _by_header(tables)

    def ask(n: int) -> ColumnMappingDialog | None:
        if n == len(groups):
            then()
            return None
        files = groups[n]
        table = tables[files[0]]
        dialog = ColumnMappingDialog(parent, files[0], table,
                                     event=chosen.events.get(files[0]),
                                     others=len(files) - 1)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            chosen.choose(files, table.header, dialog.mapping(), dialog.event_stamp())
            ask(n + 1)

        dialog.accepted.connect(accepted)
        if cancelled is not None:
            dialog.rejected.connect(cancelled)
        dialog.open()
        return dialog

    return ask(0)


def columns_note(tables: Mapping[str, CsvTable], chosen: ChosenColumns) -> str:
    """The preview's line about the CSVs read through a column mapping, and their event."""
    lines = []
    for files in _by_header(tables):
        names = ", ".join(Path(f).name for f in files)
        fields = tables[files[0]].mapping
        count = len(fields.columns) if fields is not None else 0
        line = f"{names}: {count} column{'s' if count != 1 else ''} read as you chose"
        event = chosen.events.get(files[0])
        if event is not None and not event.is_empty():
            parts = []
            if event.tags:
                parts.append("tagged " + ", ".join(event.tags))
            if event.met_on:
                parts.append(f"met on {long_date(event.met_on)}")
            if event.met_where:
                parts.append(f"met at {event.met_where}")
            line += "; everyone " + ", ".join(parts)
        lines.append(line + ".")
    return "\n".join(lines)
