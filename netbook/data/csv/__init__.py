"""CSV contacts: LinkedIn, Google and Outlook exports and any mapped spreadsheet, in and out.

The readers turn rows into netbook cards (with how-we-met as X-NETBOOK-* lines) for
data/importing.py's plan → preview → apply, exactly like vCards; `detect.ContactsReader`
recognises the format by content. Cards from rows are *partial* (ParsedCard.partial):
they update the contact they match instead of replacing its card. `export` writes
Google's layout.

    table.py    bytes → records: encodings, line ends, bad quotes, bounded memory
    fields.py   a row's values → a card (names, typed values, dates)
    layout.py   the loop every layout shares: header, row numbers, date order
    linkedin.py, google.py, outlook.py, generic.py (a column mapping, remembered)
    detect.py   which format a file is; the importer's reader for all of them
    export.py   Google CSV out, with formula cells neutralised
"""
