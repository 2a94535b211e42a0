"""read: the inputs of a Spark run. Files listed and sorted as the local engine sorts them
(:func:`storytrace.read.inputs.iter_inputs`), Parquet columns checked, JSON lines read by the
Python workers in byte splits (local files) or by ``spark.read.text`` (other URIs)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from ..errors import InputError
from ..records import Skipped
from .session import _TEXT_COLUMNS, JSONL_KINDS, PARQUET_KINDS, _first_line

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession


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
