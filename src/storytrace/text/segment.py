"""segment: split cleaned text into sentences with character offsets.

A rule-based splitter tuned for news copy: it keeps abbreviations (Mr., U.S., Jan.), initials,
decimal numbers and quotations that close after the full stop inside one sentence.
"""

from __future__ import annotations

import re

from ..records import Sentence

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "mt",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "cmdr",
    "sgt",
    "gov",
    "sen",
    "rep",
    "pres",
    "rev",
    "hon",
    "no",
    "nos",
    "vol",
    "vs",
    "etc",
    "inc",
    "ltd",
    "corp",
    "co",
    "dept",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "approx",
    "est",
    "fig",
    "al",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "a.m",
    "p.m",
    "d.c",
}
# candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_NEXT_START = re.compile(r"\s+[\"'“‘(\[]*[A-Z0-9À-Ý]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``; paragraphs (blank lines) always end one."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        base = para.start()
        chunk = para.group()
        start = 0
        for match in _BOUNDARY.finditer(chunk):
            end = match.end()
            if not _NEXT_START.match(chunk, end):
                continue
            if _is_abbreviation(chunk, match.start()):
                continue
            _add(spans, chunk, base, start, end)
            start = end
        _add(spans, chunk, base, start, len(chunk))
    return spans


def _is_abbreviation(chunk: str, dot: int) -> bool:
    if chunk[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", chunk[:dot])
    if not word:
        return False
    token = word.group(1).lower().strip(".")
    if token in _ABBREVIATIONS:
        return True
    # single initials ("J. Smith") and dotted acronyms ("U.S.")
    return (len(token) == 1 and token.isalpha()) or bool(re.fullmatch(r"(\w\.)+\w", token))


def _add(spans: list[tuple[int, int]], chunk: str, base: int, start: int, end: int) -> None:
    piece = chunk[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    if piece.strip():
        spans.append((base + start + lead, base + end - trail))


def segment(article_id: str, text: str) -> tuple[Sentence, ...]:
    """Sentences of an article, with offsets into ``text`` and the paragraph number."""
    para_starts = [m.start() for m in re.finditer(r"(?:^|\n\s*\n)(?=\S)", text)]
    sentences: list[Sentence] = []
    para = 0
    for index, (start, end) in enumerate(split_sentences(text)):
        while para + 1 < len(para_starts) and para_starts[para + 1] <= start:
            para += 1
        sentences.append(Sentence(article_id, index, start, end, text[start:end], para))
    return tuple(sentences)
