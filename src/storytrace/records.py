"""Typed, frozen records passed between the pipeline stages.

The report and the store serialise these records and nothing else. High-volume records use
``slots``. Every record keeps the user's own article id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

#: "encoding" is not a removal but a repair: mojibake fixed at ingest (``read.clean.repair_encoding``)
RemovedKind = Literal["caption", "comment", "boilerplate", "related", "credit", "encoding", "other"]
#: "translation": a sentence and its translation in another language (as close as a near-verbatim
#: copy); "translation-rewritten": linked across languages, but loosely or with material added or
#: dropped (``story.translation``)
LinkLabel = Literal[
    "verbatim", "near-verbatim", "paraphrase", "rewritten", "translation", "translation-rewritten"
]
#: labels of links made on meaning, not on shared characters (a faithful "translation" is not one:
#: like a near-verbatim copy, it is hard to get without deriving one text from the other)
SEMANTIC_LABELS: tuple[LinkLabel, ...] = ("paraphrase", "rewritten", "translation-rewritten")
#: "translation": the target is the source (or part of it) in another language
Relation = Literal["copy", "rewrite", "partial", "translation"]


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input (file, or one line of a JSONL file) that could not be used, and why."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


def skipped_lines(skipped: Sequence[Skipped], limit: int = 50) -> list[str]:
    """Summary lines naming the first ``limit`` skipped inputs, then how many more there are."""
    lines = [f"skipped {s}" for s in skipped[:limit]]
    if len(skipped) > limit:
        lines.append(f"... and {len(skipped) - limit} more skipped input(s)")
    return lines


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article as read from its input, before cleaning."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: datetime | None = None
    path: str | None = None
    line: int | None = None
    #: text that ingest already removed (for example a byline taken off the top of a text file)
    removed: tuple[Removed, ...] = ()


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of text taken out of an article by cleaning, with its kind and the reason."""

    kind: RemovedKind
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article's cleaned text; ``start``/``end`` are character offsets."""

    article: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    #: ISO 639-1 code where the sentence is in another language than its article (mixed text)
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned, segmented article."""

    id: str
    text: str
    sentences: tuple[Sentence, ...]
    removed: tuple[Removed, ...] = ()
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: datetime | None = None
    #: agencies and authors the article credits (dateline "(Agency)", "Written by ...", "© ...")
    credits: tuple[str, ...] = ()
    path: str | None = None
    #: ISO 639-1 code of the article's language ("und": undetermined; see ``text.language``)
    language: str = "und"


@dataclass(frozen=True, slots=True)
class CandidatePair:
    """Two articles that may tell the same story, with the signals that scored them."""

    a: str
    b: str
    score: float
    minhash: float
    tfidf: float
    embedding: float
    entities: float


@dataclass(frozen=True, slots=True)
class Link:
    """An aligned group: source sentence indexes linked to target sentence indexes."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    label: LinkLabel
    score: float


@dataclass(frozen=True)
class Alignment:
    """The sentence alignment of one article pair (``source`` and ``target`` are article ids)."""

    source: str
    target: str
    links: tuple[Link, ...]
    source_unaligned: tuple[int, ...]
    target_unaligned: tuple[int, ...]
    #: fraction of source sentences / target sentences that are linked
    source_coverage: float
    target_coverage: float
    #: rank correlation of linked positions (1.0: same order)
    order: float

    def count(self, *labels: LinkLabel) -> int:
        """Number of target sentences linked with one of ``labels``."""
        return sum(len(link.target) for link in self.links if link.label in labels)

    def reversed(self) -> Alignment:
        """The same alignment seen from the other side."""
        return Alignment(
            source=self.target,
            target=self.source,
            links=tuple(Link(lk.target, lk.source, lk.label, lk.score) for lk in self.links),
            source_unaligned=self.target_unaligned,
            target_unaligned=self.source_unaligned,
            source_coverage=self.target_coverage,
            target_coverage=self.source_coverage,
            order=self.order,
        )


