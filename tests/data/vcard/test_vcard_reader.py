"""The reader gets real-world vCards right: each test is one trap phones and apps set."""

from __future__ import annotations

import base64
import binascii
import io
import time

import pytest

from netbook.data.vcard import (
    CardError,
    ParsedCard,
    PartialDate,
    group_members,
    iter_vcards,
    parse_card_text,
    read_vcards,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01" + bytes(range(256)) * 3 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
B64 = base64.b64encode(JPEG)


def vcf(*lines: str | bytes, end: bytes = b"\r\n") -> bytes:
    """Lines (str as UTF-8, bytes as they are) joined with `end`, one after each line."""
    return b"".join((ln.encode("utf-8") if isinstance(ln, str) else ln) + end for ln in lines)


def card21(*lines: str | bytes) -> bytes:
    return vcf("BEGIN:VCARD", "VERSION:2.1", *lines, "END:VCARD")


def card30(*lines: str | bytes) -> bytes:
    return vcf("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD")


def card40(*lines: str | bytes) -> bytes:
    return vcf("BEGIN:VCARD", "VERSION:4.0", *lines, "END:VCARD")


def read_one(data: bytes) -> ParsedCard:
    result = read_vcards(data, "test.vcf")
    assert result.file_error is None
    assert result.errors == []
    assert len(result.cards) == 1, result.cards
    return result.cards[0]


def qp(text: str, charset: str) -> bytes:
    return binascii.b2a_qp(text.encode(charset), quotetabs=True, istext=False).replace(b"=\n", b"")


# ---------------------------------------------------------------------------
# quoted-printable (vCard 2.1)


def test_qp_soft_break_onto_an_unindented_line():
    card = read_one(card21("NOTE;ENCODING=QUOTED-PRINTABLE:Hello =", "World")).card
    assert card.note == "Hello World"


def test_qp_soft_break_whose_next_line_starts_with_equals_inside_a_character():
    card = read_one(card21("FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ren=C3=", "=A9e")).card
    assert card.formatted_name == "Renée"


def test_qp_soft_break_onto_an_indented_line_keeps_the_space():
    card = read_one(card21("NOTE;ENCODING=QUOTED-PRINTABLE:Now's the time =",
                           "for all folk to come=", " to the aid")).card
    assert card.note == "Now's the time for all folk to come to the aid"


def test_qp_soft_break_onto_a_line_that_looks_like_a_comment():
    card = read_one(card21("# a comment", "NOTE;ENCODING=QUOTED-PRINTABLE:sharp ->=",
                           "#<- sharp", "# another comment")).card
    assert card.note == "sharp ->#<- sharp"


def test_qp_soft_break_before_a_blank_line_ends_the_value():
    card = read_one(card21("ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=C3=91=", "",
                           "TITLE:Boss")).card
    assert card.organization == "ÑÑ"
    assert card.title == "Boss"


def test_qp_hard_line_breaks_become_newlines():
    card = read_one(card21("LABEL;ENCODING=QUOTED-PRINTABLE:1 Main St.=0D=0A=",
                           "Springfield, IL")).card
    assert card.text("LABEL") == "1 Main St.\nSpringfield, IL"


def test_lowercase_encoding_and_charset_parameters():
    card = read_one(card21("fn;charset=utf-8;encoding=quoted-printable:Jos=C3=A9")).card
    assert card.formatted_name == "José"


def test_bare_quoted_printable_parameter():
    card = read_one(card21("N;QUOTED-PRINTABLE;CHARSET=UTF-8:M=C3=BCller;J=C3=BCrgen;;;")).card
    assert card.name_parts.family == "Müller"
    assert card.name_parts.given == "Jürgen"
    assert card.first("N").params == []  # ENCODING and CHARSET are gone once decoded


@pytest.mark.parametrize(("charset", "text"), [
    ("UTF-8", "Ωmega Ñandú Иван 山田"),
    ("windows-1252", "Fußgänger € “quoted”"),
    ("ISO-8859-1", "Crème brûlée, façade"),
    ("Shift_JIS", "安藤ロイド 東京都渋谷区"),
])
def test_qp_in_each_declared_charset(charset: str, text: str):
    line = f"NOTE;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:".encode() + qp(text, charset)
    card = read_one(card21(line)).card
    assert card.note == text


def test_8bit_qp_without_charset_is_guessed_as_utf8():
    card = read_one(card21(b"FN;ENCODING=QUOTED-PRINTABLE:" + qp("Zoë Ångström", "utf-8"))).card
    assert card.formatted_name == "Zoë Ångström"


def test_8bit_qp_without_charset_falls_back_to_windows_1252():
    parsed = read_one(card21(b"FN;ENCODING=QUOTED-PRINTABLE:" + qp("Zoë Ångström", "cp1252")))
    assert parsed.card.formatted_name == "Zoë Ångström"
    assert any("windows-1252" in w for w in parsed.warnings)


@pytest.mark.parametrize(("charset", "text"), [
    ("SHIFT_JIS", "安藤ロイド"),
    ("windows-1252", "Œuvre – naïve"),
])
def test_raw_8bit_value_in_its_declared_charset(charset: str, text: str):
    card = read_one(card21(f"N;CHARSET={charset}:".encode() + text.encode(charset) + b";;;;")).card
    assert card.name_parts.family == text


def test_shift_jis_bytes_that_look_like_backslashes_are_not_escapes():
    # 能 is 0x94 0x5C and 予 is 0x97 0x5C in Shift_JIS: 0x5C is '\'
    line = "FN;CHARSET=SHIFT_JIS:伊能 圭一 伊予".encode("shift_jis")
    card = read_one(card30(line, "N;CHARSET=SHIFT_JIS:伊能;圭一;;;".encode("shift_jis"))).card
    assert card.formatted_name == "伊能 圭一 伊予"
    assert card.name_parts.family == "伊能"


# ---------------------------------------------------------------------------
# file encodings


def test_latin1_file_without_any_charset():
    parsed = read_one(card30("FN:Jürgen Müller".encode("latin-1"), "NOTE:Straße"))
    assert parsed.card.formatted_name == "Jürgen Müller"
    assert parsed.card.note == "Straße"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_file_encodings_with_and_without_bom(encoding: str):
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë 山田\r\nN:山田;Zoë;;;\r\nEND:VCARD\r\n"
    result = read_vcards(text.encode(encoding))
    assert result.file_error is None
    assert [pc.card.formatted_name for pc in result.cards] == ["Zoë 山田"]


def test_utf16_file_streams_across_chunk_boundaries():
    text = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ñame {i}\r\nEND:VCARD\r\n"
                   for i in range(300))
    stream = Trickle(text.encode("utf-16-le"), 7)
    names = [pc.card.formatted_name for pc in iter_vcards(stream) if isinstance(pc, ParsedCard)]
    assert names == [f"Ñame {i}" for i in range(300)]


