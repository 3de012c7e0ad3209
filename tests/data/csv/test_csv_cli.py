"""`netbook import` and `netbook export --format csv` from the command line: formats
recognised by content or forced, the summary line as for vCards, job changes said, a
mapping given once and remembered, and clear usage errors."""

from __future__ import annotations

import shutil

import pytest
from helpers import CSV_SAMPLES, cli

from netbook.cli import main
from netbook.data.contacts import Store


def test_linkedin_then_next_month(capsys, db_path):
    code, out, err = cli(capsys, "import", "--db", str(db_path),
                         str(CSV_SAMPLES / "linkedin_Connections.csv"))
    assert (code, out) == (0, "4 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable\n")
    assert "linkedin_Connections.csv: read as LinkedIn connections" in err
    code, out, _ = cli(capsys, "import", "--db", str(db_path),
                       str(CSV_SAMPLES / "linkedin_Connections_next_month.csv"))
    assert code == 0
    assert out.splitlines() == [
        "1 new, 2 updated, 0 merged, 2 unchanged, 0 unreadable",
        "Ada Lovelace: Changed job: Programmer at Analytical Engines, Ltd → Chief "
        "Programmer at Babbage & Co (a reason to get in touch: a follow-up is in the plan)",
        'Björn Müller: New title at Müller & Söhne GmbH: Head of "Special" Projects → '
        "Managing Director (a reason to get in touch: a follow-up is in the plan)",
    ]
    code, out, _ = cli(capsys, "week", "--db", str(db_path))
    assert "Follow-up: Changed job: Programmer at Analytical Engines" in out


def test_all_formats_at_once_whatever_the_names(capsys, db_path, tmp_path):
    names = ["linkedin_Connections.csv", "google_contacts.csv", "google_legacy.csv",
             "outlook_desktop_cp1252.csv", "outlook_com_utf16.csv"]
    paths = []
    for n, name in enumerate(names):
        paths.append(tmp_path / f"file{n}.dat")
        shutil.copy(CSV_SAMPLES / name, paths[-1])
    code, out, err = cli(capsys, "import", "--db", str(db_path), *map(str, paths))
    # the files are matched against the book, not against each other: Grace Hopper,
    # in LinkedIn's file and Google's, comes in twice (importing one after the other
    # would have updated her)
    assert (code, out) == (0, "16 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable\n")
    for n, title in enumerate(("LinkedIn connections", "Google Contacts CSV",
                               "Google Contacts CSV", "Outlook CSV", "Outlook CSV")):
        assert f"file{n}.dat: read as {title}" in err


def test_a_preamble_only_export_exits_2_and_writes_nothing(capsys, db_path):
    code, out, err = cli(capsys, "import", "--db", str(db_path),
                         str(CSV_SAMPLES / "linkedin_Connections.csv"),
                         str(CSV_SAMPLES / "linkedin_preamble_only.csv"))
    assert code == 2 and out == ""
    assert "linkedin_preamble_only.csv: is a LinkedIn export with only its “Notes:”" in err
    assert "Nothing was imported." in err
    with Store.open(db_path) as store:
        assert store.count() == 0


def test_an_unknown_csv_says_how_to_map_it_then_the_mapping_is_remembered(capsys, db_path,
                                                                          tmp_path):
    path = str(CSV_SAMPLES / "attendees.csv")
    code, _, err = cli(capsys, "import", "--db", str(db_path), path)
    assert code == 2
    assert '--map "Attendee=name,Mail=email,Employer=organization,Role=title"' in err
    code, out, _ = cli(capsys, "import", "--db", str(db_path), path,
                       "--map", "Attendee=name,Mail=email", "--map", "Employer=organization",
                       "--tag", "PyCon 2024", "--met", "2024-05-17", "--met-where", "PyCon")
    assert (code, out) == (0, "3 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable\n")
    again = tmp_path / "attendees-next.csv"
    again.write_text("Attendee,Mail,Employer,Role,Badge,Interests\n"
                     "Alan Turing,alan@example.org,Bletchley Park,,,\n", encoding="utf-8")
    code, out, _ = cli(capsys, "import", "--db", str(db_path), str(again))
    assert (code, out) == (0, "1 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable\n")
    code, out, _ = cli(capsys, "list", "--db", str(db_path), "--search", "pycon")
    assert len(out.splitlines()) == 3


@pytest.mark.parametrize(("args", "words"), [
    (["--map", "Mail"], "--map: “Mail” has no =FIELD"),
    (["--map", "Mail=email", "--format", "google"], "--map is for --format csv"),
    (["--met", "2999-01-01"], "--met: the day you met can't be in the future"),
    (["--format", "excel"], "invalid choice"),
])
def test_import_usage_errors(capsys, db_path, args, words):
    code, _, err = cli(capsys, "import", "--db", str(db_path),
                       str(CSV_SAMPLES / "attendees.csv"), *args)
    assert code == 2
    assert words in err


def test_a_forced_format(capsys, db_path, tmp_path):
    code, _, err = cli(capsys, "import", "--db", str(db_path), "--format", "vcard",
                       str(CSV_SAMPLES / "google_contacts.csv"))
    assert code == 2
    assert "google_contacts.csv: " in err  # the vCard reader finds no card in it
    code, out, _ = cli(capsys, "import", "--db", str(db_path), "--format", "google",
                       str(CSV_SAMPLES / "google_contacts.csv"))
    assert (code, out) == (0, "4 new, 0 updated, 0 merged, 0 unchanged, 0 unreadable\n")


def test_export_csv_to_a_file_and_to_stdout(capsysbinary, db_path, tmp_path):
    main(["import", "--db", str(db_path), str(CSV_SAMPLES / "google_contacts.csv")])
    target = tmp_path / "out.csv"
    assert main(["export", "--db", str(db_path), "--format", "csv", "-o", str(target)]) == 0
    out, err = capsysbinary.readouterr()
    assert b"Exported 4 contacts to" in err
    assert target.read_bytes().startswith(b"\xef\xbb\xbfFirst Name,")
    assert main(["export", "--db", str(db_path), "--format", "csv"]) == 0
    out, _ = capsysbinary.readouterr()
    assert out == target.read_bytes()
    code = main(["import", "--db", str(db_path), str(target)])
    out, _ = capsysbinary.readouterr()
    assert (code, out) == (0, b"0 new, 0 updated, 0 merged, 4 unchanged, 0 unreadable\n")
