"""The UIDs of contacts merged into another, so they keep pointing at the merged one.

After "Find Duplicates" merges B into A, B's card (with B's UID) is still in the file a
user imported from, and on a server that another device syncs: importing that file again,
or a sync bringing B's card, must land on A instead of bringing B back.
"""


def up(migrator, db):
    db.execute_sql(
        "CREATE TABLE merged_uid ("
        "uid VARCHAR(255) NOT NULL PRIMARY KEY, "
        "contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE, "
        "merged_at DATETIME NOT NULL)")
    db.execute_sql("CREATE INDEX merged_uid_contact_id ON merged_uid (contact_id)")
