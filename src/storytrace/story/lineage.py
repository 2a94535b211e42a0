"""lineage: which versions derive from which, and the likely original of each family.

A pair of versions is a derivation when enough of the smaller one is linked to the other in the
same order (independent reports of one event share facts, not a run of aligned sentences).
Direction comes from combined evidence, each piece explained in words:

1. publication times, when both are known;
2. credits: a version that credits the other's source;
3. containment asymmetry: trims are contained in their source; the source is not contained in them;
4. the deviation vote: across three versions of one passage, the version that differs from the
   other two (which agree) is the derived one (not between revisions of one page);
5. pasted furniture or reader comments, which the original agency copy does not carry;
6. derivation noise: words run together by copy-paste or machine translation.

Each family becomes a tree grown from its likely original (the version with the most evidence
of coming first), attaching each version to the version it shares most with. A family of three
or more revisions of one page (all with the same URL) is instead ordered as a whole
(``revisions.order_revisions``: the order with the smallest edits between consecutive revisions,
oriented by the pairwise cues of all pairs) and becomes the chain of its history.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ..config import Config
from ..records import SEMANTIC_LABELS, Alignment, Article, Derivation, Relation
from ..text.edits import spelling_fixes
from ..text.language import is_english
from ..text.words import content_words, normalise
from .revisions import RevisionHistory, order_revisions
from .translation import TRANSLATION_LABELS, anchor_deviation

_RUN_TOGETHER = re.compile(r"\b[a-z]*[a-z]{2}[A-Z][a-z]{2,}\w*\b")
_TOKEN = re.compile(r"[\w'-]+")


@dataclass(frozen=True)
class Lineage:
    origin: str | None
    derivations: tuple[Derivation, ...]
    families: tuple[tuple[str, ...], ...]
    #: the order of each family of 3+ revisions of one page (see ``revisions``)
    histories: tuple[RevisionHistory, ...] = ()


@dataclass
class _Direction:
    """Evidence that ``a`` came before ``b`` (positive score) or after (negative)."""

    score: float
    evidence: list[str]


#: a link this strong (or labelled verbatim/near-verbatim) is hard to get without copying
STRONG_LINK = 0.92
#: share of the smaller version a translation keeps, in order
TRANSLATION_COVERAGE = 0.6


def strong_links(al: Alignment) -> int:
    return sum(1 for lk in al.links if lk.label not in SEMANTIC_LABELS or lk.score >= STRONG_LINK)


def is_derivation(al: Alignment, config: Config) -> bool:
    """Several sentences nearly identical, or most of the smaller version linked in order with at
    least one passage nearly intact (independent reports of one event share facts, not wording)."""
    if len(al.links) < config.derivation_min_links:
        return False
    strong = strong_links(al)
    if al.count(*TRANSLATION_LABELS):
        # across languages no link is a near-verbatim copy, and sentences of independent reports of
        # one event can be as close as a translation: a translation also keeps most of the smaller
        # version, in order
        covered = max(al.source_coverage, al.target_coverage) >= TRANSLATION_COVERAGE
        return covered and al.order >= 0.5 and strong >= config.derivation_min_links
    if strong >= config.derivation_min_links:
        return True
    # a rewrite keeps most of the smaller version in order, and at least one passage nearly intact
    covered = max(al.source_coverage, al.target_coverage) >= config.derivation_min_coverage
    return covered and al.order >= 0.5 and strong >= 1


def same_page(*articles: Article) -> bool:
    """All of ``articles`` are revisions of one page: they share a URL.

    Revisions of one page derive from each other by definition, and their order has its own
    evidence (:func:`_revision_evidence`, :mod:`storytrace.story.revisions`). The republication
    cues do not apply to them: containment (a page grows and shrinks alike), pasted furniture,
    and the deviation vote. In a history A -> B -> C a passage changed from A to B reads the
    same in B and C, so A is the deviant and the vote makes it the derived one, backwards; it
    points the right way only for the changes of the last step, a coin toss over a history
    (measured on the tuning half of the Wikipedia revisions: whole histories ordered 0.829 right
    without the vote, 0.75 with it). So no vote is counted between revisions of one page: no
    triple of them is voted on (:func:`_deviation_votes`), and a vote between two of them that
    a third version with another URL cast is set aside (:func:`_direction`)."""
    url = articles[0].url
    return bool(url) and all(a.url == url for a in articles[1:])


def build_lineage(members: Sequence[Article], alignments: Sequence[Alignment], config: Config) -> Lineage:
    by_id = {a.id: a for a in members}
    pair: dict[tuple[str, str], Alignment] = {}
    for al in alignments:
        pair[(al.source, al.target)] = al
        pair[(al.target, al.source)] = al.reversed()
    derived_pairs = [
        al for al in alignments if is_derivation(al, config) or same_page(by_id[al.source], by_id[al.target])
    ]
    if not derived_pairs:
        return Lineage(None if len(members) > 1 else members[0].id, (), ())

    votes = _deviation_votes(members, pair, config)
    directions: dict[tuple[str, str], _Direction] = {}
    for al in derived_pairs:
        d = _direction(by_id[al.source], by_id[al.target], al, votes)
        directions[(al.source, al.target)] = d
        directions[(al.target, al.source)] = _Direction(-d.score, d.evidence)

    # families: connected components of derivation pairs
    neighbours: dict[str, set[str]] = defaultdict(set)
    for al in derived_pairs:
        neighbours[al.source].add(al.target)
        neighbours[al.target].add(al.source)
    families: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for a in members:
        if a.id in seen or a.id not in neighbours:
            continue
        stack, comp = [a.id], []
        seen.add(a.id)
        while stack:
            x = stack.pop()
            comp.append(x)
            for y in neighbours[x] - seen:
                seen.add(y)
                stack.append(y)
        families.append(tuple(sorted(comp, key=[m.id for m in members].index)))

    derivations: list[Derivation] = []
    origins: list[str] = []
    histories: list[RevisionHistory] = []
    for fam in families:
        history = _history(fam, by_id, pair, directions)
        if history is not None:
            histories.append(history)
            origins.append(history.order[0])
            derivations.extend(_history_derivations(history, pair, directions, config))
            continue
        rank = {x: sum(directions[(x, y)].score for y in neighbours[x]) for x in fam}
        origin = max(fam, key=lambda x: (rank[x], len(by_id[x].sentences)))
        origins.append(origin)
        attached = {origin}
        while len(attached) < len(fam):
            best: tuple[float, str, str] | None = None
            for x in sorted(attached):  # sorted: ties go the same way in every run
                for y in sorted(neighbours[x] - attached):
                    # how much of the new version the candidate parent explains
                    strength = _explains(pair[(x, y)]) + 0.25 * math.tanh(directions[(x, y)].score)
                    if best is None or strength > best[0]:
                        best = (strength, x, y)
            assert best is not None  # a family is connected
            _, src, tgt = best
            attached.add(tgt)
            derivations.append(_derivation(pair[(src, tgt)], directions[(src, tgt)], config))
    # the story's origin: the origin of its largest family
    story_origin = origins[max(range(len(families)), key=lambda k: len(families[k]))] if families else None
    return Lineage(story_origin, tuple(derivations), tuple(families), tuple(histories))


def _history(
    fam: Sequence[str],
    by_id: dict[str, Article],
    pair: dict[tuple[str, str], Alignment],
    directions: dict[tuple[str, str], _Direction],
) -> RevisionHistory | None:
    """The order of a family of 3+ revisions of one page (every member with the same URL and
    every pair aligned), or None for any other family."""
    pages = [by_id[x] for x in fam]
    if len(fam) < 3 or not same_page(*pages):
        return None
    url = pages[0].url or ""
    if any((x, y) not in pair for x, y in itertools.combinations(fam, 2)):
        return None

    def score(x: str, y: str) -> float:
        d = directions.get((x, y))
        return d.score if d is not None else 0.0

    return order_revisions(list(fam), [by_id[x].text for x in fam], score, url=url)


def _history_derivations(
    history: RevisionHistory,
    pair: dict[tuple[str, str], Alignment],
    directions: dict[tuple[str, str], _Direction],
    config: Config,
) -> list[Derivation]:
    """One derivation per step of the history (the earlier revision is the source)."""
    n = len(history.order)
    out = []
    for k, (src, tgt) in enumerate(itertools.pairwise(history.order)):
        own = directions.get((src, tgt), _Direction(0.0, []))
        if own.score > 0:
            alone = f"taken alone, the cues of this pair agree (score {own.score:+.2f})"
        elif own.score < 0:
            alone = (
                f"taken alone, the cues of this pair point the other way (score {own.score:+.2f}); "
                "the order of the whole history outweighs them"
            )
        else:
            alone = "taken alone, this pair has no direction cue"
        step = f" (word-level edit distance {history.distances[k]:.3f})" if history.distances else ""
        evidence = [
            f"revision {k + 2} of {n} of {history.url} in the history ordered by smallest edits: "
            f"{tgt} follows {src}{step}",
            *history.evidence,
            alone + (": " + "; ".join(own.evidence) if own.evidence else ""),
        ]
        out.append(
            _derivation(
                pair[(src, tgt)], _Direction(own.score, evidence), config, 0.5 + 0.5 * history.certainty
            )
        )
    return out


def _explains(al: Alignment) -> float:
    """Share of the target explained by the source, strong links counting more."""
    n_target = len(al.target_unaligned) + sum(len(lk.target) for lk in al.links)
    return al.target_coverage + 0.5 * strong_links(al) / max(1, n_target)


def _relation(al: Alignment) -> Relation:
    linked = sum(len(lk.target) for lk in al.links)
    if linked and al.count(*TRANSLATION_LABELS) / linked >= 0.5:
        return "translation"
    verbatim = al.count("verbatim", "near-verbatim")
    share = verbatim / linked if linked else 0.0
    if share >= 0.8 and al.source_coverage >= 0.8 and al.target_coverage >= 0.8:
        return "copy"
    if share >= 0.5:
        return "partial"
    return "rewrite"


def _derivation(
    al: Alignment, direction: _Direction, config: Config, certainty: float | None = None
) -> Derivation:
    """The derivation ``al.source`` -> ``al.target``; ``certainty`` (0.5 to 1) of its direction
    defaults to the pairwise score's."""
    relation = _relation(al)
    verbatim = al.count("verbatim")
    near = al.count("near-verbatim")
    paraphrase = al.count("paraphrase")
    rewritten = al.count("rewritten")
    translated, loose = al.count("translation"), al.count("translation-rewritten")
    added, dropped = len(al.target_unaligned), len(al.source_unaligned)
    linked = verbatim + near + paraphrase + rewritten + translated + loose
    n_tgt = linked + added
    n_src = len(al.source_unaligned) + sum(len(lk.source) for lk in al.links)
    across = f", {translated} translation, {loose} translation-rewritten" if translated + loose else ""
    evidence = [
        f"{relation}: {linked} of {n_tgt} sentences of {al.target} align with "
        f"{al.source} ({verbatim} verbatim, {near} near-verbatim, {paraphrase} paraphrase, {rewritten} rewritten"
        f"{across}); {al.target} adds {added} "
        f"and drops {dropped} of {n_src}",
        *direction.evidence,
    ]
    strength = min(1.0, max(al.source_coverage, al.target_coverage))
    if certainty is None:
        certainty = 0.5 + 0.5 * math.tanh(abs(direction.score))
    if not direction.evidence:
        evidence.append(
            "direction undetermined: no evidence either way; the longer version is taken as source"
        )
    return Derivation(
        source=al.source,
        target=al.target,
        relation=relation,
        confidence=round(strength * certainty, 3),
        verbatim=verbatim,
        near_verbatim=near,
        paraphrase=paraphrase,
        rewritten=rewritten,
        added=added,
        dropped=dropped,
        evidence=tuple(evidence),
        translation=translated,
        translation_rewritten=loose,
    )


