"""The ONNX runtime of the sentence embedder gives torch's vectors, and without onnxruntime the
embedder falls back to torch with the install line."""

from __future__ import annotations

import itertools
import logging
import sys
from pathlib import Path

import numpy as np
import pytest

from storytrace.config import Config
from storytrace.errors import ConfigError, StorytraceError
from storytrace.text import embed, onnx_embed
from storytrace.text.embed import SentenceTransformerEmbedder

#: news sentences of various lengths, with names, numbers, quotes, case and spacing variants
SENTENCES = [
    "Firefighters brought the blaze at the Harbour Road warehouse under control shortly after 3 a.m.",
    "FIREFIGHTERS BROUGHT THE BLAZE UNDER CONTROL.",
    "The mayor, Ana Petrović, said 14 families had been moved to a school gym overnight.",
    '"We lost everything in twenty minutes," said Tomasz Nowak, 52, who has lived there since 1998.',
    "Shares fell 4.2% to $31.07 in early trading on Tuesday.",
    "No one was hurt.",
    "",
    "   Leading and trailing spaces are stripped by the model's tokenizer.   ",
    "The ministry did not confirm the report; a spokeswoman declined to comment on what she called "
    "an ongoing investigation into the contract, which was signed in March 2021 and renewed twice "
    "without a tender, according to documents seen by the newspaper.",
    "Police in Lyon arrested three men aged between 19 and 23 in connection with the robbery.",
    "Der Bürgermeister sagte, die Straße bleibe bis Freitag gesperrt.",
    " ".join(["The committee will meet again next week to review the figures."] * 40),
]


@pytest.mark.slow
def test_onnx_vectors_match_torch_on_news_sentences() -> None:
    torch = SentenceTransformerEmbedder(cache=False, runtime="torch").encode(SENTENCES)
    onnx = SentenceTransformerEmbedder(cache=False, runtime="onnx")
    vectors = onnx.encode(SENTENCES)
    assert onnx.runtime == "onnx", "onnxruntime is a dependency: the ONNX path must run, not the fallback"
    assert vectors.shape == torch.shape == (len(SENTENCES), 384)
    assert vectors.dtype == np.float32
    assert np.abs(vectors - torch).max() < 1e-5
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # the same sentence alone or in a batch of others: the same vector (to float noise)
    alone = onnx.encode([SENTENCES[2]])
    assert np.abs(alone[0] - vectors[2]).max() < 1e-5
    # the nearest neighbours are the same as torch's
    assert ((vectors @ vectors.T).argsort(axis=1)[:, -3:] == (torch @ torch.T).argsort(axis=1)[:, -3:]).all()


def test_missing_onnxruntime_falls_back_to_torch_with_the_install_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime -> ImportError
    assert not onnx_embed.runtime_available()
    with caplog.at_level(logging.WARNING, logger="storytrace.text.embed"):
        assert embed._load_onnx("all-MiniLM-L6-v2", 64, quantize=False) is None
    assert "onnxruntime is not installed" in caplog.text
    assert onnx_embed.INSTALL in caplog.text and "pip install onnxruntime" in caplog.text


@pytest.mark.slow
def test_fallback_embedder_runs_on_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    embedder = SentenceTransformerEmbedder(cache=False, runtime="onnx")
    vectors = embedder.encode(SENTENCES[:3])
    assert embedder.runtime == "torch" and vectors.shape == (3, 384)


@pytest.mark.slow
def test_bf16_vectors_stay_close_to_fp32_on_news_sentences() -> None:
    if not embed.bf16_supported():
        pytest.skip("this CPU has no bfloat16 units (AMX or AVX-512 BF16)")
    fp32 = SentenceTransformerEmbedder(cache=False, runtime="onnx").encode(SENTENCES)
    bf16 = SentenceTransformerEmbedder(cache=False, runtime="torch-bf16")
    vectors = bf16.encode(SENTENCES)
    assert bf16.runtime == "torch-bf16"
    assert vectors.shape == fp32.shape and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = (vectors * fp32).sum(axis=1)
    # close (ECB+ sentences: lowest cosine 0.9999), yet not the fp32 vectors: an opt-in runtime
    assert cosines.min() > 0.999 and np.abs(vectors - fp32).max() > 1e-5
    assert ((vectors @ vectors.T).argsort(axis=1)[:, -2:] == (fp32 @ fp32.T).argsort(axis=1)[:, -2:]).all()


def test_bf16_without_bfloat16_units_runs_onnx_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(embed, "bf16_supported", lambda: False)
    with caplog.at_level(logging.WARNING, logger="storytrace.text.embed"):
        embedder = SentenceTransformerEmbedder(cache=False, runtime="torch-bf16")
    assert embedder.runtime == "onnx"
    assert "needs a CPU with AMX or AVX-512 BF16" in caplog.text
    assert Config(embed_runtime="torch-bf16").embed_runtime == "torch-bf16"


def test_unknown_runtime_is_refused() -> None:
    with pytest.raises(StorytraceError, match="unknown embedding runtime 'cuda'"):
        SentenceTransformerEmbedder(runtime="cuda")
    with pytest.raises(ConfigError, match="embed_runtime"):
        Config(embed_runtime="cuda")
    assert Config().embed_runtime == "onnx"


def test_export_folder_is_keyed_by_the_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYTRACE_CACHE", str(tmp_path))
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights one")
    first = onnx_embed.export_dir(str(model))
    assert first.parent == tmp_path / "onnx" and first.name.startswith("model-")
    assert onnx_embed.export_dir(str(model)) == first
    (model / "model.safetensors").write_bytes(b"other weights, longer")
    assert onnx_embed.export_dir(str(model)) != first


def test_batches_keep_lengths_close_and_cover_every_text() -> None:
    rng = np.random.default_rng(16)
    lengths = np.sort(rng.integers(3, 120, size=700))[::-1].astype(np.int64)  # word pieces, longest first
    runs = onnx_embed._batches(lengths, 64, 1.1)
    assert runs[0].start == 0 and runs[-1].stop == len(lengths)
    assert all(a.stop == b.start for a, b in itertools.pairwise(runs))
    for run in runs:
        batch = lengths[run]
        assert 1 <= len(batch) <= 64 and batch[0] <= 1.1 * batch[-1]
    padded = sum(int(lengths[r][0]) * len(lengths[r]) for r in runs)
    assert padded <= 1.1 * lengths.sum()  # fixed batches of 64 pad far more
    fixed = sum(int(lengths[i]) * len(lengths[i : i + 64]) for i in range(0, len(lengths), 64))
    assert padded < fixed
