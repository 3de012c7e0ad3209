"""The book's own settings (netbook.data.settings): the weekly block, the circles' days."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from helpers import make_card

from netbook.data import networking, settings
from netbook.data.contacts import StoreError
from netbook.data.models import CIRCLES, GIFT_KINDS, INTERACTION_KINDS
from netbook.plan import planner


@pytest.fixture
def cid(store) -> int:
    return store.add_contact(make_card("Nina Network"))


# -- circles ---------------------------------------------------------------------


def test_changing_a_circles_days_moves_everyone_in_it(store, cid):
    other = store.add_contact(make_card("Other Close"))
    custom = store.add_contact(make_card("Custom Rhythm"))
    for c in (cid, other):
        networking.set_networking(store, c, rhythm_days=30, circle="close")
    networking.set_networking(store, custom, rhythm_days=21)
    settings.set_circle_days(store, {"close": 45})
    assert settings.circle_days(store)["close"] == 45
    assert [store.get_contact(c).rhythm_days for c in (cid, other, custom)] == [45, 45, 21]
    assert networking.resolve_rhythm(store, "close") == (45, "close")


@pytest.mark.parametrize("days, message", [({"close": 0}, "at least 1"),
                                           ({"besties": 10}, "unknown circle")])
def test_bad_circle_days_are_refused(store, days, message):
    with pytest.raises(StoreError, match=message):
        settings.set_circle_days(store, days)
    assert settings.circle_days(store) == settings.DEFAULT_CIRCLE_DAYS


# -- the weekly block --------------------------------------------------------------


def test_the_block_has_sensible_defaults(store):
    block = settings.block_settings(store)
    assert (block.weekday, block.start, block.minutes) == (4, dt.time(8, 0), 60)
    assert block == settings.DEFAULT_BLOCK


def test_setting_the_block_reads_back(store):
    settings.set_block(store, weekday=1, start="7:30", minutes=45, touch_minutes={"call": 10})
    block = settings.block_settings(store)
    assert (block.weekday, block.start, block.minutes) == (1, dt.time(7, 30), 45)
    assert block.touch_minutes["call"] == 10
    assert block.touch_minutes["coffee"] == 45  # the others kept


@pytest.mark.parametrize("kwargs, message", [
    ({"minutes": 0}, "at least 1 minute"),
    ({"minutes": -30}, "at least 1 minute"),
    ({"minutes": 24 * 60 + 1}, "longer than a day"),
    ({"start": "25:00"}, "not a time"),
    ({"start": "noon"}, "not a time"),
    ({"weekday": 7}, "Monday"),
    ({"touch_minutes": {"call": 0}}, "at least 1 minute"),
    ({"touch_minutes": {"seance": 10}}, "unknown kind"),
])
def test_a_bad_block_is_refused_and_the_old_one_kept(store, kwargs, message):
    settings.set_block(store, minutes=30)
    with pytest.raises(StoreError, match=message):
        settings.set_block(store, **{"weekday": 2, **kwargs})
    block = settings.block_settings(store)
    assert (block.weekday, block.minutes) == (4, 30)


@pytest.mark.parametrize("text, day", [("friday", 4), ("Fri", 4), ("fr", 4), ("MON", 0),
                                       ("th", 3), ("tuesday", 1), ("sun", 6)])
def test_a_day_is_a_full_or_short_name(text, day):
    assert settings.parse_weekday(text) == day


@pytest.mark.parametrize("text", ["t", "s", "", "funday", "4", "fridays"])
def test_a_day_that_is_ambiguous_or_unknown_is_refused(text):
    with pytest.raises(StoreError, match="not a day of the week"):
        settings.parse_weekday(text)


def test_the_block_is_a_frozen_value_that_reads_back_as_it_was_set(store):
    saved = settings.set_block(store, weekday=6, start=dt.time(21, 5, 30), minutes=75,
                               touch_minutes={"meal": 90})
    assert saved == settings.block_settings(store)
    assert saved.start == dt.time(21, 5)  # minutes are what a block is set in
    assert saved.touch_minutes == {**settings.DEFAULT_TOUCH_MINUTES, "meal": 90}
    with pytest.raises(dataclasses.FrozenInstanceError):
        saved.minutes = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        saved.touch_minutes["meal"] = 5  # type: ignore[index]


def test_a_block_saved_by_an_older_netbook_reads_with_defaults_for_the_rest(store):
    settings.set_setting(store, "block", {"start": "07:45", "touch_minutes": {"call": 25}})
    block = settings.block_settings(store)
    assert (block.weekday, block.start, block.minutes) == (4, dt.time(7, 45), 60)
    assert block.touch_minutes == {**settings.DEFAULT_TOUCH_MINUTES, "call": 25}
    settings.set_block(store, minutes=50)
    assert settings.get_setting(store, "block") == {
        "weekday": 4, "start": "07:45", "minutes": 50,
        "touch_minutes": {**settings.DEFAULT_TOUCH_MINUTES, "call": 25}, "alarm_minutes": 10}


def test_the_books_defaults_are_the_planners():
    """data/ can't import the planner, so each keeps its words: they must agree."""
    assert settings.DEFAULT_CIRCLE_DAYS == planner.CIRCLE_DAYS
    assert tuple(settings.DEFAULT_CIRCLE_DAYS) == CIRCLES
    assert settings.DEFAULT_TOUCH_MINUTES == planner.DEFAULT_TOUCH_MINUTES
    assert tuple(settings.DEFAULT_TOUCH_MINUTES) == INTERACTION_KINDS == planner.TOUCH_KINDS
    assert GIFT_KINDS == planner.GIVE_KINDS
    names = [f.name for f in dataclasses.fields(settings.BlockSettings)]
    assert names == [f.name for f in dataclasses.fields(planner.BlockSettings)]
    assert ([getattr(settings.DEFAULT_BLOCK, n) for n in names]
            == [getattr(planner.BlockSettings(), n) for n in names])


# -- any setting -------------------------------------------------------------------


def test_settings_survive_any_json_value(store):
    settings.set_setting(store, "odd", {"ü": [1, None, "\x00"]})
    assert settings.get_setting(store, "odd") == {"ü": [1, None, "\x00"]}
    assert settings.get_setting(store, "missing", 42) == 42
