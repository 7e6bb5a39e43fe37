"""The packages form floors: core at the bottom, etl and app on it (side by side), the CLI on top.

An import that runs back up (core importing etl, app importing etl or the CLI, ...) fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "etl", "app", "barometer")
# what each package may import of the others
ALLOWED = {
    "core": set(),
    "etl": {"core"},
    "app": {"core"},
    "barometer": {"core", "etl", "app"},
}


def imported_packages(path: Path) -> set[str]:
    """Top-level project packages that ``path`` imports (anywhere in the file, functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(PACKAGES)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_only_the_floors_below(package: str) -> None:
    wrong = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = imported_packages(path) - ALLOWED[package] - {package}
        if bad:
            wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}


def test_the_check_sees_a_backward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom etl.pipeline import run\n\ndef f():\n    from app import queries\n")
    assert imported_packages(module) == {"etl", "app"}


# The floors inside app/, lowest first: each may import the floors below it and itself, never one above.
# data (the database) and i18n at the bottom; site (registry, parameters, addresses, the request context) on them;
# the shared view models; exports; search (its index, answers and the header's box); the Dash building blocks; the
# pages; the web layer; decks; the composition root (factory, wsgi, serve) on top. Pages are reached through the
# registry, never imported from below.
APP_FLOORS: tuple[tuple[str, ...], ...] = (
    ("app.vendor", "app.data", "app.i18n"),
    ("app.site",),
    ("app.models",),
    ("app.exports",),
    ("app.search",),
    ("app.components",),
    ("app.pages",),
    ("app.web",),
    ("app.decks",),
    ("app.factory", "app.wsgi", "app.serve", "app"),
)


def app_floor(module: str) -> int:
    """The floor of an app module (its longest matching prefix)."""
    for index, floor in enumerate(APP_FLOORS):
        if any(module == p or module.startswith(p + ".") for p in floor if p != "app"):
            return index
    return len(APP_FLOORS) - 1  # app itself and the modules in its root


def imported_app_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("app.")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("app"):
            module = node.module or ""
            # 'from app import vendor' imports the module app.vendor
            found |= {f"{module}.{a.name}" for a in node.names} if module == "app" else {module}
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_of_app_imports_a_floor_above_it() -> None:
    upward = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        own = app_floor(module_name(path))
        above = sorted(m for m in imported_app_modules(path) if app_floor(m) > own)
        if above:
            upward[str(path.relative_to(ROOT))] = above
    assert upward == {}


def test_the_floor_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from app.site.urls import view_url\nfrom app import vendor\n\ndef f():\n"
                      "    from app.pages.compare import layout\n")
    assert imported_app_modules(module) == {"app.site.urls", "app.vendor", "app.pages.compare"}
    assert [app_floor(m) for m in sorted(imported_app_modules(module))] == [6, 1, 0]


def test_the_root_of_app_holds_only_the_composition_root() -> None:
    assert sorted(p.name for p in (ROOT / "app").glob("*.py")) == ["__init__.py", "factory.py", "serve.py", "wsgi.py"]


def test_only_the_request_context_reads_the_current_app() -> None:
    readers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py")
                     if "current_app" in p.read_text(encoding="utf-8"))
    assert readers == ["app/site/request.py"]
