"""fingerprint: the fingerprint stage. Every article parsed by the local engine's record parser,
its exact hash, MinHash signature and packed LSH band keys computed in ``mapInArrow`` with the
local engine's :class:`~storytrace.text.fingerprint.MinHasher`; repeated ids dropped as the local
engine drops them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..config import Config
from ..errors import InputError, NothingToAnalyzeError
from ..records import RawArticle, Skipped
from .read import Source, _columns, _map_frames, _norm_uri, _parquet_columns, _raw_frames, list_sources
from .session import (
    _ARTICLE,
    _BAND_LINK,
    _EXACT_LINK,
    _FAIL_FIRST_ATTEMPT,
    _FP_SCHEMA,
    _ID_LINK,
    _KEYS,
    _PACK,
    _SKIPPED,
    _SPLIT,
    _TEXT_COLUMNS,
    _part_labels,
    _small,
    _spark_message,
)

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession


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

    from ..corpus.dedup import _HAS_WORD, _timestamp, dedup_bands
    from ..read.formats import article_from_record, jsonl_record
    from ..text.fingerprint import MinHasher, band_keys

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
                    item = jsonl_record(line, files[k], row)
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
