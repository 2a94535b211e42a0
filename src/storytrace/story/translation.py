"""translation: versions of a story in different languages, aligned, related and compared.

- **Alignment** (:func:`align_pair`): a pair that involves an article not in English is aligned
  on the multilingual sentence vectors (``text.multilingual_embed``) with their own link
  threshold :data:`LINK`. A link between sentences in two languages is a ``translation`` when it
  is as close as a faithful sentence translation (cosine at least :data:`STRONG`) and neither
  side carries a figure the other lacks, else ``translation-rewritten`` (linked, but
  loosely or with material added or dropped). Within one language other than English,
  ``paraphrase`` and ``rewritten`` are told apart the same way (the English judge of
  ``story.meaning`` reads English words).
- **Lineage**: a derivation whose links are mostly translations is a ``translation`` edge
  (``story.lineage``); the deviation vote across three versions compares what survives
  translation (:func:`anchors`: figures and names) where the versions are in different
  languages.
- **Drift** (:func:`compare_across`): across languages only what can be compared without
  translating prose is compared: numbers with their scale words and per cent or currency
  ("3,4 Milliarden" = "3.4 billion"), dates (month and weekday names in each language), names
  after transliteration, and negation where the language's negation words are known
  (``text.locale_facts.NEGATION``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..records import Alignment, Article, Link, LinkLabel, Sentence
from ..text.language import is_english, sentence_language
from ..text.locale_facts import CURRENCY_WORDS, negations, script, translit
from ..text.mentions import DateMention, SentenceFacts, extract_numbers
from .align import align

#: multilingual (USE) cosine needed for a link between two sentences. On MRPC's tuning half the
#: best threshold between paraphrases and related sentences of one news cluster is 0.71 (English
#: with English); a sentence and its translation sit lower, across the language gap (0.61 to 0.92
#: for the hand translations of examples/translations, median 0.81), so the link threshold is lower
LINK = 0.6
#: a sentence left between two links, whose neighbours are linked to the neighbours of a sentence
#: left on the other side, is linked to it at this lower cosine (the order of a translation)
GAP = 0.4
#: multilingual cosine of a faithful sentence translation, a strong link like a near-verbatim copy:
#: MRPC's best cut between paraphrases and related sentences of one news cluster (0.71, tuning half)
STRONG = 0.7
TRANSLATION_LABELS: tuple[LinkLabel, ...] = ("translation", "translation-rewritten")
#: names compared across languages: on the English side people only (spaCy's PERSON), whose names
#: are not translated; places and organisations change their names with the language (Geneva,
#: Genf, Ginebra; State Waterways Agency, Staatliche Wasserstraßenbehörde). On the other side,
#: capitalised words (``text.locale_facts.name_words``)
_NAME_TYPES = {"PERSON", "NAME"}
#: a "person" ending in one of these is a place or a body the parser took for a person
_NOT_PERSON_HEADS = frozenset(
    "canal river sea lake port bridge street road square university college agency authority ministry party "
    "council company bank group airport station mountain mountains island islands bay gulf ocean park "
    "hospital school court palace tower".split()
)


def multilingual(a: Article, b: Article) -> bool:
    """The pair involves an article that is not in English: it is compared on the multilingual
    vectors and on what survives translation."""
    return not (is_english(a.language) and is_english(b.language))


def align_pair(
    a: Article,
    b: Article,
    vectors_a: npt.NDArray[np.float32],
    vectors_b: npt.NDArray[np.float32],
    config: Config,
) -> Alignment:
    """Align ``b`` to ``a`` on multilingual sentence vectors and label the links (module doc)."""
    al = align(a.sentences, b.sentences, vectors_a, vectors_b, replace(config, link_threshold=LINK,
                                                                       rewrite_labels=False))  # fmt: skip
    links = _fill_gaps(list(al.links), vectors_a, vectors_b)
    links = sorted((_relabel(lk, a, b) for lk in links), key=lambda lk: (lk.target[0], lk.source[0]))
    linked_a = {i for lk in links for i in lk.source}
    linked_b = {j for lk in links for j in lk.target}
    n, m = len(a.sentences), len(b.sentences)
    return replace(
        al,
        links=tuple(links),
        source_unaligned=tuple(i for i in range(n) if i not in linked_a),
        target_unaligned=tuple(j for j in range(m) if j not in linked_b),
        source_coverage=len(linked_a) / n if n else 0.0,
        target_coverage=len(linked_b) / m if m else 0.0,
    )


def _fill_gaps(
    links: list[Link], vectors_a: npt.NDArray[np.float32], vectors_b: npt.NDArray[np.float32]
) -> list[Link]:
    """Link the one sentence left between two consecutive links on each side (a translation keeps
    the order: the sentence between them is its counterpart), when their cosine is at least
    :data:`GAP`; a changed figure or name lowers the cosine of exactly such a pair."""
    n, m = len(vectors_a), len(vectors_b)
    linked_a = {i for lk in links for i in lk.source}
    linked_b = {j for lk in links for j in lk.target}
    anchors_ = sorted((lk.source[-1], lk.target[-1], lk.source[0], lk.target[0]) for lk in links)
    bounds = [(-1, -1, -1, -1), *anchors_, (n, m, n, m)]
    out = list(links)
    for before, after in itertools.pairwise(bounds):
        i, j = before[0] + 1, before[1] + 1
        if after[2] - before[0] != 2 or after[3] - before[1] != 2 or i in linked_a or j in linked_b:
            continue
        if i >= n or j >= m:
            continue
        cos = float(vectors_a[i] @ vectors_b[j])
        if cos >= GAP:
            out.append(Link((i,), (j,), "translation-rewritten", round(cos, 4)))
    return out


def _relabel(link: Link, a: Article, b: Article) -> Link:
    if link.label in ("verbatim", "near-verbatim"):
        return link
    src = [a.sentences[i] for i in link.source]
    tgt = [b.sentences[j] for j in link.target]
    across = {sentence_language(s, a.language) for s in src} != {
        sentence_language(t, b.language) for t in tgt
    }
    faithful = link.score >= STRONG and not _unmatched(src, a.language, tgt, b.language)  # figures
    label: LinkLabel
    if across:
        label = "translation" if faithful else "translation-rewritten"
    else:
        label = "paraphrase" if faithful else "rewritten"
    return replace(link, label=label)


# ---------------------------------------------------------------- anchors: what survives translation
def anchors(text: str, language: str) -> tuple[frozenset[float], frozenset[str]]:
    """The figures (values; years and dates left out) and the names (transliterated, lower
    case) of a passage."""
    from ..text.locale_facts import name_words, numbers

    if is_english(language):
        values = {n.value for n in extract_numbers(text, _english_date_spans(text))}
    else:
        values = {n.value for n in numbers(text, language)}
    names = {translit(w) for w in name_words(text, language)}
    return frozenset(values), frozenset(n for n in names if len(n) >= 3)


def _english_date_spans(text: str) -> list[tuple[int, int]]:
    from ..text.mentions import extract_dates

    return extract_dates(text)[1]


def _unmatched(src: Sequence[Sentence], src_lang: str, tgt: Sequence[Sentence], tgt_lang: str) -> bool:
    """One side carries a figure that has no counterpart on the other (material added or
    dropped; a figure *replaced* by another is drift, not rewriting). Names are not counted:
    capitalised words are nouns in German and titles in English."""
    va, _ = anchors(" ".join(s.text for s in src), src_lang)
    vb, _ = anchors(" ".join(t.text for t in tgt), tgt_lang)
    # small numbers are often words that translate to no number ("our two economies", "unsere beiden")
    big_a, big_b = {v for v in va if v > 10}, {v for v in vb if v > 10}
    return bool(big_a - big_b) != bool(big_b - big_a)


def _present(name: str, names: frozenset[str] | set[str]) -> bool:
    import jellyfish

    return name in names or any(jellyfish.jaro_winkler_similarity(name, n) >= 0.92 for n in names)


def anchor_deviation(texts: dict[str, str], languages: dict[str, str]) -> tuple[str, str] | None:
    """The deviation vote for one passage in three versions, not all in one language: the
    version whose figures or names differ where the other two agree (a changed figure, another
    name), with the words that show it; None when no single version deviates."""
    facts = {x: anchors(t, languages[x]) for x, t in texts.items()}
    ids = list(texts)
    for deviant in ids:
        x, y = [k for k in ids if k != deviant]
        (vx, nx), (vy, ny), (vd, nd) = facts[x], facts[y], facts[deviant]
        shared_v = (vx & vy) - vd
        shared_n = {n for n in nx if _present(n, frozenset(ny)) and not _present(n, nd)}
        own_v = vd - vx - vy
        own_n = {n for n in nd if not _present(n, nx) and not _present(n, ny)}
        if (shared_v and own_v) or (shared_n and own_n):
            lost = [_fmt(v) for v in sorted(shared_v)] + sorted(shared_n)
            new = [_fmt(v) for v in sorted(own_v)] + sorted(own_n)
            return (
                deviant,
                f"{deviant} has {' '.join(new[:4])!r} where the others have {' '.join(lost[:4])!r}",
            )
    return None


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


# ---------------------------------------------------------------- drift across languages
#: one fact change: kind, before, after, variant (a spelling variant of the same name)
Change = tuple[str, str, str, bool]


def compare_across(src: SentenceFacts, tgt: SentenceFacts, strong: bool) -> list[Change]:
    """Fact changes between two aligned passages in different languages (or in one language
    other than English): numbers, dates, names and negation (module doc). ``strong``: the
    passages are faithful translations of each other (a ``translation`` link)."""
    changes = _numbers(src, tgt) + _dates(src, tgt) + _names(src, tgt)
    if strong:
        changes += _negation(src, tgt)
    return changes


def _numbers(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    def key(unit: str | None) -> str | None:
        if unit in CURRENCY_WORDS or unit in ("currency", "usd"):
            return "currency"
        return unit if unit == "%" else None  # English counted nouns are not comparable across languages

    s_values = Counter(round(n.value, 6) for n in src.numbers)
    t_values = Counter(round(n.value, 6) for n in tgt.numbers)
    lost = [n for n in src.numbers if round(n.value, 6) not in t_values]
    new = [n for n in tgt.numbers if round(n.value, 6) not in s_values]
    out: list[Change] = []
    used: set[int] = set()
    for s in lost:
        match = next(
            (k for k, t in enumerate(new) if k not in used and key(t.unit) == key(s.unit) and s.unit), None
        )
        if match is None and len(lost) == 1 and len(new) == 1 and key(s.unit) == key(new[0].unit):
            match = 0
        if match is None:
            continue
        used.add(match)
        out.append(("number", s.text, new[match].text, False))
    return out


def _same_kind(s: DateMention, t: DateMention) -> bool:
    return (
        (s.weekday is not None and t.weekday is not None)
        or (s.month is not None and t.month is not None)
        or (s.year is not None and t.year is not None and s.month is None and t.month is None)
        or (s.relative is not None and s.relative == t.relative)
    )


def _dates(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    lost = [d for d in src.dates if not any(d.compatible(t) for t in tgt.dates)]
    new = [t for t in tgt.dates if not any(t.compatible(d) for d in src.dates)]
    out: list[Change] = []
    used: set[int] = set()
    for s in lost:
        k = next((k for k, t in enumerate(new) if k not in used and _same_kind(s, t)), None)
        if k is not None:
            used.add(k)
            out.append(("date", s.text, new[k].text, False))
    return out


def _name_set(facts: SentenceFacts) -> dict[str, str]:
    """Transliterated name words -> as written, from entities of the types compared across
    languages (English: spaCy's; other languages: capitalised words)."""
    out: dict[str, str] = {}
    for e in facts.entities:
        if e.label not in _NAME_TYPES or (
            e.label == "PERSON" and e.text.split()[-1].lower() in _NOT_PERSON_HEADS
        ):
            continue
        for word in re.findall(r"[^\W\d_]+", e.text):
            key = translit(word)
            if len(key) >= 3 and word[:1].isupper():
                out.setdefault(key, word)
    return out


def _names(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    """A name spelled otherwise (same script: transliterations differ by design across scripts),
    or replaced by another: one name lost and one new in passages that share another name ("Lennart
    Hvidsteen" / "Lennart Holmberg")."""
    s_names, t_names = _name_set(src), _name_set(tgt)
    s_words = {translit(w) for w in re.findall(r"[^\W\d_]+", src.text)}
    t_words = {translit(w) for w in re.findall(r"[^\W\d_]+", tgt.text)}
    lost = [k for k in s_names if not _present(k, t_words)]
    new = [k for k in t_names if not _present(k, s_words)]
    if not lost or not new:
        return []
    anchored = any(_present(k, t_words) for k in s_names)
    import jellyfish

    same_script = script(src.text) == script(tgt.text)
    out: list[Change] = []
    used: set[str] = set()
    for s in lost:
        best = max((n for n in new if n not in used), key=lambda n: jellyfish.jaro_winkler_similarity(s, n),
                   default=None)  # fmt: skip
        if best is None:
            break
        close = jellyfish.jaro_winkler_similarity(s, best) >= 0.85
        if close and _declined(s, best):
            continue  # "Andrzeja Dudy" (Polish genitive) / "Andrzej Duda": one name in two grammatical cases
        if close and same_script:  # across scripts, transliterations differ by design
            used.add(best)
            out.append(("name", s_names[s], t_names[best], True))
        elif not close and anchored and len(lost) == 1 and len(new) == 1:
            used.add(best)
            out.append(("name", s_names[s], t_names[best], False))
    return out


#: case endings of names in the inflected languages compared (Polish, Czech, Russian transliterated,
#: German genitive, Latin): "Dudy", "Andrzeja", "Tuskiem", "Merkels" are Duda, Andrzej, Tusk, Merkel
_CASE_ENDINGS = frozenset(
    "a e i o u y s es em iem om ie ow owi ego emu iego iemu ym im ach ami ov ova ovi ou ej".split()
)


def _declined(a: str, b: str) -> bool:
    """Two transliterated name words that are one name with different case endings: a stem of at
    least three letters in common and the rest of each an ending (or nothing)."""
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    if k < 3:
        return False
    # the stem may end in a letter the ending replaces ("Duda" / "Dudy": stem "dud")
    return all(tail == "" or tail in _CASE_ENDINGS for tail in (a[k:], b[k:]))


def _negation(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    a, b = negations(src.text, src.language), negations(tgt.text, tgt.language)
    if bool(a) == bool(b) or not _negation_known(src.language) or not _negation_known(tgt.language):
        return []
    said = _cue_context(src.text, a[0]) if a else _cue_context(tgt.text, b[0])
    return [("negation", said, "(no negation)", False) if a else ("negation", "(no negation)", said, False)]


def _negation_known(language: str) -> bool:
    from ..text.locale_facts import NEGATION

    return language in NEGATION and language != "tr"  # Turkish negates with a verb suffix


def _cue_context(text: str, cue: str) -> str:
    """The negation word with the words around it ("would not be directed")."""
    m = re.search(rf"(?:\S+\s+)?\S*{re.escape(cue)}\S*(?:\s+\S+){{0,2}}", text, re.IGNORECASE)
    return m.group(0).strip(" ,.;:") if m else cue
