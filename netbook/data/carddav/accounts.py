"""CardDAV accounts: name, server URL, user name and the chosen address books.

The password lives in the system keyring (service "netbook-carddav", one entry per
account name), never in the database; `NETBOOK_PASSWORD`, when set, wins (scripts,
headless machines without a keyring).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass

import httpx

from ..contacts import Store, StoreError
from ..models import SyncAccount, SyncCollection
from .dav import AddressBook, DavClient, DavError, describe

KEYRING_SERVICE = "netbook-carddav"
PASSWORD_ENV = "NETBOOK_PASSWORD"


class AccountError(StoreError):
    """An account that can't be added or used; the message is for the user."""


@dataclass(frozen=True)
class AccountInfo:
    id: int
    name: str
    url: str
    username: str
    address_books: list[tuple[str, str]]  # (url, display name)
    last_sync_at: dt.datetime | None
    last_status: str  # never | ok | conflicts | error | running
    last_message: str


def _keyring():
    import keyring  # imported late: finding a backend can be slow

    return keyring


def set_password(name: str, password: str) -> None:
    try:
        _keyring().set_password(KEYRING_SERVICE, name, password)
    except Exception as exc:  # keyring.errors.*: no backend, locked, refused
        raise AccountError(f"the password could not be saved in the system keyring ({exc}). "
                           f"Set {PASSWORD_ENV} instead for this machine.") from None


def get_password(name: str) -> str | None:
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    try:
        return _keyring().get_password(KEYRING_SERVICE, name)
    except Exception:
        return None


def _forget_password(name: str) -> None:
    with contextlib.suppress(Exception):  # not there, or no keyring: nothing to forget
        _keyring().delete_password(KEYRING_SERVICE, name)


def test_connection(url: str, username: str, password: str, *,
                    transport: httpx.BaseTransport | None = None,
                    timeout: float = 20.0) -> list[AddressBook]:
    """Discover the user's address books (the "Test connection" button); AccountError."""
    try:
        with DavClient(url, username, password, transport=transport, timeout=timeout) as dav:
            books = dav.discover()
    except (DavError, httpx.HTTPError) as exc:
        raise AccountError(describe(exc, url)) from None
    if not books:
        raise AccountError(f"{url}: the server answered but shows no address book for "
                           f"{username}. Create one on the server (or check the URL).")
    return books


def test_account(store: Store, name: str, password: str | None = None, *,
                 transport: httpx.BaseTransport | None = None) -> list[AddressBook]:
    """"Test connection" for a saved account (its keyring password unless one is given)."""
    account = get_account(name)
    password = password or get_password(name)
    if not password:
        raise AccountError(f"no password for account “{name}”: enter it again (it goes to "
                           f"the system keyring) or set {PASSWORD_ENV}")
    return test_connection(account.url, account.username, password, transport=transport)


def _unique(books: list[AddressBook]) -> list[AddressBook]:
    """The books in their order, each URL once."""
    unique: dict[str, AddressBook] = {}
    for book in books:
        unique.setdefault(book.url, book)
    return list(unique.values())


def _new_collection(account: SyncAccount, book: AddressBook, position: int) -> None:
    SyncCollection.create(account=account, url=book.url, display_name=book.display_name,
                          vcard_version=book.vcard_version,
                          supports_sync=book.supports_sync, position=position)


def add_account(store: Store, name: str, url: str, username: str, password: str | None,
                books: list[AddressBook], *, save_password: bool = True) -> int:
    """Save an account with the chosen address books (the first receives new contacts)."""
    name = name.strip()
    if not name:
        raise AccountError("an account needs a name")
    books = _unique(books)
    if not books:
        raise AccountError("choose at least one address book to sync")
    if SyncAccount.select().where(SyncAccount.name == name).exists():
        raise AccountError(f"there is an account “{name}” already")
    if password and save_password:
        set_password(name, password)
    with store.db.atomic():
        account = SyncAccount.create(name=name, url=url, username=username)
        for i, book in enumerate(books):
            _new_collection(account, book, i)
    return account.id


def update_account(store: Store, name: str, *, url: str | None = None,
                   username: str | None = None, password: str | None = None,
                   books: list[AddressBook] | None = None) -> None:
    """Change an account; None leaves a part as it is.

    `books` is the whole new choice of address books, in order (the first receives new
    contacts), matched to the synced ones by URL: a book kept keeps its sync state (sync
    token, cards, conflicts) and only moves to its new place; a new one starts unsynced;
    one left out is forgotten with its sync state, while its contacts stay in netbook —
    like every contact here that no address book of the account holds, they go to the
    first book at the next sync. All in one transaction; at least one book must remain.
    """
    account = get_account(name)
    if books is not None:
        books = _unique(books)
        if not books:
            raise AccountError(f"the account “{name}” must sync at least one address book: "
                               "tick one, or remove the account")
    with store.db.atomic():
        if url is not None:
            account.url = url
        if username is not None:
            account.username = username
        account.save()
        if books is not None:
            synced = {c.url: c for c in
                      SyncCollection.select().where(SyncCollection.account == account)}
            wanted = {b.url for b in books}
            gone = [c.id for u, c in synced.items() if u not in wanted]
            if gone:  # ON DELETE CASCADE takes their SyncItem and SyncConflict rows
                SyncCollection.delete().where(SyncCollection.id.in_(gone)).execute()
            for i, book in enumerate(books):
                coll = synced.get(book.url)
                if coll is None:
                    _new_collection(account, book, i)
                    continue
                changes: dict[str, int | str] = {}
                if coll.position != i:
                    changes["position"] = i
                if book.display_name and book.display_name != coll.display_name:
                    changes["display_name"] = book.display_name
                if changes:
                    SyncCollection.update(**changes).where(
                        SyncCollection.id == coll.id).execute()
    if password:
        set_password(name, password)


def remove_account(store: Store, name: str) -> None:
    """Forget the account, its sync state and its password; the contacts stay."""
    account = get_account(name)
    with store.db.atomic():
        account.delete_instance(recursive=False)  # ON DELETE CASCADE takes the rest
    _forget_password(name)


def get_account(name: str) -> SyncAccount:
    account = SyncAccount.get_or_none(SyncAccount.name == name)
    if account is None:
        names = ", ".join(a.name for a in SyncAccount.select().order_by(SyncAccount.name))
        raise AccountError(f"no account “{name}”" + (f" (there is: {names})" if names
                                                      else " (add one with `netbook account "
                                                      "add`)"))
    return account


def list_accounts(store: Store) -> list[AccountInfo]:
    out = []
    for a in SyncAccount.select().order_by(SyncAccount.name):
        books = [(c.url, c.display_name) for c in
                 SyncCollection.select().where(SyncCollection.account == a)
                 .order_by(SyncCollection.position)]
        out.append(AccountInfo(a.id, a.name, a.url, a.username, books, a.last_sync_at,
                               a.last_status, a.last_message))
    return out
