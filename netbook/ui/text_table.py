"""A read-only table of texts: the small lists of the book's dialogs (duplicate groups,
a merge's fields, tags with counts). Model/view like every list here; plain text only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from .text import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's own object (a group, a tag name)

__all__ = ["ROW_ROLE", "TextTableModel"]


class TextTableModel(QAbstractTableModel):
    """Rows of strings under headers; each row may carry an object (`ROW_ROLE`)."""

    def __init__(self, headers: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[tuple[list[str], Any]] = []

    def set_rows(self, rows: Sequence[tuple[Sequence[str], Any]]) -> None:
        self.beginResetModel()
        self.rows = [([str(c) for c in cells], obj) for cells, obj in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        cells, obj = self.rows[index.row()]
        if role == ROW_ROLE:
            return obj
        if index.column() >= len(cells):
            return None
        text = cells[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(text.split())
        if role == Qt.ItemDataRole.ToolTipRole and len(text) > 40:
            return plain_tooltip(text)
        return None

    def object_at(self, row: int) -> Any:
        return self.rows[row][1] if 0 <= row < len(self.rows) else None
