"""intake: one set of rules for every way an article comes in.

Files and directories (``analyze``, ``ingest``, ``dedup``) are read by :mod:`storytrace.read.inputs`;
an uploaded file by :func:`read_upload` (the same readers, over its bytes); named fields (the JSON
API, the paste form, a feed watcher) by :func:`from_fields`. All of them end in the same record
checks (:func:`storytrace.read.formats.checked`: NUL bytes and binary data, no words; the
publication date of a dateline when the data gives none) and the same size limit
(``max_file_bytes``), and a bad JSON line is named with its number. So an input one intake
refuses, every intake refuses, with the same message; the rest of the input is still read.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..records import RawArticle, Skipped
from .formats import article_from_record
from .inputs import (
    JSONL_SUFFIXES,
    SUPPORTED,
    read_document,
    read_file,
    read_jsonl_lines,
    too_big,
    unsupported,
)

#: the fields an article may carry (JSON lines, Parquet columns, the JSON API, the paste form)
FIELDS = ("id", "text", "html", "title", "source", "url", "published")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def safe_name(name: str) -> str:
    """A file name from a client, reduced to its last part and harmless characters."""
    base = Path(name.replace("\\", "/")).name
    return (_UNSAFE.sub("_", base)[:100].lstrip(".") or "upload.txt").strip() or "upload.txt"


def read_upload(name: str, data: bytes, config: Config) -> Iterator[RawArticle | Skipped]:
    """The articles of one uploaded file, read as a file of that name would be (its id is the
    file name without suffix; a JSON-lines file gives one article per line)."""
    where = safe_name(name)
    if len(data) > config.max_file_bytes:
        yield too_big(where, len(data), config)
        return
    lower = where.lower()
    suffix = Path(lower).suffix
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_lines(where, io.BytesIO(data), config)
    elif suffix in SUPPORTED:
        yield read_document(where, Path(where).stem, suffix, data)
    elif suffix == ".parquet" or lower.endswith((".warc", ".warc.gz", ".wet", ".wet.gz")):
        with tempfile.TemporaryDirectory(prefix="storytrace-upload-") as tmp:
            path = Path(tmp) / where
            path.write_bytes(data)
            for item in read_file(path, config):
                yield replace(item, path=where)
    else:
        yield unsupported(where, suffix)


def from_fields(
    fields: Mapping[str, Any], where: str, config: Config, line: int | None = None
) -> RawArticle | Skipped:
    """An article from named fields (``id``, ``text`` or ``html``, ``title``, ``source``, ``url``,
    ``published``), checked like a JSON line."""
    for key in ("text", "html"):
        value = fields.get(key)
        if isinstance(value, str):
            size = len(value.encode("utf-8", "surrogatepass"))
            if size > config.max_file_bytes:
                return Skipped(
                    where,
                    line,
                    f"{key} is {size:,} bytes, above max_file_bytes={config.max_file_bytes:,}; "
                    f"split it or raise the limit",
                )
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        return Skipped(
            where, line, f"unknown field(s) {', '.join(unknown)}; an article has {', '.join(FIELDS)}"
        )
    return article_from_record(dict(fields), where, line)
