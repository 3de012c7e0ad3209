"""Receive a vCard from a phone over the local network (File ▸ Receive from Phone…).

A small HTTP server (the standard library's, on a thread of its own) that listens on ONE
address the user picked, only while the window that started it is open. The phone opens
`http://ADDRESS:PORT/TOKEN` from a QR code and uploads the .vcf its Contacts app
exported through a plain self-contained HTML form; the file lands in a private folder
(0700, the file 0600) and is handed to whoever started the server, which puts it into
the usual import preview. Nothing here imports anything into the store.

What keeps it safe on a shared Wi-Fi:
- the address holds a random token (`secrets.token_urlsafe`, 144 bits); any other path,
  a wrong token, or a request for another host name gets the same small 404, decided
  by comparing fixed-length digests (no early exit on the first differing character)
  and before a byte of the body is read;
- one upload at a time: while one is in progress every other visitor gets a "busy"
  page; once a vCard has arrived the address is spent;
- at most MAX_UPLOAD_BYTES, counted as the body streams in (never held in memory);
- a stalled phone times out (IDLE_TIMEOUT per read, UPLOAD_DEADLINE in all), at most
  MAX_CONNECTIONS connections at once;
- pages carry no script and load nothing from anywhere (a Content-Security-Policy of
  `default-src 'none'` says so to the browser too); everything a phone sent (its file
  name) is escaped before it goes into a page;
- a file that isn't a vCard, an upload that breaks off or is too large: a clear page on
  the phone, a `refused` callback for the desktop, and its partial file deleted at once.

The callbacks run on the server's threads: a Qt caller forwards them through signals
with queued connections. After `stop()` returns none is called any more.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import ipaddress
import os
import re
import secrets
import shutil
import socket
import socketserver
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import segno

from .vcard.reader import CardError, ParsedCard, iter_vcards

__all__ = [
    "MAX_UPLOAD_BYTES",
    "NetworkAddress",
    "ReceiveServer",
    "Upload",
    "Visitor",
    "default_address",
    "qr_matrix",
]

MAX_UPLOAD_BYTES = 50 * 1024**2  # a phone's whole address book with photos fits easily
MULTIPART_SLACK = 64 * 1024  # the form's own bytes around the file (boundaries, headers)
MAX_CONNECTIONS = 8
IDLE_TIMEOUT = 30.0  # seconds a phone may go silent mid-request
UPLOAD_DEADLINE = 15 * 60.0  # 50 MB at 0.5 Mbit/s; after that the upload is cut off
LINGER_BYTES = 2 * (MAX_UPLOAD_BYTES + MULTIPART_SLACK)
LINGER_SECONDS = 60.0
CHUNK = 64 * 1024
MAX_PART_HEADERS = 16 * 1024
USER_AGENT_SHOWN = 200  # characters of a User-Agent the desktop shows

# -- addresses ------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkAddress:
    """One IPv4 address of this machine, as the user picks it ("wlan0", "192.168.1.5")."""

    interface: str
    address: str

    @property
    def kind(self) -> str:
        """loopback | private | link-local | public."""
        ip = ipaddress.IPv4Address(self.address)
        if ip.is_loopback:
            return "loopback"
        if ip.is_link_local:
            return "link-local"
        return "private" if ip.is_private else "public"


def default_address(addresses: list[NetworkAddress]) -> NetworkAddress | None:
    """The one to offer first: a private (home or office Wi-Fi) address, else loopback."""
    for kind in ("private", "link-local", "loopback"):
        for candidate in addresses:
            if candidate.kind == kind:
                return candidate
    return addresses[0] if addresses else None


def check_listen_address(host: str) -> ipaddress.IPv4Address:
    """One concrete IPv4 address of one interface: never 0.0.0.0 (every interface at
    once), a broadcast or multicast address."""
    try:
        ip = ipaddress.IPv4Address(host)
    except ValueError:
        raise ValueError(f"{host!r} is not an IPv4 address") from None
    if ip.is_unspecified or ip.is_multicast or ip == ipaddress.IPv4Address("255.255.255.255"):
        raise ValueError(f"{host} is not the address of one network interface")
    return ip


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code for `text` as rows of dark (True) modules, without the quiet zone."""
    code = segno.make(text, error="m", micro=False)
    return [[bool(v) for v in row] for row in code.matrix]


