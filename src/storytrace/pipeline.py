"""The one place that builds and runs the pipeline:
read -> clean -> segment -> embed -> group -> per story (align, lineage, drift, quotes, consolidate:
:func:`storytrace.story.dossier.analyze_story`) -> :class:`~storytrace.records.Report`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .config import Config
from .errors import NothingToAnalyzeError
from .read.clean import clean_corpus
from .read.inputs import read_inputs
from .records import Alignment, Article, RawArticle, Report, Skipped, Story
from .story.dossier import Vectors, align_all, analyze_story, multilingual_vectors
from .story.group import Grouping, group_articles
from .text.embed import Embedder, get_embedder
from .text.language import detect, is_english, sentence_languages
from .text.segment import segment
from .version import __version__

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
            language = detect(c.text)
            sentences = sentence_languages(c.text, segment(raw.id, c.text, language), language)
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
                    language=language,
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
        vectors, doc_vectors, cross = self.embed_all(articles)
        grouping = group_articles(articles, doc_vectors, self.config, cross)
        stories = self.build_stories(articles, vectors, grouping)
        return Report(__version__, tuple(articles), tuple(stories), tuple(all_skipped))

    def embed_all(
        self, articles: Sequence[Article]
    ) -> tuple[dict[str, npt.NDArray[np.float32]], npt.NDArray[np.float32], npt.NDArray[np.float32] | None]:
        """(English sentence vectors, English document vectors, multilingual document vectors).

        An English-only corpus is embedded as before and never loads the multilingual model
        (the third item is None). Otherwise every article gets multilingual vectors, and only
        the English articles English ones (the rows of the others are zero: their pairs are
        scored and aligned on the multilingual vectors, ``story.crosslingual``)."""
        english = [a for a in articles if is_english(a.language)]
        if len(english) == len(articles):
            vectors = self.embed_sentences(articles)
            return vectors, document_vectors(articles, vectors), None
        vectors = self.embed_sentences(english) if english else {}
        self.progress("embed (multilingual)", 0, len(articles))
        cross = multilingual_vectors(articles, self.config)
        self.progress("embed (multilingual)", len(articles), len(articles))
        width = next(iter(vectors.values())).shape[1] if vectors else 1
        for a in articles:
            if a.id not in vectors:
                vectors[a.id] = np.zeros((len(a.sentences), width), dtype=np.float32)
        return vectors, document_vectors(articles, vectors), document_vectors(articles, cross)

    def align_all(self, members: Sequence[Article], vectors: Vectors) -> list[Alignment]:
        """Every pair of ``members`` aligned (each pair once, in input order)."""
        return align_all(members, vectors, self.config)

    def build_stories(self, articles: Sequence[Article], vectors: Vectors, grouping: Grouping) -> list[Story]:
        """Each cluster of ``grouping`` analysed as one story (``story-1``, ``story-2``, ...)."""
        stories: list[Story] = []
        total = len(grouping.clusters)
        for number, cluster in enumerate(grouping.clusters, start=1):
            members = [articles[i] for i in cluster]
            stories.append(analyze_story(f"story-{number}", members, vectors, self.config))
            self.progress("stories", number, total)
        return stories


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
