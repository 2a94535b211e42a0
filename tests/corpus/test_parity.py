"""One engine, one answer: the store, fed the same articles in any order, exports (``storytrace
export``) the same stories, origins, derivations, drift and dossier as ``storytrace analyze``, with
the real sentence-embedding model. The seeds and the example corpus go in one article at a time in
a shuffled order and in one batch; 200 ECB+ articles in two shuffled batches."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from storytrace import analyze
from storytrace.cli import main
from storytrace.corpus.store import SQLiteStore
from storytrace.corpus.update import update
from storytrace.render.report import to_json

from ..conftest import EXAMPLES, SEEDS, SHARED, needs_shared
from .helpers import assert_same_answers

pytestmark = pytest.mark.slow

ECBPLUS = SHARED / "data" / "ecbplus" / "articles.jsonl"


def _report(paths: list[Path]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(to_json(analyze(paths))))
    return data


def _export(db: Path, out: Path) -> dict[str, Any]:
    assert main(["export", "--db", str(db), "--out", str(out), "--quiet"]) == 0
    data: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data


def test_seeds_and_examples_in_any_order(tmp_path: Path) -> None:
    needs_shared(SEEDS)
    expected = _report([EXAMPLES, SEEDS])
    seeds = next(s for s in expected["stories"] if "000_48c82d9fa84bf12b" in s["articles"])
    assert len(seeds["articles"]) == 5 and seeds["origin"] == "000_48c82d9fa84bf12b"

    files = sorted(p for folder in (EXAMPLES, SEEDS) for p in folder.iterdir())
    random.Random(14).shuffle(files)
    one = tmp_path / "one-by-one.db"
    for path in files:
        assert main(["ingest", str(path), "--db", str(one), "--quiet"]) == 0
    exported = _export(one, tmp_path / "one")
    assert_same_answers(exported, expected)
    assert exported["store"]["pending"] == [] and all(s["state"] == "analysed" for s in exported["stories"])
    story = next(s for s in exported["stories"] if "000_48c82d9fa84bf12b" in s["articles"])
    # one story id from its first article to its fifth, every arrival recorded
    assert [e["event"] for e in story["history"]] == ["created"] + ["joined"] * 4
    assert sum(len(e["articles"]) for e in story["history"]) == 5

    batch = tmp_path / "batch.db"
    assert main(["ingest", str(EXAMPLES), str(SEEDS), "--db", str(batch), "--quiet"]) == 0
    assert_same_answers(_export(batch, tmp_path / "batch"), expected)
    assert (tmp_path / "batch" / "report.json").exists()
    assert main(["export", "--db", str(batch), "--out", str(tmp_path / "html"), "--html", "--quiet"]) == 0
    html = (tmp_path / "html" / "report.html").read_text(encoding="utf-8")
    assert story["id"] in html or "story-0000" in html


def test_200_ecbplus_articles_in_two_shuffled_batches(tmp_path: Path) -> None:
    needs_shared(ECBPLUS)
    rows = [json.loads(line) for line in ECBPLUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    picked = random.Random(14).sample(rows, 200)  # across many topics: grouping is the hard part
    source = tmp_path / "ecb.jsonl"
    source.write_text(
        "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in picked), encoding="utf-8"
    )
    expected = _report([source])
    order = picked[:]
    random.Random(7).shuffle(order)
    halves = [tmp_path / "first.jsonl", tmp_path / "second.jsonl"]
    for half, part in zip(halves, (order[:100], order[100:]), strict=True):
        half.write_text(
            "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in part), encoding="utf-8"
        )
    db = tmp_path / "ecb.db"
    assert main(["ingest", str(halves[0]), "--db", str(db), "--no-analyse", "--quiet"]) == 0
    with SQLiteStore(db) as store:  # grouped after the first half, so the second regroups a grouped store
        first = update(store, analyse=False)
        assert first.grouped == 100
    assert main(["ingest", str(halves[1]), "--db", str(db), "--quiet"]) == 0
    exported = _export(db, tmp_path / "out")
    assert len(exported["stories"]) == len(expected["stories"]) > 30
    assert_same_answers(exported, expected)
    dated = [a for a in exported["articles"] if a["published"]]
    assert dated and all(a["seen"] != a["published"] for a in dated)  # datelines, never the ingest time


def test_translations_in_any_order(tmp_path: Path) -> None:
    """The multilingual example (English versions and their German and Spanish translations) gives
    the store the same stories, translation edges and drift across languages as analyze."""
    translations = EXAMPLES.parent / "translations"
    expected = _report([EXAMPLES, translations])
    relations = {d["relation"] for s in expected["stories"] for d in s["derivations"]}
    assert "translation" in relations
    files = sorted(p for folder in (EXAMPLES, translations) for p in folder.iterdir())
    random.Random(17).shuffle(files)
    db = tmp_path / "multi.db"
    for path in files:
        assert main(["ingest", str(path), "--db", str(db), "--quiet"]) == 0
    assert_same_answers(_export(db, tmp_path / "out"), expected)