# ---------------------------------------------------------------------------
# lines: folding, line ends


def test_fold_in_the_middle_of_a_utf8_character_rejoins():
    data = card30(b"FN:Ren\xc3\r\n \xa9e Zo\xc3\xab", "N:Zoë;Renée;;;")
    assert read_one(data).card.formatted_name == "Renée Zoë"


@pytest.mark.parametrize("end", [b"\r\n", b"\n", b"\r", b"\r\r\n"],
                         ids=["CRLF", "LF", "CR", "CRCRLF"])
def test_every_line_end_style(end: bytes):
    data = vcf("BEGIN:VCARD", "VERSION:3.0", "FN:Ann Lee", "NOTE:first line of a long", " note",
               "TEL:123", "END:VCARD", end=end)
    card = read_one(data).card
    assert card.formatted_name == "Ann Lee"
    assert card.note == "first line of a longnote"
    assert [t.value for t in card.phones] == ["123"]


def test_mixed_line_ends_in_one_file():
    data = b"BEGIN:VCARD\r\nVERSION:3.0\nFN:Ann\r\r\nNOTE:a\r b\rTEL:1\r\nEND:VCARD\n"
    card = read_one(data).card
    assert (card.formatted_name, card.note, card.phones[0].value) == ("Ann", "ab", "1")


