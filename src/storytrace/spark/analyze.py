"""analyze: ``storytrace analyze --engine spark``: articles grouped by story (a story column, else
the near-duplicate clusters), the per-story stages of :class:`~storytrace.pipeline.Pipeline` run
in a grouped ``applyInPandas`` stage, report records written as JSON lines or Parquet."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import ConfigError, NothingToAnalyzeError
from ..records import RawArticle, Skipped, skipped_lines
from .clusters import cluster_frame
from .fingerprint import fingerprint_corpus
from .read import _columns, _map_frames, _norm_uri, _raw_frames
from .session import _ARTICLE, _TEXT_COLUMNS, Progress, get_spark

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    from pyspark.sql import SparkSession


# -- analyze ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryRecords:
    """The report records of one story: its ``story_json``, its articles' ``article_json``
    (each with a ``story`` field) and what was skipped (``skipped_json``)."""

    story: dict[str, Any] | None
    articles: list[dict[str, Any]]
    skipped: list[dict[str, Any]]


def story_records(key: str, raws: Sequence[RawArticle], pipeline: Any) -> StoryRecords:
    """Run the per-story stages on one story's articles (the unit of work of the Spark stage, and
    plain Python: the local engine and the tests call it the same way).

    Clean and segment, embed the sentences, align every pair, build the lineage and the dossier
    (drift, quotations, consolidated facts) exactly as :meth:`Pipeline.build_stories` does for
    one cluster; the story's id is ``story-<key>``.
    """
    import dataclasses

    from ..render.report import article_json, skipped_json, story_json
    from ..story.group import Grouping

    articles, skipped = pipeline.prepare(list(raws))
    if not articles:
        return StoryRecords(None, [], [skipped_json(s) for s in skipped])
    vectors = pipeline.embed_sentences(articles)
    grouping = Grouping(clusters=(tuple(range(len(articles))),), pairs=())
    story = pipeline.build_stories(articles, vectors, grouping)[0]
    story = dataclasses.replace(story, id=f"story-{key}")
    return StoryRecords(
        story_json(story),
        [{**article_json(a), "story": story.id} for a in articles],
        [skipped_json(s) for s in skipped],
    )


_PIPELINES: dict[str, Any] = {}


def _pipeline(config_json: str) -> Any:
    """One pipeline (and so one loaded model) per Python worker process and configuration."""
    from ..pipeline import Pipeline

    if config_json not in _PIPELINES:
        _PIPELINES[config_json] = Pipeline.from_config(Config.from_dict(json.loads(config_json)))
    return _PIPELINES[config_json]


def _analyze_group(pdf: Any, config_json: str) -> Any:
    """The grouped stage: one story's rows (a pandas frame) in, its report records out."""
    import pandas as pd

    from ..read.formats import parse_date

    pdf = pdf.sort_values("order")
    raws = [
        RawArticle(
            id=r.id,
            text=r.text,
            title=r.title,
            source=r.source,
            url=r.url,
            published=parse_date(r.published),
            path=r.path,
            line=None
            if r.line is None or (isinstance(r.line, float) and math.isnan(r.line))
            else int(r.line),
        )
        for r in pdf.itertuples(index=False)
    ]
    key = str(pdf["story"].iloc[0])
    records = story_records(key, raws, _pipeline(config_json))
    rows: list[tuple[str, str, str]] = []
    if records.story is not None:
        rows.append((key, "story", json.dumps(records.story, ensure_ascii=False)))
    rows += [(key, "article", json.dumps(a, ensure_ascii=False)) for a in records.articles]
    rows += [(key, "skipped", json.dumps(x, ensure_ascii=False)) for x in records.skipped]
    return pd.DataFrame(rows, columns=["story", "kind", "record"])


_PARSED_ARROW: Any = None


