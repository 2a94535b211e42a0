"""formats: one article from one piece of input. Bytes decoded (or refused with the reason), a
text or Markdown file (headline, front matter), an HTML page (main text extracted), a JSON-lines or
Parquet record; ISO 8601 publication dates.

Each function returns a :class:`~storytrace.records.RawArticle` or a
:class:`~storytrace.records.Skipped` naming the file (and line) and what was wrong."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..records import RawArticle, Skipped
from .metadata import dateline_date

log = logging.getLogger(__name__)
_HAS_WORD = re.compile(r"[^\W\d_]")
#: control characters (other than tab, newlines, form feed), as UTF-8 bytes: in UTF-8 these bytes
#: stand only for themselves, never for part of another character
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F])

_BYLINE = re.compile(r"^\s*(written by|by|reporting by|story by)\s+[A-Z]", re.IGNORECASE)


def decode(data: bytes, where: str, line: int | None = None) -> str | Skipped:
    """Decode bytes as UTF-8 (BOMs honoured) or explain why they are not text."""
    if not data.strip():
        return Skipped(where, line, "empty file" if line is None else "empty text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return Skipped(where, line, "starts with a UTF-16 byte-order mark but is not valid UTF-16")
    head = data[:8192]
    if b"\x00" in head:
        return Skipped(where, line, "binary file (contains NUL bytes), not a text article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad_line = data.count(b"\n", 0, err.start) + 1
        byte = data[err.start : err.start + 1].hex()
        return Skipped(
            where,
            bad_line if line is None else line,
            f"not valid UTF-8 (byte 0x{byte} at line {bad_line}); convert it, e.g. iconv -f latin1 -t utf-8",
        )


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be an article (NUL bytes or control characters: binary data; no
    words), or ``None``. Every intake applies it, so the same text is refused everywhere."""
    if "\x00" in text:
        return "contains NUL bytes: binary data, not a text article"
    # counted in the UTF-8 bytes (lone surrogates, which JSON may hold, pass as bytes >= 0x80)
    head = text[:200_000].encode("utf-8", "surrogatepass")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(8, min(len(text), 200_000) // 100):
        return f"binary data ({controls:,} control characters), not a text article"
    if not _HAS_WORD.search(text):
        return "no words in the text"
    return None


def checked(article: RawArticle, where: str, line: int | None) -> RawArticle | Skipped:
    """``article`` refused (:func:`text_problem`) or completed: without a ``published`` value from
    the data or the page's metadata, the date of a dateline at the top of the text
    (:func:`~storytrace.read.metadata.dateline_date`); never the time it was read."""
    problem = text_problem(article.text)
    if problem is not None:
        return Skipped(where, line, problem)
    if article.published is None:
        published = dateline_date(article.text)
        if published is not None:
            return replace(article, published=published)
    return article


def from_text(text: str, article_id: str, path: str, markdown: bool) -> RawArticle | Skipped:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, str] = {}
    if markdown:
        text, meta = _front_matter(text)
        text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    lines = text.split("\n")
    title = meta.get("title")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return Skipped(path, None, "empty file")
    if title is None and _looks_like_title(lines[first]) and any(ln.strip() for ln in lines[first + 1 :]):
        title = lines[first].strip()
        lines = lines[first + 1 :]
    body = "\n".join(lines).strip("\n")
    if not body.strip():
        return Skipped(path, None, "no article text after the title line")
    raw_date = meta.get("published") or meta.get("date")
    published = parse_date(raw_date)
    if raw_date and published is None:
        return Skipped(path, None, bad_date(raw_date))
    article = RawArticle(
        id=article_id, text=body, title=title, source=meta.get("source"), url=meta.get("url"),
        published=published, path=path,
    )  # fmt: skip
    return checked(article, path, None)


def _looks_like_title(line: str) -> bool:
    stripped = line.strip()
    words = stripped.split()
    if not words or len(words) > 16 or len(stripped) > 140:
        return False
    if _BYLINE.match(stripped) or stripped.startswith(("©", "(c)", "Photo", "Image")):
        return False
    return not stripped.endswith((".", ":", ";", ","))


def _front_matter(text: str) -> tuple[str, dict[str, str]]:
    if not text.startswith("---\n"):
        return text, {}
    end = text.find("\n---", 4)
    if end < 0:
        return text, {}
    meta: dict[str, str] = {}
    for line in text[4:end].split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return text[end + 4 :].lstrip("\n"), meta


def parse_date(value: Any) -> datetime | None:
    """Parse an ISO 8601 date or date-time (``Z`` allowed); ``None`` when absent or invalid."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def bad_date(value: Any) -> str:
    """The message for a ``published`` value that is not a date (the article is refused rather
    than silently left undated)."""
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    return (
        f"'published' value {shown} is not an ISO 8601 date (e.g. 2024-06-18 or "
        f"2024-06-18T09:30:00Z); fix it or leave the field out"
    )


def from_html(html: str, article_id: str, path: str, line: int | None, **meta: Any) -> RawArticle | Skipped:
    from .html import extract_html  # lazy: trafilatura is heavy

    extracted = extract_html(html)
    if extracted is None or not extracted.text.strip():
        return Skipped(path, line, "HTML page with no article text (nothing to extract)")
    article = RawArticle(
        id=article_id,
        text=extracted.text,
        title=meta.get("title") or extracted.title,
        source=meta.get("source") or extracted.sitename,
        url=meta.get("url") or extracted.url,
        published=meta.get("published") or parse_date(extracted.date),
        path=path,
        line=line,
        removed=extracted.removed,
    )
    return checked(article, path, line)


def jsonl_record(line: str, path: str, lineno: int) -> RawArticle | Skipped:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return Skipped(path, lineno, f"malformed JSON: {err.msg} (column {err.colno})")
    if not isinstance(obj, dict):
        return Skipped(path, lineno, f"expected a JSON object, got {type(obj).__name__}")
    return article_from_record(obj, path, lineno)


def article_from_record(obj: dict[str, Any], path: str, lineno: int | None) -> RawArticle | Skipped:
    """An article from a record with ``id`` and ``text`` or ``html`` (JSON lines, Parquet rows)."""
    article_id = obj.get("id")
    if isinstance(article_id, int) and not isinstance(article_id, bool):
        article_id = str(article_id)
    if not isinstance(article_id, str) or not article_id.strip():
        return Skipped(path, lineno, "missing 'id' (a non-empty string or integer)")
    fields = {}
    for key in ("title", "source", "url"):
        value = obj.get(key)
        fields[key] = value if isinstance(value, str) and value.strip() else None
    raw_published = obj.get("published")
    published = raw_published if isinstance(raw_published, datetime) else parse_date(raw_published)
    if published is None and raw_published is not None and raw_published != "":
        return Skipped(path, lineno, f"article {article_id!r}: {bad_date(raw_published)}")
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        article = RawArticle(
            id=article_id,
            text=text.replace("\r\n", "\n"),
            published=published,
            path=path,
            line=lineno,
            title=fields["title"],
            source=fields["source"],
            url=fields["url"],
        )
        return checked(article, path, lineno)
    if isinstance(html, str) and html.strip():
        return from_html(html, article_id, path, lineno, published=published, **fields)
    return Skipped(path, lineno, f"article {article_id!r} has no 'text' or 'html' field with content")
