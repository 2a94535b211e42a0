"""JSON-lines dedup on all cores writes what the serial reader writes: the same clusters, the same
unique corpus and the same skipped lines, whatever the block boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storytrace.corpus import dedup_parallel
from storytrace.corpus.dedup import dedup
from storytrace.read.inputs import iter_inputs


def _corpus(path: Path) -> None:
    base = [
        "The mayor of Springfield opened the new bridge on Monday after three years of work.",
        "Flooding closed the coastal road for a second day as crews cleared debris from the route.",
        "The city council voted to raise parking fees downtown, citing the cost of repairs.",
        "Researchers found a new species of frog in the cloud forest of the northern province.",
    ]
    lines = []
    for k in range(120):
        text = base[k % 4] + f" Officials gave update number {k // 4} to reporters."
        if k % 7 == 0:
            text = text.upper()
        lines.append(
            json.dumps({"id": f"a{k}", "text": text, "published": f"2026-03-0{1 + k % 9}T08:00:00Z"})
        )
    lines[10] = "{not json"
    lines[20] = json.dumps({"id": "a3", "text": "a duplicate id with other words entirely"})
    lines[30] = json.dumps({"id": "blank", "text": "... !!! ..."})
    lines[40] = ""
    lines[50] = json.dumps({"id": "no-text"})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("block", [300, 1 << 20])
def test_parallel_path_matches_the_serial_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    src = tmp_path / "in.jsonl"
    _corpus(src)
    monkeypatch.setattr(dedup_parallel, "BLOCK_BYTES", block)
    monkeypatch.setattr(dedup_parallel, "worker_count", lambda: 2)
    fast = dedup([src], tmp_path / "fast.jsonl", write_unique=tmp_path / "fast-unique.jsonl")
    serial = dedup(
        [src],
        tmp_path / "serial.jsonl",
        write_unique=tmp_path / "serial-unique.jsonl",
        items=iter_inputs([src]),
    )
    assert (tmp_path / "fast.jsonl").read_bytes() == (tmp_path / "serial.jsonl").read_bytes()
    assert (tmp_path / "fast-unique.jsonl").read_bytes() == (tmp_path / "serial-unique.jsonl").read_bytes()
    assert sorted(fast.skipped, key=str) == sorted(serial.skipped, key=str)
    assert {s.line for s in fast.skipped} == {11, 21, 31, 51}
    assert (fast.articles, fast.clusters, fast.exact, fast.near) == (
        serial.articles,
        serial.clusters,
        serial.exact,
        serial.near,
    )
    assert fast.clusters < fast.articles


def test_blocks_hold_whole_lines_with_their_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b"".join(b'{"id": "x%d", "text": "word %d"}\n' % (k, k) for k in range(50))
        + b'{"id": "end", "text": "last"}'
    )
    monkeypatch.setattr(dedup_parallel, "BLOCK_BYTES", 64)
    blocks = list(dedup_parallel._raw_blocks([src]))
    assert b"".join(b for b, _, _ in blocks) == src.read_bytes()
    for data, _, first in blocks:
        assert data.endswith(b"\n") or data.endswith(b"}")
        assert data.split(b"\n")[0].startswith(b'{"id": "x%d"' % (first - 1)) or first == 51
