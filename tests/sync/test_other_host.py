"""Address books on another host of the provider, as iCloud keeps them.

The user types https://contacts.icloud.com/; the principal says the address books live
on https://p42-contacts.icloud.com/. No request leaves the machine: both names are routed
to the test's real Radicale, and only the home-set answer is rewritten to point there.
"""

from __future__ import annotations

import re

import httpx
import pytest
from helpers import make_card

from netbook.data.carddav import accounts, engine
from netbook.data.carddav.accounts import AccountError
from netbook.data.models import Contact

from .conftest import PASSWORD, USER, vcard

TYPED = "contacts.icloud.com"
BOOKS = "p42-contacts.icloud.com"
_HOME = re.compile(rb"(<[^>]*addressbook-home-set[^>]*>\s*<[^>]*href>)([^<]+)(<)")


class Router(httpx.BaseTransport):
    """Serves the made-up hosts from the real server; records who was asked what."""

    def __init__(self, real: str, home: str) -> None:
        self.inner = httpx.HTTPTransport()
        self.real = httpx.URL(real)
        self.home = home.encode()
        self.seen: list[tuple[str, str, bool]] = []  # host, method, sent credentials

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.seen.append((host, request.method, "authorization" in request.headers))
        if host not in (TYPED, BOOKS):
            raise httpx.ConnectError(f"no route to {host}")
        url = request.url.copy_with(scheme=self.real.scheme, host=self.real.host,
                                    port=self.real.port)
        headers = [(k, v) for k, v in request.headers.raw if k.lower() != b"host"]
        response = self.inner.handle_request(
            httpx.Request(request.method, url, headers=headers, content=request.read()))
        body = response.read()
        response.close()
        if host == TYPED and b"addressbook-home-set" in body:
            body = _HOME.sub(lambda m: m.group(1) + self.home + m.group(3), body)
        out = [(k, v) for k, v in response.headers.raw
               if k.lower() not in (b"content-length", b"content-encoding")]
        return httpx.Response(response.status_code, headers=out, content=body,
                              request=request)


def test_books_on_another_host_of_icloud_are_found_and_synced(store, radicale, book, phone):
    router = Router(radicale, f"https://{BOOKS}/{USER}/")
    books = accounts.test_connection(f"https://{TYPED}/", USER, PASSWORD, transport=router)
    (chosen,) = [b for b in books if b.url.endswith(book)]
    assert chosen.url == f"https://{BOOKS}{book}"
    accounts.add_account(store, "icloud", f"https://{TYPED}/", USER, PASSWORD, [chosen])

    store.add_contact(make_card("Ada Lovelace", phones=["+44 20 7946 0000"]))
    phone.put("grace.vcf", vcard("grace-1", "Grace Hopper"))
    router.seen.clear()
    r = engine.sync_account(store, "icloud", transport=router)
    assert r.uploaded == 1 and r.downloaded == 1 and r.clean
    assert {host for host, _m, _a in router.seen} == {BOOKS}  # every card went there
    assert {c.uid for c in Contact.select()} == {"grace-1", *(
        line[4:] for t in phone.cards().values() for line in t.splitlines()
        if line.startswith("UID:") and "grace" not in line)}

    phone.delete("grace.vcf")
    r = engine.sync_account(store, "icloud", transport=router)
    assert r.deleted_local == 1 and store.find_by_uid("grace-1") is None


@pytest.mark.parametrize("home", [
    "https://evil.test/alice/",                 # another site
    f"http://{BOOKS}/alice/",                   # iCloud's host, but in the clear
    "https://icloud.com.evil.org/alice/",       # looks alike, is not
])
def test_books_on_another_site_or_in_the_clear_get_no_password(radicale, book, home):
    router = Router(radicale, home)
    with pytest.raises(AccountError, match="another site"):
        accounts.test_connection(f"https://{TYPED}/", USER, PASSWORD, transport=router)
    assert all(host == TYPED for host, _m, _a in router.seen)
