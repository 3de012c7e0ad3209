"""The connector in the window: relating two people in the card, the map, who can help,
and an introduction in two clicks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import make_card
from PySide6.QtCore import QSettings, Qt, QUrl

from netbook.data import networking, relations
from netbook.data.changes import Changes
from netbook.data.models import Contact, Interaction
from netbook.ui.connector_dialogs import HelperModel, IntroduceDialog, WhoCanHelpDialog
from netbook.ui.main_window import MainWindow
from netbook.ui.relationships import RelatedModel

TODAY = dt.date.today()


@pytest.fixture
def window(qtbot, store, tmp_path: Path):
    settings = QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)
    win = MainWindow(store, today=lambda: TODAY, settings=settings)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.detail._set_dirty(False)
    win.close()
    win.deleteLater()


def person(store, name: str, email: str = "", **fields) -> int:
    cid = store.add_contact(make_card(name, emails=[email] if email else []))
    if fields:
        networking.set_networking(store, cid, **fields)
    return cid


def test_relating_two_people_in_the_detail_pane_then_the_map(qtbot, window, store):
    mia = person(store, "Mia Chen")
    ravi = person(store, "Ravi Patel")
    window.operation_did_execute(Changes.all())
    window.select_contact(mia)
    section = window.relationships
    assert section.contact_id == mia and section.empty_label.isVisible()
    section.type_box.setCurrentIndex(section.type_box.findData("colleague"))
    qtbot.keyClicks(section.other_edit, "Ravi")
    qtbot.mouseClick(section.relate_button, Qt.MouseButton.LeftButton)
    assert [(r.name, r.type) for r in relations.related(store, ravi)] == [("Mia Chen",
                                                                           "colleague")]
    assert section.model.rowCount() == 1
    assert section.model.data(section.model.index(0, 0)) == "Colleague: Ravi Patel"
    # a link: one click opens the other person
    rect = section.view.visualRect(section.model.index(0, 0))
    qtbot.mouseClick(section.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.contact_id == ravi
    assert section.model.data(section.model.index(0, 0)) == "Colleague: Mia Chen"

    # the map of Ravi's circle: both of them, one line; a click on Mia opens her
    dialog = window.open_network_map(ravi)
    qtbot.waitUntil(lambda: dialog.network is not None, timeout=10_000)
    assert {n.name for n in dialog.network.nodes} == {"Mia Chen", "Ravi Patel"}
    assert len(dialog.network.links) == 1
    dot = dialog.view.nodes[mia]
    qtbot.waitUntil(lambda: dialog.view.isVisible())
    at = dialog.view.mapFromScene(dot.scenePos())
    qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert window.detail.contact_id == mia
    dialog.close()


def test_a_bad_relation_is_said_in_the_section_and_nothing_is_saved(qtbot, window, store):
    tom = person(store, "Tom Berg")
    window.operation_did_execute(Changes.all())
    window.select_contact(tom)
    section = window.relationships
    qtbot.keyClicks(section.other_edit, "Nobody")
    qtbot.mouseClick(section.relate_button, Qt.MouseButton.LeftButton)
    assert section.error_label.isVisible() and "no contact matches" in section.error_label.text()
    assert relations.related(store, tom) == []


def test_who_can_help_lists_work_matches_and_introduces_in_two_clicks(qtbot, store,
                                                                      qtmodeltester):
    mia = person(store, "Mia Chen", "mia@studio.example", does="web design")
    omar = person(store, "Omar Haddad", "omar@example.org", needs="a web designer")
    dialog = WhoCanHelpDialog(store, None, "a web designer")
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 1
    assert dialog.model.data(dialog.model.index(0, 0)) == "Mia Chen — does web design"

    opened: list[QUrl] = []
    intro = IntroduceDialog(store, omar, None, open_url=lambda url: opened.append(url) or True)
    qtbot.addWidget(intro)
    # the suggestion is already picked: Omar needs what Mia does
    assert intro.other_id == mia and intro.draft is not None
    assert intro.to_label.text() == "omar@example.org, mia@studio.example"
    qtbot.mouseClick(intro.mail_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0].scheme() == "mailto"
    assert {r.contact_id for r in Interaction.select()} == {mia, omar}
    assert Contact.get_by_id(omar).follow_up == TODAY + dt.timedelta(days=7)


def test_the_related_model_passes_the_model_tester(qtbot, store, qtmodeltester):
    mia, ravi = person(store, "Mia Chen"), person(store, "Ravi Patel")
    relations.relate(store, mia, ravi, "friend")
    model = RelatedModel()
    model.set_rows(relations.related(store, mia))
    qtmodeltester.check(model)
    assert HelperModel().rowCount() == 0


def test_first_asking_the_one_who_would_help_needs_only_their_email(qtbot, store):
    """Omar has no email: writing to both is refused in words, asking Mia first works,
    and is logged as an email to Mia with a follow-up to hear back, not as a gift."""
    mia = person(store, "Mia Chen", "mia@studio.example", does="web design")
    omar = person(store, "Omar Haddad", needs="a web designer")
    opened: list[QUrl] = []
    intro = IntroduceDialog(store, omar, None, open_url=lambda url: opened.append(url) or True)
    qtbot.addWidget(intro)
    intro.show()
    assert not intro.mail_button.isEnabled()
    assert intro.error_label.text().startswith("Omar Haddad has no email address")
    qtbot.mouseClick(intro.ask_radio, Qt.MouseButton.LeftButton)
    assert intro.ask_radio.isChecked() and intro.mail_button.isEnabled()
    assert intro.to_label.text() == "mia@studio.example"
    qtbot.mouseClick(intro.mail_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0].toString().startswith("mailto:mia@studio.example?")
    logged = [(r.contact_id, r.kind, r.exchange, r.gift, r.note) for r in Interaction.select()]
    assert logged == [(mia, "email", "", "", "Asked about an introduction to Omar Haddad")]
    m = Contact.get_by_id(mia)
    assert (m.follow_up, m.follow_up_note) == (TODAY + dt.timedelta(days=7),
                                               "hear back about meeting Omar Haddad")
    assert Contact.get_by_id(omar).follow_up is None


def test_who_can_help_introduces_to_someone_picked_not_the_card_on_show(qtbot, window, store):
    """Henry is open in the card; the need typed is not his: Introduce… on Mia asks whom
    to introduce her to instead of pairing her with Henry."""
    mia = person(store, "Mia Chen", "mia@studio.example", does="web design")
    henry = person(store, "Henry Adams", "henry@example.org", needs="a tax adviser")
    window.model.reload()
    window.select_contact(henry)
    assert window.detail.contact_id == henry
    helping = window.who_can_help("a web designer")
    qtbot.addWidget(helping)
    assert helping.view.currentIndex().data() == "Mia Chen — does web design"
    qtbot.mouseClick(helping.introduce_button, Qt.MouseButton.LeftButton)
    [intro] = [d for d in window.findChildren(IntroduceDialog) if d.isVisible()]
    assert intro.contact_id == mia and intro.other_id is None
    assert intro.draft is None and not intro.mail_button.isEnabled()
    assert intro.error_label.text() == "Pick the person to introduce them to."
    intro.reject()


def test_typing_a_relations_name_offers_the_first_twenty_found(qtbot, window, store):
    """A short text finds much of a big book: the first twenty, in the list's order,
    never the contact themselves."""
    anas = [person(store, f"Ana Person{n:02d}") for n in range(30)]
    window.operation_did_execute(Changes.all())
    window.select_contact(anas[0])
    section = window.relationships
    qtbot.keyClicks(section.other_edit, "Ana")
    assert section.names.stringList() == [f"Ana Person{n:02d}" for n in range(1, 20)]


def test_the_map_shows_the_last_part_of_the_network_chosen(qtbot, store):
    """Switching from one person's circle to the whole book and back before the first
    layout is done: the map ends on the circle, whichever layout finished last."""
    from netbook.ui.network_map import NetworkMapDialog

    mia, ravi = person(store, "Mia Chen"), person(store, "Ravi Patel")
    relations.relate(store, mia, ravi, "friend")
    for n in range(6):
        relations.relate(store, person(store, f"Ola Other{n}"), person(store, f"Pia Other{n}"),
                         "friend")
    dialog = NetworkMapDialog(store, None, center=mia, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.scope_box.setCurrentIndex(dialog.scope_box.findData("book"))
    dialog.scope_box.setCurrentIndex(dialog.scope_box.findData("around"))
    qtbot.waitUntil(lambda: dialog.network is not None and dialog.status_label.text()
                    != "Laying out…", timeout=10_000)
    qtbot.wait(200)  # any older layout has finished by now, and was not drawn
    assert {n.contact_id for n in dialog.network.nodes} == {mia, ravi}
