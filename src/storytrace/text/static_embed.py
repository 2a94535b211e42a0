"""static_embed: a static (bag-of-word-pieces) sentence embedder distilled from the bundled MiniLM.

Every word piece of the transformer's vocabulary is run through the transformer once, alone
(``[CLS] piece [SEP]``, mean-pooled, as the sentence model pools), the mean vector over the
vocabulary is taken off, and each piece is weighted by a Zipf-law estimate of its frequency
(``w = a / (a + p(rank))``, the smooth inverse frequency of Arora et al.), as model2vec distils a
static model. A sentence vector is then the normalised mean of its pieces' vectors: no
transformer at run time, tens of thousands of sentences a second on one core.

It is the cheap pass of the pipeline (:mod:`storytrace.pipeline`): document vectors for story
grouping and the vectors of one-article stories. Alignment and everything built on it keep the
transformer's vectors. The distilled matrix is computed once per machine (about 20 s on two
cores) and kept in ``$STORYTRACE_CACHE`` (default ``~/.cache/storytrace``).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..config import DEFAULT_MODEL
from ..errors import StorytraceError

Matrix = npt.NDArray[np.float32]

#: version of the distillation recipe (part of the cache file name)
RECIPE = "sif-centered-1"
#: the SIF smoothing constant
SIF_A = 1e-3


def cache_dir() -> Path:
    return Path(os.environ.get("STORYTRACE_CACHE") or Path.home() / ".cache" / "storytrace")


class StaticEmbedder:
    """Sentence vectors as the normalised mean of distilled word-piece vectors (L2-normalised rows)."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.name = f"static:{model}"
        self.model = model
        self._lock = threading.Lock()
        self._table: Matrix | None = None
        self._tokenizer: Any = None

    def _load(self) -> tuple[Matrix, Any]:
        with self._lock:
            if self._table is None:
                self._table, self._tokenizer = _distilled(self.model)
        assert self._table is not None
        return self._table, self._tokenizer

    @property
    def dimension(self) -> int:
        return int(self._load()[0].shape[1])

    def encode(self, texts: Sequence[str]) -> Matrix:
        table, tokenizer = self._load()
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        if not texts:
            return out
        encodings = tokenizer.encode_batch(list(texts), add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        ids = np.fromiter((i for e in encodings for i in e.ids), dtype=np.int64, count=int(lengths.sum()))
        nonempty = lengths > 0
        if ids.size:
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[nonempty]
            out[nonempty] = np.add.reduceat(table[ids], starts, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.asarray(out / norms, dtype=np.float32)


_tables: dict[str, tuple[Matrix, Any]] = {}
_tables_lock = threading.Lock()


def _distilled(model: str) -> tuple[Matrix, Any]:
    with _tables_lock:
        if model not in _tables:
            _tables[model] = _load_or_distil(model)
        return _tables[model]


def _load_or_distil(model: str) -> tuple[Matrix, Any]:
    from .embed import _load_model

    st = _load_model(model)
    tokenizer = _fast_tokenizer(st)
    key = hashlib.blake2b(f"{model}|{RECIPE}".encode(), digest_size=6).hexdigest()
    path = cache_dir() / f"static-{key}.npy"
    if path.exists():
        try:
            table = np.load(path)
            if table.shape[0] == tokenizer.get_vocab_size():
                return table.astype(np.float32), tokenizer
        except (OSError, ValueError):
            pass
    table = distil(st)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            np.save(handle, table.astype(np.float16))
        tmp.replace(path)
    except OSError:
        pass  # a read-only home still works, distilling once per process
    return np.load(path).astype(np.float32) if path.exists() else table, tokenizer


def _fast_tokenizer(st: Any) -> Any:
    """The model's own (Rust) tokenizer, without truncation or padding."""
    hf = st.tokenizer
    backend = getattr(hf, "backend_tokenizer", None) or getattr(hf, "_tokenizer", None)
    if backend is None:
        raise StorytraceError(f"the model {st!r} has no fast tokenizer: no static embedder can be distilled")
    tok = backend.__class__.from_str(backend.to_str())
    tok.no_truncation()
    tok.no_padding()
    return tok


def distil(st: Any, batch: int = 2048) -> Matrix:
    """One vector per word piece of ``st``'s vocabulary: the sentence model's output for the piece
    alone, centred over the vocabulary and weighted by its smooth inverse (Zipf) frequency."""
    import torch

    hf = st.tokenizer
    size = len(hf)
    cls, sep = hf.cls_token_id, hf.sep_token_id
    if cls is None or sep is None:
        raise StorytraceError("static distillation needs a [CLS]/[SEP] tokenizer (a BERT-like model)")
    vectors = np.zeros((size, st.get_sentence_embedding_dimension()), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, size, batch):
            ids = torch.arange(start, min(size, start + batch), dtype=torch.long)
            inputs = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], dim=1)
            mask = torch.ones_like(inputs)
            out = st.forward({"input_ids": inputs, "attention_mask": mask})["token_embeddings"]
            vectors[start : start + ids.numel()] = out.mean(dim=1).numpy()
    vectors -= vectors.mean(axis=0, keepdims=True)
    rank = np.arange(1, size + 1, dtype=np.float64)
    prob = (1.0 / rank) / np.sum(1.0 / rank)
    weight = SIF_A / (SIF_A + prob)
    return np.asarray(vectors * weight[:, None].astype(np.float32), dtype=np.float32)
