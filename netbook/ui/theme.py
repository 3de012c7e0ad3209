"""System, light or dark, applied at once (Settings ▸ Appearance).

Where the platform's own style draws a dark mode (Windows 11, macOS) Qt is asked for
the dark colour scheme; elsewhere — most Linux desktops without a dark Qt theme, and
the offscreen platform — Fusion with a dark palette does it, so every widget follows.
"System" puts back the style and palette the application started with.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

__all__ = ["THEMES", "apply_theme", "dark_palette", "is_dark"]

THEMES = {"system": "Same as the system", "light": "Light", "dark": "Dark"}
_NATIVE_DARK = {"windows", "cocoa"}  # platforms whose own style has a dark mode
_STARTED: dict[str, object] = {}


def dark_palette() -> QPalette:
    """A dark palette for Fusion, with readable links, placeholders and disabled text."""
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    roles = {
        QPalette.ColorRole.Window: window, QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base, QPalette.ColorRole.AlternateBase: QColor(40, 40, 43),
        QPalette.ColorRole.ToolTipBase: QColor(60, 60, 64),
        QPalette.ColorRole.ToolTipText: text, QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor(55, 55, 59), QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(255, 120, 120),
        QPalette.ColorRole.Link: QColor(110, 170, 255),
        QPalette.ColorRole.LinkVisited: QColor(180, 140, 255),
        QPalette.ColorRole.Highlight: QColor(42, 110, 200),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.PlaceholderText: QColor(150, 150, 155),
        QPalette.ColorRole.Light: QColor(75, 75, 80),
        QPalette.ColorRole.Midlight: QColor(62, 62, 66),
        QPalette.ColorRole.Mid: QColor(50, 50, 54), QPalette.ColorRole.Dark: QColor(25, 25, 27),
        QPalette.ColorRole.Shadow: QColor(10, 10, 10),
    }
    for role, color in roles.items():
        p.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(125, 125, 130))
    return p


def _remember(app: QApplication) -> None:
    if not _STARTED:
        style = app.style()
        _STARTED["style"] = style.name() if style is not None else "fusion"
        _STARTED["palette"] = QPalette(app.palette())


def apply_theme(theme: str, app: QApplication | None = None) -> None:
    """Switch the whole application to `theme` ("system", "light" or "dark") now."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        return
    _remember(app)
    hints = QGuiApplication.styleHints()
    native = QGuiApplication.platformName() in _NATIVE_DARK and hasattr(hints, "setColorScheme")
    if theme == "dark" and native:
        hints.setColorScheme(Qt.ColorScheme.Dark)
        return
    if native and hasattr(hints, "setColorScheme"):
        hints.setColorScheme(Qt.ColorScheme.Light if theme == "light"
                             else Qt.ColorScheme.Unknown)
    if theme == "dark":
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(dark_palette())
    elif theme == "light":
        fusion = QStyleFactory.create("Fusion")
        app.setStyle(fusion)
        app.setPalette(fusion.standardPalette())
    else:
        app.setStyle(str(_STARTED["style"]))
        app.setPalette(_STARTED["palette"])  # type: ignore[arg-type]


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the window colour is dark (what a hand-picked colour must contrast with)."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128
