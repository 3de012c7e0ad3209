"""Say which Debian packages Qt needs, instead of failing deep inside an import.

Run by `make run` (window: also the X11/xcb libraries) and `make test` (--offscreen).
"""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys

# library soname stem → Debian package that ships it
CORE_LIBS = {
    "EGL": "libegl1",
    "GL": "libgl1",
    "OpenGL": "libopengl0",
    "xkbcommon": "libxkbcommon0",
    "fontconfig": "libfontconfig1",
    "freetype": "libfreetype6",
    "glib-2.0": "libglib2.0-0",
    "dbus-1": "libdbus-1-3",
}
XCB_LIBS = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
}


def missing_packages(libs: dict[str, str]) -> list[str]:
    return sorted({pkg for lib, pkg in libs.items() if ctypes.util.find_library(lib) is None})


def main() -> int:
    offscreen = "--offscreen" in sys.argv
    wanted = dict(CORE_LIBS)
    if not offscreen and sys.platform.startswith("linux"):
        wanted |= XCB_LIBS
    missing = missing_packages(wanted) if sys.platform.startswith("linux") else []
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    probe = subprocess.run(
        [sys.executable, "-c", "from PySide6 import QtWidgets, QtPrintSupport, QtSvg"],
        env=env, capture_output=True, text=True,
    )
    if probe.returncode == 0 and not missing:
        return 0
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["(no message)"])[-1]
        print(f"Qt could not be loaded: {last}", file=sys.stderr)
    if missing:
        print("Qt needs system libraries that are missing. Install them with:", file=sys.stderr)
        print(f"  sudo apt-get install {' '.join(missing)}", file=sys.stderr)
    # offscreen only needs what the import needs; a missing xcb library is fatal for a window
    return 1 if probe.returncode != 0 or not offscreen else 0


if __name__ == "__main__":
    sys.exit(main())
