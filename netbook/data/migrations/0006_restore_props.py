"""Properties of an address book waiting to be put back after a whole-book write.

Radicale replaces a book's name, colour and description when the book is written whole
(netbook's first upload there); they are saved here before the write and cleared once
the server has them again, so a sync cut off in between puts them back next time.
"""


def up(migrator, db):
    db.execute_sql("ALTER TABLE sync_collection ADD COLUMN restore_props TEXT NOT NULL "
                   "DEFAULT ''")
