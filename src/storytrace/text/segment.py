"""segment: split cleaned text into sentences with character offsets.

A rule-based splitter tuned for news copy: it keeps abbreviations (Mr., U.S., Jan.), initials,
decimal numbers (also "5. 4 per cent", whose point tokenised text spaced off) and quotations that
close after the full stop inside one sentence.

Other languages (``language`` other than English) use the same rules with the language's own
abbreviations ("Mrd.", "z.B.", "т.е.", "m.in."), ordinal numbers written with a full stop
("am 3. März", "3. maja"), sentences that open with "¿"/"¡" or in a script without capital
letters (Arabic, Hebrew, Chinese), and the full-width stops of Chinese and Japanese ("。", "！",
"？") and the Arabic question mark, which need no space after them. pysbd was measured on the
same cases and split "3,4 млрд. евро", "т.е.", "m.in.", "Sr. García" and a Chinese closing
quotation mark off their sentences, so the rules stay in-house.
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


#: abbreviations (lower case, without the final full stop) of the other languages
_LANG_ABBREVIATIONS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "de": "dr prof nr bzw z.b u.a usw vgl ca st hl str jh jhd abs gegr evtl inkl ggf dt sog mrd mio tsd "
              "hr fr bzw mind max min zzgl abg",
        "fr": "m mm mme mmes mlle dr pr st ste av bd env etc md mds mln mrd éd p. ex",
        "es": "sr sra srta dr dra d dña ud uds av avda núm etc ee.uu mill lic ing gral",
        "it": "sig sigg sig.ra dott prof avv ing on sen dr mln mld ecc geom arch",
        "pl": "prof dr mgr inż hab tys mln mld ul al np m.in tzw ok godz r św gen płk ks nr im",
        "ru": "г гг т.е т.д т.п млн млрд тыс руб долл им ул д стр проф ген см т.н акад",
        "tr": "dr prof doç av yrd vb vs bkz no sn st alb yzb org",
    }.items()
}  # fmt: skip
#: languages that write ordinal numbers with a full stop ("3. März", "3. maja")
_ORDINAL_DOT = frozenset(
    {"de", "pl", "tr", "cs", "sk", "hu", "da", "nb", "fi", "hr", "sl", "sr", "et", "lv", "is"}
)
_FULL_WIDTH = re.compile(r"[。！？!?][”」』）)\"'’]*|؟")
_BOUNDARY_ANY = re.compile(r"[.!?…؟]+(?:[\u00a0\u202f ]?[\"'”’»)\]])*(?=\s+)")


def _starts_sentence(chunk: str, end: int) -> bool:
    """The text after ``end`` opens a sentence: a capital, a digit, an opening mark, or a letter of
    a script without capitals."""
    m = re.match(r"\s+(?:[\"'“‘«„(\[¿¡—–-][\u00a0\u202f ]?)*(.)", chunk[end:])
    if not m:
        return False
    ch = m.group(1)
    return ch.isupper() or ch.isdigit() or (ch.isalpha() and ch.lower() == ch.upper())


def _split_other(chunk: str, language: str) -> list[int]:
    """Sentence ends inside one paragraph of text in ``language`` (not English)."""
    ends: set[int] = set()
    for match in _FULL_WIDTH.finditer(chunk):
        if match.group().startswith(("。", "！", "？", "؟")) and match.end() < len(chunk):
            ends.add(match.end())
    abbreviations = _LANG_ABBREVIATIONS.get(language, frozenset())
    for match in _BOUNDARY_ANY.finditer(chunk):
        end = match.end()
        if not _starts_sentence(chunk, end):
            continue
        dot = match.start()
        if chunk[dot] == ".":
            word = re.search(r"([\w.]+)$", chunk[:dot])
            token = word.group(1).lower().strip(".") if word else ""
            if token in abbreviations or token in _ABBREVIATIONS:
                continue
            if len(token) == 1 and token.isalpha():
                continue  # an initial
            if re.fullmatch(r"(\w\.)+\w", token):
                continue  # a dotted abbreviation
            if language in _ORDINAL_DOT and re.fullmatch(r"\d{1,2}", token):
                continue  # an ordinal: "am 3. März"
        ends.add(end)
    return sorted(ends)


def split_sentences(text: str, language: str = "en") -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``; paragraphs (blank lines) always end one."""
    spans: list[tuple[int, int]] = []
    if language not in ("en", "und"):
        for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
            start = 0
            for end in _split_other(para.group(), language):
                _add(spans, para.group(), para.start(), start, end)
                start = end
            _add(spans, para.group(), para.start(), start, len(para.group()))
        return spans
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


#: a decimal figure whose point tokenised text spaced off ("plunged 5. 4 per cent", "the 6. 1 -
#: magnitude quake"): the point is not a sentence end
_SPACED_DECIMAL = re.compile(
    r"\s\d{1,3}\s*(?:%|per\s*cent\b|percent\b|-\s*magnitude\b|points?\b)", re.IGNORECASE
)


def _is_abbreviation(chunk: str, dot: int) -> bool:
    if chunk[dot] != ".":
        return False
    if re.search(r"(?<![\d.,])\d{1,3}$", chunk[:dot]) and _SPACED_DECIMAL.match(chunk, dot + 1):
        return True
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


def segment(article_id: str, text: str, language: str = "en") -> tuple[Sentence, ...]:
    """Sentences of an article in ``language``, with offsets into ``text`` and the paragraph number."""
    para_starts = [m.start() for m in re.finditer(r"(?:^|\n\s*\n)(?=\S)", text)]
    sentences: list[Sentence] = []
    para = 0
    for index, (start, end) in enumerate(split_sentences(text, language)):
        while para + 1 < len(para_starts) and para_starts[para + 1] <= start:
            para += 1
        sentences.append(Sentence(article_id, index, start, end, text[start:end], para))
    return tuple(sentences)
