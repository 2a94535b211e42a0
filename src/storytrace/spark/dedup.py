"""dedup: ``storytrace dedup --engine spark``: read, fingerprint, cluster, write Parquet."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import NothingToAnalyzeError
from ..records import Skipped, skipped_lines
from .clusters import cluster_frame
from .fingerprint import fingerprint_corpus
from .session import Progress, get_spark

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession


# -- dedup ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SparkDedupSummary:
    """What a Spark dedup run did."""

    articles: int
    clusters: int
    exact: int
    near: int
    skipped: tuple[Skipped, ...]
    seconds: float
    out: str
    rounds: int

    @property
    def duplicates(self) -> int:
        return self.articles - self.clusters

    def summary(self) -> str:
        rate = self.articles / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"{self.articles} article(s) in {self.clusters} cluster(s): {self.exact} exact and "
            f"{self.near} near duplicate link(s); {len(self.skipped)} input(s) skipped; "
            f"{self.seconds:.1f} s ({rate:,.0f} articles/s, Spark; "
            + (f"{self.rounds} component round(s))" if self.rounds else "components on the driver)")
        ]
        lines += skipped_lines(self.skipped)
        lines.append(f"clusters written to {self.out} (Parquet: id, cluster, canonical, similarity, match)")
        return "\n".join(lines)


def spark_dedup(
    paths: Iterable[str | Path],
    out: str | Path,
    config: Config | None = None,
    *,
    master: str | None = None,
    spark: SparkSession | None = None,
    progress: Progress | None = None,
) -> SparkDedupSummary:
    """Cluster exact and near duplicates on Spark; write Parquet ``id, cluster, canonical,
    similarity, match`` to the directory ``out`` (replaced if it exists)."""
    config = config or Config()
    progress = progress or (lambda stage, done, total: None)
    spark = spark or get_spark(master)
    start = time.perf_counter()  # after start-up: the time the cluster works
    progress("read", 0, 0)
    fp = fingerprint_corpus(spark, [str(p) for p in paths], config, check_ids=False)
    progress("read", fp.count, fp.count)
    if fp.count == 0:
        fp.release()
        raise NothingToAnalyzeError(
            f"no articles in the input(s): {len(fp.skipped)} record(s) skipped", tuple(fp.skipped)
        )
    frame, stats = cluster_frame(spark, fp, config)
    frame.drop("order").write.mode("overwrite").parquet(str(out))
    fp.release()
    progress("dedup", fp.count, fp.count)
    return SparkDedupSummary(
        articles=fp.count,
        clusters=stats["clusters"],
        exact=stats["exact"],
        near=stats["near"],
        skipped=tuple(fp.skipped),
        seconds=time.perf_counter() - start,
        out=str(out),
        rounds=stats["rounds"],
    )