# -- what the callbacks are given -----------------------------------------------------


@dataclass(frozen=True)
class Visitor:
    """Who connected: the phone's address and what its browser calls itself."""

    ip: str
    user_agent: str

    def __str__(self) -> str:
        return f"{self.ip} ({self.user_agent})" if self.user_agent else self.ip


@dataclass
class Upload:
    """A vCard file that arrived: it sits in a private folder of its own until the
    import has read it; `discard()` deletes the folder."""

    visitor: Visitor
    path: Path
    filename: str  # as the phone named it (cleaned, for showing)
    size: int
    cards: int
    unreadable: int

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


Connected = Callable[[Visitor], None]
Receiving = Callable[[Visitor, int], None]  # an upload of about that many bytes began
Received = Callable[[Upload], None]
Refused = Callable[[Visitor, str, str], None]  # visitor, reason code, sentence for the desktop


# -- the pages -------------------------------------------------------------------------

STYLE = """
body{font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
background:#f4f5f7;color:#1c1e21}
main{max-width:34em;margin:0 auto;padding:1.2em}
h1{font-size:1.45em;margin:.3em 0 .6em}
.box{background:#fff;border-radius:12px;padding:1em 1.1em;margin:0 0 1em;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
.bad{border-left:5px solid #c62828}.good{border-left:5px solid #2e7d32}
input[type=file]{display:block;width:100%;margin:.4em 0 1em;font-size:1em}
button{font-size:1.05em;width:100%;padding:.8em;border:0;border-radius:10px;
background:#1a73e8;color:#fff}
h2{font-size:1.05em;margin:.2em 0 .4em}
small{color:#555}.box p:first-child{margin-top:0}.box p:last-child{margin-bottom:0}
"""

HOW_TO = """<div class="box"><h2>First, export your contacts</h2>
<p><b>Android:</b> open <b>Contacts</b> &#9656; menu &#9656; <b>Export</b>
(or <b>Fix &amp; manage</b> &#9656; <b>Export to file</b>) and save the .vcf file.</p>
<p><b>iPhone:</b> open <b>Contacts</b>, select the contacts (Lists &#9656; All Contacts,
or touch and hold one) &#9656; <b>Share</b> &#9656; <b>Save to Files</b>.</p></div>"""

FORM = f"""<form method="post" enctype="multipart/form-data" class="box">
<h2>Then send the file</h2>
<label for="vcf">The .vcf file:</label>
<input type="file" id="vcf" name="vcf" accept=".vcf,.vcard,text/vcard,text/x-vcard" required>
<button type="submit">Send to netbook</button>
<p><small>Up to {MAX_UPLOAD_BYTES // 1024**2} MB. The file goes straight to netbook on
your computer over this Wi-Fi, and nowhere else.</small></p></form>"""


def page(title: str, body: str) -> bytes:
    """A whole page: inline style, no script, nothing loaded from anywhere."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        "<link rel=\"icon\" href=\"data:,\">"
        f"<title>{html.escape(title)} — netbook</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>\n{body}\n</main></body></html>\n"
    ).encode()


def form_page() -> bytes:
    return page("Send contacts to netbook", HOW_TO + FORM)


def message_page(title: str, text: str, *, good: bool = False, again: bool = False) -> bytes:
    box = f'<div class="box {"good" if good else "bad"}"><p>{html.escape(text)}</p></div>'
    return page(title, box + (HOW_TO + FORM if again else ""))


NOT_FOUND = b"Not found\n"


# -- the multipart body, streamed -------------------------------------------------------


class Incomplete(Exception):
    """The phone stopped sending (closed, timed out, or netbook stopped listening)."""


class UploadTooLarge(Exception):
    """The file is larger than the limit (found while it streams in)."""


class BadForm(Exception):
    """A body that is not a multipart form like the one netbook's page sends."""


