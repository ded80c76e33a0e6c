"""Types on public functions, checked: mypy over src/parallax, as configured in pyproject.toml
([tool.mypy]: every function of the package annotated, stub packages from the test extra), must
report no error. A new error fails ``make test`` with mypy's own lines."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-color-output", "--no-error-summary"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"mypy src/parallax:\n{done.stdout}{done.stderr}"
