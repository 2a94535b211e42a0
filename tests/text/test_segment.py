from __future__ import annotations

import pytest

from storytrace.text.segment import segment, split_sentences


def test_offsets_and_abbreviations() -> None:
    text = (
        'Mr. Vasko met Dr. Ostan in the U.S. capital on Jan. 5. He said: "We are ready." Then he left.\n\n'
        "The U.N. envoy said 3.4 billion dollars was spent. J. Smith agreed! Really?"
    )
    sents = segment("a", text)
    assert [s.text for s in sents] == [
        "Mr. Vasko met Dr. Ostan in the U.S. capital on Jan. 5.",
        'He said: "We are ready."',
        "Then he left.",
        "The U.N. envoy said 3.4 billion dollars was spent.",
        "J. Smith agreed!",
        "Really?",
    ]
    assert all(text[s.start : s.end] == s.text for s in sents)
    assert [s.paragraph for s in sents] == [0, 0, 0, 1, 1, 1]
    assert [s.index for s in sents] == list(range(6))
    assert all(s.article == "a" for s in sents)


def test_paragraph_without_final_punctuation_is_a_sentence() -> None:
    sents = segment("b", "Soviet-era ties\n\nThe two countries signed a treaty in 1961.")
    assert [s.text for s in sents] == ["Soviet-era ties", "The two countries signed a treaty in 1961."]


def test_curly_quotes_close_after_full_stop() -> None:
    sents = segment("c", "“We will sign,” he said. “It is done.” The crowd cheered.")
    assert [s.text for s in sents] == ["“We will sign,” he said.", "“It is done.”", "The crowd cheered."]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Das Abkommen über 3,4 Mrd. Euro wurde am 3. März unterzeichnet. Dr. Müller u.a. widersprachen.",
         ["Das Abkommen über 3,4 Mrd. Euro wurde am 3. März unterzeichnet.", "Dr. Müller u.a. widersprachen."]),
        ("ru", "Соглашение на 3,4 млрд. евро подписано 3 марта. Министр т.е. глава ведомства заявил об этом.",
         ["Соглашение на 3,4 млрд. евро подписано 3 марта.", "Министр т.е. глава ведомства заявил об этом."]),
        ("zh", "部长周四表示，协议将于3月12日签署。他说：“这是好日子。”工人们欢迎。",
         ["部长周四表示，协议将于3月12日签署。", "他说：“这是好日子。”", "工人们欢迎。"]),
        ("ar", "قال الوزير إن الاتفاق سيوقع. هل سيحضر الرئيس؟ نعم سيحضر.",
         ["قال الوزير إن الاتفاق سيوقع.", "هل سيحضر الرئيس؟", "نعم سيحضر."]),
        ("es", "El Sr. García dijo que firmará. ¿Vendrá el presidente? Sí, vendrá.",
         ["El Sr. García dijo que firmará.", "¿Vendrá el presidente?", "Sí, vendrá."]),
        ("fr", "Il est arrivé le 1er mars. « C'est fini. » Voilà.",
         ["Il est arrivé le 1er mars.", "« C'est fini. »", "Voilà."]),
        ("pl", "Minister powiedział m.in., że umowa zostanie podpisana. Prof. Kowalski się nie zgodził.",
         ["Minister powiedział m.in., że umowa zostanie podpisana.", "Prof. Kowalski się nie zgodził."]),
    ],
)  # fmt: skip
def test_other_languages_split_with_their_own_rules(language: str, text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text, language)] == expected


def test_a_decimal_point_spaced_off_by_tokenisation_is_not_a_sentence_end() -> None:
    text = "Shares in Tirsk fell 4. 7 per cent. The 5. 8 - magnitude quake hit at dawn. He left in 1990. 12 years later he came back."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Shares in Tirsk fell 4. 7 per cent.",
        "The 5. 8 - magnitude quake hit at dawn.",
        "He left in 1990.",
        "12 years later he came back.",
    ]