@dataclass(frozen=True)
class Derivation:
    """A directed derivation edge: ``target`` was derived from ``source``."""

    source: str
    target: str
    relation: Relation
    confidence: float
    verbatim: int
    paraphrase: int
    added: int
    dropped: int
    evidence: tuple[str, ...]
    near_verbatim: int = 0
    #: target sentences linked on meaning whose meaning changed (see ``LinkLabel``)
    rewritten: int = 0
    #: target sentences that translate a source sentence, faithfully or not (see ``LinkLabel``)
    translation: int = 0
    translation_rewritten: int = 0


DriftKind = Literal["name", "number", "date", "quote", "status", "negation", "other"]
#: what kind of difference a drift is (``story.difference``): ``conflict`` (the same fact with
#: another value, in articles close in time), ``update`` (a later article revises a developing
#: figure or status), ``variant`` (a spelling, rendering or trimming of the same name or quote),
#: ``rewording`` (the wording changed the meaning)
DifferenceKind = Literal["conflict", "update", "variant", "rewording"]
DIFFERENCE_ORDER: tuple[DifferenceKind, ...] = ("conflict", "update", "rewording", "variant")


@dataclass(frozen=True, slots=True)
class Drift:
    """One fact that changed from ``source`` to ``target``, with the sentences that show it.
    ``before``/``after`` hold the changed words; ``variant`` (names only): same entity, other spelling;
    ``difference``: conflict, update, variant or rewording (see ``DifferenceKind``)."""

    source: str
    target: str
    kind: DriftKind
    before: str
    after: str
    source_sentence: str
    target_sentence: str
    variant: bool = False
    difference: DifferenceKind = "conflict"


@dataclass(frozen=True)
class Rendering:
    """One wording of a quotation and the sources that carry it."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class QuoteGroup:
    """A quotation with its speaker and each of its renderings across sources."""

    speaker: str | None
    renderings: tuple[Rendering, ...]


@dataclass(frozen=True)
class FactVersion:
    """A fact as worded in one language, and the sources that carry it in that language."""

    language: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    """A claim: aligned sentences across sources, with its supporting sources."""

    text: str
    sources: tuple[str, ...]
    single_source: bool
    conflicts: tuple[str, ...] = ()
    #: distinct derivation families (plus independent articles) among the sources
    independent_sources: int = 1
    #: its wording in each language of its sources (stories in more than one language only)
    versions: tuple[FactVersion, ...] = ()


@dataclass(frozen=True)
class EntityInfo:
    """A person or organisation with the roles the articles give it."""

    name: str
    type: str
    roles: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEvent:
    """A dated event: ``date`` is an ISO date, ``YYYY-MM`` or ``YYYY``; ``end`` closes a range."""

    date: str
    event: str
    sources: tuple[str, ...]
    #: the words that gave the date, as written ("last September")
    said: str = ""
    end: str | None = None


@dataclass(frozen=True)
class SummarySentence:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Dossier:
    """Drift, quotations and the consolidated story of one story."""

    drift: tuple[Drift, ...] = ()
    quotes: tuple[QuoteGroup, ...] = ()
    facts: tuple[Fact, ...] = ()
    entities: tuple[EntityInfo, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    summary: tuple[SummarySentence, ...] = ()


@dataclass(frozen=True)
class Story:
    """A same-story cluster with its derivation graph."""

    id: str
    articles: tuple[str, ...]
    origin: str | None
    derivations: tuple[Derivation, ...] = ()
    #: families: groups of articles joined by derivation edges, each with its likely original
    families: tuple[tuple[str, ...], ...] = ()
    alignments: tuple[Alignment, ...] = field(default=(), repr=False)
    dossier: Dossier = field(default_factory=Dossier)


@dataclass(frozen=True)
class Report:
    """The result of :func:`storytrace.analyze`."""

    version: str
    articles: tuple[Article, ...]
    stories: tuple[Story, ...]
    skipped: tuple[Skipped, ...]
