"""Start hidden at login: netbook's own XDG autostart entry, on and off (issue 14)."""

from __future__ import annotations

import pytest

from netbook.data import autostart


def test_enable_writes_an_entry_that_starts_netbook_hidden():
    assert not autostart.is_enabled()
    path = autostart.enable("/opt/net book/netbook --hidden")
    assert path == autostart.entry_path() and path.parent.name == "autostart"
    text = path.read_text(encoding="utf-8")
    assert "[Desktop Entry]\nType=Application\nName=netbook\n" in text
    assert "Exec=/opt/net book/netbook --hidden\n" in text
    assert autostart.is_enabled()
    autostart.disable()
    assert not path.exists() and not autostart.is_enabled()


def test_the_exec_line_quotes_a_path_with_spaces_as_the_spec_says():
    assert autostart.desktop_quote("/opt/net book/netbook") == '"/opt/net book/netbook"'
    assert autostart.desktop_quote('/a"b$c') == '"/a\\"b\\$c"'
    assert autostart.exec_command().endswith(" --hidden")


def test_a_file_of_the_same_name_that_is_not_ours_is_never_touched():
    path = autostart.entry_path()
    path.parent.mkdir(parents=True)
    path.write_text("[Desktop Entry]\nExec=my-own-script\n", encoding="utf-8")
    assert not autostart.is_enabled()
    with pytest.raises(autostart.AutostartError, match="is not netbook's own"):
        autostart.enable()
    autostart.disable()
    assert path.read_text(encoding="utf-8") == "[Desktop Entry]\nExec=my-own-script\n"


def test_an_entry_switched_off_by_the_desktop_counts_as_off():
    path = autostart.enable()
    path.write_text(path.read_text(encoding="utf-8") + "Hidden=true\n", encoding="utf-8")
    assert not autostart.is_enabled()


def test_a_folder_that_cannot_be_written_is_said_in_words(tmp_path, monkeypatch):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    with pytest.raises(autostart.AutostartError, match="could not write"):
        autostart.enable()
