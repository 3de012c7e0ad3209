"""Each contact's `netbook list --format json` fields, stored beside its other derived
columns, so listing 100,000 contacts as JSON is one query that parses no vCard (it
parsed every card, one query each: 86 s at 100,000; issue 11).

Filled here from every stored card, with the same function the store indexes with.
"""

from __future__ import annotations


def up(migrator, db):
    from netbook.data.contacts import card_json
    from netbook.data.vcard.reader import parse_card_text

    columns = {row[1] for row in db.execute_sql("PRAGMA table_info(contact)").fetchall()}
    if "card_json" not in columns:  # main briefly numbered this script 0009 (f72d4b1)
        db.execute_sql("ALTER TABLE contact ADD COLUMN card_json TEXT NOT NULL DEFAULT ''")
    rows = db.execute_sql("SELECT id, vcard FROM contact").fetchall()
    filled = []
    for cid, vcard in rows:
        try:
            filled.append((card_json(parse_card_text(vcard)), cid))
        except ValueError:  # a damaged record: `list` reads it as before, from its vCard
            continue
    db.cursor().executemany("UPDATE contact SET card_json = ? WHERE id = ?", filled)
