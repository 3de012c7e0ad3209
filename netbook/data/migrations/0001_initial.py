"""The first schema: contacts (vCard + derived index), keys, tags, interactions, settings."""

SCHEMA = [
    """CREATE TABLE contact (
        id INTEGER NOT NULL PRIMARY KEY,
        uid VARCHAR(255) NOT NULL UNIQUE,
        vcard TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        display_name TEXT NOT NULL DEFAULT '',
        sort_key TEXT NOT NULL DEFAULT '',
        organization TEXT NOT NULL DEFAULT '',
        org_key TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        search_text TEXT NOT NULL DEFAULT '',
        phone_digits TEXT NOT NULL DEFAULT '',
        best_phone TEXT NOT NULL DEFAULT '',
        best_email TEXT NOT NULL DEFAULT '',
        birthday VARCHAR(255),
        thumbnail BLOB,
        content_hash VARCHAR(255) NOT NULL DEFAULT '',
        imported_hash VARCHAR(255) NOT NULL DEFAULT '',
        edited_at DATETIME,
        created_at DATETIME NOT NULL,
        updated_at DATETIME NOT NULL,
        deleted_at DATETIME,
        last_contacted DATE,
        gave_count INTEGER NOT NULL DEFAULT 0,
        asked_count INTEGER NOT NULL DEFAULT 0,
        last_note TEXT NOT NULL DEFAULT '',
        rhythm_days INTEGER,
        circle VARCHAR(255),
        met_on DATE,
        met_where TEXT NOT NULL DEFAULT '',
        introduced_by_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
        does TEXT NOT NULL DEFAULT '',
        needs TEXT NOT NULL DEFAULT '',
        offers TEXT NOT NULL DEFAULT '',
        follow_up DATE,
        follow_up_note TEXT NOT NULL DEFAULT '',
        snoozed_until DATE
    )""",
    "CREATE INDEX contact_sort_key ON contact (sort_key)",
    "CREATE INDEX contact_org_key ON contact (org_key)",
    "CREATE INDEX contact_content_hash ON contact (content_hash)",
    "CREATE INDEX contact_deleted_at ON contact (deleted_at)",
    "CREATE INDEX contact_last_contacted ON contact (last_contacted)",
    "CREATE INDEX contact_introduced_by_id ON contact (introduced_by_id)",
    """CREATE TABLE contact_key (
        id INTEGER NOT NULL PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
        kind VARCHAR(255) NOT NULL,
        value VARCHAR(255) NOT NULL
    )""",
    "CREATE INDEX contact_key_contact_id ON contact_key (contact_id)",
    "CREATE INDEX contact_key_value ON contact_key (value)",
    """CREATE TABLE tag (
        contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
        name VARCHAR(255) NOT NULL,
        PRIMARY KEY (contact_id, name)
    )""",
    "CREATE INDEX tag_name ON tag (name)",
    """CREATE TABLE interaction (
        id INTEGER NOT NULL PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
        "on" DATE NOT NULL,
        kind VARCHAR(255) NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        exchange VARCHAR(255) NOT NULL DEFAULT '',
        gift VARCHAR(255) NOT NULL DEFAULT '',
        created_at DATETIME NOT NULL
    )""",
    'CREATE INDEX interaction_contact_on ON interaction (contact_id, "on")',
    'CREATE INDEX interaction_on ON interaction ("on")',
    "CREATE TABLE setting (key VARCHAR(255) NOT NULL PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE week_skip (
        contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
        week_start DATE NOT NULL,
        PRIMARY KEY (contact_id, week_start)
    )""",
    """CREATE TABLE week_snapshot (
        week_start DATE NOT NULL PRIMARY KEY,
        contact_ids TEXT NOT NULL DEFAULT ''
    )""",
]


def up(migrator, db):
    for statement in SCHEMA:
        db.execute_sql(statement)
