"""results: read a Spark run's output back without Spark (pyarrow or plain JSON lines)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    pass


def read_records(path: str | Path, kind: str) -> list[dict[str, Any]]:
    """Records of one kind (``story``, ``article``, ``skipped``) from a Spark analyze output,
    without Spark (JSON lines or Parquet)."""
    folder = Path(path) / f"kind={kind}"
    if not folder.exists():
        return []
    out: list[dict[str, Any]] = []
    parquet = sorted(folder.glob("*.parquet"))
    if parquet:
        import pyarrow.parquet as pq

        for f in parquet:
            out += [json.loads(x) for x in pq.read_table(f).column("record").to_pylist()]
        return out
    for f in sorted(folder.glob("part-*")):
        out += [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def read_clusters(path: str | Path) -> dict[str, dict[str, Any]]:
    """A Spark dedup output (Parquet directory) as ``{id: row}`` (with pyarrow, no Spark)."""
    import pyarrow.parquet as pq

    table = pq.read_table(str(path))
    return {row["id"]: row for row in table.to_pylist()}
