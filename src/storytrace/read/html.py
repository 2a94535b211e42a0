"""Main-content extraction from HTML pages (trafilatura), reporting what was left out.

trafilatura keeps the article body and drops navigation, sidebars and footers. storytrace never
drops text silently, so the visible text blocks that extraction left out are returned as
:class:`~storytrace.records.Removed` records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import MissingDependencyError
from ..records import Removed, RemovedKind

_BLOCK_TAGS = (
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "figcaption",
    "blockquote",
    "td",
    "dt",
    "dd",
    "a",
    "span",
    "div",
    "footer",
    "small",
    "time",
    "label",
    "button",
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ExtractedPage:
    text: str
    title: str | None
    sitename: str | None
    url: str | None
    date: str | None
    removed: tuple[Removed, ...]


def extract_html(html: str) -> ExtractedPage | None:
    """Extract the main text of an HTML page; ``None`` when there is no article in it."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - dependency of the package
        raise MissingDependencyError(
            "trafilatura", "Reading HTML", "pip install trafilatura lxml_html_clean"
        ) from None
    try:
        doc: Any = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            # only dates the page states as its publication date; no guessing from footers
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            },
        )
    except Exception:  # trafilatura raises assorted errors on broken markup
        doc = None
    if doc is None:
        return None
    text = getattr(doc, "text", None) or ""
    title = getattr(doc, "title", None)
    first, _, rest = text.partition("\n")
    if title and first.strip() == title.strip():
        text = rest  # trafilatura repeats the headline as the first line
    if not text.strip():
        return None
    return ExtractedPage(
        text=text,
        title=title,
        sitename=getattr(doc, "sitename", None),
        url=getattr(doc, "url", None),
        date=getattr(doc, "date", None),
        removed=tuple(_left_out(html, text, title)),
    )


def _left_out(html: str, kept: str, title: str | None) -> list[Removed]:
    """Visible text blocks of the page that are not part of the extracted text."""
    try:
        import lxml.html
    except ImportError:  # pragma: no cover
        return []
    try:
        tree = lxml.html.fromstring(html)
    except Exception:
        return []
    for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    kept_norm = _SPACE.sub(" ", kept).lower()
    title_norm = _SPACE.sub(" ", title or "").strip().lower()
    removed: list[Removed] = []
    seen: set[str] = set()
    for element in tree.iter(*_BLOCK_TAGS):
        # only leaf-ish blocks: their own text, not the text of nested blocks
        own = _SPACE.sub(" ", " ".join(t for t in element.xpath("text()") if isinstance(t, str))).strip()
        if len(own) < 2:
            continue
        norm = own.lower()
        if norm in seen or norm in kept_norm or norm == title_norm:
            continue
        seen.add(norm)
        removed.append(
            Removed(kind=_kind_of(element), text=own, reason="outside the main content of the HTML page")
        )
    return removed


def _kind_of(element: Any) -> RemovedKind:
    for node in element.iterancestors():
        tag = str(node.tag).lower()
        cls = " ".join(str(node.get(a, "")) for a in ("class", "id", "role")).lower()
        if "comment" in cls:
            return "comment"
        if tag == "figcaption" or "caption" in cls:
            return "caption"
        if tag == "aside" or any(w in cls for w in ("related", "sidebar", "recommend", "more")):
            return "related"
    return "boilerplate"
