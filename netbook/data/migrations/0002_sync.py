"""CardDAV sync: accounts (with their status), address books, per-card state, conflicts.

Passwords are never stored here: they live in the system keyring.
"""

SCHEMA = [
    """CREATE TABLE sync_account (
        id INTEGER NOT NULL PRIMARY KEY,
        name VARCHAR(255) NOT NULL UNIQUE,
        url TEXT NOT NULL,
        username TEXT NOT NULL,
        created_at DATETIME NOT NULL,
        last_sync_at DATETIME,
        last_status VARCHAR(255) NOT NULL DEFAULT 'never',
        last_message TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE sync_collection (
        id INTEGER NOT NULL PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES sync_account (id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        display_name TEXT NOT NULL DEFAULT '',
        vcard_version VARCHAR(255) NOT NULL DEFAULT '3.0',
        supports_sync INTEGER NOT NULL DEFAULT 0,
        sync_token TEXT,
        position INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE UNIQUE INDEX sync_collection_account_id_url ON sync_collection (account_id, url)",
    """CREATE TABLE sync_item (
        id INTEGER NOT NULL PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES sync_collection (id) ON DELETE CASCADE,
        href TEXT NOT NULL,
        contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
        uid VARCHAR(255) NOT NULL DEFAULT '',
        etag TEXT,
        local_hash VARCHAR(255) NOT NULL DEFAULT '',
        remote_hash VARCHAR(255) NOT NULL DEFAULT '',
        base TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE UNIQUE INDEX sync_item_collection_id_href ON sync_item (collection_id, href)",
    "CREATE INDEX sync_item_contact_id ON sync_item (contact_id)",
    """CREATE TABLE sync_conflict (
        id INTEGER NOT NULL PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES sync_collection (id) ON DELETE CASCADE,
        href TEXT NOT NULL,
        contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
        kind VARCHAR(255) NOT NULL DEFAULT 'edit',
        local_text TEXT NOT NULL DEFAULT '',
        remote_text TEXT NOT NULL DEFAULT '',
        remote_etag TEXT,
        created_at DATETIME NOT NULL
    )""",
    "CREATE UNIQUE INDEX sync_conflict_collection_id_href ON sync_conflict (collection_id, href)",
]


def up(migrator, db):
    for statement in SCHEMA:
        db.execute_sql(statement)
