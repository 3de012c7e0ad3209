"""File ▸ Receive from Phone…: a QR code the phone's camera opens, the upload into the
usual import preview.

The server (data/receive.py) listens only while this dialog is open, on the one address
picked here, with a new secret address each time it starts. Its callbacks come from its
own threads; they cross into the GUI thread through a bridge of signals with queued
connections, and none arrives after the dialog closed (the server is stopped first).
Everything a phone says about itself (its address, its browser's name, a file name) is
shown as plain text.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QHideEvent, QImage, QPixmap
from PySide6.QtNetwork import QAbstractSocket, QNetworkInterface
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..data.receive import (
    MAX_UPLOAD_BYTES,
    NetworkAddress,
    ReceiveServer,
    Upload,
    Visitor,
    default_address,
    qr_matrix,
)
from .text import isolate, plain_label

__all__ = ["ReceiveDialog", "local_addresses", "qr_pixmap"]

QR_SIZE = 232  # pixels: a phone's camera reads it from arm's length
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
LOG_LINES = 200  # the newest lines of "who connected"; a scanner can't grow it forever


def local_addresses() -> list[NetworkAddress]:
    """This machine's IPv4 addresses on interfaces that are up (loopback included)."""
    found: list[NetworkAddress] = []
    flags = QNetworkInterface.InterfaceFlag
    for iface in QNetworkInterface.allInterfaces():
        if not (iface.flags() & flags.IsUp and iface.flags() & flags.IsRunning):
            continue
        for entry in iface.addressEntries():
            ip = entry.ip()
            if ip.protocol() == QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
                found.append(NetworkAddress(iface.humanReadableName() or iface.name(),
                                            ip.toString()))
    return found


def describe(address: NetworkAddress) -> str:
    """The combo's line for an address."""
    note = {"loopback": " (this computer only)", "link-local": " (link-local)",
            "public": " (not a private network)"}.get(address.kind, "")
    return f"{address.interface} — {address.address}{note}"


