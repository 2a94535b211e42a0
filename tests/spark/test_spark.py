"""The Spark engine: same clusters as the local engine, connected components, bad input, retries,
the CLI, and the per-story analyze stage. One SparkSession (local[2], one retry) for the module."""

from __future__ import annotations

import json
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storytrace.cli import main
from storytrace.config import Config
from storytrace.corpus.dedup import dedup
from storytrace.errors import MissingDependencyError, NothingToAnalyzeError

from ..conftest import EXAMPLES, SHARED, needs_shared

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'storytrace[spark]')")
if shutil.which("java") is None:  # pragma: no cover
    pytest.skip("Spark needs Java 17+, and no java is on PATH", allow_module_level=True)

from storytrace import spark as sp  # noqa: E402
from storytrace.spark import clusters, read, session  # noqa: E402

FIELDS = ("cluster", "canonical", "similarity", "match")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = sp.get_spark("local[2,2]")  # local[N,F]: two cores, a failed task is tried twice
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session
    session.stop()


def _words(rng: random.Random, vocab: list[str], n: int) -> str:
    sentences = []
    while n > 0:
        k = min(n, rng.randint(8, 20))
        sentences.append(" ".join(rng.choice(vocab) for _ in range(k)).capitalize() + ".")
        n -= k
    return " ".join(sentences)


def synthetic(count: int, seed: int = 3) -> list[dict[str, Any]]:
    """Articles from a small vocabulary with planted exact copies, light and heavier edits, and
    chains of edits (copies of copies), some published, some not."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(600)]
    rows: list[dict[str, Any]] = []
    for i in range(count):
        r = rng.random()
        if rows and r < 0.35:
            src = rng.choice(rows[-200:])["text"]
            words = src.split(" ")
            if r < 0.1:
                text = src.upper()
            else:
                for _ in range(rng.randint(1, 6)):
                    words[rng.randrange(len(words))] = rng.choice(vocab)
                text = " ".join(words)
        else:
            text = _words(rng, vocab, rng.randint(40, 160))
        row: dict[str, Any] = {"id": f"s{i:05d}", "text": text}
        if rng.random() < 0.4:
            row["published"] = f"2026-01-{1 + rng.randrange(28):02d}T{rng.randrange(24):02d}:00:00Z"
        rows.append(row)
    return rows


def _write_jsonl(path: Path, rows: list[dict[str, Any]], extra: list[str] = ()) -> Path:  # type: ignore[assignment]
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
        for line in extra:
            handle.write(line + "\n")
    return path


def _local(paths: list[Path], out: Path, config: Config) -> dict[str, dict[str, Any]]:
    dedup(paths, out, config)
    return {r["id"]: r for r in (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())}


def _same(local: dict[str, dict[str, Any]], spark_rows: dict[str, dict[str, Any]]) -> list[str]:
    assert set(local) == set(spark_rows)
    return [k for k in local if tuple(local[k][f] for f in FIELDS) != tuple(spark_rows[k][f] for f in FIELDS)]


def test_dedup_same_clusters_as_local_with_bad_records(spark: Any, tmp_path: Path) -> None:
    """JSON lines and Parquet inputs, a malformed line, a duplicate id, a text without words, blank
    lines, an empty file: the Spark engine's rows equal the local engine's, skipped records too."""
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    rows = synthetic(3000)
    data = tmp_path / "in"
    (data / "b").mkdir(parents=True)
    _write_jsonl(
        data / "a.jsonl",
        rows[:1500],
        extra=[
            "{not json",
            "",
            json.dumps({"id": "s00007", "text": "a second s00007"}),
            '{"id": "x", "text": "!!"}',
        ],
    )
    (data / "b" / "empty.jsonl").write_text("", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(rows[1500:2200]), data / "b" / "c.parquet")
    _write_jsonl(data / "d.jsonl", rows[2200:])
    config = Config(dedup_threshold=0.7)
    local = _local([data], tmp_path / "local.jsonl", config)
    out = tmp_path / "spark"
    result = sp.spark_dedup([data], out, config, spark=spark)
    got = sp.read_clusters(out)
    assert _same(local, got) == []
    assert result.articles == len(local) == 3000
    multi = {r["cluster"] for r in local.values() if r["match"] != "canonical"}
    assert len(multi) > 300  # the corpus really has duplicate clusters
    assert {r["match"] for r in got.values()} == {"canonical", "exact", "near"}
    assert result.clusters == len({r["cluster"] for r in local.values()})
    reasons = sorted(s.reason.split(":")[0] for s in result.skipped)
    assert reasons == ["duplicate article id 's00007'", "malformed JSON", "no words in the text"]
    malformed = next(s for s in result.skipped if s.reason.startswith("malformed"))
    assert malformed.path.endswith("a.jsonl") and malformed.line == 1501


def test_rerun_and_retried_task_do_not_duplicate_output(spark: Any, tmp_path: Path) -> None:
    """The first attempt of the output task fails and Spark retries it; the output directory held
    rows of an earlier run: exactly one row per article remains."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = synthetic(600, seed=5)
    path = _write_jsonl(tmp_path / "c.jsonl", rows)
    out = tmp_path / "out"
    out.mkdir()
    pq.write_table(pa.Table.from_pylist([{"id": "s00001", "cluster": "stale"}]), out / "part-old.parquet")
    spark.conf.set(session._FAIL_FIRST_ATTEMPT, "true")  # the first attempt of a task fails, Spark retries it
    try:
        result = sp.spark_dedup([path], out, Config(), spark=spark)
    finally:
        spark.conf.unset(session._FAIL_FIRST_ATTEMPT)
    table = pq.read_table(str(out)).to_pylist()
    ids = [r["id"] for r in table]
    assert len(ids) == len(set(ids)) == 600 == result.articles
    assert "stale" not in {r["cluster"] for r in table}
    local = _local([path], tmp_path / "local.jsonl", Config())
    assert _same(local, {r["id"]: r for r in table}) == []


