"""quotes: every quotation with its speaker, and the same quotation's renderings across sources.

A quotation is attributed to the subject of a verb of saying in its sentence ("…," said X;
X told reporters "…"); a pronoun subject resolves to the last person named before it; a
sentence that is only a quotation continues the previous speaker's quote. Quotations are the
same when their sentences are aligned or their words largely overlap, and the speakers agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from ..records import Alignment, Article, QuoteGroup, Rendering
from ..text.mentions import canonical_words, extract_quotes, norm_name
from ..text.words import content_words

SAY = {"say", "tell", "add", "state", "note", "write", "ask", "reply", "declare", "warn", "insist", "stress",
       "emphasize", "emphasise", "comment", "explain", "claim", "describe", "call", "dismiss", "promise", "quote",
       "reiterate", "announce", "argue", "told", "said", "underline", "conclude", "accuse"}  # fmt: skip
PRONOUNS = {"he", "she", "they", "it", "i", "we"}


@dataclass(frozen=True)
class QuoteInstance:
    article: str
    sentence: int
    text: str
    speaker: str | None


def _speaker_of(
    doc: Any, last_person: str | None, quoted: Sequence[str], continues: str | None
) -> str | None:
    """The subject of a verb of saying; else, for a sentence that is only a quotation, the
    previous speaker (``continues``); else the first person named outside the quotation."""
    for tok in doc:
        if tok.lemma_.lower() in SAY or tok.lower_ in SAY:
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    if child.lower_ in PRONOUNS:
                        return last_person
                    ent = next((e for e in doc.ents if e.start <= child.i < e.end and e.label_ in ("PERSON", "ORG",
                                "GPE", "NORP")), None)  # fmt: skip
                    if ent is not None:
                        return str(ent.text)
                    compound = [c for c in child.children if c.dep_ == "compound"]
                    start = min([c.i for c in compound] + [child.i])
                    phrase = str(doc[start : child.i + 1].text)
                    if any(ch.isupper() for ch in phrase):  # a named speaker, not "what" or "officials"
                        return phrase
    outside = doc.text
    for q in quoted:
        outside = outside.replace(q, "")
    if len(canonical_words(outside)) <= 2:
        return continues
    persons = [e.text for e in doc.ents if e.label_ == "PERSON" and not any(e.text in q for q in quoted)]
    return persons[0] if persons else None


def extract_quote_instances(article: Article, docs: Sequence[Any]) -> list[QuoteInstance]:
    """Quotations (three words or more) of one article with their speakers."""
    out: list[QuoteInstance] = []
    last_person: str | None = None
    last_speaker: str | None = None
    for sent, doc in zip(article.sentences, docs, strict=True):
        quotes = [q for q in extract_quotes(sent.text) if len(q.split()) >= 3]
        if quotes:
            speaker = _speaker_of(doc, last_person, quotes, last_speaker)
            for q in quotes:
                out.append(QuoteInstance(article.id, sent.index, q, speaker))
            last_speaker = speaker or last_speaker
        persons = [e.text for e in doc.ents if e.label_ == "PERSON"]
        if persons:
            last_person = persons[-1]
    return out


def _speaker_key(name: str | None, known: dict[str, str]) -> str | None:
    if not name:
        return None
    norm = norm_name(name)
    return known.get(norm, norm)


def _canonical_speakers(instances: Sequence[QuoteInstance]) -> dict[str, str]:
    """Map short forms ("kirby") to the one full name that ends with them ("john kirby")."""
    norms = {norm_name(i.speaker) for i in instances if i.speaker}
    out: dict[str, str] = {}
    for n in norms:
        longer = [m for m in norms if m != n and (m.endswith(" " + n) or m.split()[-1] == n.split()[-1])
                  and len(m) > len(n)]  # fmt: skip
        if len(longer) == 1:
            out[n] = longer[0]
    return out


def group_quotes(
    instances: Sequence[QuoteInstance], alignments: Sequence[Alignment], order: Sequence[str]
) -> list[QuoteGroup]:
    """Group the same quotation across sources; each distinct wording is one rendering."""
    if not instances:
        return []
    known = _canonical_speakers(instances)
    linked: set[tuple[tuple[str, int], tuple[str, int]]] = set()
    for al in alignments:
        for lk in al.links:
            for i in lk.source:
                for j in lk.target:
                    linked.add(((al.source, i), (al.target, j)))
                    linked.add(((al.target, j), (al.source, i)))
    words = [content_words(q.text) for q in instances]
    parent = list(range(len(instances)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in range(len(instances)):
        for b in range(a + 1, len(instances)):
            qa, qb = instances[a], instances[b]
            if qa.article == qb.article:
                continue
            sa, sb = _speaker_key(qa.speaker, known), _speaker_key(qb.speaker, known)
            if sa and sb and sa != sb and fuzz.ratio(sa, sb) < 80:
                continue  # different speakers (a garbled spelling of one name still matches)
            overlap = len(words[a] & words[b]) / max(1, min(len(words[a]), len(words[b])))
            aligned = ((qa.article, qa.sentence), (qb.article, qb.sentence)) in linked
            if overlap >= 0.6 or (aligned and overlap >= 0.3):
                parent[find(a)] = find(b)
    groups: dict[int, list[QuoteInstance]] = defaultdict(list)
    for k, inst in enumerate(instances):
        groups[find(k)].append(inst)
    rank = {a: k for k, a in enumerate(order)}
    out: list[QuoteGroup] = []
    for members in groups.values():
        speakers = Counter(_speaker_key(m.speaker, known) for m in members if m.speaker)
        display = {_speaker_key(m.speaker, known): m.speaker for m in members if m.speaker}
        top = speakers.most_common(1)[0][0] if speakers else None
        name = max((m.speaker for m in members if m.speaker and _speaker_key(m.speaker, known) == top),
                   key=len, default=display.get(top))  # fmt: skip
        renderings: dict[tuple[str, ...], list[QuoteInstance]] = defaultdict(list)
        for m in members:
            renderings[tuple(canonical_words(m.text))].append(m)
        rends = [
            Rendering(
                text=ms[0].text, sources=tuple(sorted({m.article for m in ms}, key=lambda a: rank.get(a, 0)))
            )
            for ms in renderings.values()
        ]
        rends.sort(key=lambda r: (-len(r.sources), rank.get(r.sources[0], 0)))
        out.append(QuoteGroup(speaker=name, renderings=tuple(rends)))
    out.sort(key=lambda g: (-sum(len(r.sources) for r in g.renderings), g.speaker or "~"))
    return out
