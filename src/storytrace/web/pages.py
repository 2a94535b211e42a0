"""pages: what the article page shows of an article's text: its paragraphs as cleaning split them,
each one that cleaning removed (a caption, a pasted comment, site furniture, a related-links block)
marked with its kind and the reason, and the removed parts that are not in the text (left out of
an HTML page's main content) listed apart."""

from __future__ import annotations

import re
from typing import Any

from ..read.clean import paragraphs

#: characters of an article's text shown on its page (a longer text is cut, with a note)
SHOWN_CHARS = 100_000
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def article_paragraphs(
    text: str, removed: list[dict[str, str]], limit: int = SHOWN_CHARS
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """(paragraphs of ``text``, each ``{"text", "removed": {kind, reason} | None}``; removed parts
    not found in the text). A text over ``limit`` characters is cut there, with a last note."""
    shown = text[: min(limit, SHOWN_CHARS)]
    by_text: dict[str, dict[str, str]] = {}
    for part in removed:
        by_text.setdefault(_norm(part["text"]), part)
    found: set[str] = set()
    out: list[dict[str, Any]] = []
    for unit in paragraphs(shown):
        match = by_text.get(_norm(unit))
        if match is not None:
            found.add(_norm(unit))
        out.append({"text": unit, "removed": match})
    if len(shown) < len(text):
        out.append(
            {"text": f"[… {len(text) - len(shown):,} more characters not shown here]", "removed": None}
        )
    leftover = [p for key, p in by_text.items() if key not in found]
    return out, leftover
