"""View and edit one contact: every card field, netbook's networking fields, the log.

A contact opens as a card to read and act on (`card_view.CardView`: call, mail, map,
copy); editing is a mode — the Edit button, Ctrl+E or a double-click on a field — that
shows the form below, with Save and Revert, and goes back to the card when done. Other
widgets add sections of their own under the card with `add_section` (relationships).

Edits change the card through its own mutators — only the fields the user touched — so
whatever the phone wrote that netbook has no editor for rides along untouched. The card
and the networking fields are saved together (Save, one `operations.save_contact`) or
thrown away (Revert); the interaction log is a log: an entry is written the moment it is
added. Every change is an operation; the pane shows its own result and hands the
returned `Changes` up (`changed`), and redraws from the changes others made
(`apply_changes`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..data import networking, operations, settings
from ..data.changes import Changes
from ..data.contacts import ConflictError, ContactRecord, SharedKey, Store, StoreError
from ..data.photos import PhotoError, photo_from_file_bytes
from ..data.vcard.card import Card, NameParts
from ..plan import service
from ..plan.wording import long_date, rhythm_phrase
from .card_view import CardView
from .editors import (
    EMAIL_KINDS,
    IM_KINDS,
    PHONE_KINDS,
    URL_KINDS,
    AddressEditor,
    DateEdit,
    PartialDateEdit,
    TagsEdit,
    TypedListEditor,
)
from .text import isolate, plain_label, spoof_warning
from .theme import is_dark

MAX_PHOTO_FILE = 200 * 1024 * 1024
CIRCLE_CHOICES = [("No rhythm", None), ("Inner circle", "inner"), ("Close", "close"),
                  ("Network", "network"), ("Acquaintance", "acquaintance"),
                  ("Custom…", "custom")]

Index = QModelIndex | QPersistentModelIndex


class InteractionModel(QAbstractTableModel):
    HEADERS = ("Date", "Kind", "Gave / asked", "Note")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[networking.InteractionRow] = []

    def set_rows(self, rows: list[networking.InteractionRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        col = index.column()
        if col == 0:
            return long_date(row.on)  # as the card says dates (the editor keeps ISO)
        if col == 1:
            return row.kind
        if col == 2:
            if row.exchange == "gave":
                return f"gave {row.gift}".strip()
            return row.exchange
        return " ".join(row.note.split())


def focus_stops(layout: QLayout, skip: QWidget | None = None) -> list[QWidget]:
    """The widgets Tab stops at inside `layout`, in the order it lays them out (reading
    order), looking into containers and scroll areas, leaving `skip` out."""
    stops: list[QWidget] = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        widget = item.widget()
        if widget is None:
            if (inner := item.layout()) is not None:
                stops += focus_stops(inner, skip)
            continue
        if widget is skip:
            continue
        if isinstance(widget, QScrollArea) and (body := widget.widget()) is not None:
            widget = body
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            stops.append(widget)
        elif (inner := widget.layout()) is not None:
            stops += focus_stops(inner, skip)
    return stops


class DetailPane(QWidget):
    """The middle of the window: one contact, editable."""

    saved = Signal(int)  # contact id (new or existing)
    changed = Signal(object)  # the Changes of an operation run here
    open_contact = Signal(int)
    editing_changed = Signal(bool)
    tab_chain_changed = Signal()  # the form's rows came or went: Tab's order follows
    # (what, undo) after a saved edit: `undo()` runs the operation that takes it back
    undoable = Signal(str, object)
    contact_shown = Signal(object)  # the contact id now shown (None: none), for sections

    def __init__(self, store: Store, parent: QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.record: ContactRecord | None = None
        self.card: Card | None = None  # the card as loaded (new: a fresh one)
        self.photo_change: tuple[bytes | None, str] | None = None
        self._dirty = False
        self._loading = False
        self.editing = False
        self.log_dialog: QDialog | None = None  # the log form last opened (tests drive it)
        self._build()
        self._apply_colours()
        self.clear()

    # -- colours ------------------------------------------------------------
    def _colours(self) -> dict[str, str]:
        """The warning and hint colours for the theme shown now: each reads at AA
        contrast on a light window and on a dark one (a light banner glared in dark)."""
        if is_dark(self.palette()):
            return {"banner": "QLabel#banner { background: #4a3b12; padding: 6px; "
                              "border-radius: 4px; color: #ffe7a3; }",
                    "spoof": "QLabel#spoof { color: #ffb74d; font-weight: bold; }",
                    "shared": "QWidget#shared_row { background: #1f3352; border-radius: 4px; }"
                              " QLabel { color: #dce8ff; }"}
        return {"banner": "QLabel#banner { background: #fff4d6; padding: 6px; "
                          "border-radius: 4px; color: #4a3a00; }",
                "spoof": "QLabel#spoof { color: #8a4f00; font-weight: bold; }",
                "shared": "QWidget#shared_row { background: #e8f0fe; border-radius: 4px; }"
                          " QLabel { color: #1a2a4a; }"}

    def _apply_colours(self) -> None:
        colours = self._colours()
        self.banner.setStyleSheet(colours["banner"])
        self.spoof_label.setStyleSheet(colours["spoof"])
        for row in self.shared_box.findChildren(QWidget, "shared_row"):
            row.setStyleSheet(colours["shared"])

    def changeEvent(self, event: QEvent) -> None:
        """The theme switched (Settings ▸ Appearance applies at once): recolour."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "spoof_label"):
            self._apply_colours()

    # -- layout -------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = plain_label(wrap=True)
        self.banner.setObjectName("banner")
        self.banner.hide()
        self.shared_box = QWidget()
        self.shared_layout = QVBoxLayout(self.shared_box)
        self.shared_layout.setContentsMargins(0, 0, 0, 0)
        self.shared_box.hide()

        # header: photo and name
        header = QHBoxLayout()
        self.photo = plain_label()  # initials of an untrusted name: never rich text
        self.photo.setFixedSize(96, 96)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # palette colours: the placeholder follows a dark theme
        self.photo.setStyleSheet("QLabel { background: palette(alternate-base); "
                                 "border: 1px solid palette(mid); border-radius: 8px; "
                                 "color: palette(placeholder-text); font-size: 28px; }")
        photo_buttons = QVBoxLayout()
        self.set_photo_button = QPushButton("Set photo…")
        self.clear_photo_button = QPushButton("Remove photo")
        self.set_photo_button.clicked.connect(self.choose_photo)
        self.clear_photo_button.clicked.connect(self.remove_photo)
        photo_buttons.addWidget(self.set_photo_button)
        photo_buttons.addWidget(self.clear_photo_button)
        photo_buttons.addStretch()
        self.title_label = plain_label(wrap=True, selectable=True)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subtitle_label = plain_label(wrap=True, selectable=True)
        # a name holding invisible or direction-changing characters says so (issue 12)
        self.spoof_label = plain_label(wrap=True)
        self.spoof_label.setObjectName("spoof")
        self.spoof_label.hide()
        names = QVBoxLayout()
        names.addWidget(self.title_label)
        names.addWidget(self.spoof_label)
        names.addWidget(self.subtitle_label)
        names.addStretch()
        header.addWidget(self.photo)
        header.addLayout(photo_buttons)
        header.addLayout(names, 1)

        # the form
        self.fn_edit = QLineEdit()
        self.fn_edit.setPlaceholderText("Shown as (built from the name parts when empty)")
        (self.prefix_edit, self.given_edit, self.additional_edit, self.family_edit,
         self.suffix_edit, self.nickname_edit, self.phonetic_given_edit,
         self.phonetic_family_edit, self.org_edit, self.department_edit,
         self.title_edit) = (QLineEdit() for _ in range(11))
        self.given_edit.setObjectName("given")
        self.family_edit.setObjectName("family")
        name_box = QGroupBox("Name")
        name_form = QFormLayout(name_box)
        for label, edit in (("Given name", self.given_edit), ("Family name", self.family_edit),
                            ("Middle name", self.additional_edit), ("Prefix", self.prefix_edit),
                            ("Suffix", self.suffix_edit), ("Shown as", self.fn_edit),
                            ("Nickname", self.nickname_edit),
                            ("Phonetic given", self.phonetic_given_edit),
                            ("Phonetic family", self.phonetic_family_edit)):
            name_form.addRow(label, edit)
        work_box = QGroupBox("Work")
        work_form = QFormLayout(work_box)
        work_form.addRow("Organization", self.org_edit)
        work_form.addRow("Department", self.department_edit)
        work_form.addRow("Title", self.title_edit)

        self.phones = TypedListEditor("phone", PHONE_KINDS, "+1 555 0100")
        self.emails = TypedListEditor("email", EMAIL_KINDS, "name@example.com")
        self.urls = TypedListEditor("website", URL_KINDS, "https://…")
        self.impps = TypedListEditor("handle", IM_KINDS, "user name or address")
        self.addresses = AddressEditor()
        reach_box = QGroupBox("Phones, emails, websites and handles")
        reach_form = QFormLayout(reach_box)
        reach_form.addRow("Phones", self.phones)
        reach_form.addRow("Emails", self.emails)
        reach_form.addRow("Websites", self.urls)
        reach_form.addRow("IM / social", self.impps)
        reach_form.addRow("Addresses", self.addresses)

        self.birthday_edit, self.anniversary_edit = PartialDateEdit(), PartialDateEdit()
        self.tags_edit = TagsEdit()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMinimumHeight(70)
        more_box = QGroupBox("Dates, tags and notes")
        more_form = QFormLayout(more_box)
        more_form.addRow("Birthday", self.birthday_edit)
        more_form.addRow("Anniversary", self.anniversary_edit)
        more_form.addRow("Tags", self.tags_edit)
        more_form.addRow("Notes", self.note_edit)

        # networking
        self.circle_combo = QComboBox()
        for label, value in CIRCLE_CHOICES:
            self.circle_combo.addItem(label, value)
        self.rhythm_spin = QSpinBox()
        self.rhythm_spin.setRange(1, 3650)
        self.rhythm_spin.setSuffix(" days")
        rhythm_row = QHBoxLayout()
        rhythm_row.addWidget(self.circle_combo)
        rhythm_row.addWidget(self.rhythm_spin)
        rhythm_row.addStretch()
        self.circle_combo.currentIndexChanged.connect(self._circle_changed)
        self.met_on_edit, self.follow_up_edit = DateEdit(), DateEdit()
        self.met_where_edit = QLineEdit()
        self.met_where_edit.setPlaceholderText("Where, or the occasion: a flight to Berlin…")
        self.introduced_by_edit = QLineEdit()
        self.introduced_by_edit.setPlaceholderText("Name of the contact who introduced you")
        self.does_edit, self.needs_edit, self.offers_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.does_edit.setPlaceholderText("What they do, what they're working on")
        self.needs_edit.setPlaceholderText("What they need: a designer, investors…")
        self.offers_edit.setPlaceholderText("What you can offer them")
        self.follow_up_note_edit = QLineEdit()
        self.follow_up_note_edit.setPlaceholderText("promised an intro to Ana…")
        self.network_summary = plain_label(wrap=True)
        net_box = QGroupBox("Keeping in touch")
        net_form = QFormLayout(net_box)
        net_form.addRow("Rhythm", rhythm_row)
        net_form.addRow("", self.network_summary)
        net_form.addRow("Met on", self.met_on_edit)
        net_form.addRow("Met where", self.met_where_edit)
        net_form.addRow("Introduced by", self.introduced_by_edit)
        net_form.addRow("Does", self.does_edit)
        net_form.addRow("Needs", self.needs_edit)
        net_form.addRow("I can offer", self.offers_edit)
        net_form.addRow("Follow up on", self.follow_up_edit)
        net_form.addRow("Follow-up note", self.follow_up_note_edit)

        # the log
        log_box = QGroupBox("Interactions")
        log_layout = QVBoxLayout(log_box)
        self.log_model = InteractionModel(self)
        self.log_view = QTableView()
        self.log_view.setModel(self.log_model)
        self.log_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.log_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_view.verticalHeader().hide()
        self.log_view.setWordWrap(False)  # one line a touch; the full note is in Edit…
        self.log_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column in range(3):
            self.log_view.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        self.log_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.log_view.setMinimumHeight(120)
        self.log_view.doubleClicked.connect(lambda _i: self.edit_interaction())
        log_buttons = QHBoxLayout()
        self.log_button = QPushButton("Log interaction…")
        self.edit_log_button = QPushButton("Edit…")
        self.delete_log_button = QPushButton("Delete")
        self.log_button.clicked.connect(self.add_interaction)
        self.edit_log_button.clicked.connect(self.edit_interaction)
        self.delete_log_button.clicked.connect(self.delete_interaction)
        for b in (self.log_button, self.edit_log_button, self.delete_log_button):
            log_buttons.addWidget(b)
        log_buttons.addStretch()
        log_layout.addLayout(log_buttons)
        log_layout.addWidget(self.log_view)

        self.card_view = CardView()
        self.card_view.edit_requested.connect(self.start_editing)
        self.edit_form = QWidget()
        self.edit_form.setObjectName("edit_form")
        form_layout = QVBoxLayout(self.edit_form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        for box in (name_box, work_box, reach_box, more_box, net_box):
            form_layout.addWidget(box)
        self._edit_boxes = {"name": name_box, "work": work_box, "reach": reach_box,
                            "more": more_box, "network": net_box}
        self.edit_form.hide()
        # sections other widgets add (relationships…), between the card and the log
        self.sections = QVBoxLayout()
        self.sections.setContentsMargins(0, 0, 0, 0)

        body = QWidget()
        body.setObjectName("detail_body")
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(header)
        body_layout.addWidget(self.banner)
        body_layout.addWidget(self.shared_box)
        body_layout.addWidget(self.card_view)
        body_layout.addWidget(self.edit_form)
        body_layout.addLayout(self.sections)
        body_layout.addWidget(log_box)
        body_layout.addStretch()
        self.body = body
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what it holds
        self.scroll_area = scroll

        bar = QHBoxLayout()
        self.edit_button = QPushButton("Edit")
        self.edit_button.setObjectName("edit_button")
        self.edit_button.setToolTip("Edit this contact (Ctrl+E, or double-click a field)")
        self.edit_button.clicked.connect(lambda: self.start_editing())
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("Revert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        bar.addStretch()
        bar.addWidget(self.edit_button)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        outer.addWidget(scroll, 1)
        outer.addLayout(bar)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        for edit in self.findChildren(QLineEdit):
            edit.textEdited.connect(self._mark_dirty)
        self._fn_joined = ""  # the name parts joined, while "Shown as" follows them
        for edit in self._name_part_edits():
            edit.textEdited.connect(self._name_part_edited)
        self.note_edit.textChanged.connect(self._mark_dirty)
        for editor in (self.phones, self.emails, self.urls, self.impps, self.addresses):
            editor.changed.connect(self._mark_dirty)
            editor.rows_changed.connect(self._rows_changed)
        self.circle_combo.currentIndexChanged.connect(self._mark_dirty)
        self.rhythm_spin.valueChanged.connect(self._mark_dirty)

    # -- state --------------------------------------------------------------
    @property
    def contact_id(self) -> int | None:
        return self.record.id if self.record else None

    def is_dirty(self) -> bool:
        return self._dirty

    def _mark_dirty(self, *_args) -> None:
        if self._loading or self.card is None:
            return
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        if dirty and not self.editing:  # a change typed in (or pasted) is an edit
            self.set_editing(True)
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(self.record is not None)

    # -- reading and editing ------------------------------------------------------
    def set_editing(self, editing: bool) -> None:
        """The form (editing) or the card (reading); the buttons follow."""
        self.editing = editing
        self.card_view.setVisible(not editing)
        self.edit_form.setVisible(editing)
        self.edit_button.setVisible(not editing and self.card is not None)
        self.save_button.setVisible(editing)
        self.revert_button.setVisible(editing)
        for button in (self.set_photo_button, self.clear_photo_button):
            button.setVisible(editing)
        self.editing_changed.emit(editing)

    def start_editing(self, field: str = "") -> None:
        """Edit mode, with the keyboard in the field asked for (double-click, Ctrl+E)."""
        if self.card is None:
            return
        if not self.editing:
            self.set_editing(True)
        target = {"phones": self.phones, "emails": self.emails, "websites": self.urls,
                  "handles": self.impps, "addresses": self.addresses,
                  "dates": self.birthday_edit, "tags": self.tags_edit, "note": self.note_edit,
                  "network": self.circle_combo, "name": self.given_edit}.get(field,
                                                                             self.given_edit)
        focus = target
        if isinstance(target, TypedListEditor | AddressEditor):
            focus = target.rows[0][2] if isinstance(target, TypedListEditor) and target.rows \
                else target.add_button
        focus.setFocus()
        # once the form, just shown, is laid out: before that its fields have no place
        QTimer.singleShot(0, self, lambda: self._show_field(focus))

    def _show_field(self, field: QWidget) -> None:
        if shiboken6.isValid(field) and field.isVisible():
            self.scroll_area.ensureWidgetVisible(field)

    def _rows_changed(self) -> None:
        if self.editing:  # reading, the form isn't in the chain (set_editing re-chains)
            self.tab_chain_changed.emit()

    def focus_card(self) -> None:
        """The keyboard onto the card: its first action (a phone), else the Edit button."""
        first = self.card_view.first_action() if not self.editing else None
        if first is not None:
            first.setFocus()
        elif self.editing:
            self.given_edit.setFocus()
        else:
            self.edit_button.setFocus()

    def tab_chain(self) -> list[QWidget]:
        """The pane's stops for Tab, in reading order (the window links them): the
        card or the whole form with each phone's row, the sections, the log, then the
        buttons under it. `tab_chain_changed` says when rows came or went."""
        skip = self.card_view if self.editing else self.edit_form
        layout = self.layout()
        assert layout is not None
        return focus_stops(layout, skip)

    def add_section(self, widget: QWidget) -> None:
        """A section of another feature under the card (relationships…); it redraws
        itself from the `changed`/`apply_changes` flow and `contact_id`."""
        self.sections.addWidget(widget)

    def _scroll_to_top(self) -> None:
        self.scroll_area.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        """Nothing selected."""
        self.record = None
        self.card = None
        self._fill(Card(), None)
        self.setEnabled(False)
        self._set_dirty(False)
        self.set_editing(False)

    def load(self, contact_id: int) -> None:
        """Show a contact from the store (the caller has asked about unsaved edits)."""
        try:
            record = self.store.get_contact(contact_id)
        except StoreError:
            self.clear()
            return
        self.record = record
        self.card = record.card
        self.setEnabled(True)
        self._fill(record.card, record)
        self._set_dirty(False)
        self.set_editing(False)
        self._scroll_to_top()
        QTimer.singleShot(0, self._scroll_to_top)  # once the card's new rows are laid out

    def new_contact(self) -> None:
        self.record = None
        self.card = Card.new()
        self.setEnabled(True)
        self._fill(self.card, None)
        self.title_label.setText("New contact")
        self._set_dirty(True)
        self.set_editing(True)
        self._scroll_to_top()
        self.given_edit.setFocus()

    def revert(self) -> None:
        """Drop the edits and go back to the card."""
        if self.record is not None:
            self.load(self.record.id)
        else:
            self.clear()

    def _fill(self, card: Card, record: ContactRecord | None) -> None:
        self._loading = True
        try:
            self.banner.hide()
            self._show_shared([])
            self.photo_change = None
            parts = card.name_parts
            self.fn_edit.setText(card.formatted_name)
            self._fn_joined = parts.joined()
            for edit, value in ((self.prefix_edit, parts.prefix), (self.given_edit, parts.given),
                                (self.additional_edit, parts.additional),
                                (self.family_edit, parts.family), (self.suffix_edit, parts.suffix),
                                (self.nickname_edit, card.nickname),
                                (self.phonetic_given_edit, card.phonetic.given),
                                (self.phonetic_family_edit, card.phonetic.family),
                                (self.org_edit, card.organization),
                                (self.department_edit, card.department),
                                (self.title_edit, card.title)):
                edit.setText(value)
            self.phones.set_values(card.phones)
            self.emails.set_values(card.emails)
            self.urls.set_values(card.urls)
            self.impps.set_values(card.handles())
            self.addresses.set_values(card.addresses)
            self.birthday_edit.set_value(card.birthday)
            self.anniversary_edit.set_value(card.anniversary)
            self.tags_edit.set_tags(card.categories)
            self.tags_edit.set_known_tags(self.store.all_tags() if self.card is not None else [])
            self.note_edit.setPlainText(card.note)
            self._show_photo(card.photo_bytes)
            self._fill_network(record)
            self._refresh_header()
            self.contact_shown.emit(record.id if record is not None else None)
            self._show_card(card, record)
        finally:
            self._loading = False

    def _fill_network(self, record: ContactRecord | None) -> None:
        circle = record.circle if record else None
        days = record.rhythm_days if record else None
        if circle:
            self.circle_combo.setCurrentIndex(self.circle_combo.findData(circle))
        elif days:
            self.circle_combo.setCurrentIndex(self.circle_combo.findData("custom"))
        else:
            self.circle_combo.setCurrentIndex(0)
        self.rhythm_spin.setValue(days or 30)
        self._circle_changed()
        self.met_on_edit.set_value(record.met_on if record else None)
        self.met_where_edit.setText(record.met_where if record else "")
        self.introduced_by_edit.setText(record.introduced_by_name if record else "")
        self.does_edit.setText(record.does if record else "")
        self.needs_edit.setText(record.needs if record else "")
        self.offers_edit.setText(record.offers if record else "")
        self.follow_up_edit.set_value(record.follow_up if record else None)
        self.follow_up_note_edit.setText(record.follow_up_note if record else "")
        rows = networking.interactions(self.store, record.id) if record else []
        self.log_model.set_rows(rows)
        for b in (self.log_button, self.edit_log_button, self.delete_log_button):
            b.setEnabled(record is not None)
        self._show_summary(record, rows)

    def _show_summary(self, record: ContactRecord | None,
                      rows: list[networking.InteractionRow]) -> None:
        self.network_summary.setText(
            service.keeping_in_touch(record, rows, self.today()) if record is not None
            else "Save the contact to log interactions with them.")
        if record is not None:  # the card's summary follows a touch logged
            self.card_view.network_summary.setText(self.network_summary.text())

    def _show_card(self, card: Card, record: ContactRecord | None) -> None:
        network: list[tuple[str, str]] = []
        if record is not None:
            days = (settings.circle_days(self.store)[record.circle] if record.circle
                    else record.rhythm_days)
            if rhythm := rhythm_phrase(record.circle, days):
                network.append(("Rhythm", rhythm))
            met = " · ".join(p for p in (long_date(record.met_on) if record.met_on else "",
                                         record.met_where) if p)
            for label, text in (("How we met", met),
                                ("Introduced by", record.introduced_by_name),
                                ("Does", record.does), ("Needs", record.needs),
                                ("I can offer", record.offers)):
                if text:
                    network.append((label, text))
            if record.follow_up or record.follow_up_note:
                when = long_date(record.follow_up, weekday=True) if record.follow_up else ""
                network.append(("Follow up", " · ".join(p for p in (when,
                                                                     record.follow_up_note)
                                                         if p)))
        summary = self.network_summary.text() if record is not None else ""
        self.card_view.show_contact(card, summary, network)

    def _circle_changed(self) -> None:
        value = self.circle_combo.currentData()
        self.rhythm_spin.setVisible(value == "custom")
        if value in networking.CIRCLES:
            days = settings.circle_days(self.store)[value]
            self.circle_combo.setToolTip(f"every {days} days")

    def _refresh_header(self) -> None:
        card = self.card or Card()
        name = card.display_name if self.card is not None else ""
        name = "" if name == "(no name)" else name
        self.title_label.setText(isolate(name))
        sub = " · ".join(isolate(p) for p in (card.title, card.organization) if p)
        self.subtitle_label.setText(sub)
        warning = spoof_warning(" ".join((name, card.title, card.organization)))
        self.spoof_label.setText(warning)
        self.spoof_label.setVisible(bool(warning))

    def _show_photo(self, data: bytes | None) -> None:
        image = QImage.fromData(data) if data else QImage()
        if image.isNull():
            self.photo.setPixmap(QPixmap())
            initials = "".join(w[0] for w in (self.card.display_name.split()[:2]
                                                if self.card else []) if w)
            self.photo.setText(initials.upper())
        else:
            self.photo.setText("")
            self.photo.setPixmap(QPixmap.fromImage(image).scaled(
                96, 96, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        self.clear_photo_button.setEnabled(not image.isNull())

    # -- photo ----------------------------------------------------------------
    def choose_photo_file(self) -> str:
        """The file dialog (tests replace this)."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a photo", str(Path.home()),
            "Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.tif *.tiff);;All files (*)")
        return path

    def choose_photo(self) -> None:
        path = self.choose_photo_file()
        if path:
            self.set_photo_from_file(Path(path))

    def set_photo_from_file(self, path: Path) -> bool:
        try:
            size = path.stat().st_size
            if size > MAX_PHOTO_FILE:
                raise PhotoError(f"the file is {size // (1024 * 1024)} MB; choose one under "
                                 f"{MAX_PHOTO_FILE // (1024 * 1024)} MB")
            data, mime = photo_from_file_bytes(path.read_bytes())
        except (PhotoError, OSError) as exc:
            self.show_message(f"{path.name} can't be used as a photo: {exc}")
            return False
        self.photo_change = (data, mime)
        self._show_photo(data)
        self._set_dirty(True)
        return True

    def remove_photo(self) -> None:
        self.photo_change = (None, "")
        self._show_photo(None)
        self._set_dirty(True)

    def show_message(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def _name_part_edits(self) -> tuple[QLineEdit, ...]:
        return (self.prefix_edit, self.given_edit, self.additional_edit, self.family_edit,
                self.suffix_edit)

    def _typed_name_parts(self) -> NameParts:
        return NameParts(family=self.family_edit.text().strip(),
                         given=self.given_edit.text().strip(),
                         additional=self.additional_edit.text().strip(),
                         prefix=self.prefix_edit.text().strip(),
                         suffix=self.suffix_edit.text().strip())

    def _name_part_edited(self) -> None:
        """"Shown as" follows the name being typed while it is the parts joined, so a new
        family name shows there before Save (as `Card.rename` saves it)."""
        if self.fn_edit.text().strip() == self._fn_joined:
            self._fn_joined = self._typed_name_parts().joined()
            self.fn_edit.setText(self._fn_joined)

    # -- saving ---------------------------------------------------------------
    def edited_card(self, onto: Card | None = None) -> Card:
        """The loaded card with what the user changed applied (and nothing else); with
        `onto`, those changes applied to that card instead (the version saved elsewhere
        meanwhile, whose other changes stay)."""
        assert self.card is not None
        loaded = self.card
        card = (onto or loaded).copy()
        parts = self._typed_name_parts()
        if parts != loaded.name_parts:
            card.rename(parts)  # an automatic "Shown as" follows the new name
        fn = self.fn_edit.text().strip()
        if fn != loaded.formatted_name or not fn:  # "Shown as" typed by the user
            card.set_text("FN", fn or parts.joined())
        if self.nickname_edit.text().strip() != loaded.nickname:
            card.set_text("NICKNAME", self.nickname_edit.text().strip())
        phonetic = NameParts(family=self.phonetic_family_edit.text().strip(),
                             given=self.phonetic_given_edit.text().strip(),
                             additional=loaded.phonetic.additional)
        if phonetic != loaded.phonetic:
            card.set_phonetic(phonetic)
        org, dept = self.org_edit.text().strip(), self.department_edit.text().strip()
        if (org, dept) != (loaded.organization, loaded.department):
            card.set_organization(org, dept)
        if self.title_edit.text().strip() != loaded.title:
            card.set_text("TITLE", self.title_edit.text().strip())
        for name, editor, current in (("TEL", self.phones, loaded.phones),
                                      ("EMAIL", self.emails, loaded.emails),
                                      ("URL", self.urls, loaded.urls)):
            values = editor.values()
            if values != current:
                card.set_typed(name, values)
        handles = self.impps.values()
        if handles != loaded.handles():
            card.set_handles(handles)
        addresses = self.addresses.values()
        if addresses != loaded.addresses:
            card.set_addresses(addresses)
        birthday = self.birthday_edit.value()
        if birthday != loaded.birthday:
            card.set_date("BDAY", birthday)
        anniversary = self.anniversary_edit.value()
        if anniversary != loaded.anniversary:
            card.remove("X-ANNIVERSARY")
            card.set_date("ANNIVERSARY", anniversary)
        tags = self.tags_edit.tags()
        if tags != loaded.categories:
            card.set_categories(tags)
        note = self.note_edit.toPlainText()
        if note != loaded.note:
            card.remove("NOTE")
            card.set_text("NOTE", note)
        if self.photo_change is not None:
            data, mime = self.photo_change
            card.set_photo(data, mime)
        return card

    def network_fields(self) -> dict:
        """The form's networking fields in `operations.save_contact`'s words."""
        value = self.circle_combo.currentData()
        return {
            "circle": value if value in networking.CIRCLES else None,
            "rhythm_days": self.rhythm_spin.value() if value == "custom" else None,
            "met_on": self.met_on_edit.value(), "met_where": self.met_where_edit.text().strip(),
            "introduced_by_name": self.introduced_by_edit.text().strip(),
            "does": self.does_edit.text().strip(),
            "needs": self.needs_edit.text().strip(), "offers": self.offers_edit.text().strip(),
            "follow_up": self.follow_up_edit.value(),
            "follow_up_note": self.follow_up_note_edit.text().strip(),
        }

    def save(self) -> bool:
        """Write the card and networking fields together; False (and a message) if not."""
        if self.card is None:
            return True
        if not self._dirty and self.record is not None:  # nothing to write (nor to undo)
            self.set_editing(False)
            return True
        try:
            card = self.edited_card()
        except ValueError as exc:
            self.show_message(str(exc))
            return False
        return self._write(card)

    def _write(self, card: Card, onto: int | None = None) -> bool:
        """Save `card` and the form's networking fields (`onto`: the revision the edit
        was applied to, the user having chosen it over a change made elsewhere)."""
        try:
            result = operations.save_edit(
                self.store, card, contact_id=self.contact_id,
                revision=self.record.revision if self.record else None,
                fields=self.network_fields(), loaded=self.record, onto=onto)
        except ConflictError as exc:
            return self._resolve_conflict(str(exc))
        except (StoreError, ValueError) as exc:
            self.show_message(str(exc))
            return False
        changes = result.changes
        cid = self.contact_id if self.contact_id is not None else min(changes.added)
        self.load(cid)
        self._show_shared(self.store.shared_keys(card, exclude_id=cid))
        self.saved.emit(cid)
        self.changed.emit(changes)
        if result.undo is not None and self.record is not None:
            self.undoable.emit(f"Edit of {isolate(self.record.name)}", result.undo)
        return True

    def apply_changes(self, changes: Changes, origin: object | None = None) -> None:
        """Redraw after an operation run elsewhere (the week panel, an import, Delete).

        Unsaved edits are never overwritten: only the log part follows then.
        """
        cid = self.contact_id
        if origin is self or cid is None or not changes.touches(cid):
            return
        if cid in changes.removed:
            self.clear()
        elif not self.is_dirty():
            self.load(cid)
        elif changes.interactions:
            self._reload_log()

    def _resolve_conflict(self, message: str) -> bool:
        """The contact changed elsewhere in what this edit writes: apply the edit to the
        new version (the other changes stay, the edit's own fields win), reload (the
        edit is dropped), or keep editing."""
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Changed elsewhere")
        box.setText(message + "\n\nApply your changes to the new version (what you changed "
                    "here wins, the rest of theirs stays), reload it (your edits here are "
                    "dropped), or keep editing?")
        apply_button = box.addButton("Apply my changes", QMessageBox.ButtonRole.AcceptRole)
        reload_button = box.addButton("Reload", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(apply_button)
        box.exec()
        if self.record is None:
            return False
        if box.clickedButton() is reload_button:
            self.load(self.record.id)
        elif box.clickedButton() is apply_button:
            try:
                fresh = self.store.get_contact(self.record.id)
                card = self.edited_card(onto=fresh.card)
            except (StoreError, ValueError) as exc:  # deleted meanwhile, or a bad field
                self.show_message(str(exc))
                return False
            return self._write(card, onto=fresh.revision)
        return False

    def _show_shared(self, shared: list[SharedKey]) -> None:
        while self.shared_layout.count():
            item = self.shared_layout.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for key in shared[:3]:
            row = QWidget()
            layout = QHBoxLayout(row)
            layout.setContentsMargins(6, 2, 6, 2)
            row.setObjectName("shared_row")
            row.setStyleSheet(self._colours()["shared"])
            layout.addWidget(plain_label(f"{isolate(key.name)} also has {isolate(key.value)}",
                                         wrap=True), 1)
            button = QPushButton("Open")
            button.clicked.connect(lambda _c=False, cid=key.contact_id: self.open_contact.emit(cid))
            layout.addWidget(button)
            self.shared_layout.addWidget(row)
        self.shared_box.setVisible(bool(shared))

    # -- the interaction log -------------------------------------------------
    def add_interaction(self) -> QDialog | None:
        """Log interaction… (Ctrl+L): the quick log form, non-blocking. As with the week
        panel's Done, it asks what happens to an open promise (kept, or not yet) and can
        set a new follow-up, all in the one transaction of the log; a refusal (a busy or
        full disk) is said in the form, which keeps what was typed."""
        from .log_dialog import QuickLogDialog

        if self.record is None:
            return None
        record = self.record
        promise = ((record.follow_up, record.follow_up_note)
                   if record.follow_up is not None else None)
        dialog = QuickLogDialog(
            self, record.name, today=self.today, follow_ups=True, promise=promise,
            # a promise due by now was probably what this touch was about; one for later
            # stays on its day unless the user says it is kept
            promise_kept=promise is not None and promise[0] <= self.today(),
            save=lambda values: self._logged(operations.log_interaction(
                self.store, record.id, **values)))
        return self._open_log_dialog(dialog)

    def _open_log_dialog(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.log_dialog = dialog
        return dialog

    def _logged(self, changes: Changes) -> None:
        """A log form's OK went through: the log, the summary and (the form left alone)
        the follow-up it may have cleared or moved follow."""
        if self.is_dirty() or self.record is None:
            self._after_log_change(changes)
            return
        try:
            fresh = self.store.get_contact(self.record.id)
        except StoreError:  # deleted elsewhere meanwhile
            self._after_log_change(changes)
            return
        self.record = fresh
        self._loading = True
        try:
            self._fill_network(fresh)
            self._show_card(self.card or fresh.card, fresh)
        finally:
            self._loading = False
        self.changed.emit(changes)

    def _selected_interaction(self) -> networking.InteractionRow | None:
        rows = self.log_view.selectionModel().selectedRows()
        return self.log_model.rows[rows[0].row()] if rows else None

    def edit_interaction(self) -> QDialog | None:
        """Edit… on a logged touch: the same form, filled in (non-blocking; a refusal is
        said in the form, which stays open)."""
        from .log_dialog import QuickLogDialog

        row = self._selected_interaction()
        if row is None or self.record is None:
            return None
        dialog = QuickLogDialog(
            self, self.record.name, today=self.today, kind=row.kind, exchange=row.exchange,
            gift=row.gift, note=row.note, on=row.on,
            save=lambda values: self._logged(operations.update_interaction(
                self.store, row.id, **values)))
        return self._open_log_dialog(dialog)

    def delete_interaction(self) -> None:
        """Delete the selected touch at once; Ctrl+Z puts it back (`undoable`)."""
        row = self._selected_interaction()
        if row is None or self.record is None:
            return
        try:
            changes = operations.delete_interaction(self.store, row.id)
        except StoreError as exc:
            self.show_message(str(exc))
            return
        self._after_log_change(changes)
        store = self.store
        self.undoable.emit(f"Delete of the {row.kind} on {long_date(row.on)}",
                           lambda: operations.undelete_interaction(store, row))

    def _after_log_change(self, changes: Changes) -> None:
        self._reload_log()
        self.changed.emit(changes)

    def _reload_log(self) -> None:
        """Reload only the log part: unsaved edits in the form stay as they are."""
        assert self.record is not None
        try:
            fresh = self.store.get_contact(self.record.id)
        except StoreError:  # deleted elsewhere meanwhile
            return
        # never the fresh revision: the save compares with what the form was filled from
        self.record.last_contacted = fresh.last_contacted
        rows = networking.interactions(self.store, self.record.id)
        self.log_model.set_rows(rows)
        self._show_summary(self.record, rows)