def test_continuation_indented_by_several_spaces_keeps_all_but_one():
    card = read_one(card30("FN:Ann", "NOTE:New York", "  12345", "X-LONG:abc", "\tdef")).card
    assert card.note == "New York 12345"
    assert card.text("X-LONG") == "abcdef"


def test_blank_lines_inside_2_1_base64_and_unindented_base64_lines():
    b64 = B64.decode()
    pieces = [b64[:76], b64[76:152], b64[152:]]
    data = card21("FN:Ann", "PHOTO;ENCODING=BASE64;TYPE=JPEG:", pieces[0], pieces[1], "",
                  "    " + pieces[2], "", "TEL;CELL:555")
    card = read_one(data).card
    assert card.photo_bytes == JPEG
    assert [t.value for t in card.phones] == ["555"]


def test_2_1_base64_on_one_long_line_ended_by_a_blank_line():
    data = card21("FN:Ann", b"PHOTO;ENCODING=BASE64:" + B64, "", "NOTE:after the photo")
    card = read_one(data).card
    assert card.photo_bytes == JPEG
    assert card.note == "after the photo"


# ---------------------------------------------------------------------------
# values and parameters


def test_commas_in_text_values_are_kept():
    card = read_one(card30("FN:Doe, John", "NOTE:Call back Monday, after lunch")).card
    assert card.formatted_name == "Doe, John"
    assert card.note == "Call back Monday, after lunch"


def test_2_1_commas_and_backslashes_become_3_0_escapes():
    card = read_one(card21("N:Doe, John;;;;", r"FN:Doe, John", r"NOTE:C:\temp; a, b")).card
    assert card.first("N").value == r"Doe\, John;;;;"
    assert card.name_parts.family == "Doe, John"
    assert card.first("FN").value == r"Doe\, John"
    assert card.formatted_name == "Doe, John"
    assert card.note == r"C:\temp; a, b"


def test_2_1_escaped_semicolon_stays_inside_its_component():
    card = read_one(card21(r"ORG:Gump Shrimp Co.;Sales Dept.\;Manager;Fish keeper")).card
    assert card.org_parts == ["Gump Shrimp Co.", "Sales Dept.;Manager", "Fish keeper"]


def test_2_1_geo_comma_becomes_a_3_0_semicolon():
    card = read_one(card21("FN:A", "GEO:35.6563854,139.6994233")).card
    assert card.first("GEO").value == "35.6563854;139.6994233"


def test_backslash_escapes_colon_comma_semicolon_newline():
    card = read_one(card30(r"FN:A", r"NOTE:a\:b\, c\; d\\e\nf\Ng")).card
    assert card.note == "a:b, c; d\\e\nf\ng"


def test_rfc6868_caret_escapes_in_4_0_parameter_values():
    line = "ADR;LABEL=\"Main St. 1^n^'Building^' ^^5\":;;Main St. 1;;;;"
    card = read_one(card40("FN:A", line)).card
    assert card.first("ADR").param_values("LABEL") == ['Main St. 1\n"Building" ^5']


def test_quoted_parameter_values_with_colon_semicolon_comma():
    card = read_one(card30("FN:A", 'X-THING;X-NOTE="a:b;c,d";TYPE=work:the value')).card
    prop = card.first("X-THING")
    assert prop.params == [("X-NOTE", "a:b;c,d"), ("TYPE", "work")]
    assert prop.value == "the value"


def test_utf8_in_a_quoted_parameter_value():
    card = read_one(card30("N:F;G;;;", 'TEL;TYPE="费":1')).card
    assert card.first("TEL").param_values("TYPE") == ["费"]


