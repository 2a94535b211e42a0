"""The bundled multilingual embedders behind the Embedder interface."""

from __future__ import annotations

import numpy as np
import pytest

from storytrace.config import MULTILINGUAL_MODELS, Config
from storytrace.errors import ConfigError
from storytrace.text.multilingual_embed import MultilingualEmbedder, get_multilingual_embedder

TEXTS = [
    "The transport minister will sign the canal agreement on Thursday.",
    "Der Verkehrsminister wird das Kanalabkommen am Donnerstag unterzeichnen.",
    "El ministro de Transportes firmará el acuerdo del canal el jueves.",
    "A family bakery reopened in the old town after a fire last winter.",
]


@pytest.mark.slow
@pytest.mark.parametrize("model", MULTILINGUAL_MODELS)
def test_translations_sit_closer_than_an_unrelated_sentence(model: str) -> None:
    embedder = get_multilingual_embedder(model)
    vectors = embedder.encode(TEXTS)
    assert vectors.shape == (4, embedder.dimension) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    for i, j in ((0, 1), (0, 2), (1, 2)):
        assert sims[i, j] > sims[i, 3] + 0.05 and sims[i, j] > sims[j, 3] + 0.05
    assert embedder.encode([]).shape == (0, embedder.dimension)
    assert np.array_equal(embedder.encode(TEXTS[:1])[0], vectors[0])  # cached


def test_unknown_model_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match="use-multilingual-v3"):
        MultilingualEmbedder("labse")
    with pytest.raises(ConfigError, match="multilingual_model='labse'"):
        Config(multilingual_model="labse")


def test_kept_vectors_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-running process that regroups a growing store keeps at most MAX_CACHED vectors,
    the oldest dropped first, and still answers every text (new or dropped) correctly."""
    import storytrace.text.multilingual_embed as me

    calls: list[list[str]] = []

    class Counting(me.MultilingualEmbedder):
        def _encode(self, texts: list[str]) -> np.ndarray:
            calls.append(list(texts))
            rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
            for i, t in enumerate(texts):
                rows[i, len(t) % self.dimension] = 1.0
            return rows

    monkeypatch.setattr(me, "MAX_CACHED", 3)
    emb = Counting()
    sentences = ["Der Rat tagte.", "El consejo se reunió el lunes.", "Le conseil a voté.", "Rada obradowała."]
    first = emb.encode(sentences)
    assert len(emb._cache) == 3 and sentences[0] not in emb._cache
    again = emb.encode([sentences[0], sentences[3]])  # the dropped one is embedded again
    assert calls[-1] == [sentences[0]]
    assert np.array_equal(again, first[[0, 3]])
    assert len(emb._cache) == 3
