"""Stories analysed in a pool of worker processes come out exactly as in one process."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from storytrace.config import Config
from storytrace.pipeline import Pipeline
from storytrace.records import Article, Report, Story
from storytrace.render.report import to_json
from storytrace.story import batch
from storytrace.story.dossier import Vectors

from ..conftest import EXAMPLES

pytestmark = pytest.mark.slow


def _plain(report: Report) -> str:
    data = to_json(report)
    data.pop("storytrace")
    return json.dumps(data, sort_keys=True)


def test_pool_gives_the_serial_report(
    example_report: Report, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pids = tmp_path / "pids"
    real = batch.analyze_story

    def recording(story_id: str, members: Sequence[Article], vectors: Vectors, config: Config) -> Story:
        with pids.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return real(story_id, members, vectors, config)

    monkeypatch.setattr(batch, "MIN_PARALLEL_SENTENCES", 0)
    monkeypatch.setattr(batch, "analyze_story", recording)
    seen: list[tuple[int, int]] = []
    pipe = Pipeline.from_config(Config(workers=2), lambda stage, done, total: seen.append((done, total)))
    pooled = pipe.analyze_paths([EXAMPLES])
    assert _plain(pooled) == _plain(example_report)
    workers = set(pids.read_text(encoding="utf-8").split())
    assert workers and str(os.getpid()) not in workers, "the stories ran in forked workers"
    assert seen[-1] == (len(pooled.stories), len(pooled.stories))


def test_worker_count_follows_the_config() -> None:
    assert batch.worker_count(Config(workers=3)) == 3
    assert batch.worker_count(Config()) >= 1


def test_chunks_put_the_largest_story_first_and_cover_every_story() -> None:
    from storytrace.records import Sentence

    def art(i: int, n: int) -> Article:
        sents = tuple(Sentence(f"a{i}", k, 0, 1, "x", 0) for k in range(n))
        return Article(id=f"a{i}", text="x", sentences=sents)

    jobs = [(f"story-{k}", [art(k, 1 + k % 3)] * (1 + (k * 7) % 5)) for k in range(40)]
    chunks = list(batch._chunks(jobs, 2))
    flat = [k for c in chunks for k in c]
    assert sorted(flat) == list(range(40))
    cost = [sum(len(a.sentences) for a in m) * len(m) for _, m in jobs]
    assert cost[flat[0]] == max(cost)


def test_cross_vectors_in_workers_match_one_call(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The multilingual document vectors of a pile with a German and a French article, encoded in
    batches by forked workers, are those of one call in this process, in the articles' order."""
    from storytrace.read.inputs import read_inputs
    from storytrace.story.dossier import document_vectors, multilingual_vectors

    config = Config(workers=2)
    ingested = read_inputs([EXAMPLES, EXAMPLES.parent / "translations"], config)
    articles, _ = Pipeline.from_config(config).prepare(ingested.articles)
    assert {a.language for a in articles} >= {"en", "de"}
    one_call = document_vectors(articles, multilingual_vectors(articles, config))

    pids = tmp_path / "pids"
    real = batch._cross_batch

    def recording(arts: Sequence[Article], rows: range, cfg: Config) -> object:
        with pids.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return real(arts, rows, cfg)

    monkeypatch.setattr(batch, "CROSS_BATCH_SENTENCES", 15)  # several batches from a small pile
    monkeypatch.setattr(batch, "_cross_batch", recording)
    done: list[int] = []
    pooled = batch.cross_document_vectors(articles, config, done.append)
    assert pooled.shape == one_call.shape
    assert float(abs(pooled - one_call).max()) < 1e-5
    assert done[-1] == len(articles) and done == sorted(done) and len(done) > 2
    workers = set(pids.read_text(encoding="utf-8").split())
    assert workers and str(os.getpid()) not in workers, "the batches ran in forked workers"

    serial = batch.cross_document_vectors(articles, Config(workers=1))
    assert float(abs(serial - one_call).max()) < 1e-5
    assert batch.cross_document_vectors([], config).shape == (0, one_call.shape[1])