def test_names_upper_cased_groups_keep_their_case():
    card = read_one(card30("fn:A", "Item1.tel;type=cell:1", "Item1.X-ABLabel:Boat")).card
    tel = card.first("TEL")
    assert (tel.group, tel.name, tel.params) == ("Item1", "TEL", [("TYPE", "cell")])
    assert card.first("X-ABLABEL").group == "Item1"


def test_2_1_bare_parameters_become_types():
    card = read_one(card21("FN:A", "TEL;HOME;VOICE;PREF:555", "TEL;TYPE=CELL:666")).card
    home, cell = card.phones
    assert home.types == ("home", "voice")
    assert home.pref
    assert cell.types == ("cell",)


def test_item_groups_and_apple_labels():
    card = read_one(card30("FN:A", "item1.TEL:555-1", "item1.X-ABLabel:Assistant",
                           "item2.TEL;type=CELL:555-2", "item2.X-ABLabel:_$!<Mobile>!$_",
                           "item3.X-ABRELATEDNAMES:Jenny", "item3.X-ABLabel:_$!<Spouse>!$_")).card
    assistant, mobile = card.phones
    assert (assistant.value, assistant.label, assistant.type_text) == ("555-1", "Assistant",
                                                                        "Assistant")
    assert (mobile.label, mobile.type_text) == ("_$!<Mobile>!$_", "Mobile")
    assert card.group_label("item3") == "_$!<Spouse>!$_"


def test_html_in_every_field_is_kept_verbatim_as_text():
    html = '<b>bold</b> <script>alert("x")</script> &amp; <a href="http://x">x</a>'
    esc = html.replace(",", r"\,").replace(";", r"\;")
    card = read_one(card30(f"FN:{esc}", f"N:{esc};{esc};;;", f"ORG:{esc}", f"NOTE:{esc}",
                           f"TITLE:{esc}", f"TEL:{esc}", f"EMAIL:{esc}")).card
    assert card.formatted_name == html
    assert card.name_parts.family == html
    assert card.organization == html
    assert card.note == html
    assert card.title == html
    assert card.phones[0].value == html
    assert card.emails[0].value == html


# ---------------------------------------------------------------------------
# binaries


@pytest.mark.parametrize("line", [
    b"PHOTO;ENCODING=b;TYPE=JPEG:" + B64,
    b"PHOTO;ENCODING=BASE64;TYPE=JPEG:" + B64,
    b"PHOTO;TYPE=JPEG;BASE64:" + B64,
    b"PHOTO;BASE64:" + B64,
], ids=["ENCODING=b", "ENCODING=BASE64", "bare BASE64 with type", "bare BASE64"])
def test_inline_photo_forms_3_0(line: bytes):
    card = read_one(card30("FN:A", line)).card
    assert card.photo_bytes == JPEG
    assert ("ENCODING", "b") in card.first("PHOTO").params


def test_inline_photo_2_1_with_bare_type():
    card = read_one(card21("FN:A", b"PHOTO;ENCODING=BASE64;JPEG:" + B64)).card
    assert card.photo_bytes == JPEG
    assert card.first("PHOTO").param_values("TYPE") == ["JPEG"]


def test_inline_photo_as_4_0_data_uri():
    card = read_one(card40("FN:A", b"PHOTO:data:image/png;base64," + base64.b64encode(PNG))).card
    assert card.photo_bytes == PNG


@pytest.mark.parametrize("data", [
    card21("FN:A", "PHOTO;VALUE=URL;TYPE=PNG:https://example.com/a.png?x=1,2"),
    card30("FN:A", "PHOTO;VALUE=uri:https://example.com/a.png?x=1,2"),
    card40("FN:A", "PHOTO:https://example.com/a.png?x=1,2"),
], ids=["2.1", "3.0", "4.0"])
def test_photo_as_url_is_kept_and_not_decoded(data: bytes):
    card = read_one(data).card
    assert card.photo_bytes is None
    assert card.first("PHOTO").value == "https://example.com/a.png?x=1,2"


