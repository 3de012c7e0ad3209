"""Receiving a vCard from a phone: the server over loopback, with httpx as the phone.

Every request goes to 127.0.0.1 only. A phone that is slow or stops half-way is a
request body that a generator holds back until the test lets it go on.
"""

from __future__ import annotations

import io
import random
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers import PHONE_BOUNDARY, phone_form, port_refuses
from hypothesis import given, settings
from hypothesis import strategies as st

from netbook.data import receive
from netbook.data.receive import (
    MAX_CONNECTIONS,
    MAX_UPLOAD_BYTES,
    NetworkAddress,
    ReceiveServer,
    RequestBody,
    Upload,
    Visitor,
    check_listen_address,
    default_address,
    read_multipart_file,
)

BOUNDARY = PHONE_BOUNDARY


def vcard(name: str) -> bytes:
    given_name, _, family = name.partition(" ")
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nN:{family};{given_name};;;\r\n"
            "TEL;TYPE=CELL:+1 555 0100\r\nEND:VCARD\r\n").encode()


PHONE_BOOK = vcard("Ann Phone") + vcard("Bo Mobile")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40


multipart = phone_form


FORM_TYPE = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


class Events:
    """What the server told the desktop, from its threads."""

    def __init__(self) -> None:
        self.connected: list[Visitor] = []
        self.receiving: list[tuple[Visitor, int]] = []
        self.received: list[Upload] = []
        self.refused: list[tuple[str, str]] = []
        self.changed = threading.Event()

    def kwargs(self) -> dict:
        def note(target, value):
            target.append(value)
            self.changed.set()

        return {"on_connected": lambda v: note(self.connected, v),
                "on_receiving": lambda v, n: note(self.receiving, (v, n)),
                "on_received": lambda u: note(self.received, u),
                "on_refused": lambda v, r, m: note(self.refused, (r, m))}

    def wait(self, check, timeout: float = 10.0) -> None:
        end = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < end, "the server never said so"
            self.changed.wait(0.05)
            self.changed.clear()

    def reasons(self) -> list[str]:
        return [r for r, _m in self.refused]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def server(inbox: Path, events: Events) -> Iterator[ReceiveServer]:
    s = ReceiveServer("127.0.0.1", tmp_dir=inbox, **events.kwargs())
    yield s
    s.stop()
    for upload in events.received:
        upload.discard()


@pytest.fixture
def phone() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=20, headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14)"}
                      ) as client:
        yield client


def send(phone: httpx.Client, url: str, filename: str, data: bytes) -> httpx.Response:
    return phone.post(url, content=multipart(filename, data), headers=FORM_TYPE)


# -- the address ------------------------------------------------------------------


def test_the_secret_address_shows_a_form_that_needs_nothing_from_anywhere(server, phone,
                                                                          events):
    answer = phone.get(server.address)
    assert answer.status_code == 200
    page = answer.text
    assert '<form method="post" enctype="multipart/form-data"' in page
    assert 'type="file"' in page and 'name="vcf"' in page
    assert "Android" in page and "Export" in page
    assert "iPhone" in page and "Share" in page and "Save to Files" in page
    assert "<script" not in page.lower() and "http" not in page.lower()
    assert " src=" not in page and " action=" not in page  # posts back to this address
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "python" not in answer.headers.get("Server", "").lower()
    events.wait(lambda: events.connected)
    assert events.connected == [Visitor("127.0.0.1", "Mozilla/5.0 (Linux; Android 14)")]


def test_each_server_has_its_own_long_random_token(inbox):
    with ReceiveServer("127.0.0.1", tmp_dir=inbox) as a, \
            ReceiveServer("127.0.0.1", tmp_dir=inbox) as b:
        assert a.token != b.token and len(a.token) >= 24
        assert a.address == f"http://127.0.0.1:{a.port}/{a.token}"


