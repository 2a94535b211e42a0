"""inputs: read articles from files and directories (text, Markdown, HTML, JSON lines, and the
streamed corpus formats Parquet and WARC).

Bad inputs never stop the batch: each becomes a :class:`~storytrace.records.Skipped` record that
names the file (and line, for JSON lines) and says what was wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..records import RawArticle, Skipped
from .formats import decode, from_html, from_text, jsonl_record

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
#: streamed corpus formats (optional dependencies, see archives.py)
CORPUS_KINDS = (".parquet", ".warc", ".warc.gz", ".wet", ".wet.gz")


@dataclass(frozen=True)
class Ingested:
    """All articles read from the inputs, and everything that was skipped."""

    articles: tuple[RawArticle, ...]
    skipped: tuple[Skipped, ...]


def read_inputs(paths: Iterable[str | Path], config: Config | None = None) -> Ingested:
    """Read every input; duplicate ids are skipped (the first one wins) and reported."""
    config = config or Config()
    articles: list[RawArticle] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for item in iter_inputs(paths, config):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        if item.id in seen:
            where = item.path or "?"
            skipped.append(
                Skipped(
                    where, item.line, f"duplicate article id {item.id!r} (first read from {seen[item.id]})"
                )
            )
            continue
        seen[item.id] = item.path or "?"
        articles.append(item)
    return Ingested(tuple(articles), tuple(skipped))


def iter_inputs(paths: Iterable[str | Path], config: Config | None = None) -> Iterator[RawArticle | Skipped]:
    """Yield articles and skipped inputs from files and directories (recursively, sorted)."""
    config = config or Config()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                yield from read_file(child, config)
        elif path.exists():
            yield from read_file(path, config)
        else:
            yield Skipped(str(path), None, "no such file or directory")


def read_file(path: Path, config: Config) -> Iterator[RawArticle | Skipped]:
    """Read one file according to its suffix."""
    suffix = path.suffix.lower()
    from .archives import PARQUET_SUFFIXES, is_warc, read_parquet, read_warc

    if is_warc(path):
        yield from read_warc(path, config)
        return
    if suffix in PARQUET_SUFFIXES:
        yield from read_parquet(path, config)
        return
    if suffix not in SUPPORTED:
        yield unsupported(str(path), suffix)
        return
    try:
        size = path.stat().st_size
        if size > config.max_file_bytes and suffix not in JSONL_SUFFIXES:
            yield too_big(str(path), size, config)
            return
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as handle:
                yield from read_jsonl_lines(str(path), handle, config)
            return
        data = path.read_bytes()
    except OSError as err:
        yield Skipped(str(path), None, f"cannot read file: {err.strerror or err}")
        return
    yield read_document(str(path), path.stem, suffix, data)


def read_document(where: str, article_id: str, suffix: str, data: bytes) -> RawArticle | Skipped:
    """One text, Markdown or HTML document (its bytes) as one article with id ``article_id``."""
    text = decode(data, where)
    if isinstance(text, Skipped):
        return text
    if suffix in HTML_SUFFIXES:
        return from_html(text, article_id=article_id, path=where, line=None)
    return from_text(text, article_id=article_id, path=where, markdown=suffix != ".txt")


def read_jsonl_lines(where: str, lines: Iterable[bytes], config: Config) -> Iterator[RawArticle | Skipped]:
    """One article per JSON line; a bad line is skipped with its number and the reason."""
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if len(raw) > config.max_file_bytes:
            yield Skipped(where, lineno, f"line is {len(raw):,} bytes, above max_file_bytes")
            continue
        text = decode(raw, where, lineno)
        if isinstance(text, Skipped):
            yield text
            continue
        yield jsonl_record(text, where, lineno)


def unsupported(where: str, suffix: str) -> Skipped:
    kinds = ", ".join([*sorted(SUPPORTED), *CORPUS_KINDS])
    return Skipped(where, None, f"unsupported file type {suffix or '(none)'!r}; storytrace reads {kinds}")


def too_big(where: str, size: int, config: Config) -> Skipped:
    return Skipped(
        where,
        None,
        f"file is {size:,} bytes, above max_file_bytes={config.max_file_bytes:,}; split it or raise the limit",
    )
