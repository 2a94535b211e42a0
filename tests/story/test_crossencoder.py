"""The cross-encoder judge of linked sentences (storytrace.story.crossencoder) and its use by align."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storytrace.config import Config
from storytrace.errors import ConfigError, StorytraceError
from storytrace.records import Link
from storytrace.story import crossencoder
from storytrace.story.align import align, relabel_rewritten
from storytrace.story.meaning import CROSS_ENCODER_LOGISTIC_SHARE, same_meaning

from .test_meaning import CHANGED, SAME, two_versions

#: a few labelled pairs of our own for a short training run
TRAINING = [
    *((a, b, True) for a, b in SAME),
    *((a, b, False) for a, b in CHANGED),
    (
        "The museum will reopen its east wing in May after a two-year renovation.",
        "After two years of renovation, the museum's east wing reopens in May.",
        True,
    ),
    (
        "The museum will reopen its east wing in May after a two-year renovation.",
        "The museum reopened its east wing last week, and its director resigned the same day.",
        False,
    ),
]


@pytest.fixture(scope="session")
def judge() -> crossencoder.CrossEncoderJudge:
    """The shipped judge, loaded once for the session."""
    return crossencoder.shipped_judge()


@pytest.mark.slow
def test_training_round_trips_through_the_shipped_format(tmp_path: Path) -> None:
    settings = crossencoder.TrainingSettings(epochs=1, batch_size=4, learning_rate=1e-4)
    steps: list[int] = []
    pairs = [(a, b) for a, b, _ in TRAINING]
    model, tokenizer = crossencoder.train(
        pairs, [y for _, _, y in TRAINING], settings, progress=lambda s, n, loss: steps.append(s)
    )
    # both orders of 6 pairs in batches of 4: 3 steps
    assert steps == [1, 2, 3]
    path = tmp_path / "judge.npz"
    crossencoder.save_delta(model, path, crossencoder.settings_meta(settings, "six pairs"))
    with np.load(path) as data:
        names = set(data.files)
    # the frozen word embeddings do not ship; the other trained weights do, as int8 matrices
    assert not any(n.startswith("bert.embeddings.word_embeddings") for n in names)
    assert "bert.encoder.layer.0.attention.self.query.weight::q" in names
    assert "classifier.weight::full" in names
    loaded, _, meta = crossencoder.load_delta(path)
    assert meta["fitted_on"] == "six pairs" and meta["epochs"] == 1
    trained = crossencoder.pair_logits(model, tokenizer, pairs)
    restored = crossencoder.pair_logits(loaded, tokenizer, pairs)
    # int8 differences with a scale per row: the logits barely move
    assert np.max(np.abs(trained - restored)) < 0.02, (trained, restored)
    # and training moved them: the untouched model with a fresh head gives other logits
    fresh, _ = crossencoder.new_model(crossencoder.base_model_path())
    assert np.max(np.abs(crossencoder.pair_logits(fresh, tokenizer, pairs) - trained)) > 0.01


def test_training_needs_one_label_per_pair() -> None:
    with pytest.raises(StorytraceError, match="2 pairs, 1 labels"):
        crossencoder.train([("a", "b"), ("c", "d")], [True])


def test_unreadable_delta_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a zip archive")
    with pytest.raises(StorytraceError, match=r"broken\.npz"):
        crossencoder.load_delta(bad)


@pytest.mark.slow
def test_shipped_judge_separates_rewordings_from_changed_meaning(
    judge: crossencoder.CrossEncoderJudge,
) -> None:
    p = judge.probability(SAME + CHANGED)
    assert all(v >= 0.5 for v in p[: len(SAME)]), p
    assert all(v < 0.5 for v in p[len(SAME) :]), p
    # symmetric: both orders are read
    swapped = judge.probability([(b, a) for a, b in SAME + CHANGED])
    assert np.allclose(p, swapped, atol=1e-6)
    assert judge.meta["fitted_on"].startswith("MRPC") and "odd lines" in judge.meta["fitted_on"]
    assert len(judge.probability([])) == 0


@pytest.mark.slow
def test_same_meaning_and_relabel_use_the_chosen_judge(judge: crossencoder.CrossEncoderJudge) -> None:
    pairs = SAME + CHANGED
    cosines = [0.8] * len(pairs)
    by_judge = same_meaning(pairs, cosines, judge="cross-encoder")
    # the cross-encoder's probability mixed with the logistic model's
    share = CROSS_ENCODER_LOGISTIC_SHARE
    logistic = same_meaning(pairs, cosines, judge="logistic")
    assert np.allclose(by_judge, (1 - share) * judge.probability(pairs) + share * logistic)
    assert not np.allclose(by_judge, logistic) and not np.allclose(by_judge, judge.probability(pairs))
    with pytest.raises(StorytraceError, match="'bert'"):
        same_meaning(pairs, [0.0] * len(pairs), judge="bert")
    links = [Link((0,), (0,), "paraphrase", 0.8) for _ in pairs] + [Link((0,), (0,), "verbatim", 1.0)]
    texts = [*pairs, ("Same words.", "Same words.")]
    labels = [lk.label for lk in relabel_rewritten(links, texts, [0.8] * len(texts), "cross-encoder")]
    assert labels == ["paraphrase"] * len(SAME) + ["rewritten"] * len(CHANGED) + ["verbatim"]


@pytest.mark.slow
def test_align_labels_with_either_judge() -> None:
    a, b, va, vb = two_versions()
    expected = {(0,): "paraphrase", (1,): "rewritten", (2,): "verbatim"}
    for judge in ("cross-encoder", "logistic"):
        al = align(a, b, va, vb, Config(meaning_model=judge))
        assert {lk.target: lk.label for lk in al.links} == expected, judge


def test_config_rejects_an_unknown_judge() -> None:
    with pytest.raises(ConfigError, match="meaning_model='bert'"):
        Config(meaning_model="bert")
    assert Config.load(meaning_model="logistic").meaning_model == "logistic"
