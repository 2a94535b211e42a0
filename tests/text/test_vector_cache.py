"""Each distinct sentence is embedded once; spellings the tokenizer cannot tell apart share a vector."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from storytrace.text.vector_cache import VectorCache, sentence_key


class CountingEncoder:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.seen += list(texts)
        return np.asarray([[len(t), t.count(" "), 1.0] for t in texts], dtype=np.float32)


def test_keys_fold_case_and_spacing_only_for_lowercasing_models() -> None:
    assert sentence_key("  The  Mayor\tsaid\n so. ", lowercase=True) == "the mayor said so."
    assert sentence_key("The  Mayor", lowercase=False) == "The  Mayor"
    # a control character BERT drops is not spacing: it stays in the key
    assert sentence_key("a\x1cb", lowercase=True) == "a\x1cb"


def test_each_distinct_key_is_encoded_once_longest_first() -> None:
    enc = CountingEncoder()
    cache = VectorCache(enc, lowercase=True, chunk=2)
    texts = ["Police said so.", "police  said so.", "A much longer sentence than the others.", "Short."]
    first = cache.vectors(texts)
    assert enc.seen == ["A much longer sentence than the others.", "Police said so.", "Short."]
    assert np.array_equal(first[0], first[1])
    again = cache.vectors(["SHORT.", "A new one"])
    assert enc.seen[-1] == "A new one" and len(enc.seen) == 4
    assert np.array_equal(again[0], first[3])
    assert len(cache) == 4


def test_progress_counts_new_keys() -> None:
    cache = VectorCache(CountingEncoder(), lowercase=False, chunk=2)
    steps: list[tuple[int, int]] = []
    rows = cache.indexes(["a", "b", "c", "a"], lambda done, total: steps.append((done, total)))
    assert steps == [(2, 3), (3, 3)]
    assert rows.tolist()[0] == rows.tolist()[3]