class RequestBody:
    """The request body: exactly `length` bytes from the socket, in chunks, on time."""

    def __init__(self, rfile, length: int, deadline: float) -> None:
        self.rfile = rfile
        self.left = length
        self.deadline = deadline

    def read(self) -> bytes:
        if self.left <= 0:
            return b""
        if time.monotonic() > self.deadline:
            raise Incomplete("took too long")
        try:
            data = self.rfile.read1(min(CHUNK, self.left))
        except (OSError, ValueError) as exc:  # a timeout, a reset, a socket we shut down
            raise Incomplete(str(exc) or type(exc).__name__) from None
        if not data:
            raise Incomplete("the connection closed")
        self.left -= len(data)
        return data


_PARAM = re.compile(r'(?:^|;)\s*([\w*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def _part_params(headers: bytes) -> tuple[dict[str, str], str]:
    """The Content-Disposition parameters of a part (name, filename) and its type."""
    params: dict[str, str] = {}
    ctype = ""
    for raw in headers.split(b"\r\n"):
        name, _, value = raw.decode("utf-8", "replace").partition(":")
        key = name.strip().lower()
        if key == "content-disposition":
            for pkey, pval in _PARAM.findall(value):
                if pval.startswith('"'):
                    pval = re.sub(r"\\(.)", r"\1", pval[1:-1])
                params[pkey.lower()] = pval.strip()
        elif key == "content-type":
            ctype = value.strip().lower()
    return params, ctype


def read_multipart_file(body: RequestBody, boundary: bytes, target: Path,
                        limit: int = MAX_UPLOAD_BYTES) -> str | None:
    """Stream the first file field of a multipart/form-data body into `target` (0600);
    return the file name the browser gave (None when no file was chosen). Other fields
    are read and dropped. Raises UploadTooLarge past `limit` bytes of file, BadForm for a
    body that isn't the form's, Incomplete when the phone stops sending."""
    delim = b"\r\n--" + boundary
    buf = bytearray(b"\r\n")  # so the first boundary looks like every later one
    filename: str | None = None

    def fill() -> None:
        data = body.read()
        if not data:
            raise BadForm("the form ends too early")
        buf.extend(data)

    def find(what: bytes, within: int) -> int:
        while (at := buf.find(what)) < 0:
            if len(buf) > within:
                raise BadForm("not the form netbook sent")
            fill()
        return at

    at = find(delim, MAX_PART_HEADERS)  # the preamble, normally empty
    while True:
        del buf[:at + len(delim)]
        while len(buf) < 2:
            fill()
        if buf[:2] == b"--":
            return filename  # the closing boundary; what follows is ignored
        eol = find(b"\r\n", 1024)  # transport padding, then the line end
        del buf[:eol + 2]
        while len(buf) < 2:
            fill()
        end = 0 if buf.startswith(b"\r\n") else find(b"\r\n\r\n", MAX_PART_HEADERS) + 2
        params, _ctype = _part_params(bytes(buf[:end]))
        del buf[:end + 2]
        is_file = "filename" in params and filename is None
        out = None
        if is_file and params["filename"]:
            filename = params["filename"]
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            out = os.fdopen(fd, "wb")
        written = 0
        try:
            keep = len(delim) - 1
            while (at := buf.find(delim)) < 0:
                if len(buf) > keep:
                    chunk = buf[:-keep]
                    written += len(chunk)
                    if out is not None:
                        if written > limit:
                            raise UploadTooLarge
                        out.write(chunk)
                    del buf[:-keep]
                fill()
            written += at
            if out is not None:
                if written > limit:
                    raise UploadTooLarge
                out.write(buf[:at])
        finally:
            if out is not None:
                out.close()


def clean_filename(name: str) -> str:
    """The last path part of a browser's file name, printable, at most 100 characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] not in "CZ" or c == " ")
    return name.strip()[:100] or "contacts.vcf"


def _safe_disk_name(name: str) -> str:
    stem = re.sub(r"[^\w.() -]+", "_", name).lstrip(". ") or "contacts"
    return stem if stem.lower().endswith((".vcf", ".vcard")) else stem + ".vcf"


def check_vcards(path: Path, filename: str) -> tuple[int, int, str | None]:
    """(cards read, cards unreadable, why the file is no vCard at all or None)."""
    cards = unreadable = 0
    problem: str | None = None
    with path.open("rb") as fh:
        for item in iter_vcards(fh, filename):
            if isinstance(item, ParsedCard):
                cards += 1
            elif isinstance(item, CardError) and item.is_file_error:
                problem = item.reason
            else:
                unreadable += 1
    if cards == 0 and problem is None:
        problem = "no card in it could be read"
    return cards, unreadable, problem if cards == 0 else None


def _mb(n: int) -> str:
    return f"{n / 1024**2:.1f} MB"


# -- the server ----------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    timeout = IDLE_TIMEOUT
    server_version = "netbook"
    sys_version = ""
    linger = False  # the answer went out before the body was read: drain() it
    body: RequestBody | None = None

    def log_message(self, format: str, *args) -> None:
        """Nothing on the terminal: the window shows who connected."""

    def version_string(self) -> str:
        return "netbook"

    # -- helpers --
    @property
    def owner(self) -> ReceiveServer:
        return self.server.owner

    def visitor(self) -> Visitor:
        agent = self.headers.get("User-Agent", "") if self.headers else ""
        agent = "".join(c for c in agent if c.isprintable())[:USER_AGENT_SHOWN]
        return Visitor(self.client_address[0], agent.strip())

    def answer(self, code: int, body: bytes, content_type: str = "text/html; charset=utf-8",
               *, linger: bool = False) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                         "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Connection", "close")
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)
            self.wfile.flush()
        self.close_connection = True
        self.linger = linger

    def drain(self) -> None:
        """Answered before reading all the phone is still sending: read and drop the rest
        (bounded) after saying so, or its browser shows a reset instead of our page."""
        left = self.body.left if self.body is not None else (self._length() or 0)
        body = RequestBody(self.rfile, min(left, LINGER_BYTES), time.monotonic() + LINGER_SECONDS)
        with contextlib.suppress(Incomplete):
            while body.read():
                pass

    def _length(self) -> int | None:
        try:
            n = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return None
        return n if n >= 0 else None

    def not_found(self) -> None:
        self.answer(404, NOT_FOUND, "text/plain; charset=utf-8")

    def _ours(self) -> bool:
        """The right token, for the host name in the address (the same work either way)."""
        path = self.path.split("?", 1)[0]
        host = self.headers.get("Host", "")
        given = hashlib.sha256(f"{host} {path}".encode("utf-8", "replace")).digest()
        return secrets.compare_digest(given, self.owner.expected_digest)

    def _gate(self) -> Visitor | None:
        """The visitor when the address is right; otherwise the 404 is sent already."""
        visitor = self.visitor()
        if not self._ours():
            self.owner.emit_refused(visitor, "wrong address",
                                    f"{visitor.ip} asked for a wrong address and got nothing")
            self.not_found()
            return None
        return visitor

    # -- requests --
    def do_GET(self) -> None:
        visitor = self._gate()
        if visitor is None:
            return
        owner = self.owner
        if owner.spent:
            self.spent()
        elif owner.busy:
            self.busy(visitor)
        else:
            owner.emit_connected(visitor)
            self.answer(200, form_page())

    def spent(self) -> None:
        self.answer(410, message_page("Already received", "netbook has received a file from "
                                      "this address already. To send another, choose File ▸ "
                                      "Receive from Phone on your computer again."),
                    linger=self.command == "POST")

    def busy(self, visitor: Visitor) -> None:
        self.owner.emit_refused(visitor, "busy", f"{visitor} was turned away: another upload "
                                "is in progress")
        self.answer(503, message_page("Busy", "netbook is receiving a file from another phone "
                                      "right now. Wait until it is done, then try again."),
                    linger=self.command == "POST")

    def do_POST(self) -> None:
        visitor = self._gate()
        if visitor is None:
            return
        owner = self.owner
        if owner.spent:
            self.spent()
        elif owner.upload_lock.acquire(blocking=False):
            try:
                self._receive(visitor)
            finally:
                owner.upload_lock.release()
        else:
            self.busy(visitor)
        if self.linger:  # not holding the lock: the next phone may go ahead meanwhile
            self.drain()

    def do_other(self) -> None:
        """Any other method: the same as a wrong address unless the address is right."""
        if self._gate() is not None:
            self.answer(405, message_page("Not here", "Open this address in a browser."))

    do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_other

    def _receive(self, visitor: Visitor) -> None:
        owner = self.owner
        length = self._length()
        match = re.search(r'boundary="?([^";]{1,70})"?',
                          self.headers.get("Content-Type", ""), re.IGNORECASE)
        if length is None or "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.answer(411, message_page("Nothing arrived", "The browser sent the file in a "
                                          "way netbook can't read. Try again with the form "
                                          "below.", again=True))
            return
        if length > MAX_UPLOAD_BYTES + MULTIPART_SLACK:
            self._too_large(visitor, length, linger=True)
            return
        if match is None or not self.headers.get("Content-Type", "").lower().startswith(
                "multipart/form-data"):
            self.answer(400, message_page("Nothing arrived", "Send the file with the form "
                                          "below.", again=True), linger=True)
            return
        folder = owner.new_folder()
        owner.emit_receiving(visitor, length)
        target = folder / "upload.vcf"
        try:
            self.body = RequestBody(self.rfile, length, time.monotonic() + UPLOAD_DEADLINE)
            name = read_multipart_file(self.body, match[1].encode("latin-1"), target)
        except UploadTooLarge:
            owner.drop_folder(folder)
            self._too_large(visitor, length, linger=True)
            return
        except BadForm:
            owner.drop_folder(folder)
            self.answer(400, message_page("Nothing arrived", "Send the file with the form "
                                          "below.", again=True), linger=True)
            return
        except Incomplete as exc:
            owner.drop_folder(folder)
            owner.emit_refused(visitor, "incomplete", f"The upload from {visitor.ip} broke "
                               f"off ({exc}); nothing was imported")
            self.answer(400, message_page("The upload broke off", "Only part of the file "
                                          "arrived, so netbook kept none of it. Try again.",
                                          again=True))
            return
        if name is None:
            owner.drop_folder(folder)
            self.answer(400, message_page("No file chosen", "Choose the .vcf file first, "
                                          "then press Send.", again=True))
            return
        shown = clean_filename(name)
        final = folder / _safe_disk_name(shown)
        target.rename(final)
        size = final.stat().st_size
        cards, unreadable, problem = check_vcards(final, shown)
        if problem is not None:
            owner.drop_folder(folder)
            owner.emit_refused(visitor, "not a vCard", f"{visitor.ip} sent “{shown}”, which "
                               f"can't be imported: {problem}. Nothing was imported.")
            self.answer(415, message_page(
                "Not a vCard file", f"“{shown}” can't be imported: {problem}. Send the .vcf "
                "file your Contacts app exported.", again=True))
            return
        upload = Upload(visitor, final, shown, size, cards, unreadable)
        if not owner.hand_over(upload, self.connection):
            self.answer(503, message_page("netbook stopped listening", "The window on your "
                                          "computer was closed, so nothing was imported."))
            return
        what = f"{cards:,} contact{'s' if cards != 1 else ''}"
        extra = f" ({unreadable:,} of the cards can't be read)" if unreadable else ""
        self.answer(200, message_page("Received", f"netbook received {what} from “{shown}”"
                                      f"{extra}. Look at your computer: it shows what will "
                                      "be imported before anything is written.", good=True))

    def _too_large(self, visitor: Visitor, length: int, *, linger: bool) -> None:
        limit = MAX_UPLOAD_BYTES // 1024**2
        self.owner.emit_refused(visitor, "too large", f"{visitor.ip} tried to send "
                                f"{_mb(length)}, more than the {limit} MB netbook accepts; "
                                "nothing was imported")
        self.answer(413, message_page("The file is too large", f"netbook accepts files of "
                                      f"up to {limit} MB. Export fewer contacts at a time "
                                      "(or without photos) and send each file.", again=True),
                    linger=linger)


class _HTTPServer(ThreadingHTTPServer):
    """The stdlib server with a bound on connections and a list of those open, so that
    `stop()` can cut them off."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = False

    def __init__(self, owner: ReceiveServer, address: tuple[str, int]) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse-DNS look-up of our own address (slow, or a
        hang, on a network with no DNS server)."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request, client_address) -> None:
        if not self.owner.admit(request):
            self.shutdown_request(request)
            return
        thread = threading.Thread(target=self._serve_one, args=(request, client_address),
                                  name="netbook-receive-request", daemon=True)
        self.owner.track(request, thread)
        thread.start()

    def _serve_one(self, request, client_address) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # one phone's broken request never stops the server
            pass
        finally:
            self.shutdown_request(request)
            self.owner.release(request)

    def handle_error(self, request, client_address) -> None:
        """Quiet: a phone that hangs up is no error worth a traceback."""


class ReceiveServer:
    """Listen on `host` for one vCard upload until `stop()`.

    `address` is what the QR code carries. Each start gets a new token, so an address
    seen earlier (on a screen, in a browser's history) never works again.
    """

    def __init__(self, host: str, *, on_connected: Connected | None = None,
                 on_receiving: Receiving | None = None, on_received: Received | None = None,
                 on_refused: Refused | None = None,
                 port: int = 0, tmp_dir: Path | None = None) -> None:
        check_listen_address(host)
        self.host = host
        self.token = secrets.token_urlsafe(18)
        self._on_connected = on_connected
        self._on_receiving = on_receiving
        self._on_received = on_received
        self._on_refused = on_refused
        self._tmp_dir = tmp_dir
        self._lock = threading.RLock()  # state, and callbacks against stop()
        self.upload_lock = threading.Lock()  # one upload at a time
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._answering: set[socket.socket] = set()  # handed over; let the page go out
        self._folders: set[Path] = set()
        self._stopped = False
        self.spent = False
        self._httpd = _HTTPServer(self, (host, port))
        self.port = self._httpd.server_address[1]
        self.address = f"http://{host}:{self.port}/{self.token}"
        self.expected_digest = hashlib.sha256(
            f"{host}:{self.port} /{self.token}".encode()).digest()
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.1,),
                                        name="netbook-receive", daemon=True)
        self._thread.start()

    # -- state the handlers ask about --
    @property
    def busy(self) -> bool:
        return self.upload_lock.locked()

    @property
    def running(self) -> bool:
        return not self._stopped

    def admit(self, request: socket.socket) -> bool:
        with self._lock:
            return not self._stopped and len(self._connections) < MAX_CONNECTIONS

    def track(self, request: socket.socket, thread: threading.Thread) -> None:
        with self._lock:
            self._connections[request] = thread

    def release(self, request: socket.socket) -> None:
        with self._lock:
            self._connections.pop(request, None)
            self._answering.discard(request)

    def new_folder(self) -> Path:
        folder = Path(tempfile.mkdtemp(prefix="netbook-receive-", dir=self._tmp_dir))  # 0700
        with self._lock:
            self._folders.add(folder)
        return folder

    def drop_folder(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        with self._lock:
            self._folders.discard(folder)

    # -- callbacks, never after stop() --
    def emit_connected(self, visitor: Visitor) -> None:
        with self._lock:
            if not self._stopped and self._on_connected:
                self._on_connected(visitor)

    def emit_receiving(self, visitor: Visitor, length: int) -> None:
        with self._lock:
            if not self._stopped and self._on_receiving:
                self._on_receiving(visitor, length)

    def emit_refused(self, visitor: Visitor, reason: str, message: str) -> None:
        with self._lock:
            if not self._stopped and self._on_refused:
                self._on_refused(visitor, reason, message)

    def hand_over(self, upload: Upload, connection: socket.socket) -> bool:
        """Give the file to the caller (once); False when netbook stopped listening."""
        with self._lock:
            if self._stopped or self.spent:
                self.drop_folder(upload.path.parent)
                return False
            self.spent = True
            self._folders.discard(upload.path.parent)  # the caller's now
            self._answering.add(connection)
            if self._on_received:
                self._on_received(upload)
            else:
                upload.discard()
            return True

    # -- stopping --
    def stop(self, wait: float = 2.0) -> None:
        """Stop listening at once, cut off every phone still sending, delete what they
        sent; wait (briefly) for the last page to go out. Idempotent."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = dict(self._connections)
            answering = set(self._answering)
        for sock, _thread in connections.items():
            if sock not in answering:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + wait
        for thread in connections.values():
            if thread is not threading.current_thread():
                thread.join(max(deadline - time.monotonic(), 0))
        with self._lock:
            folders = list(self._folders)
        for folder in folders:
            self.drop_folder(folder)

    def __enter__(self) -> ReceiveServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

