"""language: which language each article (and, in mixed text, each sentence) is written in.

Detection uses ``lingua-language-detector`` (Apache-2.0; its models ship in the wheel, nothing is
downloaded) in its low-accuracy mode over :data:`DETECTED`, the languages storytrace tells apart:
in that mode it reads whole articles right (600 of 600 SemEval-2022 articles in ten languages)
at about 2,000 sentences a second in about 150 MB. Languages are ISO 639-1 codes; ``"und"``
(undetermined) is given to text without enough letters to tell.

An article gets one language. Its sentences inherit it unless the article mixes languages
(:func:`sentence_languages`). lingua's own mixed-text detection was tried first: in low-accuracy
mode it cut a German article with one English sentence into runs of Estonian, Norwegian and
Indonesian, so sentences are detected one by one instead.

>>> detect("Der Präsident wird am Donnerstag in Genf erwartet, teilte das Ministerium mit.")
'de'
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..errors import MissingDependencyError
from ..records import Sentence

#: undetermined (BCP 47): too little text to tell
UNDETERMINED = "und"
#: the languages storytrace has tables for (numbers, dates, negation: ``locale_facts``) and tests
SUPPORTED = ("en", "de", "fr", "es", "it", "pl", "ru", "zh", "ar", "tr")
#: languages the detector tells apart (more than ``SUPPORTED``, so a Portuguese article is not
#: taken for Spanish); an article in any of them is still grouped, aligned and compared on
#: numbers, dates and names
DETECTED = (
    *SUPPORTED,
    "pt", "nl", "uk", "ja", "ko", "sv", "da", "nb", "fi", "cs", "sk", "ro", "hu", "el", "fa", "hi",
    "he", "id", "vi", "ca", "hr", "sr", "bg", "lt", "lv", "et", "sl",
)  # fmt: skip
#: sentences shorter than this inherit the article's language in mixed text
MIN_SENTENCE_CHARS = 40
#: confidence lingua must give a sentence's language to mark it as another language than its article's
MIN_CONFIDENCE = 0.9

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector() -> Any:
    with _lock:
        try:
            from lingua import IsoCode639_1, LanguageDetectorBuilder
        except ImportError:
            raise MissingDependencyError(
                "lingua-language-detector", "Language detection", "pip install lingua-language-detector"
            ) from None
        codes = [getattr(IsoCode639_1, code.upper()) for code in DETECTED]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def _code(language: Any) -> str:
    return str(language.iso_code_639_1.name.lower()) if language is not None else UNDETERMINED


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def detect(text: str) -> str:
    """The ISO 639-1 code of the language of ``text`` (``"und"`` when it has under 3 letters)."""
    return detect_many([text])[0]


def detect_many(texts: Sequence[str]) -> list[str]:
    """:func:`detect` of each text, the texts detected together on all cores (lingua's parallel
    detection gives each text the same answer as detecting it alone)."""
    out = [UNDETERMINED] * len(texts)
    wanted = [k for k, text in enumerate(texts) if _letters(text) >= 3]
    if wanted:
        found = _detector().detect_languages_in_parallel_of([texts[k] for k in wanted])
        for k, language in zip(wanted, found, strict=True):
            out[k] = _code(language)
    return out


def is_english(language: str | None) -> bool:
    """English, or undetermined (the English pipeline is the default for text too short to tell)."""
    return language in (None, "en", UNDETERMINED)


def sentence_languages(text: str, sentences: Sequence[Sentence], language: str) -> tuple[Sentence, ...]:
    """The sentences of an article in ``language`` (its text: ``text``), each sentence's
    ``language`` set where it differs from the article's (mixed text).

    Every sentence of at least :data:`MIN_SENTENCE_CHARS` characters is detected on its own. One
    sentence alone is not trusted (on English news, about one sentence in 400 full of names is
    taken for German or Swedish with high confidence): a sentence is marked only when its
    detected language is confident (:data:`MIN_CONFIDENCE`) and a neighbouring sentence agrees,
    or when it is written in another script than the article."""
    return sentence_languages_many([(text, sentences, language)])[0]


def sentence_languages_many(
    articles: Sequence[tuple[str, Sequence[Sentence], str]],
) -> list[tuple[Sentence, ...]]:
    """:func:`sentence_languages` of each (text, sentences, language), the sentences of all of them
    detected together (each distinct sentence once, on all cores)."""
    long = [
        [k for k, s in enumerate(sentences) if len(s.text) >= MIN_SENTENCE_CHARS]
        if len(sentences) > 1
        else []
        for _, sentences, _ in articles
    ]
    detected = iter(
        _sentence_detections(
            [sentences[k].text for (_, sentences, _), ks in zip(articles, long, strict=True) for k in ks]
        )
    )
    return [
        _mark_other_languages(text, sentences, language, {k: next(detected) for k in ks})
        for (text, sentences, language), ks in zip(articles, long, strict=True)
    ]


def _mark_other_languages(
    text: str, sentences: Sequence[Sentence], language: str, found: dict[int, Any]
) -> tuple[Sentence, ...]:
    codes = {k: _code(v) for k, v in found.items()}
    other = [k for k, c in codes.items() if c not in (language, UNDETERMINED)]
    if not other:
        return tuple(sentences)
    from .locale_facts import script

    detector = _detector()
    home = script(text)
    out = list(sentences)
    for k in other:
        code = codes[k]
        neighbour = codes.get(k - 1) == code or codes.get(k + 1) == code
        confident = detector.compute_language_confidence(sentences[k].text, found[k]) >= MIN_CONFIDENCE
        if (neighbour and confident) or script(sentences[k].text) != home:
            out[k] = replace(sentences[k], language=code)
    return tuple(out)


#: sentences whose detected language is kept (copies and trims repeat most sentences of their
#: source; a lingua result is a small shared enum object)
MAX_REMEMBERED = 200_000
_remembered: dict[str, Any] = {}
_UNSEEN = object()


def _sentence_detections(texts: Sequence[str]) -> list[Any]:
    """lingua's language of each text (None: undetermined), each distinct text detected once per
    process: the same answer as detecting them all, without repeating the work for the sentences
    that republished copies share."""
    known: dict[str, Any] = {}
    for text in texts:
        found = _remembered.get(text, _UNSEEN)  # one lookup: safe while another thread clears
        if found is not _UNSEEN:
            known[text] = found
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:
        new = dict(zip(missing, _detector().detect_languages_in_parallel_of(missing), strict=True))
        known.update(new)
        if len(_remembered) + len(new) > MAX_REMEMBERED:
            _remembered.clear()
        _remembered.update(new)
    return [known[t] for t in texts]


def sentence_language(sentence: Sentence, article_language: str) -> str:
    """A sentence's own language, else its article's."""
    return sentence.language or article_language
