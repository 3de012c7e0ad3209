"""The layers point one way (ARCHITECTURE.md): data ← planner ← ui; data never sees Qt."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "netbook"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
    return found


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py")) if folder else [PACKAGE / "planner.py"]


@pytest.mark.parametrize("path", modules("data"), ids=lambda p: p.name)
def test_data_layer_never_imports_qt_or_the_layers_above(path: Path) -> None:
    bad = {m for m in imports_of(path)
           if m.startswith(("PySide6", "netbook.ui", "netbook.planner", "netbook.week",
                            "netbook.cli"))}
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_planner_is_pure() -> None:
    bad = {m for m in imports_of(PACKAGE / "planner.py")
           if m.startswith(("netbook", "PySide6", "peewee", "sqlite3"))}
    assert not bad


def test_week_service_has_no_qt() -> None:
    assert not {m for m in imports_of(PACKAGE / "week.py") if m.startswith("PySide6")}
    assert not {m for m in imports_of(PACKAGE / "calendar.py") if m.startswith("PySide6")}


@pytest.mark.parametrize("path", modules("ui"), ids=lambda p: p.name)
def test_widgets_do_not_query_the_database_themselves(path: Path) -> None:
    bad = {m for m in imports_of(path)
           if m.startswith(("peewee", "sqlite3", "playhouse", "netbook.data.models"))}
    assert not bad, f"{path.name} imports {sorted(bad)}"
