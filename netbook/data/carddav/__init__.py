"""Two-way CardDAV sync (no Qt): accounts, the DAV client, the sync engine, conflicts.

For the window and the command line:

    test_connection(url, user, password) → [AddressBook]     discovery ("Test connection")
    test_account(store, name) → [AddressBook]                 the same for a saved account
    add_account(store, name, url, user, password, books)     password → system keyring
    update_account / remove_account / list_accounts(store) → [AccountInfo] (with status)
    sync_account(store, name, prefer=None, allow_empty=False, progress=cb) → SyncResult
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
from .dav import AddressBook, DavClient, DavError
from .engine import (
    ConflictInfo,
    SafetyStop,
    SyncError,
    SyncResult,
    list_conflicts,
    resolve_conflict,
    sync_account,
)

__all__ = [
    "AccountError",
    "AccountInfo",
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
    "test_account",
    "test_connection",
    "update_account",
]
