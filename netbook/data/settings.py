"""The book's own settings: the weekly block and the days each circle stands for.

They live in the database (the `setting` table, one JSON value a key) rather than in
QSettings because they belong to the address book, not to the window: `netbook block` in
a terminal and a second window on the same file see the same block. The window's own
state (geometry, sync interval) is in `netbook/ui/settings.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from .contacts import Store, StoreError, saved_region
from .models import CIRCLES, INTERACTION_KINDS, Contact, Setting

__all__ = [
    "DEFAULT_ALARM_MINUTES",
    "DEFAULT_BLOCK",
    "DEFAULT_CIRCLE_DAYS",
    "DEFAULT_TOUCH_MINUTES",
    "MAX_ALARM_MINUTES",
    "MAX_BLOCK_MINUTES",
    "WEEKDAY_NAMES",
    "BlockSettings",
    "block_settings",
    "circle_days",
    "first_weekday",
    "get_setting",
    "parse_hhmm",
    "parse_weekday",
    "phone_region",
    "set_block",
    "set_circle_days",
    "set_first_weekday",
    "set_setting",
]

DEFAULT_CIRCLE_DAYS: Mapping[str, int] = MappingProxyType(
    {"inner": 14, "close": 30, "network": 90, "acquaintance": 365})
# the planner's own defaults too (plan/planner.py); kept here as data/ never imports plan
DEFAULT_TOUCH_MINUTES: Mapping[str, int] = MappingProxyType(
    {"call": 15, "email": 5, "message": 5, "coffee": 45, "meal": 60, "meeting": 30, "event": 90})
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_BLOCK_MINUTES = 24 * 60
DEFAULT_ALARM_MINUTES = 10  # the calendar's reminder before the block (0: none)
MAX_ALARM_MINUTES = 7 * 24 * 60


# -- any setting ---------------------------------------------------------------


def get_setting(store: Store, key: str, default: Any = None) -> Any:
    """The JSON value saved under `key`, or `default` when there is none."""
    row = Setting.get_or_none(Setting.key == key)
    return json.loads(row.value) if row else default


def set_setting(store: Store, key: str, value: Any) -> None:
    with store.db.atomic():
        Setting.replace(key=key, value=json.dumps(value)).execute()


# -- circles ---------------------------------------------------------------------


def circle_days(store: Store) -> dict[str, int]:
    """Each circle's rhythm in days: the saved ones over the defaults."""
    saved = get_setting(store, "circle_days", {})
    return {c: int(saved.get(c, d)) for c, d in DEFAULT_CIRCLE_DAYS.items()}


def set_circle_days(store: Store, days: Mapping[str, int]) -> None:
    """Change some circles' rhythms; everyone in those circles follows at once."""
    for circle, n in days.items():
        if circle not in DEFAULT_CIRCLE_DAYS:
            raise StoreError(f"unknown circle “{circle}” (one of {', '.join(CIRCLES)})")
        if int(n) <= 0:
            raise StoreError(f"a circle's rhythm must be at least 1 day (got {n})")
    merged = circle_days(store) | {c: int(n) for c, n in days.items()}
    with store.db.atomic():
        set_setting(store, "circle_days", merged)
        for circle, n in merged.items():
            Contact.update(rhythm_days=n).where(Contact.circle == circle).execute()


# -- the weekly block --------------------------------------------------------------


@dataclass(frozen=True)
class BlockSettings:
    """The weekly networking block as saved: the planner's `BlockSettings`, field for field."""

    weekday: int = 4  # 0=Monday … 6=Sunday (Friday by default)
    start: dt.time = dt.time(8, 0)
    minutes: int = 60
    # a mapping is not hashable: left out of the hash, kept in equality
    touch_minutes: Mapping[str, int] = field(default_factory=lambda: DEFAULT_TOUCH_MINUTES,
                                             hash=False)
    # the calendar event's alarm (VALARM), minutes before the start; 0 for none
    alarm_minutes: int = DEFAULT_ALARM_MINUTES

    def to_json(self) -> dict[str, Any]:
        """The saved form (the `block` setting); `start` as "HH:MM"."""
        return {"weekday": self.weekday, "start": self.start.strftime("%H:%M"),
                "minutes": self.minutes, "touch_minutes": dict(self.touch_minutes),
                "alarm_minutes": self.alarm_minutes}


