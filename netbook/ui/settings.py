"""The window's own settings: each QSettings key declared once, with its type and default.

QSettings gives back whatever its file holds: on Linux an ini file a user may have edited,
where a number comes back as the text "15" and anything may be junk. An `Option` (Picard's
style) names its key, its type and its default in one place, and `get` always returns a
value of that type — the default when what is stored doesn't read as one. Settings of the
address book itself (the weekly block, the circles) live in the database instead
(`netbook/data/settings.py`), so a terminal and a second window see them too.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

__all__ = [
    "LAST_CONTACT",
    "LIST_HEADER",
    "NO_TRAY_TOLD",
    "REMIND_IN_TRAY",
    "SYNC_INTERVAL",
    "THEME",
    "WINDOW_GEOMETRY",
    "WINDOW_SPLITTER",
    "WINDOW_STATE",
    "BoolOption",
    "BytesOption",
    "IntOption",
    "Option",
    "StrOption",
]

T = TypeVar("T")


class Option(Generic[T]):
    """One QSettings key of one type; `read` turns a stored value into it or raises."""

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, {self.default!r})"

    def read(self, raw: object) -> T:
        """`raw` as this option's type; TypeError or ValueError when it isn't one."""
        raise NotImplementedError

    def get(self, settings: QSettings) -> T:
        raw = settings.value(self.key)
        if raw is None:
            return self.default
        try:
            return self.read(raw)
        except (TypeError, ValueError):
            return self.default

    def set(self, settings: QSettings, value: T) -> None:
        settings.setValue(self.key, self.read(value))


class BytesOption(Option[QByteArray]):
    """Qt's saved states (geometry, splitter, header): empty when there is none."""

    def __init__(self, key: str) -> None:
        super().__init__(key, QByteArray())

    def read(self, raw: object) -> QByteArray:
        if isinstance(raw, QByteArray):
            return raw
        if isinstance(raw, bytes | bytearray):
            return QByteArray(bytes(raw))
        raise TypeError(f"not bytes: {type(raw).__name__}")


class IntOption(Option[int]):
    """A whole number, brought inside [minimum, maximum] when it strays outside."""

    def __init__(self, key: str, default: int, *, minimum: int | None = None,
                 maximum: int | None = None) -> None:
        super().__init__(key, default)
        self.minimum = minimum
        self.maximum = maximum

    def read(self, raw: object) -> int:
        if isinstance(raw, bool):  # an int to Python, never a number to a user
            raise TypeError("a yes/no, not a number")
        if isinstance(raw, int):
            n = raw
        elif isinstance(raw, str):
            n = int(raw.strip())
        else:
            raise TypeError(f"not a number: {type(raw).__name__}")
        if self.minimum is not None:
            n = max(self.minimum, n)
        if self.maximum is not None:
            n = min(self.maximum, n)
        return n


class BoolOption(Option[bool]):
    """Yes or no; an ini file says "true"/"false" (or 1/0)."""

    def read(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int):
            return raw != 0
        if isinstance(raw, str) and raw.strip().lower() in ("true", "1", "yes", "on"):
            return True
        if isinstance(raw, str) and raw.strip().lower() in ("false", "0", "no", "off"):
            return False
        raise ValueError(f"not a yes/no: {raw!r}")


class StrOption(Option[str]):
    """One of a few words; anything else stored reads as the default."""

    def __init__(self, key: str, default: str, choices: tuple[str, ...]) -> None:
        super().__init__(key, default)
        self.choices = choices

    def read(self, raw: object) -> str:
        if not isinstance(raw, str) or raw.strip() not in self.choices:
            raise ValueError(f"not one of {', '.join(self.choices)}")
        return raw.strip()


# -- every key the window keeps -------------------------------------------------------

WINDOW_GEOMETRY = BytesOption("window/geometry")
WINDOW_STATE = BytesOption("window/state")
WINDOW_SPLITTER = BytesOption("window/splitter")
LIST_HEADER = BytesOption("list/header")  # column widths, order and sort
LAST_CONTACT = IntOption("list/last_contact", 0, minimum=0)  # 0: none (ids start at 1)
SYNC_INTERVAL = IntOption("sync/interval_minutes", 15, minimum=0)  # minutes; 0 means off
REMIND_IN_TRAY = BoolOption("reminders/tray", True)  # tray icon, badge and notification
NO_TRAY_TOLD = BoolOption("reminders/no_tray_told", False)  # "no tray here" said once
PANEL_FOLDED = BoolOption("window/panel_folded", False)  # the panel below, folded to a line
THEME = StrOption("appearance/theme", "system", ("system", "light", "dark"))
