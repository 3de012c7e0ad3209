"""Help ▸ Keyboard Shortcuts and Guide (F1): every key, and how netbook is meant to be used."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

__all__ = ["GUIDE", "SHORTCUTS", "HelpDialog"]

SHORTCUTS = [
    ("Ctrl+F", "Search (type a name, a company, part of a number)"),
    ("↓ ↑ Page Down/Up in the search", "Move through the list"),
    ("Enter", "Open the contact: the keyboard goes to its card"),
    ("Tab", "Search → list → card → networking panel"),
    ("Enter or Space on a phone, email, address, website", "Call, mail, map, open"),
    ("Ctrl+E, or double-click a field", "Edit the contact"),
    ("Ctrl+S", "Save the edit"),
    ("Ctrl+Z", "Undo the last delete, saved edit or merge"),
    ("Ctrl+N", "New contact"),
    ("Delete (in the list)", "Move the selected contacts to the trash"),
    ("Ctrl+T", "Tag the selected contacts"),
    ("Ctrl+L", "Log an interaction with the contact shown"),
    ("D / S / K / O in the networking panel", "Done, Remind me on… (snooze), Not this "
                                              "week (skip), Open — on the row with the "
                                              "keyboard"),
    ("F9", "Show or hide the networking panel"),
    ("Ctrl+I / Ctrl+Shift+E", "Import / export vCards"),
    ("Ctrl+P", "Print this week's call list"),
    ("F5", "Sync now"),
    ("Ctrl+,", "Settings"),
    ("F1", "This help"),
]

GUIDE = [
    "netbook is an address book that keeps your network alive: set a weekly block "
    "(Settings ▸ Weekly block), give the people you want to keep close a rhythm (a circle), "
    "and each week the panel lists who to reach, why now and what to talk about.",
    "Open a contact to read their card: click a phone to call (your dialler or phone-link "
    "app), an email to write, an address to see it on a map. Edit (Ctrl+E) changes it.",
    "After a call, press Done on the panel's row (or D) and note what you gave or asked; "
    "Remind me on… (S) or Not this week (K) moves someone on.",
    "Edit ▸ Find Duplicates… finds the same person entered twice and merges them field by "
    "field; Edit ▸ Manage Tags… renames, merges and deletes tags. Select several contacts "
    "to tag, set a rhythm, export or delete them together.",
    "File ▸ Export… writes the whole book (or the list as filtered); tick “leave out my "
    "private notes” for a file you can give to someone.",
]


def help_html() -> str:
    """Our own fixed text (no contact data), so rich text is safe here."""
    rows = "".join(f"<tr><td style='padding:2px 14px 2px 0'><b>{k}</b></td><td>{v}</td></tr>"
                   for k, v in SHORTCUTS)
    guide = "".join(f"<p>{p}</p>" for p in GUIDE)
    return f"<h3>Keyboard shortcuts</h3><table>{rows}</table><h3>A short guide</h3>{guide}"


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("netbook — keys and a short guide")
        self.resize(640, 620)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        self.text.setHtml(help_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
