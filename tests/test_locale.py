"""The region, language and first weekday read from the environment without QtCore
(40–60 ms a command) are QLocale's own answer: for every locale glibc knows, and
whichever of LC_ALL, LC_MESSAGES, LC_TIME, LANG and LANGUAGE says it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from netbook import locale

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED = Path("/usr/share/i18n/SUPPORTED")
# beside glibc's list: common names, and old ISO codes QLocale renames
NAMES = ["C", "POSIX", "C.UTF-8", "C.utf8", "en_US.UTF-8", "en_GB.UTF-8", "de_DE.UTF-8",
         "de_DE@euro", "fr_CA.UTF-8", "pt_BR.UTF-8", "ja_JP.eucJP", "sr_RS@latin",
         "zh_TW.UTF-8", "iw_IL.UTF-8", "in_ID", "no_NO", "ji_US", "tl_PH", "sh_RS",
         "de_US.UTF-8", "en_DE.UTF-8", "xx_YY", "zz_DE"]


def qt_reads(name: str) -> tuple[str, str]:
    """(region, language) as netbook.locale turns QLocale's answer into them."""
    q = QLocale(name)
    code = QLocale.territoryToCode(q.territory())
    lang = QLocale.languageToCode(q.language())
    return (code.upper() if len(code) == 2 and code.isalpha() else locale.FALLBACK_REGION,
            lang.lower() if len(lang) == 2 and lang.isalpha() else "en")


def glibc_names() -> list[str]:
    if not SUPPORTED.is_file():
        return []
    return sorted({line.split()[0] for line in SUPPORTED.read_text().splitlines()
                   if line.strip() and not line.startswith("#")})


@pytest.mark.parametrize("names", [NAMES, glibc_names()], ids=["common", "glibc"])
def test_every_locale_name_read_without_qt_reads_as_qlocale_reads_it(names):
    read = {n: locale.from_name(n) for n in names}
    assert any(read.values()) or not names
    wrong = {n: (mine, qt_reads(n)) for n, mine in read.items()
             if mine is not None and mine != qt_reads(n)}
    assert not wrong


@pytest.mark.parametrize("names", [NAMES, glibc_names()], ids=["common", "glibc"])
def test_every_locale_names_first_weekday_is_qlocales(names):
    read = {n: locale.weekday_from_name(n) for n in names}
    assert any(v is not None for v in read.values()) or not names
    wrong = {n: (mine, QLocale(n).firstDayOfWeek().value - 1) for n, mine in read.items()
             if mine is not None and mine != QLocale(n).firstDayOfWeek().value - 1}
    assert not wrong


def test_weeks_start_where_people_expect():
    assert locale.weekday_from_name("en_US.UTF-8") == 6  # Sunday
    assert locale.weekday_from_name("de_DE.UTF-8") == 0  # Monday
    assert locale.weekday_from_name("ar_EG.UTF-8") == 5  # Saturday
    assert locale.weekday_from_name("C.UTF-8") == 0


CHILD = """
import json
from PySide6.QtCore import QLocale
from netbook import locale
mine = (locale.region(), locale.language(), locale.first_weekday())
system = QLocale.system()
code = QLocale.territoryToCode(system.territory())
lang = QLocale.languageToCode(system.language())
qt = (code.upper() if len(code) == 2 and code.isalpha() else "US",
      lang.lower() if len(lang) == 2 and lang.isalpha() else "en",
      system.firstDayOfWeek().value - 1)
print(json.dumps([mine, qt]))
"""


@pytest.mark.parametrize("env", [
    {"LANG": "de_DE.UTF-8"},
    {"LANG": "de_DE.UTF-8", "LC_ALL": "fr_CA.UTF-8"},
    {"LANG": "de_DE.UTF-8", "LC_MESSAGES": "pt_BR.UTF-8"},
    {"LANG": "de_DE.UTF-8", "LC_NUMERIC": "fr_CA.UTF-8", "LC_TELEPHONE": "fr_CA.UTF-8"},
    {"LANG": "de_DE.UTF-8", "LANGUAGE": "fr"},
    {"LANG": "C.UTF-8", "LANGUAGE": "fr_CA"},
    {"LANG": "C.UTF-8"},
    {"LC_ALL": "POSIX", "LANG": "de_DE.UTF-8"},
    {"LC_NUMERIC": "fr_CA.UTF-8"},
    {},
    {"LANG": "yi_US.UTF-8"},
    {"LANG": "en_IN", "LC_ALL": ""},
    {"LANG": "de_DE.UTF-8", "LC_TIME": "en_US.UTF-8"},
    {"LANG": "en_US.UTF-8", "LC_TIME": "C.UTF-8"},
    {"LANG": "en_US.UTF-8", "LC_MESSAGES": "de_DE.UTF-8"},
    {"LANG": "ar_EG.UTF-8", "LANGUAGE": "en_US"},
    {"LC_TIME": "xx_YY", "LANG": "en_US.UTF-8"},
    {"LC_ALL": "en_DE.UTF-8"},
], ids=lambda env: " ".join(f"{k}={v}" for k, v in env.items()) or "nothing set")
def test_the_environment_is_read_as_qlocale_reads_it(env):
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=60, check=True)
    mine, qt = json.loads(done.stdout)
    assert mine == qt


@pytest.mark.skipif(not SUPPORTED.is_file(), reason="glibc's list of locales is not here")
@pytest.mark.parametrize("lang", ["de_DE.UTF-8", "C.UTF-8", "en_US.UTF-8"])
@pytest.mark.parametrize("command", ["list", "stats", "week"])
def test_a_command_in_a_plain_locale_never_loads_qt(lang, command, tmp_path):
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    code = ("import sys\nfrom netbook.cli import main\n"
            f"main([{command!r}, '--db', {str(tmp_path / 'book.sqlite3')!r}])\n"
            "print('PySide6.QtCore' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, "LANG": lang},
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split()[-1] == "False"
