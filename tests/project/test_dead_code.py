"""No dead code: vulture finds no unused function, class, variable or import in the project.

Every folder of Python code is read, so that code used only by the migrations, the benchmarks or the tests
counts as used; tests/vulture_whitelist.py names the entry points only a framework calls.
"""

from __future__ import annotations

import subprocess
import sys

from core.config import PROJECT_ROOT

FOLDERS = ("core", "etl", "app", "barometer", "migrations", "benchmarks", "tests")
WHITELIST = "tests/vulture_whitelist.py"
MIN_CONFIDENCE = 60


def test_vulture_finds_no_dead_code() -> None:
    result = subprocess.run([sys.executable, "-m", "vulture", *FOLDERS, WHITELIST,
                             "--min-confidence", str(MIN_CONFIDENCE)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"dead code (remove it, or whitelist a framework entry point):\n{result.stdout}"


def test_vulture_reports_an_unused_function(tmp_path) -> None:
    module = tmp_path / "module.py"
    module.write_text("def used():\n    return 1\n\n\ndef unused():\n    return used()\n\n\nprint(used())\n")
    result = subprocess.run([sys.executable, "-m", "vulture", str(module), "--min-confidence", str(MIN_CONFIDENCE)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "unused function 'unused'" in result.stdout
