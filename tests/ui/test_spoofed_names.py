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


EVIL = "Evil\u202eexe.txt"
SHOWN = f"{FSI}{EVIL}{PDI}"


def test_every_newer_place_a_name_is_shown_keeps_it_isolated_and_plain(qtbot, store):
    """Who can help, Introduce…, the relationships, the network map and Find Duplicates
    show names from cards: each inside its own direction, and never read as HTML (tool
    tips guess rich text, so theirs are escaped)."""
    import datetime as dt

    from netbook.data import networking, operations
    from netbook.ui.connector_dialogs import IntroduceDialog, WhoCanHelpDialog
    from netbook.ui.duplicates_dialog import DuplicatesDialog
    from netbook.ui.network_map import NetworkMapDialog
    from netbook.ui.relationships import RelationshipsSection

    evil = store.add_contact(make_card(EVIL, emails=["evil@example.org"], org="<b>Org</b>"))
    networking.set_networking(store, evil, does="web design and brand identities")
    ana = store.add_contact(make_card("Ana Silva", emails=["ana@example.org"]))
    networking.set_networking(store, ana, needs="a web designer")
    store.add_contact(make_card(EVIL, emails=["evil@example.org"]))  # a duplicate
    operations.relate(store, ana, evil, "colleague")

    who = WhoCanHelpDialog(store, None, "a web designer")
    qtbot.addWidget(who)
    first = who.model.index(0, 0)
    assert who.model.data(first).startswith(f"{SHOWN} (<b>Org</b>) — does web design")
    assert who.model.data(first, Qt.ItemDataRole.ToolTipRole).startswith(
        "<p style='white-space:pre-wrap'>\u2068Evil\u202eexe.txt\u2069 (&lt;b&gt;Org")

    introduce = IntroduceDialog(store, evil, ana)
    qtbot.addWidget(introduce)
    assert SHOWN in [label.text() for label in introduce.findChildren(type(introduce.to_label))]

    section = RelationshipsSection(store)
    qtbot.addWidget(section)
    section.set_contact(ana)
    row = section.model.index(0, 0)
    assert section.model.data(row) == f"Colleague: {SHOWN}"
    assert "&lt;" not in section.model.data(row, Qt.ItemDataRole.ToolTipRole)
    assert SHOWN in section.model.data(row, Qt.ItemDataRole.ToolTipRole)

    network = NetworkMapDialog(store, None, center=ana, today=dt.date.today)
    qtbot.addWidget(network)
    qtbot.waitUntil(lambda: network.network is not None)
    dot = network.view.nodes[evil]
    assert dot.childItems()[0].text() == SHOWN
    assert network.scope_box.itemText(0) == "Around Ana Silva (two steps)"

    duplicates = DuplicatesDialog(None, store)
    qtbot.addWidget(duplicates)
    with qtbot.waitSignal(duplicates.searched):
        pass
    assert duplicates.groups.data(duplicates.groups.index(0, 0)) == f"{SHOWN}, {SHOWN}"
    assert duplicates.keep_combo.itemText(0).startswith(SHOWN)


def test_a_label_a_card_brings_is_plain_text_in_the_copy_buttons_tip(qtbot):
    """item1.X-ABLabel is the card's own word for a line: markup there is shown as the
    characters it is, never as an image or bold in the Copy button's tooltip."""
    from PySide6.QtWidgets import QToolButton

    from netbook.data.vcard.reader import parse_card_text
    from netbook.ui.card_view import CardView
    from netbook.ui.text import plain_tooltip

    card = parse_card_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\n"
                           "item1.TEL:+1 555 010 0001\r\n"
                           "item1.X-ABLabel:<img src=/x.png><b>Boss</b>\r\nEND:VCARD\r\n")
    view = CardView()
    qtbot.addWidget(view)
    view.show_contact(card)
    [button] = [b for b in view.findChildren(QToolButton) if b.text() == "Copy"]
    assert button.toolTip() == plain_tooltip("Copy this <img src=/x.png><b>boss</b> value")
    assert "&lt;img src=/x.png&gt;" in button.toolTip()


def test_the_import_preview_shows_a_spoofed_name_isolated_and_marked(qtbot, store, tmp_path,
                                                                     qtmodeltester):
    """The preview is where a file's "Evil\u202eexe.txt" is decided on: its name can't
    flip the row, and its status says the name hides something."""
    from netbook.data import importing
    from netbook.data.vcard.writer import card_to_bytes
    from netbook.ui.import_dialog import ImportPreviewModel, detail_text

    store.add_contact(make_card(EVIL, emails=["evil@example.org"]))
    path = tmp_path / "in.vcf"
    path.write_bytes(card_to_bytes(make_card(EVIL, emails=["evil@example.org"]))
                     + card_to_bytes(make_card("Ada Lovelace")))
    model = ImportPreviewModel(importing.plan_import(store, [path]))
    qtmodeltester.check(model)
    rows = {model.data(model.index(r, model.COL_NAME)): r for r in range(model.rowCount())}
    assert set(rows) == {SHOWN, "Ada Lovelace"}
    evil_row, ada_row = rows[SHOWN], rows["Ada Lovelace"]
    assert model.data(model.index(evil_row, model.COL_STATUS)).endswith("⚠")
    assert not model.data(model.index(ada_row, model.COL_STATUS)).endswith("⚠")
    assert model.data(model.index(evil_row, model.COL_MATCH)).startswith(SHOWN)
    detail = detail_text(model.plan.items[0] if model.plan.items[0].name == EVIL
                         else model.plan.items[1])
    assert detail.startswith(SHOWN) and "right-to-left override" in detail
