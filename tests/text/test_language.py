"""Language of articles and of sentences in mixed text (lingua, bundled models)."""

from __future__ import annotations

import pytest

from storytrace.records import Sentence
from storytrace.text.language import SUPPORTED, detect, is_english, sentence_languages
from storytrace.text.segment import segment

#: one news sentence per supported language (written for these tests)
SENTENCES = {
    "en": "The transport minister confirmed on Thursday that the canal agreement will be signed next week.",
    "de": "Der Verkehrsminister bestätigte am Donnerstag, dass das Kanalabkommen nächste Woche unterzeichnet wird.",
    "fr": "Le ministre des Transports a confirmé jeudi que l'accord sur le canal sera signé la semaine prochaine.",
    "es": "El ministro de Transportes confirmó el jueves que el acuerdo del canal se firmará la próxima semana.",
    "it": "Il ministro dei Trasporti ha confermato giovedì che l'accordo sul canale sarà firmato la settimana prossima.",
    "pl": "Minister transportu potwierdził w czwartek, że umowa w sprawie kanału zostanie podpisana w przyszłym tygodniu.",
    "ru": "Министр транспорта подтвердил в четверг, что соглашение о канале будет подписано на следующей неделе.",
    "zh": "交通部长周四证实，运河协议将于下周签署。",
    "ar": "أكد وزير النقل يوم الخميس أن اتفاقية القناة سيتم توقيعها الأسبوع المقبل.",
    "tr": "Ulaştırma bakanı perşembe günü kanal anlaşmasının gelecek hafta imzalanacağını doğruladı.",
}


@pytest.mark.parametrize("language", SUPPORTED)
def test_detects_each_supported_language(language: str) -> None:
    assert detect(SENTENCES[language]) == language


def test_too_little_text_is_undetermined_and_taken_as_english() -> None:
    assert detect("") == "und"
    assert detect("12 345 --") == "und"
    assert is_english("und") and is_english("en") and not is_english("de")


def test_mixed_article_marks_the_sentences_in_the_other_language() -> None:
    text = (
        "Der Verkehrsminister bestätigte am Donnerstag den Termin des Besuchs in einer Erklärung. "
        "Die Arbeiten am Kanal sollen im April beginnen, teilte das Ministerium in Tirsk mit. "
        "The minister told reporters in English that the ink would be dry by the end of the month. "
        "He added that both governments were ready to begin work as soon as the treaty was signed. "
        "Beide Länder würden den Kanal für Schiffe aus Drittländern zu gleichen Bedingungen offen halten. "
        "Министр транспорта подтвердил в четверг, что соглашение будет подписано."
    )
    language = detect(text)
    sentences = sentence_languages(text, segment("a", text, language), language)
    assert language == "de"
    # two English sentences in a row; a lone sentence only when its script differs
    assert [s.language for s in sentences] == [None, None, "en", "en", None, "ru"]


def test_one_language_article_sets_no_sentence_language() -> None:
    text = SENTENCES["fr"] + " " + SENTENCES["fr"].replace("jeudi", "vendredi")
    sentences = segment("a", text, "fr")
    assert all(s.language is None for s in sentence_languages(text, sentences, "fr"))
    assert sentence_languages("x", (Sentence("a", 0, 0, 1, "x", 0),), "en")[0].language is None


def test_each_distinct_sentence_is_detected_once_with_the_same_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storytrace.text import language as lang

    texts = [SENTENCES["en"], SENTENCES["de"], SENTENCES["en"] + " (copy)", SENTENCES["de"]]
    direct = lang._detector().detect_languages_in_parallel_of(texts)
    monkeypatch.setattr(lang, "_remembered", {})
    calls: list[list[str]] = []
    real = lang._detector()

    class Counting:
        def detect_languages_in_parallel_of(self, batch: list[str]) -> list[object]:
            calls.append(list(batch))
            return list(real.detect_languages_in_parallel_of(batch))

    monkeypatch.setattr(lang, "_detector", lambda: Counting())
    assert lang._sentence_detections(texts) == direct
    assert calls == [texts[:3]]  # the repeated German sentence once
    # a republished copy: nothing new to detect, the same answers
    assert lang._sentence_detections(texts[::-1]) == direct[::-1]
    assert len(calls) == 1
