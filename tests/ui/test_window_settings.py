"""The window's settings (netbook.ui.settings): each key reads back as its own type, and a
settings file a user (or an older netbook) left with junk in it opens the window as new."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import make_card
from PySide6.QtCore import QByteArray, QSettings

from netbook.ui import settings as options
from netbook.ui.main_window import MainWindow

TODAY = dt.date(2025, 11, 26)
JUNK = """[window]
geometry=not a geometry
state=42
splitter=300, 700
[list]
header=true
last_contact=the first one
[sync]
interval_minutes=soon
"""
# bytes, but not what Qt saved: the widgets refuse them and keep their defaults
JUNK_BYTES = """[window]
geometry=@ByteArray(not a geometry)
state=@ByteArray(\\x1\\x2)
splitter=@ByteArray(nonsense)
[list]
header=@ByteArray(\\xff\\xff\\xff\\xff)
last_contact=99999
"""


def ini(folder: Path, text: str) -> QSettings:
    folder.mkdir(exist_ok=True)
    path = folder / "netbook.ini"
    path.write_text(text, encoding="utf-8")
    return QSettings(str(path), QSettings.Format.IniFormat)


EVERY_OPTION = [options.WINDOW_GEOMETRY, options.WINDOW_STATE, options.WINDOW_SPLITTER,
                options.LIST_HEADER, options.LAST_CONTACT, options.SYNC_INTERVAL]


@pytest.mark.parametrize("option", EVERY_OPTION, ids=lambda o: o.key)
def test_junk_in_the_file_reads_as_the_default(tmp_path, option):
    value = option.get(ini(tmp_path, JUNK))
    assert type(value) is type(option.default)
    assert value == option.default


@pytest.mark.parametrize("option", EVERY_OPTION, ids=lambda o: o.key)
def test_an_empty_file_reads_as_the_defaults(tmp_path, option):
    assert option.get(ini(tmp_path, "")) == option.default


def test_numbers_come_back_as_numbers_from_the_file(tmp_path):
    settings = ini(tmp_path, "[sync]\ninterval_minutes= 30 \n[list]\nlast_contact=7\n")
    assert options.SYNC_INTERVAL.get(settings) == 30
    assert options.LAST_CONTACT.get(settings) == 7


def test_a_number_out_of_range_is_brought_back_inside(tmp_path):
    settings = ini(tmp_path, "[sync]\ninterval_minutes=-5\n")
    assert options.SYNC_INTERVAL.get(settings) == 0  # off, as before
    options.SYNC_INTERVAL.set(settings, -1)
    assert options.SYNC_INTERVAL.get(settings) == 0


def test_values_written_read_back_after_the_file_is_reopened(tmp_path):
    path = str(tmp_path / "netbook.ini")
    first = QSettings(path, QSettings.Format.IniFormat)
    options.WINDOW_GEOMETRY.set(first, QByteArray(b"\x01\x02\xff"))
    options.SYNC_INTERVAL.set(first, 45)
    options.LAST_CONTACT.set(first, 12)
    first.sync()
    again = QSettings(path, QSettings.Format.IniFormat)
    assert options.WINDOW_GEOMETRY.get(again) == QByteArray(b"\x01\x02\xff")
    assert options.SYNC_INTERVAL.get(again) == 45
    assert options.LAST_CONTACT.get(again) == 12


@pytest.mark.parametrize("junk", [JUNK, JUNK_BYTES], ids=["junk", "junk bytes"])
def test_a_window_opens_as_new_on_a_junk_settings_file(qtbot, store, tmp_path, junk):
    store.add_contact(make_card("Ana Silva"))
    first = store.add_contact(make_card("Ben Okafor"))  # Okafor before Silva
    clean = MainWindow(store, today=lambda: TODAY, settings=ini(tmp_path / "clean", ""))
    qtbot.addWidget(clean)
    win = MainWindow(store, today=lambda: TODAY, settings=ini(tmp_path, junk))
    qtbot.addWidget(win)
    win.show()
    win.restore_selection()
    assert win.size() == clean.size()
    assert win.detail.contact_id == first  # the first row, as with no settings
    assert win.sync.timer.interval() == 15 * 60_000
