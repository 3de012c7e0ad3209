"""The contact as a card you read and act on (KAddressBook's and GNOME Contacts' view).

Every phone, email, address, website and handle is one row: its label in words, the
value, and Copy. Activating the value (click, Enter or Space) hands a URL to the
desktop (`QDesktopServices.openUrl`): `tel:` for a phone — the dialler or a phone-link
app —, `mailto:` for an email, a map search for an address, the browser for a website.
Values come from imported cards, so every label is plain text (never rich text) and a
website only opens when it is http(s). A long value is elided at its end, so an email
shows its start; the whole value is in the tooltip and the accessible name.

Double-clicking a row asks the detail pane to edit (`edit_requested`, with the field);
a click acts only once the double-click interval has passed without a second one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, QUrl, QUrlQuery, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..data.vcard.card import Address, Card, TypedValue, display_label
from ..plan.wording import partial_date
from .editors import ADDRESS_KINDS, EMAIL_KINDS, IM_KINDS, PHONE_KINDS, URL_KINDS, kind_text
from .text import plain_label, plain_tooltip

__all__ = ["ActionLabel", "CardView", "address_url", "email_url", "phone_url", "website_url"]

_DIAL = re.compile(r"[^\d+*#,;pw]")
_SCHEMES = {"http", "https"}
_HANDLE_SCHEMES = {"xmpp", "sip", "sips", "skype", "tel", "mailto", "https", "http", "im",
                   "aim", "ymsgr", "msnim", "facetime", "callto"}
MAP_SEARCH = "https://www.openstreetmap.org/search"


def phone_url(number: str) -> QUrl:
    """`tel:+15550100` — what a dialler or a phone-link app answers (RFC 3966)."""
    return QUrl("tel:" + _DIAL.sub("", number))


def email_url(address: str) -> QUrl:
    """`mailto:` the address and nothing more: a card's value is untrusted, and one
    like "ana@example.org?attach=/etc/passwd&cc=…" must not hand the mail client an
    attachment or a copy (KMail, Evolution honoured attach=). As the URL's path, its
    "?" and "#" are percent-encoded: part of the address, never a query."""
    url = QUrl()
    url.setScheme("mailto")
    url.setPath(" ".join(address.split()), QUrl.ParsingMode.DecodedMode)
    return url


def address_url(address: Address) -> QUrl:
    """A map search for the address (the desktop's browser shows it)."""
    url = QUrl(MAP_SEARCH)
    query = QUrlQuery()
    query.addQueryItem("query", address.one_line())
    url.setQuery(query)
    return url


def website_url(text: str) -> QUrl | None:
    """The web address to open, http(s) only: "example.org" → https://example.org;
    `javascript:`, `file:` and the like are never opened."""
    text = text.strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    if not url.isValid() or url.scheme().lower() not in _SCHEMES or not url.host():
        return None
    return url


def handle_url(text: str) -> QUrl | None:
    """An IM or social handle that is itself a URL (xmpp:ana@…, https://…), else None."""
    scheme, sep, _rest = text.strip().partition(":")
    if not sep or scheme.lower() not in _HANDLE_SCHEMES:
        return None
    if scheme.lower() in _SCHEMES:
        return website_url(text)
    url = QUrl(text.strip())
    return url if url.isValid() else None


def words(kind: str) -> str:
    """"home fax" → "Home fax" (a kind as the card's row label)."""
    kind = kind.strip()
    return kind[:1].upper() + kind[1:] if kind else ""


class ActionLabel(QLabel):
    """A value that acts: plain text, elided at its end, focusable, activated by a click,
    Enter or Space (a link look without rich text, which untrusted text must never be)."""

    double_clicked = Signal()
    copy_requested = Signal()  # Ctrl+C, or Copy in its context menu

    def __init__(self, text: str, url: QUrl | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.full_text = " ".join(text.split())
        self.url = url
        self._click = QTimer(self)  # a click waits for a double-click that may follow
        self._click.setSingleShot(True)
        self._click.timeout.connect(self.activate)
        self._after_double_click = False
        self.setToolTip(plain_tooltip(text))
        self.setAccessibleName(self.full_text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setContentsMargins(4, 1, 4, 1)  # room for the focus ring around the text
        self.setObjectName("card_value")
        if url is not None:
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            font = self.font()
            font.setUnderline(True)
            self.setFont(font)
            self.setForegroundRole(QPalette.ColorRole.Link)
            self.setAccessibleDescription(f"Opens {url.scheme()}: press Enter")
        else:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setText(self.full_text)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self.full_text) + 8, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("mmmmmm…"),
                     super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.contentsRect().width(), 10)
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                              width)
        if shown != self.text():
            super().setText(shown)

    def activate(self) -> None:
        if self.url is not None:
            QDesktopServices.openUrl(self.url)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.url is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                                    Qt.Key.Key_Space):
            self.activate()
            return
        if event.matches(QKeySequence.StandardKey.Copy):  # the keyboard copies too
            self.copy_requested.emit()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Copy, and Open for a value that acts (the keyboard's Menu key opens it too)."""
        menu = QMenu(self)
        menu.addAction("&Copy", self.copy_requested.emit)
        if self.url is not None:
            menu.addAction(f"&Open ({self.url.scheme()}:)", self.activate)
        menu.exec(event.globalPos())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click acts once it can't be the first half of a double-click (which edits):
        double-clicking a phone to edit it must not also dial it."""
        super().mouseReleaseEvent(event)
        if self._after_double_click:  # the release that ends a double-click
            self._after_double_click = False
            return
        if (event.button() == Qt.MouseButton.LeftButton and self.url is not None
                and self.rect().contains(event.position().toPoint())):
            self._click.start(QGuiApplication.styleHints().mouseDoubleClickInterval())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._click.stop()
        self._after_double_click = True
        self.double_clicked.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The text, and where the keyboard is: a QLabel paints no focus of its own."""
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight))
            pen.setWidthF(1.5)
            painter.setPen(pen)
            margins = self.contentsMargins()
            width = min(self.width(), self.fontMetrics().horizontalAdvance(self.text())
                        + margins.left() + margins.right() + 2)  # around the text
            ring = QRectF(0, 0, width, self.height()).adjusted(0.75, 0.75, -0.75, -0.75)
            painter.drawRoundedRect(ring, 3, 3)


