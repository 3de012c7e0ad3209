"""Two-way CardDAV sync (no Qt): accounts, the DAV client, the sync engine, conflicts.

Inside: accounts.py (accounts, keyring), dav.py (the HTTP client), engine.py (the rules,
per address book and per card), fingerprints.py (what each side holds), state.py (what a
sync remembers), incoming.py (a server card written here), bulk.py (the whole-book
upload into an empty Radicale book), conflicts.py (list and resolve).

For the window and the command line:

    test_connection(url, user, password) → [AddressBook]     discovery ("Test connection")
    test_account(store, name) → [AddressBook]                 the same for a saved account
    add_account(store, name, url, user, password, books)     password → system keyring
    update_account / remove_account / list_accounts(store) → [AccountInfo] (with status)
    sync_account(store, name, prefer=None, allow_empty=False, progress=cb) → SyncResult
    sync_all(store, names=None, prefer=…, allow_empty=…, progress=cb) → AccountSync each
    list_conflicts(store) → [ConflictInfo];  resolve_conflict(store, id, "local"|"remote"|"merge")
"""

from .accounts import (
    AccountError,
    AccountInfo,
    add_account,
    get_password,
    list_accounts,
    remove_account,
    set_password,
    test_account,
    test_connection,
    update_account,
)
from .conflicts import ConflictInfo, list_conflicts, resolve_conflict
from .dav import AddressBook, DavClient, DavError
from .engine import AccountSync, SafetyStop, SyncError, SyncResult, sync_account, sync_all

__all__ = [
    "AccountError",
    "AccountInfo",
    "AccountSync",
    "AddressBook",
    "ConflictInfo",
    "DavClient",
    "DavError",
    "SafetyStop",
    "SyncError",
    "SyncResult",
    "add_account",
    "get_password",
    "list_accounts",
    "list_conflicts",
    "remove_account",
    "resolve_conflict",
    "set_password",
    "sync_account",
    "sync_all",
    "test_account",
    "test_connection",
    "update_account",
]