def _direction(a: Article, b: Article, al: Alignment, votes: dict[tuple[str, str], list[str]]) -> _Direction:
    score = 0.0
    evidence: list[str] = []
    # 1. publication time
    if a.published and b.published and a.published != b.published:
        try:
            earlier = a.published < b.published
        except TypeError:  # naive vs aware datetimes
            earlier = a.published.replace(tzinfo=None) < b.published.replace(tzinfo=None)
        first, second = (a, b) if earlier else (b, a)
        score += 2.0 if earlier else -2.0
        evidence.append(
            f"{first.id} was published ({first.published:%Y-%m-%d %H:%M}) before {second.id} "
            f"({second.published:%Y-%m-%d %H:%M})"
        )
    # 2. credits: one version credits the other's source
    for x, y, sign in ((a, b, 1.0), (b, a, -1.0)):
        if x.source and any(x.source.lower() in c.lower() for c in y.credits):
            score += 1.0 * sign
            evidence.append(f"{y.id} credits {x.source!r}, the source of {x.id}")
    # 3. containment asymmetry: a republication trims its source (the contained version is the
    #    derived one); not between revisions of one page (see same_page)
    revisions = same_page(a, b)
    diff = al.target_coverage - al.source_coverage
    if abs(diff) >= 0.15 and not revisions:
        score += 1.5 * math.tanh(2.0 * diff)
        inner, outer = (b, a) if diff > 0 else (a, b)
        cov_in = max(al.target_coverage, al.source_coverage)
        cov_out = min(al.target_coverage, al.source_coverage)
        evidence.append(
            f"{cov_in:.0%} of {inner.id} is found in {outer.id} but only {cov_out:.0%} of {outer.id} "
            f"in {inner.id}: {inner.id} is contained in {outer.id}"
        )
    if revisions:
        score += _revision_evidence(a, b, al, evidence)
    # 4. deviation vote; not between revisions of one page (see same_page)
    for_a, for_b = votes.get((a.id, b.id), []), votes.get((b.id, a.id), [])
    net = 0 if revisions else len(for_a) - len(for_b)
    if net:
        score += 1.5 * math.tanh(net / 2.0)
        dev, keep, examples = (b, a, for_a) if net > 0 else (a, b, for_b)
        shown = "; ".join(examples[:3])
        evidence.append(
            f"{dev.id} deviates from the other versions where {keep.id} agrees with them "
            f"({abs(net)} passage(s) net): {shown}"
        )
    # 5. pasted furniture and reader comments: the original agency copy carries none (a page's
    #    revisions are not republications: 5 and 6 say nothing about their order)
    junk_a, junk_b = _junk(a), _junk(b)
    if (junk_a == 0) != (junk_b == 0) and not revisions:
        score += 0.5 if junk_b else -0.5
        junky = b if junk_b else a
        evidence.append(
            f"{junky.id} carries pasted site furniture or reader comments ({max(junk_a, junk_b)} removed), "
            "typical of a republication"
        )
    # 6. derivation noise
    noise_a, noise_b = _noise(a), _noise(b)
    if noise_a != noise_b and not revisions:
        score += 0.4 if noise_b > noise_a else -0.4
        noisy = b if noise_b > noise_a else a
        evidence.append(f"{noisy.id} has words run together ({max(noise_a, noise_b)}), typical of copying")
    return _Direction(score, evidence)