def test_key_logo_and_sound_binaries():
    der = b"\x30\x82\x01\x0a" + bytes(100)
    card = read_one(card30("FN:A", b"KEY;ENCODING=b;TYPE=X509:" + base64.b64encode(der),
                           b"LOGO;ENCODING=b;TYPE=PNG:" + base64.b64encode(PNG),
                           b"SOUND;ENCODING=b;TYPE=WAVE:" + base64.b64encode(b"RIFF1234WAVE"),
                           "KEY;TYPE=PGP:-----BEGIN PGP PUBLIC KEY BLOCK-----")).card
    from netbook.data.vcard import inline_binary
    key, pgp = card.get("KEY")
    assert inline_binary(key) == der
    assert inline_binary(card.first("LOGO")) == PNG
    assert inline_binary(card.first("SOUND")) == b"RIFF1234WAVE"
    assert pgp.text == "-----BEGIN PGP PUBLIC KEY BLOCK-----"


def test_bad_base64_photo_keeps_the_contact_drops_the_photo_and_warns():
    parsed = read_one(card30("FN:Ann", "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ$$not*base64!",
                             "TEL:555"))
    assert parsed.card.formatted_name == "Ann"
    assert parsed.card.first("PHOTO") is None
    assert parsed.card.phones[0].value == "555"
    assert parsed.warnings == ["bad base64 in PHOTO: photo dropped"]


def test_bad_base64_in_a_data_uri_is_dropped_with_a_warning():
    parsed = read_one(card40("FN:Ann", "PHOTO:data:image/jpeg;base64,/9j/4AAQ$$$"))
    assert parsed.card.first("PHOTO") is None
    assert parsed.warnings == ["bad base64 in PHOTO: photo dropped"]


# ---------------------------------------------------------------------------
# names, kinds, groups


def test_card_with_n_but_no_fn():
    card = read_one(card30("N:Lee;Ann;;Dr.;")).card
    assert card.formatted_name == ""
    assert card.display_name == "Dr. Ann Lee"


def test_card_with_fn_but_no_n():
    card = read_one(card30("FN:Ann Lee")).card
    assert card.name_parts.is_empty()
    assert card.display_name == "Ann Lee"


def test_card_with_neither_name_is_kept():
    card = read_one(card21("EMAIL;PREF:john.doe@company.com", "CATEGORIES:My Contacts")).card
    assert card.display_name == "john.doe@company.com"
    assert card.categories == ["My Contacts"]


def test_kind_group_card_and_its_members():
    data = card40("KIND:group", "FN:Book club",
                  "MEMBER:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
                  "MEMBER:urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519")
    card = read_one(data).card
    assert card.kind == "group"
    assert group_members(card) == ["03a0e51f-d1aa-4385-8a53-e29025acd8af",
                                   "b8767877-b4a1-4c70-9acc-505d3819e519"]


def test_apple_group_card_and_its_members():
    data = card30("X-ADDRESSBOOKSERVER-KIND:group", "N:Family", "FN:Family",
                  "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:E1A7C5B2-0000-4000-8000-000000000001",
                  "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:E1A7C5B2-0000-4000-8000-000000000002")
    card = read_one(data).card
    assert card.kind == "group"
    assert group_members(card) == ["E1A7C5B2-0000-4000-8000-000000000001",
                                   "E1A7C5B2-0000-4000-8000-000000000002"]


def test_an_ordinary_card_has_no_members():
    card = read_one(card30("FN:A")).card
    assert card.kind == "individual"
    assert group_members(card) == []


# ---------------------------------------------------------------------------
# versions


def test_2_1_card_becomes_3_0_and_remembers_its_source_version():
    parsed = read_one(card21("FN:A"))
    assert parsed.card.version == "3.0"
    assert parsed.source_version == "2.1"
    assert parsed.card.first("VERSION") is None


def test_4_0_card_stays_4_0_and_missing_version_means_3_0():
    assert read_one(card40("FN:A")).card.version == "4.0"
    assert read_one(vcf("BEGIN:VCARD", "FN:A", "END:VCARD")).card.version == "3.0"