def _parse_batches(
    batches: Iterator[pa.RecordBatch], kind: str, story_column: str
) -> Iterator[pa.RecordBatch]:
    """Articles with their story key (from ``story_column`` when the record has it)."""
    import pyarrow as pa

    from ..read.formats import article_from_record

    global _PARSED_ARROW
    if _PARSED_ARROW is None:
        _PARSED_ARROW = _parsed_arrow()
    counters: dict[tuple[str, int], int] = {}
    names = ("file", "split", "row", "id", "text", "title", "source", "url", "published", "story")
    for batch in batches:
        cols = _columns(batch)
        out: dict[str, list[Any]] = {k: [] for k in names}
        for k in range(len(cols["file"])):
            key = (cols["file"][k], cols["split"][k])
            if kind == "jsonl":
                row = counters.get(key, 0)
                counters[key] = row + 1
                line = cols["value"][k]
                if not line or not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    continue  # reported by the fingerprint stage
                if not isinstance(obj, dict):
                    continue
            else:
                row = cols["row"][k]
                obj = {c: cols[c][k] for c in (*_TEXT_COLUMNS, story_column) if c in cols}
            item = article_from_record(obj, cols["file"][k], row)
            if not isinstance(item, RawArticle):
                continue
            story = obj.get(story_column)
            out["file"].append(cols["file"][k])
            out["split"].append(cols["split"][k])
            out["row"].append(row)
            out["id"].append(item.id)
            out["text"].append(item.text)
            out["title"].append(item.title)
            out["source"].append(item.source)
            out["url"].append(item.url)
            out["published"].append(item.published.isoformat() if item.published else None)
            out["story"].append(None if story is None or str(story) == "" else str(story))
        yield pa.RecordBatch.from_pydict(out, schema=_PARSED_ARROW)


_PARSED = (
    "file string, split long, row long, id string, text string, title string, source string, "
    "url string, published string, story string"
)


def _parsed_arrow() -> Any:
    import pyarrow as pa

    return pa.schema(
        [("file", pa.string()), ("split", pa.int64()), ("row", pa.int64())]
        + [(c, pa.string()) for c in ("id", "text", "title", "source", "url", "published", "story")]
    )


@dataclass(frozen=True)
class SparkAnalyzeSummary:
    """What a Spark analyze run did."""

    articles: int
    stories: int
    multi: int
    derivations: int
    grouped_by: str
    skipped: tuple[Skipped, ...]
    seconds: float
    out: str

    def summary(self) -> str:
        lines = [
            f"{self.articles} article(s) analysed in {self.stories} stor{'y' if self.stories == 1 else 'ies'} "
            f"({self.multi} with more than one version, {self.derivations} derivation edge(s)); "
            f"stories from {self.grouped_by}; {len(self.skipped)} input(s) skipped; {self.seconds:.1f} s (Spark)"
        ]
        lines += skipped_lines(self.skipped)
        lines.append(f"records written to {self.out} (kind=story, kind=article, kind=skipped)")
        return "\n".join(lines)