def test_a_wrong_token_gets_the_same_404_as_any_other_path(server, phone, events):
    base = f"http://127.0.0.1:{server.port}"
    wrong = "A" * len(server.token)
    tries = [phone.get(f"{base}/"), phone.get(f"{base}/{wrong}"),
             phone.get(f"{base}/{server.token[:-1]}"), phone.get(f"{server.address}x"),
             phone.get(f"{server.address}/"), phone.get(f"{base}/favicon.ico"),
             send(phone, f"{base}/{wrong}", "contacts.vcf", PHONE_BOOK),
             # the right path asked for under another host name (DNS rebinding)
             phone.get(server.address, headers={"Host": f"evil.example:{server.port}"})]
    for answer in tries:
        assert answer.status_code == 404
        assert answer.content == b"Not found\n"
        assert {k: v for k, v in answer.headers.items() if k != "date"} == \
            {k: v for k, v in tries[0].headers.items() if k != "date"}
    events.wait(lambda: len(events.refused) == len(tries))
    assert set(events.reasons()) == {"wrong address"}
    assert not events.connected and not events.received and not events.receiving


def test_a_wrong_token_is_answered_before_its_upload_is_read(server, events):
    """Nothing of the body is taken: the connection closes after the 404."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(f"POST /{'B' * len(server.token)} HTTP/1.1\r\nHost: 127.0.0.1:"
                  f"{server.port}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                  f"Content-Length: 40000000\r\n\r\n".encode())
        reply = b""
        while chunk := s.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.0 404")
    assert not events.receiving


# -- an upload ----------------------------------------------------------------------


def test_a_vcard_arrives_in_a_private_folder_and_the_address_is_spent(server, phone,
                                                                      events, inbox):
    answer = send(phone, server.address, "Contacts.vcf", PHONE_BOOK)
    assert answer.status_code == 200
    assert "received 2 contacts" in answer.text and "Contacts.vcf" in answer.text
    events.wait(lambda: events.received)
    (upload,) = events.received
    assert upload.cards == 2 and upload.unreadable == 0
    assert upload.filename == "Contacts.vcf" and upload.size == len(PHONE_BOOK)
    assert upload.path.read_bytes() == PHONE_BOOK
    assert upload.path.parent.parent == inbox
    assert stat.S_IMODE(upload.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(upload.path.parent.stat().st_mode) == 0o700
    assert upload.visitor.ip == "127.0.0.1"
    assert events.receiving[0][1] == len(multipart("Contacts.vcf", PHONE_BOOK))
    again = phone.get(server.address)
    assert again.status_code == 410 and "Already received" in again.text
    assert send(phone, server.address, "more.vcf", PHONE_BOOK).status_code == 410
    assert len(events.received) == 1
    upload.discard()
    assert not any(inbox.iterdir())


def test_a_file_name_from_the_phone_is_escaped_in_its_page(server, phone, events):
    name = '<img src=x onerror=alert(1)>.vcf'
    answer = send(phone, server.address, name, PHONE_BOOK)
    assert answer.status_code == 200
    assert "<img" not in answer.text and "&lt;img src=x onerror=alert(1)&gt;.vcf" in answer.text
    events.wait(lambda: events.received)
    assert events.received[0].filename == name  # shown as plain text on the desktop
    assert events.received[0].path.name.endswith(".vcf") and "<" not in \
        events.received[0].path.name


def test_a_file_that_is_not_a_vcard_gets_a_clear_page_and_nothing_is_kept(server, phone,
                                                                          events, inbox):
    answer = send(phone, server.address, "IMG_0042.jpg", JPEG)
    assert answer.status_code == 415
    assert "Not a vCard file" in answer.text and "IMG_0042.jpg" in answer.text
    assert "JPEG image" in answer.text
    assert 'enctype="multipart/form-data"' in answer.text  # try again right there
    events.wait(lambda: events.refused)
    ((reason, message),) = events.refused
    assert reason == "not a vCard"
    assert "IMG_0042.jpg" in message and "Nothing was imported" in message
    assert not events.received and not any(inbox.iterdir())
    # the address still works for the right file
    assert send(phone, server.address, "Contacts.vcf", PHONE_BOOK).status_code == 200
    events.wait(lambda: events.received)


@pytest.mark.parametrize("data", [b"", b"Name,Phone\r\nAnn,555\r\n",
                                  b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"],
                         ids=["empty", "csv", "calendar"])
def test_other_files_are_refused_with_the_reason(server, phone, events, data):
    answer = send(phone, server.address, "export.vcf", data)
    assert answer.status_code == 415
    events.wait(lambda: events.refused)
    assert events.reasons() == ["not a vCard"] and not events.received


def test_a_form_sent_without_a_file_asks_for_one(server, phone, events, inbox):
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"vcf\"; filename=\"\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n\r\n--{BOUNDARY}--\r\n").encode()
    answer = phone.post(server.address, content=body, headers=FORM_TYPE)
    assert answer.status_code == 400 and "No file chosen" in answer.text
    assert not events.received and not any(inbox.iterdir())


def test_a_post_that_is_no_form_gets_the_form_again(server, phone, events):
    answer = phone.post(server.address, content=PHONE_BOOK,
                        headers={"Content-Type": "text/vcard"})
    assert answer.status_code == 400 and 'type="file"' in answer.text
    assert not events.received


# -- size -------------------------------------------------------------------------------


def test_an_upload_declared_too_large_gets_a_clear_page_not_a_reset(server, phone, events,
                                                                    inbox):
    data = b"X" * (MAX_UPLOAD_BYTES + 200_000)
    answer = send(phone, server.address, "everything.vcf", data)
    assert answer.status_code == 413
    assert "too large" in answer.text and "50 MB" in answer.text
    events.wait(lambda: events.refused)
    ((reason, message),) = events.refused
    assert reason == "too large" and "50 MB" in message
    assert not events.receiving  # refused on its length, before a byte was stored
    assert not events.received and not any(inbox.iterdir())


def test_a_file_over_the_limit_is_stopped_while_it_streams_in(server, phone, events, inbox):
    """A length that fits the form's slack but a file one byte too many: counted as it
    arrives, and the part already written is deleted."""
    data = PHONE_BOOK + b"X" * (MAX_UPLOAD_BYTES + 1 - len(PHONE_BOOK))
    answer = send(phone, server.address, "big.vcf", data)
    assert answer.status_code == 413
    events.wait(lambda: events.refused)
    assert events.reasons() == ["too large"] and events.receiving
    assert not events.received and not any(inbox.iterdir())


def test_a_file_of_exactly_the_limit_is_taken(server, phone, events):
    data = PHONE_BOOK + b"\n" * (MAX_UPLOAD_BYTES - len(PHONE_BOOK))
    assert len(data) == MAX_UPLOAD_BYTES
    answer = send(phone, server.address, "exact.vcf", data)
    assert answer.status_code == 200, answer.text
    events.wait(lambda: events.received)
    assert events.received[0].size == MAX_UPLOAD_BYTES


# -- one at a time, and phones that stop --------------------------------------------------


class SlowPhone:
    """A phone that sends the start of its upload, then waits for `go` (or gives up)."""

    def __init__(self, url: str, data: bytes) -> None:
        self.body = multipart("slow.vcf", data)
        self.go = threading.Event()
        self.answer: httpx.Response | None = None
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._run, args=(url,), daemon=True)
        self.thread.start()

    def _chunks(self) -> Iterator[bytes]:
        yield self.body[:100]
        self.go.wait(20)
        yield self.body[100:]

    def _run(self, url: str) -> None:
        try:
            with httpx.Client(timeout=30) as client:
                self.answer = client.post(url, content=self._chunks(), headers={
                    **FORM_TYPE, "Content-Length": str(len(self.body))})
        except httpx.HTTPError as exc:
            self.error = exc

    def finish(self) -> None:
        self.go.set()
        self.thread.join(30)


def test_one_upload_at_a_time_a_second_phone_is_told_it_is_busy(server, phone, events):
    first = SlowPhone(server.address, PHONE_BOOK)
    events.wait(lambda: events.receiving)
    shown = phone.get(server.address)
    assert shown.status_code == 503 and "Busy" in shown.text
    assert "another" in shown.text
    pushed = send(phone, server.address, "second.vcf", vcard("Cy Second"))
    assert pushed.status_code == 503 and "Busy" in pushed.text
    first.finish()
    assert first.answer is not None and first.answer.status_code == 200
    events.wait(lambda: events.received)
    assert [u.filename for u in events.received] == ["slow.vcf"]
    assert events.reasons() == ["busy", "busy"]


def test_an_upload_that_breaks_off_leaves_nothing_behind(server, events, inbox):
    body = multipart("cut.vcf", PHONE_BOOK * 100)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(f"POST /{server.token} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                  f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:len(body) // 2])
        events.wait(lambda: events.receiving)
    events.wait(lambda: events.refused)
    ((reason, message),) = events.refused
    assert reason == "incomplete" and "nothing was imported" in message
    assert not events.received and not any(inbox.iterdir())
    # and the next try is not "busy"
    assert httpx.get(server.address).status_code == 200


def test_stop_closes_the_port_cuts_off_a_phone_mid_upload_and_deletes_its_part(
        inbox, events):
    server = ReceiveServer("127.0.0.1", tmp_dir=inbox, **events.kwargs())
    slow = SlowPhone(server.address, PHONE_BOOK * 500)
    events.wait(lambda: events.receiving)
    assert any(inbox.iterdir())  # its folder, with the start of its file
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 5
    assert port_refuses(server.port)
    slow.finish()
    assert slow.answer is None or slow.answer.status_code != 200
    assert not events.received and not any(inbox.iterdir())
    assert not server.running
    server.stop()  # twice is fine


def test_no_callback_after_stop(inbox, events):
    server = ReceiveServer("127.0.0.1", tmp_dir=inbox, **events.kwargs())
    slow = SlowPhone(server.address, PHONE_BOOK)
    events.wait(lambda: events.receiving)
    server.stop()
    before = (len(events.connected), len(events.received), len(events.refused))
    slow.finish()
    time.sleep(0.2)
    assert (len(events.connected), len(events.received), len(events.refused)) == before


def test_idle_connections_are_bounded(server):
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=5)
            for _ in range(MAX_CONNECTIONS)]
    try:  # connections are taken in the order they came: the idle ones are in
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as extra:
            assert extra.recv(100) == b""  # closed at once, unanswered
    finally:
        for s in idle:
            s.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if httpx.get(server.address, timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    else:
        raise AssertionError("the server did not take phones again")


# -- where it listens ------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "255.255.255.255", "224.0.0.1", "localhost",
                                  "::1", ""])
def test_it_never_listens_on_every_interface_or_a_name(host):
    with pytest.raises(ValueError):
        check_listen_address(host)
    with pytest.raises(ValueError):
        ReceiveServer(host)


def test_the_default_is_a_private_network_address_else_loopback():
    lo = NetworkAddress("lo", "127.0.0.1")
    wifi = NetworkAddress("wlan0", "192.168.1.23")
    office = NetworkAddress("eth0", "10.4.0.7")
    public = NetworkAddress("eth1", "8.8.4.4")
    assert default_address([lo, public, wifi, office]) == wifi
    assert default_address([public, lo]) == lo
    assert default_address([]) is None
    assert [a.kind for a in (lo, wifi, public, NetworkAddress("x", "169.254.3.3"))] == \
        ["loopback", "private", "public", "link-local"]


# -- the multipart reader, at every split -----------------------------------------------------


class Trickle(io.BytesIO):
    """A socket file that hands out a few bytes at a time, as a slow network does."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        super().__init__(data)
        self.sizes = sizes or [1]
        self.n = 0

    def read1(self, n: int = -1) -> bytes:
        size = self.sizes[self.n % len(self.sizes)]
        self.n += 1
        return super().read1(min(n, size))


