"""dossier: one story from its articles. Every pair aligned, the lineage (derivations, families,
likely original), then the dossier: drift along the derivation edges, quotations, facts with their
sources, entities, the timeline and the cited summary.

:func:`analyze_story` is the unit of work every engine runs per story (``analyze``, the store,
Spark), so they give the same answers for the same articles.

A story whose articles are not all in English is also embedded with the multilingual model
(``Config.multilingual_model``; vectors of texts already embedded are kept by the shared
embedder, so the pipeline's grouping pass is not repeated): the pairs that involve an article in
another language are aligned on those vectors (``story.translation``), the English pairs on the
English ones, and the dossier compares its facts in one vector space."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..records import Alignment, Article, Dossier, Fact, FactVersion, Story
from ..text import nlp
from ..text.language import is_english, sentence_language
from ..text.locale_facts import locale_facts
from ..text.mentions import SentenceFacts, sentence_facts
from .align import align
from .consolidate import (
    build_claims,
    build_entities,
    build_facts,
    build_summary,
    build_timeline,
    reference_date,
)
from .drift import story_drift
from .lineage import Lineage, build_lineage
from .quotes import extract_quote_instances, group_quotes
from .translation import align_pair, multilingual

#: sentence vectors of each article, by article id (one row per sentence)
Vectors = dict[str, npt.NDArray[np.float32]]


def align_all(
    members: Sequence[Article], vectors: Vectors, config: Config, cross: Vectors | None = None
) -> list[Alignment]:
    """Every pair of ``members`` aligned (each pair once, in input order); a pair that involves
    an article not in English on the multilingual vectors ``cross`` (computed when not given)."""
    if cross is None and any(not is_english(a.language) for a in members):
        cross = multilingual_vectors(members, config)
    return [
        align_pair(a, b, cross[a.id], cross[b.id], config)
        if cross is not None and multilingual(a, b)
        else align(a.sentences, b.sentences, vectors[a.id], vectors[b.id], config)
        for a, b in itertools.combinations(members, 2)
    ]


def multilingual_vectors(members: Sequence[Article], config: Config) -> Vectors:
    """Sentence vectors of ``members`` from the multilingual embedder of the config."""
    from ..text.multilingual_embed import get_multilingual_embedder

    embedder = get_multilingual_embedder(config.multilingual_model)
    matrix = embedder.encode([s.text for a in members for s in a.sentences])
    out: Vectors = {}
    start = 0
    for a in members:
        out[a.id] = matrix[start : start + len(a.sentences)]
        start += len(a.sentences)
    return out


def document_vectors(articles: Sequence[Article], vectors: Vectors) -> npt.NDArray[np.float32]:
    """Normalised mean of each article's sentence vectors (one row per article, in order)."""
    rows = []
    for a in articles:
        v = vectors[a.id].mean(axis=0)
        norm = float(np.linalg.norm(v))
        rows.append(v / norm if norm else v)
    return np.asarray(rows, dtype=np.float32)


def analyze_story(story_id: str, members: Sequence[Article], vectors: Vectors, config: Config) -> Story:
    """Alignments, lineage and (with ``config.dossier``) the dossier of one story's articles.

    Members are taken in the order of their ids, whatever order they come in, so every engine
    (and a store that received them in any order) gives the same answer."""
    members = sorted(members, key=lambda a: a.id)
    cross = (
        multilingual_vectors(members, config) if any(not is_english(a.language) for a in members) else None
    )
    alignments = align_all(members, vectors, config, cross)
    lineage = build_lineage(members, alignments, config)
    space = cross if cross is not None else vectors
    dossier = build_dossier(members, alignments, lineage, space, config) if config.dossier else Dossier()
    return Story(
        id=story_id,
        articles=tuple(a.id for a in members),
        origin=lineage.origin,
        derivations=lineage.derivations,
        families=lineage.families,
        alignments=tuple(alignments),
        dossier=dossier,
    )


def build_dossier(
    members: Sequence[Article],
    alignments: Sequence[Alignment],
    lineage: Lineage,
    vectors: Vectors,
    config: Config,
) -> Dossier:
    """Drift along the derivation edges, quotations, facts, entities, timeline and summary.

    English articles are parsed by spaCy (names, tense, negation, speakers, roles), each distinct
    sentence once (copies and trims repeat most of theirs); the sentences of articles in other
    languages are read by ``text.locale_facts`` (numbers, dates, names, quotations), so drift and
    conflicts compare them on what survives translation."""
    english = [a for a in members if is_english(a.language)]
    distinct = list(dict.fromkeys(s.text for a in english for s in a.sentences))
    parsed = dict(zip(distinct, nlp.parse(distinct, config.spacy_model), strict=True)) if distinct else {}
    by_text = {text: sentence_facts(text, doc) for text, doc in parsed.items()}
    docs = {(a.id, s.index): parsed[s.text] for a in english for s in a.sentences}
    facts: dict[tuple[str, int], SentenceFacts] = {}
    for a in members:
        for s in a.sentences:
            language = sentence_language(s, a.language)
            facts[(a.id, s.index)] = (
                by_text[s.text]
                if (a.id, s.index) in docs and is_english(language)
                else locale_facts(s.text, language)
            )
    by_id = {a.id: a for a in members}
    claims = build_claims(members, alignments, lineage.origin)
    instances = [
        q for a in english for q in extract_quote_instances(a, [docs[(a.id, s.index)] for s in a.sentences])
    ]
    facts_out = build_facts(claims, by_id, facts, lineage.families, alignments, vectors)
    if len({a.language for a in members}) > 1:
        facts_out = [_with_versions(f, c.members, by_id) for f, c in zip(facts_out, claims, strict=True)]
    return Dossier(
        drift=tuple(
            story_drift(lineage.derivations, alignments, facts, {a.id: a.published for a in members})
        ),
        quotes=tuple(group_quotes(instances, alignments, [a.id for a in members])),
        facts=tuple(facts_out),
        entities=tuple(build_entities(english, docs)),
        timeline=tuple(build_timeline(claims, by_id, facts, reference_date(members, facts))),
        summary=tuple(build_summary(claims, by_id, vectors, lineage.families)),
    )


def _with_versions(fact: Fact, members: Sequence[tuple[str, int]], by_id: dict[str, Article]) -> Fact:
    """``fact`` with its wording in each language of its sources (the first source's passage)."""
    texts: dict[str, dict[str, list[int]]] = {}
    for article, index in members:
        language = sentence_language(by_id[article].sentences[index], by_id[article].language)
        texts.setdefault(language, {}).setdefault(article, []).append(index)
    versions = []
    for language, by_article in texts.items():
        first, indexes = next(iter(by_article.items()))
        text = " ".join(by_id[first].sentences[i].text for i in sorted(indexes))
        versions.append(FactVersion(language, text, tuple(by_article)))
    return replace(fact, versions=tuple(versions))
