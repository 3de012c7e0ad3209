"""Untrusted text in labels, tooltips and message boxes shows exactly as typed."""

from __future__ import annotations

from helpers import make_card, when_asked
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox

from netbook.ui.tags_dialog import TagsDialog
from netbook.ui.text import plain_label, plain_tooltip, plain_warning


def test_a_warning_shows_a_name_with_html_literally(qtbot, monkeypatch):
    shown = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append((box.textFormat(), box.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    plain_warning(None, "Log this week", "Nothing was logged: <b>Bob</b> <img src=/dev/zero>")
    assert shown == [(Qt.TextFormat.PlainText,
                      "Nothing was logged: <b>Bob</b> <img src=/dev/zero>")]


def test_labels_and_tooltips_never_render_markup(qtbot):
    label = plain_label("<b>Bob</b>")
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert "&lt;b&gt;Bob&lt;/b&gt;" in plain_tooltip("<b>Bob</b>")


def test_renaming_an_imported_tag_quotes_it_literally(qtbot, store):
    store.add_contact(make_card("Ana Lima", tags=["<b>work</b>"]))
    dialog = TagsDialog(None, store)
    qtbot.addWidget(dialog)
    asked = []

    def answer(box: QInputDialog) -> None:
        asked.extend((label.textFormat(), label.text()) for label in box.findChildren(QLabel))
        box.setTextValue("work")
        box.accept()

    when_asked(QInputDialog, answer)
    assert dialog.ask_name("<b>work</b>") == "work"
    assert asked == [(Qt.TextFormat.PlainText, "New name for “<b>work</b>”:")]
