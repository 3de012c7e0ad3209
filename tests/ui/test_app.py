"""Starting the window: the application gives every window netbook's own icon, and a
window that can't open says why."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from helpers import when_asked
from PySide6.QtCore import QCoreApplication, QSettings, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from netbook.ui import crash
from netbook.ui.app import make_application, run_app
from netbook.ui.main_window import MainWindow


@pytest.fixture
def started_app(qapp):
    """make_application() on the test's QApplication; its names and icon put back after."""
    before = (QCoreApplication.organizationName(), QCoreApplication.applicationName(),
              QGuiApplication.desktopFileName(), qapp.windowIcon())
    yield make_application()
    org, name, desktop, icon = before
    QCoreApplication.setOrganizationName(org)
    QCoreApplication.setApplicationName(name)
    QGuiApplication.setDesktopFileName(desktop)
    qapp.setWindowIcon(icon)


def test_the_window_has_netbooks_icon(started_app, qtbot, store, tmp_path: Path):
    settings = QSettings(str(tmp_path / "netbook.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    qtbot.addWidget(window)
    icon = window.windowIcon()
    assert not icon.isNull()
    image = icon.pixmap(48, 48).toImage()
    assert not image.isNull()
    assert image.pixelColor(30, 30).alpha() == 255  # it draws: the middle is not empty
    assert QGuiApplication.desktopFileName() == "netbook"  # matches netbook.desktop


def test_a_window_that_cannot_open_says_why_in_a_dialog_and_on_stderr(
        started_app, tmp_path: Path, monkeypatch, capsys):
    """A stale install lacks a module: netbook used to exit 1 with nothing on screen or on
    the terminal, the reason only in a log file nobody knew of."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)  # run_app installs its own
    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)
    monkeypatch.setitem(sys.modules, "netbook.ui.main_window", None)  # can't be imported
    said: list[str] = []

    def read_and_close(box: QMessageBox) -> None:
        said.append(box.text())
        box.accept()

    when_asked(QMessageBox, read_and_close)
    try:
        assert run_app(str(tmp_path / "book.sqlite3")) == 1
    finally:
        qInstallMessageHandler(None)
    assert said and "Something went wrong" in said[0] and "netbook.log" in said[0]
    assert "netbook: Something went wrong" in capsys.readouterr().err
    assert "netbook.ui.main_window" in crash.log_path().read_text()
