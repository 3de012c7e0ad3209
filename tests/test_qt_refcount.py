"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void Qt call and
aborts the process after a few thousand ("Fatal Python error: none_dealloc").

Only CPython 3.11 can show it (3.12 made None immortal: its count never moves), so on any
other interpreter these tests say they were skipped instead of passing without looking."""

from __future__ import annotations

import platform
import sys

import pytest
from PySide6.QtCore import QObject

pytestmark = pytest.mark.skipif(
    platform.python_implementation() != "CPython" or sys.version_info[:2] != (3, 11),
    reason="the None reference-count bug of PySide6 6.12.0 exists only on CPython 3.11",
)


def test_void_qt_calls_keep_nones_reference_count(qapp) -> None:
    obj = QObject()
    before = sys.getrefcount(None)
    for i in range(20_000):
        obj.setObjectName("x" if i % 2 else "y")  # returns void
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references"


def test_installed_pyside_is_not_the_broken_build() -> None:
    import PySide6

    assert PySide6.__version__ != "6.12.0"
