"""CSV export in Google's layout: spreadsheets open it, formulas in it are neutralised,
and it comes back through netbook's own Google reader with nothing lost that the
layout can hold."""

from __future__ import annotations

import csv
import io

from helpers import CSV_SAMPLES, import_contacts, make_card

from netbook.data.contacts import Store
from netbook.data.csv.export import export_csv
from netbook.data.vcard.card import Address, TypedValue


def exported(store: Store) -> bytes:
    buffer = io.BytesIO()
    export_csv(store, buffer)
    return buffer.getvalue()


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def summary(store: Store) -> list[tuple]:
    """What a user sees of each contact, comparable across two books."""
    out = []
    for row in store.list_rows():
        c = store.get_card(row.id)
        out.append((c.display_name, c.name_parts, c.organization, c.department, c.title,
                    [(e.value, e.types, e.pref) for e in c.emails],
                    [(p.value, p.types, p.label) for p in c.phones],
                    [a.parts() for a in c.addresses], [u.value for u in c.urls],
                    c.birthday, c.anniversary, c.categories, c.note, c.nickname))
    return out


def test_utf8_with_bom_crlf_and_googles_header(store):
    store.add_contact(make_card("Ada Lovelace", emails=["ada@example.org"]))
    data = exported(store)
    assert data.startswith(b"\xef\xbb\xbfFirst Name,Middle Name,Last Name,")
    assert b"\r\n" in data
    assert b",Labels,E-mail 1 - Label,E-mail 1 - Value" in data.split(b"\r\n")[0]
    [row] = rows(data)
    assert (row["First Name"], row["Last Name"], row["E-mail 1 - Value"]) == (
        "Ada", "Lovelace", "ada@example.org")
    assert row["Labels"] == "* myContacts"


def test_cells_that_would_start_a_formula_are_neutralised(store):
    card = make_card("Eve Mallory", phones=["+1 555 010 0001"],
                     note='=HYPERLINK("http://evil.example","click")',
                     org="@SUM(A1:A9)")
    card.set_text("TITLE", "-2+3")
    card.set_text("NICKNAME", "\tTabbed")
    store.add_contact(card)
    [row] = rows(exported(store))
    assert row["Notes"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert row["Organization Name"] == "'@SUM(A1:A9)"
    assert row["Organization Title"] == "'-2+3"
    assert row["Nickname"] == "'\tTabbed"
    assert row["Phone 1 - Value"] == "'+1 555 010 0001"
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_the_export_round_trips_through_the_google_reader(store, tmp_path):
    import_contacts(store, CSV_SAMPLES / "google_contacts.csv")
    import_contacts(store, CSV_SAMPLES / "outlook_desktop_cp1252.csv")
    card = make_card("Eve Mallory", phones=["+1 555 010 0001"], emails=["eve@example.org"],
                     tags=["Starred", "a, b"], note="=1+1\nsecond line", birthday="--02-29")
    card.set_addresses([Address(street="1 Main St\nUnit 4", locality="Springfield",
                                region="IL", postal_code="62701", country="US",
                                types=("work",))])
    card.set_typed("URL", [TypedValue("https://eve.example", ("home",))])
    store.add_contact(card)
    path = tmp_path / "contacts.csv"
    assert export_csv(store, path) == 8
    before = summary(store)
    store.close()  # one book open at a time in a process

    with Store.open(tmp_path / "other.sqlite3") as other:
        plan, result = import_contacts(other, path)
        assert plan.errors == [] and plan.warnings == []
        assert result.new == 8
        assert summary(other) == before


def test_reimporting_the_export_into_the_same_book_changes_nothing(store, tmp_path):
    import_contacts(store, CSV_SAMPLES / "linkedin_Connections.csv")
    import_contacts(store, CSV_SAMPLES / "google_contacts.csv")
    path = tmp_path / "contacts.csv"
    export_csv(store, path)
    _, result = import_contacts(store, path)
    assert (result.new, result.updated, result.merged) == (0, 0, 0)
    assert result.unchanged == store.count()


def test_a_tag_exports_only_its_contacts(store, tmp_path):
    store.add_contact(make_card("Ada Lovelace", tags=["Friends"]))
    store.add_contact(make_card("Bob Burns"))
    buffer = io.BytesIO()
    assert export_csv(store, buffer, tag="Friends") == 1
    assert [r["First Name"] for r in rows(buffer.getvalue())] == ["Ada"]


APPLE_FAMILY = """BEGIN:VCARD
VERSION:3.0
N:Park;Jo;;;
FN:Jo Park
item1.X-ABRELATEDNAMES:Sam Park
item1.X-ABLabel:_$!<Spouse>!$_
item2.X-ABDATE:2015-07-08
item2.X-ABLabel:_$!<Anniversary>!$_
UID:jo-park
END:VCARD
"""


def test_the_csv_holds_the_card_never_who_knows_whom_in_netbook(store, tmp_path):
    """What netbook knows of people's ties (relate, introduced by) is private; the
    card's own relations come out with their labels in words."""
    from netbook.data import networking, operations
    from netbook.data.vcard.reader import parse_card_text

    jo = store.add_contact(parse_card_text(APPLE_FAMILY))
    pierre = store.add_contact(make_card("Pierre Lefevre"))
    operations.relate(store, jo, pierre, "friend")
    networking.set_networking(store, pierre, introduced_by=jo, needs="a flat")
    by_name = {r["First Name"]: r for r in rows(exported(store))}
    assert (by_name["Jo"]["Relation 1 - Label"], by_name["Jo"]["Relation 1 - Value"]) == (
        "Spouse", "Sam Park")
    assert (by_name["Jo"]["Event 1 - Label"], by_name["Jo"]["Event 1 - Value"]) == (
        "Anniversary", "2015-07-08")
    assert not any("Lefevre" in v for v in by_name["Jo"].values())  # a friend in netbook
    assert not any("Park" in v for v in by_name["Pierre"].values())  # his introducer
    cells = [v for r in by_name.values() for v in r.values()]
    assert not any("$!<" in v or "a flat" in v for v in cells)
    # and the file read back into the same book changes no one
    path = tmp_path / "contacts.csv"
    export_csv(store, path)
    _, result = import_contacts(store, path)
    assert result.unchanged == 2 and (result.new, result.updated) == (0, 0)
    assert [p.text for p in store.get_card(jo).get("X-ABRELATEDNAMES")] == ["Sam Park"]
