"""dedup_parallel: JSON-lines corpora read and fingerprinted on all cores for ``storytrace dedup``.

The parent reads each file in blocks of whole lines (a few MB, counting lines as it goes) and
hands them to forked workers, at most two blocks per worker in flight so memory stays bounded.
A worker parses its lines exactly as the serial reader does
(:func:`storytrace.read.formats.jsonl_record`, the same skip reasons with the same line numbers)
and computes the fingerprints of the articles it keeps; only small arrays, the ids and the
skipped records come back, never the texts. The parent keeps the order of the blocks, so the
clusters, their names and canonical articles are those of a serial run.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..config import Config, usable_cores
from ..read.formats import decode, jsonl_record
from ..records import RawArticle, Skipped
from ..text.fingerprint import Fingerprints, MinHasher

#: bytes of whole lines per block handed to a worker
BLOCK_BYTES = 4 << 20
_HAS_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Block:
    """What a worker made of one block of lines: the articles with words (ids, where they were
    read, publication time stamps, text lengths, the JSON line of each, when asked for), their
    fingerprints, and every skipped line in order."""

    ids: list[str]
    paths: list[str | None]
    lines: list[int | None]
    published: npt.NDArray[np.float64]
    lengths: npt.NDArray[np.int64]
    records: list[str] | None
    fingerprints: Fingerprints
    skipped: list[Skipped]


def article_json(article: RawArticle) -> dict[str, Any]:
    """An article as a JSON-lines record (the format ``storytrace`` reads back)."""
    record: dict[str, Any] = {"id": article.id, "text": article.text}
    for key in ("title", "source", "url"):
        value = getattr(article, key)
        if value:
            record[key] = value
    if article.published is not None:
        record["published"] = article.published.isoformat()
    return record


def all_jsonl(paths: Sequence[str | Path]) -> bool:
    """True when every input is an existing JSON-lines file (the case this module serves)."""
    return bool(paths) and all(
        Path(p).is_file() and Path(p).suffix.lower() in (".jsonl", ".ndjson") for p in paths
    )


def worker_count() -> int:
    return usable_cores()


_state: tuple[Config, MinHasher, bool] | None = None


def read_blocks(
    paths: Sequence[str | Path], config: Config, hasher: MinHasher, keep_records: bool, workers: int
) -> Iterator[Block]:
    """The articles of ``paths`` as fingerprinted blocks, in file order."""
    global _state
    _state = (config, hasher, keep_records)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for args in _raw_blocks(paths):
            yield _work(args)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque[Any] = deque()
        for args in _raw_blocks(paths):
            pending.append(pool.apply_async(_work, (args,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _raw_blocks(paths: Sequence[str | Path]) -> Iterator[tuple[bytes, str, int]]:
    """(bytes of whole lines, path, number of the first line) of every file."""
    for raw in paths:
        path = str(raw)
        try:
            handle = open(path, "rb")  # noqa: SIM115
        except OSError as err:
            yield b"", f"\0{err.strerror or err}", 0
            continue
        with handle:
            line = 1
            rest = b""
            while True:
                data = handle.read(BLOCK_BYTES)
                if not data:
                    if rest:
                        yield rest, path, line
                    break
                data = rest + data
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    rest = data
                    continue
                block, rest = data[:cut], data[cut:]
                yield block, path, line
                line += block.count(b"\n")


def _timestamp(value: datetime | None) -> float:
    if value is None:
        return math.inf
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _work(args: tuple[bytes, str, int]) -> Block:
    assert _state is not None
    config, hasher, keep_records = _state
    block, path, first = args
    articles: list[RawArticle] = []
    skipped: list[Skipped] = []
    if path.startswith("\0"):
        skipped.append(Skipped(path, None, f"cannot read file: {path[1:]}"))
    else:
        for offset, raw in enumerate(
            block.split(b"\n")[:-1] if block.endswith(b"\n") else block.split(b"\n")
        ):
            lineno = first + offset
            raw = raw + b"\n"
            if not raw.strip():
                continue
            if len(raw) > config.max_file_bytes:
                skipped.append(Skipped(path, lineno, f"line is {len(raw):,} bytes, above max_file_bytes"))
                continue
            text = decode(raw, path, lineno)
            item = text if isinstance(text, Skipped) else jsonl_record(text, path, lineno)
            if isinstance(item, Skipped):
                skipped.append(item)
            elif not _HAS_WORD.search(item.text):
                skipped.append(Skipped(item.path or item.id, item.line, "no words in the text"))
            else:
                articles.append(item)
    records = None
    if keep_records:
        records = [json.dumps(article_json(a), ensure_ascii=False) for a in articles]
    return Block(
        ids=[a.id for a in articles],
        paths=[a.path for a in articles],
        lines=[a.line for a in articles],
        published=np.array([_timestamp(a.published) for a in articles], dtype=np.float64),
        lengths=np.fromiter((len(a.text) for a in articles), dtype=np.int64, count=len(articles)),
        records=records,
        fingerprints=hasher.fingerprints([a.text for a in articles]),
        skipped=skipped,
    )