_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def _revision_evidence(a: Article, b: Article, al: Alignment, evidence: list[str]) -> float:
    """Evidence that ``a`` is an earlier revision of the same page than ``b``: later revisions
    correct spellings, mention later years and grow. Returns its score (positive: ``a`` first)."""
    score = 0.0
    # spelling corrections: an editor corrects a misspelling (a copy would garble, the other way)
    fixed_by_b, fixed_by_a = spelling_fixes(a.sentences, b.sentences, al)
    net = len(fixed_by_b) - len(fixed_by_a)
    if net:
        later, earlier, fixes = (b, a, fixed_by_b) if net > 0 else (a, b, fixed_by_a)
        score += math.copysign(REVISION_SPELLING_WEIGHT * math.tanh(abs(net)), net)
        reverse = fixed_by_a if later is b else fixed_by_b
        against = f" (and {len(reverse)} the other way)" if reverse else ""
        shown = "; ".join(f'{f.wrong!r} -> {f.right!r} in "{f.sentence}"' for f in fixes[:3])
        evidence.append(
            f"{later.id} corrects {len(fixes)} misspelling(s) of {earlier.id}{against}: {shown}; "
            f"a revision corrects misspellings, so {later.id} is the later"
        )
    years_a = [int(y) for y in _YEAR.findall(a.text)]
    years_b = [int(y) for y in _YEAR.findall(b.text)]
    latest_a, latest_b = max(years_a, default=0), max(years_b, default=0)
    if latest_a != latest_b and latest_a and latest_b:
        later, year, other = (b, latest_b, latest_a) if latest_b > latest_a else (a, latest_a, latest_b)
        score += REVISION_YEAR_WEIGHT if later is b else -REVISION_YEAR_WEIGHT
        evidence.append(
            f"{later.id} mentions {year}, the other revision nothing after {other}: it is the later one"
        )
    # growth: graded, so that a few added words count a little and a new section a lot
    len_a, len_b = len(a.text), len(b.text)
    if len_a != len_b:
        longer = b if len_b > len_a else a
        growth = (len_b - len_a) / max(len_a, len_b)
        score += REVISION_LENGTH_WEIGHT * math.tanh(growth / REVISION_GROWTH_SCALE)
        evidence.append(
            f"{longer.id} is the longer revision ({max(len_a, len_b)} vs {min(len_a, len_b)} characters); "
            "a page grows, so it is the later one"
        )
    return score


