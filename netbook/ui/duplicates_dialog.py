"""Edit ▸ Find Duplicates…: the book's probable duplicates, why, and a field-by-field merge.

Left, the groups (`duplicates.find_duplicates`) with their reasons in words; right, the
chosen group's merge as it would come out (`merging.plan_merge`): which contact stays,
every field of the merged card, and each networking field with where it comes from.
Merge runs `operations.merge_contacts` and hands the result up (`merged`); the window
dispatches its `Changes` and offers Ctrl+Z.

The search runs off the GUI thread (`workers.run_job`, with progress and Cancel): at
50,000 contacts it takes about two seconds (bench/bench_duplicates.py). A merge takes
its group off the list without searching the book again; "Search Again" does that.
"""

from __future__ import annotations

from collections.abc import Callable

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
from ..plan.wording import long_date, partial_date
from .text import isolate, isolate_names, plain_label
from .text_table import TextTableModel
from .workers import Job, run_job

__all__ = ["DuplicatesDialog"]


def merge_fields(plan: MergePlan) -> list[tuple[str, str]]:
    """The merged card's fields as the window says them: a birthday as '21 Oct 1992'."""
    birthday = plan.card.birthday
    return [(label, partial_date(birthday.month, birthday.day, birthday.year)
             if label == "Birthday" and birthday else value)
            for label, value in plan.card_fields()]


def group_names(group: DuplicateGroup) -> str:
    """'Ana Lima, A. Lima': each name kept inside its own direction (a spoofed one can't
    flip the others)."""
    return ", ".join(isolate(name) for _cid, name in group.contacts)


class DuplicatesDialog(QDialog):
    merged = Signal(object)  # operations.MergeResult
    open_contact = Signal(int)
    searched = Signal()  # the groups are shown (or the search failed or was cancelled)

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Find duplicates")
        self.resize(980, 560)
        self.plan: MergePlan | None = None
        self.job: Job | None = None  # the search, while it runs

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
        self.again_button = QPushButton("Search &Again", self)
        self.again_button.setAutoDefault(False)
        self.again_button.setToolTip("Look through the whole book again (after merges or "
                                     "edits made meanwhile)")
        self.again_button.clicked.connect(self.reload)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.again_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.reload()

    @property
    def searching(self) -> bool:
        return self.job is not None

    def reload(self) -> None:
        """Search the whole book, off the GUI thread; the groups show when it is done."""
        if self.job is not None:
            return
        self.summary.setText("Looking for probable duplicates…")
        self._show_groups([], update_summary=False)
        self.again_button.setEnabled(False)
        store = self.store

        def work(report: Callable[[int, int], None]) -> list[DuplicateGroup]:
            return find_duplicates(store, report)

        self.job = run_job(self, "Looking for duplicates…", work, self._found,
                           self._failed, self._cancelled, store=store)

    def _found(self, groups: list[DuplicateGroup]) -> None:
        self._search_ended()
        self._show_groups(groups)

    def _failed(self, message: str) -> None:
        self._search_ended()
        self.summary.setText(f"The search stopped: {message}")

    def _cancelled(self) -> None:
        self._search_ended()
        self.summary.setText("Search cancelled — Search Again looks through the book.")

    def _search_ended(self) -> None:
        self.job = None
        self.again_button.setEnabled(True)
        self.searched.emit()

    def _show_groups(self, groups: list[DuplicateGroup], row: int = 0,
                     update_summary: bool = True) -> None:
        self.groups.set_rows([([group_names(g), "; ".join(g.reasons)], g) for g in groups])
        n = len(groups)
        if update_summary:
            self.summary.setText(f"{n} group{'s' if n != 1 else ''} of probable duplicates"
                                 if n else "No probable duplicates: every contact is one "
                                 "person.")
        if n:
            row = min(row, n - 1)
            self.groups_view.selectRow(row)
            self._group_chosen(self.groups.index(row, 0))
        else:
            self._group_chosen(QModelIndex())

    def current_group(self) -> DuplicateGroup | None:
        return self.groups.object_at(self.groups_view.currentIndex().row())

    def _group_chosen(self, current: QModelIndex) -> None:
        group = self.groups.object_at(current.row()) if current.isValid() else None
        self.keep_combo.blockSignals(True)
        self.keep_combo.clear()
        for cid, name in group.contacts if group else ():
            self.keep_combo.addItem(f"{isolate(name)} ({cid})", cid)
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
                rows = [([label, value, ""], None) for label, value in merge_fields(self.plan)]
                rows += [([c.label, long_date(c.day) if c.day else c.value,
                           isolate_names(c.source, self.plan.names.values())], None)
                         for c in self.plan.choices]
                moved = self.plan.interactions_moved
                self.note.setText(f"{moved} interaction{'s' if moved != 1 else ''} move to "
                                  f"{isolate(self.plan.names[keep])}." if moved else "")
        self.fields.set_rows(rows)
        self.merge_button.setEnabled(self.plan is not None)
        self.open_button.setEnabled(self.plan is not None)

    def merge(self) -> None:
        """Merge the chosen group; it leaves the list (the others stay as they are)."""
        if self.plan is None:
            return
        try:
            result = operations.merge_contacts(self.store, self.plan.keep_id,
                                               self.plan.other_ids)
        except StoreError as exc:
            self.note.setText(str(exc))
            return
        row = self.groups_view.currentIndex().row()
        merged = set(self.plan.other_ids) | {self.plan.keep_id}
        self.merged.emit(result)
        rest = [g for _cells, g in self.groups.rows if not merged & set(g.ids)]
        self._show_groups(rest, row)

    def _open(self) -> None:
        if self.plan is not None:
            self.open_contact.emit(self.plan.keep_id)

