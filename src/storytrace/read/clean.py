"""clean: separate an article's body from captions, credits, pasted comments, site furniture
and related-links blocks.

Text decoded with the wrong encoding somewhere upstream ("FÃ¼r" for "Für", mojibake) is repaired
first with ``ftfy`` (only its encoding fixes: quotes, widths and line breaks are left as written),
and the repair is reported like a removal, kind ``encoding``, with the sequences it replaced.

Every paragraph is classified. Nothing is dropped silently: each removed paragraph becomes a
:class:`~storytrace.records.Removed` record with its kind and the reason (the cue that fired).
Two kinds of cues are used:

- per-article cues: patterns of captions, credits, reader comments, widgets and link blocks;
- corpus repetition: a short, non-sentence line that recurs in several articles is furniture.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..config import Config
from ..records import RawArticle, Removed, RemovedKind

_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")", ":")
_SPACE = re.compile(r"\s+")


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_COMMENT = _rx(
    r"^(reader\s+)?comments?\s*[:\-–]",
    r"^reply(\s+from\s+[^:]{1,40})?\s*:",
    r"^[^.:]{1,40}\swrote:\s",
    r"^posted by\s.{1,60}\bago\b",
)
_CAPTION_START = _rx(
    r"^©",
    r"^\(c\)\s",
    r"^(photo|image|picture|file photo|handout)\s*(:|by\b)",
    r"^\[?(photo|image)\]?\s*[-–—]",
)
_CAPTION_CUE = _rx(
    r"\bin this (file |handout )?(image|photo|picture|photograph)\b",
    r"\(photo(graph)? by\b",
    r"\bgetty images\b",
    r"\bvia reuters\b",
    r"\b(ap|afp|epa) photo\b",
    r"\bphoto:\s",
)
_CREDIT = _rx(
    r"^(image|photo|picture|video)\s+(source|credit)s?\s*:",
    r"^(source|credit)s?\s*:\s*\S.{0,60}$",
    r"^(written|reporting|editing|writing|additional reporting|compiled|story)\s+by\s+[A-Z]",
    r"^by\s+[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3}(\s*(,|and)\s*[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3})*\s*$",
    r"^\(?(reporting|writing|editing) by\b.*\)?$",
)
_FURNITURE = _rx(
    r"^read mode$",
    r"^\d{1,3}\s*%\s*font size$",
    r"^font size\b",
    r"^(text|font) ?size\s*[:+-]?",
    r"^a\s?-?\s?a\s?\+?$",
    r"^\d+\s*(min|mins|minute|minutes)\.?\s+read$",
    r"^(published|updated|last updated)\s*:?.{0,50}$",
    r"^(share|tweet|email|print|save|listen)(\s+(this|on|to this)\b.{0,40})?$",
    r"^listen to (this|the) article",
    r"(sign|signup|sign up) (up )?(for|to) (our|the)\b.{0,80}newsletter",
    r"\bsubscribe\b.{0,60}\b(newsletter|channel|updates)\b",
    r"follow (us|our)\b.{0,60}\b(google news|channel|twitter|facebook|instagram|telegram|whatsapp)",
    r"^advertisement$",
    r"^(sponsored|promoted)( content)?$",
    r"^scroll (down )?to continue",
    r"^click here\b",
    r"all rights reserved",
    r"^top content( trending)?$",
    r"^trending( now| stories)?$",
    r"^most (read|popular|viewed)$",
    r"^(skip|jump) to (main )?content$",
    r"^(home|menu|search|log ?in|sign ?in|register)$",
    r"^(cookie|cookies)\b.{0,120}\b(accept|consent|policy)",
)
_RELATED_HEAD = _rx(
    r"^(read more|related|related (stories|articles|coverage|news|content)|more (stories|from|on this|news)"
    r"|also read|read also|recommended( for you)?|you may also like|see also|more to read|popular stories)"
    r"\s*[:.]?\s*$"
)
_RELATED_INLINE = _rx(r"^(read more|also read|read also|related|see also|more)\s*:\s+\S")
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'/,-]{2,60}?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*\(([A-Za-z][\w .&-]{1,40})\)\s*[-–—:]"
)
_BYLINE_NAMES = re.compile(r"^(?:written|reporting|story)?\s*by\s+(.+)$", re.IGNORECASE)
_AGENCY_IN_CAPTION = re.compile(
    r"(?:©|\(c\)|photo:|image:|credit:|source:|via)\s*([A-Z][\w&./-]*(?:\s+[A-Z][\w&./-]*){0,3})"
)


@dataclass(frozen=True)
class Cleaned:
    """The body text of one article and what was removed from it."""

    id: str
    text: str
    removed: tuple[Removed, ...]
    credits: tuple[str, ...]


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs: blank lines separate them, and so do line breaks after a line
    that ends a sentence; a hard-wrapped line (no terminal punctuation, next starts lower-case)
    is joined to the next."""
    units: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        current = ""
        for line in block.split("\n"):
            line = _SPACE.sub(" ", line).strip()
            if not line:
                continue
            if current and not current.endswith(_TERMINAL) and line[:1].islower():
                current = f"{current} {line}"
            else:
                if current:
                    units.append(current)
                current = line
        if current:
            units.append(current)
    return units


def _norm(line: str) -> str:
    return _SPACE.sub(" ", re.sub(r"[^\w%]+", " ", line.lower())).strip()


def _is_sentence_like(line: str) -> bool:
    return len(line.split()) > 15 or line.rstrip().endswith((".", "!", "?", ".”", '."', "?”", '?"'))


