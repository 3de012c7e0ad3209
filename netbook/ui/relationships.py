"""The detail pane's Relationships section: who this person knows, as links, and a way to
say so (pick a contact, pick a type), introduce them to someone, or see them on the map.

A section of its own that the pane hosts (`DetailPane.add_section`); it changes the store
only through `operations.relate` / `unrelate` and tells the window through `changed`.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..data import operations, relations
from ..data.changes import Changes
from ..data.contacts import ListQuery, Store, StoreError
from ..data.relations import INTRODUCED, INTRODUCED_BY, LABELS, RELATION_TYPES, Related
from .text import isolate, plain_label, plain_tooltip

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # a row's contact id (here and in the connector's)

# a row seen from this side, and how to take it away: (who owns the line, whom, type)
_REVERSE = {"agent-for": "agent", "emergency-for": "emergency", INTRODUCED: INTRODUCED_BY}
PICK_LIMIT = 20  # names offered while typing


class RowsModel(QAbstractListModel, Generic[T]):
    """A short list of plain rows, replaced whole (`set_rows`); `row(index)` or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[T] = []

    def set_rows(self, rows: list[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def row(self, index: Index) -> T | None:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.rows[index.row()]


class RelatedModel(RowsModel[Related]):
    """The people related to one contact: 'Colleague: Ravi Patel', shown as links."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._link = QPalette().color(QPalette.ColorRole.Link)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.row(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.label}: {isolate(row.name)}"
        if role == Qt.ItemDataRole.ToolTipRole:  # tool tips guess rich text: escaped
            return plain_tooltip(f"Open {isolate(row.name)}")
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._link
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setUnderline(True)
            return font
        if role == ID_ROLE:
            return row.contact_id
        return None


class RelationshipsSection(QGroupBox):
    """Who this contact knows: links that open them, and relate / remove / introduce."""

    open_contact = Signal(int)
    changed = Signal(object)  # the Changes of a relate or unrelate
    introduce_requested = Signal(int)  # this contact: introduce them to someone
    map_requested = Signal(int)  # this contact's circle on the network map

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__("Relationships", parent)
        self.setObjectName("relationships")
        self.store = store
        self.contact_id: int | None = None
        self._picked: dict[str, int] = {}

        self.model = RelatedModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Related people")
        self.view.setCursor(Qt.CursorShape.PointingHandCursor)
        self.view.clicked.connect(self._open)  # a link: one click opens them
        self.view.activated.connect(self._open)
        # taking one away: right-click ▸ Remove, or Delete on the focused row
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.remove_action = QAction("Remove Relationship", self.view)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        self.view.addAction(self.remove_action)
        self.empty_label = plain_label("No relationships yet: pick someone below.", self)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.type_box = QComboBox(self)
        self.type_box.setAccessibleName("How they are related")
        for kind in (*RELATION_TYPES, INTRODUCED_BY):
            self.type_box.addItem(LABELS[kind], kind)
        self.other_edit = QLineEdit(self)
        self.other_edit.setPlaceholderText("Contact…")
        self.other_edit.setAccessibleName("Related contact")
        self.names = QStringListModel(self)
        completer = QCompleter(self.names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.other_edit.setCompleter(completer)
        self.other_edit.textEdited.connect(self._offer_names)
        self.other_edit.returnPressed.connect(self.relate)
        self.relate_button = QPushButton("Relate", self)
        self.relate_button.setAutoDefault(False)
        self.relate_button.clicked.connect(self.relate)
        self.introduce_button = QPushButton("Introduce…", self)
        self.introduce_button.setAutoDefault(False)
        self.introduce_button.setToolTip("Introduce this person to someone who can help, "
                                         "or whose need they answer")
        self.introduce_button.clicked.connect(self._introduce)
        self.map_button = QPushButton("Show on Map", self)
        self.map_button.setAutoDefault(False)
        self.map_button.clicked.connect(self._map)
        self.error_label = plain_label("", self, wrap=True)
        self.error_label.setVisible(False)

        pick = QHBoxLayout()
        pick.addWidget(self.type_box)
        pick.addWidget(self.other_edit, 1)
        pick.addWidget(self.relate_button)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.introduce_button)
        actions.addWidget(self.map_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.empty_label)
        layout.addLayout(pick)
        layout.addWidget(self.error_label)
        layout.addLayout(actions)
        self.set_contact(None)

    # -- what it shows ----------------------------------------------------------------

    def set_contact(self, contact_id: int | None) -> None:
        """Show this contact's relationships (None: nobody selected)."""
        self.contact_id = contact_id
        self.setEnabled(contact_id is not None)
        self.other_edit.clear()
        self._show_error("")
        self.reload()

    def reload(self) -> None:
        rows = relations.related(self.store, self.contact_id) if self.contact_id else []
        self.model.set_rows(rows)
        self.view.setVisible(bool(rows))
        self.empty_label.setVisible(not rows and self.contact_id is not None)
        lines = max(min(len(rows), 6), 1)
        self.view.setFixedHeight(self.view.sizeHintForRow(0) * lines + 2 * self.view.frameWidth()
                                 + 2 if rows else 0)

    def apply_changes(self, changes: Changes, origin: object | None = None) -> None:
        """Redraw when this contact, or anyone, may have changed (names, the trash)."""
        if self.contact_id is not None and (changes.everything or changes.contacts):
            if not self.store.exists(self.contact_id):
                self.set_contact(None)
            else:
                self.reload()

    # -- acting -----------------------------------------------------------------------

    @Slot(str)
    def _offer_names(self, text: str) -> None:
        """Offer the contacts the typed text finds (the store's own search)."""
        self._picked = {}
        text = text.strip()
        if len(text) >= 1:
            # only the first few read whole: "a" finds most of a 50,000-contact book
            ids = self.store.list_ids(ListQuery(search=text))[:PICK_LIMIT]
            found = self.store.rows_by_id(ids)
            for row in (found[cid] for cid in ids if cid in found):
                if row.id == self.contact_id:
                    continue
                shown = (f"{isolate(row.name)} — {isolate(row.organization)}"
                         if row.organization else isolate(row.name))
                self._picked.setdefault(shown, row.id)
        self.names.setStringList(list(self._picked))

    def _chosen_other(self) -> int:
        text = self.other_edit.text().strip()
        if text in self._picked:
            return self._picked[text]
        if not text:
            raise StoreError("Pick the contact they are related to.")
        return self.store.resolve(text)

    @Slot()
    def relate(self) -> None:
        """Relate this contact to the one picked, as the type chosen."""
        if self.contact_id is None:
            return
        try:
            other = self._chosen_other()
            changes = operations.relate(self.store, self.contact_id, other,
                                        self.type_box.currentData())
        except StoreError as exc:
            self._show_error(str(exc))
            return
        self.other_edit.clear()
        self._show_error("" if changes else "They are related that way already.")
        self.reload()
        if changes:
            self.changed.emit(changes)

    @Slot()
    def remove_selected(self) -> None:
        """Take the focused row's relationship away, from both cards."""
        index = self.view.currentIndex()
        if self.contact_id is None or not index.isValid():
            return
        row = self.model.rows[index.row()]
        try:
            if row.type in _REVERSE:  # the other person's card says it
                changes = operations.unrelate(self.store, row.contact_id, self.contact_id,
                                              _REVERSE[row.type])
            else:
                changes = operations.unrelate(self.store, self.contact_id, row.contact_id,
                                              row.type)
        except StoreError as exc:
            self._show_error(str(exc))
            return
        self.reload()
        self.changed.emit(changes)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    @Slot(QModelIndex)
    def _open(self, index: QModelIndex) -> None:
        cid = index.data(ID_ROLE)
        if cid is not None:
            self.open_contact.emit(int(cid))

    @Slot()
    def _introduce(self) -> None:
        if self.contact_id is not None:
            self.introduce_requested.emit(self.contact_id)

    @Slot()
    def _map(self) -> None:
        if self.contact_id is not None:
            self.map_requested.emit(self.contact_id)
