"""vector_cache: each distinct sentence embedded once.

Copies, trims and wire rewrites repeat most of their sentences, and a tokenizer that lowercases
and splits on whitespace (the bundled MiniLM's) gives one token sequence, so one vector, for every
spelling of a sentence that differs only in case or spacing. :class:`VectorCache` keys sentences
by :func:`sentence_key`, keeps the vectors of the keys seen in one growable float32 matrix (no
Python object per vector), and embeds only keys it has not seen, longest first in large batches
so that a batch pads little. Texts of other models are keyed as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
#: the spacing a BERT tokenizer splits on (other control characters it drops, so they stay in the key)
_SPACES = re.compile(r"[ \t\n\r]+")


def sentence_key(text: str, lowercase: bool) -> str:
    """The cache key of ``text``: for a model whose tokenizer lowercases and splits on spacing
    (``lowercase``), the text in lower case with spacing collapsed; else the text itself."""
    return _SPACES.sub(" ", text).strip(" ").lower() if lowercase else text


class VectorCache:
    """Vectors of distinct sentence keys, embedded on demand by ``encode`` (texts -> rows)."""

    def __init__(self, encode: Callable[[Sequence[str]], Matrix], lowercase: bool, chunk: int = 2048) -> None:
        self._encode = encode
        self.lowercase = lowercase
        self.chunk = chunk
        self.rows: dict[str, int] = {}
        self.matrix: Matrix | None = None
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def indexes(
        self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None
    ) -> npt.NDArray[np.int64]:
        """Row of each text's vector, embedding the keys not seen before (``progress(done, total)``
        after each chunk of new keys)."""
        keys = [sentence_key(t, self.lowercase) for t in texts]
        new: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self.rows and key not in new:
                new[key] = text
        if new:
            todo = sorted(new, key=len, reverse=True)
            for start in range(0, len(todo), self.chunk):
                part = todo[start : start + self.chunk]
                self._append(part, self._encode([new[k] for k in part]))
                if progress is not None:
                    progress(min(len(todo), start + self.chunk), len(todo))
        return np.fromiter((self.rows[k] for k in keys), dtype=np.int64, count=len(keys))

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
