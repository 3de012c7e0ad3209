"""A change counter for the week plan, kept by triggers so every writer bumps it.

The plan costs ~100 ms at 50,000 contacts; the panel refreshes after every logged call.
`plan_epoch.n` moves whenever something the plan reads changes — a contact's plan
columns, contacts added or removed, skips, settings, an interaction edited, deleted or
carrying a give/ask — whoever writes it (this window, another one, the CLI, a sync).
A plain touch logged (no give, no ask) does not move it: it only changes its contact's
done mark and last note, and `netbook.plan.service` re-reads just that contact (see there).
"""

# every contact column the planner reads, except the ones a plain touch changes
# (last_contacted, last_note), which the cache handles by re-reading the contact
PLAN_COLUMNS = ("display_name", "organization", "best_phone", "best_email", "rhythm_days",
                "circle", "created_at", "birthday", "met_on", "met_where", "does", "needs",
                "offers", "follow_up", "follow_up_note", "snoozed_until", "deleted_at",
                "gave_count", "asked_count")
BUMP = "UPDATE plan_epoch SET n = n + 1;"


def up(migrator, db):
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in PLAN_COLUMNS)
    for statement in (
        "CREATE TABLE plan_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
        "INSERT INTO plan_epoch (id, n) VALUES (1, 0)",
        f"CREATE TRIGGER plan_contact_insert AFTER INSERT ON contact BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_contact_delete AFTER DELETE ON contact BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_contact_update AFTER UPDATE ON contact WHEN {changed} "
        f"BEGIN {BUMP} END",
        "CREATE TRIGGER plan_interaction_insert AFTER INSERT ON interaction "
        f"WHEN NEW.exchange != '' BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_interaction_update AFTER UPDATE ON interaction BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_interaction_delete AFTER DELETE ON interaction BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_skip_insert AFTER INSERT ON week_skip BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_skip_update AFTER UPDATE ON week_skip BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_skip_delete AFTER DELETE ON week_skip BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_setting_insert AFTER INSERT ON setting BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_setting_update AFTER UPDATE ON setting BEGIN {BUMP} END",
        f"CREATE TRIGGER plan_setting_delete AFTER DELETE ON setting BEGIN {BUMP} END",
    ):
        db.execute_sql(statement)
