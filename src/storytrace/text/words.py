"""words: the word helpers every stage shares. Normalised sentence text (case, quotes, dashes,
spacing) and the set of content words (stop words and single letters left out)."""

from __future__ import annotations

import re
from functools import lru_cache

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})
_STOP = frozenset(
    (
        "a an the and or but of to in on at for by with from as is are was were be been being that this "
        "these those it its he she they them his her their we our you your i not no will would can could may "
        "might has have had do does did said says also than then there which who whom whose what when where "
        "while after before over into about more most such so if up out"
    ).split()
)


_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Lower case, straight quotes and dashes, single spaces, no trailing punctuation (memoised:
    every pair of versions of a story compares the same sentences again)."""
    text = text.translate(_QUOTES).lower()
    text = _SPACE.sub(" ", text).strip()
    return text.rstrip(" .!?;:,\"'")


def content_words(text: str) -> set[str]:
    """Lower-case words and numbers of ``text``, stop words and single characters left out."""
    return set(_content_words(text))


@lru_cache(maxsize=1 << 16)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(normalise(text)) if w not in _STOP and len(w) > 1)
