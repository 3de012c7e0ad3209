"""Untrusted text (issue 12, 2 and 7): what a card or a server says can't drive the
terminal, and names that look alike through invisible or direction-changing characters
are told apart on screen and matched together by the duplicate finder."""

from __future__ import annotations

import pytest
from helpers import make_card

from netbook.data.duplicates import MatchIndex, probable_duplicate
from netbook.data.text import (
    fold,
    hidden_characters,
    isolate,
    normalise_email,
    terminal_lines,
    terminal_text,
)


@pytest.mark.parametrize(("raw", "shown"), [
    ("Bob\x1b]0;pwned\x07", "Bob^[]0;pwned^G"),  # OSC: retitles the terminal
    ("\x1b]52;c;ZXZpbA==\x07Eve", "^[]52;c;ZXZpbA==^GEve"),  # OSC 52 writes the clipboard
    ("a\x1b[2Jb", "a^[[2Jb"),  # clears the screen
    ("Bo\x08\x08Al", "Bo^H^HAl"),  # backspaces over what was printed
    ("nul\x00byte\x7f", "nul^@byte^?"),
    ("c1\x9b31mred\x9d0;x\x9c", "c1\\x9b31mred\\x9d0;x\\x9c"),  # 8-bit CSI, OSC, ST
    ("Evil\u202eexe.txt", "Evil\\u202eexe.txt"),  # bidi controls, shown
    ("two\r\nlines\tand\x0btabs", "two lines and tabs"),  # one line, one space
    ("Zoë Ωmega 山田 🎉", "Zoë Ωmega 山田 🎉"),  # letters stay letters
])
def test_terminal_text_shows_controls_instead_of_obeying_them(raw, shown):
    assert terminal_text(raw) == shown


def test_terminal_lines_keeps_line_breaks_only():
    assert terminal_lines("one\x1b[A\ntwo\r\nthree\u2028") == "one^[[A\ntwo\nthree\\u2028"


def test_isolate_wraps_only_what_can_change_direction():
    assert isolate("Ada Lovelace") == "Ada Lovelace"
    assert isolate("Zoë Müller") == "Zoë Müller"
    assert isolate("Evil\u202eexe.txt") == "\u2068Evil\u202eexe.txt\u2069"
    assert isolate("שלום") == "\u2068שלום\u2069"


def test_hidden_characters_names_what_a_name_hides():
    assert hidden_characters("Evil\u202eexe.txt") == ["RIGHT-TO-LEFT OVERRIDE"]
    assert hidden_characters("A\u200bda\u200b") == ["ZERO WIDTH SPACE"]
    assert hidden_characters("Ada Lovelace") == []
    assert hidden_characters("می\u200cخواهم") == []  # Persian spelling, not a trick
    assert hidden_characters("Ada\u200d") == ["ZERO WIDTH JOINER"]


def test_names_that_look_the_same_fold_the_same():
    assert fold("A\u200bda Love\u2060lace") == fold("Ada Lovelace")
    assert fold("Ada\u202e Lovelace") == fold("Ada Lovelace")
    assert normalise_email("ada\u200b@example.org") == "ada@example.org"


def test_the_duplicate_finder_ignores_invisible_characters(store):
    cid = store.add_contact(make_card("Ada Lovelace", emails=["ada@example.org"]))
    index = MatchIndex(store)
    by_name = make_card("A\u200bda Love\u200clace")
    assert probable_duplicate(index, by_name, "US") == (cid, "same name")
    by_email = make_card("Someone Else", emails=["ada\u200b@example.org"])
    assert probable_duplicate(index, by_email, "US")[0] == cid
