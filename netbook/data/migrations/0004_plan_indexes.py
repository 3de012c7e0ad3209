"""Indexes for the week planner's candidate queries (one per rule), so a plan reads the
few people each rule can pick instead of scanning every contact row."""

LAST_TOUCH = ("coalesce(nullif(max(coalesce(last_contacted, ''), coalesce(met_on, '')), ''), "
              "date(created_at))")


def up(migrator, db):
    for statement in (
        "CREATE INDEX contact_follow_up ON contact (follow_up) WHERE follow_up IS NOT NULL",
        "CREATE INDEX contact_birthday_md ON contact (substr(birthday, -5)) "
        "WHERE birthday IS NOT NULL",
        "CREATE INDEX contact_met_on ON contact (met_on) WHERE met_on IS NOT NULL",
        f"CREATE INDEX contact_due ON contact (date({LAST_TOUCH}, '+' || rhythm_days || ' days'))"
        " WHERE rhythm_days > 0",
        "CREATE INDEX contact_owing ON contact (gave_count - asked_count, id) "
        "WHERE asked_count > gave_count",
        f"CREATE INDEX contact_dormant ON contact ({LAST_TOUCH}, id) WHERE rhythm_days IS NULL",
    ):
        db.execute_sql(statement)
