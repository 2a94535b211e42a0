"""dossier: one story from its articles. Every pair aligned, the lineage (derivations, families,
likely original), then the dossier: drift along the derivation edges, quotations, facts with their
sources, entities, the timeline and the cited summary.

:func:`analyze_story` is the unit of work every engine runs per story (``analyze``, the store,
Spark), so they give the same answers for the same articles."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..records import Alignment, Article, Dossier, Story
from ..text import nlp
from ..text.mentions import sentence_facts
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

#: sentence vectors of each article, by article id (one row per sentence)
Vectors = dict[str, npt.NDArray[np.float32]]


def align_all(members: Sequence[Article], vectors: Vectors, config: Config) -> list[Alignment]:
    """Every pair of ``members`` aligned (each pair once, in input order)."""
    return [
        align(a.sentences, b.sentences, vectors[a.id], vectors[b.id], config)
        for a, b in itertools.combinations(members, 2)
    ]


def analyze_story(story_id: str, members: Sequence[Article], vectors: Vectors, config: Config) -> Story:
    """Alignments, lineage and (with ``config.dossier``) the dossier of one story's articles.

    Members are taken in the order of their ids, whatever order they come in, so every engine
    (and a store that received them in any order) gives the same answer."""
    members = sorted(members, key=lambda a: a.id)
    alignments = align_all(members, vectors, config)
    lineage = build_lineage(members, alignments, config)
    dossier = build_dossier(members, alignments, lineage, vectors, config) if config.dossier else Dossier()
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
    """Drift along the derivation edges, quotations, facts, entities, timeline and summary."""
    # each distinct sentence parsed once: copies and trims repeat most of theirs
    distinct = list(dict.fromkeys(s.text for a in members for s in a.sentences))
    parsed = dict(zip(distinct, nlp.parse(distinct, config.spacy_model), strict=True))
    by_text = {text: sentence_facts(doc.text, doc) for text, doc in parsed.items()}
    docs = {(a.id, s.index): parsed[s.text] for a in members for s in a.sentences}
    facts = {(a.id, s.index): by_text[s.text] for a in members for s in a.sentences}
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
