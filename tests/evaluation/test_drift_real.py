"""The drift-on-real-articles suite: matching raised flags to hand labels when the extraction of
``before``/``after`` changes, precision, coverage and true flags kept per part, the label file's
form, and (slow) the collector on one real ECB+ story."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from storytrace.errors import ConfigError
from storytrace.evaluation import SUITES, drift_real
from storytrace.evaluation.core import Context
from storytrace.evaluation.drift_real import (
    DIFFERENCES,
    ECB_STORIES,
    FAMILIES_TRUE,
    MIN_COVERAGE,
    Flag,
    Label,
    digest,
    label_template,
    match,
    part_of,
    pins,
    read_labels,
    scores,
)

from ..conftest import ROOT, SHARED, needs_shared

LABELS = ROOT / drift_real.LABEL_FILE

# A story of two reports of one landslide, written for this test (tune part: topic 1)
TOLL_A = "At least 12 people died when the hillside gave way above Varnel on Monday, police said."
TOLL_B = "At least 14 people died when the hillside gave way above Varnel on Monday, police said."
STAMP_A = "Posted 3 / 4 / 2021 10: 41 AM"
STAMP_B = "3 / 4 / 2021 4: 12 PM"
QUOTE_A = '"We are still digging," said the mayor, Ilse Corvan.'
QUOTE_B = '"We are still digging by hand," said the mayor, Ilse Korvan.'


def _flag(
    story: str, kind: str, before: str, after: str, s: str, t: str, difference: str | None = None
) -> Flag:
    return Flag(story, "a1", "a2", kind, before, after, s, t, difference)


def _label(flag: Flag, label: bool, family: str, difference: str | None = None) -> Label:
    entry = label_template(flag)
    entry.update(label=label, family=family, difference=difference, reason="written for the test")
    return Label(**entry)


S1 = "ecbplus:1_test"  # tune part
S3 = "ecbplus:3_test"  # held-out part
TOLL = _flag(S1, "number", "12", "14", TOLL_A, TOLL_B, "conflict")
HOUR = _flag(S1, "number", "10", "4", STAMP_A, STAMP_B)
MINUTE = _flag(S1, "number", "41", "12", STAMP_A, STAMP_B)
NAME = _flag(S3, "name", "Corvan", "Korvan", QUOTE_A, QUOTE_B, "variant")
QUOTE = _flag(S3, "quote", "", "by hand", QUOTE_A, QUOTE_B, "rewording")
LABELLED = [
    _label(TOLL, True, "true-conflict", "conflict"),
    _label(HOUR, False, "dateline"),
    _label(MINUTE, False, "dateline"),
    _label(NAME, True, "true-variant", "variant"),
    _label(QUOTE, True, "true-variant", "variant"),
]


def test_parts_follow_the_topic_and_the_page_hash() -> None:
    assert [part_of(f"ecbplus:{t}_ecb") for t in (1, 2, 3, 4, 5, 7, 33, 34, 35)] == [
        "tune",
        "fresh",
        "held-out",
        "fresh",
        "tune",
        "held-out",
        "tune",
        "fresh",
        "held-out",
    ]
    assert {part_of(f"versions:Page {k}") for k in range(20)} == {"tune", "held-out"}
    assert {part_of(f"mrpc:{k}_{k + 1}") for k in range(40)} == {"tune", "fresh"}
    assert all(int(s.split("_")[0]) % 2 == 1 for s in ECB_STORIES)  # tuning topics
    assert all(int(s.split("_")[0]) % 2 == 0 for s in drift_real.FRESH_ECB_STORIES)  # never tuned on


def test_digest_ignores_spacing_only() -> None:
    assert digest("a  b\nc") == digest("a b c") != digest("a b d")
    assert len(digest(TOLL_A)) == 12


def test_every_flag_raised_again_keeps_its_label() -> None:
    m = match([TOLL, HOUR, MINUTE, NAME, QUOTE], LABELLED)
    assert not m.unlabelled and not m.not_raised
    assert {(f.before, lab.family) for f, lab in m.matched} == {
        ("12", "true-conflict"),
        ("10", "dateline"),
        ("41", "dateline"),
        ("Corvan", "true-variant"),
        ("", "true-variant"),
    }


def test_a_new_extraction_of_before_and_after_keeps_the_label() -> None:
    # the drift code now reads the whole time and the quote's words: same sentences, same kind
    hour = _flag(S1, "number", "10:41 AM", "4:12 PM", STAMP_A, STAMP_B)
    quote = _flag(S3, "quote", "We are still digging", "We are still digging by hand", QUOTE_A, QUOTE_B)
    m = match([TOLL, hour, NAME, quote], LABELLED)
    assert not m.unlabelled
    assert dict((f.after, lab.family) for f, lab in m.matched)["4:12 PM"] == "dateline"
    assert [lab.before_hash for lab in m.not_raised] == [digest("41")]  # the minute is no longer raised


def test_exact_details_take_their_own_label_first() -> None:
    # the minute flag comes first but must not take the hour's label, nor the hour the minute's
    m = match([MINUTE, HOUR], [LABELLED[1], LABELLED[2]])
    assert {(f.before, lab.before_hash) for f, lab in m.matched} == {
        ("41", digest("41")),
        ("10", digest("10")),
    }


def test_flags_on_other_sentences_or_kinds_are_unlabelled() -> None:
    moved = _flag(S1, "number", "12", "14", TOLL_A, TOLL_B.replace("Monday", "Sunday"))
    other_kind = _flag(S1, "date", "10", "4", STAMP_A, STAMP_B)
    m = match([moved, other_kind, TOLL, TOLL], LABELLED)  # the toll raised twice, labelled once
    assert m.unlabelled == (moved, other_kind, TOLL)


def test_precision_coverage_and_true_kept_per_part() -> None:
    unlabelled = _flag(S3, "date", "Monday", "Tuesday", QUOTE_A, TOLL_B)
    m = match([TOLL, HOUR, MINUTE, QUOTE, unlabelled], LABELLED)
    every = scores(m, LABELLED)
    assert every["raised"] == 5 and every["labelled"] == 4
    assert every["coverage"] == pytest.approx(4 / 5)
    assert every["precision"] == pytest.approx(2 / 4)  # the toll and the quote, among four labelled
    assert every["true kept"] == pytest.approx(2 / 3)  # the name variant is no longer raised
    # the raised difference agrees with the label for the toll, not for the quote
    assert every["difference agrees"] == pytest.approx(1 / 2)
    assert (
        scores(m, LABELLED, None, "ecbplus") == every and scores(m, LABELLED, None, "versions")["raised"] == 0
    )
    tune, held = scores(m, LABELLED, "tune"), scores(m, LABELLED, "held-out")
    assert (tune["precision"], tune["coverage"]) == (pytest.approx(1 / 3), 1.0)
    assert (held["precision"], held["coverage"], held["true kept"]) == (1.0, 0.5, 0.5)


def test_cutting_every_flag_is_caught_by_true_kept() -> None:
    m = match([], LABELLED)
    every = scores(m, LABELLED)
    assert every["precision"] is None and every["true kept"] == 0.0
    assert pins(m, LABELLED)["true kept"] == 0.0 and pins(m, LABELLED)["precision"] == 0.0


def test_the_coverage_pin_fails_below_the_minimum() -> None:
    covered = pins(match([TOLL, HOUR, MINUTE, NAME, QUOTE], LABELLED), LABELLED)
    assert covered == {
        "precision": pytest.approx(3 / 5),
        "held-out precision": 1.0,
        "fresh precision": 0.0,  # no fresh flag in this test
        "ECB+ precision": pytest.approx(3 / 5),
        "true kept": 1.0,
        f"coverage >= {MIN_COVERAGE:.2f}": 1.0,
    }
    new = [_flag(S1, "number", str(k), str(k + 1), f"Line {k} of a table.", f"Row {k}.") for k in range(3)]
    assert (
        pins(match([TOLL, HOUR, MINUTE, NAME, QUOTE, *new], LABELLED), LABELLED)[
            f"coverage >= {MIN_COVERAGE:.2f}"
        ]
        == 0.0
    )


def test_read_labels_names_the_line_of_a_bad_entry(tmp_path: Path) -> None:
    good = label_template(TOLL) | {
        "label": True,
        "family": "true-conflict",
        "difference": "conflict",
        "reason": "x",
    }
    path = tmp_path / "labels.jsonl"
    path.write_text("// a comment\n" + json.dumps(good) + "\n\n", encoding="utf-8")
    assert read_labels(path)[0].key == TOLL.key
    for bad, message in [
        (good | {"reason": " "}, "needs a reason and a family"),
        (good | {"label": None}, "label must be true or false"),
        (good | {"difference": None}, "needs a difference"),
        ({k: v for k, v in good.items() if k != "target_hash"}, "missing target_hash"),
    ]:
        path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=rf"labels\.jsonl:2: .*{message}"):
            read_labels(path)
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"labels\.jsonl:1: not valid JSON"):
        read_labels(path)


def test_the_label_file_is_complete_and_holds_no_article_text() -> None:
    labels = read_labels(LABELS)
    assert len(labels) >= 150
    assert all(lab.reason.strip() and lab.family.strip() for lab in labels)
    assert all(lab.difference in DIFFERENCES for lab in labels if lab.label)
    assert all(lab.difference is None for lab in labels if not lab.label)
    assert all(lab.family in FAMILIES_TRUE for lab in labels if lab.label)
    assert not any(lab.family.startswith("true-") for lab in labels if not lab.label)
    parts = Counter(lab.part for lab in labels)
    assert parts["tune"] >= 50 and parts["held-out"] >= 50 and parts["fresh"] >= 80
    # keys and hashes only: no sentence of the data is stored
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("//"):
            entry = json.loads(line)
            assert not {"source_sentence", "target_sentence", "before", "after"} & set(entry)
            assert all(
                len(entry[k]) == 12 for k in ("source_hash", "target_hash", "before_hash", "after_hash")
            )
    # every label belongs to the benchmark set
    sets = {
        "ecbplus": drift_real.ALL_ECB_STORIES,
        "versions": drift_real.VERSION_PAGES,
        "semeval": drift_real.SEMEVAL_PAIRS,
        "mrpc": drift_real.MRPC_PAIRS,
    }
    assert all(lab.story.partition(":")[2] in sets[lab.story.partition(":")[0]] for lab in labels)


def test_the_suite_is_registered() -> None:
    assert SUITES[drift_real.NAME] is drift_real.run


def test_the_suite_says_why_it_did_not_run(tmp_path: Path) -> None:
    result = drift_real.run(Context(tmp_path))
    assert result.unavailable and "is absent" in result.unavailable


@pytest.mark.slow
def test_collector_on_a_real_story_raises_only_labelled_flags() -> None:
    """One ECB+ story analysed as the suite does: its flags are all in the label file."""
    from storytrace.config import Config

    needs_shared(SHARED / "data" / "ecbplus")
    flags = drift_real.collect(SHARED / "data", Config(), ["23_ecbplus"], (), (), mrpc=())
    assert flags and all(f.story == "ecbplus:23_ecbplus" for f in flags)
    labels = read_labels(LABELS)
    m = match(flags, labels)
    assert len(m.unlabelled) <= len(flags) * (1 - MIN_COVERAGE)
    assert any(lab.label and lab.family == "true-variant" for _, lab in m.matched)  # the climber's surname


def test_of_set_keeps_the_labels_of_the_chosen_stories() -> None:
    page = _label(_flag("versions:Kessling", "date", "1901", "1902", "Built in 1901.", "Built in 1902."), True,
                  "true-conflict", "conflict")  # fmt: skip
    chosen = drift_real.of_set([*LABELLED, page], ["1_test"], ["Kessling"], [])
    assert [lab.story for lab in chosen] == [S1, S1, S1, "versions:Kessling"]
    assert drift_real.of_set([*LABELLED, page], [], [], []) == []


@pytest.mark.slow
def test_collector_on_a_real_mrpc_pair_raises_only_labelled_flags() -> None:
    """One MRPC sentence pair compared as the suite compares it: a surname spelled two ways."""
    from storytrace.config import Config

    needs_shared(SHARED / "data" / "mrpc")
    pair = "1983258_1983180"
    assert pair in drift_real.MRPC_PAIRS and part_of(f"mrpc:{pair}") == "fresh"
    flags = drift_real.collect(SHARED / "data", Config(), (), (), (), mrpc=[pair])
    assert [(f.story, f.kind) for f in flags] == [(f"mrpc:{pair}", "name")]
    m = match(flags, read_labels(LABELS))
    assert not m.unlabelled and m.matched[0][1].family == "true-variant"
