"""spark: the Apache Spark engine (``engine = "spark"``) for corpora that outgrow one machine.

``storytrace dedup INPUT --engine spark`` gives the same clusters as the local engine
(:mod:`storytrace.dedup`) because it runs the same code on every executor:

1. **read**: JSON lines (parsed by the local engine's record parser; files on a local or shared
   file system are read by the Python workers in byte splits, other URIs with
   ``spark.read.text``) and Parquet (``spark.read.parquet``), from local paths or any URI Spark
   reads. Every row keeps its file and position, so the articles get the order the local engine
   reads them in (files sorted as :func:`storytrace.ingest.iter_inputs` sorts them, then line by
   line);
2. **fingerprint**: :class:`~storytrace.fingerprint.MinHasher` and
   :func:`~storytrace.fingerprint.band_keys` inside ``mapInArrow``, a whole batch at a time: the
   same signatures, exact hashes and (32-bit) LSH band keys as the local engine; the same task
   packs the keys for the band shuffle;
3. **links**, in one shuffle: an article whose exact hash was seen before links to the first
   article with that hash; every other article links to the first article sharing each of its
   LSH bands when their estimated Jaccard similarity reaches ``dedup_threshold`` (exactly the
   local engine's rule);
4. **clusters**: verified and formed on the driver from the linked articles' signatures when
   there are at most :data:`DRIVER_LINKS` links, else by connected components with the
   large-star/small-star algorithm (Kiveris et al., SoCC 2014) in plain DataFrame operations (no
   GraphFrames jar); a cluster is named after its first article;
5. **canonical** article and **similarity** as in the local engine (earliest published, else
   longest, else first; estimated Jaccard with the canonical, 1.0 for exact copies), written as
   Parquet ``id, cluster, canonical, similarity, match`` with Spark's commit protocol and
   ``overwrite`` mode, so a retried task never duplicates rows and a rerun replaces the output.

``storytrace analyze --engine spark`` groups articles by story (a story column of the input, else
the near-duplicate clusters above) and runs the per-story stages (clean, segment, embed, align,
lineage, drift, quotations, consolidation) inside a grouped ``applyInPandas`` stage, writing the
report's story and article records as JSON lines or Parquet.

pyspark is optional: ``pip install 'storytrace[spark]'``.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import numpy as np

from .config import Config
from .errors import ConfigError, InputError, MissingDependencyError, NothingToAnalyzeError
from .records import RawArticle, Skipped, skipped_lines

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
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


# -- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One input file: how Spark names it, how the user named it, its kind and its rank."""

    uri: str
    display: str
    kind: str  # "jsonl" or "parquet"
    rank: int


def _is_remote(raw: str) -> bool:
    return "://" in raw and not raw.startswith("file:")


