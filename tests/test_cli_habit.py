"""The weekly habit on the command line (issue 14): `log --follow-up`, `skip`, `snooze`,
`met`; bad input is refused in words with exit code 2 and nothing changes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import cli, make_card

from netbook import locale
from netbook.data import networking, settings
from netbook.data.contacts import Store
from netbook.plan.planner import week_bounds

TODAY = dt.date.today()
# the book's own week start, never the system's: the CLI must read the book's setting
FIRST = (locale.first_weekday() + 3) % 7


@pytest.fixture
def book(db_path):
    with Store.open(db_path) as store:
        settings.set_block(store, minutes=30)
        settings.set_first_weekday(store, FIRST)
        fred = store.add_contact(make_card("Fred Followup"))
        networking.set_networking(store, fred, follow_up=TODAY - dt.timedelta(days=2),
                                  follow_up_note="promised an intro to Ana")
        olga = store.add_contact(make_card("Olga Overdue"))
        networking.set_networking(store, olga, rhythm_days=30)
        networking.log_interaction(store, olga, on=TODAY - dt.timedelta(days=90), kind="call")
        store.add_contact(make_card("Nobody Planned"))
    return str(db_path)


def planned(capsys, db: str) -> list[str]:
    code, out, _ = cli(capsys, "week", "--db", db, "--format", "json")
    assert code == 0
    return [i["name"] for i in json.loads(out)["items"]]


def follow_up_of(db: str, name: str):
    with Store.open(db) as store:
        record = store.get_contact(store.resolve(name))
        return record.follow_up, record.follow_up_note


def test_log_with_follow_up_none_closes_the_promise(capsys, book):
    code, out, _ = cli(capsys, "log", "Fred", "--kind", "call", "--follow-up", "none",
                       "--db", book)
    assert code == 0
    assert out == "Logged a call with Fred Followup\nThe follow-up is done and cleared\n"
    assert follow_up_of(book, "Fred") == (None, "")
    assert "Fred Followup" in planned(capsys, book)  # still this week's row, now done


def test_log_with_follow_up_date_moves_it(capsys, book):
    later = TODAY + dt.timedelta(days=9)
    code, out, _ = cli(capsys, "log", "Fred", "--kind", "call", "--follow-up",
                       later.isoformat(), "--db", book)
    assert code == 0 and out.splitlines()[1].startswith("Follow up on ")
    assert follow_up_of(book, "Fred") == (later, "promised an intro to Ana")


def test_log_with_a_new_promise_sets_its_follow_up(capsys, book):
    soon = TODAY + dt.timedelta(days=3)
    code, _, _ = cli(capsys, "log", "Olga", "--kind", "call", "--note", "I'll send the deck",
                     "--follow-up", soon.isoformat(), "--follow-up-note", "send the deck",
                     "--db", book)
    assert code == 0
    assert follow_up_of(book, "Olga") == (soon, "send the deck")


@pytest.mark.parametrize(("value", "message"), [
    ("next tuesday", "is not a date (YYYY-MM-DD), nor none to clear it"),
    ("2001-01-01", "is in the past"),
])
def test_log_with_a_nonsense_follow_up_is_refused_and_logs_nothing(capsys, book, value,
                                                                   message):
    code, _, err = cli(capsys, "log", "Fred", "--kind", "call", "--follow-up", value,
                       "--db", book)
    assert code == 2 and message in err
    with Store.open(book) as store:
        assert networking.interactions(store, store.resolve("Fred")) == []


def test_skip_leaves_one_person_out_and_undo_brings_them_back(capsys, book):
    before = planned(capsys, book)
    assert before == ["Fred Followup", "Olga Overdue"]
    code, out, _ = cli(capsys, "skip", "Fred", "--db", book)
    assert code == 0 and out.startswith("Not this week: Fred Followup is out of the block")
    assert planned(capsys, book) == ["Olga Overdue"]
    code, out, _ = cli(capsys, "skip", "Fred", "--undo", "--db", book)
    assert code == 0 and "is back in the block" in out
    assert planned(capsys, book) == before


def test_skip_someone_not_planned_is_refused(capsys, book):
    code, _, err = cli(capsys, "skip", "Nobody", "--db", book)
    assert code == 2
    assert "Nobody Planned is not in the block of the week of" in err


def test_skip_in_another_week_by_date(capsys, book):
    next_week = TODAY + dt.timedelta(days=7)
    code, _, _ = cli(capsys, "skip", "Olga", "--date", next_week.isoformat(), "--db", book)
    assert code == 0
    with Store.open(book) as store:
        assert networking.is_skipped(store, store.resolve("Olga"),
                                     week_bounds(next_week, FIRST)[0])
    assert "Olga Overdue" in planned(capsys, book)  # this week is untouched


def test_snooze_until_a_later_day_and_undo(capsys, book):
    until = TODAY + dt.timedelta(days=21)
    code, out, _ = cli(capsys, "snooze", "Olga", "--until", until.isoformat(), "--db", book)
    assert code == 0 and out.startswith("Remind me on ")
    assert "Olga Overdue" not in planned(capsys, book)
    code, out, _ = cli(capsys, "snooze", "Olga", "--undo", "--db", book)
    assert code == 0
    assert "Olga Overdue" in planned(capsys, book)


@pytest.mark.parametrize(("days", "message"), [(-3, "is in the past"), (0, "is still this week")])
def test_a_snooze_date_in_the_past_or_this_week_is_refused(capsys, book, days, message):
    if days == 0:
        days = (week_bounds(TODAY, FIRST)[1] - TODAY).days
    until = TODAY + dt.timedelta(days=days)
    code, _, err = cli(capsys, "snooze", "Olga", "--until", until.isoformat(), "--db", book)
    assert code == 2 and message in err


def test_snooze_needs_until_or_undo(capsys, book):
    code, _, err = cli(capsys, "snooze", "Olga", "--db", book)
    assert code == 2 and "--until" in err


def test_snooze_someone_not_planned_works_and_says_so(capsys, book):
    until = TODAY + dt.timedelta(days=30)
    code, out, _ = cli(capsys, "snooze", "Nobody", "--until", until.isoformat(), "--db", book)
    assert code == 0 and "(Nobody Planned was not in this week's block)" in out


def test_met_adds_a_new_acquaintance(capsys, db_path):
    code, out, _ = cli(capsys, "met", "Mia Stranger", "--where", "seat 14C to Berlin",
                       "--does", "runs a design studio", "--needs", "a data engineer",
                       "--reach", "mia@studio.example", "--db", str(db_path))
    assert code == 0 and "Added Mia Stranger" in out
    with Store.open(db_path) as store:
        record = store.get_contact(store.resolve("Mia"))
        assert (record.met_on, record.met_where) == (TODAY, "seat 14C to Berlin")
        assert store.get_card(record.id).emails[0].value == "mia@studio.example"
    items = [i for i in json.loads(cli(capsys, "week", "--db", str(db_path), "--date",
                                       (TODAY + dt.timedelta(days=7)).isoformat(),
                                       "--format", "json")[1])["items"]]
    assert [(i["name"], i["reason"]) for i in items] == [("Mia Stranger", "new_acquaintance")]


def test_met_with_an_unreadable_phone_or_email_is_refused(capsys, db_path):
    code, _, err = cli(capsys, "met", "Mia", "--reach", "seat 14C", "--db", str(db_path))
    assert code == 2 and "is neither a phone number nor an email address" in err
    code, _, err = cli(capsys, "met", "  ", "--db", str(db_path))
    assert code == 2 and "Give their name" in err


def test_the_calendar_event_reminds_ten_minutes_before_unless_changed(capsys, db_path,
                                                                      tmp_path):
    import vobject

    ics = tmp_path / "block.ics"
    assert cli(capsys, "week", "--db", str(db_path), "--ics", str(ics))[0] == 0
    [alarm] = vobject.readOne(ics.read_text(encoding="utf-8")).vevent.contents["valarm"]
    assert alarm.trigger.value == -dt.timedelta(minutes=10)
    assert alarm.action.value == "DISPLAY"
    # the event repeats every week: its alarm names no week's people or count
    assert alarm.description.value == "Your networking block: this week's people are in netbook"
    code, out, _ = cli(capsys, "block", "--alarm", "30", "--db", str(db_path))
    assert code == 0 and "calendar reminder: 30 min before" in out
    cli(capsys, "week", "--db", str(db_path), "--ics", str(ics))
    event = vobject.readOne(ics.read_text(encoding="utf-8")).vevent
    assert event.valarm.trigger.value == -dt.timedelta(minutes=30)
    cli(capsys, "block", "--alarm", "0", "--db", str(db_path))
    cli(capsys, "week", "--db", str(db_path), "--ics", str(ics))
    assert "valarm" not in vobject.readOne(ics.read_text(encoding="utf-8")).vevent.contents


@pytest.mark.parametrize(("value", "words"), [("-5", "0 (none) to"), ("soon", "whole number")])
def test_a_bad_alarm_is_refused(capsys, db_path, value, words):
    code, _, err = cli(capsys, "block", "--alarm", value, "--db", str(db_path))
    assert code == 2 and words in err


@pytest.mark.parametrize("option", ["--pdf", "--ics"])
def test_the_week_to_a_folder_that_does_not_exist_is_a_message_not_a_traceback(
        capsys, book, tmp_path, option):
    target = tmp_path / "no such folder" / "week.out"
    code, _, err = cli(capsys, "week", "--db", book, option, str(target))
    assert code == 2
    assert err.strip().endswith(f"{target}: can't be written (No such file or directory)")
    assert "Traceback" not in err and not target.parent.exists()


def test_the_sheet_written_but_not_the_calendar_file_is_done_in_part(capsys, book, tmp_path):
    sheet, ics = tmp_path / "week.pdf", tmp_path / "missing" / "week.ics"
    code, _, err = cli(capsys, "week", "--db", book, "--pdf", str(sheet), "--ics", str(ics))
    assert code == 1 and sheet.exists()
    assert f"Wrote {sheet}" in err and f"{ics}: can't be written" in err


def test_log_and_set_offer_every_kind_gift_and_circle_the_book_knows(capsys):
    from netbook.data.models import CIRCLES, GIFT_KINDS, INTERACTION_KINDS

    code, out, _ = cli(capsys, "log", "--help")
    assert code == 0 and "{" + ",".join(INTERACTION_KINDS) + "}" in " ".join(out.split())
    for gift in GIFT_KINDS:
        code, _, err = cli(capsys, "log", "x", "--kind", "call", "--gave", gift, "--help")
        assert code == 0, err
    code, out, _ = cli(capsys, "set", "--help")
    assert "|".join(("DAYS", *CIRCLES, "none")) in out
