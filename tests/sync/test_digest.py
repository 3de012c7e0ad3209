"""A server that asks for HTTP Digest (RFC 7616) instead of Basic, as Baïkal can.

Over plain HTTP netbook sends no password until the server's first 401 says how (a
Digest server must never see it in the clear); over HTTPS Basic goes up front.

Radicale speaks Basic only, so a gate in front of it checks Digest the way such a server
does (MD5, qop=auth) and passes the request on; the sync itself is the real one.
"""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest
from helpers import make_card

from netbook.data.carddav import accounts, engine
from netbook.data.carddav.accounts import AccountError
from netbook.data.models import Contact

from .conftest import PASSWORD, USER, vcard

REALM, NONCE = "netbook-test", "c2VjcmV0LW5vbmNl"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # the protocol's own hash


class DigestGate(httpx.BaseTransport):
    """Lets through only requests with a valid Digest answer; remembers what it saw."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.schemes: list[str] = []  # the scheme of each request's Authorization

    def _valid(self, request: httpx.Request) -> bool:
        header = request.headers.get("authorization", "")
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[7:]))
        if not header.lower().startswith("digest ") or fields.get("nonce") != NONCE:
            return False
        ha1 = _md5(f"{USER}:{REALM}:{PASSWORD}")
        ha2 = _md5(f"{request.method}:{fields.get('uri')}")
        expected = _md5(f"{ha1}:{NONCE}:{fields.get('nc')}:{fields.get('cnonce')}:"
                        f"{fields.get('qop')}:{ha2}")
        return fields.get("username") == USER and fields.get("response") == expected

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.schemes.append(request.headers.get("authorization", "none").split(" ")[0])
        if not self._valid(request):
            return httpx.Response(401, request=request, headers={
                "WWW-Authenticate": f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", '
                                    'algorithm=MD5'})
        basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        headers = [(k, v) for k, v in request.headers.raw if k.lower() != b"authorization"]
        forwarded = httpx.Request(request.method, request.url,
                                  headers=[*headers, (b"Authorization", f"Basic {basic}".encode())],
                                  content=request.read())
        return self.inner.handle_request(forwarded)


def test_a_server_asking_for_digest_gets_digest_and_syncs(store, radicale, book, phone):
    gate = DigestGate()
    books = accounts.test_connection(radicale, USER, PASSWORD, transport=gate)
    chosen = [b for b in books if b.url.endswith(book)]
    accounts.add_account(store, "baikal", radicale, USER, PASSWORD, chosen)
    store.add_contact(make_card("Ada Lovelace"))
    phone.put("grace.vcf", vcard("grace-1", "Grace Hopper"))
    gate.schemes.clear()
    r = engine.sync_account(store, "baikal", transport=gate)
    assert r.uploaded == 1 and r.downloaded == 1 and r.clean
    assert len({c.uid for c in Contact.select()}) == 2
    # over plain HTTP no password before the server says how; then Digest up front
    assert gate.schemes[0] == "none" and set(gate.schemes[1:]) == {"Digest"}
    assert "Basic" not in gate.schemes


def test_a_wrong_password_with_digest_is_said_in_words(radicale, book):
    with pytest.raises(AccountError, match="refused the user name or password"):
        accounts.test_connection(radicale, USER, "wrong", transport=DigestGate())
