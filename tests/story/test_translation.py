"""Across languages: one story whatever language each outlet wrote it in; translation links and
edges; drift on what survives translation (numbers, dates, names, negation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storytrace import analyze
from storytrace.records import Report
from storytrace.render.report import to_json
from storytrace.story.translation import anchor_deviation, compare_across
from storytrace.text.locale_facts import locale_facts

from ..conftest import EXAMPLES, story_of

TRANSLATIONS = EXAMPLES.parent / "translations"

#: a different event of the same kind (a president's planned visit to sign an infrastructure
#: deal), in German and in English, written for this test
BRIDGE_DE = """Ostravias Präsident reist zur Unterzeichnung des Brückenvertrags nach Belmar

MARENTA, 2. Oktober - Der ostravische Präsident Pavel Drozdek wird am 19. Oktober nach Belmar reisen, um einen Vertrag über eine 12 Kilometer lange Straßenbrücke über den Sund von Keld zu unterzeichnen, teilte das Präsidialamt am Montag mit.

Die Brücke soll 870 Millionen Euro kosten und ab 2029 rund 40.000 Fahrzeuge am Tag tragen. Belmars Regierungschefin Ingrid Solvang nannte das Projekt einen Wendepunkt für die Region.

Kritiker in Marenta bezweifeln, dass der Zeitplan zu halten ist. Die Opposition verlangt eine Abstimmung im Parlament.
"""
BRIDGE_EN = """Ostravian leader to sign Keld Sound bridge treaty in Belmar

MARENTA, Oct 2 - Ostravian President Pavel Drozdek will travel to Belmar on October 19 to sign a treaty on a 12-kilometre road bridge across the Keld Sound, his office said on Monday.

The bridge is expected to cost 870 million euros and to carry about 40,000 vehicles a day from 2029. Belmar's head of government Ingrid Solvang called the project a turning point for the region.

