"""A small CardDAV client over httpx: discovery, listing, sync-collection, multiget, PUT/DELETE.

Redirects are followed here, not by httpx (which turns PROPFIND into GET on a 302): the
same method and body go again to the Location, at most MAX_REDIRECTS hops. Credentials go
only where the user meant them to: the origin they typed, or over HTTPS another host of a
provider known to split them (`same_site`: iCloud's books live on pNN-contacts.icloud.com).

Every answer is bounded: read as a stream up to MAX_RESPONSE_BYTES, and within a deadline
per request and per client (a sync): httpx's timeouts are per read, so a server sending
a byte every few seconds would otherwise hold a sync forever.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit

import httpx

from ..text import terminal_text

DAV = "DAV:"
CARD = "urn:ietf:params:xml:ns:carddav"
CS = "http://calendarserver.org/ns/"
RADICALE = "http://radicale.org/ns/"
MAX_REDIRECTS = 5
MULTIGET_BATCH = 100
_REDIRECTS = {301, 302, 303, 307, 308}
_SAFE_PATH = "/:@!$&'()*+,;=-._~"
MAX_RESPONSE_BYTES = 64 * 1024**2  # a multiget of 100 cards with photos is a few MB
REQUEST_DEADLINE = 300.0  # seconds for one whole answer, however it trickles in
SESSION_DEADLINE = 2 * 3600.0  # seconds for everything one client does (a whole sync)
# headers that describe the bytes on the wire, not the decoded body kept
_WIRE_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


class DavError(Exception):
    """A problem talking to the server; the message says what happened and what to do."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AuthError(DavError):
    pass


class TooLarge(DavError):
    """The server's answer was larger than MAX_RESPONSE_BYTES: netbook stopped reading."""


class DeadlineExceeded(DavError):
    """A request, or the whole sync, took longer than its deadline."""


class OffSiteError(DavError):
    """The server sent netbook to another site: no password goes there."""


class TokenExpired(DavError):
    """The server no longer knows our sync token (a valid-sync-token error)."""


class PreconditionFailed(DavError):
    """412: the card changed (or appeared) on the server since we read it."""


@dataclass
class AddressBook:
    url: str
    display_name: str = ""
    supports_sync: bool = False
    vcard_version: str = "3.0"
    sync_token: str | None = None


@dataclass
class Member:
    href: str
    etag: str | None


@dataclass
class CollectionState:
    """What a whole-collection write must check and put back (see DavClient.put_collection)."""

    etag: str | None  # from the same listing that found `members` cards
    members: int
    radicale: bool  # the server said it is Radicale (its own `version` property)
    dead_props: dict[str, str]  # clark name → text: the book's name, colour, description…


# properties the server computes; everything else on a collection was set by a client
_LIVE_PROPS = {f"{{{ns}}}{name}" for ns, names in (
    (DAV, ("getetag", "getlastmodified", "getcontenttype", "getcontentlength", "resourcetype",
           "owner", "sync-token", "supported-report-set", "current-user-principal",
           "current-user-privilege-set", "principal-collection-set", "principal-URL",
           "quota-used-bytes", "quota-available-bytes", "creationdate", "lockdiscovery",
           "supportedlock", "acl", "supported-privilege-set")),
    (CARD, ("supported-address-data", "max-resource-size")),
    (CS, ("getctag",)),
    (RADICALE, ("version",)),
) for name in names}


@dataclass
class Changes:
    changed: dict[str, str | None] = field(default_factory=dict)  # href → etag
    deleted: set[str] = field(default_factory=set)
    token: str | None = None


def _tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def norm_path(base: str, href: str) -> str:
    """A server href as one canonical, percent-encoded absolute path."""
    path = urlsplit(urljoin(base, href.strip())).path
    return quote(unquote(path), safe=_SAFE_PATH)


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


