from __future__ import annotations

import numpy as np
import pytest

from storytrace.evaluation.reuse import (
    LevelModel,
    fit_from_corpus,
    fit_level_model,
    fit_ordinal,
    level_feature,
    word_lcs,
)
from storytrace.records import Article
from storytrace.story import reuse
from storytrace.story.align import align
from storytrace.story.reuse import classify_reuse, level_of, ngram_containment, reuse_level, topic_similarity
from storytrace.text.segment import segment

from ..conftest import SHARED, needs_shared

SOURCE = (
    "PageRank is a link analysis algorithm that assigns a numerical weight to each page. "
    "A page linked by many important pages receives a high rank. "
    "The rank of a page is divided among the pages it links to. "
    "The algorithm was developed at Stanford University."
)
BREAD = "Bread rises because yeast makes gas. Ovens bake it until the crust is brown."
# written without the source, on its topic
OWN = (
    "Search engines order results by counting links. Pages that get links from popular sites "
    "come first. Two students built this idea into a company."
)
# the source's content in other words, with a few of its phrases kept
HEAVY = (
    "PageRank is a link analysis algorithm used to weigh web pages. When many important pages "
    "point to a page, it ranks higher. Each page shares its rank out among the pages it links to."
)

REUSE = SHARED / "data" / "reuse_short_answers"


def _article(aid: str, text: str) -> Article:
    return Article(aid, text, segment(aid, text))


def _vectors(article: Article) -> np.ndarray:
    # one-hot vectors per distinct sentence: a stand-in embedding, exact for copies
    out = np.zeros((len(article.sentences), 64), dtype=np.float32)
    for k, s in enumerate(article.sentences):
        out[k, hash(s.text.lower().rstrip(".")) % 64] = 1.0
    return out


def _call(target_text: str) -> tuple[str, str]:
    src, tgt = _article("orig", SOURCE), _article("answer", target_text)
    al = align(src.sentences, tgt.sentences, _vectors(src), _vectors(tgt))
    call = reuse_level(al, src, tgt)
    return call.level, call.source


def test_copy_is_cut_rewrite_is_heavy_and_independent_text_is_non() -> None:
    cut = SOURCE[: SOURCE.index(" The algorithm")]  # the last sentence left out
    assert _call(cut) == ("cut", "orig")
    assert _call(HEAVY) == ("heavy", "orig")
    # measured against the source it is about, but not taken from it
    assert _call(OWN) == ("non", "orig")


def test_levels_are_ordered_and_containment_counts_ngrams() -> None:
    assert [level_of(s) for s in (0.0, 0.1, 0.4, 0.9)] == ["non", "heavy", "light", "cut"]
    assert reuse.NON_BELOW < reuse.HEAVY_BELOW < reuse.LIGHT_BELOW
    assert ngram_containment("a b c d", "x a b c y") == pytest.approx(1 / 2)
    assert ngram_containment("a b c d e f", "a b c d e x", 5) == pytest.approx(1 / 2)


def test_topic_similarity_prefers_the_text_on_the_same_topic() -> None:
    assert topic_similarity(OWN, SOURCE) > topic_similarity(OWN, BREAD) == 0.0
    assert topic_similarity(SOURCE, SOURCE) == pytest.approx(1.0)


def test_classify_picks_the_source_on_the_topic_even_for_non() -> None:
    src, other = _article("orig", SOURCE), _article("other", BREAD)

    def classify(text: str) -> reuse.ReuseCall:
        tgt = _article("answer", text)
        cands = [
            (align(s.sentences, tgt.sentences, _vectors(s), _vectors(tgt)), s, tgt) for s in (other, src)
        ]
        return classify_reuse(cands)

    copy = classify(SOURCE)
    assert (copy.level, copy.source, copy.derived) == ("cut", "orig", True)
    assert copy.evidence[0].endswith("topical similarity with orig")
    own = classify(OWN)
    assert (own.level, own.source, own.derived) == ("non", "orig", False)
    with pytest.raises(ValueError):
        classify_reuse([])


def test_word_lcs_and_features() -> None:
    assert word_lcs("a b c d", "a x c y d") == pytest.approx(3 / 4)
    assert word_lcs("", "a b") == 0.0
    assert level_feature("lcs", "a b c d", "a x c y d") == pytest.approx(3 / 4)
    assert level_feature("c1", "a b c d", "a x c y d") == pytest.approx(3 / 4)


def test_ordinal_fit_puts_cut_offs_between_the_levels() -> None:
    values = [0.0, 0.05, 0.1, 0.3, 0.35, 0.4, 0.6, 0.65, 0.7, 0.9, 0.95, 1.0]
    gold: list[reuse.ReuseLevel] = ["non"] * 3 + ["heavy"] * 3 + ["light"] * 3 + ["cut"] * 3
    cuts = fit_ordinal(values, gold, 0.0)
    assert cuts is not None
    non, heavy, light = cuts
    assert 0.1 < non < 0.3 and 0.4 < heavy < 0.6 and 0.7 < light < 0.9
    # a feature that falls as reuse grows is refused
    assert fit_ordinal([1.0 - v for v in values], gold, 0.0) is None


def test_level_model_chooses_the_informative_feature() -> None:
    rng = np.random.default_rng(0)
    gold: list[reuse.ReuseLevel] = ["non", "heavy", "light", "cut"] * 6
    rank = {"non": 0.0, "heavy": 1.0, "light": 2.0, "cut": 3.0}
    good = [rank[g] / 3 + float(rng.normal(0, 0.05)) for g in gold]
    noise = [float(v) for v in rng.uniform(0, 1, len(gold))]
    groups = [f"p{k // 4}" for k in range(len(gold))]
    model = fit_level_model({"noise": noise, "good": good}, gold, groups)
    assert isinstance(model, LevelModel) and model.feature == "good"
    assert model.cv_macro_f1 > 0.9
    assert model.cuts[0] < model.cuts[1] < model.cuts[2]


def test_shipped_constants_are_those_fitted_on_the_tuning_half() -> None:
    needs_shared(REUSE / "file_information.csv")
    model = fit_from_corpus(REUSE)
    assert model.feature == f"c{reuse.LEVEL_NGRAM}"
    assert model.cuts == pytest.approx((reuse.NON_BELOW, reuse.HEAVY_BELOW, reuse.LIGHT_BELOW), abs=1e-4)
