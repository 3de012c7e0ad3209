"""Edit ▸ Find Duplicates…: the book's probable duplicates, why, and a field-by-field merge.

Left, the groups (`duplicates.find_duplicates`) with their reasons in words; right, the
chosen group's merge as it would come out (`merging.plan_merge`): which contact stays,
every field of the merged card, and each networking field with where it comes from.
Merge runs `operations.merge_contacts` and hands the result up (`merged`); the window
dispatches its `Changes` and offers Ctrl+Z.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..data import operations
from ..data.contacts import Store, StoreError
from ..data.duplicates import DuplicateGroup, find_duplicates
from ..data.merging import MergePlan
from .text import plain_label
from .text_table import TextTableModel

__all__ = ["DuplicatesDialog"]


class DuplicatesDialog(QDialog):
    merged = Signal(object)  # operations.MergeResult
    open_contact = Signal(int)

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Find duplicates")
        self.resize(980, 560)
        self.plan: MergePlan | None = None

        self.groups = TextTableModel(("Probably the same person", "Why"), self)
        self.groups_view = QTableView(self)
        self.groups_view.setObjectName("duplicate_groups")
        self.groups_view.setModel(self.groups)
        self.groups_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.groups_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.groups_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.groups_view.verticalHeader().hide()
        self.groups_view.setWordWrap(False)
        self.groups_view.setTabKeyNavigation(False)
        self.groups_view.horizontalHeader().setStretchLastSection(True)
        self.groups_view.setColumnWidth(0, 220)
        self.groups_view.selectionModel().currentRowChanged.connect(self._group_chosen)

        self.keep_combo = QComboBox(self)
        self.keep_combo.setAccessibleName("The contact that stays")
        self.keep_combo.currentIndexChanged.connect(self._show_plan)
        self.fields = TextTableModel(("Field", "Merged", "From"), self)
        self.fields_view = QTableView(self)
        self.fields_view.setObjectName("merge_fields")
        self.fields_view.setModel(self.fields)
        self.fields_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields_view.verticalHeader().hide()
        self.fields_view.setWordWrap(False)
        self.fields_view.setTabKeyNavigation(False)
        header = self.fields_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.note = plain_label("", self, wrap=True)
        self.merge_button = QPushButton("&Merge", self)
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.merge)
        self.open_button = QPushButton("&Open", self)
        self.open_button.setToolTip("Show the contact that stays in the window")
        self.open_button.clicked.connect(self._open)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        keep_row = QHBoxLayout()
        keep_row.addWidget(plain_label("Keep:", right))
        keep_row.addWidget(self.keep_combo, 1)
        right_layout.addLayout(keep_row)
        right_layout.addWidget(plain_label(
            "Every phone, email, address, website and tag is kept once; the notes are "
            "joined; the others' interactions and introductions move to it. Ctrl+Z in the "
            "window undoes a merge.", right, wrap=True))
        right_layout.addWidget(self.fields_view, 1)
        right_layout.addWidget(self.note)
        buttons_row = QHBoxLayout()
        buttons_row.addStretch()
        buttons_row.addWidget(self.open_button)
        buttons_row.addWidget(self.merge_button)
        right_layout.addLayout(buttons_row)

        splitter = QSplitter(self)
        splitter.addWidget(self.groups_view)
        splitter.addWidget(right)
        splitter.setSizes([420, 560])
        self.summary = plain_label("", self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        groups = find_duplicates(self.store)
        self.groups.set_rows([([", ".join(name for _cid, name in g.contacts),
                                "; ".join(g.reasons)], g) for g in groups])
        n = len(groups)
        self.summary.setText(f"{n} group{'s' if n != 1 else ''} of probable duplicates"
                             if n else "No probable duplicates: every contact is one person.")
        if n:
            self.groups_view.selectRow(0)
            self._group_chosen(self.groups.index(0, 0))
        else:
            self._group_chosen(QModelIndex())

    def current_group(self) -> DuplicateGroup | None:
        return self.groups.object_at(self.groups_view.currentIndex().row())

    def _group_chosen(self, current: QModelIndex) -> None:
        group = self.groups.object_at(current.row()) if current.isValid() else None
        self.keep_combo.blockSignals(True)
        self.keep_combo.clear()
        for cid, name in group.contacts if group else ():
            self.keep_combo.addItem(f"{name} ({cid})", cid)
        self.keep_combo.blockSignals(False)
        self._show_plan()

    def _show_plan(self) -> None:
        group = self.current_group()
        keep = self.keep_combo.currentData()
        self.plan = None
        rows: list[tuple[list[str], object]] = []
        if group is not None and keep is not None:
            others = [cid for cid in group.ids if cid != keep]
            try:
                self.plan = operations.plan_merge(self.store, keep, others)
            except StoreError as exc:
                self.note.setText(str(exc))
            if self.plan is not None:
                rows = [([label, value, ""], None) for label, value in self.plan.card_fields()]
                rows += [([c.label, c.value, c.source], None) for c in self.plan.choices]
                moved = self.plan.interactions_moved
                self.note.setText(f"{moved} interaction{'s' if moved != 1 else ''} move to "
                                  f"{self.plan.names[keep]}." if moved else "")
        self.fields.set_rows(rows)
        self.merge_button.setEnabled(self.plan is not None)
        self.open_button.setEnabled(self.plan is not None)

    def merge(self) -> None:
        if self.plan is None:
            return
        try:
            result = operations.merge_contacts(self.store, self.plan.keep_id,
                                               self.plan.other_ids)
        except StoreError as exc:
            self.note.setText(str(exc))
            return
        self.merged.emit(result)
        self.reload()

    def _open(self) -> None:
        if self.plan is not None:
            self.open_contact.emit(self.plan.keep_id)