# Providers known to answer on one host and keep the address books on others of theirs.
# A general "same site" rule would need the Public Suffix List and still trust everyone
# under a dynamic-DNS domain (alice.synology.me → mallory.synology.me); a short list
# trusts only what we know.
SPLIT_HOST_SITES = ("icloud.com",)


def _under(host: str, site: str) -> bool:
    return host == site or host.endswith("." + site)


def same_site(trusted: tuple[str, str, int | None], url: str) -> bool:
    """Whether credentials meant for `trusted` may go to `url`: the same origin, or over
    HTTPS another host of the same known provider (iCloud answers on contacts.icloud.com
    and keeps the address books on pNN-contacts.icloud.com)."""
    target = origin(url)
    if target == trusted:
        return True
    scheme, host, _port = target
    return scheme == "https" and any(_under(trusted[1], site) and _under(host, site)
                                     for site in SPLIT_HOST_SITES)


def describe(exc: Exception, url: str) -> str:
    """An exception from talking to the server, in words with what to do."""
    host = urlsplit(url).netloc or url
    if isinstance(exc, DavError):
        return str(exc)
    if isinstance(exc, httpx.TimeoutException):
        return (f"{host} did not answer in time. The server may be overloaded or the network "
                "slow; try again later.")
    if isinstance(exc, httpx.ConnectError):
        return (f"Could not connect to {host}: the server is down or the address is wrong. "
                "Check the URL and your network connection, then try again.")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return (f"The connection to {host} was dropped in the middle of the sync. Nothing is "
                "lost; sync again to finish.")
    if isinstance(exc, httpx.HTTPError):
        return f"Network problem with {host}: {exc}. Try again."
    return str(exc)


def status_error(response: httpx.Response, what: str) -> DavError:
    code = response.status_code
    host = response.request.url.host
    if code == 401:
        return AuthError(f"{host} refused the user name or password (401). Check them in the "
                         "account settings (or NETBOOK_PASSWORD).", code)
    if code == 403:
        return DavError(f"{host} does not allow {what} (403 Forbidden). Check that the "
                        "account may use this address book.", code)
    if code == 404:
        return DavError(f"{what}: not found on {host} (404). Check the server address.", code)
    if code == 412:
        return PreconditionFailed(f"{what}: changed on the server meanwhile (412)", code)
    if code >= 500:
        return DavError(f"{host} had an internal error ({code}) on {what}. The problem is "
                        "on the server; try again later.", code)
    reason = terminal_text(response.reason_phrase)[:200]  # the server's words: untrusted
    return DavError(f"{host} answered {code} {reason} to {what}.", code)


def _propfind_body(props: Iterable[tuple[str, str]]) -> bytes:
    root = ET.Element(_tag(DAV, "propfind"))
    prop = ET.SubElement(root, _tag(DAV, "prop"))
    for ns, name in props:
        ET.SubElement(prop, _tag(ns, name))
    return ET.tostring(root, xml_declaration=True, encoding="utf-8")


def _parse(content: bytes) -> ET.Element:
    try:
        return ET.fromstring(content)
    except ET.ParseError as exc:
        raise DavError(f"the server sent an answer that is not valid XML ({exc})") from None


@dataclass
class _Response:
    href: str
    status: int
    props: dict[str, ET.Element]


