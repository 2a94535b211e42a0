"""The evaluation harness: baseline pinning rules, the suites' parts on small input, and the CI
gate (the fast subset against bench/baseline.json)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from storytrace.errors import ConfigError
from storytrace.evaluation import (
    SuiteResult,
    check_baseline,
    direction,
    document,
    grouping,
    load_baseline,
    run_suites,
    update_baseline,
)
from storytrace.evaluation.core import Context, Row
from storytrace.evaluation.grouping import _average_link_dense, components
from storytrace.evaluation.paraphrase import word_jaccard
from storytrace.records import Article
from storytrace.story.meaning import fit_paraphrase_model, pair_features

from ..conftest import ROOT, SHARED, needs_shared
from ..story.test_revisions import HISTORY

BASELINE = ROOT / "bench" / "baseline.json"


def _result(name: str, **scores: float) -> SuiteResult:
    return SuiteResult(name, name, "", ("x",), (Row("storytrace", {"x": 1.0}),), pinned=scores)


def test_update_baseline_needs_a_reason_to_lower_a_pin(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    _, changes = update_baseline([_result("grouping", ARI=0.90)], path, None)
    assert changes == ["grouping ARI unpinned -> 0.9000"]
    update_baseline([_result("grouping", ARI=0.95)], path, None)  # raising needs no reason
    with pytest.raises(ConfigError, match=r"refusing to lower .*grouping ARI 0\.9500 -> 0\.9300"):
        update_baseline([_result("grouping", ARI=0.93)], path, None)
    assert load_baseline(path)["pins"]["grouping"]["ARI"] == 0.95  # unchanged by the refusal
    update_baseline([_result("grouping", ARI=0.93)], path, "new split of the data")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["pins"]["grouping"]["ARI"] == 0.93
    assert data["history"][-1]["reason"] == "new split of the data"
    assert data["history"][-1]["changes"] == ["grouping ARI 0.9500 -> 0.9300"]


def test_check_baseline_flags_drops_beyond_tolerance() -> None:
    baseline = {"tolerance": 0.01, "pins": {"grouping": {"ARI": 0.90, "B3 F1": 0.92}}}
    assert check_baseline([_result("grouping", ARI=0.895, **{"B3 F1": 0.95})], baseline) == []
    failures = check_baseline([_result("grouping", ARI=0.85, **{"B3 F1": 0.95})], baseline)
    assert failures == ["grouping ARI: 0.850 is below the pin 0.900 (tolerance 0.01)"]
    missing = SuiteResult("grouping", "g", "", (), (), unavailable="data absent")
    assert check_baseline([missing], baseline) == ["grouping: pinned but not run (data absent)"]


def test_document_has_date_commit_machine_and_tables() -> None:
    text = document([_result("grouping", ARI=0.9)], fast=True)
    assert "- date: " in text and "- commit: " in text and "- machine: " in text and " cores, " in text
    assert "| storytrace | 1.000 |" in text
    assert "ARI 0.900" in text


def test_unknown_suite_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown suite.*'nope'"):
        run_suites(["nope"], Context(tmp_path))


def test_suites_say_why_they_did_not_run(tmp_path: Path) -> None:
    results = run_suites(["grouping", "paraphrase", "reuse", "direction", "seeds"], Context(tmp_path))
    assert all(r.unavailable and "is absent" in r.unavailable for r in results)


def test_baseline_helpers() -> None:
    # connected components (the MinHash-LSH baseline) chain; average link does not
    assert sorted(map(sorted, components(4, {(0, 1), (1, 2)}))) == [[0, 1, 2], [3]]
    sims = np.array([[1, 0.9, 0.1], [0.9, 1, 0.6], [0.1, 0.6, 1]], dtype=np.float64)
    assert sorted(map(sorted, _average_link_dense(sims)(0.5))) == [[0, 1], [2]]
    assert word_jaccard("The cat sat.", "the cat ran") == pytest.approx(2 / 4)


def test_paraphrase_features_and_model_fit() -> None:
    same = pair_features("Shares of Acme rose 5% on Monday.", "Acme shares rose 5 percent on Monday.", 0.9)
    other = pair_features(
        "Shares of Acme rose 5% on Monday.", "Acme lost 12% after the results in 2023.", 0.5
    )
    assert same[0] == 0.9 and same[1] > other[1] and same[8] < other[8]  # cosine, char ratio, numbers
    x = np.array([same, other] * 10, dtype=np.float64)
    y = np.array([True, False] * 10)
    model = fit_paraphrase_model(x, y)
    assert list(model.predict(x)) == list(y)


@pytest.mark.slow
def test_ci_gate_fast_subset_holds_the_pinned_scores() -> None:
    """The CI gate: the fast subset of every suite, storytrace only, against bench/baseline.json.
    To lower a pin: storytrace eval --fast --update-baseline --reason '...' (see README)."""
    needs_shared(SHARED / "data")
    results = run_suites([], Context(SHARED / "data", fast=True, baselines=False))
    failures = check_baseline(results, load_baseline(BASELINE))
    assert not failures, "\n".join(failures)
    pinned = load_baseline(BASELINE)["pins"]
    assert {"grouping", "paraphrase", "reuse", "direction", "seeds"} <= set(pinned)
    # every protocol is filled in (a string missing its f prefix printed "{len(scored)}")
    unfilled = {r.name: re.findall(r"\{[^{}]*\}", r.protocol) for r in results}
    assert not any(unfilled.values()), unfilled


@pytest.mark.slow
def test_direction_suite_scores_whole_page_histories(tmp_path: Path) -> None:
    # one page of five revisions (oldest first); the fourth cut a section
    page = tmp_path / "versions" / "Kessling"
    page.mkdir(parents=True)
    for k, text in enumerate(HISTORY):
        (page / f"{k}.txt").write_text(text, encoding="utf-8")
    ids = [direction.history_id("Kessling", k) for k in range(len(HISTORY))]
    assert len(set(ids)) == len(ids) and all(x.startswith("Kessling#") and len(x) == 17 for x in ids)
    assert sorted(ids) != ids  # presented sorted by id, which is not the order of the revisions
    result = direction.run(Context(tmp_path, baselines=False))
    rows = {r.method: r.scores for r in result.rows}
    history = rows["storytrace lineage, whole page history"]
    assert history == {"accuracy": 1.0, "answered": 1.0}
    pair = rows["storytrace lineage, same page URL"]
    assert pair["accuracy"] is not None and pair["accuracy"] < 1.0  # pair by pair, the cut is misread
    assert result.pinned == {"accuracy": pair["accuracy"], "history accuracy": 1.0}
    assert "whole-page-history row feeds all revisions of a page at once" in result.protocol


def test_longer_is_later_baseline_counts_a_tie_as_a_coin_toss(tmp_path: Path) -> None:
    page = tmp_path / "Page"
    page.mkdir()
    # same length, then growth, then a cut: half right, right, wrong
    for k, text in enumerate(["a" * 10, "b" * 10, "c" * 20, "d" * 15]):
        (page / f"{k}.txt").write_text(text, encoding="utf-8")
    all_pages = direction.pages(tmp_path)
    assert direction.longer_later([0], all_pages) == pytest.approx(0.5)


class _TopicEmbedder:
    """Embeds a text by the topic word it mentions, so that rewrites of one event are neighbours."""

    name = "topic words"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        def vector(text: str) -> list[float]:
            detail = 0.4 if "bridge" in text else 0.1  # cosine 0.96 between the two flood texts
            v = [1.0 if "flood" in text else 0.0, 1.0 if "election" in text else 0.0, detail]
            norm = sum(x * x for x in v) ** 0.5
            return [x / norm for x in v]

        return np.array([vector(t) for t in texts], dtype=np.float32)


def test_dedup_semantic_baseline_links_copies_and_same_story_rewrites(tmp_path: Path) -> None:
    flood = "River flood forces the evacuation of four villages near the dam on Tuesday morning."
    texts = [
        flood,
        flood,  # an exact copy
        "Rescuers said the flood reached the old bridge after the dam gave way overnight.",
        "The election count was delayed in two districts after a power cut, officials said.",
    ]
    articles = [Article(f"a{k}", t, ()) for k, t in enumerate(texts)]
    half = grouping.Half(articles, ["flood", "flood", "flood", "vote"], np.zeros((4, 3), dtype=np.float32))
    ctx = Context(tmp_path, _embedder=_TopicEmbedder())
    cluster_at = grouping._dedup_semantic(half, ctx)
    # a high threshold keeps only the copy with its original; a lower one adds the rewrite
    assert sorted(map(sorted, cluster_at(0.999))) == [[0, 1], [2], [3]]
    assert sorted(map(sorted, cluster_at(0.9))) == [[0, 1, 2], [3]]