def qr_pixmap(text: str, size: int = QR_SIZE) -> QPixmap:
    """The QR code of `text`, black on white with its quiet zone, crisp at `size`."""
    rows = qr_matrix(text)
    n = len(rows) + 2 * QUIET_ZONE
    image = QImage(n, n, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    black = QColor("black").rgb()
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                image.setPixel(x + QUIET_ZONE, y + QUIET_ZONE, black)
    scale = max(size // n, 2)
    return QPixmap.fromImage(image.scaled(n * scale, n * scale,
                                          Qt.AspectRatioMode.IgnoreAspectRatio,
                                          Qt.TransformationMode.FastTransformation))


class _Bridge(QObject):
    """The server's callbacks as signals (emitted on its threads, delivered queued)."""

    connected = Signal(object)
    receiving = Signal(object, int)
    received = Signal(object)
    refused = Signal(object, str, str)


class ReceiveDialog(QDialog):
    """Shows the QR code and who connected; `received(upload)` once a vCard arrived, after
    which the dialog closes (and the server with it). The receiver owns the upload: it
    calls `upload.discard()` when the import has read it."""

    received = Signal(object)

    def __init__(self, parent: QWidget | None = None,
                 addresses: list[NetworkAddress] | None = None, *,
                 tmp_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Receive from Phone")
        self.server: ReceiveServer | None = None
        self._tmp_dir = tmp_dir
        self._closed = False
        self._seen: set[Visitor] = set()
        self._handed: list[Upload] = []  # arrived, not yet taken by the GUI thread
        self._handed_lock = threading.Lock()

        self.bridge = _Bridge(self)
        queued = Qt.ConnectionType.QueuedConnection
        self.bridge.connected.connect(self._connected, queued)
        self.bridge.receiving.connect(self._receiving, queued)
        self.bridge.received.connect(self._received, queued)
        self.bridge.refused.connect(self._refused, queued)

        self.intro = plain_label(
            "Send contacts from your phone over this network: point the phone's camera at "
            "the code and open the link, then choose the .vcf file its Contacts app "
            "exported. netbook shows what it will import before anything is written.",
            self, wrap=True)
        self.network_combo = QComboBox(self)
        self.network_combo.setAccessibleName("Network")
        self.addresses = local_addresses() if addresses is None else list(addresses)
        for address in self.addresses:
            self.network_combo.addItem(describe(address), address)
        chosen = default_address(self.addresses)
        if chosen is not None:
            self.network_combo.setCurrentIndex(self.addresses.index(chosen))

        self.qr_label = QLabel(self)
        self.qr_label.setAccessibleName("QR code of the address")
        self.qr_label.setFixedSize(QR_SIZE + 8, QR_SIZE + 8)
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address_label = plain_label("", self, wrap=True, selectable=True)
        self.address_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.address_label.setAccessibleName("Address")
        self.network_note = plain_label("", self, wrap=True)
        self.how_to = plain_label(
            "On the phone, export first:\n"
            "• Android: Contacts ▸ Export (or Fix & manage ▸ Export to file)\n"
            "• iPhone: Contacts ▸ select contacts ▸ Share ▸ Save to Files\n"
            f"Files up to {MAX_UPLOAD_BYTES // 1024**2} MB.", self, wrap=True)
        side = QVBoxLayout()
        side.addWidget(plain_label("Or type this address into the phone's browser:", self,
                                   wrap=True))
        side.addWidget(self.address_label)
        side.addWidget(self.network_note)
        side.addSpacing(8)
        side.addWidget(self.how_to)
        side.addStretch()
        middle = QHBoxLayout()
        middle.addWidget(self.qr_label, 0, Qt.AlignmentFlag.AlignTop)
        middle.addLayout(side, 1)

        self.status_label = plain_label("", self, wrap=True)
        self.status_label.setObjectName("receive_status")
        # two lines kept for it: a longer message never pushes over the code above
        self.status_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.log = QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setAccessibleName("Who connected")
        self.log.setMaximumBlockCount(LOG_LINES)
        self.log.setMinimumHeight(90)
        self.log.setPlaceholderText("Every phone that opens the address is listed here.")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Network:", self.network_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addLayout(middle)
        layout.addWidget(self.status_label)
        layout.addWidget(self.log, 1)
        layout.addWidget(self.buttons)
        self.resize(620, 0)

        self.network_combo.currentIndexChanged.connect(lambda _i: self.listen())
        self.listen()

    # -- the server -----------------------------------------------------------
    @property
    def address(self) -> NetworkAddress | None:
        data = self.network_combo.currentData()
        return data if isinstance(data, NetworkAddress) else None

    def listen(self) -> None:
        """(Re)start the server on the chosen address, with a new secret address."""
        self._stop_server()
        chosen = self.address
        if chosen is None:
            self._show_problem("This computer has no network address to listen on.")
            return
        bridge = self.bridge
        try:
            self.server = ReceiveServer(
                chosen.address, tmp_dir=self._tmp_dir,
                on_connected=bridge.connected.emit, on_receiving=bridge.receiving.emit,
                on_received=self._arrived, on_refused=bridge.refused.emit)
        except (OSError, ValueError) as exc:
            self._show_problem(f"netbook can't listen on {chosen.address}: "
                               f"{getattr(exc, 'strerror', None) or exc}")
            return
        self.qr_label.setPixmap(qr_pixmap(self.server.address))
        self.address_label.setText(self.server.address)
        self.network_note.setText(_network_note(chosen))
        self.status_label.setText(f"Waiting for your phone… netbook listens on "
                                  f"{chosen.address} only, until you close this window.")

    def _show_problem(self, text: str) -> None:
        self.qr_label.clear()
        self.address_label.setText("")
        self.network_note.setText("")
        self.status_label.setText(text)

    def _stop_server(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def _arrived(self, upload: Upload) -> None:
        """On the server's thread: note the upload (so a close can still delete it),
        then tell the GUI thread."""
        with self._handed_lock:
            self._handed.append(upload)
        self.bridge.received.emit(upload)

    # -- what the phone did (on the GUI thread) ---------------------------------
    def _note(self, text: str) -> None:
        self.log.appendPlainText(f"{dt.datetime.now():%H:%M:%S}  {text}")

    def _connected(self, visitor: Visitor) -> None:
        self.status_label.setText(f"Connected: {visitor}")
        if visitor not in self._seen:
            self._seen.add(visitor)
            self._note(f"connected: {visitor}")

    def _receiving(self, visitor: Visitor, size: int) -> None:
        self.status_label.setText(f"Receiving {_size(size)} from {visitor}…")
        self._note(f"{visitor.ip} is sending {_size(size)}")

    def _refused(self, visitor: Visitor, reason: str, message: str) -> None:
        self._note(message)
        if reason not in ("wrong address", "busy"):  # those are another phone's business
            self.status_label.setText(message)

    def _received(self, upload: Upload) -> None:
        with self._handed_lock:
            if upload not in self._handed:
                return  # the dialog closed first and deleted it
            self._handed.remove(upload)
        if self._closed:
            upload.discard()
            return
        name = isolate(upload.filename)  # the phone's words: kept inside their direction
        self._note(f"{upload.visitor.ip} sent “{name}”: {upload.cards:,} cards")
        self.status_label.setText(f"Received “{name}” from {upload.visitor.ip}.")
        self._stop_server()
        self.received.emit(upload)
        self.accept()

    # -- closing stops listening ----------------------------------------------
    def done(self, result: int) -> None:
        self._shut()
        super().done(result)

    def hideEvent(self, event: QHideEvent) -> None:
        if not event.spontaneous():  # minimised with its window: still open
            self._shut()
        super().hideEvent(event)

    def _shut(self) -> None:
        self._closed = True
        self._stop_server()
        with self._handed_lock:
            left, self._handed = self._handed, []
        for upload in left:
            upload.discard()


def _size(n: int) -> str:
    return f"{n / 1024**2:.1f} MB" if n >= 1024**2 else f"{max(n // 1024, 1)} KB"


def _network_note(address: NetworkAddress) -> str:
    if address.kind == "loopback":
        return "This address works only on this computer (for trying netbook out): " \
               "a phone can't reach it. Pick your Wi-Fi above."
    if address.kind == "public":
        return "⚠ This is not a private network address: anyone who learns the address " \
               "could reach it while this window is open."
    return "The phone must be on the same Wi-Fi. If it can't open the page, a firewall " \
           "may be blocking the port."
