"""The one place that builds and runs the pipeline:
ingest -> clean -> segment -> embed -> group -> align -> lineage -> drift/quotes/consolidate -> report."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from . import __version__, nlp
from .align import align
from .clean import clean_corpus
from .config import Config
from .consolidate import (
    build_claims,
    build_entities,
    build_facts,
    build_summary,
    build_timeline,
    reference_date,
)
from .drift import story_drift
from .embed import Embedder, get_embedder
from .errors import NothingToAnalyzeError
from .facts import sentence_facts
from .group import Grouping, group_articles
from .ingest import read_inputs
from .lineage import Lineage, build_lineage
from .quotes import extract_quote_instances, group_quotes
from .records import Alignment, Article, Dossier, RawArticle, Report, Skipped, Story
from .segment import segment

log = logging.getLogger(__name__)

#: progress callback: (stage, done, total)
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class Pipeline:
    """The analysis pipeline built from one :class:`Config`."""

    config: Config = field(default_factory=Config)
    embedder: Embedder | None = None
    progress: Progress = _no_progress

    @classmethod
    def from_config(cls, config: Config, progress: Progress | None = None) -> Pipeline:
        return cls(config=config, embedder=None, progress=progress or _no_progress)

    def _embedder(self) -> Embedder:
        if self.embedder is None:
            self.embedder = get_embedder(self.config.model, self.config.batch_size)
        return self.embedder

    def analyze_paths(self, paths: Iterable[str | Path]) -> Report:
        ingested = read_inputs(paths, self.config)
        return self.analyze_raw(ingested.articles, ingested.skipped)

    def prepare(
        self, raws: Sequence[RawArticle], skipped: Sequence[Skipped] = ()
    ) -> tuple[list[Article], list[Skipped]]:
        """Clean and segment; articles left with no sentence are skipped with a reason."""
        self.progress("clean", 0, len(raws))
        cleaned = clean_corpus(raws, self.config)
        articles: list[Article] = []
        skipped = list(skipped)
        for raw, c in zip(raws, cleaned, strict=True):
            sentences = segment(raw.id, c.text)
            if not sentences:
                skipped.append(Skipped(raw.path or raw.id, raw.line, "no article text left after cleaning"))
                continue
            articles.append(
                Article(
                    id=raw.id,
                    text=c.text,
                    sentences=sentences,
                    removed=c.removed,
                    title=raw.title,
                    source=raw.source,
                    url=raw.url,
                    published=raw.published,
                    credits=c.credits,
                    path=raw.path,
                )
            )
        self.progress("clean", len(raws), len(raws))
        return articles, skipped

    def embed_sentences(self, articles: Sequence[Article]) -> dict[str, npt.NDArray[np.float32]]:
        embedder = self._embedder()
        out: dict[str, npt.NDArray[np.float32]] = {}
        total = len(articles)
        step = max(1, total // 50)
        batch: list[Article] = []
        done = 0
        for article in articles:
            batch.append(article)
            if sum(len(a.sentences) for a in batch) >= 512 or len(batch) >= step:
                self._embed_batch(embedder, batch, out)
                done += len(batch)
                batch = []
                self.progress("embed", done, total)
        if batch:
            self._embed_batch(embedder, batch, out)
            self.progress("embed", total, total)
        return out

    @staticmethod
    def _embed_batch(
        embedder: Embedder, batch: Sequence[Article], out: dict[str, npt.NDArray[np.float32]]
    ) -> None:
        texts = [s.text for a in batch for s in a.sentences]
        vectors = embedder.encode(texts)
        start = 0
        for a in batch:
            out[a.id] = vectors[start : start + len(a.sentences)]
            start += len(a.sentences)

    def analyze_raw(self, raws: Sequence[RawArticle], skipped: Sequence[Skipped] = ()) -> Report:
        articles, all_skipped = self.prepare(raws, skipped)
        if not articles:
            raise NothingToAnalyzeError(
                f"nothing to analyse: all {len(all_skipped)} input(s) were skipped", tuple(all_skipped)
            )
        vectors = self.embed_sentences(articles)
        doc_vectors = document_vectors(articles, vectors)
        grouping = group_articles(articles, doc_vectors, self.config)
        stories = self.build_stories(articles, vectors, grouping)
        return Report(__version__, tuple(articles), tuple(stories), tuple(all_skipped))

    def align_all(
        self, members: Sequence[Article], vectors: dict[str, npt.NDArray[np.float32]]
    ) -> list[Alignment]:
        """Every pair of ``members`` aligned (each pair once, in input order)."""
        return [
            align(a.sentences, b.sentences, vectors[a.id], vectors[b.id], self.config)
            for a, b in itertools.combinations(members, 2)
        ]

    def build_stories(
        self, articles: Sequence[Article], vectors: dict[str, npt.NDArray[np.float32]], grouping: Grouping
    ) -> list[Story]:
        stories: list[Story] = []
        total = len(grouping.clusters)
        for number, cluster in enumerate(grouping.clusters, start=1):
            members = [articles[i] for i in cluster]
            alignments = self.align_all(members, vectors)
            lineage = build_lineage(members, alignments, self.config)
            dossier = (
                build_dossier(members, alignments, lineage, vectors, self.config)
                if self.config.dossier
                else Dossier()
            )
            stories.append(
                Story(
                    id=f"story-{number}",
                    articles=tuple(a.id for a in members),
                    origin=lineage.origin,
                    derivations=lineage.derivations,
                    families=lineage.families,
                    alignments=tuple(alignments),
                    dossier=dossier,
                )
            )
            self.progress("stories", number, total)
        return stories


def build_dossier(
    members: Sequence[Article],
    alignments: Sequence[Alignment],
    lineage: Lineage,
    vectors: dict[str, npt.NDArray[np.float32]],
    config: Config,
) -> Dossier:
    """Drift along the derivation edges, quotations, facts, entities, timeline and summary."""
    nodes = [(a, s) for a in members for s in a.sentences]
    parsed = nlp.parse([s.text for _, s in nodes], config.spacy_model)
    docs = {(a.id, s.index): d for (a, s), d in zip(nodes, parsed, strict=True)}
    facts = {key: sentence_facts(doc.text, doc) for key, doc in docs.items()}
    by_id = {a.id: a for a in members}
    claims = build_claims(members, alignments, lineage.origin)
    instances = [
        q for a in members for q in extract_quote_instances(a, [docs[(a.id, s.index)] for s in a.sentences])
    ]
    return Dossier(
        drift=tuple(story_drift(lineage.derivations, alignments, facts)),
        quotes=tuple(group_quotes(instances, alignments, [a.id for a in members])),
        facts=tuple(build_facts(claims, by_id, facts, lineage.families, alignments, vectors)),
        entities=tuple(build_entities(members, docs)),
        timeline=tuple(build_timeline(claims, by_id, facts, reference_date(members, facts))),
        summary=tuple(build_summary(claims, by_id, vectors, lineage.families)),
    )


def document_vectors(
    articles: Sequence[Article], vectors: dict[str, npt.NDArray[np.float32]]
) -> npt.NDArray[np.float32]:
    """Normalised mean of each article's sentence vectors."""
    rows = []
    for a in articles:
        v = vectors[a.id].mean(axis=0)
        norm = float(np.linalg.norm(v))
        rows.append(v / norm if norm else v)
    return np.asarray(rows, dtype=np.float32)


def analyze(
    paths: Iterable[str | Path], config: Config | None = None, progress: Progress | None = None
) -> Report:
    """Analyse articles at ``paths`` (files or directories): the library's main entry point."""
    return Pipeline.from_config(config or Config(), progress).analyze_paths(paths)
