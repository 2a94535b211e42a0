"""Streaming readers for corpus formats: Parquet (pyarrow) and WARC/WET (warcio).

Both are optional dependencies (``pip install "storytrace[corpus]"``), loaded only when such a
file is read. Records are yielded one at a time, never the whole file; bad records become
:class:`~storytrace.records.Skipped` with the file and record number, and the rest is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import MissingDependencyError
from ..records import RawArticle, Skipped

PARQUET_SUFFIXES = {".parquet"}
WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")
_COLUMNS = ("id", "text", "html", "title", "source", "url", "published")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_parquet(path: Path, config: Config) -> Iterator[RawArticle | Skipped]:
    """Rows of a Parquet file with columns ``id`` and ``text`` (or ``html``), in batches."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError(
            "pyarrow", f"Reading the Parquet file {str(path)!r}", 'pip install "storytrace[corpus]"'
        ) from None
    from .formats import article_from_record

    try:
        handle = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several error types for bad files
        yield Skipped(str(path), None, f"not a readable Parquet file: {err}")
        return
    names = list(handle.schema_arrow.names)
    if "text" not in names and "html" not in names:
        yield Skipped(
            str(path), None, f"Parquet file has no 'text' or 'html' column (columns: {', '.join(names)})"
        )
        return
    if "id" not in names:
        yield Skipped(str(path), None, f"Parquet file has no 'id' column (columns: {', '.join(names)})")
        return
    columns = [c for c in _COLUMNS if c in names]
    row = 0
    try:
        for batch in handle.iter_batches(batch_size=1024, columns=columns):
            data = batch.to_pydict()
            for k in range(batch.num_rows):
                row += 1
                yield article_from_record({c: data[c][k] for c in columns}, str(path), row)
    except Exception as err:
        yield Skipped(str(path), row + 1, f"cannot read Parquet rows from here on: {err}")


def read_warc(path: Path, config: Config) -> Iterator[RawArticle | Skipped]:
    """HTML responses (main text extracted) and plain-text resource/conversion records (WET).

    The id of an article is its ``WARC-Target-URI`` (else its ``WARC-Record-ID``); other records
    (requests, metadata, images, scripts) are not articles and are passed over.
    """
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise MissingDependencyError(
            "warcio", f"Reading the WARC file {str(path)!r}", 'pip install "storytrace[corpus]"'
        ) from None
    try:
        stream = path.open("rb")
    except OSError as err:
        yield Skipped(str(path), None, f"cannot read file: {err.strerror or err}")
        return
    number = 0
    with stream:
        records = iter(ArchiveIterator(stream))
        while True:
            try:
                record = next(records)
                number += 1
                item = _warc_record(record, str(path), number, config)
            except StopIteration:
                return
            except Exception as err:  # warcio and zlib raise assorted errors on damaged files
                yield Skipped(
                    str(path), number + 1, f"damaged WARC record ({err}); the rest of the file was not read"
                )
                return
            if isinstance(item, Skipped) and item.reason.startswith("truncated"):
                yield item
                return
            if item is not None:
                yield item


def _warc_record(record: Any, path: str, number: int, config: Config) -> RawArticle | Skipped | None:
    from .formats import decode, from_html

    kind = record.rec_type
    if kind not in ("response", "resource", "conversion"):
        return None
    headers = record.rec_headers
    ident = headers.get_header("WARC-Target-URI") or headers.get_header("WARC-Record-ID")
    if kind == "response":
        if record.http_headers is None:
            return None
        ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    else:
        ctype = (headers.get_header("Content-Type") or "").lower()
    is_html = "html" in ctype
    if not is_html and not ctype.startswith("text/plain"):
        return None
    data = record.content_stream().read(config.max_file_bytes + 1)
    left = getattr(record.raw_stream, "limit", 0)
    if left and len(data) <= config.max_file_bytes:
        return Skipped(
            path, number, f"truncated WARC record {ident!r}: {left} byte(s) missing at the end of the file"
        )
    if len(data) > config.max_file_bytes:
        return Skipped(path, number, f"record is above max_file_bytes={config.max_file_bytes:,}")
    if not ident:
        return Skipped(path, number, "WARC record without WARC-Target-URI or WARC-Record-ID")
    charset = "utf-8"
    if "charset=" in ctype:
        charset = ctype.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    if is_html:
        try:
            html = data.decode(charset, errors="replace")
        except LookupError:
            html = data.decode("utf-8", errors="replace")
        return from_html(html, ident, path, number, url=headers.get_header("WARC-Target-URI"))
    text = decode(data, path, number)
    if isinstance(text, Skipped):
        return text
    return RawArticle(id=ident, text=text, url=headers.get_header("WARC-Target-URI"), path=path, line=number)
