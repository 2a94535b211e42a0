"""onnx_embed: the same sentence-transformers model run by ONNX Runtime instead of torch.

The model (transformer, pooling, normalisation: the whole sentence-transformers forward pass) is
exported once with ``torch.onnx.export`` into a cache folder (``$STORYTRACE_CACHE``, else
``$XDG_CACHE_HOME/storytrace``, else ``~/.cache/storytrace``), beside its tokenizer and a small
JSON file (maximum sequence length, vector width). Later runs load only ``onnxruntime``,
``tokenizers`` and numpy: torch is not imported. The vectors are the torch model's to about 1e-6
(fused kernels sum in another order, like a change of batch), so the answers are the same.

Texts are tokenised by the model's own fast tokenizer (truncated at the model's
``max_seq_length``, stripped like sentence-transformers does), sorted by length and run in
batches of at most ``batch_size`` whose longest text is at most 1.1 times their shortest, padded
to their longest member: short sentences do not pay for long ones (fixed batches of 64 ran about
twice the word pieces of a news pile's sentences). ``quantize=True`` runs a dynamically int8-quantised copy of the graph (about twice as fast
again, but the vectors move: mean cosine to fp32 0.992, lowest 0.97 on news sentences; an option,
off by default).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..config import usable_cores
from ..errors import MissingDependencyError, StorytraceError

log = logging.getLogger(__name__)

Matrix = npt.NDArray[np.float32]

#: the exact install line for the ONNX runtime (int8 quantisation also needs ``onnx``)
INSTALL = "pip install onnxruntime==1.32.0 onnx==1.23.2"
#: bumped when the exported graph changes, so old exports are not reused
EXPORT_VERSION = 1


def cache_root() -> Path:
    """The folder for exported models."""
    explicit = os.environ.get("STORYTRACE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "storytrace"


def runtime_available() -> bool:
    """True when ``onnxruntime`` and ``tokenizers`` import."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


def export_dir(model_path: str) -> Path:
    """The cache folder of ``model_path``'s export, keyed by the path, its weights' size and time."""
    stamp = [model_path, str(EXPORT_VERSION)]
    folder = Path(model_path)
    if folder.is_dir():
        for weights in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")):
            info = weights.stat()
            stamp += [weights.name, str(info.st_size), str(int(info.st_mtime))]
    digest = hashlib.sha256("\n".join(stamp).encode()).hexdigest()[:16]
    return cache_root() / "onnx" / f"{folder.name or 'model'}-{digest}"


def export(model: Any, target: Path) -> Path:
    """Write ``model`` (a loaded SentenceTransformer) as ``target``/model.onnx, its tokenizer and
    meta.json; written into a temporary folder first and renamed, so concurrent runs never read a
    half-written export."""
    import torch

    class Forward(torch.nn.Module):
        def __init__(self, st: Any) -> None:
            super().__init__()
            self.st = st

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            features = {"input_ids": input_ids, "attention_mask": attention_mask}
            features["token_type_ids"] = torch.zeros_like(input_ids)
            return self.st(features)["sentence_embedding"]

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    tmp.chmod(0o755)
    ids = torch.ones((2, 8), dtype=torch.long)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes it fixes (none matter here)
        torch.onnx.export(
            Forward(model).eval(),
            (ids, torch.ones_like(ids)),
            str(tmp / "model.onnx"),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "b", 1: "s"}, "attention_mask": {0: "b", 1: "s"}, "embedding": {0: "b"}},
            opset_version=17,
            dynamo=False,
        )
    model.tokenizer.backend_tokenizer.save(str(tmp / "tokenizer.json"))
    meta = {
        "max_seq_length": int(model.max_seq_length),
        "dimension": int(getattr(model, "get_embedding_dimension", model.get_sentence_embedding_dimension)()),
        "lowercase": bool(getattr(model[0], "do_lower_case", False)),
    }
    (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    try:
        os.replace(tmp, target)
    except OSError:  # another process exported it first
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()
    return target


def quantized(target: Path) -> Path:
    """``target``/model.int8.onnx: the export with its weights dynamically quantised to int8."""
    out = target / "model.int8.onnx"
    if out.exists():
        return out
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        raise MissingDependencyError("onnx", "int8 quantisation of the sentence embedder", INSTALL) from None
    tmp = target / f"model.int8.{os.getpid()}.onnx"
    # the matrix products only, one scale per output channel: on news sentences the lowest cosine
    # to the fp32 vectors is 0.97 (0.86 with one scale per matrix, 0.83 with the embeddings quantised too)
    quantize_dynamic(
        str(target / "model.onnx"),
        str(tmp),
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul"],
        per_channel=True,
    )
    os.replace(tmp, out)
    return out


class OnnxEncoder:
    """An exported sentence-transformers model run by ONNX Runtime: texts -> L2-normalised rows."""

    #: a batch's longest text is at most this many times its shortest (in word pieces)
    spread = 1.1

    def __init__(self, folder: Path, batch_size: int = 64, quantize: bool = False, threads: int = 0) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError:
            raise MissingDependencyError("onnxruntime", "The ONNX sentence embedder", INSTALL) from None
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.max_length = int(meta["max_seq_length"])
        self.dimension = int(meta["dimension"])
        self.lowercase = bool(meta["lowercase"])
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or usable_cores()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # no busy-waiting between operators: on a machine shared with other jobs a spinning thread
        # burns CPU the other one needs (the answers are the same either way)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        graph = quantized(folder) if quantize else folder / "model.onnx"
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        prepared = [t.strip().lower() if self.lowercase else t.strip() for t in texts]
        encodings = [e.ids for e in self.tokenizer.encode_batch(prepared)]
        lengths = np.fromiter((len(e) for e in encodings), dtype=np.int64, count=len(encodings))
        order = np.argsort(-lengths, kind="stable")
        with self._lock:
            for run in _batches(lengths[order], self.batch_size, self.spread):
                rows = order[run]
                width = int(lengths[rows[0]])
                ids = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros((len(rows), width), dtype=np.int64)
                for r, k in enumerate(rows):
                    ids[r, : lengths[k]] = encodings[k]
                    mask[r, : lengths[k]] = 1
                out[rows] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.asarray(out / np.maximum(norms, 1e-12), dtype=np.float32)


def _batches(lengths: npt.NDArray[np.int64], size: int, spread: float) -> list[slice]:
    """Runs of ``lengths`` (sorted longest first) of at most ``size`` texts whose longest is at
    most ``spread`` times their shortest: every text is padded to its batch's longest, and a
    pile of a few hundred sentences of 5 to 100 word pieces in fixed batches of 64 runs about
    twice the word pieces it has."""
    out: list[slice] = []
    start = 0
    n = len(lengths)
    while start < n:
        end = start + 1
        while end < n and end - start < size and lengths[start] <= spread * lengths[end]:
            end += 1
        out.append(slice(start, end))
        start = end
    return out


@lru_cache(maxsize=4)
def load_encoder(model_path: str, batch_size: int = 64, quantize: bool = False) -> OnnxEncoder:
    """The ONNX encoder of the sentence-transformers model at ``model_path`` (a local folder),
    exported on first use (that needs torch and sentence-transformers once)."""
    folder = export_dir(model_path)
    if not (folder / "model.onnx").exists():
        log.info("exporting %s to ONNX in %s (once)", model_path, folder)
        try:
            from sentence_transformers import SentenceTransformer

            export(SentenceTransformer(model_path, device="cpu"), folder)
        except Exception as err:
            raise StorytraceError(f"cannot export the sentence embedder {model_path!r} to ONNX: {err}") from err
    return OnnxEncoder(folder, batch_size, quantize)