def test_distributed_clustering_gives_the_driver_clustering(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above DRIVER_LINKS links the candidates are verified and clustered in DataFrame stages
    (large-star/small-star) instead of on the driver: the same rows, as the local engine's."""
    rows = synthetic(1500, seed=21)
    path = _write_jsonl(
        tmp_path / "c.jsonl", rows, extra=[json.dumps({"id": "s00003", "text": rows[9]["text"]})]
    )
    local = _local([path], tmp_path / "local.jsonl", Config())
    driver = sp.spark_dedup([path], tmp_path / "driver", Config(), spark=spark)
    monkeypatch.setattr(clusters, "DRIVER_LINKS", 0)
    spread = sp.spark_dedup([path], tmp_path / "spread", Config(), spark=spark)
    assert driver.rounds == 0 and spread.rounds >= 1
    assert _same(local, sp.read_clusters(tmp_path / "driver")) == []
    assert _same(local, sp.read_clusters(tmp_path / "spread")) == []
    assert (driver.clusters, driver.exact, driver.near) == (spread.clusters, spread.exact, spread.near)
    assert driver.exact > 50 and driver.near > 100
    assert [s.reason for s in spread.skipped] == ["duplicate article id 's00003'"]


def test_local_files_read_in_small_splits_and_through_spark(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Local JSON lines are read by the Python workers in byte splits; lines cut by a split
    boundary, CRLF endings, blank and malformed lines give the rows (and skipped line numbers)
    of the local engine, and of Spark's own text reader (used for remote URIs)."""
    rows = synthetic(800, seed=8)
    path = tmp_path / "crlf.jsonl"
    with path.open("w", encoding="utf-8", newline="") as handle:
        for i, row in enumerate(rows):
            handle.write(json.dumps(row) + ("\r\n" if i % 2 else "\n"))
            if i % 97 == 0:
                handle.write("\n")
            if i == 400:
                handle.write("{broken\n")
    local = _local([path], tmp_path / "local.jsonl", Config())
    monkeypatch.setattr(read, "LOCAL_SPLIT_BYTES", 8192)  # about 16 lines a split: 51 splits
    small = sp.spark_dedup([path], tmp_path / "small", Config(), spark=spark)
    monkeypatch.setattr(read, "READ_LOCAL_IN_PYTHON", False)
    jvm = sp.spark_dedup([path], tmp_path / "jvm", Config(), spark=spark)
    for result, out in ((small, "small"), (jvm, "jvm")):
        assert result.articles == 800
        assert _same(local, sp.read_clusters(tmp_path / out)) == []
        assert [(s.line, s.reason.split(":")[0]) for s in result.skipped] == [
            (407, "malformed JSON")
        ]  # row 400 + 5 blank lines + 1


def test_band_shuffle_parts_land_on_distinct_partitions(spark: Any) -> None:
    """The part labels of the band shuffle hash (Spark's Murmur3) to partitions 0..n-1, one each."""
    from pyspark.sql import functions as F

    for parts in (1, 2, 4, 7, 16):
        labels = session._part_labels(parts)
        df = spark.createDataFrame([(v,) for v in labels], "part int")
        got = [r["p"] for r in df.select(F.pmod(F.hash("part"), F.lit(parts)).alias("p")).collect()]
        assert got == list(range(parts))


def test_components_on_the_driver() -> None:
    import numpy as np

    # a path given backwards (needs several hooking rounds), a star, a cycle, a pair, a loner
    edges = [(i + 1, i) for i in range(10, 30)] + [(40, 41), (40, 42), (40, 43)]
    edges += [(50, 51), (51, 52), (52, 50), (60, 61)]
    a = np.array([e[0] for e in edges])
    b = np.array([e[1] for e in edges])
    root = clusters._components(a, b, 70)
    assert all(root[v] == 10 for v in range(10, 31))
    assert [root[v] for v in (40, 41, 42, 43, 50, 51, 52, 60, 61, 65)] == [
        40,
        40,
        40,
        40,
        50,
        50,
        50,
        60,
        60,
        65,
    ]


def test_connected_components_large_star_small_star(spark: Any) -> None:
    # a long path (needs several rounds), a star, a cycle, and a pair, in scrambled order
    edges = [(i, i + 1) for i in range(100, 140)]
    edges += [(7, k) for k in (3, 9, 12, 40)] + [(50, 51), (51, 52), (52, 50)] + [(999, 1000)]
    random.Random(1).shuffle(edges)
    df = spark.createDataFrame(edges, "a long, b long")
    comps, rounds = sp.connected_components(df)
    got = {r["vertex"]: r["component"] for r in comps.collect()}
    expected = {v: 100 for v in range(100, 141)}
    expected.update({v: 3 for v in (3, 7, 9, 12, 40)})
    expected.update({50: 50, 51: 50, 52: 50, 999: 999, 1000: 999})
    assert got == expected
    assert rounds >= 2


def test_bad_inputs_are_named(spark: Any, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    pq.write_table(pa.Table.from_pylist([{"id": "a", "body": "no text column"}]), tmp_path / "nocol.parquet")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    (tmp_path / "notes.txt").write_text("a text file", encoding="utf-8")
    with pytest.raises(NothingToAnalyzeError) as err:
        sp.spark_dedup([tmp_path, tmp_path / "missing.jsonl"], tmp_path / "out", Config(), spark=spark)
    found = {Path(s.path).name: s.reason for s in err.value.skipped}  # type: ignore[attr-defined]
    assert "no 'text' or 'html' column" in found["nocol.parquet"]
    assert "not a readable Parquet file" in found["broken.parquet"]
    assert "Spark engine" in found["notes.txt"]
    assert found["missing.jsonl"] == "no such file or directory"
    # an input whose every line is unusable: nothing to cluster, said with the records skipped
    _write_jsonl(tmp_path / "bad.jsonl", [], extra=["[1, 2]", '{"text": "no id"}'])
    with pytest.raises(NothingToAnalyzeError) as err:
        sp.spark_dedup([tmp_path / "bad.jsonl"], tmp_path / "out", Config(), spark=spark)
    assert [s.line for s in err.value.skipped] == [1, 2]  # type: ignore[attr-defined]


def test_cli_dedup_engine_spark(spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_jsonl(tmp_path / "c.jsonl", synthetic(300, seed=9))
    code = main(
        ["dedup", str(path), "--engine", "spark", "--out", str(tmp_path / "out"), "--threshold", "0.6"]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "300 article(s)" in printed and "Parquet" in printed
    local = _local([path], tmp_path / "local.jsonl", Config(dedup_threshold=0.6))
    assert _same(local, sp.read_clusters(tmp_path / "out")) == []
    assert main(["dedup", str(path), "--engine", "spark", "--semantic", "--out", str(tmp_path / "o")]) == 2


def test_missing_pyspark_names_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'storytrace\[spark\]'"):
        session._require_pyspark("The Spark engine")


@pytest.mark.slow
def test_dedup_same_clusters_as_local_on_20000_articles(spark: Any, tmp_path: Path) -> None:
    """The acceptance check: a 20,000-article generated corpus (ECB+ sentences, planted exact and
    near duplicates and hard negatives): identical rows from both engines."""
    needs_shared(SHARED / "data" / "ecbplus" / "articles.jsonl")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from corpus import Generator

    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i, art in enumerate(Generator(seed=20).generate(20_000)):
            row = {"id": art.id, "text": art.text}
            if i % 4 == 0:
                row["published"] = f"2026-02-{1 + i % 28:02d}T00:00:00Z"
            handle.write(json.dumps(row) + "\n")
    local = _local([path], tmp_path / "local.jsonl", Config())
    result = sp.spark_dedup([path], tmp_path / "spark", Config(), spark=spark)
    assert result.articles == 20_000
    assert _same(local, sp.read_clusters(tmp_path / "spark")) == []
    assert sum(r["match"] == "near" for r in local.values()) > 1000


def _example_jsonl(path: Path) -> Path:
    from storytrace.corpus.dedup import article_json
    from storytrace.read.inputs import read_inputs

    with path.open("w", encoding="utf-8") as handle:
        for a in read_inputs([EXAMPLES]).articles:
            row = article_json(a)
            row["story"] = "bakery" if "bakery" in a.id else "canal"
            handle.write(json.dumps(row) + "\n")
    return path


@pytest.mark.slow
def test_analyze_engine_spark_writes_the_per_story_records(spark: Any, tmp_path: Path) -> None:
    """The per-story stages run in a grouped Spark stage and give the records the same stages give
    in this process (story_records is what the local pipeline runs per story)."""
    from storytrace.pipeline import Pipeline
    from storytrace.read.inputs import read_inputs

    path = _example_jsonl(tmp_path / "news.jsonl")
    out = tmp_path / "out"
    code = main(["analyze", str(path), "--engine", "spark", "--out", str(out), "--quiet"])
    assert code == 0
    stories = {s["id"]: s for s in sp.read_records(out, "story")}
    articles = sp.read_records(out, "article")
    assert set(stories) == {"story-canal", "story-bakery"}
    assert len(articles) == 7 and {a["story"] for a in articles} == set(stories)
    canal = stories["story-canal"]
    assert canal["origin"] == "meridian-original"
    raws = [a for a in read_inputs([path]).articles if a.id != "unrelated-bakery"]
    expected = sp.story_records("canal", raws, Pipeline.from_config(Config())).story
    assert expected is not None
    edges = {(d["source"], d["target"], d["relation"]) for d in canal["derivations"]}
    assert edges == {(d["source"], d["target"], d["relation"]) for d in expected["derivations"]}
    assert ("meridian-original", "dailyvoice-copy", "copy") in edges
    assert canal["drift"] == expected["drift"] and canal["facts"] == expected["facts"]


@pytest.mark.slow
def test_analyze_engine_spark_without_story_column_uses_near_duplicate_clusters(
    spark: Any, tmp_path: Path
) -> None:
    from storytrace.corpus.dedup import article_json
    from storytrace.read.inputs import read_inputs

    keep = {"meridian-original", "dailyvoice-copy", "unrelated-bakery"}
    path = tmp_path / "three.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for a in read_inputs([EXAMPLES]).articles:
            if a.id in keep:
                handle.write(json.dumps(article_json(a)) + "\n")
    result = sp.spark_analyze([path], tmp_path / "out", Config(), spark=spark, fmt="parquet")
    assert result.grouped_by == "near-duplicate clusters"
    stories = {s["id"]: s for s in sp.read_records(tmp_path / "out", "story")}
    assert set(stories) == {"story-dailyvoice-copy", "story-unrelated-bakery"}
    copy = stories["story-dailyvoice-copy"]
    assert copy["origin"] == "meridian-original"
    assert [(d["source"], d["target"], d["relation"]) for d in copy["derivations"]] == [
        ("meridian-original", "dailyvoice-copy", "copy")
    ]
    assert result.articles == 3 and result.multi == 1 and result.derivations == 1


def test_parquet_timestamps_choose_the_same_canonical(spark: Any, tmp_path: Path) -> None:
    """A typed Parquet timestamp column: the earliest published copy is canonical in both engines,
    whatever Spark's session time zone."""
    from datetime import UTC, datetime, timedelta

    import pyarrow as pa
    import pyarrow.parquet as pq

    base = synthetic(40, seed=11)
    rows = []
    for i, r in enumerate(base):
        when = datetime(2026, 3, 1, tzinfo=UTC) - timedelta(hours=i)  # later rows published earlier
        rows.append({"id": r["id"], "text": r["text"], "published": when})
    rows.append({"id": "copy-late", "text": rows[0]["text"], "published": datetime(2027, 1, 1, tzinfo=UTC)})
    path = tmp_path / "t.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        sp.spark_dedup([path], tmp_path / "out", Config(), spark=spark)
    finally:
        spark.conf.unset("spark.sql.session.timeZone")
    local = _local([path], tmp_path / "local.jsonl", Config())
    got = sp.read_clusters(tmp_path / "out")
    assert _same(local, got) == []
    assert got["copy-late"]["canonical"] != "copy-late" and got["copy-late"]["match"] == "exact"
