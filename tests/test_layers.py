"""The layers point one way (docs/ARCHITECTURE.md): data ← plan ← ui, and cli beside ui.

data never sees Qt or the layers above it; the planner is pure; the command line never
needs the window package; nobody takes another module's private (underscore) names.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "netbook"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1])


def imported_names(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) for every import; name is None for `import module`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _package_of(path)
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found += [(module, alias.name) for alias in node.names]
    return found


def is_our_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return dotted.startswith("netbook") and (path.with_suffix(".py").exists() or path.is_dir())


def imports_of(path: Path) -> set[str]:
    """Modules imported, counting `from pkg import mod` as importing pkg.mod too."""
    out: set[str] = set()
    for module, name in imported_names(path):
        out.add(module)
        if name and is_our_module(f"{module}.{name}"):
            out.add(f"{module}.{name}")
    return out


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


ALL = sorted(PACKAGE.rglob("*.py"))


def _starts(found: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {m for m in found if m == prefixes or m.startswith(prefixes)}


@pytest.mark.parametrize("path", modules("data"), ids=module_name)
def test_data_layer_never_imports_qt_or_the_layers_above(path: Path) -> None:
    bad = _starts(imports_of(path), ("PySide6", "netbook.ui", "netbook.plan", "netbook.cli",
                                     "netbook.locale"))
    assert not bad, f"{module_name(path)} imports {sorted(bad)}"


def test_planner_is_pure() -> None:
    found = imports_of(PACKAGE / "plan" / "planner.py")
    ours = {m for m in found if m.startswith("netbook")} - {"netbook.plan.wording",
                                                             "netbook.plan"}
    assert not ours, f"the planner imports {sorted(ours)}"
    assert not _starts(found, ("PySide6", "peewee", "sqlite3", "playhouse"))


def test_wording_is_standard_library_only() -> None:
    found = imports_of(PACKAGE / "plan" / "wording.py")
    assert not {m for m in found if m.startswith(("netbook", "PySide6", "peewee"))
                and m != "netbook.plan.planner"}  # planner types only under TYPE_CHECKING


@pytest.mark.parametrize("path", modules("plan"), ids=module_name)
def test_plan_package_never_needs_widgets(path: Path) -> None:
    bad = _starts(imports_of(path), ("PySide6.QtWidgets", "PySide6.QtPrintSupport",
                                     "netbook.ui", "netbook.cli"))
    assert not bad, f"{module_name(path)} imports {sorted(bad)}"


@pytest.mark.parametrize("name", ["service.py", "ics.py", "planner.py", "wording.py"])
def test_plan_service_and_calendar_have_no_qt(name: str) -> None:
    assert not _starts(imports_of(PACKAGE / "plan" / name), ("PySide6",))


@pytest.mark.parametrize("path", modules("ui"), ids=module_name)
def test_widgets_do_not_query_the_database_themselves(path: Path) -> None:
    bad = _starts(imports_of(path), ("peewee", "sqlite3", "playhouse", "netbook.data.models",
                                     "netbook.cli"))
    assert not bad, f"{module_name(path)} imports {sorted(bad)}"


def test_the_command_line_imports_the_window_only_to_open_it() -> None:
    uses = [(m, n) for m, n in imported_names(PACKAGE / "cli.py") if m.startswith("netbook.ui")]
    assert uses == [("netbook.ui.app", "run_app")]


@pytest.mark.parametrize("path", ALL, ids=module_name)
def test_no_module_takes_another_modules_private_names(path: Path) -> None:
    own = module_name(path)
    taken = [f"{module}.{name}" for module, name in imported_names(path)
             if module.startswith("netbook") and module != own and name
             and name.startswith("_") and not name.startswith("__")]
    # `networking._helper(...)` through a module imported by name
    modules_bound = {}
    for module, name in imported_names(path):
        dotted = f"{module}.{name}" if name else module
        if is_our_module(dotted):
            modules_bound[dotted.rsplit(".", 1)[-1]] = dotted
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules_bound and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            taken.append(f"{modules_bound[node.value.id]}.{node.attr}")
    assert not taken, f"{own} uses private names of other modules: {sorted(set(taken))}"


@pytest.mark.parametrize("path", ALL, ids=module_name)
def test_no_module_calls_the_stores_private_methods(path: Path) -> None:
    """`store._live(…)` from networking was a private name too: what others need of a
    Store is public (`require_id`)."""
    if path.name == "contacts.py" and path.parent.name == "data":
        return  # the Store's own module
    taken = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            continue
        owner = node.value
        if (isinstance(owner, ast.Name) and owner.id == "store") or (
                isinstance(owner, ast.Attribute) and owner.attr == "store"):
            taken.append(f"store.{node.attr} (line {node.lineno})")
    assert not taken, f"{module_name(path)} uses the Store's private names: {taken}"


def test_week_pdf_and_list_never_load_the_window_package(tmp_path: Path) -> None:
    """`netbook week --pdf` and `netbook list` run headless without netbook.ui."""
    script = (
        "import sys\n"
        "from netbook.cli import main\n"
        f"db = {str(tmp_path / 'n.sqlite3')!r}\n"
        "assert main(['demo', '--db', db]) == 0\n"
        "assert main(['list', '--db', db, '--format', 'json']) == 0\n"
        f"assert main(['week', '--db', db, '--pdf', {str(tmp_path / 'w.pdf')!r}]) == 0\n"
        "window = ('netbook.ui', 'PySide6.QtWidgets')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(window))\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "w.pdf").stat().st_size > 1000


# What an operation (netbook.data.operations, or a module's own: the import, the demo, a
# restore) does for a user action; the window and the command line call the operation.
STORE_WRITES = {"atomic", "execute_sql", "add_contact", "add_cards", "save_card",
                "delete_contacts", "restore_contacts", "set_networking", "log_interaction",
                "log_many", "update_interaction", "delete_interaction", "snooze",
                "skip_week", "unskip_week", "set_block", "set_setting", "set_circle_days",
                "restore_into_store", "upgrade_after_restore", "relate", "unrelate",
                "introduce"}


@pytest.mark.parametrize("path", [*modules("ui"), PACKAGE / "cli.py"], ids=module_name)
def test_widgets_and_the_command_line_change_the_store_only_through_operations(
        path: Path) -> None:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = node.func.value
        through = receiver.id if isinstance(receiver, ast.Name) else ""
        if node.func.attr in STORE_WRITES and through != "operations":
            found.append(f"{ast.unparse(node.func)}() on line {node.lineno}")
    assert not found, f"{module_name(path)} writes past the operations: {found}"
