"""The README's layout table and docs/architecture.md describe the tree as it is: every
sub-package and module of src/storytrace is named there, and nothing named there is missing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "storytrace"
STAGES = ("read", "text", "story", "corpus", "render", "cli")


def _layout_rows() -> dict[str, set[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How it works") : readme.index("## Development")]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`") and cells[0].endswith("/`"):
            rows[cells[0].strip("`/")] = set(re.findall(r"`([a-z_]+)`", cells[1]))
    return rows


def test_readme_layout_table_matches_the_tree() -> None:
    rows = _layout_rows()
    for stage in STAGES:
        modules = {p.stem for p in (PKG / stage).glob("*.py") if p.stem != "__init__"}
        assert stage in rows, f"README layout table has no row for {stage}/"
        named = rows[stage] - {"templates"}
        assert modules == named, f"{stage}/: tree has {sorted(modules)}, README names {sorted(named)}"


def test_architecture_doc_names_every_package() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(p.name for p in PKG.iterdir() if (p / "__init__.py").exists())
    for name in packages:
        assert f"`{name}/`" in doc, f"docs/architecture.md does not place the package {name}/ in a layer"
    for module in ("pipeline.py", "config.py", "records.py", "errors.py", "version.py"):
        assert module in doc
