"""report.json stays what it was: the example corpus field by field, the seeds by digest and outline.

A change meant to alter report.json regenerates the fixtures with ``python -m tests.golden`` and
the diff of tests/fixtures/golden/ is reviewed like code."""

from __future__ import annotations

import json
from typing import Any

import pytest

from storytrace.records import Report
from storytrace.render.report import to_json

from .golden import EXAMPLE_JSON, SEEDS_JSON, normalised, outline

pytestmark = pytest.mark.slow


def _plain(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(to_json(report)))
    return data


def test_example_report_is_unchanged(example_report: Report) -> None:
    golden = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    now = normalised(_plain(example_report))
    assert now["stories"] == golden["stories"]
    assert now == golden


def test_seeds_report_is_unchanged(seeds_report: Report) -> None:
    golden = json.loads(SEEDS_JSON.read_text(encoding="utf-8"))
    now = outline(_plain(seeds_report))
    assert now["stories"] == golden["stories"]
    assert now["articles"] == golden["articles"]
    assert now["sha256"] == golden["sha256"], "seeds report.json changed beyond ids, stories, edges and drift kinds"
