"""Untrusted text in Qt: labels and tooltips guess "rich text" unless told otherwise, and
a name's direction characters must stay inside the name (`isolate`, UAX #9 isolates)."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ..data.text import hidden_characters, isolate, needs_isolating

__all__ = ["ask_plain_text", "button_text", "hidden_characters", "isolate", "isolate_names",
           "plain_label", "plain_tooltip", "plain_warning", "spoof_warning"]


def isolate_names(text: str, names: Iterable[str]) -> str:
    """`text` with each of `names` in it kept inside its own direction: a sentence built
    around names from cards ("Lars Andersen (investor) could help Иван Петров …") can't be
    reordered by one of them, as the list rows and the printed sheet can't."""
    wanted: set[str] = set()
    for name in names:
        for form in (name, " ".join(name.split())):  # the sentence may have tidied it
            if form and needs_isolating(form):
                wanted.add(form)
    for name in sorted(wanted, key=len, reverse=True):
        text = text.replace(name, isolate(name))
    return text


def button_text(text: str) -> str:
    """Untrusted text on a button or a radio: "&" shown as itself, never a shortcut
    ("Tom & Jerry" would underline the J and take Alt+J)."""
    return text.replace("&", "&&")


def spoof_warning(name: str) -> str:
    """The visible mark for a name holding invisible or direction-changing characters
    ("" for an ordinary name): a spoofed "Evil\u202eexe.txt" or a second "Ada" that
    only looks like the first."""
    found = hidden_characters(name)
    if not found:
        return ""
    listed = ", ".join(n.lower() for n in found[:3]) + (" …" if len(found) > 3 else "")
    return f"⚠ This name holds characters you can't see ({listed})"


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False,
                selectable: bool = False) -> QLabel:
    """A QLabel that never renders HTML: `<b>Bob</b>` shows its tags."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def plain_tooltip(text: str) -> str:
    """Tooltip markup that shows `text` literally (tooltips have no plain-text switch)."""
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def plain_warning(parent: QWidget | None, title: str, text: str) -> None:
    """QMessageBox.warning, but the text is never taken for HTML (it may hold a contact's
    name, a file name or a server's message)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def ask_plain_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """QInputDialog.getText, but its question is never taken for HTML (it may quote a tag
    from an imported card); the answer stripped, None when cancelled or empty."""
    from PySide6.QtWidgets import QDialog, QInputDialog

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    for child in dialog.findChildren(QLabel):  # the question's label (AutoText otherwise)
        child.setTextFormat(Qt.TextFormat.PlainText)
    dialog.setTextValue(text)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue().strip() or None
