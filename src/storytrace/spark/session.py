"""session: the Spark session storytrace starts (or the one spark-submit gave), the constants the
stages share, and small helpers for broadcast joins and error messages."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import MissingDependencyError

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession


INSTALL = "pip install 'storytrace[spark]'"
#: file kinds the Spark engine reads
JSONL_KINDS = (".jsonl", ".ndjson")
PARQUET_KINDS = (".parquet",)
_TEXT_COLUMNS = ("id", "text", "html", "title", "source", "url", "published")
#: row kinds of the fingerprint stage (_KEYS: packed keys of the band shuffle, see _packed_keys)
_ARTICLE, _SKIPPED, _SPLIT, _KEYS = 0, 1, 2, 3
#: the fingerprint stage's output: one row per article, skipped record or input split
_FP_SCHEMA = (
    "kind int, file string, split long, row long, id string, exact long, sig binary, "
    "pos binary, published double, length long, reason string"
)
#: set only by tests: fail the first attempt of this stage's first task (checks Spark's retry)
_FAIL_FIRST_ATTEMPT = "spark.storytrace.test.failFirstAttempt"

Progress = Callable[[str, int, int], None]
#: JVM options of the local sessions :func:`get_spark` starts
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def _require_pyspark(purpose: str) -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise MissingDependencyError("pyspark", purpose, INSTALL) from None
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as err:
        raise MissingDependencyError(err.name or "pyarrow", purpose, INSTALL) from None


def get_spark(master: str | None = None, app_name: str = "storytrace") -> SparkSession:
    """The active SparkSession, else a new one.

    ``master`` is a Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``, ...); without
    it, a session started by ``spark-submit`` is used as configured, else ``local[*]``. Local
    sessions run their Python workers with this interpreter, have the web UI off and few shuffle
    partitions.
    """
    _require_pyspark("The Spark engine")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    if master is None and not _under_spark_submit():
        master = "local[*]"
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        cores = os.cpu_count() or 2
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(max(2, 2 * cores)))
            .config("spark.sql.adaptive.enabled", "true")
            # splits of 32 MB: a few per core, so no core waits for a lone last split
            .config("spark.sql.files.maxPartitionBytes", "32m")
            .config("spark.driver.memory", os.environ.get("STORYTRACE_SPARK_DRIVER_MEMORY", "4g"))
            # the JVM only moves batches between Python workers, the cache, shuffles and Parquet:
            # its quick (C1) compiler is enough and halves start-up CPU (no C2 compilations); the
            # serial collector spends less CPU than G1's concurrent threads on two cores
            .config("spark.driver.extraJavaOptions", LOCAL_JAVA_OPTIONS)
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _under_spark_submit() -> bool:
    """Started by spark-submit (or pyspark), which passes the master and the rest of the conf."""
    return any(k in os.environ for k in ("PYSPARK_GATEWAY_PORT", "SPARK_ENV_LOADED")) or (
        "--master" in os.environ.get("PYSPARK_SUBMIT_ARGS", "")
    )


def _first_line(err: BaseException) -> str:
    text = str(err).strip().split("\n")[0]
    return text[:300]


def _spark_message(err: BaseException) -> str:
    text = str(err)
    for line in text.split("\n"):
        line = line.strip()
        if line and ("Exception" in line or "Error" in line) and len(line) < 400:
            return line
    return _first_line(err)


#: frames of at most this many (narrow) rows are broadcast to every executor instead of shuffled
BROADCAST_ROWS = 2_000_000


def _small(df: DataFrame, rows: int) -> DataFrame:
    from pyspark.sql import functions as F

    return F.broadcast(df) if rows <= BROADCAST_ROWS else df


#: link kinds of the key shuffle: an exact copy, an LSH candidate pair, a repeated id (hash)
_EXACT_LINK, _BAND_LINK, _ID_LINK = 0, 1, 2
#: entries (key, order) per packed row of the key shuffle (8 MB per array at most)
_PACK = 1 << 20


def _spark_hash_int(value: int, seed: int = 42) -> int:
    """Spark's ``hash()`` (Murmur3 x86 32-bit, seed 42) of an ``int`` column's value: which
    partition ``repartition(n, col)`` sends a row to (``pmod(hash, n)``). Used only to spread
    the parts of the key shuffle evenly: a mistake here costs balance, never correctness."""

    def rotl(x: int, r: int) -> int:
        return ((x << r) | (x >> (32 - r))) & 0xFFFFFFFF

    k1 = (value & 0xFFFFFFFF) * 0xCC9E2D51 & 0xFFFFFFFF
    k1 = rotl(k1, 15) * 0x1B873593 & 0xFFFFFFFF
    h1 = seed ^ k1
    h1 = (rotl(h1, 13) * 5 + 0xE6546B64) & 0xFFFFFFFF
    h1 ^= 4
    h1 ^= h1 >> 16
    h1 = h1 * 0x85EBCA6B & 0xFFFFFFFF
    h1 ^= h1 >> 13
    h1 = h1 * 0xC2B2AE35 & 0xFFFFFFFF
    h1 ^= h1 >> 16
    return h1 - (1 << 32) if h1 >= 1 << 31 else h1


def _part_labels(parts: int) -> list[int]:
    """A value of the ``part`` column for each of ``parts`` shuffle partitions."""
    labels: dict[int, int] = {}
    value = 0
    while len(labels) < parts and value < 64 * parts + 1024:
        labels.setdefault(_spark_hash_int(value) % parts, value)
        value += 1
    return [labels.get(p, p) for p in range(parts)]
