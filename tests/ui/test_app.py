"""Starting the window: the application gives every window netbook's own icon."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QGuiApplication

from netbook.ui.app import make_application
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
