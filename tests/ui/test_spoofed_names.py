"""Spoofed names on screen (issue 12, 7): a right-to-left override showed
"Evil\u202eexe.txt" as "Eviltxt.exe" and could flip what follows it; a name's direction
characters now stay inside the name (bidi isolates), and ordinary names are untouched."""

from __future__ import annotations

from helpers import make_card
from PySide6.QtCore import Qt

from netbook.ui.contact_model import NAME, ORGANIZATION, ContactTableModel
from netbook.ui.text import spoof_warning

FSI, PDI = "\u2068", "\u2069"


def test_list_rows_isolate_names_that_change_direction(qtbot, qtmodeltester, store):
    card = make_card("Evil\u202eexe.txt", org="\u202eCorp")
    store.add_contact(card)
    store.add_contact(make_card("Ada Lovelace", org="Analytical Engines"))
    model = ContactTableModel(store)
    model.reload()
    qtmodeltester.check(model)
    shown = {model.data(model.index(r, NAME), Qt.ItemDataRole.DisplayRole):
             model.data(model.index(r, ORGANIZATION), Qt.ItemDataRole.DisplayRole)
             for r in range(model.rowCount())}
    assert shown == {"Ada Lovelace": "Analytical Engines",
                     f"{FSI}Evil\u202eexe.txt{PDI}": f"{FSI}\u202eCorp{PDI}"}


def test_the_warning_names_what_a_name_hides():
    assert spoof_warning("Ada Lovelace") == ""
    assert "right-to-left override" in spoof_warning("Evil\u202eexe.txt")
    assert "zero width space" in spoof_warning("A\u200bda")
