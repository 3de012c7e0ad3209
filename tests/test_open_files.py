"""`netbook FILE...` — a file manager's "Open with netbook" (Exec=netbook %F): the window
opens with the files in the import preview; every sub-command, and `netbook` alone, keep
meaning what they meant."""

from __future__ import annotations

import pytest

from netbook.cli import build_parser, files_to_open, main
from netbook.ui.import_dialog import ImportPreviewDialog, ImportPreviewModel

COMMANDS = build_parser().commands
CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ola Opened\r\nN:Opened;Ola;;;\r\nEND:VCARD\r\n"


def test_the_parser_knows_its_commands():
    assert {"list", "import", "export", "demo", "week", "sync", "account"} <= COMMANDS


@pytest.mark.parametrize(("argv", "expected"), [
    (["a.vcf"], ([], ["a.vcf"])),
    (["/home/ann/Downloads/Contacts.vcf", "b.vcf"],
     ([], ["/home/ann/Downloads/Contacts.vcf", "b.vcf"])),
    (["--db", "x.sqlite3", "a.vcf"], (["--db", "x.sqlite3"], ["a.vcf"])),
    (["--db=x.sqlite3", "a.vcf"], (["--db=x.sqlite3"], ["a.vcf"])),
    (["--hidden", "a.vcf"], (["--hidden"], ["a.vcf"])),
    (["--hidden"], None),
    (["--", "list"], ([], ["list"])),  # a file called "list", said so
    (["./list"], ([], ["./list"])),
    (["a.vcf", "import"], ([], ["a.vcf", "import"])),  # files from the first word on
    ([], None),  # `netbook`: the window
    (["--db", "x.sqlite3"], None),
    (["list"], None),
    (["import", "a.vcf"], None),
    (["--db", "x.sqlite3", "week", "--format", "json"], None),
    (["--help"], None),
    (["-h", "a.vcf"], None),
])
def test_which_command_lines_open_files(argv, expected):
    assert files_to_open(argv, COMMANDS) == expected


def test_a_file_named_like_a_command_still_means_the_command(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list").write_bytes(CARD)  # `netbook list` here: still the listing
    code = main(["list", "--db", str(tmp_path / "book.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 0 and out == "" and err == ""


def test_a_missing_file_is_said_plainly_and_opens_no_window(tmp_path, capsys):
    code = main([str(tmp_path / "gone.vcf")])
    _out, err = capsys.readouterr()
    assert code == 2
    assert err == (f"netbook: {tmp_path / 'gone.vcf'}: no such file, and no command of "
                   "that name (see netbook --help)\n")


def test_a_mistyped_command_is_not_taken_for_a_file(capsys):
    assert main(["lsit"]) == 2
    assert "no such file, and no command of that name" in capsys.readouterr().err


def test_the_window_opens_with_the_files_in_the_import_preview(qtbot, store, tmp_path):
    from netbook.ui.app import open_window

    path = tmp_path / "Ola.vcf"
    path.write_bytes(CARD)
    window = open_window(store, [path])
    try:
        qtbot.waitUntil(lambda: window.findChild(ImportPreviewDialog) is not None,
                        timeout=10000)
        model = window.findChild(ImportPreviewDialog).model
        assert model.rowCount() == 1
        assert model.index(0, ImportPreviewModel.COL_NAME).data() == "Ola Opened"
        assert store.count() == 0  # nothing is written before the user says Import
    finally:
        window.close()
        window.deleteLater()


def test_a_file_given_to_netbook_reaches_the_window_through_main(tmp_path, monkeypatch):
    """main() hands the files (made absolute: a file manager's cwd is anywhere) to the
    window; run_app is where the window starts, so it is caught there."""
    from netbook.ui import app

    seen: list = []
    monkeypatch.setattr(app, "run_app", lambda db, hidden=False, paths=():
                        seen.append((db, hidden, paths)) or 0)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.vcf").write_bytes(CARD)
    assert main(["--db", "b.sqlite3", "a.vcf"]) == 0
    assert seen == [("b.sqlite3", False, [tmp_path / "a.vcf"])]
    assert main(["--hidden", "a.vcf"]) == 0  # files show the window even from login
    assert seen[-1] == (None, True, [tmp_path / "a.vcf"])
