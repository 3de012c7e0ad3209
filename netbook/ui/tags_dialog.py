"""Edit ▸ Manage Tags…: every tag with its count; rename (into an existing tag: the two
merge), delete. Each change is one data operation; `changed` hands its Changes up."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..data import operations
from ..data.contacts import Store, StoreError
from ..data.tags import tag_counts
from .log_dialog import error_label
from .text import ask_plain_text, plain_label
from .text_table import TextTableModel

__all__ = ["TagsDialog"]


class TagsDialog(QDialog):
    changed = Signal(object)  # Changes

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Tags")
        self.resize(460, 420)
        self.model = TextTableModel(("Tag", "Contacts"), self)
        self.view = QTableView(self)
        self.view.setObjectName("tags")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setTabKeyNavigation(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setColumnWidth(0, 260)
        self.view.doubleClicked.connect(lambda _i: self.rename())
        self.rename_button = QPushButton("&Rename…", self)
        self.rename_button.setToolTip("Rename into an existing tag to merge the two")
        self.delete_button = QPushButton("&Delete", self)
        self.delete_button.setToolTip("Take the tag off every contact (they stay)")
        self.rename_button.clicked.connect(self.rename)
        self.delete_button.clicked.connect(self.delete)
        self.error = error_label(self)
        row = QHBoxLayout()
        row.addWidget(self.rename_button)
        row.addWidget(self.delete_button)
        row.addStretch()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Rename a tag into another one to merge them.", self,
                                     wrap=True))
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.reload()

    def reload(self, select: str = "") -> None:
        counts = tag_counts(self.store)
        self.model.set_rows([([name, str(n)], name) for name, n in counts])
        names = [name for name, _n in counts]
        self.view.selectRow(names.index(select) if select in names else 0)
        for b in (self.rename_button, self.delete_button):
            b.setEnabled(bool(counts))

    def current(self) -> str | None:
        return self.model.object_at(self.view.currentIndex().row())

    def ask_name(self, old: str) -> str | None:
        """The new name (tests replace this)."""
        return ask_plain_text(self, "Rename tag", f"New name for “{old}”:", old)

    def confirm_delete(self, tag: str, count: int) -> bool:
        """Ask before taking a tag off everyone (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Delete tag",
                          f"Take “{tag}” off {count} contacts? The contacts stay.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box.exec() == QMessageBox.StandardButton.Yes

    def rename(self) -> None:
        old = self.current()
        if old is None:
            return
        new = self.ask_name(old)
        if not new or new == old:
            return
        self._run(lambda: operations.rename_tag(self.store, old, new), select=new)

    def delete(self) -> None:
        tag = self.current()
        if tag is None:
            return
        count = dict(tag_counts(self.store)).get(tag, 0)
        if self.confirm_delete(tag, count):
            self._run(lambda: operations.delete_tag(self.store, tag))

    def _run(self, run, select: str = "") -> None:
        try:
            changes = run()
        except StoreError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        self.error.setVisible(False)
        self.reload(select)
        self.changed.emit(changes)
