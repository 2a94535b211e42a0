"""The planted-edit generator v2 (bench/drift_v2.py): every planter form makes the edit it names on
sentences written for this test, the noise families keep every value, `matches_v2` accepts the
planted edit and rejects an unrelated one, and a pair is scored into the right rows. One slow test
runs two pairs through the whole pipeline."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import ROOT, SHARED, needs_shared

sys.path.insert(0, str(ROOT / "bench"))

from drift_forms import PlantV2, Tally, norm, rows, similarity, values
from drift_noise import (
    WEEKDAYS,
    Unit,
    apply_noise,
    attribution,
    contraction,
    number_form,
    rewording,
    spelling,
    state,
)
from drift_plants import FORMS, Names, find_names, garble, past, transliterate
from drift_v2 import PairV2, make_pair_v2, make_pair_v2_full, matches_v2, run_pair

MARLOW = Names(frozenset({"Marlow", "Kowalski"}), frozenset({"Edith"}))

# (form key, sentence, the words that must change)
CASES = [
    ("number:thousands", "Officials said 2,000 residents were evacuated from the valley on Monday.", "2,000"),
    ("number:thousands", "Officials said 2, 000 residents were evacuated from the valley on Monday.", "2, 000"),
    ("number:digits", "Rescuers pulled 14 miners from the shaft before the second collapse.", "14"),
    ("number:words", "Seven climbers were rescued from the ridge after a long night.", "Seven"),
    ("number:words", "The storm damaged a dozen boats moored in the harbour overnight.", "a dozen"),
    ("number:decimal", "The index rose 4.5 points in early trading, analysts noted.", "4.5"),
    ("number:percent", "Turnout fell to 45 percent in the northern districts, the commission reported.", "45"),
    ("number:money", "The council approved $300 for every family that lost a roof.", "300"),
    ("number:scale", "The council approved $1.2 million for the new bridge over the river.", "1.2 million"),
    ("number:range", "Between 20 and 30 boats left the harbour before the storm arrived.", None),
    ("number:repeated", "Of the 12 buses on the route, 12 were late and the rest never came.", "12"),
    ("number:age", "The 33-year-old driver was taken to hospital with minor injuries.", "33"),
    ("name:first", "Edith Marlow opened the new library in Dunmore on Friday.", "Edith"),
    ("name:mid", "The mayor thanked Marlow for her work on the new library.", "Marlow"),
    ("name:start", "Marlow said the library would open every day of the week.", "Marlow"),
    ("name:possessive", "The mayor praised Marlow's plan for the reading rooms.", "Marlow"),
    ("name:headline", "Marlow opens library in Dunmore", "Marlow"),
    ("name:translit", "The league fined Kowalski for the late tackle in the second half.", "Kowalski"),
    ("date:weekday", "The ferry resumed service on Tuesday after the storm had passed.", "Tuesday"),
    ("date:month", "The trial opened in March and is likely to last several weeks.", "March"),
    ("date:year", "The bridge was built in 1987 and repaired after the floods.", "1987"),
    ("date:day", "The vote was held on June 8 across the whole district.", "June 8"),
    ("status:will-past", "The minister will visit the flooded towns to meet residents.", "will visit"),
    ("status:planned", "The planned merger would create the largest dairy group in the region.", "planned"),
    ("status:expected", "The board is expected to announce its decision at noon.", "is expected to announce"),
    ("status:hedge", "The man allegedly stole three cars from the dealership.", "allegedly"),
    ("status:modal", "The strike could close every school in the city for a week.", "could"),
    ("negation:insert", "The old bridge was damaged by the flood water overnight.", ""),
    ("negation:drop", "The company did not comment on the report about the spill.", "not"),
    ("negation:drop", "The company didn't comment on the report about the spill.", "n't"),
    ("negation:antonym", "The suspect denied taking the money from the office safe.", "denied"),
]


def _kind(form: str) -> str:
    return form.split(":")[0]


@pytest.mark.parametrize(("form", "sentence", "changed"), CASES)
def test_each_planter_form_makes_its_edit(form: str, sentence: str, changed: str | None) -> None:
    plant = FORMS[_kind(form)][form](sentence, random.Random(3), MARLOW)
    assert plant is not None, form
    assert (plant.kind, plant.form, plant.source) == (_kind(form), form, sentence)
    assert plant.target != sentence and plant.before != plant.after
    if changed is not None:
        assert plant.before == changed
    assert plant.before in sentence and plant.after in plant.target
    if plant.kind == "number" and form not in ("number:words", "number:scale"):
        assert values(plant.before) != values(plant.after)


def test_planter_specifics() -> None:
    rng = random.Random(5)
    will = FORMS["status"]["status:will-past"]("The minister will visit the flooded towns.", rng, MARLOW)
    assert will is not None and will.target == "The minister visited the flooded towns."
    hedge = FORMS["status"]["status:hedge"]("Reportedly the mayor resigned on Friday evening.", rng, MARLOW)
    assert hedge is not None and hedge.target == "The mayor resigned on Friday evening."
    expected = FORMS["status"]["status:expected"]("The board is expected to meet the unions.", rng, MARLOW)
    assert expected is not None and expected.target == "The board has met the unions."
    neg = FORMS["negation"]["negation:insert"]("The old bridge was damaged by the flood.", rng, MARLOW)
    assert neg is not None and neg.target == "The old bridge was not damaged by the flood."
    drop = FORMS["negation"]["negation:drop"]("The firm didn't comment on the spill.", rng, MARLOW)
    assert drop is not None and drop.target == "The firm did comment on the spill."
    scale = FORMS["number"]["number:scale"]("It will cost $1.2 million in total.", rng, MARLOW)
    assert scale is not None and scale.target == "It will cost $1.2 billion in total."
    gunman = FORMS["status"]["status:hedge"]("Police shot the alleged gunman near the bank.", rng, MARLOW)
    assert gunman is not None and gunman.target == "Police shot the gunman near the bank."
    assert FORMS["status"]["status:hedge"]("Nixon had suspected Felt of leaking.", rng, MARLOW) is None
    plans = FORMS["status"]["status:planned"]("The chain plans to open a store in Dunmore.", rng, MARLOW)
    assert plans is not None and plans.target == "The chain opened a store in Dunmore."
    assert FORMS["negation"]["negation:insert"]("She has experience in the job.", rng, MARLOW) is None
    assert FORMS["status"]["status:will-past"]("Fans will mainly watch at home.", rng, MARLOW) is None
    spaced = "“ This is a sad time for the whole family of the plant, ” a statement reads."
    trim = FORMS["quote"]["quote:trim"](spaced, rng, MARLOW)
    assert trim is not None and all(w in spaced.split() for w in trim.target.replace(",", " ").split())
    assert past("stop") == ("stopped", "stopped") and past("carry")[0] == "carried" and past("go")[1] == "gone"


def test_planters_leave_quotations_and_datelines_alone() -> None:
    rng = random.Random(1)
    quoted = 'The coach said: "Marlow will not play 12 more games on Monday."'
    for form in ("name:mid", "number:digits", "date:weekday", "status:will-past", "negation:drop"):
        assert FORMS[_kind(form)][form](quoted, rng, MARLOW) is None, form
    assert FORMS["date"]["date:month"]("May 3, 2013 | 5: 03pm", rng, MARLOW) is None
    assert FORMS["number"]["number:digits"]("Posted at 10: 41 AM on May 3", rng, MARLOW) is None
    assert FORMS["date"]["date:year"]("Updated on Tuesday, May 3, 2013 at 11: 00 AM", rng, MARLOW) is None
    assert FORMS["number"]["number:digits"]("The office reopened (Tue, 16 Aug 2011) after the outage.", rng, MARLOW) is None
    assert FORMS["number"]["number:range"]("Call the hotline at 800-555-3855 with any tips.", rng, MARLOW) is None
    assert FORMS["number"]["number:digits"]("The car struck her at about 7 p. m. on the corner.", rng, MARLOW) is None
    assert FORMS["date"]["date:year"]("She was one of the biggest stars of the 1950s in the city.", rng, MARLOW) is None
    assert FORMS["date"]["date:month"]("March participants chanted slogans outside the court.", rng, MARLOW) is None
    assert FORMS["date"]["date:month"]("The court may rule on the appeal later this week.", rng, MARLOW) is None
    # an unpaired quotation mark: the sentence may be all quotation
    assert FORMS["name"]["name:mid"]('It was wrong, " said Marlow on the radio.', rng, MARLOW) is None
    # antonyms only in the active voice: "was denied bail" is no denial
    assert FORMS["negation"]["negation:antonym"]("He was denied bail on Friday morning.", rng, MARLOW) is None
    were = FORMS["status"]["status:will-past"]("We will be providing counselling at the site.", rng, MARLOW)
    assert were is not None and were.target == "We were providing counselling at the site."


QUOTE_BEFORE = 'The coach said: "We are proud of the players and very happy with the way they fought today."'
QUOTE_AFTER = '"We are proud of the players and very happy with the way they fought today," the coach said.'


@pytest.mark.parametrize("edit", ["change", "insert", "drop", "trim"])
@pytest.mark.parametrize(("sentence", "where"), [(QUOTE_BEFORE, "before"), (QUOTE_AFTER, "after")])
def test_quote_edits_inside_the_quotation(edit: str, sentence: str, where: str) -> None:
    plant = FORMS["quote"][f"quote:{edit}"](sentence, random.Random(2), MARLOW)
    assert plant is not None
    assert plant.form == f"quote:{edit}-{where}"
    inside = plant.target[plant.target.index('"') : plant.target.rindex('"')]
    outside = plant.target.replace(inside, "")
    assert outside == sentence.replace(sentence[sentence.index('"') : sentence.rindex('"')], "")
    if edit == "insert":
        assert plant.before == "" and f" {plant.after} " in inside
    elif edit == "drop":
        assert plant.after == "" and plant.before == "very" and "very" not in inside
    elif edit == "trim":
        assert plant.after == "" and len(inside) < len(sentence) - len(outside) and plant.before.split()[-1] == "today"
    else:
        assert (plant.before, plant.after) in (("very", "extremely"), ("proud", "pleased"), ("happy", "pleased"))


def test_name_finding_and_spelling_changes() -> None:
    article = [
        "Edith Marlow opened the new library in Dunmore on Friday.",
        "Marlow said the Dunmore Public Library would open daily.",
        "While Marlow spoke, the New York Times reported the cost.",
    ]
    names = find_names(article)
    assert names.surnames == {"Marlow"} and names.firsts == {"Edith"}
    rng = random.Random(0)
    for _ in range(50):
        g = garble("Marlow", rng)
        assert g != "Marlow" and g[0] == "M"
    assert transliterate("Kowalski", random.Random(0)) in {"Kovalski", "Kowalsky", "Kowalzki"}


def test_number_noise_keeps_every_value() -> None:
    text = "Officials counted 2,000 ballots, 15 percent of them spoiled, and seven people waited 40. 3 minutes for 3 million."
    rng = random.Random(0)
    seen = set()
    for _ in range(200):
        _, done = number_form(text, rng)
        for n in done:
            seen.add(n.before)
            if values(n.before):
                assert max(values(n.before)) == max(values(n.after)), n
    assert {"2,000", "seven ", "40. 3", " percent", "3 million"} <= seen
    assert number_form("Article posted on 08. 07. 2013", rng) == ("Article posted on 08. 07. 2013", [])
    assert number_form('He said "2,000 people came" to the rally.', rng) == ('He said "2,000 people came" to the rally.', [])


def test_other_noise_changes_no_fact() -> None:
    rng = random.Random(4)
    quoted = 'She said: "The colour of the programme was my favourite."'
    outs = {spelling(quoted, rng)[0] for _ in range(20)}
    assert 'She said: "The color of the program was my favorite."' in outs or any("color" in o for o in outs)
    assert {contraction("They did not know it.", rng)[0] for _ in range(20)} >= {"They didn't know it."}
    assert state("He was born in Nashville, Tennessee.", random.Random(1))[0] == "He was born in Nashville, Tenn."
    assert state("A Calif. clinic", random.Random(1))[0] == "A California clinic"
    moved, done = attribution("Police said the gunman fled on foot toward the river.", rng)
    assert moved == "The gunman fled on foot toward the river, police said." and done[0].family == "attribution"
    text = 'He said on Monday that about 300 people died, "said to be about 300 in all".'
    for _ in range(20):
        new, _ = rewording(text, rng)
        assert new.endswith('"said to be about 300 in all".') and values(new) == values(text)


ARTICLE = {
    "id": "test_1",
    "text": "\n".join([
        "Edith Marlow opens library in Dunmore",
        "May 3, 2013 | 5: 03pm",
        "Edith Marlow opened the new library in Dunmore on Friday, the council said.",
        "The building cost $1.2 million and will hold 40,000 books, officials said.",
        'Marlow said: "We are very proud of what the town has built together."',
        "The council is expected to approve a second branch in March.",
        "Seven volunteers did not miss a single day of the work, Marlow's office said.",
        "The old library, built in 1954, was damaged by a flood in 2009.",
        "Marlow will visit the schools of the district next week.",
    ]),
}  # fmt: skip


def test_pairs_carry_their_plants_and_sometimes_none() -> None:
    clean = 0
    for seed in range(40):
        made = make_pair_v2(ARTICLE, random.Random(seed))
        assert made is not None
        original, derived, plants = made
        assert original != derived
        clean += not plants
        for p in plants:
            assert p.source in original.split("\n\n") or any(p.source in line for line in original.split("\n\n"))
            assert any(norm(p.after) in norm(line) for line in derived.split("\n\n"))  # "will not" may be "won't" now
    assert 1 <= clean <= 15


def test_matches_v2_accepts_the_edit_and_rejects_others() -> None:
    src = "Officials said 2,000 residents were evacuated from the valley on Monday."
    tgt = "Officials said 2,400 residents were evacuated from the valley on Monday."
    plant = PlantV2("number", "number:thousands", "2,000", "2,400", src, tgt)
    assert matches_v2(plant, "number", "2,000", "2,400")
    assert matches_v2(plant, "number", "2,400", "2,000")  # the edge read the other way round
    assert matches_v2(plant, "number", "2,000 residents", "2,400 residents", (src, tgt))
    assert matches_v2(plant, "number", "2000", "2400")  # by value
    assert not matches_v2(plant, "date", "2,000", "2,400")
    assert not matches_v2(plant, "number", "2", "4")
    assert not matches_v2(plant, "number", "15", "17")
    assert not matches_v2(plant, "number", "2,000", "2,400", ("The mayor left.", "The mayor left town."))
    quote = PlantV2("quote", "quote:insert-after", "", "really", '"We are proud," he said.', '"We are really proud," he said.')
    assert matches_v2(quote, "quote", "We are proud", "We are really proud")
    assert not matches_v2(quote, "quote", "We are really proud", "We are really proud now")
    assert not matches_v2(quote, "quote", "We are proud", "We are glad")
    trim = PlantV2("quote", "quote:trim-none", "a motive for Escalante's killing", "", "", "")
    assert matches_v2(trim, "quote", "", "a motive for escalante s kiling")  # respelled by the detector
    assert not matches_v2(trim, "quote", "", "a reason for the shooting")
    thrilled = PlantV2("quote", "quote:change-after", "excited", "thrilled", "", "")
    assert matches_v2(thrilled, "quote", "excited", "thriled") and not matches_v2(thrilled, "quote", "excited", "happy")
    name = PlantV2("name", "name:possessive", "Marlow", "Marolw", "Marlow's plan.", "Marolw's plan.")
    assert matches_v2(name, "name", "Marlow's", "Marolw's") and not matches_v2(name, "name", "Edith", "Sarah")


@dataclass(frozen=True)
class FakeDrift:
    kind: str
    before: str
    after: str
    source_sentence: str
    target_sentence: str


def _dated(seed: int) -> tuple[PairV2, Unit, str] | None:
    """A pair with a planted edit and a dateline that names a weekday, and that weekday."""
    pair = make_pair_v2_full(ARTICLE, random.Random(seed))
    if pair is None or not pair.plants:
        return None
    for unit in pair.derived_units:
        for n in unit.noise:
            days = [w for w in n.after.replace(",", " ").split() if w in WEEKDAYS]
            if n.family == "dateline" and days and not unit.planted:
                return pair, unit, days[0]
    return None


def test_a_pair_is_scored_into_kind_form_and_noise_rows() -> None:
    pair, dated, day = next(found for seed in range(300) if (found := _dated(seed)))
    plant = pair.plants[0]
    source = next(u.text for u in pair.original_units if similarity(u.text, dated.text) >= 0.6)
    hits = [
        FakeDrift(plant.kind, plant.before, plant.after, plant.source, plant.target),
        FakeDrift("date", "the day before" if day == "Friday" else "Friday", day, source, dated.text),
    ]
    tally = Tally()
    run_pair(pair, hits, True, tally)
    scores = rows(tally)
    assert all({"precision", "recall"} <= set(r) for r in scores.values())
    assert scores[plant.kind]["recall"] == 1.0 and tally.correct[plant.kind] == 1
    assert scores[f"form {plant.form}"]["recall"] == 1.0
    assert tally.noise_flags["dateline"] == 1 and scores["noise dateline"]["precision"] == 0.0
    assert scores["overall"]["precision"] == 0.5
    assert scores["no-drift pairs"]["pairs"] == 0.0 and scores["unlinked pairs"]["recall"] == 1.0


def test_noise_never_drops_or_merges_a_planted_sentence() -> None:
    sentences = ARTICLE["text"].split("\n")
    planted = {4: sentences[4].replace("very", "truly"), 6: sentences[6].replace("Seven", "Nine")}
    for seed in range(30):
        _, der = apply_noise(sentences, planted, random.Random(seed))
        kept = [u for u in der if u.planted]
        assert len(kept) == 2
        assert any("Nine volunteers" in u.text for u in kept)


@pytest.mark.slow
def test_v2_runs_through_the_pipeline() -> None:
    needs_shared(SHARED / "data" / "ecbplus" / "articles.jsonl")
    spec_dir = str(Path(ROOT / "bench"))
    if spec_dir not in sys.path:
        sys.path.insert(0, spec_dir)
    import drift as bench

    scores = bench.evaluate(SHARED / "data", limit=2, generator="v2", half="tuning")
    assert scores["overall"]["planted"] + scores["no-drift pairs"]["pairs"] > 0
    assert all({"precision", "recall"} <= set(r) for r in scores.values())
    assert any(k.startswith("form ") for k in scores) or scores["no-drift pairs"]["pairs"] == 2