def _headline_like(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 22 and not line.rstrip().endswith((".", "!", ".”", '."'))


def classify(line: str) -> tuple[RemovedKind, str] | None:
    """Classify one paragraph on its own cues; ``None`` means body text."""
    words = len(line.split())
    if not re.search(r"[^\W\d_]", line):
        return "other", "no words (separator or stray symbols)"
    if _COMMENT.search(line):
        return "comment", "starts like a reader comment"
    if _CREDIT.search(line) and words <= 20:
        return "credit", "photo credit or byline"
    if _CAPTION_START.search(line):
        return "caption", "starts like a photo caption or copyright credit"
    if words <= 80 and _CAPTION_CUE.search(line) and not line.rstrip().endswith(('"', "”")):
        return "caption", "describes a photo (caption wording)"
    if _RELATED_INLINE.search(line) and words <= 25:
        return "related", "link to another article"
    if words <= 35 and _FURNITURE.search(line):
        return "boilerplate", "site furniture (widget, sharing or newsletter prompt)"
    return None


def repair_encoding(text: str) -> tuple[str, Removed | None]:
    """``text`` with mojibake repaired (ftfy's encoding fixes only), and the record of the repair."""
    import difflib

    import ftfy

    if text.isascii():
        return text, None
    fixed = ftfy.fix_encoding(text)
    if fixed == text:
        return text, None
    ops = difflib.SequenceMatcher(a=text, b=fixed, autojunk=False).get_opcodes()
    changes = [(text[i1:i2], fixed[j1:j2]) for op, i1, i2, j1, j2 in ops if op != "equal"]
    shown = "; ".join(f"{a!r} -> {b!r}" for a, b in list(dict.fromkeys(changes))[:5])
    return fixed, Removed(
        kind="encoding",
        text=shown,
        reason=f"mojibake repaired by ftfy: {len(changes)} sequence(s) decoded with the wrong encoding",
    )


def repeat_keys(text: str) -> set[str]:
    """The short lines of a text that count towards corpus repetition (normalised): a line found
    in at least ``furniture_min_repeats`` articles of the corpus is furniture."""
    return {_norm(u) for u in paragraphs(repair_encoding(text)[0]) if not _is_sentence_like(u)}


def clean_corpus(
    raws: Sequence[RawArticle], config: Config | None = None, repeats: Mapping[str, int] | None = None
) -> list[Cleaned]:
    """Clean every article, using repetition across the whole corpus as an extra cue: ``repeats``
    counts, per :func:`repeat_keys` line, the articles of the corpus that have it (by default the
    corpus is ``raws``; a store passes the counts over all its articles)."""
    config = config or Config()
    repaired = [repair_encoding(raw.text) for raw in raws]
    raws = [
        replace(raw, text=text, removed=(*raw.removed, note)) if note is not None else raw
        for raw, (text, note) in zip(raws, repaired, strict=True)
    ]
    split = [paragraphs(raw.text) for raw in raws]
    if repeats is None:
        counts: Counter[str] = Counter()
        for units in split:
            counts.update({_norm(u) for u in units if not _is_sentence_like(u)})
        repeats = counts
    return [_clean_one(raw, units, repeats, config) for raw, units in zip(raws, split, strict=True)]


def clean_article(raw: RawArticle, config: Config | None = None) -> Cleaned:
    """Clean one article on its own cues only."""
    return clean_corpus([raw], config)[0]


def _clean_one(raw: RawArticle, units: list[str], counts: Mapping[str, int], config: Config) -> Cleaned:
    removed: list[Removed] = list(raw.removed)
    kept: list[str] = []
    credits: list[str] = []
    in_related = False
    title_norm = _norm(raw.title or "")
    for unit in units:
        verdict = classify(unit)
        if in_related:
            if verdict is None and _headline_like(unit):
                verdict = ("related", "headline in a related-links block")
            elif verdict is None:
                in_related = False
        if verdict is None and _RELATED_HEAD.match(unit):
            verdict = ("related", "heading of a related-links block")
            in_related = True
        if verdict is None and title_norm and _norm(unit) == title_norm and not kept:
            verdict = ("other", "repeats the headline")
        if (
            verdict is None
            and not _is_sentence_like(unit)
            and counts.get(_norm(unit), 0) >= config.furniture_min_repeats
        ):
            # the threshold, not the count: one more repeat elsewhere leaves this article as it was
            verdict = (
                "boilerplate",
                f"short line repeated in {config.furniture_min_repeats} or more articles of the corpus",
            )
        if verdict is None:
            kept.append(unit)
            match = _DATELINE.match(unit)
            if match:
                credits.append(match.group(1).strip())
            continue
        kind, reason = verdict
        removed.append(Removed(kind=kind, text=unit, reason=reason))
        if kind in ("credit", "caption"):
            credits.extend(_credit_names(unit))
    return Cleaned(
        id=raw.id, text="\n\n".join(kept), removed=tuple(removed), credits=tuple(dict.fromkeys(credits))
    )


def _credit_names(line: str) -> list[str]:
    byline = _BYLINE_NAMES.match(line.strip())
    if byline and len(line.split()) <= 15:
        return [n.strip() for n in re.split(r",|\band\b", byline.group(1)) if n.strip()]
    # "REUTERSRussia's": a caption run into the text; keep the upper-case credit only
    names = [
        re.sub(r"^([A-Z]{2,})[A-Z][a-z].*$", r"\1", m.group(1)).rstrip(".")
        for m in _AGENCY_IN_CAPTION.finditer(line)
    ]
    return names[:3]
