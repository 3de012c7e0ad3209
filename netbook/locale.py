"""The user's region and first day of the week: asked of the system in one place.

Phone numbers typed without a country code ("0151 2345 6710") are read in this region,
the printed call list picks Letter or A4 paper by it, and the week starts on the
locale's first day (Sunday in the US, Monday in most of Europe). QtCore's QLocale reads
LANG/LC_ALL the same way on every platform and needs no display, so the command line
uses it as well as the window.

Importing QtCore costs a command 40–60 ms, so the region, the language and the first
weekday are read from the environment when it names them plainly (`de_DE.UTF-8`, `C`),
exactly as QLocale reads them — tests/test_locale.py holds the two side by side for
every locale glibc knows — and QLocale is asked otherwise.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

__all__ = ["FALLBACK_REGION", "first_weekday", "from_name", "language", "region",
           "weekday_from_name"]

# With no country in the locale (C, POSIX), numbers are read as North American ones:
# phonenumbers needs some region to understand a national number at all.
FALLBACK_REGION = "US"

# language_COUNTRY[.encoding][@modifier], as glibc names its locales
_PLAIN_NAME = re.compile(r"([a-z]{2})_([A-Z]{2})(?:\.[\w-]+)?(?:@\w+)?")
# the locales glibc can build: a pair outside it (de_US) QLocale reads its own way
# (as de_DE), so only these pairs are read here
GLIBC_LOCALES = Path("/usr/share/i18n/SUPPORTED")
# glibc locales whose language and country QLocale reads otherwise (its data lacks the
# pair and falls back: yi_US is read as yi_UA, tl_PH as English): left to QLocale
_QT_READS_OTHERWISE = frozenset({
    "ar_IN", "bi_VU", "eu_FR", "fy_DE", "gv_GB", "ia_FR", "ik_CA", "li_BE", "li_NL",
    "sm_WS", "tl_PH", "yi_US"})

# The first day of the week by country as QLocale has it (CLDR's weekData in Qt 6.11;
# 0=Monday … 6=Sunday), Monday in every country not named here
_FIRST_DAY_IN = {
    4: "MV",
    5: "AF BH DJ DZ EG IQ IR JO KW LY OM QA SD SY",
    6: "AG AS BD BR BS BT BW BZ CA CO DM DO ET GT GU HK HN ID IL IN IS JM JP KE KH KR LA "
       "MH MM MO MT MX MZ NI NP PA PE PH PK PR PT PY SA SG SV TH TT TW UM US VE VI WS YE "
       "ZA ZW",
}
_FIRST_DAY = {country: day for day, countries in _FIRST_DAY_IN.items()
              for country in countries.split()}


@functools.cache
def _glibc_pairs() -> frozenset[str]:
    try:
        text = GLIBC_LOCALES.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    return frozenset(line[:5] for line in text.splitlines() if _PLAIN_NAME.match(line))


def from_name(name: str) -> tuple[str, str] | None:
    """(region, language) of a locale name as QLocale reads it, when the name says it
    plainly; None when only QLocale can tell."""
    if name in ("", "C", "POSIX") or name.startswith("C."):
        return FALLBACK_REGION, "en"  # QLocale: the C locale, no country, no language
    plain = _PLAIN_NAME.fullmatch(name)
    if plain is None:
        return None
    pair = f"{plain[1]}_{plain[2]}"
    if pair in _QT_READS_OTHERWISE or pair not in _glibc_pairs():
        return None
    return plain[2], plain[1]


def weekday_from_name(name: str) -> int | None:
    """The first day of the week (0=Monday) of a locale name as QLocale reads it, when
    the name says it plainly; None when only QLocale can tell."""
    if name in ("", "C", "POSIX") or name.startswith("C."):
        return 0  # QLocale's C locale starts on Monday
    known = from_name(name)
    return None if known is None else _FIRST_DAY.get(known[0], 0)


def _from_environment() -> tuple[str, str] | None:
    """What QLocale.system() would say of the region and language, without QtCore: the
    first of LC_ALL, LC_MESSAGES, LANG that is set, when LANGUAGE (a list QLocale reads
    before them) is not."""
    if os.environ.get("LANGUAGE"):
        return None
    name = next((os.environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG")
                 if os.environ.get(v)), "")
    return from_name(name)


def region() -> str:
    """The system locale's 2-letter country ('DE'), else FALLBACK_REGION."""
    known = _from_environment()
    if known is not None:
        return known[0]
    from PySide6.QtCore import QLocale

    code = QLocale.territoryToCode(QLocale.system().territory())
    return code.upper() if len(code) == 2 and code.isalpha() else FALLBACK_REGION


def first_weekday() -> int:
    """0=Monday … 6=Sunday, from the system locale: as QLocale reads it, from the first
    of LC_ALL, LC_TIME, LANG that is set (LANGUAGE plays no part in it)."""
    name = next((os.environ[v] for v in ("LC_ALL", "LC_TIME", "LANG") if os.environ.get(v)),
                "")
    known = weekday_from_name(name)
    if known is not None:
        return known
    from PySide6.QtCore import QLocale

    return QLocale.system().firstDayOfWeek().value - 1


def language() -> str:
    """The system locale's 2-letter language ('de'), else 'en': the words of needs and
    work are matched in it (who can help, the week's introductions)."""
    known = _from_environment()
    if known is not None:
        return known[1]
    from PySide6.QtCore import QLocale

    code = QLocale.languageToCode(QLocale.system().language())
    return code.lower() if len(code) == 2 and code.isalpha() else "en"
