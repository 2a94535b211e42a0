from __future__ import annotations

import numpy as np
import pytest

from storytrace.align import align
from storytrace.records import Article
from storytrace.reuse import classify_reuse, level_of, ngram_containment, reuse_level
from storytrace.segment import segment

SOURCE = (
    "PageRank is a link analysis algorithm that assigns a numerical weight to each page. "
    "A page linked by many important pages receives a high rank. "
    "The rank of a page is divided among the pages it links to. "
    "The algorithm was developed at Stanford University."
)


def _article(aid: str, text: str) -> Article:
    return Article(aid, text, segment(aid, text))


def _vectors(article: Article) -> np.ndarray:
    # one-hot vectors per distinct sentence: a stand-in embedding, exact for copies
    out = np.zeros((len(article.sentences), 64), dtype=np.float32)
    for k, s in enumerate(article.sentences):
        out[k, hash(s.text.lower().rstrip(".")) % 64] = 1.0
    return out


def _call(target_text: str) -> tuple[str, str | None]:
    src, tgt = _article("orig", SOURCE), _article("answer", target_text)
    al = align(src.sentences, tgt.sentences, _vectors(src), _vectors(tgt))
    call = reuse_level(al, src, tgt)
    return call.level, call.source


def test_copy_is_cut_and_independent_text_is_non() -> None:
    cut = SOURCE[: SOURCE.index(" The algorithm")]  # the last sentence left out
    assert _call(cut) == ("cut", "orig")
    own = (
        "Search engines order results by counting links. Pages that get links from popular sites "
        "come first. Two students built this idea into a company."
    )
    assert _call(own) == ("non", None)


def test_levels_are_ordered_and_containment_counts_trigrams() -> None:
    assert [level_of(s) for s in (0.0, 0.15, 0.5, 0.95)] == ["non", "heavy", "light", "cut"]
    assert ngram_containment("a b c d", "x a b c y") == pytest.approx(1 / 2)


def test_classify_picks_the_most_literal_source() -> None:
    src, other = (
        _article("orig", SOURCE),
        _article("other", "Bread rises because yeast makes gas. Ovens bake it."),
    )
    tgt = _article("answer", SOURCE)
    cands = [(align(s.sentences, tgt.sentences, _vectors(s), _vectors(tgt)), s, tgt) for s in (other, src)]
    call = classify_reuse(cands)
    assert (call.level, call.source) == ("cut", "orig") and call.evidence
    with pytest.raises(ValueError):
        classify_reuse([])
