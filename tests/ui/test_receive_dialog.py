"""File ▸ Receive from Phone…, driven as a user would, with httpx as the phone.

The dialog listens on loopback here (the phone and the desktop are this machine); the
QR code is read back with a real decoder, the way a phone's camera reads it.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import httpx
import pytest
import zxingcpp
from helpers import PHONE_BOUNDARY, phone_form, port_refuses
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from netbook.data.models import Contact
from netbook.data.receive import NetworkAddress
from netbook.ui.import_dialog import ImportPreviewDialog, ImportPreviewModel
from netbook.ui.main_window import MainWindow
from netbook.ui.receive_dialog import ReceiveDialog, local_addresses

LOOPBACK = NetworkAddress("lo", "127.0.0.1")


def vcard(name: str, phone: str) -> bytes:
    given_name, _, family = name.partition(" ")
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nN:{family};{given_name};;;\r\n"
            f"TEL;TYPE=CELL:{phone}\r\nEND:VCARD\r\n").encode()


PHONE_BOOK = vcard("Ann Phone", "+1 555 0101") + vcard("Bo Mobile", "+1 555 0102")


def upload(url: str, filename: str, data: bytes, agent: str = "Mozilla/5.0 (iPhone)"
           ) -> httpx.Response:
    return httpx.post(url, content=phone_form(filename, data), timeout=20, headers={
        "Content-Type": f"multipart/form-data; boundary={PHONE_BOUNDARY}",
        "User-Agent": agent})


def read_qr(label: QLabel) -> list[str]:
    image = label.pixmap().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    pil = Image.frombuffer("L", (image.width(), image.height()), bytes(image.constBits()),
                           "raw", "L", image.bytesPerLine(), 1)
    return [code.text for code in zxingcpp.read_barcodes(pil)]


@pytest.fixture
def dialog(qtbot, tmp_path):
    dlg = ReceiveDialog(None, [LOOPBACK], tmp_dir=tmp_path)
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    dlg.reject()


def test_the_qr_code_a_phone_reads_is_the_secret_address(dialog):
    server = dialog.server
    assert server is not None and server.host == "127.0.0.1"
    assert dialog.address_label.text() == server.address
    assert read_qr(dialog.qr_label) == [server.address]
    assert "Android" in dialog.how_to.text() and "Save to Files" in dialog.how_to.text()
    assert "only" in dialog.network_note.text()  # loopback: this computer only


def test_the_dialog_says_who_connected_in_plain_text(dialog, qtbot):
    agent = "<b>Mozilla</b>/5.0 (Linux; Android 14; Pixel 8)"
    assert httpx.get(dialog.server.address, headers={"User-Agent": agent}).status_code == 200
    qtbot.waitUntil(lambda: "Connected" in dialog.status_label.text())
    assert dialog.status_label.text() == f"Connected: 127.0.0.1 ({agent})"
    assert dialog.status_label.textFormat() == Qt.TextFormat.PlainText
    assert f"connected: 127.0.0.1 ({agent})" in dialog.log.toPlainText()


def test_a_vcard_upload_closes_the_dialog_and_stops_listening(dialog, qtbot):
    port = dialog.server.port
    with qtbot.waitSignal(dialog.received, timeout=10000) as got:
        assert upload(dialog.server.address, "Contacts.vcf", PHONE_BOOK).status_code == 200
    received = got.args[0]
    try:
        assert received.cards == 2 and received.path.read_bytes() == PHONE_BOOK
        assert not dialog.isVisible() and dialog.server is None
        assert port_refuses(port)
    finally:
        received.discard()


def test_an_upload_that_is_not_a_vcard_is_said_on_the_desktop(dialog, qtbot, tmp_path):
    answer = upload(dialog.server.address, "holiday.jpg", b"\xff\xd8\xff\xe0JFIF" * 50)
    assert answer.status_code == 415
    qtbot.waitUntil(lambda: "holiday.jpg" in dialog.status_label.text())
    text = dialog.status_label.text()
    assert "can't be imported" in text and "Nothing was imported" in text
    assert dialog.isVisible() and dialog.server is not None  # the phone can try again
    assert not any(tmp_path.iterdir())


def test_closing_the_dialog_stops_the_server(qtbot, tmp_path):
    dlg = ReceiveDialog(None, [LOOPBACK], tmp_dir=tmp_path)
    qtbot.addWidget(dlg)
    dlg.show()
    port, address = dlg.server.port, dlg.server.address
    assert httpx.get(address).status_code == 200
    qtbot.mouseClick(dlg.buttons.buttons()[0], Qt.MouseButton.LeftButton)  # Close
    assert not dlg.isVisible()
    assert port_refuses(port)


def test_a_phone_mid_upload_when_the_dialog_closes_leaves_nothing(qtbot, tmp_path):
    dlg = ReceiveDialog(None, [LOOPBACK], tmp_dir=tmp_path)
    qtbot.addWidget(dlg)
    dlg.show()
    body = (f"--{PHONE_BOUNDARY}\r\nContent-Disposition: form-data; name=\"vcf\"; "
            f"filename=\"a.vcf\"\r\n\r\n").encode() + PHONE_BOOK * 1000
    body += f"\r\n--{PHONE_BOUNDARY}--\r\n".encode()
    go = threading.Event()
    address = dlg.server.address

    def chunks():
        yield body[:200]
        go.wait(20)
        yield body[200:]

    def phone() -> None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(address, content=chunks(), timeout=20, headers={
                "Content-Type": f"multipart/form-data; boundary={PHONE_BOUNDARY}",
                "Content-Length": str(len(body))})

    thread = threading.Thread(target=phone, daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: "Receiving" in dlg.status_label.text())
    dlg.reject()
    go.set()
    thread.join(20)
    assert not any(tmp_path.iterdir())


def test_choosing_another_network_gives_a_new_address(qtbot, tmp_path):
    other = NetworkAddress("lo:2", "127.0.0.1")
    dlg = ReceiveDialog(None, [LOOPBACK, other], tmp_dir=tmp_path)
    qtbot.addWidget(dlg)
    first_port, first = dlg.server.port, dlg.server.address
    dlg.network_combo.setCurrentIndex(1)
    assert dlg.server.address != first and read_qr(dlg.qr_label) == [dlg.server.address]
    assert port_refuses(first_port)
    dlg.reject()


def test_an_address_this_machine_does_not_have_is_said_plainly(qtbot, tmp_path):
    absent = NetworkAddress("wlan9", "198.51.100.7")  # a documentation address: not ours
    dlg = ReceiveDialog(None, [absent], tmp_dir=tmp_path)
    qtbot.addWidget(dlg)
    assert dlg.server is None
    assert dlg.status_label.text().startswith("netbook can't listen on 198.51.100.7")
    assert dlg.qr_label.pixmap().isNull() and dlg.address_label.text() == ""


def test_the_machines_own_addresses_are_listed_loopback_among_them():
    found = local_addresses()
    assert NetworkAddress("lo", "127.0.0.1") in found or any(
        a.address == "127.0.0.1" for a in found)
    assert all(a.address.count(".") == 3 for a in found)  # IPv4 only


# -- from the menu to the preview -------------------------------------------------------


@pytest.fixture
def window(qtbot, store, tmp_path):
    settings = QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)
    win = MainWindow(store, settings=settings)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.deleteLater()


def test_receive_from_phone_opens_the_import_preview_with_the_phones_cards(window, qtbot,
                                                                         store):
    window.receive_action.trigger()
    dlg = window.receive_dialog
    assert isinstance(dlg, ReceiveDialog) and dlg.isVisible()
    loopback = next(i for i in range(dlg.network_combo.count())
                    if dlg.network_combo.itemData(i).address == "127.0.0.1")
    dlg.network_combo.setCurrentIndex(loopback)  # the phone is this machine, here
    assert dlg.server.host == "127.0.0.1"
    folder_of_upload: list[Path] = []
    dlg.received.connect(lambda u: folder_of_upload.append(u.path.parent))
    assert upload(dlg.server.address, "Contacts.vcf", PHONE_BOOK).status_code == 200
    qtbot.waitUntil(lambda: window.findChild(ImportPreviewDialog) is not None, timeout=10000)
    preview = window.findChild(ImportPreviewDialog)
    model = preview.model
    names = sorted(model.index(r, ImportPreviewModel.COL_NAME).data()
                   for r in range(model.rowCount()))
    assert names == ["Ann Phone", "Bo Mobile"]
    assert not folder_of_upload[0].exists()  # read into the plan: the file is gone
    assert window.receive_dialog is None  # closed, so no longer listening
    qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: Contact.select().count() == 2, timeout=10000)
    qtbot.waitUntil(lambda: "2 new" in window.statusBar().currentMessage(), timeout=10000)
    assert sorted(c.display_name for c in Contact.select()) == ["Ann Phone", "Bo Mobile"]
