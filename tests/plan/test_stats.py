"""Is the habit working? `netbook stats` and the Review view's numbers (issue 14),
checked against a small history counted by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import cli, make_card

from netbook.data import networking, plan_queries
from netbook.plan.stats import stats_lines, stats_to_json, week_stats

TODAY = dt.date(2025, 11, 26)  # a Wednesday; weeks start on Monday
D = dt.date.fromisoformat


@pytest.fixture
def history(store):
    """Eight weeks, 6 Oct – 30 Nov 2025. By hand:

    week of  3 Nov: Ana call (gave), Ben coffee (asked), Ben call,
                    Fay call                                          → 4 touches, 3 people
    week of 10 Nov: Ana call; the block planned Ana and Ben, Ana done → 1, 1; block 1/2
    week of 17 Nov: Cem meeting (gave), Dan message; block Cem, Dan   → 2, 2; block 2/2 kept
    week of 24 Nov: Ana email (asked); block Ana, done                → 1, 1; block 1/1
    Streak before this week: 17 Nov kept, 10 Nov not → 1.
    Circles today: inner Ana (within), Fay (last 4 Nov + 14 < today: overdue); close Ben
    (6 Nov + 30 ≥ today: within); network Cem (within); acquaintance Eve (never: overdue).
    Met: Dan 20 Oct, Gus 24 Nov (this week), Hal 30 Sep (before the weeks).
    """
    ids = {}

    def person(key, name, circle=None, rhythm=None, met=None):
        ids[key] = store.add_contact(make_card(name))
        fields = {}
        if circle:
            fields.update(circle=circle, rhythm_days=rhythm)
        if met:
            fields["met_on"] = D(met)
        if fields:
            networking.set_networking(store, ids[key], **fields)

    person("ana", "Ana Inner", "inner", 14)
    person("ben", "Ben Close", "close", 30)
    person("cem", "Cem Network", "network", 90)
    person("dan", "Dan Nocircle", met="2025-10-20")
    person("eve", "Eve Acquaintance", "acquaintance", 365)
    person("fay", "Fay Inner", "inner", 14)
    person("gus", "Gus Met", met="2025-11-24")
    person("hal", "Hal Older", met="2025-09-30")
    for key, on, kind, exchange in (
        ("ana", "2025-11-04", "call", "gave"), ("ben", "2025-11-05", "coffee", "asked"),
        ("ben", "2025-11-06", "call", ""), ("ana", "2025-11-12", "call", ""),
        ("cem", "2025-10-01", "call", ""), ("cem", "2025-11-18", "meeting", "gave"),
        ("dan", "2025-11-19", "message", ""), ("ana", "2025-11-25", "email", "asked"),
        ("fay", "2025-11-04", "call", ""),
    ):
        networking.log_interaction(store, ids[key], on=D(on), kind=kind, exchange=exchange,
                                   gift="advice" if exchange == "gave" else "")
    plan_queries.record_week(store, D("2025-11-10"), [ids["ana"], ids["ben"]])
    plan_queries.record_week(store, D("2025-11-17"), [ids["cem"], ids["dan"]])
    plan_queries.record_week(store, D("2025-11-24"), [ids["ana"]])
    return store, ids


def test_the_weeks_counted_by_hand(history):
    store, _ = history
    doc = stats_to_json(week_stats(store, TODAY, weeks=8))
    assert [w["week_start"] for w in doc["weeks"]] == [
        "2025-10-06", "2025-10-13", "2025-10-20", "2025-10-27", "2025-11-03", "2025-11-10",
        "2025-11-17", "2025-11-24"]
    rows = [(w["touches"], w["people"], w["gave"], w["asked"], w["block_planned"],
             w["block_done"]) for w in doc["weeks"]]
    assert rows == [(0, 0, 0, 0, 0, 0)] * 4 + [
        (4, 3, 1, 1, 0, 0),
        (1, 1, 0, 0, 2, 1),
        (2, 2, 1, 0, 2, 2),
        (1, 1, 0, 1, 1, 1),
    ]
    assert doc["streak"] == 1


def test_the_circles_and_the_people_met_counted_by_hand(history):
    store, _ = history
    stats = week_stats(store, TODAY, weeks=8)
    doc = stats_to_json(stats)
    assert doc["circles"] == {
        "inner": {"people": 2, "within_rhythm": 1, "overdue": 1},
        "close": {"people": 1, "within_rhythm": 1, "overdue": 0},
        "network": {"people": 1, "within_rhythm": 1, "overdue": 0},
        "acquaintance": {"people": 1, "within_rhythm": 0, "overdue": 1},
    }
    assert doc["met_per_month"] == [{"month": "2025-10", "people": 1},
                                    {"month": "2025-11", "people": 1}]
    assert stats.met_this_week == 1


def test_the_json_has_exactly_the_keys_of_the_issue(history):
    store, _ = history
    doc = stats_to_json(week_stats(store, TODAY))
    assert set(doc) == {"weeks", "streak", "circles", "met_per_month"}
    assert len(doc["weeks"]) == 26
    assert all(set(w) == {"week_start", "touches", "people", "gave", "asked",
                          "block_planned", "block_done"} for w in doc["weeks"])
    assert all(set(c) == {"people", "within_rhythm", "overdue"}
               for c in doc["circles"].values())
    assert all(set(m) == {"month", "people"} for m in doc["met_per_month"])
    assert doc["met_per_month"][0]["month"] == "2025-06"  # the month of the first week


def test_the_text_reads_as_a_table_with_the_summary_after(history):
    store, _ = history
    lines = stats_lines(week_stats(store, TODAY, weeks=4))
    assert lines[0] == "Last 4 weeks (3–30 Nov 2025)"
    assert lines[3] == "3 Nov 2025         4       3     1      1  —"
    assert lines[5] == "17 Nov 2025        2       2     1      0  2/2 ✓"
    assert "This week: Block: 1 of 1 done · 1 touch with 1 person · gave 0, asked 1 · " \
           "met 1 person new" in lines
    assert "Streak: 1 week" in lines
    assert "  inner        1 of 2 (1 overdue)" in lines


def test_netbook_stats_on_the_command_line(capsys, db_path):
    from netbook.data.contacts import Store

    with Store.open(db_path) as store:
        cid = store.add_contact(make_card("Ana Now"))
        networking.log_interaction(store, cid, on=dt.date.today(), kind="call", exchange="gave",
                                   gift="advice")
    code, out, _ = cli(capsys, "stats", "--weeks", "3", "--format", "json", "--db", str(db_path))
    assert code == 0
    doc = json.loads(out)
    assert len(doc["weeks"]) == 3
    assert doc["weeks"][-1]["touches"] == 1 and doc["weeks"][-1]["gave"] == 1
    code, out, _ = cli(capsys, "stats", "--db", str(db_path))
    assert code == 0 and out.startswith("Last 26 weeks (")
    code, _, err = cli(capsys, "stats", "--weeks", "0", "--db", str(db_path))
    assert code == 2 and "must be at least 1" in err
    code, out, err = cli(capsys, "stats", "--weeks", "1000", "--db", str(db_path))
    assert code == 2 and out == "" and "must be at most 520, ten years (got 1000)" in err