NASTY = [b"\r\n--" + BOUNDARY.encode()[:k] for k in (0, 3, len(BOUNDARY) - 1)]


@settings(max_examples=150, deadline=None)
@given(content=st.lists(st.sampled_from([b"A", b"\r", b"\n", b"-", *NASTY,
                                         PHONE_BOOK]), max_size=30).map(b"".join),
       sizes=st.lists(st.integers(1, 90), min_size=1, max_size=8),
       extra_field=st.booleans())
def test_the_file_comes_out_exactly_however_the_body_is_cut(tmp_path_factory, content,
                                                            sizes, extra_field):
    body = multipart("x.vcf", content)
    if extra_field:
        body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
                f"hello\r\n").encode() + body
    target = tmp_path_factory.mktemp("part") / "out.vcf"
    reader = RequestBody(Trickle(body, sizes), len(body), time.monotonic() + 60)
    assert read_multipart_file(reader, BOUNDARY.encode(), target) == "x.vcf"
    assert target.read_bytes() == content


def test_quoted_file_names_and_paths_from_old_browsers(tmp_path):
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"vcf\"; "
            f"filename=\"C:\\\\Users\\\\ann\\\\My \\\"best\\\" friends.vcf\"\r\n\r\nX\r\n"
            f"--{BOUNDARY}--\r\n").encode()
    reader = RequestBody(Trickle(body, [random.randint(1, 50)]), len(body),
                         time.monotonic() + 60)
    name = read_multipart_file(reader, BOUNDARY.encode(), tmp_path / "f")
    assert name is not None and receive.clean_filename(name) == 'My "best" friends.vcf'
