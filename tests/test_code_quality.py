"""The code base stays ruff- and mypy-clean and keeps its import rules (the same checks a contributor
runs; the rules are the import-linter contracts in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (pip install -e '.[dev]')")
    return found


def test_ruff_clean() -> None:
    run = subprocess.run(
        [_tool("ruff"), "check", "src", "tests", "bench"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow
def test_mypy_strict_clean() -> None:
    run = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_import_rules_kept() -> None:
    """Layers import downward only and no sibling modules import each other in a circle."""
    run = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_no_module_over_600_lines() -> None:
    """One module per job: a module that grows past about 600 lines is split by what it does."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "src" / "storytrace").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 620
    }
    assert not long, f"modules over 600 lines: {long}"