Critics in Marenta doubt that the timetable can be kept, and the opposition wants a vote in parliament.
"""


@pytest.fixture(scope="session")
def multilingual_report() -> Report:
    return analyze([EXAMPLES, TRANSLATIONS])


@pytest.mark.slow
def test_translations_join_the_story_as_translation_edges(multilingual_report: Report) -> None:
    story = story_of(multilingual_report, "meridian-original")
    assert {"tagesbote-de", "diario-austral-es"} <= set(story.articles)
    assert story.origin == "meridian-original"
    edges = {(d.source, d.target): d for d in story.derivations}
    for target in ("tagesbote-de", "diario-austral-es"):
        edge = edges[("meridian-original", target)]
        assert edge.relation == "translation"
        assert edge.translation >= 10 and edge.verbatim == edge.paraphrase == 0
        assert "translation" in edge.evidence[0]
    # the English part of the story is what it is without the translations
    assert edges[("meridian-original", "dailyvoice-copy")].relation == "copy"
    assert edges[("meridian-original", "globewire-retranslated")].relation == "rewrite"
    languages = {a.id: a.language for a in multilingual_report.articles}
    assert languages["tagesbote-de"] == "de" and languages["diario-austral-es"] == "es"
    assert languages["meridian-original"] == "en"


@pytest.mark.slow
def test_changed_number_and_name_are_drift_across_languages(multilingual_report: Report) -> None:
    story = story_of(multilingual_report, "meridian-original")
    across = [(d.kind, d.before, d.after, d.variant) for d in story.dossier.drift
              if d.target in ("tagesbote-de", "diario-austral-es")]  # fmt: skip
    assert ("number", "1,200", "2.100", False) in across
    assert ("name", "Hvidsteen", "Holmberg", False) in across
    # the faithful German translation has no drift; the Spanish one only the two planted changes
    assert not [d for d in story.dossier.drift if d.target == "tagesbote-de"]
    assert len(across) == 2


@pytest.mark.slow
def test_facts_list_their_wording_in_every_language(multilingual_report: Report) -> None:
    story = story_of(multilingual_report, "meridian-original")
    lead = next(f for f in story.dossier.facts if f.text.startswith("VALDORA, March 13"))
    versions = {v.language: v for v in lead.versions}
    assert set(versions) == {"en", "de", "es"}
    assert versions["de"].sources == ("tagesbote-de",) and versions["de"].text.startswith("VALDORA, 13. März")
    data = to_json(multilingual_report)
    article = next(a for a in data["articles"] if a["id"] == "tagesbote-de")
    assert article["language"] == "de" and article["sentence_languages"] == {}
    edge = next(d for s in data["stories"] for d in s["derivations"] if d["target"] == "diario-austral-es")
    assert edge["relation"] == "translation" and edge["translation"] >= 10


@pytest.mark.slow
def test_same_event_joins_across_languages_and_another_event_does_not(tmp_path: Path) -> None:
    (tmp_path / "bridge-de.txt").write_text(BRIDGE_DE, encoding="utf-8")
    (tmp_path / "bridge-en.txt").write_text(BRIDGE_EN, encoding="utf-8")
    report = analyze([EXAMPLES / "meridian-original.txt", TRANSLATIONS / "tagesbote-de.txt", tmp_path])
    groups = sorted(sorted(s.articles) for s in report.stories)
    assert groups == [["bridge-de", "bridge-en"], ["meridian-original", "tagesbote-de"]]


def test_compare_across_reads_numbers_dates_names_and_negation() -> None:
    en = locale_facts("Minister Lennart Hvidsteen said on Thursday the 3.4 billion dollar deal would not be "
                      "directed against anyone and would employ 1,200 workers.", "en")  # fmt: skip
    de = locale_facts("Minister Lennart Hvidsteen sagte am Donnerstag, das Abkommen über 3,4 Milliarden Dollar "
                      "richte sich nicht gegen andere und werde 1.200 Arbeiter beschäftigen.", "de")  # fmt: skip
    assert compare_across(en, de, strong=True) == []
    es = locale_facts("El ministro Lennart Holmberg dijo el martes que el acuerdo de 3.400 millones de dólares "
                      "iría dirigido contra otros y emplearía a 2.100 trabajadores.", "es")  # fmt: skip
    changes = compare_across(en, es, strong=True)
    assert ("number", "1,200", "2.100", False) in changes
    assert ("date", "on Thursday", "martes", False) in changes
    assert ("name", "Hvidsteen", "Holmberg", False) in changes
    assert any(kind == "negation" and after == "(no negation)" for kind, _, after, _ in changes)


def test_the_version_whose_figures_differ_deviates() -> None:
    texts = {
        "en": "He said construction would employ about 1,200 workers at its peak.",
        "de": "Der Bau werde in der Spitze etwa 1.200 Arbeiter beschäftigen, sagte er.",
        "es": "Añadió que la obra daría empleo a unos 2.100 trabajadores en su momento de mayor actividad.",
    }
    vote = anchor_deviation(texts, {"en": "en", "de": "de", "es": "es"})
    assert vote is not None and vote[0] == "es" and "2,100" in vote[1] and "1,200" in vote[1]
    assert (
        anchor_deviation(
            {"en": texts["en"], "de": texts["de"], "x": texts["en"]}, {"en": "en", "de": "de", "x": "en"}
        )
        is None
    )


def test_a_name_in_another_grammatical_case_is_not_drift() -> None:
    """Polish declines names: "Beaty Kuli" (genitive) is Beata Kula; a name spelled otherwise still drifts."""
    pl = locale_facts("Rząd rozważa dymisję minister Beaty Kuli, podał portal w piątek.", "pl")
    en = locale_facts("The government is considering the dismissal of minister Beata Kula, the portal said.", "en")
    assert [c for c in compare_across(pl, en, strong=False) if c[0] == "name"] == []
    other = locale_facts("The government is considering the dismissal of minister Beata Kulla, the portal said.",
                         "en")  # fmt: skip
    assert [c[:3] for c in compare_across(pl, other, strong=False) if c[0] == "name"] == [("name", "Kuli", "Kulla")]
