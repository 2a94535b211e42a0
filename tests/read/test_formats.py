"""Texts refused as binary data or wordless (``read.formats.text_problem``): control characters are
counted in the first 200,000 characters, whatever else the text holds."""

from __future__ import annotations

import re

import pytest

from storytrace.read.formats import text_problem

_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")


def _controls_by_regex(text: str) -> int:
    return len(_CONTROL.findall(text[:200_000]))


@pytest.mark.parametrize(
    "text",
    [
        "Die Bürgermeisterin eröffnete die Brücke.\x01\x02 Ça commence — «enfin» \x7f",
        "Ελληνικά κείμενα\x1b[0m με χρώματα\x1b[1m και \ud800 μισό ζεύγος",
        "tabs\tnewlines\nreturns\rfeeds\x0c and vertical tabs\x0b are text, \x0e\x1f are not",
        "日本語のテキスト\x08\x08\x08\x08 and emoji 🙂\x03",
    ],
)
def test_control_characters_are_counted_in_any_script(text: str) -> None:
    assert 0 < _controls_by_regex(text) <= 8  # short texts tolerate 8
    assert text_problem(text) is None
    refused = text + "\x02" * 7
    count = _controls_by_regex(refused)
    assert count > 8
    assert text_problem(refused) == f"binary data ({count:,} control characters), not a text article"


def test_threshold_and_the_first_200_000_characters() -> None:
    assert text_problem("word " + "\x01" * 8) is None
    assert text_problem("word " + "\x01" * 9) == "binary data (9 control characters), not a text article"
    long_text = "Report é " * 25_000  # 225,000 characters: 2,000 controls tolerated
    assert text_problem(long_text[:150_000] + "\x05" * 2_000 + long_text[150_000:]) is None
    assert text_problem(long_text[:150_000] + "\x05" * 2_001 + long_text[150_000:]) is not None
    # controls after the first 200,000 characters are not looked at
    assert text_problem(long_text + "\x05" * 5_000) is None
    assert text_problem("nul\x00byte") == "contains NUL bytes: binary data, not a text article"
    assert text_problem("\x01 ... 123 !!") == "no words in the text"
