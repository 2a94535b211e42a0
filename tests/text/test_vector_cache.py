"""Each distinct sentence is embedded once, in the order first seen, one encoder call per request."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from storytrace.text.vector_cache import VectorCache


class CountingEncoder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        return np.asarray([[len(t), t.count(" "), 1.0] for t in texts], dtype=np.float32)


def test_each_distinct_text_is_encoded_once_in_first_seen_order() -> None:
    enc = CountingEncoder()
    cache = VectorCache(enc)
    first = cache.vectors(["Police said so.", "Short.", "Police said so.", "A longer sentence here."])
    assert enc.calls == [["Police said so.", "Short.", "A longer sentence here."]]
    assert np.array_equal(first[0], first[2])
    again = cache.vectors(["Short.", "A new one", "A new one"])
    assert enc.calls[-1] == ["A new one"] and len(enc.calls) == 2
    assert np.array_equal(again[0], first[1])
    assert len(cache) == 4
    assert cache.vectors(["Short."]).shape == (1, 3) and len(enc.calls) == 2


def test_the_matrix_grows_without_losing_rows() -> None:
    cache = VectorCache(CountingEncoder())
    texts = [f"sentence number {k}" for k in range(3000)]
    rows = cache.indexes(texts[:10])
    cache.indexes(texts)
    assert cache.matrix is not None and cache.matrix.shape[0] >= 3000
    assert np.array_equal(cache.vectors(texts[:10]), cache.matrix[rows])
    assert cache.vectors(["sentence number 2999"])[0][0] == len("sentence number 2999")
