"""A covering index for the contact list: search, filters and sorting read it alone.

Each contact row carries its whole vCard and thumbnail; listing 50,000 of them read
every row's pages. The index holds just what the list shows and searches.
"""


def up(migrator, db):
    db.execute_sql("ALTER TABLE contact ADD COLUMN has_photo INTEGER NOT NULL DEFAULT 0")
    db.execute_sql("UPDATE contact SET has_photo = thumbnail IS NOT NULL")
    db.execute_sql(
        "CREATE INDEX contact_list ON contact (deleted_at, sort_key, id, display_name, "
        "organization, org_key, last_contacted, has_photo, search_text, phone_digits)"
    )