def spark_analyze(
    paths: Iterable[str | Path],
    out: str | Path,
    config: Config | None = None,
    *,
    master: str | None = None,
    spark: SparkSession | None = None,
    story_column: str = "story",
    fmt: str = "jsonl",
    progress: Progress | None = None,
) -> SparkAnalyzeSummary:
    """Run the per-story stages on Spark, one task per story, and write the report records.

    Stories are the values of ``story_column`` in the input records (a story per value); when no
    record has that column, they are the near-duplicate clusters of :func:`spark_dedup`. Output:
    ``out/kind=story``, ``out/kind=article``, ``out/kind=skipped``, as JSON lines (``fmt="jsonl"``,
    one record a line) or Parquet (``fmt="parquet"``, a ``record`` column holding the JSON).
    """
    from pyspark.sql import functions as F

    if fmt not in ("jsonl", "parquet"):
        raise ConfigError(f"output format {fmt!r} is invalid: expected 'jsonl' or 'parquet'")
    config = config or Config()
    progress = progress or (lambda stage, done, total: None)
    spark = spark or get_spark(master)
    start = time.perf_counter()  # after start-up: the time the cluster works
    fp = fingerprint_corpus(spark, [str(p) for p in paths], config)
    if fp.count == 0:
        fp.release()
        raise NothingToAnalyzeError(
            f"nothing to analyse: all {len(fp.skipped)} input(s) were skipped", tuple(fp.skipped)
        )
    progress("read", fp.count, fp.count)
    frames = []
    for kind, df, lines in _raw_frames(spark, fp.sources):
        if kind == "parquet" and story_column not in df.columns:
            reader = spark.read.option("mergeSchema", "true").parquet(
                *[s.uri for s in fp.sources if s.kind == "parquet"]
            )
            if story_column in reader.columns:
                df = df.join(
                    reader.select(
                        F.col("_metadata.file_path").alias("file"),
                        F.col("_metadata.row_index").alias("row"),
                        F.col(story_column).cast("string"),
                    ),
                    ["file", "row"],
                )
        frames.append((kind, df, lines))
    parsed = _map_frames(frames, lambda batches, kind: _parse_batches(batches, kind, story_column), _PARSED)
    # the articles that survived the fingerprint stage (first of duplicate ids, with words)
    kept = fp.articles.select("order", "id")
    offsets = fp.cached.where(F.col("kind") == _ARTICLE).select("file", "split", "row", "id")
    parsed = parsed.join(offsets, ["file", "split", "row", "id"], "left_semi").join(kept, "id")
    has_story = parsed.where(F.col("story").isNotNull()).limit(1).count() > 0
    if has_story:
        grouped_by = f"the {story_column!r} column"
        keyed = parsed.withColumn("story", F.coalesce(F.col("story"), F.concat(F.lit("article-"), "id")))
    else:
        grouped_by = "near-duplicate clusters"
        clusters, _ = cluster_frame(spark, fp, config)
        keyed = parsed.drop("story").join(clusters.select("order", F.col("cluster").alias("story")), "order")
    display = {_norm_uri(s.uri): s.display for s in fp.sources}
    path_of = F.create_map(*[x for k, v in display.items() for x in (F.lit(k), F.lit(v))])
    rows = keyed.select(
        "order", "story", "id", "text", "title", "source", "url", "published",
        F.coalesce(path_of[F.col("file")], F.col("file")).alias("path"), F.lit(None).cast("long").alias("line"),
    )  # fmt: skip
    config_json = json.dumps(config.to_dict(), sort_keys=True)
    records = (
        rows.groupBy("story")
        .applyInPandas(
            lambda pdf: _analyze_group(pdf, config_json), "story string, kind string, record string"
        )
        .persist()
    )
    writer = records.select("kind", "record").write.mode("overwrite").partitionBy("kind")
    if fmt == "jsonl":
        writer.text(str(out))
    else:
        writer.parquet(str(out))
    counts = {
        r["kind"]: int(r["n"]) for r in records.groupBy("kind").agg(F.count(F.lit(1)).alias("n")).collect()
    }
    stats = (
        records.where(F.col("kind") == "story")
        .select(
            F.get_json_object("record", "$.articles").alias("a"),
            F.get_json_object("record", "$.derivations").alias("d"),
        )
        .select(F.json_array_length("a").alias("na"), F.json_array_length("d").alias("nd"))
        .agg(F.sum(F.when(F.col("na") > 1, 1).otherwise(0)).alias("multi"), F.sum("nd").alias("edges"))
        .first()
    )
    records.unpersist()
    fp.release()
    late = (
        [
            Skipped(str(x.get("path")), x.get("line"), str(x.get("reason")))
            for x in (
                json.loads(r["record"])
                for r in spark.read.text(str(Path(str(out)) / "kind=skipped")).limit(10_000).collect()
            )
        ]
        if counts.get("skipped") and fmt == "jsonl"
        else []
    )
    progress("stories", counts.get("story", 0), counts.get("story", 0))
    return SparkAnalyzeSummary(
        articles=counts.get("article", 0),
        stories=counts.get("story", 0),
        multi=int((stats["multi"] if stats else 0) or 0),
        derivations=int((stats["edges"] if stats else 0) or 0),
        grouped_by=grouped_by,
        skipped=tuple(fp.skipped) + tuple(late),
        seconds=time.perf_counter() - start,
        out=str(out),
    )