#: weights of the revision evidence (tuned on the revisions at odd positions of ``data/versions``)
REVISION_YEAR_WEIGHT = 0.25
REVISION_LENGTH_WEIGHT = 1.0
#: relative growth that counts about three quarters of the length weight
REVISION_GROWTH_SCALE = 0.1
REVISION_SPELLING_WEIGHT = 1.0


def _junk(article: Article) -> int:
    return sum(1 for r in article.removed if r.kind in ("comment", "boilerplate", "related"))


def _noise(article: Article) -> int:
    return sum(len(_RUN_TOGETHER.findall(s.text)) for s in article.sentences)


def _deviation_votes(
    members: Sequence[Article], pair: dict[tuple[str, str], Alignment], config: Config
) -> dict[tuple[str, str], list[str]]:
    """votes[(x, z)]: passages where z deviates while x agrees with a third version."""
    votes: dict[tuple[str, str], list[str]] = defaultdict(list)
    text = {a.id: a.sentences for a in members}
    by_id = {a.id: a for a in members}
    seen: set[frozenset[tuple[str, int]]] = set()
    # the link maps of each pair and the ratio of each pair of sentences, computed once: a story of
    # n versions has n(n-1)(n-2)/6 triples but only n(n-1)/2 pairs, and copies repeat sentences
    maps: dict[tuple[str, str], dict[int, tuple[int, ...]]] = {}
    plain: dict[tuple[str, str], dict[tuple[int, ...], tuple[int, ...]]] = {}
    ratios: dict[tuple[str, str], float] = {}

    def one_to_one(x: str, y: str) -> dict[int, tuple[int, ...]]:
        if (x, y) not in maps:
            maps[(x, y)] = {
                i: lk.target
                for lk in pair[(x, y)].links
                for i in lk.source
                if len(lk.source) == 1 and len(lk.target) == 1
            }
        return maps[(x, y)]

    def links_of(x: str, y: str) -> dict[tuple[int, ...], tuple[int, ...]]:
        if (x, y) not in plain:
            plain[(x, y)] = {lk.source: lk.target for lk in pair[(x, y)].links}
        return plain[(x, y)]

    def ratio(x: str, y: str) -> float:
        if (x, y) not in ratios:
            ratios[(x, y)] = fuzz.ratio(normalise(x), normalise(y))
        return ratios[(x, y)]

    for a, b, c in itertools.permutations([m.id for m in members], 3):
        if a > b or a > c or b > c:  # each unordered triple once, anchored on its first id
            continue
        if same_page(by_id[a], by_id[b], by_id[c]):  # no vote between revisions of one page
            continue
        if (a, b) not in pair or (a, c) not in pair or (b, c) not in pair:
            continue
        to_b, to_c, b_to_c = one_to_one(a, b), one_to_one(a, c), links_of(b, c)
        for i in to_b.keys() & to_c.keys():
            j, k = to_b[i], to_c[i]
            if b_to_c.get(j) != k:
                continue
            key = frozenset({(a, i), (b, j[0]), (c, k[0])})
            if key in seen:
                continue
            seen.add(key)
            sa, sb, sc = text[a][i].text, text[b][j[0]].text, text[c][k[0]].text
            languages = {x: by_id[x].language for x in (a, b, c)}
            if (
                len({"en" if is_english(x) else x for x in languages.values()}) > 1
            ):  # compare what survives translation
                vote = anchor_deviation({a: sa, b: sb, c: sc}, languages)
                if vote is not None:
                    deviant, words = vote
                    for x in (a, b, c):
                        if x != deviant:
                            votes[(x, deviant)].append(words)
                continue
            sims = {c: ratio(sa, sb), b: ratio(sa, sc), a: ratio(sb, sc)}  # keyed by the version left out
            ranked = sorted(sims.items(), key=lambda kv: -kv[1])
            (odd, top), (_, second) = ranked[0], ranked[1]
            if top < 70 or top - second < 5:
                continue
            # the version left out of the most similar pair deviates
            deviant = odd
            agree = [x for x in (a, b, c) if x != deviant]
            words = _changed_words({a: sa, b: sb, c: sc}, deviant, agree)
            if not words:
                continue
            for x in agree:
                votes[(x, deviant)].append(words)
    return votes


def _changed_words(texts: dict[str, str], deviant: str, agree: list[str]) -> str:
    """Words the agreeing versions share that the deviant lacks, and the deviant's replacements."""
    words = _changed(texts[deviant], texts[agree[0]], texts[agree[1]])
    if words is None:
        return ""
    new, lost = words
    return f"{deviant} has {new or '(nothing)'!r} where the others have {lost or '(nothing)'!r}"


@lru_cache(maxsize=1 << 14)
def _changed(deviant: str, first: str, second: str) -> tuple[str, str] | None:
    """(the deviant's new words, the words the others share that it lost), four of each, or None
    (memoised: copies repeat the same three sentences across many triples)."""
    dev = content_words(deviant)
    both = content_words(first) & content_words(second)
    lost = list(dict.fromkeys(w for w in _TOKEN.findall(first) if normalise(w) in both - dev))
    new = list(dict.fromkeys(w for w in _TOKEN.findall(deviant) if normalise(w) in dev - both))
    if not lost and not new:
        return None
    return " ".join(new[:4]), " ".join(lost[:4])
