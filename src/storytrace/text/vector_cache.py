"""vector_cache: each distinct sentence embedded once, its vector kept in one matrix.

Copies, trims and wire rewrites repeat most of their sentences. :class:`VectorCache` keeps the
vector of every distinct sentence seen in one growable float32 matrix (no Python object per
vector) and hands the encoder only the sentences it has not seen, in the order first seen and in
one call per request: a transformer's output depends (in the last bits) on which sentences share
a padded batch, so the same calls as before give bit-for-bit the same vectors, and ties between
equally similar sentences break the same way.

Sentences are keyed by their exact text. Folding case and spacing would be safe for the bundled
uncased MiniLM (its tokenizer sees the same word pieces), but it changes the batches and so the
last bits of the vectors; on the generated news day it would save under 1% of the embeddings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]


class VectorCache:
    """Vectors of distinct texts, embedded on demand by ``encode`` (texts -> rows)."""

    def __init__(self, encode: Callable[[Sequence[str]], Matrix]) -> None:
        self._encode = encode
        self.rows: dict[str, int] = {}
        self.matrix: Matrix | None = None
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def indexes(self, texts: Sequence[str]) -> npt.NDArray[np.int64]:
        """Row of each text's vector; the texts not seen before are embedded in one call."""
        new = list(dict.fromkeys(t for t in texts if t not in self.rows))
        if new:
            self._append(new, self._encode(new))
        return np.fromiter((self.rows[t] for t in texts), dtype=np.int64, count=len(texts))

    def vectors(self, texts: Sequence[str]) -> Matrix:
        index = self.indexes(texts)
        if self.matrix is None:
            return np.zeros((0, 0), dtype=np.float32)
        return self.matrix[index]

    def _append(self, keys: Sequence[str], vectors: Matrix) -> None:
        n = len(keys)
        if self.matrix is None:
            self.matrix = np.empty((max(1024, n), vectors.shape[1]), dtype=np.float32)
        if self.size + n > self.matrix.shape[0]:
            grown = np.empty(
                (max(self.size + n, 2 * self.matrix.shape[0]), self.matrix.shape[1]), dtype=np.float32
            )
            grown[: self.size] = self.matrix[: self.size]
            self.matrix = grown
        self.matrix[self.size : self.size + n] = vectors
        for k, key in enumerate(keys):
            self.rows[key] = self.size + k
        self.size += n
