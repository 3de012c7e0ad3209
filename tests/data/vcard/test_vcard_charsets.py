"""8-bit text with no CHARSET: every name right, and a warning where it is only a guess.

Outlook 2003 on a Polish Windows writes quoted-printable windows-1250 without saying so
(`=B3` is "ł", read as Latin-1 it is "ma³opolskie"); The Bat! writes raw 8-bit text in
the machine's code page. The reader guesses per card (netbook/data/vcard/charsets.py).
"""

from __future__ import annotations

import binascii
from pathlib import Path

import pytest

from netbook.data.contacts import Store
from netbook.data.importing import plan_import
from netbook.data.vcard import NameParts, read_vcards
from netbook.data.vcard.charsets import CharsetGuesser

EXPORTS = Path(__file__).parent / "exports"


def test_outlook_2003_polish_quoted_printable_without_charset():
    result = read_vcards((EXPORTS / "outlook2003_pl.vcf").read_bytes())
    michal, zofia = result.cards
    assert michal.warnings == [] and zofia.warnings == []
    assert michal.card.name_parts.given == "Michał"
    assert michal.card.organization == "Zakłady Mięsne Łomża"
    (adr,) = michal.card.addresses
    assert (adr.street, adr.locality, adr.region) == ("ul. Piękna 12", "Kraków", "małopolskie")
    assert michal.card.text("LABEL") == "ul. Piękna 12\nKraków, małopolskie 31-000\nPolska"
    # "Poznań" alone could be windows-1252 "Poznañ": the file's first card settled it
    assert zofia.card.addresses[0].locality == "Poznań"


def test_an_ambiguous_card_on_its_own_says_its_text_is_a_guess():
    data = (EXPORTS / "outlook2003_pl.vcf").read_bytes()
    zofia_only = data[data.index(b"BEGIN:VCARD", 10):]
    (parsed,) = read_vcards(zofia_only).cards
    assert parsed.warnings == ["text with no CHARSET was guessed to be windows-1252: "
                               "check its accented letters"]


def test_the_guess_reaches_the_import_preview(store: Store, tmp_path: Path):
    path = tmp_path / "one.vcf"
    data = (EXPORTS / "outlook2003_pl.vcf").read_bytes()
    path.write_bytes(data[data.index(b"BEGIN:VCARD", 10):])
    plan = plan_import(store, [path])
    assert plan.warnings == [f"{path}: card 1 (line 1): text with no CHARSET was guessed to "
                             "be windows-1252: check its accented letters"]
    assert plan.items[0].parsed.warnings  # the preview's row shows it too


def test_the_bat_raw_8bit_cyrillic_and_western_in_one_file():
    result = read_vcards((EXPORTS / "thebat_8bit.vcf").read_bytes())
    ivan, juergen = result.cards
    assert ivan.warnings == [] and juergen.warnings == []
    assert ivan.card.name_parts == NameParts(family="Петров", given="Иван",
                                             additional="Сергеевич")
    assert ivan.card.organization == 'ООО "Ромашка"'
    assert ivan.card.addresses[0].street == "ул. Тверская, д. 5"
    assert ivan.card.note == "Познакомились на выставке"
    assert juergen.card.formatted_name == "Jürgen Müller"
    assert juergen.card.addresses[0].street == "Hauptstraße 5"


def _card21(value: bytes, qp: bool) -> bytes:
    if qp:
        value = binascii.b2a_qp(value, istext=False).replace(b"=\n", b"")
        head = b"NOTE;ENCODING=QUOTED-PRINTABLE:"
    else:
        head = b"NOTE:"
    return b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:X\r\n" + head + value + b"\r\nEND:VCARD\r\n"


@pytest.mark.parametrize("qp", [True, False], ids=["quoted-printable", "raw 8-bit"])
@pytest.mark.parametrize(("text", "codec", "sure"), [
    ("Paweł Łukasiewicz, ul. Żółkiewskiego 5, małopolskie", "cp1250", True),
    ("Łukasz", "cp1250", True),
    ("Mąka Wąsik, Śląsk", "iso8859-2", True),  # Polish from a Unix mail program
    ("Jürgen Müller, Straße 5, München", "cp1252", True),  # the same in 1250 and 1252
    ("Иван Петров, Москва", "cp1251", True),
    ("Иван Петров", "koi8-r", True),  # Russian from a Unix mail program
    ("Γιώργος Παπαδόπουλος, Αθήνα", "cp1253", True),
    ("山田太郎 東京都渋谷区", "cp932", True),  # a Japanese phone that forgot CHARSET
    ("Hélène Dupré, Crèvecœur", "cp1252", False),  # Czech "Hélčne" is bytes-wise possible
    ("홍길동 서울특별시", "cp949", False),  # found by charset-normalizer
])
def test_each_charset_is_read_right(text: str, codec: str, sure: bool, qp: bool):
    (parsed,) = read_vcards(_card21(text.encode(codec), qp)).cards
    assert parsed.card.note == text
    assert (parsed.warnings == []) is sure, parsed.warnings


def test_a_declared_charset_is_never_second_guessed():
    data = _card21("Иван".encode("cp1251"), False).replace(b"NOTE:", b"NOTE;CHARSET=CP1251:")
    (parsed,) = read_vcards(data).cards
    assert parsed.card.note == "Иван" and parsed.warnings == []


def test_the_guesser_remembers_only_what_a_card_was_surely_in():
    guesser = CharsetGuesser()
    assert not guesser.guess(["Poznań".encode("cp1250")]).certain
    assert guesser.guess(["Jürgen".encode("cp1252")]).certain  # says nothing about 1250
    assert guesser.guess(["Michał".encode("cp1250")]).certain
    later = guesser.guess(["Poznań".encode("cp1250")])
    assert (later.codec, later.certain) == ("cp1250", True)
