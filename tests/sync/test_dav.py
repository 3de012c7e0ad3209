"""The DAV client on its own: deliberate redirects, versions, errors in words."""

from __future__ import annotations

import httpx
import pytest

from netbook.data.carddav.dav import DavClient, DavError, describe, origin, same_site

MULTISTATUS = b"""<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
 <d:response><d:href>/dav/book/</d:href><d:propstat><d:prop>
  <d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>
  <d:displayname>Family</d:displayname>
  <c:supported-address-data><c:address-data-type content-type="text/vcard" version="4.0"/>
  </c:supported-address-data>
 </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
</d:multistatus>"""


def client(handler) -> DavClient:
    return DavClient("https://dav.example.org/dav/book/", "u", "p",
                     transport=httpx.MockTransport(handler))


def test_a_redirect_keeps_the_method_and_body_on_the_same_origin():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, request.content,
                     request.headers.get("Authorization")))
        if request.url.path == "/old/":
            return httpx.Response(302, headers={"Location": "/dav/book/"})
        return httpx.Response(207, content=MULTISTATUS)

    with client(handler) as dav:
        final, responses = dav.propfind("https://dav.example.org/old/", [("DAV:", "getetag")])
    assert [m for m, *_ in seen] == ["PROPFIND", "PROPFIND"]
    assert seen[0][2] == seen[1][2] and seen[1][3]
    assert final.endswith("/dav/book/") and responses


def test_a_redirect_to_another_site_gets_no_password():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(301, headers={"Location": "https://evil.example.com/dav/"})

    with client(handler) as dav, pytest.raises(DavError, match="another site"):
        dav.propfind("https://dav.example.org/dav/book/", [("DAV:", "getetag")])
    assert all("evil" not in c for c in calls)


def test_redirect_loops_stop():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(307, headers={"Location": request.url.path + "x/"})

    with client(handler) as dav, pytest.raises(DavError, match="too many redirects"):
        dav.propfind("https://dav.example.org/a/", [("DAV:", "getetag")])


def test_a_server_that_only_speaks_vcard_4_gets_4():
    with client(lambda r: httpx.Response(207, content=MULTISTATUS)) as dav:
        (book,) = dav._books_at("https://dav.example.org/dav/book/", 0)
    assert book.vcard_version == "4.0" and book.display_name == "Family"


def test_errors_in_words():
    url = "https://dav.example.org/"
    assert "did not answer in time" in describe(httpx.ReadTimeout("t"), url)
    assert "Could not connect" in describe(httpx.ConnectError("c"), url)
    assert "dropped" in describe(httpx.RemoteProtocolError("r"), url)


@pytest.mark.parametrize(("typed", "target", "allowed"), [
    ("https://contacts.icloud.com/", "https://p42-contacts.icloud.com/123/carddav/", True),
    ("https://contacts.icloud.com/", "http://p42-contacts.icloud.com/123/carddav/", False),
    ("https://contacts.icloud.com/", "https://icloud.com.evil.org/", False),
    ("https://example.com/", "https://dav.example.com/", False),
    ("https://alice.synology.me/", "https://mallory.synology.me/", False),
    ("https://dav.example.org/", "https://evil.example.com/", False),
    ("https://192.168.1.2/", "https://192.168.1.3/", False),
    ("http://localhost:5232/", "http://localhost:5232/other/", True),
    ("http://localhost:5232/", "http://localhost:5233/", False),
    ("https://dav.example.org/", "https://dav.example.org:443/x/", True),
])
def test_credentials_go_to_the_typed_origin_or_a_known_providers_host(typed, target, allowed):
    assert same_site(origin(typed), target) is allowed


def test_a_well_known_redirect_to_another_site_is_said_not_followed():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.path == "/.well-known/carddav":
            return httpx.Response(301, headers={"Location": "https://dav.elsewhere.net/"})
        return httpx.Response(404)

    with DavClient("https://example.org/", "u", "p",
                   transport=httpx.MockTransport(handler)) as dav, \
            pytest.raises(DavError, match=r"another site \(dav\.elsewhere\.net\)"):
        dav.discover()
    assert all("elsewhere" not in c for c in calls)


@pytest.mark.parametrize(("url", "first"), [
    ("http://dav.example.org/", None),           # in the clear: wait for the challenge
    ("https://dav.example.org/", "Basic"),       # encrypted: Basic up front, one trip
])
def test_the_password_waits_for_the_challenge_over_plain_http(url, first):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("Authorization")
        seen.append(auth.split(" ")[0] if auth else None)
        if not auth:
            return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="dav"'})
        return httpx.Response(207, content=MULTISTATUS)

    with DavClient(url, "u", "p", transport=httpx.MockTransport(handler)) as dav:
        dav.propfind(url, [("DAV:", "getetag")])
        dav.propfind(url, [("DAV:", "getetag")])
    assert seen[0] == first
    assert seen[-2:] == ["Basic", "Basic"]  # learnt once, then up front