DEFAULT_BLOCK = BlockSettings()


def block_settings(store: Store) -> BlockSettings:
    """The block as saved, each part missing from the saved one taken from the defaults."""
    saved = get_setting(store, "block", {})
    touch = {**DEFAULT_TOUCH_MINUTES,
             **{k: int(v) for k, v in saved.get("touch_minutes", {}).items()}}
    return BlockSettings(
        weekday=int(saved.get("weekday", DEFAULT_BLOCK.weekday)),
        start=parse_hhmm(saved["start"]) if "start" in saved else DEFAULT_BLOCK.start,
        minutes=int(saved.get("minutes", DEFAULT_BLOCK.minutes)),
        touch_minutes=MappingProxyType(touch),
        alarm_minutes=int(saved.get("alarm_minutes", DEFAULT_BLOCK.alarm_minutes)),
    )


def parse_weekday(text: str) -> int:
    """"friday", "fri", "fr" → 4: a full name or any unambiguous start of one."""
    word = text.strip().lower()
    matches = [i for i, name in enumerate(WEEKDAY_NAMES)
               if len(word) >= 2 and name.startswith(word)]
    if len(matches) != 1:
        raise StoreError(f"“{text}” is not a day of the week (monday … sunday, or mon … sun)")
    return matches[0]


def parse_hhmm(text: str) -> dt.time:
    """"7:30" or "07:30" → 07:30; anything else is refused in words."""
    try:
        return dt.datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise StoreError(f"“{text}” is not a time of day (HH:MM, e.g. 08:00)") from None


def set_block(store: Store, *, weekday: int | None = None, start: str | dt.time | None = None,
              minutes: int | None = None,
              touch_minutes: Mapping[str, int] | None = None,
              alarm_minutes: int | None = None) -> BlockSettings:
    """Change some of the block (checked as a whole: all of it is saved or none)."""
    block = block_settings(store)
    if weekday is not None:
        if not 0 <= int(weekday) <= 6:
            raise StoreError("the block's day must be Monday … Sunday")
        block = replace(block, weekday=int(weekday))
    if start is not None:
        block = replace(block, start=start.replace(second=0, microsecond=0)
                        if isinstance(start, dt.time) else parse_hhmm(start))
    if minutes is not None:
        if int(minutes) <= 0:
            raise StoreError("the block needs at least 1 minute (it was given "
                             f"{minutes}); to pause it, snooze people instead")
        if int(minutes) > MAX_BLOCK_MINUTES:
            raise StoreError("the block can't be longer than a day")
        block = replace(block, minutes=int(minutes))
    if touch_minutes:
        for kind, n in touch_minutes.items():
            if kind not in INTERACTION_KINDS:
                raise StoreError(f"unknown kind of touch “{kind}”")
            if int(n) <= 0:
                raise StoreError(f"a {kind} must take at least 1 minute")
        touch = {**block.touch_minutes, **{k: int(v) for k, v in touch_minutes.items()}}
        block = replace(block, touch_minutes=MappingProxyType(touch))
    if alarm_minutes is not None:
        if not 0 <= int(alarm_minutes) <= MAX_ALARM_MINUTES:
            raise StoreError(f"the calendar reminder must be 0 (none) to {MAX_ALARM_MINUTES} "
                             f"minutes before the block (got {alarm_minutes})")
        block = replace(block, alarm_minutes=int(alarm_minutes))
    set_setting(store, "block", block.to_json())
    return block


# -- the week and the phone region ---------------------------------------------------


def first_weekday(store: Store, fallback: int) -> int:
    """The first day of the week chosen in Settings (0=Monday … 6=Sunday), else
    `fallback` (the system locale's)."""
    saved = get_setting(store, "first_weekday")
    return int(saved) % 7 if isinstance(saved, int) else fallback


def set_first_weekday(store: Store, weekday: int | None) -> None:
    """None: follow the system locale again."""
    if weekday is not None and not 0 <= int(weekday) <= 6:
        raise StoreError("the week starts on Monday … Sunday")
    with store.db.atomic():
        if weekday is None:
            Setting.delete().where(Setting.key == "first_weekday").execute()
        else:
            set_setting(store, "first_weekday", int(weekday))


def phone_region(store: Store) -> str | None:
    """The region numbers without a country code are read in, when chosen in Settings."""
    return saved_region("") or None
