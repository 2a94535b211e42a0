"""Test doubles: a deterministic word-hashing sentence embedder, for store tests that check the
store's bookkeeping (not the model) in seconds."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

DIM = 96


class WordHashEmbedder:
    """Bag of words hashed into :data:`DIM` dimensions, L2-normalised: the same text always gives
    the same vector, whatever batch it comes in."""

    name = "word-hash-test"

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls += 1
        self.texts += len(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, zlib.crc32(word.encode()) % DIM] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms
