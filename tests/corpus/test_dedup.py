from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storytrace.cli import main
from storytrace.config import Config
from storytrace.corpus.dedup import HashIndex, dedup, dedup_bands

from ..conftest import EXAMPLES

COPIES = {"meridian-original", "dailyvoice-copy", "portal24-furniture"}


def _rows(path: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())}


def test_hash_index_get_or_put_with_repeats_and_growth() -> None:
    index = HashIndex(np.uint64, capacity=16)
    keys = np.array([5, 7, 5, 0, 9], dtype=np.uint64)
    out = index.get_or_put(keys, np.array([10, 11, 12, 13, 14]))
    # new keys get -1; a repeat within the call gets the value of its first occurrence
    assert out.tolist() == [-1, -1, 10, -1, -1]
    many = np.arange(1, 5000, dtype=np.uint64) * np.uint64(7919)
    index.get_or_put(many, np.arange(many.size))
    assert index.keys.size >= len(index) / 0.7
    again = index.get_or_put(np.array([5, 7, 9, 0, many[1234]], dtype=np.uint64), np.zeros(5, dtype=np.int64))
    assert again.tolist() == [10, 11, 14, 13, 1234]


def test_dedup_bands_give_recall_at_the_threshold() -> None:
    bands, rows = dedup_bands(0.7, 128)
    assert bands * rows <= 128
    assert 1 - (1 - 0.7**rows) ** bands >= 0.98
    assert 1 - (1 - 0.3**rows) ** bands < 0.1


def test_dedup_finds_the_copies_in_the_example_corpus(tmp_path: Path) -> None:
    out = tmp_path / "clusters.jsonl"
    unique = tmp_path / "unique.jsonl"
    result = dedup([EXAMPLES], out, Config(), write_unique=unique)
    rows = _rows(out)
    assert set(rows) == {p.stem for p in EXAMPLES.iterdir()}
    assert result.articles == 7 and result.clusters == 5
    # the three copies form one cluster, named after its first article; the rewrites stay apart
    assert {r["cluster"] for i, r in rows.items() if i in COPIES} == {"dailyvoice-copy"}
    for other in ("clickfeed-rewrite", "globewire-retranslated", "northstar-report", "unrelated-bakery"):
        assert rows[other]["cluster"] == rows[other]["canonical"] == other
        assert rows[other]["match"] == "canonical"
    # no publication dates in these files: the longest copy is kept
    canonical = rows["meridian-original"]["canonical"]
    lengths = {p.stem: len(p.read_text(encoding="utf-8")) for p in EXAMPLES.glob("*.txt")}
    assert canonical == max(COPIES, key=lambda i: lengths[i])
    assert 0.7 <= rows["meridian-original"]["similarity"] < 1.0
    kept = _rows(unique)
    assert len(kept) == 5 and canonical in kept and "dailyvoice-copy" not in kept
    assert kept[canonical]["text"].strip()


def test_canonical_is_the_earliest_published_and_ids_are_stable(tmp_path: Path) -> None:
    base = (EXAMPLES / "meridian-original.txt").read_text(encoding="utf-8")
    lines = [
        {"id": "late", "text": base, "published": "2026-03-02T10:00:00Z"},
        {
            "id": "early",
            "text": base.upper() + "\nExtra closing line for a longer copy.",
            "published": "2026-03-01",
        },
        {"id": "undated", "text": base.replace("\n", "\n\n")},
        {"id": "other", "text": "A ferry strike ended on Sunday after the union and the port agreed on pay."},
        {"id": "late", "text": "a second article with an id already used"},
        {"id": "blank", "text": "   "},
    ]
    corpus = tmp_path / "feed.jsonl"
    corpus.write_text("\n".join(json.dumps(x) for x in lines) + '\n{"text": "no id"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = dedup([corpus], out, Config(), batch_size=2)
    rows = _rows(out)
    assert set(rows) == {"late", "early", "undated", "other"}
    assert {rows[i]["cluster"] for i in ("late", "early", "undated")} == {"late"}
    assert {rows[i]["canonical"] for i in ("late", "early", "undated")} == {"early"}
    # "undated" is an exact copy of "late" but a near copy of the canonical (one line shorter)
    assert rows["undated"]["match"] == "near" and 0.7 <= rows["undated"]["similarity"] < 1.0
    assert rows["late"]["match"] == "near" and rows["early"]["match"] == "canonical"
    reasons = sorted((s.line, s.reason) for s in result.skipped)
    assert reasons[0][0] == 5 and "duplicate article id 'late'" in reasons[0][1]
    assert reasons[1][0] == 6 and "has no 'text'" in reasons[1][1]
    assert reasons[2][0] == 7 and "missing 'id'" in reasons[2][1]


def test_dedup_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "clusters.jsonl"
    assert (
        main(["dedup", str(EXAMPLES), "--out", str(out), "--threshold", "0.95", "--shingle-size", "3"]) == 0
    )
    printed = capsys.readouterr().out
    assert "7 article(s) in" in printed and f"clusters written to {out}" in printed
    assert len(_rows(out)) == 7
    assert main(["dedup", str(EXAMPLES), "--out", str(out), "--threshold", "1.5"]) == 2
    assert "dedup_threshold=1.5 is invalid" in capsys.readouterr().err


@pytest.mark.slow
def test_semantic_links_a_rewrite_that_minhash_misses(tmp_path: Path) -> None:
    out = tmp_path / "clusters.jsonl"
    result = dedup([EXAMPLES], out, Config(), semantic=True)
    rows = _rows(out)
    assert result.semantic >= 1
    assert rows["globewire-retranslated"]["cluster"] == "dailyvoice-copy"
    assert rows["globewire-retranslated"]["match"] == "semantic"
    assert rows["globewire-retranslated"]["similarity"] >= Config().semantic_threshold
    assert rows["unrelated-bakery"]["cluster"] == "unrelated-bakery"
    assert rows["northstar-report"]["cluster"] == "northstar-report"


def test_texts_without_words_are_skipped_not_clustered(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "bangs", "text": "!!! ..."})
        + "\n"
        + json.dumps({"id": "dashes", "text": "-- ??"})
        + "\n"
        + json.dumps({"id": "words", "text": "The ferry strike ended."})
        + "\n",
        encoding="utf-8",
    )
    result = dedup([feed], tmp_path / "out.jsonl")
    assert result.articles == 1
    assert sorted((s.line, s.reason) for s in result.skipped) == [
        (1, "no words in the text"),
        (2, "no words in the text"),
    ]
