"""The plan hears about who knows whom: relations, the introducer, an import's mark.

The week's introductions leave out people who know each other already (relations, the
introducer), and the dormant rule reads whether a contact came by an import
(`imported_hash`): the plan epoch (0005) now moves with those too, so a remembered plan
is never the one of before a relationship was made or taken away.
"""

BUMP = "UPDATE plan_epoch SET n = n + 1;"
# the contact columns the plan reads that 0005 and 0009 do not watch (a relation names
# its other side by UID: a UID that changes re-points it)
LINK_COLUMNS = ("introduced_by_id", "imported_hash", "uid")


def up(migrator, db):
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in LINK_COLUMNS)
    for statement in (
        f"CREATE TRIGGER plan_relation_insert AFTER INSERT ON relation BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_relation_update AFTER UPDATE ON relation BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_relation_delete AFTER DELETE ON relation BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_tag_update AFTER UPDATE ON tag BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_contact_links AFTER UPDATE OF {', '.join(LINK_COLUMNS)} "
        f"ON contact WHEN {changed} BEGIN {BUMP} END",
    ):
        db.execute_sql(statement)
