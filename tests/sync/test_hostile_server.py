"""Bounded network work (issue 12, 4) against tiny hostile servers on loopback: a 1 GiB
answer is cut at the size cap without being held in memory, a server sending one byte
every 5 s is given up on at the deadline of the request and of the whole sync, and a
reason phrase holding terminal escapes is stored and printed harmless (issue 12, 2)."""

from __future__ import annotations

import contextlib
import threading
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from netbook.cli import main
from netbook.data.carddav import accounts, dav, engine
from netbook.data.carddav.dav import AddressBook, DavClient, DeadlineExceeded, TooLarge
from netbook.data.models import SyncAccount

GIB = 1024**3


class Hostile(BaseHTTPRequestHandler):
    """Every method gets `behaviour(self)`; the request body is read first."""

    behaviour = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def handle_one_request(self) -> None:
        with contextlib.suppress(OSError):  # the client hung up on us: what we expect
            super().handle_one_request()

    def __getattr__(self, name: str):
        if name.startswith("do_"):
            return self._any
        raise AttributeError(name)

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        type(self).behaviour(self)


@contextlib.contextmanager
def server(behaviour) -> Iterator[str]:
    handler = type("Handler", (Hostile,), {"behaviour": staticmethod(behaviour)})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/dav/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def gigabyte(declared: bool):
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(207)
        h.send_header("Content-Type", "application/xml")
        if declared:
            h.send_header("Content-Length", str(GIB))
        else:
            h.close_connection = True  # the body ends when the connection does
        h.end_headers()
        chunk = b" " * (1024 * 1024)
        for _ in range(1024):
            h.wfile.write(chunk)
    return answer


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
def test_a_gigabyte_answer_is_cut_at_the_cap_without_filling_memory(declared):
    with server(gigabyte(declared)) as url, DavClient(url, "u", "p") as client:
        tracemalloc.start()
        try:
            with pytest.raises(TooLarge, match="larger than 64 MB"):
                client.propfind(url, [(dav.DAV, "getetag")])
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 3 * dav.MAX_RESPONSE_BYTES  # not 1 GiB (the old client took 6.3 GB)


def one_byte_every(seconds: float, in_headers: bool):
    def answer(h: BaseHTTPRequestHandler) -> None:
        if in_headers:
            h.wfile.write(b"HTTP/1.1 207 Multi-Status\r\n")
            for byte in b"X-Slow: " + b"a" * 1000:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(seconds)
        h.send_response(207)
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(100000):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(seconds)
    return answer


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "headers"])
def test_a_server_trickling_one_byte_every_5_s_is_given_up_on_at_the_deadline(in_headers):
    with server(one_byte_every(5, in_headers)) as url, \
            DavClient(url, "u", "p", timeout=30, request_deadline=1.5) as client:
        start = time.monotonic()
        with pytest.raises(DeadlineExceeded, match=r"did not finish answering within 1\.5 s"):
            client.propfind(url, [(dav.DAV, "getetag")])
        assert time.monotonic() - start < 4  # not the 5 s of one read, nor forever


def test_a_whole_sync_has_a_deadline(store):
    with server(one_byte_every(0.2, in_headers=False)) as url:
        accounts.add_account(store, "slow", url, "u", None, [AddressBook(url=url)],
                             save_password=False)
        start = time.monotonic()
        with pytest.raises(engine.SyncError, match="took longer than 2 seconds"):
            engine.sync_account(store, "slow", password="p", deadline=2)
        assert time.monotonic() - start < 5
    row = SyncAccount.get(SyncAccount.name == "slow")
    assert row.last_status == "error" and "took longer than 2 seconds" in row.last_message


def test_each_request_of_a_client_counts_toward_its_session_deadline():
    def slow_but_whole(h: BaseHTTPRequestHandler) -> None:
        time.sleep(0.4)
        h.send_response(404)
        h.send_header("Content-Length", "0")
        h.end_headers()

    with server(slow_but_whole) as url, \
            DavClient(url, "u", "p", session_deadline=1.0) as client:
        client.request("GET", url)
        client.request("GET", url)
        with pytest.raises(DeadlineExceeded, match="took longer than 1 seconds"):
            for _ in range(3):
                client.request("GET", url)


def hostile_reason(h: BaseHTTPRequestHandler) -> None:
    h.send_response(418, "Teapot\x1b]0;pwned\x07\x1b[2J\x9b31m")
    h.send_header("Content-Length", "0")
    h.end_headers()


def test_a_reason_phrase_with_escapes_is_stored_and_printed_harmless(store, db_path, capsys):
    with server(hostile_reason) as url:
        accounts.add_account(store, "evil", url, "u", None, [AddressBook(url=url)],
                             save_password=False)
        with pytest.raises(engine.SyncError):
            engine.sync_account(store, "evil", password="p")
    stored = SyncAccount.get(SyncAccount.name == "evil").last_message
    assert "\x1b" not in stored and "\x07" not in stored and "\x9b" not in stored
    assert "Teapot^[]0;pwned^G^[[2J" in stored
    assert main(["account", "list", "--db", str(db_path)]) == 0
    out, _ = capsys.readouterr()
    assert "\x1b" not in out and "Teapot^[]0;pwned" in out


def test_account_add_prints_a_hostile_reason_phrase_harmless(db_path, capsys, monkeypatch):
    monkeypatch.setenv("NETBOOK_PASSWORD", "p")
    with server(hostile_reason) as url:
        code = main(["account", "add", "evil", "--db", str(db_path), "--url", url,
                     "--user", "u"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Teapot^[]0;pwned^G^[[2J" in err
    assert "\x1b" not in out + err and "\x07" not in out + err
