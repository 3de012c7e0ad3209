"""Real exports that strict readers refuse come out of netbook valid, with nothing lost.

The files in exports/ are written the way each program writes them: KAddressBook's
`X-messaging/aim-All` names, Apple's `URL:http\\://…`, Outlook 2003's windows-1250 without
a CHARSET, The Bat!'s raw 8-bit text, Lotus Notes' PROFILE:VCard. Each class of trap has
its tests here (charsets in test_vcard_charsets.py); the last test imports them all into
one book and has vobject read every export of it, 3.0 and 4.0.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import vobject
from vobject.vcard import Address, Name

from netbook.data.contacts import Store
from netbook.data.exporting import export_vcards
from netbook.data.importing import apply_import, plan_import
from netbook.data.models import Contact
from netbook.data.vcard import (
    Card,
    Property,
    TypedValue,
    card_to_text,
    inline_binary,
    read_vcards,
    split_unescaped,
    structured,
    unescape_text,
    write_vcards,
)
from netbook.data.vcard.fidelity import URI_NAMES

EXPORTS = Path(__file__).parent / "exports"


def read(name: str) -> list[Card]:
    result = read_vcards((EXPORTS / name).read_bytes(), name)
    assert result.errors == [] and result.file_error is None
    assert all(pc.warnings == [] for pc in result.cards), [pc.warnings for pc in result.cards]
    return [pc.card for pc in result.cards]


def reread(cards: list[Card], version: str) -> list[Card]:
    again = read_vcards(write_vcards(cards, version))
    assert again.errors == [] and all(pc.warnings == [] for pc in again.cards)
    return [pc.card for pc in again.cards]


def strict(data: bytes) -> list:
    """vobject, strict as it comes: one bad line anywhere and the whole file is refused."""
    return list(vobject.readComponents(data.decode("utf-8")))


# ---------------------------------------------------------------------------
# 1. property names outside the vCard grammar (KDE)


def test_kde_instant_messaging_names_become_impp_lines_that_clients_read():
    jan, anna = read("kde_kaddressbook.vcf")
    assert [(p.value, p.params) for p in jan.get("IMPP")] == [
        ("aim:jannovak", [("X-SERVICE-TYPE", "AIM")]),
        ("icq:123456789", [("X-SERVICE-TYPE", "ICQ")]),
        # two addresses in one KDE value (joined by U+E000) are two lines
        ("xmpp:jan@jabber.example.org", [("X-SERVICE-TYPE", "Jabber")]),
        ("xmpp:jan.work@jabber.example.org", [("X-SERVICE-TYPE", "Jabber")]),
        ("skype:jan.novak.work", [("X-SERVICE-TYPE", "Skype"), ("TYPE", "work")]),
        ("wechat:jan-nv", [("X-SERVICE-TYPE", "wechat")]),  # a service KDE knows, we don't
    ]
    assert [p.value for p in anna.get("IMPP")] == ["twitter:annakow", "gg:1234567",
                                                  "ymsgr:anna.k"]
    # the detail pane shows them: IMPP lines are the handles a user can edit
    assert [v.value for v in jan.impps if v.index is not None][:2] == [
        "aim:jannovak", "icq:123456789"]


def test_other_names_outside_the_grammar_keep_a_valid_name_and_the_original_one():
    jan, _ = read("kde_kaddressbook.vcf")
    (pet,) = jan.get("X-CUSTOM-FIELD-PET")
    assert pet.text == "Rex"
    assert pet.param_values("X-NETBOOK-RAW-NAME") == ["X-Custom_Field/Pet"]
    assert not [p for p in jan.properties if "/" in p.name or "_" in p.name]


def test_a_group_outside_the_grammar_keeps_its_lines_together():
    data = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nitem_1.TEL:+1 555 0100\r\n"
            b"item_1.X-ABLabel:boat\r\nEND:VCARD\r\n")
    (card,) = [pc.card for pc in read_vcards(data).cards]
    assert card.phones[0].value == "+1 555 0100"
    assert card.phones[0].label == "boat"
    assert {p.group for p in card.properties if p.group} == {"item-1"}


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_kde_cards_import_export_import_to_the_same_fields(version: str):
    first = read("kde_kaddressbook.vcf")
    again = reread(first, version)
    if version == "3.0":
        assert again == first  # the very same lines
    for a, b in zip(first, again, strict=True):
        assert (a.impps, a.phones, a.emails, a.urls) == (b.impps, b.phones, b.emails, b.urls)
        assert a.name_parts == b.name_parts
        assert a.get("X-CUSTOM-FIELD-PET") == b.get("X-CUSTOM-FIELD-PET")
    heads = [re.split("[;:]", line, maxsplit=1)[0]
             for line in write_vcards(first, version).decode("utf-8").splitlines()]
    assert all(re.fullmatch(r"([A-Za-z0-9-]+\.)?[A-Za-z0-9-]+", h) for h in heads), heads
    assert len(strict(write_vcards(first, version))) == 2


def test_a_card_stored_before_this_fix_exports_valid(store: Store, tmp_path: Path):
    cid = store.add_contact(Card(properties=[Property("FN", "Old Kde")]))
    legacy = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Old Kde\r\nUID:old-1\r\n"
              "X-MESSAGING/AIM-ALL:oldkde\r\nPROFILE:VCard\r\nURL:http\\://old.example.org\r\n"
              "END:VCARD\r\n")
    Contact.update(vcard=legacy).where(Contact.id == cid).execute()  # an older netbook's row
    target = tmp_path / "out.vcf"
    export_vcards(store, target)
    (component,) = strict(target.read_bytes())
    assert component.impp.value == "aim:oldkde"
    assert component.url.value == "http://old.example.org"
    assert store.get_card(cid).impps[0].value == "aim:oldkde"


def test_the_writer_makes_valid_what_code_hands_it():
    card = Card(properties=[Property("FN", "Ann"), Property("X-messaging/icq-All", "42"),
                            Property("X-FOO/BAR", "x", [], "my_group"),
                            Property("PROFILE", "VCARD")])
    text = card_to_text(card)
    assert "IMPP;X-SERVICE-TYPE=ICQ:icq:42" in text
    assert "my-group.X-FOO-BAR;X-NETBOOK-RAW-NAME=X-FOO/BAR:x" in text
    assert "PROFILE" not in text
    strict(text.encode("utf-8"))


# ---------------------------------------------------------------------------
# 2. escaped colons in URLs (Apple)


def test_escaped_colons_in_urls_are_read_the_way_clients_read_them():
    (card,) = read("apple_escaped_urls.vcf")
    assert [(u.value, u.label) for u in card.urls] == [
        ("http://www.example.com", "_$!<HomePage>!$_"),
        ("https://example.com/johnny?tags=a,b", "blog"),
        ("http://work.example.com/", ""),
    ]
    assert card.first("X-SOCIALPROFILE").value == "http://twitter.com/johnny"


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_urls_go_out_as_http_colon_slash_slash(version: str):
    (card,) = read("apple_escaped_urls.vcf")
    out = write_vcards([card], version)
    assert b"\\:" not in out
    assert b"item1.URL;TYPE=pref:http://www.example.com\r\n" in out or (
        b"item1.URL;PREF=1:http://www.example.com\r\n" in out)
    (component,) = strict(out)
    urls = [u.value for u in component.contents["url"]]
    assert urls == ["http://www.example.com", "https://example.com/johnny?tags=a,b",
                    "http://work.example.com/"]
    assert reread([card], version)[0].urls == card.urls


def test_a_url_typed_in_netbook_stays_as_typed():
    card = Card(properties=[Property("FN", "Ann")])
    card.set_typed("URL", [TypedValue("https://example.com/a,b;c")])
    card.set_typed("IMPP", [TypedValue("xmpp:ann@example.org")])
    (back,) = reread([card], "3.0")
    assert back.urls[0].value == "https://example.com/a,b;c"
    assert back.first("IMPP").value == "xmpp:ann@example.org"
    assert back.properties[1:] == card.properties  # after the N:;;;; that 3.0 requires


# ---------------------------------------------------------------------------
# 4. legal but odd: PROFILE, empty NAME and SOURCE (Lotus Notes)


def test_what_carries_no_information_is_dropped_and_the_rest_kept():
    erika, max_ = read("lotus_notes_odd.vcf")
    assert [p.name for p in erika.properties] == ["N", "FN", "CLASS", "MAILER", "TEL"]
    assert max_.text("NAME") == "Directory entry of Max Mustermann"
    assert max_.text("SOURCE") == "ldap://ldap.example.com/cn=Max%20Mustermann,o=Example"
    assert not max_.get("PROFILE")


def test_lotus_notes_file_is_refused_by_vobject_but_our_export_is_not():
    raw = (EXPORTS / "lotus_notes_odd.vcf").read_bytes()
    with pytest.raises(vobject.base.VObjectError):
        strict(raw)
    cards = read("lotus_notes_odd.vcf")
    for version in ("3.0", "4.0"):
        erika, max_ = strict(write_vcards(cards, version))
        assert erika.mailer.value == "Lotus Notes 8.5"
        assert max_.contents["source"][0].value == max_.source.value
        assert max_.getChildValue("name") == "Directory entry of Max Mustermann"


def test_an_empty_fn_is_written_as_the_name_people_see():
    card = Card(properties=[Property("FN", ""), Property("N", "Doe;Jane;;;")])
    (component,) = strict(write_vcards([card]))
    assert component.fn.value == "Jane Doe"


# ---------------------------------------------------------------------------
# all of it in one book: every export reads in vobject, with the same values


def _vobject_values(component) -> dict[tuple[str, str], list]:
    out: dict[tuple[str, str], list] = {}
    for child in component.getChildren():
        name = child.name.upper()
        if name == "VERSION":
            continue
        value = child.value
        if isinstance(value, Name | Address):
            fields = (["family", "given", "additional", "prefix", "suffix"]
                      if isinstance(value, Name) else
                      ["box", "extended", "street", "city", "region", "code", "country"])
            value = [",".join(v) if isinstance(v, list) else v
                     for v in (getattr(value, f) for f in fields)]
        out.setdefault(((child.group or "").lower(), name), []).append(value)
    return out


def _our_values(card: Card) -> dict[tuple[str, str], list]:
    """What vobject must find: vobject reads every other value as one text value, cut at
    its first unescaped comma."""
    out: dict[tuple[str, str], list] = {}
    for p in card.properties:
        if p.name in ("N", "ADR"):
            value = (structured(p.value) + [""] * 7)[: 5 if p.name == "N" else 7]
        elif p.name == "ORG":
            value = structured(p.value)
            while len(value) > 1 and not value[-1]:
                value.pop()  # vobject drops the empty department of `ORG:Example Inc.;`
        elif p.name in ("PHOTO", "LOGO") and inline_binary(p) is not None:
            value = inline_binary(p)
        elif p.name in URI_NAMES:
            value = p.text  # written with `\,`: vobject gets the whole URI
        else:
            value = unescape_text(split_unescaped(p.value, ",")[0])
        out.setdefault((p.group.lower(), p.name), []).append(value)
    return out


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_every_export_of_a_book_holding_all_of_these_reads_in_vobject(
        store: Store, tmp_path: Path, version: str):
    files = sorted(EXPORTS.glob("*.vcf"))
    plan = plan_import(store, files)
    assert plan.errors == [] and plan.file_errors == [] and plan.warnings == []
    summary = apply_import(store, plan)
    assert summary.new == 9
    target = tmp_path / f"book-{version}.vcf"
    assert export_vcards(store, target, version=version) == 9
    data = target.read_bytes()
    components = strict(data)  # the whole file, in one go
    ours = [pc.card for pc in read_vcards(data).cards]
    assert len(components) == len(ours) == 9
    for component, card in zip(components, ours, strict=True):
        assert _vobject_values(component) == _our_values(card), card.display_name
    # and what netbook holds survives: the people, their handles, their Polish letters
    names = {c.display_name for c in ours}
    assert {"Michał Wróbel", "Zofia Kaczmarek", "Иван Петров", "Jürgen Müller",
            "Jan Novák", "Johnny Appleseed", "Erika Mustermann"} <= names
    zofia = next(c for c in ours if c.display_name == "Zofia Kaczmarek")
    assert zofia.addresses[0].locality == "Poznań"
    # import → export → import: the same file again changes nothing
    again = plan_import(store, [target])
    assert again.count("unchanged") == 9
