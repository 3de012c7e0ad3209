"""Who could help with …? and Introduce…: the connector's two dialogs.

Both read through plan/connector.py and change the store only through
`operations.introduce`; the window hears what changed through `changed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..data import operations
from ..data.contacts import Store, StoreError
from ..data.relations import LABELS
from ..plan import connector
from ..plan.connector import Draft, Helper
from .relationships import ID_ROLE, RowsModel
from .text import button_text, isolate, plain_label, plain_tooltip

Index = QModelIndex | QPersistentModelIndex


def helper_line(h: Helper) -> str:
    """'Mia Chen (Studio North) — does web design · known through Ravi Patel (colleague)'."""
    org = f" ({isolate(h.organization)})" if h.organization else ""
    line = f"{isolate(h.name)}{org} — {h.matched}"
    if h.known_through:
        line += " · known through " + ", ".join(
            f"{isolate(r.name)} ({LABELS.get(r.type, r.type).lower()})" for r in h.known_through)
    return line


class HelperModel(RowsModel[Helper]):
    """Who could help, best first, one line each (plain text: names come from cards)."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.row(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return helper_line(row)
        if role == Qt.ItemDataRole.ToolTipRole:  # tool tips guess rich text: escaped
            return plain_tooltip(helper_line(row))
        if role == ID_ROLE:
            return row.contact_id
        return None


