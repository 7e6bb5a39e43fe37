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
