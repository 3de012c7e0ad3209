"""What `pip install netbook` gets: the icon, the menu entry and the AppStream metainfo
travel inside the package (netbook/resources), and the window finds its icon there.

The wheel is built from a copy of only what a source distribution holds (pyproject.toml,
README.md, netbook/), so nothing of the checkout — resources/ at the top, build/ left
over from an earlier build — can make the test pass by accident.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "netbook" / "resources"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
METAINFO = "io.github.netbook.metainfo.xml"
PACKAGED = ("netbook.svg", "netbook.desktop", METAINFO)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in a .desktop file
    parser.read(RESOURCES / "netbook.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    shutil.copytree(ROOT / "netbook", source / "netbook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(out),
         "--quiet", "--disable-pip-version-check"],
        capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    (found,) = out.glob("netbook-*.whl")
    return found


def test_the_wheel_carries_the_icon_the_menu_entry_and_the_metainfo(wheel: Path):
    with zipfile.ZipFile(wheel) as zf:
        for name in PACKAGED:
            assert zf.read(f"netbook/resources/{name}") == (RESOURCES / name).read_bytes()


def test_an_installed_wheel_gives_the_window_its_icon(wheel: Path, tmp_path: Path):
    """Unpacked outside the checkout (what pip install does with a pure wheel) and run
    from elsewhere, netbook loads from there and its window icon draws."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    script = (
        "import netbook\n"
        "from netbook.ui.app import make_application\n"
        "app = make_application(['netbook'])\n"
        "icon = app.windowIcon()\n"
        "image = icon.pixmap(48, 48).toImage()\n"
        "print(netbook.__file__)\n"
        "print(icon.isNull(), image.isNull(), image.pixelColor(30, 30).alpha())\n"
    )
    env = dict(os.environ, PYTHONPATH=str(site), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    where, state = done.stdout.splitlines()
    assert Path(where).is_relative_to(site)  # not the editable checkout
    assert state == "False False 255"  # an icon, drawn, opaque in the middle


def test_the_menu_entry_starts_netbook_with_its_icon():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] in PROJECT["scripts"]
    assert entry["Icon"] == "netbook" and (RESOURCES / "netbook.svg").is_file()
    # "Open with netbook" in a file manager: `netbook FILE...` opens the import preview
    assert entry["Exec"] == "netbook %F"
    assert entry["MimeType"].split(";") == ["text/vcard", "text/x-vcard", "text/directory", ""]


def test_the_metainfo_has_the_shape_appstream_asks_for():
    """The parts of the AppStream spec a desktop application must have (checked with
    `appstreamcli validate --pedantic` when written), tied to the rest of the project."""
    root = ET.parse(RESOURCES / METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    text = {child.tag: (child.text or "").strip() for child in root}
    assert text["id"] == METAINFO.removesuffix(".metainfo.xml")
    assert text["id"].count(".") >= 2 and text["id"].isascii() and " " not in text["id"]
    assert text["metadata_license"] in ("CC0-1.0", "FSFAP", "MIT")  # permissive, as asked
    assert text["project_license"] == PROJECT["license"]
    assert text["name"] == PROJECT["name"]
    assert text["summary"] == desktop_entry()["Comment"]
    assert not text["summary"].endswith(".") and len(text["summary"]) < 80
    assert root.find("description/p") is not None
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert (RESOURCES / launchable.text).is_file()
    icon = root.find("icon")
    assert icon is not None and icon.get("type") == "stock"
    assert icon.text == desktop_entry()["Icon"]
    assert [b.text for b in root.findall("provides/binary")] == list(PROJECT["scripts"])
    assert root.find("content_rating") is not None
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == PROJECT["version"]
