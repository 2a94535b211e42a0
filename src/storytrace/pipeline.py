"""The one place that builds and runs the pipeline:
read -> clean -> segment -> embed -> group -> per story (align, lineage, drift, quotes, consolidate:
:func:`storytrace.story.dossier.analyze_story`) -> :class:`~storytrace.records.Report`.

The store (``storytrace.corpus``) calls the same public steps (:meth:`Pipeline.prepare_each`,
:meth:`Pipeline.embed_sentences`, :meth:`Pipeline.document_vectors`, :meth:`Pipeline.group`,
:meth:`Pipeline.analyze_story`) one ingest at a time, so both give the same answers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .config import Config
from .errors import NothingToAnalyzeError
from .read.clean import clean_corpus
from .read.inputs import read_inputs
from .records import Alignment, Article, RawArticle, Report, Skipped, Story
from .story.batch import analyze_stories, cross_document_vectors
from .story.dossier import Vectors, align_all, analyze_story
from .story.dossier import document_vectors as document_vectors
from .story.group import Grouping, group_articles
from .story.versions import VersionDiff, compare_versions
from .text.embed import Embedder, get_embedder
from .text.language import detect_many, is_english, sentence_languages_many
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
            self.embedder = get_embedder(self.config.model, self.config.batch_size, self.config.embed_runtime)
        return self.embedder

    def analyze_paths(self, paths: Iterable[str | Path]) -> Report:
        ingested = read_inputs(paths, self.config)
        return self.analyze_raw(ingested.articles, ingested.skipped)

    def prepare(
        self,
        raws: Sequence[RawArticle],
        skipped: Sequence[Skipped] = (),
        repeats: Mapping[str, int] | None = None,
    ) -> tuple[list[Article], list[Skipped]]:
        """Clean and segment; articles too large to analyse or left with no sentence are skipped
        with a reason. ``repeats``: see :func:`~storytrace.read.clean.clean_corpus`."""
        articles: list[Article] = []
        skipped = list(skipped)
        for raw, done in zip(raws, self.prepare_each(raws, repeats), strict=True):
            if isinstance(done, Article):
                articles.append(done)
            else:
                skipped.append(Skipped(raw.path or raw.id, raw.line, done))
        return articles, skipped

    def prepare_each(
        self, raws: Sequence[RawArticle], repeats: Mapping[str, int] | None = None
    ) -> list[Article | str]:
        """:meth:`prepare` article by article: the prepared article, or why it cannot be analysed."""
        self.progress("clean", 0, len(raws))
        limit = self.config.max_article_chars
        fit = [raw for raw in raws if len(raw.text) <= limit]
        cleaned = clean_corpus(fit, self.config, repeats)
        # languages and mixed-language sentences of the whole batch at once, on all cores
        languages = detect_many([c.text for c in cleaned])
        segmented = sentence_languages_many(
            [
                (c.text, segment(raw.id, c.text, language), language)
                for raw, c, language in zip(fit, cleaned, languages, strict=True)
            ]
        )
        prepared = iter(zip(cleaned, languages, segmented, strict=True))
        out: list[Article | str] = []
        for raw in raws:
            if len(raw.text) > limit:
                out.append(
                    f"too large to analyse: {len(raw.text):,} characters, above max_article_chars={limit:,}"
                )
                continue
            c, language, sentences = next(prepared)
            if not sentences:
                out.append("no article text left after cleaning")
                continue
            out.append(
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
        return out

    def embed_sentences(self, articles: Sequence[Article]) -> dict[str, npt.NDArray[np.float32]]:
        """Sentence vectors of each article, embedded in batches of about 512 sentences (the
        embedder's cache embeds each distinct sentence once). Articles not in English get zero
        rows: their pairs are grouped and aligned on multilingual vectors (:meth:`cross_vectors`,
        ``story.translation``), the same in every engine."""
        english = [a for a in articles if is_english(a.language)]
        out = self._embed_english(english) if english else {}
        if len(english) < len(articles):
            # the English model's width, so every engine stacks the same shapes
            width = next(iter(out.values())).shape[1] if out else int(self._embedder().encode(["."]).shape[1])
            for a in articles:
                if a.id not in out:
                    out[a.id] = np.zeros((len(a.sentences), width), dtype=np.float32)
        return out

    def _embed_english(self, articles: Sequence[Article]) -> dict[str, npt.NDArray[np.float32]]:
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
        grouping = self.group(articles, doc_vectors, cross)
        stories = self.build_stories(articles, vectors, grouping)
        return Report(__version__, tuple(articles), tuple(stories), tuple(all_skipped))

    def document_vectors(self, articles: Sequence[Article], vectors: Vectors) -> npt.NDArray[np.float32]:
        """One normalised vector per article (the grouping's document embedding)."""
        return document_vectors(articles, vectors)

    def cross_vectors(self, articles: Sequence[Article]) -> npt.NDArray[np.float32] | None:
        """Multilingual document vectors of ``articles``, or None when they are all in English
        (an English-only corpus never loads the multilingual model). Large piles are encoded in
        batches on all cores (:func:`storytrace.story.batch.cross_document_vectors`)."""
        if all(is_english(a.language) for a in articles):
            return None
        total = len(articles)
        self.progress("embed (multilingual)", 0, total)
        return cross_document_vectors(
            articles, self.config, lambda done: self.progress("embed (multilingual)", done, total)
        )

    def group(
        self,
        articles: Sequence[Article],
        doc_vectors: npt.NDArray[np.float32],
        cross: npt.NDArray[np.float32] | None = None,
    ) -> Grouping:
        """Same-story clusters of ``articles`` (rows of ``doc_vectors`` in the same order; ``cross``:
        their multilingual document vectors when some are not in English); the answer does not
        depend on the order of ``articles``."""
        return group_articles(articles, doc_vectors, self.config, cross)

    def analyze_story(self, story_id: str, members: Sequence[Article], vectors: Vectors) -> Story:
        """One story's alignments, lineage and dossier (the per-story unit of every engine)."""
        return analyze_story(story_id, members, vectors, self.config)

    def embed_all(
        self, articles: Sequence[Article]
    ) -> tuple[dict[str, npt.NDArray[np.float32]], npt.NDArray[np.float32], npt.NDArray[np.float32] | None]:
        """(English sentence vectors, English document vectors, multilingual document vectors).

        An English-only corpus is embedded as before and never loads the multilingual model
        (the third item is None). Otherwise every article also gets a multilingual vector, and
        only the English articles English ones (:meth:`embed_sentences`)."""
        vectors = self.embed_sentences(articles)
        return vectors, document_vectors(articles, vectors), self.cross_vectors(articles)

    def align_all(self, members: Sequence[Article], vectors: Vectors) -> list[Alignment]:
        """Every pair of ``members`` aligned (each pair once, in input order)."""
        return align_all(members, vectors, self.config)

    def build_stories(self, articles: Sequence[Article], vectors: Vectors, grouping: Grouping) -> list[Story]:
        """Each cluster of ``grouping`` analysed as one story (``story-1``, ``story-2``, ...), on
        all cores (:func:`storytrace.story.batch.analyze_stories`)."""
        jobs = [
            (f"story-{number}", [articles[i] for i in cluster])
            for number, cluster in enumerate(grouping.clusters, start=1)
        ]
        total = len(jobs)
        return analyze_stories(
            jobs, vectors, self.config, lambda done, _: self.progress("stories", done, total)
        )

    def compare_revisions(self, old: RawArticle, new: RawArticle) -> VersionDiff | None:
        """What changed from one revision of an article to the next (sentences added, removed and
        reworded, and drifted facts); None when either has no text left after cleaning. Give the
        revisions distinct ids (``"id@1"``, ``"id@2"``)."""
        articles, _ = self.prepare([old, new])
        if len(articles) != 2:
            return None
        vectors = self.embed_sentences(articles)
        a, b = articles
        return compare_versions(a, b, vectors[a.id], vectors[b.id], self.config)


def analyze(
    paths: Iterable[str | Path], config: Config | None = None, progress: Progress | None = None
) -> Report:
    """Analyse articles at ``paths`` (files or directories): the library's main entry point."""
    return Pipeline.from_config(config or Config(), progress).analyze_paths(paths)
