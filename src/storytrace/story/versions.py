"""versions: what changed between two revisions of one article, as diffengine shows it, sentence
by sentence: sentences added, removed and reworded (with how: near-verbatim, paraphrase or
rewritten), and the facts that drifted from the older revision to the newer one (names,
numbers, dates, quotations, status, negation), found by the same alignment and drift code as the
derivation edges of a story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..records import Article, Derivation, Drift, Link
from ..text import nlp
from ..text.mentions import sentence_facts
from .align import align
from .drift import story_drift

ChangeKind = Literal["added", "removed", "reworded"]


@dataclass(frozen=True, slots=True)
class SentenceChange:
    """One changed passage: ``before`` is empty for an added one, ``after`` for a removed one."""

    kind: ChangeKind
    before: str
    after: str
    #: for a reworded passage, how close the two are: near-verbatim, paraphrase or rewritten
    label: str = ""


@dataclass(frozen=True)
class VersionDiff:
    """The changes from revision ``old`` to revision ``new`` of one article."""

    old: str
    new: str
    changes: tuple[SentenceChange, ...]
    drift: tuple[Drift, ...]
    #: sentences that read the same in both revisions
    unchanged: int

    @property
    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "reworded": 0}
        for change in self.changes:
            out[change.kind] += 1
        return out


def compare_versions(
    old: Article,
    new: Article,
    old_vectors: npt.NDArray[np.float32],
    new_vectors: npt.NDArray[np.float32],
    config: Config,
) -> VersionDiff:
    """The changes from ``old`` to ``new`` (two revisions of one article, with distinct ids such
    as ``"id@1"`` and ``"id@2"``), in the order of the newer text."""
    al = align(old.sentences, new.sentences, old_vectors, new_vectors, config)
    changes: list[tuple[int, SentenceChange]] = []
    unchanged = 0
    for link in al.links:
        before = " ".join(old.sentences[i].text for i in link.source)
        after = " ".join(new.sentences[j].text for j in link.target)
        if link.label == "verbatim":
            unchanged += len(link.target)
            continue
        changes.append((min(link.target), SentenceChange("reworded", before, after, link.label)))
    for j in al.target_unaligned:
        changes.append((j, SentenceChange("added", "", new.sentences[j].text)))
    for i in al.source_unaligned:  # a removed sentence is shown where its neighbour went
        changes.append((_position(i, al.links), SentenceChange("removed", old.sentences[i].text, "")))
    changes.sort(key=lambda c: (c[0], c[1].kind != "removed"))
    drift: list[Drift] = []
    if al.links and config.dossier:
        texts = [s.text for s in (*old.sentences, *new.sentences)]
        docs = nlp.parse(texts, config.spacy_model)
        keys = [(old.id, s.index) for s in old.sentences] + [(new.id, s.index) for s in new.sentences]
        facts = {key: sentence_facts(text, doc) for key, text, doc in zip(keys, texts, docs, strict=True)}
        edge = Derivation(old.id, new.id, "rewrite", 1.0, 0, 0, 0, 0, ("a later revision of the same page",))
        drift = story_drift([edge], [al], facts, {old.id: old.published, new.id: new.published})
    return VersionDiff(old.id, new.id, tuple(c for _, c in changes), tuple(drift), unchanged)


def _position(source_index: int, links: Sequence[Link]) -> int:
    """Where a removed source sentence belongs in the newer text: after the target of the
    nearest earlier linked source sentence."""
    best = -1
    for link in links:
        if link.source and max(link.source) < source_index and link.target:
            best = max(best, max(link.target))
    return best + 1