def test_birthdays_with_and_without_year():
    card = read_one(card30("FN:A", "BDAY:--12-24", "ANNIVERSARY:20091010")).card
    assert card.birthday == PartialDate(12, 24)
    assert card.anniversary == PartialDate(10, 10, 2009)


# ---------------------------------------------------------------------------
# junk between and inside cards


def test_comment_lines_stray_text_and_trailing_junk_on_end_lines():
    data = vcf("Exported by SomePhone v1.0", "# comment before",
               "BEGIN:VCARD", "VERSION:2.1", "# a comment inside", "FN:One", "END:VCARD.",
               "some stray text between cards", "",
               "begin:vcard", "version:3.0", "FN:Two", "end:vcard", "trailing garbage")
    result = read_vcards(data)
    assert result.errors == []
    assert [pc.card.formatted_name for pc in result.cards] == ["One", "Two"]
    assert [pc.line for pc in result.cards] == [3, 10]


def test_profile_vcard_is_dropped_and_a_name_with_a_slash_is_kept_under_a_valid_one():
    card = read_one(card30("PROFILE:VCard", "FN:A", "X-FOO/BAR:baz")).card
    assert card.get("PROFILE") == []
    (prop,) = card.get("X-FOO-BAR")
    assert prop.text == "baz"
    assert prop.param_values("X-NETBOOK-RAW-NAME") == ["X-FOO/BAR"]


def test_a_line_that_is_not_a_property_is_skipped_with_a_warning():
    parsed = read_one(card30("FN:A", "this line has no colon", "TEL:1"))
    assert parsed.card.phones[0].value == "1"
    assert len(parsed.warnings) == 1
    assert "not a property" in parsed.warnings[0]


@pytest.mark.parametrize("colon", [True, False])
def test_pathological_type_list_finishes_quickly(colon: bool):
    line = "TEL;TYPE=" + "," * 50_000 + ";X=a" + (":555" if colon else "")
    started = time.perf_counter()
    card = read_one(card30("FN:A", line, "EMAIL:a@b.c")).card
    assert time.perf_counter() - started < 1.0
    assert card.emails[0].value == "a@b.c"
    if colon:
        assert card.phones[0].value == "555"


def test_unterminated_quote_in_a_parameter():
    card = read_one(card30("FN:A", 'X-FOO;X-P="abc:def', "TEL:1")).card
    assert card.phones[0].value == "1"


# ---------------------------------------------------------------------------
# nested cards (2.1 AGENT)


def test_nested_agent_card_is_kept_as_text_of_the_outer_card():
    data = vcf("BEGIN:VCARD", "VERSION:2.1", "N:Outer;Olga", "AGENT:",
               "BEGIN:VCARD", "VERSION:2.1", "N:Inner;Ivan", "TEL:123", "END:VCARD",
               "TEL:456", "END:VCARD",
               "BEGIN:VCARD", "VERSION:2.1", "N:Next;Nina", "END:VCARD")
    result = read_vcards(data)
    assert result.errors == []
    outer, following = (pc.card for pc in result.cards)
    assert outer.name_parts.family == "Outer"
    assert [t.value for t in outer.phones] == ["456"]
    assert "N:Inner;Ivan" in outer.text("AGENT")
    assert following.name_parts.family == "Next"


def test_agent_with_plain_text_value():
    card = read_one(card21("FN:Ex", "AGENT:Invalid line which must be handled correctly.")).card
    assert card.text("AGENT") == "Invalid line which must be handled correctly."


def test_deeply_nested_agents_are_an_error_not_a_crash():
    depth = 5000
    lines = ["BEGIN:VCARD", "VERSION:2.1", "FN:Outer"]
    for _ in range(depth):
        lines += ["AGENT:", "BEGIN:VCARD", "VERSION:2.1", "FN:Inner"]
    lines += ["END:VCARD"] * (depth + 1)
    lines += ["BEGIN:VCARD", "VERSION:3.0", "FN:After", "END:VCARD"]
    result = read_vcards(vcf(*lines), "deep.vcf")
    assert [pc.card.formatted_name for pc in result.cards] == ["After"]
    assert len(result.errors) == 1
    assert "nested too deeply" in result.errors[0].reason


