"""A week's plan that holds still, and a dormant rotation that goes round everyone.

`week_snapshot.held` keeps everyone the week's plan has shown (JSON, with the words it
said) so skipping or finishing one person never reshuffles the others; `block` is the
block it was planned for (a changed block plans the week afresh). `dormant_turn` keeps
the week each person was last suggested as a reconnect. Neither moves the plan's change
counter (migration 0005): both are written from the plan, not read into its choice
except through its own record.
"""


def up(migrator, db):
    for statement in (
        "ALTER TABLE week_snapshot ADD COLUMN held TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE week_snapshot ADD COLUMN block TEXT NOT NULL DEFAULT ''",
        "CREATE TABLE dormant_turn (contact_id INTEGER NOT NULL PRIMARY KEY "
        "REFERENCES contact (id) ON DELETE CASCADE, week_start DATE NOT NULL)",
    ):
        db.execute_sql(statement)