class _DimLabel(QLabel):
    double_clicked = Signal()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.double_clicked.emit()


class CardView(QWidget):
    """The read view: the card's ways to reach someone, its dates and notes, and the
    networking summary. `show_contact` fills it; it holds no store."""

    edit_requested = Signal(str)  # the field double-clicked: "phones", "emails", "name"…
    copied = Signal(str)  # what went to the clipboard, for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card_view")
        self.rows: list[tuple[str, QLabel, ActionLabel, QToolButton | None]] = []
        self._grids: dict[str, QGridLayout] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        self.reach = self._section("card_reach")
        self.details = self._section("card_details")
        self.network_title = plain_label("Keeping in touch", self)
        font = self.network_title.font()
        font.setBold(True)
        self.network_title.setFont(font)
        self.network_summary = plain_label("", self, wrap=True)
        self.network_summary.setObjectName("network_summary")
        self.network_summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.network = self._section("card_network")
        self._layout.addWidget(self.reach)
        self._layout.addWidget(self.details)
        self._layout.addWidget(self.network_title)
        self._layout.addWidget(self.network_summary)
        self._layout.addWidget(self.network)
        self.empty_label = plain_label("No phone, email or address yet — Edit (Ctrl+E) to add "
                                       "one.", self, wrap=True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._layout.insertWidget(0, self.empty_label)

    def _section(self, name: str) -> QWidget:
        box = QWidget(self)
        box.setObjectName(name)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(0, 80)
        self._grids[name] = grid
        return box

    def _grid(self, box: QWidget) -> QGridLayout:
        return self._grids[box.objectName()]

    # -- filling --------------------------------------------------------------
    def clear(self) -> None:
        for box in (self.reach, self.details, self.network):
            grid = self._grid(box)
            while grid.count():
                item = grid.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.deleteLater()
        self.rows = []

    def show_contact(self, card: Card, summary: str = "",
                     network: list[tuple[str, str]] | None = None) -> None:
        """Show `card`; `summary` and `network` (label, text) are the networking part."""
        self.clear()
        for value in card.phones:
            self._typed_row("phones", value, PHONE_KINDS, "Phone", phone_url(value.value))
        for value in card.emails:
            self._typed_row("emails", value, EMAIL_KINDS, "Email", email_url(value.value))
        for value in card.urls:
            self._typed_row("websites", value, URL_KINDS, "Website", website_url(value.value))
        for value in card.impps:
            self._typed_row("handles", value, IM_KINDS, "Handle", handle_url(value.value))
        for address in card.addresses:
            label = words(kind_text(address, ADDRESS_KINDS)) or "Address"
            self._add(self.reach, "addresses", f"{label} address" if label != "Address"
                      else label, address.one_line(), address_url(address), copy=True)
        self.empty_label.setVisible(not self._grid(self.reach).count())
        if card.nickname:
            self._add(self.details, "name", "Nickname", card.nickname)
        for label, when in (("Birthday", card.birthday), ("Anniversary", card.anniversary)):
            if when:  # as the window says every date: "21 Oct 1992", "21 Oct"
                self._add(self.details, "dates", label,
                          partial_date(when.month, when.day, when.year))
        if card.categories:
            self._add(self.details, "tags", "Tags", ", ".join(card.categories))
        if card.note.strip():
            self._note(card.note)
        self.network_summary.setText(summary)
        self.network_summary.setVisible(bool(summary))
        for label, text in network or []:
            self._add(self.network, "network", label, text)
        self.network_title.setVisible(bool(summary or network))

    def _typed_row(self, field: str, value: TypedValue, kinds: Mapping[str, tuple[str, ...]],
                   noun: str, url: QUrl | None) -> None:
        label = display_label(value.label) if value.label else words(kind_text(value, kinds))
        self._add(self.reach, field, label or noun, value.value, url, copy=True,
                  pref=value.pref)

    def _add(self, box: QWidget, field: str, label: str, text: str, url: QUrl | None = None,
             *, copy: bool = False, pref: bool = False) -> ActionLabel:
        grid = self._grid(box)
        row = grid.rowCount() if grid.count() else 0
        kind = _DimLabel(box)
        kind.setTextFormat(Qt.TextFormat.PlainText)
        kind.setText(label + (" ★" if pref else ""))
        kind.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        kind.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        kind.setToolTip(plain_tooltip("preferred") if pref else "")
        value = ActionLabel(text, url, box)
        button = None
        grid.addWidget(kind, row, 0)
        grid.addWidget(value, row, 1)
        if copy:
            button = QToolButton(box)
            button.setText("Copy")
            button.setAutoRaise(True)
            # the label may be the card's own (X-ABLabel): a tooltip would take it for HTML
            button.setToolTip(plain_tooltip(f"Copy this {label.lower()} value"))
            button.setAccessibleName(f"Copy {text}")
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes value to value
            button.clicked.connect(lambda _c=False, t=text: self.copy(t))
            value.copy_requested.connect(lambda t=text: self.copy(t))
            grid.addWidget(button, row, 2)
        for widget in (kind, value):
            widget.double_clicked.connect(lambda f=field: self.edit_requested.emit(f))
        self.rows.append((field, kind, value, button))
        return value

    def _note(self, note: str) -> None:
        grid = self._grid(self.details)
        row = grid.rowCount() if grid.count() else 0
        kind = _DimLabel(self.details)
        kind.setTextFormat(Qt.TextFormat.PlainText)
        kind.setText("Notes")
        kind.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        kind.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        text = plain_label(note.strip(), self.details, wrap=True, selectable=True)
        text.setObjectName("card_note")
        text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        grid.addWidget(kind, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        grid.addWidget(text, row, 1, 1, 2, Qt.AlignmentFlag.AlignTop)
        kind.double_clicked.connect(lambda: self.edit_requested.emit("note"))

    def copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(text)

    # -- finding rows (tests, the keyboard) -----------------------------------------
    def values(self, field: str) -> list[ActionLabel]:
        return [value for f, _kind, value, _b in self.rows if f == field]

    def labels(self, field: str) -> list[str]:
        return [kind.text() for f, kind, _v, _b in self.rows if f == field]

    def first_action(self) -> ActionLabel | None:
        """Where the keyboard lands on the card: its first value that acts."""
        return next((v for _f, _k, v, _b in self.rows if v.url is not None), None)