# ---------------------------------------------------------------------------
# errors name the card, streaming gives the same as reading


def test_card_error_names_file_card_line_and_first_line():
    data = vcf("BEGIN:VCARD", "VERSION:3.0", "FN:Ok", "END:VCARD",
               "BEGIN:VCARD", "VERSION:3.0", "FN:Cut short")
    result = read_vcards(data, "contacts.vcf")
    assert [pc.card.formatted_name for pc in result.cards] == ["Ok"]
    (error,) = result.errors
    assert (error.file, error.card_number, error.line, error.first_line) == (
        "contacts.vcf", 2, 5, "BEGIN:VCARD")
    assert str(error) == ("contacts.vcf: card 2 (line 5): the card has no END:VCARD "
                          "(file cut short?) — BEGIN:VCARD")


class Trickle(io.RawIOBase):
    """A stream that hands out at most `step` bytes per read, like a slow pipe."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data = data
        self.pos = 0
        self.step = step

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        chunk = self.data[self.pos : self.pos + min(self.step, n if n > 0 else self.step)]
        self.pos += len(chunk)
        return chunk


@pytest.mark.parametrize("step", [1, 2, 3, 7, 64])
def test_streaming_in_tiny_chunks_reads_the_same_as_whole_bytes(step: int):
    data = (
        card21("N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BC=", "ller;Ann;;;", "AGENT:",
               "BEGIN:VCARD", "FN:Inner", "END:VCARD", "TEL;CELL:1")
        + b"junk\r\r\n"
        + card30("FN:Ren\xc3\xa9e", b"PHOTO;ENCODING=b;TYPE=JPEG:" + B64[:70], b" " + B64[70:])
        + vcf("BEGIN:VCARD", "VERSION:3.0", "FN:cut", end=b"\r")
    )
    whole = list(iter_vcards(data, "f"))
    trickled = list(iter_vcards(Trickle(data, step), "f"))
    assert trickled == whole
    assert [type(x) for x in whole] == [ParsedCard, ParsedCard, CardError]


def test_parse_card_text_reads_one_clean_card_and_refuses_nothing():
    card = parse_card_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\\, Lee\r\nN:Lee;Ann;;;\r\n"
                           "END:VCARD\r\n")
    assert card.formatted_name == "Ann, Lee"
    with pytest.raises(ValueError):
        parse_card_text("")
    with pytest.raises(ValueError):
        parse_card_text("FN:no card here")


def test_parse_card_text_takes_the_first_card_only():
    text = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:One\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Two\r\nEND:VCARD")
    card = parse_card_text(text)
    assert card.version == "4.0"
    assert card.formatted_name == "One"
    with pytest.raises(ValueError, match="no END:VCARD"):
        parse_card_text("BEGIN:VCARD\nFN:x")


def test_a_card_with_quoted_printable_still_unfolds_its_other_lines():
    data = card21("N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;Ann;;;",
                  "NOTE:a long note that goes on and", " on", "TITLE:Chief", "\tEngineer",
                  b"PHOTO;ENCODING=BASE64;TYPE=JPEG:" + B64[:60], b" " + B64[60:], "",
                  "TEL;CELL:1")
    card = read_one(data).card
    assert card.name_parts.family == "Müller"
    assert card.note == "a long note that goes on andon"
    assert card.title == "ChiefEngineer"
    assert card.photo_bytes == JPEG
    assert card.phones[0].value == "1"


def test_a_text_mode_file_is_refused_with_a_clear_message():
    with pytest.raises(TypeError, match="binary mode"):
        read_vcards(io.StringIO("BEGIN:VCARD\nEND:VCARD\n"))  # type: ignore[arg-type]