def _status_code(text: str | None) -> int:
    parts = (text or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _responses(root: ET.Element, base: str) -> list[_Response]:
    out = []
    for resp in root.findall(_tag(DAV, "response")):
        href_el = resp.find(_tag(DAV, "href"))
        if href_el is None or not (raw := href_el.text or "").strip():
            continue
        href = norm_path(base, raw)
        status = _status_code(resp.findtext(_tag(DAV, "status")))
        props: dict[str, ET.Element] = {}
        for propstat in resp.findall(_tag(DAV, "propstat")):
            code = _status_code(propstat.findtext(_tag(DAV, "status")))
            if code != 200:
                continue
            status = status or 200
            prop = propstat.find(_tag(DAV, "prop"))
            for child in prop if prop is not None else []:
                props[child.tag] = child
        out.append(_Response(href, status, props))
    return out


def _href_in(el: ET.Element | None, base: str) -> str | None:
    if el is None:
        return None
    href = el.findtext(_tag(DAV, "href"))
    return urljoin(base, href.strip()) if href and href.strip() else None


class ServerAuth(httpx.Auth):
    """The password in the scheme the server asks for, Basic or Digest (Baïkal, older
    SabreDAV setups). Over HTTPS Basic goes up front, as nearly every server wants (one
    round trip); over plain HTTP nothing is sent until the server's first 401 says how,
    so a Digest server never sees the password in the clear. The scheme learnt is used
    up front for the rest of the session."""

    def __init__(self, username: str, password: str) -> None:
        self.basic = httpx.BasicAuth(username, password)
        self.digest = httpx.DigestAuth(username, password)
        self.scheme: str | None = None  # learnt from the first challenge

    def auth_flow(self, request: httpx.Request):
        if self.scheme == "digest":
            yield from self.digest.auth_flow(request)
            return
        sent_basic = self.scheme == "basic" or request.url.scheme == "https"
        if sent_basic:
            request = next(self.basic.auth_flow(request))
        response = yield request
        if response.status_code != 401:
            return
        offered = {h.split(" ", 1)[0].lower()
                   for h in response.headers.get_list("www-authenticate")}
        if "digest" in offered and not ("basic" in offered and sent_basic):
            # (Basic refused where Basic is accepted is a wrong password: left as it is)
            self.scheme = "digest"
            request.headers.pop("Authorization", None)
            flow = self.digest.auth_flow(request)
            next(flow)  # its first, bare request is the one just refused: answer that
            try:
                response = yield flow.send(response)
                flow.send(response)
            except StopIteration:
                pass
        elif "basic" in offered and not sent_basic:
            self.scheme = "basic"
            yield next(self.basic.auth_flow(request))


class DavClient:
    """One server, one user. `transport` lets tests put a fault injector underneath."""

    def __init__(self, url: str, username: str, password: str, *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None,
                 request_deadline: float = REQUEST_DEADLINE,
                 session_deadline: float = SESSION_DEADLINE,
                 max_response_bytes: int = MAX_RESPONSE_BYTES) -> None:
        self.base_url = url if "://" in url else f"https://{url}"
        self.origin = origin(self.base_url)
        self.http = httpx.Client(auth=ServerAuth(username, password),
                                 follow_redirects=False, timeout=timeout, transport=transport,
                                 headers={"User-Agent": "netbook-carddav/1"})
        self.request_deadline = request_deadline
        self.session_deadline = session_deadline
        self.session_ends = time.monotonic() + session_deadline
        self.max_response_bytes = max_response_bytes
        self._sockets: weakref.WeakSet = weakref.WeakSet()  # this client's connections
        self._cut_off = False

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> DavClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path)

    # -- HTTP with deliberate redirects --------------------------------------
    def request(self, method: str, url: str, *, headers: dict | None = None,
                content: bytes | None = None) -> httpx.Response:
        for _ in range(MAX_REDIRECTS + 1):
            if not same_site(self.origin, url):
                raise OffSiteError(f"the server sent netbook to another site "
                                   f"({urlsplit(url).netloc})"
                                   "; netbook does not send your password there. Use that "
                                   "address as the server URL if you trust it.")
            response = self._bounded(method, url, headers, content)
            if response.status_code not in _REDIRECTS:
                return response
            location = response.headers.get("Location")
            if not location:
                return response
            url = urljoin(url, location)
        raise DavError(f"too many redirects (more than {MAX_REDIRECTS}) from {url}")

    def _bounded(self, method: str, url: str, headers: dict | None,
                 content: bytes | None) -> httpx.Response:
        """One request, its whole answer read within the deadline and the size cap.

        A watchdog shuts this client's sockets down when the deadline passes: that wakes
        a read blocked on a server sending one byte at a time, which no per-read
        timeout can.
        """
        host = urlsplit(url).netloc or url
        now = time.monotonic()
        if now >= self.session_ends:
            raise DeadlineExceeded(self._session_message(host))
        deadline = min(now + self.request_deadline, self.session_ends)
        self._cut_off = False
        watchdog = threading.Timer(deadline - now, self._cut)
        watchdog.daemon = True
        watchdog.start()
        try:
            request = self.http.build_request(method, url, headers=headers, content=content,
                                              extensions={"trace": self._trace})
            response = self.http.send(request, stream=True)
            try:
                body = self._read(response, host, deadline)
            finally:
                response.close()
        except httpx.HTTPError:
            if self._cut_off:
                raise self._late(host, deadline) from None
            raise
        finally:
            watchdog.cancel()
        if self._cut_off:
            raise self._late(host, deadline)
        kept = [(k, v) for k, v in response.headers.multi_items()
                if k.lower() not in _WIRE_HEADERS]
        return httpx.Response(response.status_code, headers=kept, content=body,
                              request=response.request, extensions={
                                  k: v for k, v in response.extensions.items()
                                  if k in ("reason_phrase", "http_version")})

    def _read(self, response: httpx.Response, host: str, deadline: float) -> bytes:
        """The body, decoded, refusing more than max_response_bytes before reading it."""
        cap = self.max_response_bytes
        too_large = TooLarge(
            f"{host} sent an answer larger than {cap // 1024**2} MB; netbook stopped "
            "reading it. The server (or something between you and it) is misbehaving; "
            "check the server address.", response.status_code)
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise too_large
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > cap:
                raise too_large
            if time.monotonic() > deadline:
                raise self._late(host, deadline)
        return bytes(body)

    def _late(self, host: str, deadline: float) -> DeadlineExceeded:
        if deadline >= self.session_ends:
            return DeadlineExceeded(self._session_message(host))
        return DeadlineExceeded(
            f"{host} did not finish answering within {self.request_deadline:g} seconds; "
            "netbook gave up on it. The server may be overloaded; try again later.")

    def _session_message(self, host: str) -> str:
        minutes = self.session_deadline / 60
        span = f"{minutes:g} minutes" if minutes >= 1 else f"{self.session_deadline:g} seconds"
        return (f"the sync with {host} took longer than {span} and was stopped. Nothing is "
                "lost; sync again to go on.")

    def _trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: remember each connection this client opens."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                self._sockets.add(sock)

    def _cut(self) -> None:
        """The deadline passed: wake whatever read is waiting on this client's sockets."""
        self._cut_off = True
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):  # closed meanwhile
                sock.shutdown(socket.SHUT_RDWR)

    def propfind(self, url: str, props: Iterable[tuple[str, str]], depth: int = 0
                 ) -> tuple[str, list[_Response]]:
        """(the URL that answered after redirects, its responses)."""
        response = self.request("PROPFIND", url, content=_propfind_body(props), headers={
            "Depth": str(depth), "Content-Type": "application/xml; charset=utf-8"})
        if response.status_code != 207:
            raise status_error(response, f"reading {urlsplit(url).path or '/'}")
        final = str(response.request.url)
        return final, _responses(_parse(response.content), final)

    # -- discovery (RFC 6764, RFC 6352) --------------------------------------
    def discover(self) -> list[AddressBook]:
        """The address books of this user, from a bare server URL or any URL below it."""
        candidates = []
        if urlsplit(self.base_url).path in ("", "/"):
            candidates.append(self.url("/.well-known/carddav"))
        candidates.append(self.base_url)
        principal = None
        start = self.base_url
        last_error: DavError | None = None
        for candidate in candidates:
            try:
                final, responses = self.propfind(candidate, [(DAV, "current-user-principal"),
                                                             (DAV, "resourcetype")])
            except AuthError:
                raise
            except DavError as exc:
                # a well-known redirect to another site says more than a later 404
                if not isinstance(last_error, OffSiteError):
                    last_error = exc
                continue
            start = final
            for r in responses:
                principal = _href_in(r.props.get(_tag(DAV, "current-user-principal")), final)
                if principal:
                    break
            if principal:
                break
        if principal is None and last_error is not None and start == self.base_url:
            # perhaps the URL is an address book itself
            books = self._books_at(self.base_url, depth=0)
            if books:
                return books
            raise last_error
        homes: list[str] = []
        if principal:
            _, responses = self.propfind(principal, [(CARD, "addressbook-home-set")])
            for r in responses:
                el = r.props.get(_tag(CARD, "addressbook-home-set"))
                if el is not None:
                    homes += [urljoin(principal, h.text.strip())
                              for h in el.findall(_tag(DAV, "href")) if h.text]
        books = []
        for home in homes or [start]:
            books += self._books_at(home, depth=1)
        if not books:
            books = self._books_at(start, depth=0)
        seen: dict[str, AddressBook] = {}
        for b in books:
            seen.setdefault(b.url, b)
        return list(seen.values())

    def _books_at(self, url: str, depth: int) -> list[AddressBook]:
        try:
            final, responses = self.propfind(url, [
                (DAV, "resourcetype"), (DAV, "displayname"), (DAV, "supported-report-set"),
                (CARD, "supported-address-data"), (DAV, "sync-token")], depth=depth)
        except (AuthError, OffSiteError):
            raise
        except DavError:
            return []
        books = []
        for r in responses:
            rtype = r.props.get(_tag(DAV, "resourcetype"))
            if rtype is None or rtype.find(_tag(CARD, "addressbook")) is None:
                continue
            reports = r.props.get(_tag(DAV, "supported-report-set"))
            sync = reports is not None and reports.find(f".//{_tag(DAV, 'sync-collection')}") \
                is not None
            if _tag(DAV, "sync-token") in r.props:
                sync = True
            versions = set()
            data = r.props.get(_tag(CARD, "supported-address-data"))
            if data is not None:
                versions = {t.get("version", "")
                            for t in data.iter(_tag(CARD, "address-data-type"))}
            version = "4.0" if versions and "3.0" not in versions and "4.0" in versions else "3.0"
            name = (r.props[_tag(DAV, "displayname")].text or "").strip() \
                if _tag(DAV, "displayname") in r.props else ""
            href = r.href if r.href.endswith("/") else r.href + "/"
            books.append(AddressBook(url=urljoin(final, href), display_name=name,
                                     supports_sync=sync, vcard_version=version))
        return books

    # -- listing --------------------------------------------------------------
    def sync_token(self, book_url: str) -> str | None:
        _, responses = self.propfind(book_url, [(DAV, "sync-token")])
        for r in responses:
            el = r.props.get(_tag(DAV, "sync-token"))
            if el is not None and (token := (el.text or "").strip()):
                return token
        return None

    def list_members(self, book_url: str) -> dict[str, str | None]:
        """Every card of the address book: href → etag (PROPFIND Depth 1)."""
        final, responses = self.propfind(book_url, [(DAV, "getetag"), (DAV, "resourcetype"),
                                                    (DAV, "getcontenttype")], depth=1)
        own = norm_path(final, final)
        out: dict[str, str | None] = {}
        for r in responses:
            if r.href == own or r.href.rstrip("/") == own.rstrip("/"):
                continue
            rtype = r.props.get(_tag(DAV, "resourcetype"))
            if rtype is not None and len(rtype):  # a collection, not a card
                continue
            etag = r.props.get(_tag(DAV, "getetag"))
            out[r.href] = etag.text.strip() if etag is not None and etag.text else None
        return out

    def sync_collection(self, book_url: str, token: str | None) -> Changes:
        """RFC 6578 changes since `token` ("" / None: everything); TokenExpired if unknown."""
        changes = Changes()
        for _ in range(1000):  # a truncated answer (507) continues from its token
            root = ET.Element(_tag(DAV, "sync-collection"))
            ET.SubElement(root, _tag(DAV, "sync-token")).text = token or ""
            ET.SubElement(root, _tag(DAV, "sync-level")).text = "1"
            prop = ET.SubElement(root, _tag(DAV, "prop"))
            ET.SubElement(prop, _tag(DAV, "getetag"))
            response = self.request("REPORT", book_url, headers={
                "Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
                content=ET.tostring(root, xml_declaration=True, encoding="utf-8"))
            if response.status_code >= 400 and b"valid-sync-token" in response.content:
                raise TokenExpired("the server no longer knows the last sync token",
                                   response.status_code)
            if response.status_code != 207:
                raise status_error(response, "asking for changes")
            final = str(response.request.url)
            xml = _parse(response.content)
            own = norm_path(final, final).rstrip("/")
            truncated = False
            for r in _responses(xml, final):
                if r.href.rstrip("/") == own:
                    truncated = truncated or r.status == 507
                    continue
                if r.status == 404:
                    changes.deleted.add(r.href)
                    changes.changed.pop(r.href, None)
                else:
                    etag = r.props.get(_tag(DAV, "getetag"))
                    changes.changed[r.href] = etag.text.strip() \
                        if etag is not None and etag.text else None
                    changes.deleted.discard(r.href)
            token = (xml.findtext(_tag(DAV, "sync-token")) or "").strip() or token
            changes.token = token
            if not truncated:
                return changes
        raise DavError("the server kept truncating its list of changes")

    def multiget(self, book_url: str, hrefs: list[str]) -> dict[str, tuple[str | None, bytes]]:
        """href → (etag, card bytes) in batches; cards gone meanwhile are left out."""
        out: dict[str, tuple[str | None, bytes]] = {}
        for start in range(0, len(hrefs), MULTIGET_BATCH):
            batch = hrefs[start:start + MULTIGET_BATCH]
            root = ET.Element(_tag(CARD, "addressbook-multiget"))
            prop = ET.SubElement(root, _tag(DAV, "prop"))
            ET.SubElement(prop, _tag(DAV, "getetag"))
            ET.SubElement(prop, _tag(CARD, "address-data"))
            for href in batch:
                ET.SubElement(root, _tag(DAV, "href")).text = href
            response = self.request("REPORT", book_url, headers={
                "Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
                content=ET.tostring(root, xml_declaration=True, encoding="utf-8"))
            if response.status_code != 207:
                raise status_error(response, "fetching cards")
            final = str(response.request.url)
            for r in _responses(_parse(response.content), final):
                data = r.props.get(_tag(CARD, "address-data"))
                if r.status != 200 or data is None or data.text is None:
                    continue
                etag = r.props.get(_tag(DAV, "getetag"))
                out[r.href] = (etag.text.strip() if etag is not None and etag.text else None,
                               data.text.encode("utf-8"))
        return out

    def get(self, href: str) -> tuple[str | None, bytes] | None:
        response = self.request("GET", self.url(href))
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise status_error(response, f"fetching {href}")
        return response.headers.get("ETag"), response.content

    def etag_of(self, href: str) -> str | None:
        _, responses = self.propfind(self.url(href), [(DAV, "getetag")])
        for r in responses:
            el = r.props.get(_tag(DAV, "getetag"))
            if el is not None and el.text:
                return el.text.strip()
        return None

    def collection_state(self, book_url: str) -> CollectionState:
        """The address book's etag and card count (one listing: the etag vouches for that
        count), whether the server is Radicale, and its dead properties."""
        final, responses = self.propfind(book_url, [(DAV, "getetag"), (DAV, "resourcetype")],
                                         depth=1)
        own = norm_path(final, final).rstrip("/")
        etag, members = None, 0
        for r in responses:
            if r.href.rstrip("/") == own:
                tag = r.props.get(_tag(DAV, "getetag"))
                etag = tag.text.strip() if tag is not None and tag.text else None
            else:
                members += 1
        response = self.request("PROPFIND", book_url, headers={
            "Depth": "0", "Content-Type": "application/xml; charset=utf-8"},
            content=b'<?xml version="1.0" encoding="utf-8"?>'
                    b'<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>')
        if response.status_code != 207:
            raise status_error(response, f"reading {urlsplit(book_url).path or '/'}")
        final = str(response.request.url)
        props: dict[str, ET.Element] = {}
        for r in _responses(_parse(response.content), final):
            props.update(r.props)
        own_path = unquote(urlsplit(final).path).strip("/")
        dead = {}
        for name, el in props.items():
            text = (el.text or "").strip()
            if name in _LIVE_PROPS or len(el) or not text:
                continue
            if name == _tag(DAV, "displayname") and text == own_path:
                continue  # Radicale's stand-in for a book without a name
            dead[name] = text
        return CollectionState(etag=etag, members=members,
                               radicale=_tag(RADICALE, "version") in props, dead_props=dead)

    # -- writing --------------------------------------------------------------
    def put(self, href: str, data: bytes, *, etag: str | None = None,
            create: bool = False) -> str | None:
        """Upload a card: `create` with If-None-Match: *, else If-Match: etag. The new etag."""
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        if create:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        response = self.request("PUT", self.url(href), headers=headers, content=data)
        if response.status_code not in (200, 201, 204):
            raise status_error(response, f"uploading {href}")
        new = response.headers.get("ETag")
        return new if new and not new.startswith("W/") else self.etag_of(href)

    def put_collection(self, book_url: str, data: bytes, etag: str) -> None:
        """Radicale only: replace the whole (empty) address book with `data`, many vCards,
        in one request. If-Match on the book's etag: refused (412) if anything changed.

        Not CardDAV: Radicale checks every new card's UID against the whole book, so
        card-by-card creation costs grow with the book (2,000 cards: ~80 s) while one
        write takes seconds. The book's own properties are replaced too: the caller puts
        them back with `proppatch`.
        """
        response = self.request("PUT", book_url, content=data, headers={
            "Content-Type": "text/vcard; charset=utf-8", "If-Match": etag})
        if response.status_code not in (200, 201, 204):
            raise status_error(response, "uploading the address book")

    def proppatch(self, url: str, props: dict[str, str]) -> None:
        """Set text properties (clark names) on `url`."""
        root = ET.Element(_tag(DAV, "propertyupdate"))
        prop = ET.SubElement(ET.SubElement(root, _tag(DAV, "set")), _tag(DAV, "prop"))
        for name, text in props.items():
            ET.SubElement(prop, name).text = text
        response = self.request("PROPPATCH", url, headers={
            "Content-Type": "application/xml; charset=utf-8"},
            content=ET.tostring(root, xml_declaration=True, encoding="utf-8"))
        if response.status_code not in (200, 207):
            raise status_error(response, "naming the address book")
        for r in _responses(_parse(response.content), str(response.request.url)) \
                if response.status_code == 207 else []:
            missing = set(props) - set(r.props)
            if missing:
                raise DavError(f"the server kept only some of the address book's properties "
                               f"(not {', '.join(sorted(missing))})")

    def delete(self, href: str, etag: str | None) -> None:
        headers = {"If-Match": etag} if etag else {}
        response = self.request("DELETE", self.url(href), headers=headers)
        if response.status_code == 404:
            return  # gone already: what we wanted
        if response.status_code not in (200, 204):
            raise status_error(response, f"deleting {href}")
