"""The printable call list: PDFs rendered headless and read back with pypdf.

Most plans are built by hand (render needs no store); the last tests go through a real
database and the `netbook week` command. Text read back is compared with its
whitespace collapsed: Qt positions every glyph and pypdf guesses the spaces.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
import vobject
from helpers import make_card

from netbook.plan import planner, sheet
from netbook.plan.sheet import Details, dial_format, render_pdf, write_pdf
from netbook.ui import call_list

HEADER = "Networking block · week of 23–29 Nov 2026 · Fri 08:00–09:00 · 3 people, 45 min"
SCRIPTS = ["Иван Петров", "Γιώργος Παπαδόπουλος", "山田太郎", "Łukasz Żółć", "François Ågård"]


def item(cid: int, name: str, *, phone: str = "", email: str = "", why: str = "Overdue",
         action: str = "Call to catch up", points: tuple[str, ...] = (), done: bool = False,
         org: str = "", gift: str = "") -> planner.PlanItem:
    return planner.PlanItem(contact_id=cid, name=name, phone=phone, email=email,
                            reason="overdue", why=why, action=action, action_kind="call",
                            minutes=15, talking_points=points, done=done, organization=org,
                            gift=gift)


def make_plan(items, birthdays=()) -> planner.WeekPlan:
    return planner.WeekPlan(week_start=dt.date(2026, 11, 23), week_end=dt.date(2026, 11, 29),
                            block=planner.BlockSettings(), block_date=dt.date(2026, 11, 27),
                            budget_minutes=60, planned_minutes=15 * len(items),
                            items=tuple(items), also_birthdays=tuple(birthdays))


DE = Details(region="DE", paper_region="DE")


@pytest.fixture(autouse=True)
def _app(qapp):
    """A QApplication before render_pdf would make a bare QGuiApplication, which would
    then stop pytest-qt from making its QApplication for the widget tests."""
    return qapp


def flat(text: str) -> str:
    return " ".join(text.split())


def read_pages(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(path).pages]


def render(tmp_path: Path, plan: planner.WeekPlan, details: Details = DE,
           name: str = "list.pdf") -> tuple[int, list[str], Path]:
    path = tmp_path / name
    pages = render_pdf(plan, path, details)
    texts = read_pages(path)
    assert pages == len(texts)
    return pages, texts, path


# -- content --------------------------------------------------------------------------


def test_header_names_phones_reasons_in_plan_order(tmp_path: Path) -> None:
    plan = make_plan([
        item(7, "Zoë Rivers", phone="030 901820", email="zoe@example.de", org="Acme GmbH",
             why="Follow-up: send the deck", action="Call to follow up",
             points=("Needs: a designer for the relaunch",)),
        item(2, "Anna Müller", phone="+1 650-253-0000", why="Last talked 95 days ago",
             gift="introduction"),
        item(5, "Bruno Diaz", phone="ask at reception", why="Birthday Thursday",
             action="Send a birthday message"),
    ])
    pages, texts, _ = render(tmp_path, plan)
    assert pages == 1
    text = texts[0]
    assert text.startswith(HEADER)
    names = ["Zoë Rivers", "Anna Müller", "Bruno Diaz"]
    assert [text.index(n) for n in names] == sorted(text.index(n) for n in names)
    for expected in ["030 901820", "+1 650-253-0000", "ask at reception", "zoe@example.de",
                     "Acme GmbH", "Why now: Follow-up: send the deck",
                     "Why now: Last talked 95 days ago", "Why now: Birthday Thursday",
                     "Call to follow up · 15 min", "Send a birthday message · 15 min",
                     "Needs: a designer for the relaunch", "Offer: an introduction", "1 / 1"]:
        assert expected in text, expected
    # the reasons follow their person: the plan's order holds on the right side too
    reasons = ["send the deck", "95 days ago", "Birthday Thursday"]
    assert [text.index(r) for r in reasons] == sorted(text.index(r) for r in reasons)


@pytest.mark.parametrize(("number", "region", "expected"), [
    ("030 901820", "DE", "030 901820"),
    ("+49 30 901820", "DE", "030 901820"),
    ("+49 30 901820", "US", "+49 30 901820"),
    ("6502530000", "US", "(650) 253-0000"),
    ("+1 650 253 0000", "GB", "+1 650-253-0000"),
    ("+81 3-1234-5678", "JP", "03-1234-5678"),
    ("ask at reception", "DE", "ask at reception"),
    ("12", "DE", "12"),
    ("", "DE", ""),
])
def test_dial_format(number: str, region: str, expected: str) -> None:
    assert dial_format(number, region) == expected


def test_sixty_people_paginate_without_cutting_a_row(tmp_path: Path) -> None:
    people = [item(i, f"Person{i:02d} Tester", phone=f"+49 30 9018{i:02d}",
                   why=f"Reason number {i:02d} for calling",
                   points=(*(f"Point {k} about the project of person {i:02d}"
                             for k in range(i % 4)), f"Last line of row {i:02d}"))
              for i in range(60)]
    pages, texts, _ = render(tmp_path, make_plan(people))
    assert pages >= 5
    whole = " ".join(texts)
    order = []
    for i in range(60):
        name = f"Person{i:02d} Tester"
        assert whole.count(name) == 1, name
        # every line of the row sits on the page that holds its name
        (page,) = [n for n, t in enumerate(texts) if name in t]
        for part in (f"Reason number {i:02d}", f"Last line of row {i:02d}",
                     f"030 9018{i:02d}", *(f"Point {k} about the project of person {i:02d}"
                                           for k in range(i % 4))):
            assert part in texts[page], (name, part)
        order.append((page, texts[page].index(name)))
    assert order == sorted(order)
    for n, text in enumerate(texts):
        assert f"{n + 1} / {pages}" in text
        if n:
            assert "Networking block · week of 23–29 Nov 2026 (continued)" in text


def _cmap_chars(data: str) -> set[str]:
    """Every character a ToUnicode CMap maps a glyph to."""
    chars: set[str] = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for _, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            chars.add(bytes.fromhex(dst).decode("utf-16-be"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            if dst.startswith("["):
                chars.update(bytes.fromhex(h).decode("utf-16-be")
                             for h in re.findall(r"<([0-9A-Fa-f]+)>", dst))
            else:
                first = int(dst[1:-1], 16)
                chars.update(chr(first + k) for k in range(int(hi, 16) - int(lo, 16) + 1))
    return chars


def embedded_chars(path: Path) -> set[str]:
    """Characters that some embedded font in the PDF has a real glyph for."""
    chars: set[str] = set()
    for page in pypdf.PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                f"{font['/BaseFont']} is not embedded"
            chars |= _cmap_chars(font["/ToUnicode"].get_object().get_data().decode("latin-1"))
    return chars


def test_fonts_cover_cyrillic_greek_japanese(tmp_path: Path) -> None:
    cjk = [f for f in sheet.font_families() if f in sheet.CJK_FAMILIES]
    assert cjk, ("no CJK font installed: Japanese names would print as boxes; install the "
                 f"Debian packages {' '.join(sheet.FONT_PACKAGES)}")
    plan = make_plan([item(n, name, why=f"why {n}") for n, name in enumerate(SCRIPTS)])
    _, texts, path = render(tmp_path, plan)
    for name in SCRIPTS:
        assert name in texts[0], name
        assert texts[0].count(name) == 1, name  # no synthetic-bold double print
    covered = embedded_chars(path)
    missing = {ch for name in SCRIPTS for ch in name if not ch.isspace()} - covered
    assert not missing, f"no embedded glyph for {sorted(missing)}"


def test_markup_in_names_and_notes_prints_literally(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    note = f'<img src="file://{secret}"> and <a href="http://example.com">a link</a>'
    plan = make_plan([item(1, "<b>Bob</b>", org="<i>Acme</i>", why=note,
                           points=("Last time: <script>alert(1)</script>",))])
    _, texts, path = render(tmp_path, plan)
    assert "<b>Bob</b>" in texts[0]
    assert "<i>Acme</i>" in texts[0]
    assert note.replace(" ", "") in texts[0].replace(" ", "")  # the path wraps anywhere
    assert "<script>alert(1)</script>" in texts[0]
    reader = pypdf.PdfReader(path)
    for page in reader.pages:  # nothing was loaded: no images, no links
        assert not page["/Resources"].get("/XObject")
        assert not page.get("/Annots", pypdf.generic.ArrayObject()).get_object()


def test_long_text_wraps_and_nothing_is_lost(tmp_path: Path) -> None:
    long_word = "https://example.com/" + "x" * 150
    name = "Maximiliane Alexandra Theodora von und zu Hohenzollern-Sigmaringen"
    words = [f"w{k:03d}" for k in range(80)]
    plan = make_plan([item(1, name, email=long_word, why=" ".join(words))])
    _, texts, _ = render(tmp_path, plan)
    squeezed = texts[0].replace(" ", "")
    assert long_word in squeezed  # wrapped anywhere, no character cut
    assert name.replace(" ", "") in squeezed
    assert all(w in texts[0] for w in words)


def test_a_row_taller_than_a_page_is_sliced_between_lines(tmp_path: Path) -> None:
    words = [f"part{k:04d}" for k in range(700)]
    plan = make_plan([item(1, "Short One"), item(2, " ".join(words)), item(3, "After Row")])
    pages, texts, _ = render(tmp_path, plan)
    assert pages >= 3
    # squeezed: pypdf now and then breaks a word in two ("p art0455") at a glyph position
    whole = "".join("".join(texts).split())
    for w in words:
        assert whole.count(w) == 1, w  # every line once: none cut, none drawn twice
    assert whole.index("ShortOne") < whole.index("part0000") < whole.index("AfterRow")


def test_footer_birthdays_and_page_numbers(tmp_path: Path) -> None:
    people = [item(i, f"Friend{i:02d} Example", why="Overdue " * 30,
                   points=("Needs: more time", "Working on: a long project")) for i in range(9)]
    plan = make_plan(people, birthdays=[("Zoe Rivers", dt.date(2026, 11, 26)),
                                        ("Карл Маркс", dt.date(2026, 11, 28))])
    pages, texts, _ = render(tmp_path, plan)
    assert pages == 3  # four rows a page: each has its outcome boxes and room for notes
    assert "1 / 3" in texts[0] and "3 / 3" in texts[2]
    assert "Also this week: birthdays" in texts[-1]
    assert "Zoe Rivers (Thu 26 Nov)" in texts[-1]
    assert "Карл Маркс" in texts[-1]
    assert "Also this week" not in texts[0]


def test_empty_week(tmp_path: Path) -> None:
    pages, texts, _ = render(tmp_path, make_plan([]))
    assert pages == 1
    assert "Nobody is due this week." in texts[0]
    assert "0 people, 0 min" in texts[0]


def test_done_people_are_ticked_and_counted(tmp_path: Path) -> None:
    plan = make_plan([item(1, "Ann Done", done=True), item(2, "Ben Open")])
    _, texts, _ = render(tmp_path, plan)
    assert "1 of 2 already done." in texts[0]
    assert "Call to catch up · 15 min · done" in texts[0]


@pytest.mark.parametrize(("paper", "size"), [("US", (612, 792)), ("CA", (612, 792)),
                                             ("DE", (595, 842)), ("JP", (595, 842))])
def test_paper_follows_the_country(tmp_path: Path, paper: str, size) -> None:
    path = tmp_path / "p.pdf"
    render_pdf(make_plan([item(1, "Ann")]), path, Details(region="DE", paper_region=paper))
    box = pypdf.PdfReader(path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "list.pdf"
    with pytest.raises(OSError):
        render_pdf(make_plan([item(1, "Ann")]), missing, DE)
    assert not missing.exists()


# -- print preview and Save as PDF -------------------------------------------------------


def test_print_preview_paints_the_same_list(qtbot, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QToolBar

    plan = make_plan([item(1, "Ann Preview"), item(2, "Иван Петров")])
    dialog = call_list.make_print_preview(None, None, plan)
    qtbot.addWidget(dialog)
    actions = [a.text() for bar in dialog.findChildren(QToolBar) for a in bar.actions()]
    assert "Save as PDF…" in actions
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.paintRequested.emit(printer)
    text = read_pages(tmp_path / "printed.pdf")[0]
    assert text.index("Ann Preview") < text.index("Иван Петров")


def test_save_pdf_runs_off_the_gui_thread(qtbot, tmp_path: Path) -> None:
    plan = make_plan([item(i, f"Worker{i:03d} Row") for i in range(120)])
    done: list[tuple[Path, int]] = []
    call_list.save_pdf(None, None, plan, path=tmp_path / "big.pdf", details=DE,
                       on_done=lambda path, pages: done.append((path, pages)))
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    path, pages = done[0]
    texts = read_pages(path)
    assert len(texts) == pages > 1
    assert "Worker119 Row" in texts[-1]


def test_save_ics_from_the_panel(tmp_path: Path) -> None:
    plan = make_plan([item(1, "Ann Calendar")])
    path = call_list.save_ics(None, plan, tmp_path / "block.ics")
    assert path is not None
    event = vobject.readOne(path.read_text(encoding="utf-8")).vevent
    assert "Ann Calendar" in event.description.value


def test_spans_count_utf16_units(tmp_path: Path) -> None:
    """An emoji (two UTF-16 units) before a styled label must not shift the styling."""
    plan = make_plan([item(1, "Emoji 🎉 Fan", points=("🎉 Party: bring cake",))])
    _, texts, _ = render(tmp_path, plan)
    assert "Party: bring cake" in texts[0]


# -- through the store and the command line ----------------------------------------------


def add_person(store, name: str, phone: str, follow_up: dt.date, note: str) -> int:
    from netbook.data import networking

    cid = store.add_contact(make_card(name, phones=[phone], emails=["x@example.com"]))
    networking.set_networking(store, cid, follow_up=follow_up, follow_up_note=note)
    return cid


def test_write_pdf_with_store_labels_the_phone(store, tmp_path: Path) -> None:
    from netbook.plan.service import load_plan

    add_person(store, "Dana Store", "+1 650 253 0000", dt.date(2026, 11, 24), "ask about Q4")
    plan = load_plan(store, dt.date(2026, 11, 25), 0, remember=False)
    assert [i.name for i in plan.items] == ["Dana Store"]
    path = tmp_path / "store.pdf"
    assert write_pdf(store, plan, path) == 1
    text = read_pages(path)[0]
    assert "Dana Store" in text
    assert "(650) 253-0000 mobile" in text  # the store's region is US: national format
    assert "Follow-up: ask about Q4" in text


def headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).parents[2]),
                                                      env.get("PYTHONPATH")]))
    return env


def test_cli_week_writes_pdf_ics_and_json_in_the_same_order(store, db_path: Path,
                                                            tmp_path: Path) -> None:
    names = ["Olga Иванова", "Kenji 山本", "Eleni Γεωργίου"]
    for n, name in enumerate(names):
        add_person(store, name, f"+49 30 90182{n}", dt.date(2026, 11, 23 + n), f"topic {n}")
    pdf, ics = tmp_path / "week.pdf", tmp_path / "week.ics"
    result = subprocess.run(
        [sys.executable, "-m", "netbook", "week", "--db", str(db_path), "--date", "2026-11-25",
         "--pdf", str(pdf), "--ics", str(ics), "--format", "json"],
        env=headless_env(), capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    order = [i["name"] for i in json.loads(result.stdout)["items"]]
    assert sorted(order) == sorted(names)
    text = read_pages(pdf)[0]
    assert [text.index(n) for n in order] == sorted(text.index(n) for n in order)
    event = vobject.readOne(ics.read_text(encoding="utf-8")).vevent
    lines = [line for line in event.description.value.splitlines() if line[:1].isdigit()]
    assert [line.split("] ", 1)[1].split(" — ")[0] for line in lines] == order
    assert event.rrule.value == "FREQ=WEEKLY;BYDAY=FR"


def test_a_direction_override_in_a_name_stays_inside_the_name(tmp_path: Path) -> None:
    """Issue 12, 7: an override in one birthday's name must not flip the rest of the
    line (UAX #9 isolates around every name)."""
    plan = make_plan([item(1, "Evil\u202eexe.txt")],
                     birthdays=[("Mallory\u202eKing", dt.date(2026, 11, 27)),
                                ("Bob Smith", dt.date(2026, 11, 28))])
    _, texts, _ = render(tmp_path, plan)
    assert "Mallory King (Fri 27 Nov), Bob Smith (Sat 28 Nov)" in texts[0].replace(
        "\u2068", "").replace("\u2069", "")


def test_each_person_has_outcome_boxes_and_a_next_step_line(tmp_path: Path) -> None:
    plan = make_plan([item(1, "Ana Boxes", why="Last talked 95 days ago")])
    _, texts, _ = render(tmp_path, plan)
    assert "Reached Left a message Next step: by" in texts[0]
    assert "mark what happened and the next step" in texts[0]


def test_a_birthday_before_the_block_day_says_on_which_day(tmp_path: Path) -> None:
    bea = planner.PlanItem(
        contact_id=1, name="Bea Birthday", phone="", email="", reason="birthday",
        why="Birthday on Tue 24 Nov — turns 40", action="Send a birthday message",
        action_kind="message", minutes=5, talking_points=(), done=False,
        on=dt.date(2026, 11, 24))
    _, texts, _ = render(tmp_path, make_plan([bea]))
    assert "On Tue 24 Nov: Send a birthday message · 5 min" in texts[0]
    assert "Today" not in texts[0]  # paper is read on another day than it was printed