def _kind(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(JSONL_KINDS):
        return "jsonl"
    if lower.endswith(PARQUET_KINDS):
        return "parquet"
    return None


def _unsupported(where: str) -> Skipped:
    suffix = Path(where).suffix or "(none)"
    return Skipped(
        where,
        None,
        f"unsupported file type {suffix!r} for the Spark engine, which reads JSON lines "
        "(.jsonl, .ndjson) and Parquet (.parquet); use --engine local for other formats",
    )


def list_sources(spark: SparkSession, paths: Iterable[str | Path]) -> tuple[list[Source], list[Skipped]]:
    """Input files in the local engine's order (sorted, recursively; hidden files ignored)."""
    sources: list[Source] = []
    skipped: list[Skipped] = []
    files: list[tuple[str, str]] = []  # (uri, display)
    for raw in paths:
        text = str(raw)
        if _is_remote(text):
            files.extend(_list_remote(spark, text))
            continue
        path = Path(urlparse(text).path if text.startswith("file:") else text)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                files.append((child.resolve().as_uri(), str(child)))
        elif path.is_file():
            files.append((path.resolve().as_uri(), str(path)))
        else:
            skipped.append(Skipped(str(path), None, "no such file or directory"))
    for uri, display in files:
        kind = _kind(display)
        if kind is None:
            skipped.append(_unsupported(display))
            continue
        if uri.startswith("file:") and not os.access(unquote(urlparse(uri).path), os.R_OK):
            skipped.append(Skipped(display, None, "cannot read file: permission denied"))
            continue
        sources.append(Source(uri, display, kind, len(sources)))
    return sources, skipped


def _list_remote(spark: SparkSession, uri: str) -> list[tuple[str, str]]:
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    hpath = jvm.org.apache.hadoop.fs.Path(uri)
    fs = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not fs.exists(hpath):
        raise InputError(f"input {uri!r} does not exist")
    found: list[str] = []
    listing = fs.listFiles(hpath, True)
    while listing.hasNext():
        name = str(listing.next().getPath().toString())
        rel = name[len(uri) :] if name.startswith(uri) else name.rsplit("/", 1)[-1]
        if any(part.startswith((".", "_")) for part in rel.split("/") if part):
            continue
        found.append(name)
    return [(name, name) for name in sorted(found)]


def _norm_uri(uri: str) -> str:
    """A file URI as Spark reports it (``file:/a%20b``) and as we write it (``file:///a b``)."""
    if uri.startswith("file:"):
        return "file://" + unquote(urlparse(uri).path)
    return uri


def _parquet_columns(spark: SparkSession, sources: list[Source], skipped: list[Skipped]) -> list[Source]:
    """Drop (with a reason naming the file) Parquet files without an id or text column."""
    kept: list[Source] = []
    for src in sources:
        if src.kind != "parquet":
            kept.append(src)
            continue
        try:
            names = _schema_names(spark, src)
        except Exception as err:
            skipped.append(Skipped(src.display, None, f"not a readable Parquet file: {_first_line(err)}"))
            continue
        if "text" not in names and "html" not in names:
            skipped.append(
                Skipped(
                    src.display,
                    None,
                    f"Parquet file has no 'text' or 'html' column (columns: {', '.join(names)})",
                )
            )
        elif "id" not in names:
            skipped.append(
                Skipped(src.display, None, f"Parquet file has no 'id' column (columns: {', '.join(names)})")
            )
        else:
            kept.append(src)
    return kept


def _schema_names(spark: SparkSession, src: Source) -> list[str]:
    if src.uri.startswith("file:"):
        import pyarrow.parquet as pq

        return list(pq.read_schema(unquote(urlparse(src.uri).path)).names)
    return list(spark.read.parquet(src.uri).columns)


def _first_line(err: BaseException) -> str:
    text = str(err).strip().split("\n")[0]
    return text[:300]


# -- fingerprints ---------------------------------------------------------------------------


def _fingerprint_batches(
    batches: Iterator[pa.RecordBatch], kind: str, settings: dict[str, Any]
) -> Iterator[pa.RecordBatch]:
    """The fingerprint stage, run on the executors: parse records, fingerprint them in batches.

    Emits one row per article (signature, exact hash), one per skipped record and, at the end,
    one per input split with its number of rows, from which the driver derives each article's
    global order, and the articles' exact hashes, LSH band keys and id hashes packed for the band
    shuffle (:func:`_packed_keys`).
    """
    import pyarrow as pa
    from pyspark import TaskContext

    from .dedup import _HAS_WORD, _timestamp, dedup_bands
    from .fingerprint import MinHasher, band_keys
    from .ingest import _jsonl_record, article_from_record

    ctx = TaskContext.get()
    if (
        settings.get("fail_first_attempt")
        and ctx is not None
        and ctx.partitionId() == 0
        and ctx.attemptNumber() == 0
    ):
        raise RuntimeError("storytrace test: failing the first attempt of the first task on purpose")
    hasher = MinHasher(num_perm=settings["num_perm"], shingle_size=settings["shingle_size"])
    bands, rows = dedup_bands(settings["threshold"], settings["num_perm"])
    max_bytes = settings["max_bytes"]
    counters: dict[tuple[str, int], int] = {}
    found: dict[tuple[str, int], int] = {}
    refs: dict[tuple[str, int], int] = {}  # (file, split) -> its number in this task
    packed: dict[int, list[np.ndarray[Any, Any]]] = {_EXACT_LINK: [], _BAND_LINK: [], _ID_LINK: []}
    places: list[np.ndarray[Any, Any]] = []
    for batch in batches:
        cols = _columns(batch)
        files, splits = cols["file"], cols["split"]
        out: dict[str, list[Any]] = {k: [] for k in ("kind", "file", "split", "row", "reason")}
        articles: list[RawArticle] = []
        place: list[int] = []  # each article's split (its number here) and row: ref << 40 | row
        for k in range(len(files)):
            key = (files[k], splits[k])
            if kind == "jsonl":
                row = counters.get(key, 0)
                counters[key] = row + 1
                line = cols["value"][k]
                if not line or not line.strip():
                    continue
                if len(line) * 4 > max_bytes and len(line.encode("utf-8")) > max_bytes:
                    item: RawArticle | Skipped = Skipped(
                        files[k], row, f"line is {len(line.encode('utf-8')):,} bytes, above max_file_bytes"
                    )
                else:
                    item = _jsonl_record(line, files[k], row)
            else:
                row = cols["row"][k]
                counters[key] = max(counters.get(key, 0), row + 1)
                record = {c: cols[c][k] for c in _TEXT_COLUMNS if c in cols}
                item = article_from_record(record, files[k], row)
            if isinstance(item, RawArticle) and not _HAS_WORD.search(item.text):
                item = Skipped(files[k], row, "no words in the text")
            if isinstance(item, Skipped):
                out["kind"].append(_SKIPPED)
                out["reason"].append(item.reason)
            else:
                out["kind"].append(_ARTICLE)
                out["reason"].append(None)
                articles.append(item)
                found[key] = found.get(key, 0) + 1
                place.append(refs.setdefault(key, len(refs)) << 40 | row)
            out["file"].append(files[k])
            out["split"].append(splits[k])
            out["row"].append(row)
        record_batch, exact, keys32 = _article_batch(
            out, articles, hasher, bands, rows, _timestamp, band_keys
        )
        yield record_batch
        if articles:
            packed[_EXACT_LINK].append(exact)
            packed[_BAND_LINK].append(keys32.astype(np.int64).ravel())
            packed[_ID_LINK].append(_id_hashes([a.id for a in articles]))
            places.append(np.asarray(place, dtype=np.int64))
    if places:
        yield from _packed_keys(packed, np.concatenate(places), bands, refs, settings["labels"])
    if counters:
        keys = sorted(counters)
        n = len(keys)
        yield pa.RecordBatch.from_pydict(
            {
                "kind": [_SPLIT] * n,
                "file": [f for f, _ in keys],
                "split": [s for _, s in keys],
                "row": [counters[k] for k in keys],
                "length": [found.get(k, 0) for k in keys],  # articles in the split
                **{c: [None] * n for c in ("id", "exact", "sig", "pos", "published", "reason")},
            },
            schema=_arrow_schema(),
        )


def _arrow_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("kind", pa.int32()),
            ("file", pa.string()),
            ("split", pa.int64()),
            ("row", pa.int64()),
            ("id", pa.string()),
            ("exact", pa.int64()),
            ("sig", pa.binary()),
            ("pos", pa.binary()),
            ("published", pa.float64()),
            ("length", pa.int64()),
            ("reason", pa.string()),
        ]
    )


