"""align: sentence alignment of two versions of a story.

Similarity of two sentences = max(embedding cosine, character ratio after normalisation). Links
are picked greedily by score, one-to-one first; then merges and splits are tested: an unlinked
sentence whose content words are mostly inside a sentence already linked joins that link (a
rewrite merged two sentences into one, or split one into two). Labels:

- ``verbatim``: equal after normalising case, whitespace, quotes and dashes;
- ``near-verbatim``: character ratio at least ``Config.near_verbatim_ratio``;
- ``paraphrase``: semantic similarity at least ``Config.link_threshold`` and the same meaning;
- ``rewritten``: semantic similarity at least ``Config.link_threshold``, but the judge of
  ``Config.meaning_model`` (the cross-encoder of :mod:`storytrace.story.crossencoder` or the logistic
  model of :mod:`storytrace.story.meaning`) finds the meaning changed (material added or dropped).
  Only with ``Config.rewrite_labels``; the link itself is decided as for ``paraphrase``.

Unlinked sentences are what the target added or dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from ..config import DEFAULT_MEANING_MODEL, Config
from ..records import Alignment, Link, LinkLabel, Sentence
from ..text.words import content_words, normalise


def char_ratio_matrix(a: Sequence[str], b: Sequence[str]) -> npt.NDArray[np.float32]:
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    return (
        cdist([normalise(x) for x in a], [normalise(x) for x in b], scorer=fuzz.ratio, workers=1) / 100.0
    ).astype(np.float32)


def label_for(source: str, target: str, config: Config) -> LinkLabel:
    from rapidfuzz import fuzz

    ns, nt = normalise(source), normalise(target)
    if ns == nt:
        return "verbatim"
    if fuzz.ratio(ns, nt) / 100.0 >= config.near_verbatim_ratio:
        return "near-verbatim"
    return "paraphrase"


def relabel_rewritten(
    links: Sequence[Link],
    texts: Sequence[tuple[str, str]],
    cosines: Sequence[float],
    judge: str = DEFAULT_MEANING_MODEL,
) -> list[Link]:
    """``paraphrase`` links whose two sides do not say the same thing become ``rewritten``.

    ``texts`` holds the source and target text of each link, ``cosines`` the embedding cosine of
    its sentences (the highest, for merged sentences). The judgement is :func:`storytrace.story.meaning.
    same_meaning` with ``judge`` (``Config.meaning_model``): probability of the same meaning below
    one half."""
    todo = [k for k, lk in enumerate(links) if lk.label == "paraphrase"]
    out = list(links)
    if not todo:
        return out
    from .meaning import same_meaning

    probability = same_meaning([texts[k] for k in todo], [cosines[k] for k in todo], judge=judge)
    for k, p in zip(todo, probability, strict=True):
        if p < 0.5:
            out[k] = replace(out[k], label="rewritten")
    return out


def align(
    source: Sequence[Sentence],
    target: Sequence[Sentence],
    source_vectors: npt.NDArray[np.float32],
    target_vectors: npt.NDArray[np.float32],
    config: Config | None = None,
) -> Alignment:
    """Align the sentences of ``target`` to those of ``source``."""
    config = config or Config()
    src_id = source[0].article if source else ""
    tgt_id = target[0].article if target else ""
    n, m = len(source), len(target)
    if n == 0 or m == 0:
        return Alignment(src_id, tgt_id, (), tuple(range(n)), tuple(range(m)), 0.0, 0.0, 0.0)
    emb = source_vectors @ target_vectors.T
    ratio = char_ratio_matrix([s.text for s in source], [t.text for t in target])
    sim = np.maximum(emb, ratio)

    # one-to-one, greedy by score
    src_link: dict[int, int] = {}
    tgt_link: dict[int, int] = {}
    order = np.argsort(-sim, axis=None)
    for flat in order:
        i, j = divmod(int(flat), m)
        if sim[i, j] < config.link_threshold:
            break
        if i in src_link or j in tgt_link:
            continue
        src_link[i] = j
        tgt_link[j] = i

    groups: dict[int, tuple[set[int], set[int]]] = {j: ({i}, {j}) for i, j in src_link.items()}
    group_of_src = {i: j for i, j in src_link.items()}
    group_of_tgt = {j: j for j in tgt_link}
    src_words = [content_words(s.text) for s in source]
    tgt_words = [content_words(t.text) for t in target]

    # merges: an unlinked source sentence contained in a linked target sentence
    for i in range(n):
        if i in group_of_src:
            continue
        j = int(np.argmax(sim[i]))
        if (
            j in group_of_tgt
            and _contained(src_words[i], tgt_words[j], sim[i, j])
            and _adjacent(i, {tgt_link[group_of_tgt[j]]})  # next to the sentence first linked, no chains
        ):
            key = group_of_tgt[j]
            groups[key][0].add(i)
            group_of_src[i] = key
    # splits: an unlinked target sentence contained in a linked source sentence
    for j in range(m):
        if j in group_of_tgt:
            continue
        i = int(np.argmax(sim[:, j]))
        if (
            i in group_of_src
            and _contained(tgt_words[j], src_words[i], sim[i, j])
            and _adjacent(j, {group_of_src[i]})  # next to the sentence first linked, no chains
        ):
            key = group_of_src[i]
            groups[key][1].add(j)
            group_of_tgt[j] = key

    # an unlinked sentence that merges two adjacent unlinked sentences of the other side
    for j in range(m):
        if j in group_of_tgt:
            continue
        for i in range(n - 1):
            if i in group_of_src or i + 1 in group_of_src:
                continue
            if _merges(tgt_words[j], src_words[i], src_words[i + 1], sim[i, j], sim[i + 1, j]):
                groups[("t", j)] = ({i, i + 1}, {j})  # type: ignore[index]
                group_of_src[i] = group_of_src[i + 1] = group_of_tgt[j] = ("t", j)  # type: ignore[assignment]
                break
    for i in range(n):
        if i in group_of_src:
            continue
        for j in range(m - 1):
            if j in group_of_tgt or j + 1 in group_of_tgt:
                continue
            if _merges(src_words[i], tgt_words[j], tgt_words[j + 1], sim[i, j], sim[i, j + 1]):
                groups[("s", i)] = ({i}, {j, j + 1})  # type: ignore[index]
                group_of_src[i] = group_of_tgt[j] = group_of_tgt[j + 1] = ("s", i)  # type: ignore[assignment]
                break

    links: list[Link] = []
    texts: list[tuple[str, str]] = []
    cosines: list[float] = []
    for src_set, tgt_set in groups.values():
        s_idx, t_idx = tuple(sorted(src_set)), tuple(sorted(tgt_set))
        s_text = " ".join(source[i].text for i in s_idx)
        t_text = " ".join(target[j].text for j in t_idx)
        score = float(max(sim[i, j] for i in s_idx for j in t_idx))
        links.append(Link(s_idx, t_idx, label_for(s_text, t_text, config), round(score, 4)))
        texts.append((s_text, t_text))
        cosines.append(float(max(emb[i, j] for i in s_idx for j in t_idx)))
    if config.rewrite_labels:
        links = relabel_rewritten(links, texts, cosines, config.meaning_model)
    links.sort(key=lambda lk: (lk.target[0], lk.source[0]))

    linked_src = set(group_of_src)
    linked_tgt = set(group_of_tgt)
    return Alignment(
        source=src_id,
        target=tgt_id,
        links=tuple(links),
        source_unaligned=tuple(i for i in range(n) if i not in linked_src),
        target_unaligned=tuple(j for j in range(m) if j not in linked_tgt),
        source_coverage=len(linked_src) / n,
        target_coverage=len(linked_tgt) / m,
        order=_order_agreement(links),
    )


def _merges(whole: set[str], part1: set[str], part2: set[str], sim1: float, sim2: float) -> bool:
    """``whole`` is one sentence made of two adjacent sentences ``part1`` and ``part2``."""
    if len(whole) < 4 or min(sim1, sim2) < 0.4 or max(sim1, sim2) < 0.55:
        return False
    shared1, shared2 = len(whole & part1), len(whole & part2)
    return min(shared1, shared2) >= 2 and len(whole & (part1 | part2)) / len(whole) >= 0.5


def _adjacent(index: int, group: set[int]) -> bool:
    """Merged or split sentences are neighbours of the sentences already in the link."""
    return index - 1 in group or index + 1 in group


def _contained(part: set[str], whole: set[str], sim: float) -> bool:
    """``part`` says little that ``whole`` does not: most of its words, or its meaning with some words."""
    if len(part) < 3 or sim < 0.45:
        return False
    shared = len(part & whole)
    return shared >= 3 and (shared / len(part) >= 0.6 or (shared / len(part) >= 0.3 and sim >= 0.6))


def _order_agreement(links: Sequence[Link]) -> float:
    """Spearman correlation between source and target positions of the links (0 if < 3)."""
    if len(links) < 3:
        return 0.0
    xs = np.array([lk.source[0] for lk in links], dtype=np.float64)
    ys = np.array([lk.target[0] for lk in links], dtype=np.float64)
    rx = np.argsort(np.argsort(xs)).astype(np.float64)
    ry = np.argsort(np.argsort(ys)).astype(np.float64)
    if rx.std() == 0 or ry.std() == 0:
        return 0.0
    return float(np.corrcoef(rx, ry)[0, 1])
