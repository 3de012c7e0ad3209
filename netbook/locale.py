"""The user's region and first day of the week: asked of the system in one place.

Phone numbers typed without a country code ("0151 2345 6710") are read in this region,
the printed call list picks Letter or A4 paper by it, and the week starts on the
locale's first day (Sunday in the US, Monday in most of Europe). QtCore's QLocale reads
LANG/LC_ALL the same way on every platform and needs no display, so the command line
uses it as well as the window.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

__all__ = ["FALLBACK_REGION", "first_weekday", "language", "region"]

# With no country in the locale (C, POSIX), numbers are read as North American ones:
# phonenumbers needs some region to understand a national number at all.
FALLBACK_REGION = "US"


def region() -> str:
    """The system locale's 2-letter country ('DE'), else FALLBACK_REGION."""
    code = QLocale.territoryToCode(QLocale.system().territory())
    return code.upper() if len(code) == 2 and code.isalpha() else FALLBACK_REGION


def first_weekday() -> int:
    """0=Monday … 6=Sunday, from the system locale."""
    return QLocale.system().firstDayOfWeek().value - 1


def language() -> str:
    """The system locale's 2-letter language ('de'), else 'en': the words of needs and
    work are matched in it (who can help, the week's introductions)."""
    code = QLocale.languageToCode(QLocale.system().language())
    return code.lower() if len(code) == 2 and code.isalpha() else "en"
