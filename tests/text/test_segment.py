from __future__ import annotations

from storytrace.text.segment import segment


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
