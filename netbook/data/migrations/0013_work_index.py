"""Who can help, at 50,000 contacts: the work columns (and needs) in small indexes.

Who-can-help and the week's introductions sieve every live contact's work (what they do,
title, organisation) with LIKE; scanning the contact table reads every card's full text
and photo on the way (~40 ms at 50,000), a scan of this index only the words (~13 ms).
"""


# Numbered 0013 (it landed as a second 0012, beside 0012_sort_indexes): a database that
# reached schema 12 with the other 0012 alone never ran it, and the queries that name
# these indexes (INDEXED BY) failed there. IF NOT EXISTS: one that ran both keeps them.


def up(migrator, db):
    for statement in (
        "CREATE INDEX IF NOT EXISTS contact_work "
        "ON contact (does, title, organization, display_name) WHERE deleted_at IS NULL",
        "CREATE INDEX IF NOT EXISTS contact_needs ON contact (needs, display_name) "
        "WHERE deleted_at IS NULL AND needs != ''",
    ):
        db.execute_sql(statement)
