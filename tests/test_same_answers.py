"""The fast paths give the answers of the code they replaced: `storytrace analyze` on the full
772-article ECB+ file (stories in a pool of worker processes, each distinct sentence embedded and
parsed once) finds the same stories, likely originals, derivation edges and drift kinds as the
starting commit of the performance work (1600d86), pinned as a text-free outline.

The seeds and the example corpus are pinned in full by tests/test_golden.py."""

from __future__ import annotations

import json

import pytest

from storytrace import analyze
from storytrace.render.report import to_json

from .golden import ECBPLUS, ECBPLUS_JSON, outline

pytestmark = pytest.mark.slow


def test_ecbplus_stories_and_derivations_are_unchanged() -> None:
    if not ECBPLUS.exists():
        pytest.skip(f"{ECBPLUS} is absent: ../shared is not checked out here")
    golden = json.loads(ECBPLUS_JSON.read_text(encoding="utf-8"))
    now = outline(json.loads(json.dumps(to_json(analyze([ECBPLUS])))))
    assert now["articles"] == golden["articles"]
    assert [s["articles"] for s in now["stories"]] == [s["articles"] for s in golden["stories"]]
    assert [(s["origin"], s["derivations"]) for s in now["stories"]] == [
        (s["origin"], s["derivations"]) for s in golden["stories"]
    ]
    assert now["stories"] == golden["stories"]
