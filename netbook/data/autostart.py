"""Start netbook hidden at login: an XDG autostart entry the user turns on and off.

The freedesktop Autostart spec: a .desktop file in `$XDG_CONFIG_HOME/autostart` (else
~/.config/autostart) is started by GNOME, KDE, Xfce, LXQt… at login. netbook writes one
that runs `netbook --hidden` (the tray icon only, so the block can remind you without a
window in the way), marked as its own so turning it off never removes a file the user
wrote. Plain files, no Qt: data/ touches the disk.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = ["FILE_NAME", "MARK", "AutostartError", "desktop_quote", "disable", "enable",
           "entry_path", "exec_command", "is_enabled"]

FILE_NAME = "netbook.desktop"
MARK = "X-Netbook-Autostart=true"


class AutostartError(Exception):
    """The entry could not be written or removed; the message says why, in words."""


def entry_path() -> Path:
    """Where the desktop looks for the entry."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / FILE_NAME


_RESERVED = set(' \t\n"\'\\><~|&;$*?#()`')


def desktop_quote(arg: str) -> str:
    """One Exec argument as the Desktop Entry spec quotes it: in double quotes, with
    ", `, $ and \\ escaped, whenever it holds a reserved character (a space, say)."""
    if not any(ch in _RESERVED for ch in arg):
        return arg
    escaped = "".join(f"\\{ch}" if ch in '"`$\\' else ch for ch in arg)
    return f'"{escaped}"'


def exec_command() -> str:
    """How to start this netbook, hidden: its installed script, else this Python."""
    beside = Path(sys.executable).with_name("netbook")  # a venv's own script first
    script = str(beside) if beside.is_file() else shutil.which("netbook")
    args = [script] if script else [sys.executable, "-m", "netbook"]
    return " ".join(desktop_quote(a) for a in [*args, "--hidden"])


def _text(command: str) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=netbook",
        "Comment=Reminds you of your weekly networking block",
        f"Exec={command}",
        "Icon=netbook",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        MARK,
        "",
    ])


def _ours(path: Path) -> bool:
    try:
        return MARK in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def is_enabled() -> bool:
    """Whether netbook's own entry is in place (and not switched off with Hidden=true)."""
    path = entry_path()
    if not _ours(path):
        return False
    text = path.read_text(encoding="utf-8", errors="replace")
    return "Hidden=true" not in text and "X-GNOME-Autostart-enabled=false" not in text


def enable(command: str | None = None) -> Path:
    """Write the entry (atomically); returns where it went."""
    path = entry_path()
    if path.exists() and not _ours(path):
        raise AutostartError(f"{path} exists and is not netbook's own: remove it, or start "
                             "netbook at login from your desktop's settings")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{FILE_NAME}.tmp")
        tmp.write_text(_text(command or exec_command()), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise AutostartError(f"could not write {path}: {exc.strerror or exc}") from None
    return path


def disable() -> None:
    """Remove netbook's entry; someone else's file of the same name stays."""
    path = entry_path()
    if not _ours(path):
        return
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AutostartError(f"could not remove {path}: {exc.strerror or exc}") from None