class WhoCanHelpDialog(QDialog):
    """Type a need, see who could help; open them or introduce them."""

    open_contact = Signal(int)
    introduce_requested = Signal(int)  # the helper

    def __init__(self, store: Store, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Who could help?")
        self.store = store
        self.need_edit = QLineEdit(self)
        self.need_edit.setPlaceholderText("a web designer, investors for the seed round…")
        self.need_edit.setAccessibleName("What is needed")
        self.need_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton("Find", self)
        self.search_button.setAutoDefault(False)
        self.search_button.clicked.connect(self.search)
        self.model = HelperModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.setAccessibleName("People who could help")
        self.view.activated.connect(self._open)
        self.status_label = plain_label("", self, wrap=True)
        self.open_button = QPushButton("Open Contact", self)
        self.introduce_button = QPushButton("Introduce…", self)
        for button in (self.open_button, self.introduce_button):
            button.setAutoDefault(False)
            button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self._open(self.view.currentIndex()))
        self.introduce_button.clicked.connect(self._introduce)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(plain_label("Who could help with", self))
        top.addWidget(self.need_edit, 1)
        top.addWidget(self.search_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.introduce_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.resize(640, 420)
        if text:
            self.need_edit.setText(text)
            self.search()

    @Slot()
    def search(self) -> None:
        """Rank the book for the need typed (fast enough to run here: ≤ 100 ms at 50,000)."""
        text = self.need_edit.text().strip()
        if not text:
            return
        try:
            found = connector.who_can_help(self.store, text)
        except StoreError as exc:
            self.model.set_rows([])
            self.status_label.setText(str(exc))
            return
        self.model.set_rows(found)
        self.status_label.setText(f"{len(found)} people, best first — ranked by what they "
                                  "do, their title, tags and organisation"
                                  if found else "Nobody's work in the book matches that.")
        if found:
            self.view.setCurrentIndex(self.model.index(0, 0))

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        for button in (self.open_button, self.introduce_button):
            button.setEnabled(current.isValid())

    def _open(self, index: QModelIndex) -> None:
        cid = index.data(ID_ROLE) if index.isValid() else None
        if cid is not None:
            self.open_contact.emit(int(cid))

    @Slot()
    def _introduce(self) -> None:
        cid = self.view.currentIndex().data(ID_ROLE)
        if cid is not None:
            self.introduce_requested.emit(int(cid))


class IntroduceDialog(QDialog):
    """An introduction: a draft to both (or first an ask to the one who'd help), opened in
    the mail program or copied; the introduction is logged with both, the ask with the
    one who'd help only, each with its follow-up."""

    changed = Signal(object)  # the Changes of the introduction

    def __init__(self, store: Store, contact_id: int, other_id: int | None = None,
                 parent: QWidget | None = None, *,
                 open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.setWindowTitle("Introduce")
        self.store = store
        self.contact_id = contact_id
        self.other_id: int | None = None
        self.open_url = open_url  # tests replace it: no mail program opens
        self._today = today
        self.draft: Draft | None = None
        self.logged_text = ""  # what was logged, said in the status bar
        name = store.display_names([contact_id]).get(contact_id, "")

        self.suggest_model = HelperModel(self)
        self.suggest_view = QListView(self)
        self.suggest_view.setModel(self.suggest_model)
        self.suggest_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.suggest_view.setAccessibleName("People to introduce them to")
        self.suggest_view.setMaximumHeight(110)
        self.suggest_view.selectionModel().currentChanged.connect(self._suggestion_picked)
        self.other_edit = QLineEdit(self)
        self.other_edit.setPlaceholderText("or type a name and press Enter")
        self.other_edit.setAccessibleName("Introduce to")
        self.other_edit.returnPressed.connect(self._typed_other)
        self.both_radio = QRadioButton("Write to both now", self)
        self.ask_radio = QRadioButton("First ask the one who'd help (the careful way)", self)
        self.both_radio.setChecked(True)
        for radio in (self.both_radio, self.ask_radio):
            radio.toggled.connect(self._redraft)
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText("a line of your own (optional)")
        self.note_edit.setAccessibleName("Your note")
        self.note_edit.textChanged.connect(self._redraft)
        self.to_label = plain_label("", self, wrap=True)
        self.subject_label = plain_label("", self, wrap=True)
        self.body_view = QPlainTextEdit(self)
        self.body_view.setReadOnly(True)
        self.body_view.setAccessibleName("The message")
        self.error_label = plain_label("", self, wrap=True)
        self.error_label.setVisible(False)

        self.mail_button = QPushButton("Open in Mail", self)
        self.mail_button.setDefault(True)
        self.copy_button = QPushButton("Copy Message", self)
        self.copy_button.setAutoDefault(False)
        self.mail_button.clicked.connect(lambda: self.make(mail=True))
        self.copy_button.clicked.connect(lambda: self.make(mail=False))
        cancel = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        cancel.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Introduce", plain_label(isolate(name), self))
        form.addRow("to", self.suggest_view)
        form.addRow("", self.other_edit)
        form.addRow("", self.both_radio)
        form.addRow("", self.ask_radio)
        form.addRow("Note", self.note_edit)
        form.addRow("To", self.to_label)
        form.addRow("Subject", self.subject_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mail_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.body_view, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.resize(620, 560)

        found = connector.suggestions(store, contact_id)
        self.suggest_model.set_rows(found)
        self.suggest_view.setVisible(bool(found))
        if other_id is not None:
            self.set_other(other_id)
        elif found:
            self.suggest_view.setCurrentIndex(self.suggest_model.index(0, 0))
        else:
            self._redraft()

    # -- who and what -----------------------------------------------------------------

    def set_other(self, other_id: int) -> None:
        self.other_id = other_id
        self.other_edit.setText(self.store.display_names([other_id]).get(other_id, ""))
        self._redraft()

    @Slot(QModelIndex, QModelIndex)
    def _suggestion_picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        cid = current.data(ID_ROLE) if current.isValid() else None
        if cid is not None:
            self.set_other(int(cid))

    @Slot()
    def _typed_other(self) -> None:
        try:
            self.set_other(self.store.resolve(self.other_edit.text()))
        except StoreError as exc:
            self._show_error(str(exc))

    def pair(self) -> tuple[int, int]:
        """(who needs it, who can help)."""
        assert self.other_id is not None
        return connector.needer_of(self.store, self.contact_id, self.other_id)

    @Slot()
    def _redraft(self) -> None:
        self.draft = None
        if self.other_id is None or self.other_id == self.contact_id:
            self._show_draft(None, "Pick the person to introduce them to.")
            return
        needer, helper = self.pair()
        helper_name = self.store.display_names([helper]).get(helper, "")
        self.ask_radio.setText(f"First ask {button_text(isolate(helper_name))} whether "
                               "they'd like it (the careful way)")
        try:
            self.draft = connector.introduction_draft(self.store, needer, helper,
                                                      self.note_edit.text(),
                                                      ask_first=self.ask_radio.isChecked())
        except StoreError as exc:
            self._show_draft(None, str(exc))
            return
        self._show_draft(self.draft, "")

    def _show_draft(self, draft: Draft | None, error: str) -> None:
        self.to_label.setText(", ".join(draft.to) if draft else "")
        self.subject_label.setText(draft.subject if draft else "")
        self.body_view.setPlainText(draft.body if draft else "")
        for button in (self.mail_button, self.copy_button):
            button.setEnabled(draft is not None)
        self._show_error(error)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    # -- making it ----------------------------------------------------------------------

    def make(self, mail: bool) -> bool:
        """Log the introduction with both (and the follow-up), or the ask to the one
        who'd help, then hand the message to the mail program or the clipboard; False
        when it could not be logged."""
        if self.draft is None or self.other_id is None:
            return False
        needer, helper = self.pair()
        asking = self.ask_radio.isChecked()
        log = operations.ask_to_introduce if asking else operations.introduce
        try:
            changes = log(self.store, needer, helper, on=self._today(),
                          note=self.note_edit.text())
        except StoreError as exc:
            self._show_error(str(exc))
            return False
        if mail:
            self.open_url(QUrl(self.draft.mailto))
        else:
            QGuiApplication.clipboard().setText(f"To: {', '.join(self.draft.to)}\n"
                                                f"Subject: {self.draft.subject}\n\n"
                                                f"{self.draft.body}")
        self.logged_text = ("Asked first; a follow-up to hear back is set a week from now"
                            if asking else "Introduction logged with both; a follow-up is "
                            "set a week from now")
        self.changed.emit(changes)
        self.accept()
        return True
