"""A real Radicale on loopback for the whole session; each test gets its own address book.

"The phone" is plain httpx (PUT/GET/DELETE), a third client that knows nothing of netbook.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend

USER, PASSWORD = "alice", "wonder land"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}

    def set_password(self, service, username, password):
        self.data[(service, username)] = password

    def get_password(self, service, username):
        return self.data.get((service, username))

    def delete_password(self, service, username):
        self.data.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch):
    monkeypatch.delenv("NETBOOK_PASSWORD", raising=False)
    ring = MemoryKeyring()
    old = keyring.get_keyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(old)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def radicale_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("radicale")


@pytest.fixture(scope="session")
def radicale(radicale_root) -> str:
    """The server's base URL (bare: discovery starts from here)."""
    root = radicale_root
    (root / "users").write_text(f"{USER}:{PASSWORD}\nbob:bob\n")
    port = _free_port()
    config = root / "config"
    config.write_text(f"""
[server]
hosts = 127.0.0.1:{port}
delay_on_error = 0
[auth]
type = htpasswd
htpasswd_filename = {root / "users"}
htpasswd_encryption = plain
delay = 0
[rights]
type = owner_only
[storage]
filesystem_folder = {root / "collections"}
[logging]
level = error
""")
    log = (root / "log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(150):  # up to ~15 s
            if proc.poll() is not None:
                raise RuntimeError("radicale exited: " + (root / "log").read_text())
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(url, timeout=1)
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("radicale did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


MKCOL = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
 <D:set><D:prop>
  <D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>
  <D:displayname>{name}</D:displayname>
 </D:prop></D:set>
</D:mkcol>"""


class Phone:
    """A standard third client: plain HTTP on one address book."""

    def __init__(self, base: str, book: str) -> None:
        self.http = httpx.Client(base_url=base, auth=(USER, PASSWORD), timeout=10)
        self.book = book  # path, ends with /

    def put(self, name: str, text: str, etag: str | None = None) -> httpx.Response:
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        if etag:
            headers["If-Match"] = etag
        r = self.http.put(self.book + name, content=text.replace("\n", "\r\n").encode(),
                          headers=headers)
        assert r.status_code in (201, 204), r.text
        return r

    def get(self, name: str) -> str | None:
        r = self.http.get(self.book + name)
        return None if r.status_code == 404 else r.text

    def delete(self, name: str) -> None:
        self.http.delete(self.book + name)

    def names(self) -> list[str]:
        body = ('<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/>'
                '</D:prop></D:propfind>')
        r = self.http.request("PROPFIND", self.book, content=body, headers={"Depth": "1"})
        hrefs = [h.text or "" for h in ET.fromstring(r.content).iter("{DAV:}href")]
        return sorted(h.rsplit("/", 1)[-1] for h in hrefs if not h.endswith("/"))

    def cards(self) -> dict[str, str]:
        return {n: self.get(n) or "" for n in self.names()}


@pytest.fixture
def book(radicale) -> str:
    """A fresh address book of alice: its path."""
    name = "book-" + uuid.uuid4().hex[:8]
    path = f"/{USER}/{name}/"
    r = httpx.request("MKCOL", radicale.rstrip("/") + path, auth=(USER, PASSWORD),
                      content=MKCOL.format(name=name).encode(), timeout=10)
    assert r.status_code == 201, r.text
    return path


@pytest.fixture
def phone(radicale, book) -> Phone:
    p = Phone(radicale, book)
    yield p
    p.http.close()


def vcard(uid: str, name: str, *extra: str) -> str:
    given, _, family = name.partition(" ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}",
             f"N:{family};{given};;;", *extra, "END:VCARD"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def account(store, radicale, book):
    """An account "phone" on this test's address book (password in the keyring)."""
    from netbook.data.carddav import accounts

    books = accounts.test_connection(radicale, USER, PASSWORD)
    chosen = [b for b in books if b.url.endswith(book)]
    assert chosen, books
    accounts.add_account(store, "phone", radicale, USER, PASSWORD, chosen)
    return "phone"


def db_file(store) -> Path:
    return store.path
