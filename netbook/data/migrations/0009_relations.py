"""Relationships between contacts (RFC 6350 RELATED), and the plan hearing about work.

A relation row belongs to one contact and names the other by UID, not by id: a card
that says "colleague of urn:uuid:…" may arrive before that colleague does (an import in
two files, a sync page by page), and the row is kept until the other card turns up;
reading joins it to whoever has that UID now.

The week's introductions match needs against what people do, their title and their
tags; the plan epoch (0005) already moves with `does` and the organisation, and now with
the title and the tags too.
"""

BUMP = "UPDATE plan_epoch SET n = n + 1;"


def up(migrator, db):
    for statement in (
        "CREATE TABLE relation (id INTEGER NOT NULL PRIMARY KEY, "
        "contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE, "
        "other_uid VARCHAR(255) NOT NULL, type VARCHAR(255) NOT NULL)",
        "CREATE UNIQUE INDEX relation_contact_id_other_uid_type ON relation "
        "(contact_id, other_uid, type)",
        "CREATE INDEX relation_other_uid ON relation (other_uid)",
        "CREATE TRIGGER plan_contact_title AFTER UPDATE OF title ON contact "
        f"WHEN OLD.title IS NOT NEW.title BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_tag_insert AFTER INSERT ON tag BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_tag_delete AFTER DELETE ON tag BEGIN {BUMP} END",
    ):
        db.execute_sql(statement)
