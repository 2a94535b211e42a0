"""vectors: sentence vectors kept in the store by content, so no sentence is embedded twice.

:class:`StoredEmbedder` is an :class:`~storytrace.text.embed.Embedder` for the pipeline: it looks
each text up by a digest of (model, text) and asks the model only for the texts it has never
seen (a copied paragraph, an article cleaned again after a furniture line crossed the repeat
threshold, a story analysed again after a new member joined). Vectors are float32 rows, the
model's own output, so the store and ``analyze`` compare the same numbers (to within the model's
batch-to-batch rounding, about 1e-7)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from ..text.embed import Embedder
from .schema import Transaction

_CHUNK = 500


class StoredEmbedder:
    """Sentence vectors from the store's ``sentence_vectors`` table, else from ``model()``."""

    def __init__(self, db: sqlite3.Connection, name: str, model: Callable[[], Embedder]) -> None:
        self.db = db
        self.name = name
        self._model = model
        #: texts embedded by the model (not found in the store) since this embedder was made
        self.embedded = 0

    def _key(self, text: str) -> bytes:
        return hashlib.blake2b(
            f"{self.name}\x00{text}".encode("utf-8", "surrogatepass"), digest_size=16
        ).digest()

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        keys = [self._key(t) for t in texts]
        found: dict[bytes, npt.NDArray[np.float32]] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _CHUNK):
            part = unique[start : start + _CHUNK]
            rows = self.db.execute(
                f"SELECT key, vector FROM sentence_vectors WHERE key IN ({','.join('?' * len(part))})", part
            ).fetchall()
            for key, blob in rows:
                found[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in found:
                missing.setdefault(key, text)
        if missing:
            vectors = self._model().encode(list(missing.values())).astype(np.float32)
            new = dict(zip(missing, vectors, strict=True))
            with Transaction(self.db):
                self.db.executemany(
                    "INSERT OR IGNORE INTO sentence_vectors (key, vector) VALUES (?, ?)",
                    [(k, v.tobytes()) for k, v in new.items()],
                )
            found.update(new)
            self.embedded += len(missing)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)