def _article_batch(
    out: dict[str, list[Any]],
    articles: list[RawArticle],
    hasher: Any,
    bands: int,
    rows: int,
    timestamp: Callable[[Any], float],
    band_keys: Callable[..., Any],
) -> tuple[pa.RecordBatch, np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Arrow rows for one input batch (fingerprints of its articles, nulls for skipped records),
    and the articles' exact hashes (int64) and 32-bit band keys (one row of ``bands`` each)."""
    import pyarrow as pa

    n = len(out["kind"])
    kinds = np.asarray(out["kind"], dtype=np.int32)
    is_article = kinds == _ARTICLE
    m = len(articles)
    fp = hasher.fingerprints([a.text for a in articles])
    exact = fp.exact.copy()
    exact[exact == 0] = 1  # as the local engine's hash table does
    keys32 = (band_keys(fp.signatures, bands, rows) >> np.uint64(32)).astype(np.uint32)
    keys32[keys32 == 0] = 1
    width = hasher.num_perm * 4
    # binary signature column: fixed-width rows, nulls for skipped records
    sig_offsets = np.zeros(n + 1, dtype=np.int32)
    sig_offsets[1:] = np.cumsum(is_article * width)
    sig_column = pa.Array.from_buffers(
        pa.binary(),
        n,
        [_validity(is_article), pa.py_buffer(sig_offsets.tobytes()), pa.py_buffer(fp.signatures.tobytes())],
    )
    ids: list[str | None] = [None] * n
    exact_col: list[int | None] = [None] * n
    published: list[float | None] = [None] * n
    length: list[int | None] = [None] * n
    exact_signed = exact.view(np.int64).tolist()
    for j, pos in enumerate(np.flatnonzero(is_article).tolist()):
        a = articles[j]
        ids[pos] = a.id
        exact_col[pos] = exact_signed[j]
        published[pos] = timestamp(a.published)
        length[pos] = len(a.text)
    assert m == int(is_article.sum())
    batch = pa.RecordBatch.from_arrays(
        [
            pa.array(kinds, type=pa.int32()),
            pa.array(out["file"], type=pa.string()),
            pa.array(out["split"], type=pa.int64()),
            pa.array(out["row"], type=pa.int64()),
            pa.array(ids, type=pa.string()),
            pa.array(exact_col, type=pa.int64()),
            sig_column,
            pa.nulls(n, type=pa.binary()),
            pa.array(published, type=pa.float64()),
            pa.array(length, type=pa.int64()),
            pa.array(out["reason"], type=pa.string()),
        ],
        schema=_arrow_schema(),
    )
    return batch, exact.view(np.int64), keys32


def _id_hashes(ids: list[str]) -> np.ndarray[Any, Any]:
    """64-bit hashes of article ids (blake2b: the same in every process)."""
    import hashlib

    return np.frombuffer(
        b"".join(hashlib.blake2b(i.encode("utf-8"), digest_size=8).digest() for i in ids), dtype=np.int64
    )


def _packed_keys(
    packed: dict[int, list[np.ndarray[Any, Any]]],
    places: np.ndarray[Any, Any],
    bands: int,
    refs: dict[tuple[str, int], int],
    labels: Sequence[int],
) -> Iterator[pa.RecordBatch]:
    """Map side of the band shuffle, in the fingerprint task: every article's exact hash, LSH
    band keys and id hash with its place (split number << 40 | row), sorted by the shuffle
    partition of the key and packed as raw int64 arrays into a few ``_KEYS`` rows (``split``: the
    partition's label, ``row``: the key kind, ``sig``: the keys, ``pos``: the places, ``reason``:
    the task's splits as JSON). The shuffle then moves a few large values, not 27 rows an article."""
    import pyarrow as pa

    parts = len(labels)
    splits = json.dumps([list(k) for k, _ in sorted(refs.items(), key=lambda kv: kv[1])])
    for kind, arrays in packed.items():
        key = np.concatenate(arrays)
        place = np.repeat(places, bands) if kind == _BAND_LINK else places
        target = _target(key, kind, parts)
        idx = np.argsort(target, kind="stable")
        bounds = np.searchsorted(target[idx], np.arange(parts + 1))
        for p in range(parts):
            sel = idx[bounds[p] : bounds[p + 1]]
            for start in range(0, sel.size, _PACK):
                chunk = sel[start : start + _PACK]
                yield pa.RecordBatch.from_pydict(
                    {
                        "kind": [_KEYS],
                        "file": [None],
                        "split": [labels[p]],
                        "row": [kind],
                        "id": [None],
                        "exact": [None],
                        "sig": [key[chunk].tobytes()],
                        "pos": [place[chunk].tobytes()],
                        "published": [None],
                        "length": [None],
                        "reason": [splits],
                    },
                    schema=_arrow_schema(),
                )


def _target(key: np.ndarray[Any, Any], kind: int, parts: int) -> np.ndarray[Any, Any]:
    """Shuffle partition (0 to parts - 1) of each key."""
    with np.errstate(over="ignore"):
        mixed = key.view(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(kind)
    return ((mixed >> np.uint64(33)) % np.uint64(parts)).astype(np.int64)


def _validity(mask: np.ndarray[Any, Any]) -> Any:
    import pyarrow as pa

    if mask.all():
        return None
    return pa.py_buffer(np.packbits(mask, bitorder="little").tobytes())


#: JSON-lines files on a local (or shared) file system are read by the Python workers themselves,
#: in splits of this many bytes: no text goes through the JVM (other URIs: ``spark.read.text``)
LOCAL_SPLIT_BYTES = 32 << 20
#: read local JSON-lines files in the Python workers (False: always through ``spark.read.text``)
READ_LOCAL_IN_PYTHON = True

#: turns a stage's input batches into rows: Arrow batches, or columns of Python values
LineReader = Callable[[Iterator["pa.RecordBatch"]], Iterator[Any]]


def _same_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[Any]:
    return batches


def _columns(batch: Any) -> dict[str, list[Any]]:
    """The columns of an input batch as Python lists (a local reader gives them so already)."""
    return batch if isinstance(batch, dict) else batch.to_pydict()


def _split_lines(path: str, start: int, end: int) -> Iterator[str]:
    """The lines whose first byte lies in ``[start, end)`` of a file (every line belongs to exactly
    one split), split at ``\\n`` like the local engine, without the line ending."""
    with open(path, "rb") as handle:
        if start > 0:
            handle.seek(start - 1)
            if handle.read(1) != b"\n":
                handle.readline()  # the end of a line that belongs to the previous split
        pos = handle.tell()
        while pos < end:
            raw = handle.readline()
            if not raw:
                break
            pos += len(raw)
            if raw.endswith(b"\n"):
                raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
            yield raw.decode("utf-8", "replace")


def _local_lines(
    batches: Iterator[pa.RecordBatch], splits: Sequence[tuple[str, int, int]], batch_rows: int = 10_000
) -> Iterator[dict[str, list[Any]]]:
    """``value, file, split`` columns (as ``spark.read.text`` gives them, but as Python lists) of
    the splits whose numbers arrive in the ``id`` column."""
    for batch in batches:
        for number in batch.column("id").to_pylist():
            uri, start, end = splits[number]
            path = unquote(urlparse(uri).path)
            lines: list[str] = []
            for line in _split_lines(path, start, end):
                lines.append(line)
                if len(lines) >= batch_rows:
                    yield {"value": lines, "file": [uri] * len(lines), "split": [start] * len(lines)}
                    lines = []
            if lines:
                yield {"value": lines, "file": [uri] * len(lines), "split": [start] * len(lines)}


def _raw_frames(spark: SparkSession, sources: Sequence[Source]) -> list[tuple[str, DataFrame, LineReader]]:
    """One DataFrame per input kind, with each row's file, split start and position, and the
    function that turns its Arrow batches into those rows (JSON lines: ``value, file, split``)."""
    from pyspark.sql import functions as F

    frames: list[tuple[str, DataFrame, LineReader]] = []
    local = [s for s in sources if s.kind == "jsonl" and s.uri.startswith("file:") and READ_LOCAL_IN_PYTHON]
    if local:
        splits: list[tuple[str, int, int]] = []
        for src in local:
            uri = _norm_uri(src.uri)
            size = os.path.getsize(unquote(urlparse(src.uri).path))
            splits += [
                (uri, start, min(size, start + LOCAL_SPLIT_BYTES))
                for start in range(0, size, LOCAL_SPLIT_BYTES)
            ]
        if splits:

            def read(
                batches: Iterator[pa.RecordBatch], splits: list[tuple[str, int, int]] = splits
            ) -> Iterator[pa.RecordBatch]:
                return _local_lines(batches, splits)

            frames.append(("jsonl", spark.range(0, len(splits), 1, len(splits)), read))
    jsonl = [s.uri for s in sources if s.kind == "jsonl" and s not in local]
    if jsonl:
        df = spark.read.text(jsonl).select(
            "value",
            F.col("_metadata.file_path").alias("file"),
            F.col("_metadata.file_block_start").alias("split"),
        )
        frames.append(("jsonl", df, _same_batches))
    parquet = [s.uri for s in sources if s.kind == "parquet"]
    if parquet:
        reader = spark.read.option("mergeSchema", "true").parquet(*parquet)
        columns = [c for c in _TEXT_COLUMNS if c in reader.columns]
        types = dict(reader.dtypes)

        def column(c: str) -> Any:
            if c == "published" and types[c].startswith("timestamp"):
                # an instant with its offset, whatever the session time zone
                return F.date_format(F.col(c), "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").alias(c)
            return F.col(c).cast("string") if c in ("id", "published") else F.col(c)

        df = reader.select(
            *[column(c) for c in columns],
            F.col("_metadata.file_path").alias("file"),
            F.lit(0).cast("long").alias("split"),
            F.col("_metadata.row_index").alias("row"),
        )
        frames.append(("parquet", df, _same_batches))
    return frames


def _map_frames(
    frames: Sequence[tuple[str, DataFrame, LineReader]],
    work: Callable[[Iterator[Any], str], Iterator[pa.RecordBatch]],
    schema: Any,
) -> DataFrame:
    """One DataFrame of ``work(records, kind)`` over the raw frames of :func:`_raw_frames` (each
    read by its own line reader), run in ``mapInArrow`` with ``schema``."""
    parts = []
    for kind, df, lines in frames:

        def stage(
            batches: Iterator[pa.RecordBatch], kind: str = kind, lines: LineReader = lines
        ) -> Iterator[pa.RecordBatch]:
            return work(lines(batches), kind)

        parts.append(df.mapInArrow(stage, schema))
    out = parts[0]
    for other in parts[1:]:
        out = out.unionByName(other)
    return out


@dataclass
class Fingerprinted:
    """The fingerprint stage's result: articles in the local engine's order, and what was skipped."""

    articles: DataFrame  # order, id, exact, sig, published, length
    skipped: list[Skipped]
    count: int
    sources: list[Source]
    cached: DataFrame
    #: the articles with their file and row (to name a skipped duplicate id)
    placed: DataFrame | None = None
    #: False until duplicate ids are dropped (spark_dedup does it in the band shuffle)
    ids_checked: bool = True
    #: cached frames and broadcast values to drop with the fingerprints
    held: list[Any] = field(default_factory=list)
    #: first order of each input split (file, split start)
    offsets: dict[tuple[str, int], int] = field(default_factory=dict)
    #: partitions of the band shuffle (the fingerprint stage packed its keys for that many)
    parts: int = 1
    #: orders of the articles dropped for a repeated id
    dropped: set[int] = field(default_factory=set)

    def release(self) -> None:
        """Drop the cached fingerprints and whatever else was held for them."""
        for item in self.held:
            if hasattr(item, "unpersist"):
                item.unpersist()
        self.held.clear()
        _drop_checkpoint(self.cached)


def _drop_checkpoint(df: DataFrame) -> None:
    """Free the blocks of a local checkpoint (its plan is a LogicalRDD over the stored RDD)."""
    try:
        plan = df._jdf.queryExecution().analyzed()
        if plan.getClass().getSimpleName() == "LogicalRDD":
            plan.rdd().unpersist(False)
    except Exception:  # pragma: no cover - another plan shape: Spark frees it when unreferenced
        df.unpersist()


def fingerprint_corpus(
    spark: SparkSession,
    paths: Iterable[str | Path],
    config: Config,
    *,
    max_skipped: int = 10_000,
    check_ids: bool = True,
) -> Fingerprinted:
    """Read and fingerprint the inputs on the cluster; order the articles as the local engine does.

    Articles whose id an earlier article has are skipped (the first one wins, as in the local
    engine); with ``check_ids=False`` that is left to the caller (:func:`cluster_frame` does it
    in its band shuffle, saving a pass over the corpus), and ``ids_checked`` is False.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    sources, skipped = list_sources(spark, paths)
    sources = _parquet_columns(spark, sources, skipped)
    if not sources:
        raise NothingToAnalyzeError(
            f"no input the Spark engine can read (JSON lines or Parquet): {len(skipped)} input(s) skipped",
            tuple(skipped),
        )
    shuffle_parts = max(1, int(spark.conf.get("spark.sql.shuffle.partitions") or "2"))
    settings = {
        "num_perm": config.num_perm,
        "shingle_size": config.dedup_shingle_size,
        "threshold": config.dedup_threshold,
        "max_bytes": config.max_file_bytes,
        "fail_first_attempt": spark.conf.get(_FAIL_FIRST_ATTEMPT, "false") == "true",
        "labels": _part_labels(shuffle_parts),
    }
    rows = _map_frames(
        _raw_frames(spark, sources),
        lambda batches, kind: _fingerprint_batches(batches, kind, settings),
        _FP_SCHEMA,
    )
    try:
        # kept as rows (a local checkpoint), not as a columnar cache: no encoding work, and the
        # later passes read each row as it was written
        rows = rows.localCheckpoint(eager=True, storageLevel=StorageLevel.MEMORY_AND_DISK)
        meta = (
            rows.where(F.col("kind").isin(_SKIPPED, _SPLIT))
            .select("kind", "file", "split", "row", "length", "reason")
            .collect()
        )
    except Exception as err:
        raise InputError(f"the Spark engine could not read the inputs: {_spark_message(err)}") from None
    splits = [r for r in meta if r["kind"] == _SPLIT]
    # global order: rank of the file (the local engine's order), then the split, then the row
    by_uri = {_norm_uri(s.uri): s for s in sources}
    unknown_rank = len(sources)
    split_keys = []
    for r in splits:
        src = by_uri.get(_norm_uri(r["file"]))
        split_keys.append(
            ((src.rank if src else unknown_rank, r["file"], r["split"]), r["file"], r["split"], r["row"])
        )
    split_keys.sort()
    offsets: list[tuple[str, int, int]] = []
    total = 0
    for _, file, split, count in split_keys:
        offsets.append((file, split, total))
        total += count
    offset_df = spark.createDataFrame(offsets, "file string, split long, offset long")
    located = rows.join(F.broadcast(offset_df), ["file", "split"]).withColumn(
        "order", F.col("offset") + F.col("row")
    )
    display = {_norm_uri(s.uri): s.display for s in sources}
    line_base = {(file, split): off for file, split, off in offsets}
    file_base: dict[str, int] = {}
    for file, _split, off in sorted(offsets, key=lambda t: t[2]):
        file_base.setdefault(file, off)
    bad = sorted(
        (line_base[(r["file"], r["split"])] + int(r["row"]), r) for r in meta if r["kind"] == _SKIPPED
    )
    for _, r in bad[:max_skipped]:
        base = line_base[(r["file"], r["split"])] - file_base[r["file"]]
        skipped.append(
            Skipped(display.get(_norm_uri(r["file"]), r["file"]), base + int(r["row"]) + 1, r["reason"])
        )
    placed = located.where(F.col("kind") == _ARTICLE).select(
        "order", "id", "exact", "sig", "published", "length", "file", "row"
    )
    count = sum(int(r["length"]) for r in splits)
    fp = Fingerprinted(
        placed.drop("file", "row"),
        skipped,
        count,
        sources,
        rows,
        placed=placed,
        ids_checked=False,
        offsets={(file, split): off for file, split, off in offsets},
        parts=shuffle_parts,
    )
    if check_ids:
        # duplicate ids: the first one wins, as in the local engine
        firsts = (
            placed.select("id", "order")
            .groupBy("id")
            .agg(F.min("order").alias("first"), F.count(F.lit(1)).alias("n"))
            .where(F.col("n") > 1)
        )
        repeated = [(r["id"], int(r["first"])) for r in firsts.select("id", "first").collect()]
        _drop_duplicate_ids(spark, fp, repeated, max_skipped=max_skipped)
    return fp


def _drop_duplicate_ids(
    spark: SparkSession, fp: Fingerprinted, repeated: list[tuple[str, int]], *, max_skipped: int = 10_000
) -> None:
    """Skip every article whose id an earlier article has (``repeated``: each such id and the
    order of its first article), naming its file; usually there is none: no pass at all."""
    from pyspark.sql import functions as F

    fp.ids_checked = True
    if not repeated:
        return
    assert fp.placed is not None
    small = spark.createDataFrame(repeated, "id string, first long")
    dups = (
        fp.placed.select("id", "order", "file", "row")
        .join(_small(small, len(repeated)), "id")
        .where(F.col("order") > F.col("first"))
        .orderBy("order")
        .collect()
    )
    display = {_norm_uri(s.uri): s.display for s in fp.sources}
    for r in dups[:max_skipped]:
        fp.skipped.append(
            Skipped(display.get(_norm_uri(r["file"]), r["file"]), None, f"duplicate article id {r['id']!r}")
        )
    if dups:
        fp.dropped.update(int(r["order"]) for r in dups)
        drop = spark.createDataFrame([(int(r["order"]),) for r in dups], "order long")
        fp.placed = fp.placed.join(_small(drop, len(dups)), "order", "left_anti")
        fp.articles = fp.placed.drop("file", "row")
        fp.count -= len(dups)


def _spark_message(err: BaseException) -> str:
    text = str(err)
    for line in text.split("\n"):
        line = line.strip()
        if line and ("Exception" in line or "Error" in line) and len(line) < 400:
            return line
    return _first_line(err)


# -- connected components -------------------------------------------------------------------


def connected_components(edges: DataFrame, max_rounds: int = 64) -> tuple[DataFrame, int]:
    """Component of every vertex of ``edges`` (columns ``a``, ``b``: long vertex ids), named after
    its smallest vertex, by alternating large-star and small-star (Kiveris et al. 2014).

    Returns a DataFrame ``(vertex, component)`` and the number of rounds taken.
    """
    from pyspark.sql import functions as F

    current = (
        edges.select(F.greatest("a", "b").alias("hi"), F.least("a", "b").alias("lo"))
        .where(F.col("hi") != F.col("lo"))
        .distinct()
        .localCheckpoint()
    )
    rounds = 0
    while True:
        rounds += 1
        # large star: every vertex's larger neighbours link to the smallest of its neighbourhood
        both = current.select(F.col("hi").alias("u"), F.col("lo").alias("v")).unionByName(
            current.select(F.col("lo").alias("u"), F.col("hi").alias("v"))
        )
        m = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
        large = (
            both.join(m, "u")
            .where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("hi"), F.col("m").alias("lo"))
            .distinct()
        )
        # small star: every vertex and its smaller neighbours link to the smallest of them
        ms = large.groupBy("hi").agg(F.min("lo").alias("m"))
        small = (
            large.join(ms, "hi")
            .select(F.col("lo").alias("hi"), F.col("m").alias("lo"))
            .unionByName(ms.select(F.col("hi"), F.col("m").alias("lo")))
            .where(F.col("hi") != F.col("lo"))
            .select(F.greatest("hi", "lo").alias("hi"), F.least("hi", "lo").alias("lo"))
            .distinct()
            .localCheckpoint()
        )
        # converged when the round changed no edge (symmetric difference is empty)
        changed = (
            small.withColumn("w", F.lit(1))
            .unionByName(current.withColumn("w", F.lit(2)))
            .groupBy("hi", "lo")
            .agg(F.sum("w").alias("w"))
            .where(F.col("w") != 3)
            .limit(1)
            .count()
        )
        current = small
        if changed == 0 or rounds >= max_rounds:
            break
    # at convergence every component is a star around its smallest vertex
    comp = current.groupBy("hi").agg(F.min("lo").alias("component"))
    roots = current.select(F.col("lo").alias("hi")).distinct().join(comp, "hi", "left_anti")
    result = comp.select(F.col("hi").alias("vertex"), "component").unionByName(
        roots.select(F.col("hi").alias("vertex"), F.col("hi").alias("component"))
    )
    return result, rounds


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


def _pair_similarity(batches: Iterator[pa.RecordBatch], num_perm: int) -> Iterator[pa.RecordBatch]:
    """Estimated Jaccard similarity of signature pairs (columns ``sa``, ``sb``), as the local engine."""
    import pyarrow as pa

    for batch in batches:
        n = batch.num_rows
        if n == 0:
            continue
        a = _signature_matrix(batch.column("sa"), num_perm)
        b = _signature_matrix(batch.column("sb"), num_perm)
        sim = np.count_nonzero(a == b, axis=1) / num_perm
        cols = {name: batch.column(name) for name in batch.schema.names if name not in ("sa", "sb")}
        yield pa.RecordBatch.from_pydict({**cols, "sim": pa.array(sim, type=pa.float64())})


def _signature_matrix(column: Any, num_perm: int) -> np.ndarray[Any, np.dtype[np.uint32]]:
    import pyarrow as pa

    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    values = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset : arr.offset + len(arr) + 1]
    width = num_perm * 4
    if offsets.size > 1 and np.all(np.diff(offsets) == width):
        return values[offsets[0] : offsets[-1]].view(np.uint32).reshape(len(arr), num_perm)
    return np.frombuffer(b"".join(arr.to_pylist()), dtype=np.uint32).reshape(len(arr), num_perm)


def _final_rows(
    batches: Iterator[pa.RecordBatch], num_perm: int, fail_first_attempt: bool
) -> Iterator[pa.RecordBatch]:
    """Output rows of articles in multi-article clusters: similarity with the canonical and match."""
    import pyarrow as pa
    from pyspark import TaskContext

    ctx = TaskContext.get()
    if fail_first_attempt and ctx is not None and ctx.partitionId() == 0 and ctx.attemptNumber() == 0:
        raise RuntimeError("storytrace test: failing the first attempt of an output task on purpose")
    for batch in batches:
        n = batch.num_rows
        if n == 0:
            continue
        a = _signature_matrix(batch.column("sig"), num_perm)
        b = _signature_matrix(batch.column("csig"), num_perm)
        order = np.asarray(batch.column("order"))
        corder = np.asarray(batch.column("corder"))
        exact = np.asarray(batch.column("exact"))
        cexact = np.asarray(batch.column("cexact"))
        sim = np.count_nonzero(a == b, axis=1) / num_perm
        is_canon = order == corder
        same = exact == cexact
        sim[is_canon | same] = 1.0
        match = np.where(is_canon, "canonical", np.where(same, "exact", "near"))
        yield pa.RecordBatch.from_pydict(
            {
                "order": pa.array(order, type=pa.int64()),
                "id": batch.column("id"),
                "cluster": batch.column("cluster"),
                "canonical": batch.column("canonical"),
                "similarity": pa.array([round(float(x), 4) for x in sim.tolist()], type=pa.float64()),
                "match": pa.array(match.tolist(), type=pa.string()),
            }
        )


#: frames of at most this many (narrow) rows are broadcast to every executor instead of shuffled
BROADCAST_ROWS = 2_000_000


def _small(df: DataFrame, rows: int) -> DataFrame:
    from pyspark.sql import functions as F

    return F.broadcast(df) if rows <= BROADCAST_ROWS else df


#: link kinds of the key shuffle: an exact copy, an LSH candidate pair, a repeated id (hash)
_EXACT_LINK, _BAND_LINK, _ID_LINK = 0, 1, 2
#: at most this many links (exact copies plus LSH candidate pairs, before removing repeats) are
#: verified and clustered on the driver, which fetches their articles' signatures (about 600
#: bytes an article, at most two articles a link: 600 MB at the limit); above it, verification,
#: connected components and canonicals run as distributed DataFrame stages
DRIVER_LINKS = 500_000
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


def _key_links(
    batches: Iterator[pa.RecordBatch],
    offsets: dict[tuple[str, int], int],
    with_ids: bool,
    dropped: np.ndarray[Any, Any],
) -> Iterator[pa.RecordBatch]:
    """Reduce side of the band shuffle: all entries of a key are in this partition; every article
    links to the first article (smallest order) with the same key: ``t, a, b`` with ``a > b``.

    For band keys the first article is never an exact copy (its original, which comes earlier,
    has the same signature and so the same keys): it is the local engine's band owner. Articles
    in ``dropped`` (a repeated id) are left out."""
    import pyarrow as pa

    keys: dict[int, list[np.ndarray[Any, Any]]] = {}
    orders: dict[int, list[np.ndarray[Any, Any]]] = {}
    for batch in batches:
        cols = batch.to_pydict()
        for kind, key, pos, splits in zip(
            cols["kind"], cols["keys"], cols["pos"], cols["splits"], strict=True
        ):
            if kind == _ID_LINK and not with_ids:
                continue
            base = np.array([offsets[(f, int(sp))] for f, sp in json.loads(splits)], dtype=np.int64)
            place = np.frombuffer(pos, dtype=np.int64)
            order = base[place >> 40] + (place & ((1 << 40) - 1))
            key_arr = np.frombuffer(key, dtype=np.int64)
            if dropped.size:
                keep = ~np.isin(order, dropped)
                order, key_arr = order[keep], key_arr[keep]
            keys.setdefault(kind, []).append(key_arr)
            orders.setdefault(kind, []).append(order)
    for kind in sorted(keys):
        key, order = np.concatenate(keys[kind]), np.concatenate(orders[kind])
        if key.size < 2:
            continue
        idx = np.lexsort((order, key))
        key, order = key[idx], order[idx]
        starts = np.ones(key.size, dtype=bool)
        starts[1:] = key[1:] != key[:-1]
        first = order[np.maximum.accumulate(np.where(starts, np.arange(key.size), 0))]
        later = order != first
        if not later.any():
            continue
        a, b = order[later], first[later]
        pick = np.lexsort((b, a))
        a, b = a[pick], b[pick]
        fresh = np.ones(a.size, dtype=bool)
        fresh[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        yield pa.RecordBatch.from_arrays(
            [
                pa.array(np.full(int(fresh.sum()), kind, dtype=np.int32)),
                pa.array(a[fresh]),
                pa.array(b[fresh]),
            ],
            names=["t", "a", "b"],
        )


def _links(spark: SparkSession, fp: Fingerprinted, with_ids: bool) -> DataFrame:
    """Exact copies, LSH candidate pairs (and repeated id hashes) from the packed keys of the
    fingerprint stage, in one shuffle: ``t, a, b``."""
    from pyspark.sql import functions as F

    offsets = dict(fp.offsets)
    dropped = np.asarray(sorted(fp.dropped), dtype=np.int64)

    def reduce(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return _key_links(batches, offsets, with_ids, dropped)

    return (
        fp.cached.where(F.col("kind") == _KEYS)
        .select(
            F.col("split").cast("int").alias("part"),
            F.col("row").cast("int").alias("kind"),
            F.col("sig").alias("keys"),
            "pos",
            F.col("reason").alias("splits"),
        )
        .repartition(fp.parts, "part")
        .mapInArrow(reduce, "t int, a long, b long")
    )


def _repeated_ids(spark: SparkSession, fp: Fingerprinted, links: DataFrame) -> list[tuple[str, int]]:
    """Ids that more than one article has, with the order of the first; only the articles whose
    id hash repeats (usually none) are looked at."""
    from pyspark.sql import functions as F

    ends = links.where(F.col("t") == _ID_LINK)
    orders = ends.select(F.col("a").alias("order")).unionByName(ends.select(F.col("b").alias("order")))
    rows = fp.articles.join(orders.distinct(), "order", "left_semi").select("order", "id").collect()
    first: dict[str, int] = {}
    seen: dict[str, int] = {}
    for r in rows:
        key, order = r["id"], int(r["order"])
        first[key] = min(first.get(key, order), order)
        seen[key] = seen.get(key, 0) + 1
    return sorted((k, first[k]) for k, n in seen.items() if n > 1)


def cluster_frame(
    spark: SparkSession, fp: Fingerprinted, config: Config, *, driver_links: int | None = None
) -> tuple[DataFrame, dict[str, int]]:
    """Clusters of the fingerprinted articles: ``order, id, cluster, canonical, similarity, match``.

    One shuffle finds the exact copies and the LSH candidate pairs (and, when ``fp`` still has
    duplicate ids to drop, the repeated ids). When there are at most ``driver_links``
    (:data:`DRIVER_LINKS`) of them, the candidates are verified and the clusters formed on the
    driver with the articles' signatures; otherwise on the cluster (:func:`connected_components`).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    limit = DRIVER_LINKS if driver_links is None else driver_links
    with_ids = not fp.ids_checked
    links = _links(spark, fp, with_ids).persist(StorageLevel.MEMORY_AND_DISK)
    counts = {
        int(r["t"]): int(r["n"]) for r in links.groupBy("t").agg(F.count(F.lit(1)).alias("n")).collect()
    }
    if with_ids:
        before = fp.count
        _drop_duplicate_ids(spark, fp, _repeated_ids(spark, fp, links) if counts.get(_ID_LINK) else [])
        if fp.count != before:  # articles were dropped: their band keys must not own any band
            links.unpersist()
            links = _links(spark, fp, False).persist(StorageLevel.MEMORY_AND_DISK)
            counts = {
                int(r["t"]): int(r["n"])
                for r in links.groupBy("t").agg(F.count(F.lit(1)).alias("n")).collect()
            }
    fp.held.append(links)
    if counts.get(_EXACT_LINK, 0) + counts.get(_BAND_LINK, 0) <= limit:
        return _cluster_on_driver(spark, fp, config, links)
    return _cluster_distributed(spark, fp, config, links)


def _components(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], n: int) -> np.ndarray[Any, Any]:
    """Connected components of ``n`` vertices and edges ``a - b``: each vertex's smallest vertex
    in its component (hooking roots on the smaller root, then pointer jumping, until stable)."""
    parent = np.arange(n, dtype=np.int64)
    while True:
        ra, rb = parent[a], parent[b]
        if np.array_equal(ra, rb):
            return parent
        low = np.minimum(ra, rb)
        np.minimum.at(parent, ra, low)
        np.minimum.at(parent, rb, low)
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand


def _cluster_on_driver(
    spark: SparkSession, fp: Fingerprinted, config: Config, links: DataFrame
) -> tuple[DataFrame, dict[str, int]]:
    """Verify the candidates, form the clusters and pick their canonicals on the driver (the
    local engine's arithmetic on the articles that have a link); a broadcast then labels every
    article in one pass."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    num_perm = config.num_perm
    table = links.where(F.col("t") != _ID_LINK).toArrow()
    t = table.column("t").to_numpy()
    a = table.column("a").to_numpy().astype(np.int64)
    b = table.column("b").to_numpy().astype(np.int64)
    exact_a, exact_b = a[t == _EXACT_LINK], b[t == _EXACT_LINK]
    band = (t == _BAND_LINK) & ~np.isin(a, exact_a)  # exact copies look no band up
    pairs = np.unique(np.stack([a[band], b[band]], axis=1), axis=0).reshape(-1, 2)
    involved = np.unique(np.concatenate([exact_a, exact_b, pairs.ravel()]))
    empty = pa.table({"order": pa.array([], pa.int64()), "cluster": pa.array([], pa.string()),
                      "canonical": pa.array([], pa.string()), "similarity": pa.array([], pa.float64()),
                      "match": pa.array([], pa.string())})  # fmt: skip
    members = empty
    n_near = 0
    n_components = 0
    if involved.size:
        wanted = spark.createDataFrame(pa.table({"order": involved}))
        info = (
            fp.articles.join(_small(wanted, involved.size), "order", "left_semi")
            .select("order", "id", "exact", "sig", "published", "length")
            .toArrow()
            .combine_chunks()
        )
        info = info.take(pa.array(np.argsort(info.column("order").to_numpy(), kind="stable")))
        order = info.column("order").to_numpy()
        sigs = _signature_matrix(
            info.column("sig").chunk(0) if info.num_rows else info.column("sig"), num_perm
        )
        pa_, pb_ = np.searchsorted(order, pairs[:, 0]), np.searchsorted(order, pairs[:, 1])
        sim = np.count_nonzero(sigs[pa_] == sigs[pb_], axis=1) / num_perm
        near = sim >= config.dedup_threshold
        n_near = int(np.unique(pairs[near, 0]).size)
        ea = np.concatenate([np.searchsorted(order, exact_a), pa_[near]])
        eb = np.concatenate([np.searchsorted(order, exact_b), pb_[near]])
        root = _components(ea, eb, order.size)
        in_edge = np.zeros(order.size, dtype=bool)
        in_edge[ea] = True
        in_edge[eb] = True
        m = np.flatnonzero(in_edge)  # members of multi-article clusters, in order
        root = root[m]
        n_components = int(np.unique(root).size)
        published = info.column("published").to_numpy(zero_copy_only=False)[m]
        published = np.where(np.isnan(published), np.inf, published)
        length = info.column("length").to_numpy()[m]
        # canonical: earliest published, else longest, else first (of each component)
        rank = np.lexsort((order[m], -length, published, root))
        head = np.ones(m.size, dtype=bool)
        head[1:] = root[rank][1:] != root[rank][:-1]
        canon_of_root = np.zeros(order.size, dtype=np.int64)
        canon_of_root[root[rank][head]] = m[rank][head]
        canon = canon_of_root[root]  # row (in info) of each member's canonical
        exact = info.column("exact").to_numpy()
        is_canon = canon == m
        same = exact[m] == exact[canon]
        similarity = np.count_nonzero(sigs[m] == sigs[canon], axis=1) / num_perm
        similarity[is_canon | same] = 1.0
        ids = info.column("id")
        members = pa.table(
            {
                "order": pa.array(order[m]),
                "cluster": ids.take(pa.array(root)),
                "canonical": ids.take(pa.array(canon)),
                "similarity": pa.array([round(float(x), 4) for x in similarity.tolist()], pa.float64()),
                "match": pa.array(np.where(is_canon, "canonical", np.where(same, "exact", "near")).tolist()),
            }
        )
    held = spark.sparkContext.broadcast(members)
    fp.held.append(held)
    fail = spark.conf.get(_FAIL_FIRST_ATTEMPT, "false") == "true"

    def label(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return _label_rows(batches, held.value, fail)

    frame = fp.articles.select("order", "id").mapInArrow(
        label, "order long, id string, cluster string, canonical string, similarity double, match string"
    )
    stats = {
        "exact": int(exact_a.size),
        "near": n_near,
        "clusters": fp.count - members.num_rows + n_components,
        "rounds": 0,
    }
    return frame, stats


def _label_rows(
    batches: Iterator[pa.RecordBatch], members: Any, fail_first_attempt: bool
) -> Iterator[pa.RecordBatch]:
    """Output rows: an article in a multi-article cluster gets its row of ``members``; any other
    is its own cluster and canonical."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyspark import TaskContext

    ctx = TaskContext.get()
    if fail_first_attempt and ctx is not None and ctx.partitionId() == 0 and ctx.attemptNumber() == 0:
        raise RuntimeError("storytrace test: failing the first attempt of an output task on purpose")
    members = members.combine_chunks()
    m_order = members.column("order").to_numpy()
    columns = (
        {c: members.column(c).chunk(0) for c in ("cluster", "canonical", "match")} if members.num_rows else {}
    )
    m_sim = members.column("similarity").to_numpy()
    for batch in batches:
        n = batch.num_rows
        if n == 0:
            continue
        order = batch.column("order").to_numpy()
        ids = batch.column("id")
        if m_order.size:
            pos = np.minimum(np.searchsorted(m_order, order), m_order.size - 1)
            hit = m_order[pos] == order
        else:
            pos, hit = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
        if hit.any():
            mask, where = pa.array(hit), pa.array(pos)
            cluster = pc.if_else(mask, columns["cluster"].take(where), ids)
            canonical = pc.if_else(mask, columns["canonical"].take(where), ids)
            match = pc.if_else(mask, columns["match"].take(where), pa.scalar("canonical"))
            similarity = pa.array(np.where(hit, m_sim[pos], 1.0))
        else:
            cluster = canonical = ids
            match = pa.array(["canonical"] * n, pa.string())
            similarity = pa.array(np.ones(n))
        yield pa.RecordBatch.from_arrays(
            [batch.column("order"), ids, cluster, canonical, similarity, match],
            names=["order", "id", "cluster", "canonical", "similarity", "match"],
        )


def _cluster_distributed(
    spark: SparkSession, fp: Fingerprinted, config: Config, links: DataFrame
) -> tuple[DataFrame, dict[str, int]]:
    """The clusters as DataFrame stages, for link sets too large for the driver."""
    from pyspark.sql import functions as F

    num_perm = config.num_perm
    threshold = config.dedup_threshold
    art = fp.articles
    # 1. exact duplicates link to the first article with their exact hash
    exact_edges = links.where(F.col("t") == _EXACT_LINK).select("a", "b", F.lit(True).alias("exact"))
    # 2. an article that is not an exact copy against the first article with each of its band keys
    banded = (
        links.where(F.col("t") == _BAND_LINK)
        .select("a", "b")
        .join(exact_edges.select("a"), "a", "left_anti")
        .distinct()
        .localCheckpoint()
    )
    # only the signatures of candidate articles travel (a broadcast semi-join when few)
    involved = (
        banded.select(F.col("a").alias("order"))
        .unionByName(banded.select(F.col("b").alias("order")))
        .distinct()
        .localCheckpoint()
    )
    sigs = art.select("order", "sig").join(_small(involved, involved.count()), "order", "left_semi")
    candidates = (
        banded.join(sigs.select(F.col("order").alias("a"), F.col("sig").alias("sa")), "a")
        .join(sigs.select(F.col("order").alias("b"), F.col("sig").alias("sb")), "b")
        .select("a", "b", "sa", "sb")
    )
    near_edges = (
        candidates.mapInArrow(lambda it: _pair_similarity(it, num_perm), "a long, b long, sim double")
        .where(F.col("sim") >= F.lit(threshold))
        .select("a", "b", F.lit(False).alias("exact"))
    )
    edges = exact_edges.unionByName(near_edges).localCheckpoint()
    counted = edges.agg(
        F.count(F.when(F.col("exact"), 1)).alias("exact"),
        F.count_distinct(F.when(~F.col("exact"), F.col("a"))).alias("near"),
    ).first()
    assert counted is not None
    n_exact, n_near = int(counted["exact"]), int(counted["near"])
    # 3. connected components
    comps, rounds = connected_components(edges.select("a", "b"))
    comps = comps.localCheckpoint()
    sizes = comps.agg(F.count(F.lit(1)).alias("n"), F.count_distinct("component").alias("clusters")).first()
    assert sizes is not None
    n_in_multi, n_multi = int(sizes["n"]), int(sizes["clusters"])
    in_multi = _small(comps.withColumnRenamed("vertex", "order"), n_in_multi)
    # 4. canonical (earliest published, else longest, else first) and similarity with it
    members = (
        art.select("order", "id", "exact", "sig", "published", "length")
        .join(in_multi, "order")
        .localCheckpoint()
    )
    canon = members.groupBy("component").agg(
        F.min(F.struct("published", (-F.col("length")).alias("neg_length"), "order"))
        .getField("order")
        .alias("corder")
    )
    info = members.select(
        F.col("order").alias("corder"),
        F.col("id").alias("canonical"),
        F.col("exact").alias("cexact"),
        F.col("sig").alias("csig"),
    )
    names = members.select(F.col("order").alias("component"), F.col("id").alias("cluster"))
    joined = members.join(canon, "component").join(info, "corder").join(names, "component")
    fail = spark.conf.get(_FAIL_FIRST_ATTEMPT, "false") == "true"
    clustered = joined.select(
        "order", "id", "cluster", "canonical", "exact", "cexact", "sig", "csig", "corder"
    ).mapInArrow(
        lambda it: _final_rows(it, num_perm, fail),
        "order long, id string, cluster string, canonical string, similarity double, match string",
    )
    singles = (
        art.select("order", "id")
        .join(in_multi.select("order"), "order", "left_anti")
        .select(
            "order",
            "id",
            F.col("id").alias("cluster"),
            F.col("id").alias("canonical"),
            F.lit(1.0).alias("similarity"),
            F.lit("canonical").alias("match"),
        )
    )
    stats = {
        "exact": n_exact,
        "near": n_near,
        "clusters": fp.count - n_in_multi + n_multi,
        "rounds": rounds,
    }
    return clustered.unionByName(singles), stats


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

    from .group import Grouping
    from .report import article_json, skipped_json, story_json

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
    from .pipeline import Pipeline

    if config_json not in _PIPELINES:
        _PIPELINES[config_json] = Pipeline.from_config(Config.from_dict(json.loads(config_json)))
    return _PIPELINES[config_json]


def _analyze_group(pdf: Any, config_json: str) -> Any:
    """The grouped stage: one story's rows (a pandas frame) in, its report records out."""
    import pandas as pd

    from .ingest import parse_date

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

    from .ingest import article_from_record

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


def read_records(path: str | Path, kind: str) -> list[dict[str, Any]]:
    """Records of one kind (``story``, ``article``, ``skipped``) from a Spark analyze output,
    without Spark (JSON lines or Parquet)."""
    folder = Path(path) / f"kind={kind}"
    if not folder.exists():
        return []
    out: list[dict[str, Any]] = []
    parquet = sorted(folder.glob("*.parquet"))
    if parquet:
        import pyarrow.parquet as pq

        for f in parquet:
            out += [json.loads(x) for x in pq.read_table(f).column("record").to_pylist()]
        return out
    for f in sorted(folder.glob("part-*")):
        out += [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def read_clusters(path: str | Path) -> dict[str, dict[str, Any]]:
    """A Spark dedup output (Parquet directory) as ``{id: row}`` (with pyarrow, no Spark)."""
    import pyarrow.parquet as pq

    table = pq.read_table(str(path))
    return {row["id"]: row for row in table.to_pylist()}


__all__ = [
    "Fingerprinted",
    "Source",
    "SparkDedupSummary",
    "cluster_frame",
    "connected_components",
    "fingerprint_corpus",
    "get_spark",
    "list_sources",
    "read_clusters",
    "spark_dedup",
]
