"""drift: which facts changed between a source and a version derived from it.

For every aligned sentence pair of a derivation edge the facts of both sides are compared:

- ``name``: a person, place or organisation spelled differently (``variant``: the same entity,
  Easley / Isley) or a different person put in its place (``variant`` false);
- ``number``: a value with its unit changed ("11,000" and "11000" are one number; "about 50" and
  "approximately 50" too);
- ``date``: a date, weekday, month or year changed ("January" fits "last January");
- ``quote``: the words inside quotation marks changed;
- ``status``: the tense, modality or status of an event changed ("planned visit" / "recent
  visit", "will sign" / "signed", "may" / "will");
- ``negation``: a statement turned into its negation.

Across languages (a translation, or two versions in one language other than English), only what
survives translation is compared: numbers, dates, names and negation, by
:func:`storytrace.story.translation.compare_across`, called from :func:`compare`.

Wording that keeps the facts is not drift: synonyms, reordering, contractions, curly or straight
quotes, British or American spelling. When a fact is merely missing on one side (a trimmed
detail), nothing is reported: drift needs a replacement.

Only what is comparable is compared (``text.comparable``): figures and dates as
:mod:`storytrace.story.figures` pairs them (the same counted thing, unit, currency and scope, the
same years, places and moment of the day; among several, by what each is about, not by position;
a date in a dateline or a timestamp is metadata); a name written otherwise (hyphens, compounds,
case, plural, a company suffix, a US state abbreviation, a place and its people, accents; in a
title-case headline capitals say nothing); a quotation of another speaker or another utterance,
or one whose only changes are an editor's insertion, a fragment's start, a time or a figure
written otherwise; a verb's tense, modality or polarity only where the passages keep most of
their words. Each drift then gets its difference kind (conflict, update, variant, rewording)
from :mod:`storytrace.story.difference`.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import cast

from ..records import SEMANTIC_LABELS, Alignment, Derivation, Drift, DriftKind, Report
from ..text.comparable import (
    name_key,
    same_place,
    same_spelling,
    spell_times,
)
from ..text.language import is_english
from ..text.mentions import (
    ATTRIBUTING,
    MONTHS,
    NUMBER_WORDS,
    WEEKDAYS,
    Entity,
    SentenceFacts,
    VerbState,
    canonical_words,
    merge_facts,
    title_case,
    written_words,
)
from .difference import classify
from .figures import Change, changed_dates, changed_figures
from .polarity import hedges, negations
from .translation import compare_across


def compare(src: SentenceFacts, tgt: SentenceFacts, strong: bool = False) -> list[Change]:
    """Fact changes from ``src`` to ``tgt`` (two aligned passages). ``strong``: the passages are
    near copies, so a different person in the same place is a substitution, not a rewrite."""
    if src.language != tgt.language or not is_english(src.language):
        return [Change(cast(DriftKind, kind), before, after, variant)
                for kind, before, after, variant in compare_across(src, tgt, strong)]  # fmt: skip
    changes: list[Change] = []
    changes += changed_figures(src, tgt)
    changes += changed_dates(src, tgt)
    changes += _names(src, tgt, strong)
    # a verb's tense, modality or polarity is compared where the passages keep most of their words:
    # across two rewritten sentences the "same" verb is often another statement ("was paid" / "had
    # never paid a salary before") or the same one told otherwise ("was replaced" / "will replace")
    close = strong or _close_wording(src.text, tgt.text)
    changes += _status(src, tgt, strong, close)
    changes += negations(src, tgt) + hedges(src, tgt) if close else []
    # a change inside a quotation that another kind already explains is reported once, by that kind
    explained = {w for c in changes for w in canonical_words(f"{c.before} {c.after}")}
    changes += [
        q for q in _quotes(src, tgt) if not set(canonical_words(f"{q.before} {q.after}")) <= explained
    ]
    return changes


_NAME_FILLERS = {"of", "the", "and", "for", "de", "la"}
_DATE_WORDS = set(MONTHS) | set(WEEKDAYS)


def _name_tokens(norm: str) -> list[str]:
    return norm.split()


def _demonym(a: str, b: str) -> bool:
    """Ukraine / Ukrainian, Korea / Korean, Russia / Russian: one place, not a changed name."""
    if " " in a or a == b or min(len(a), len(b)) < 4:
        return False
    short, long = sorted((a, b), key=len)
    stem = short.rstrip("aeiouy") or short
    return long.startswith(stem) and long[len(stem) :] in {
        "n",
        "an",
        "ian",
        "ean",
        "ese",
        "i",
        "ish",
        "ns",
        "ans",
        "ians",
    }


def _first_of_each(entities: Sequence[Entity]) -> list[Entity]:
    """The first mention of each name."""
    seen: set[str] = set()
    out = []
    for e in entities:
        if e.norm not in seen:
            seen.add(e.norm)
            out.append(e)
    return out


def _similar_spelling(a: str, b: str) -> bool:
    import jellyfish

    if not a or not b:
        return False
    return bool(
        jellyfish.jaro_winkler_similarity(a, b) >= 0.8
        or (len(a) > 3 and jellyfish.metaphone(a) == jellyfish.metaphone(b))
    )


def _original_words(text: str, norm_tokens: list[str]) -> str:
    """The words of ``text`` (its original spelling) that normalise to ``norm_tokens``."""
    words = [w.strip(".") for w in re.findall(r"[\w'’.-]+", text)]
    wanted = " ".join(norm_tokens)
    for size in range(1, 5):
        for k in range(len(words) - size + 1):
            chunk = " ".join(words[k : k + size])
            if re.sub(r"['’]s\b|[.'’-]", " ", chunk).lower().split() == wanted.split():
                return re.sub(r"['’]s$", "", chunk)  # "Reid's": the name is "Reid"
    return " ".join(norm_tokens)


def _names(src: SentenceFacts, tgt: SentenceFacts, strong: bool) -> list[Change]:
    t_text = " " + " ".join(canonical_words(tgt.text)) + " "
    s_text = " " + " ".join(canonical_words(src.text)) + " "

    s_keys, t_keys = _spelling_keys(src.text), _spelling_keys(tgt.text)

    def present(norm: str, text: str, ents: Sequence[str], keys: frozenset[str]) -> bool:
        if f" {norm} " in text or any(_demonym(norm, w) for w in text.split()):
            return True
        if name_key(norm) in keys:  # "Tenn." / "Tennessee", "on-line" / "online", "Acme Inc." / "Acme"
            return True
        toks = set(norm.split())
        return any(toks <= set(e.split()) or set(e.split()) <= toks or same_place(norm, e) for e in ents)

    skip = {"NORP"}
    s_ents = [e for e in src.entities if e.label not in skip]
    t_ents = [e for e in tgt.entities if e.label not in skip]
    lost = [e for e in s_ents if not present(e.norm, t_text, [t.norm for t in t_ents], t_keys)]
    new = [e for e in t_ents if not present(e.norm, s_text, [s.norm for s in s_ents], s_keys)]
    # a name one side gives more often than the other, while the other has a new name: one of its
    # mentions may be that name misspelled ("Reid's car ... Reid's home" / "Ried's car ... Reid's home")
    s_count, t_count = Counter(e.norm for e in s_ents), Counter(e.norm for e in t_ents)
    if new:
        lost += [e for e in _first_of_each(s_ents) if 0 < t_count[e.norm] < s_count[e.norm] and e not in lost]
    if lost:
        new += [e for e in _first_of_each(t_ents) if 0 < s_count[e.norm] < t_count[e.norm] and e not in new]
    out: list[Change] = []
    used: set[int] = set()
    for s in lost:
        for k, t in enumerate(new):
            if k in used:
                continue
            ta, tb = _name_tokens(s.norm), _name_tokens(t.norm)
            a_words = [w for w in ta if w not in tb and w not in _NAME_FILLERS]
            b_words = [w for w in tb if w not in ta and w not in _NAME_FILLERS]
            if not a_words or not b_words:
                continue
            shared = len(set(ta) & set(tb))
            spelled = len(a_words) == len(b_words) and all(
                _similar_spelling(x, y) for x, y in zip(a_words, b_words, strict=True)
            )
            if spelled and (shared > 0 or len(ta) == 1):
                used.add(k)
                out.append(
                    Change(
                        "name", _original_words(src.text, a_words), _original_words(tgt.text, b_words), True
                    )
                )
                break
            if strong and s.label == t.label == "PERSON" and len(lost) == 1 and len(new) == 1:
                used.add(k)
                out.append(Change("name", s.text, t.text, False))
                break
    # capitalised words the parser did not tag: a close misspelling of a name is still drift
    seen = {w for c in out for w in (c.before, c.after)}

    def absent(word: str, text: str) -> bool:
        return f" {' '.join(canonical_words(word))} " not in text and word.lower() not in _DATE_WORDS

    if not strong and (title_case(src.text) or title_case(tgt.text)):
        return out  # two headlines in title case: capitals do not tell names from common nouns
    s_caps = {w for w in src.capitalised if absent(w, t_text) and name_key(w) not in t_keys}
    t_caps = {w for w in tgt.capitalised if absent(w, s_text) and name_key(w) not in s_keys}
    if strong:  # a near copy: its first word is a name too when the parser tagged one side's as one
        (a, a_tagged), (b, b_tagged) = _first_word(src), _first_word(tgt)
        if a and b and a != b and (a_tagged or b_tagged) and absent(a, t_text) and absent(b, s_text):
            s_caps.add(a)
            t_caps.add(b)
    for a in sorted(s_caps - seen):
        for b in sorted(t_caps - seen):
            if (a[0] == b[0] and not _demonym(a.lower(), b.lower()) and not same_place(a, b)
                    and _close_spelling(a.lower(), b.lower())):  # fmt: skip
                out.append(Change("name", a, b, True))
                seen |= {a, b}
                break
    return out


_FIRST_WORD = re.compile(r"^[\W_]*([A-Z][a-z]{3,})(?:['’]s)?\b")


def _first_word(facts: SentenceFacts) -> tuple[str, bool]:
    """The passage's first word when it is capitalised ("" else), and whether it is (part of) a name
    the parser tagged ("Hastings did not know ...", "Klitschko's brother ...")."""
    m = _FIRST_WORD.match(facts.text)
    if m is None:
        return "", False
    return m.group(1), any(m.group(1) in re.split(r"[\s'’]+", e.text) for e in facts.entities)


@lru_cache(maxsize=8192)
def _spelling_keys(text: str) -> frozenset[str]:
    """:func:`name_key` of every run of one to three words of ``text`` ("web site", "on-line",
    "Tenn."): a name of the other side with one of these keys is written here too. Memoised: a
    sentence is compared with its counterpart in every other version of its story."""
    words = re.findall(r"[\w'’.-]+", text)
    words = [w.strip(".'’-") for w in words]
    return frozenset(
        name_key(" ".join(words[k : k + n])) for n in (1, 2, 3) for k in range(len(words) - n + 1)
    )


def _close_spelling(a: str, b: str) -> bool:
    import jellyfish

    return len(a) >= 4 and len(b) >= 4 and jellyfish.jaro_winkler_similarity(a, b) >= 0.88


def _speakers(facts: SentenceFacts) -> list[str]:
    """Persons a passage names outside its quotations: who says the quoted words."""
    return [
        e.norm for e in facts.entities if e.label == "PERSON" and not any(e.text in q for q in facts.quotes)
    ]


def _same_speaker(src: SentenceFacts, tgt: SentenceFacts) -> bool:
    """The passages name no speaker, or a speaker in common (one name spelled two ways counts)."""
    a, b = _speakers(src), _speakers(tgt)
    if not a or not b:
        return True
    for x in a:
        for y in b:
            tx, ty = set(x.split()), set(y.split())
            if tx & ty or name_key(x) == name_key(y) or _similar_spelling(x, y):
                return True
    return False


def _quotes(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    """Changed words inside the same quotation: the same speaker (or none named) and words that
    largely overlap. Another speaker's or another utterance is a different quotation, not drift."""
    out: list[Change] = []
    if not src.quotes or not tgt.quotes or not _same_speaker(src, tgt):
        return out
    used: set[int] = set()
    for q in src.quotes:
        qw = _quote_words(q)
        if len(qw) < 3:  # "potential arson": a quoted phrase, not a quotation
            continue
        best, best_k, best_tw = 0.0, -1, []
        for k, t in enumerate(tgt.quotes):
            if k in used:
                continue
            tw = _quote_words(t)
            if len(tw) < 3:
                continue
            overlap = len(set(qw) & set(tw)) / max(1, min(len(set(qw)), len(set(tw))))
            if overlap > best:
                best, best_k, best_tw = overlap, k, tw
        if best_k < 0 or best < 0.4 or best_tw == qw:
            continue
        used.add(best_k)
        sm = difflib.SequenceMatcher(a=qw, b=best_tw, autojunk=False)
        fragment = (_fragment(q), _fragment(tgt.quotes[best_k]))
        ops = [
            op
            for op in sm.get_opcodes()
            if op[0] != "equal"
            and not _same_words(qw[op[1] : op[2]], best_tw[op[3] : op[4]])
            and _EDITED not in qw[op[1] : op[2]] + best_tw[op[3] : op[4]]
            # a quotation run into the sentence starts where its writer chose: what the other
            # rendering has before it is not missing from it
            and not (fragment[0] and op[2] == 0)
            and not (fragment[1] and op[4] == 0)
        ]
        if not ops:
            continue
        if sm.ratio() < 0.6 or len(ops) > 3:
            # the same utterance rendered otherwise shares most of the longer one's words; a piece of a
            # longer quotation, or a quotation that shares a few words with another, is another utterance
            if len(set(qw) & set(best_tw)) / max(len(set(qw)), len(set(best_tw))) >= 0.4:
                out.append(Change("quote", q, tgt.quotes[best_k]))
            continue
        # the changed words as written ("excited" / "thrilled", not "thriled")
        qs, ts = _quote_words(q, written=True), _quote_words(tgt.quotes[best_k], written=True)
        for _, i1, i2, j1, j2 in ops:
            out.append(Change("quote", " ".join(qs[i1:i2]), " ".join(ts[j1:j2])))
    return out


#: an editor's insertion in a quotation, in brackets or parentheses ("[the President]", "The (drug)
#: benefit"): it stands for words of the original, so it matches anything the other rendering has
#: in its place
_EDITED = "\u2026edited\u2026"
_BRACKETED = re.compile(r"\[[^\[\]]*\]|\([^()]*\)")
#: particles of Arabic names that one rendering keeps and another drops ("al-Ghozi" / "Ghozi")
_NAME_PARTICLES = {"al", "el"}


def _same_words(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two runs of quoted words that say the same: the same words written otherwise (``same_spelling``),
    a figure in digits and in words ("2" / "two"), a name particle kept or dropped ("al-")."""
    if same_spelling(a, b) or set(a) | set(b) <= _NAME_PARTICLES:
        return True
    if len(a) == len(b) == 1:
        x, y = a[0], b[0]
        return str(NUMBER_WORDS.get(x, x)) == str(NUMBER_WORDS.get(y, y))
    return False


def _quote_words(quote: str, written: bool = False) -> list[str]:
    """The canonical words of a quotation, an editor's insertion as one :data:`_EDITED`, times of day
    written one way ("6 p.m." / "6:00 p.m."); ``written``: the same words spelt as written."""
    words = written_words if written else canonical_words
    parts = _BRACKETED.split(spell_times(quote))
    out = words(parts[0])
    for part in parts[1:]:
        out += [_EDITED, *words(part)]
    return out


def _fragment(quote: str) -> bool:
    """A quotation that starts in lower case: a fragment run into the writer's sentence ("said the
    company "encourages all users to ...")."""
    first = quote.lstrip(" .…'\"“‘")[:1]
    return first.isalpha() and first.islower()


_CONFLICTING = {
    frozenset({"future", "past"}), frozenset({"possible", "past"}), frozenset({"conditional", "past"}),
    frozenset({"possible", "future"}),
}  # fmt: skip


#: words that put a statement in another time than its neighbour's ("Previously, agencies were
#: required ..." / "Agencies again will be required ...")
_TIME_SHIFT = {
    "previously", "formerly", "again", "once", "earlier", "longer", "anymore", "originally", "initially", "yet",
}  # fmt: skip


def _status(src: SentenceFacts, tgt: SentenceFacts, strong: bool = True, close: bool = True) -> list[Change]:
    """Changed status of an event: of a noun ("planned visit" / "recent visit") and, where the
    passages are ``close`` in wording, of a verb. "would" beside a past tense is the future of a
    past narrative ("would become" / "became"), in a rewrite any conditional beside a past tense
    may be a refusal or a rewording ("would not specify" / "was not specified"), and a passage that
    sets its statement in another time than the other ("previously" / "again") is not compared."""
    out: list[Change] = []
    shifted = bool(_TIME_SHIFT & (set(canonical_words(src.text)) ^ set(canonical_words(tgt.text))))
    s_nouns = {(n.lemma, n.status): n for n in src.nouns}
    t_nouns = {(n.lemma, n.status): n for n in tgt.nouns}
    for (lemma, status), n in s_nouns.items():
        other = "past" if status == "planned" else "planned"
        if (lemma, other) in t_nouns and (lemma, status) not in t_nouns:
            out.append(
                Change("status", n.phrase, t_nouns[(lemma, other)].phrase, forward=status == "planned")
            )
    for v, w in _verb_pairs(src, tgt) if close else []:
        if v.lemma in ATTRIBUTING or shifted or (not strong and "conditional" in (v.status, w.status)):
            continue
        if {v.status, w.status} == {"conditional", "past"} and _narrative_would(v, w):
            continue
        if frozenset({v.status, w.status}) in _CONFLICTING:
            forward = None if "past" not in (v.status, w.status) else w.status == "past"
            out.append(Change("status", v.phrase, w.phrase, forward=forward))
    return out


def _narrative_would(v: VerbState, w: VerbState) -> bool:
    """ "would become" beside "became": the future of a past narrative, the same fact."""
    return any(
        re.search(r"\bwould\b|'d\b", x.phrase, re.IGNORECASE) for x in (v, w) if x.status == "conditional"
    )


def _verb_pairs(src: SentenceFacts, tgt: SentenceFacts) -> list[tuple[VerbState, VerbState]]:
    """The same verb on both sides: a verb named once on each side, or, when a verb comes as often
    on both sides ("received a degree ... and received a doctorate"), the one occurrence whose
    status differs once the occurrences of equal status are set aside."""
    pairs: list[tuple[VerbState, VerbState]] = []
    s_count, t_count = Counter(v.lemma for v in src.verbs), Counter(v.lemma for v in tgt.verbs)
    for lemma, n in s_count.items():
        if t_count.get(lemma) != n:
            continue
        a = [v for v in src.verbs if v.lemma == lemma]
        b = [v for v in tgt.verbs if v.lemma == lemma]
        if n > 1:
            for v in list(a):
                same = next((w for w in b if w.status == v.status), None)
                if same is not None:
                    a.remove(v)
                    b.remove(same)
        if len(a) == 1 and len(b) == 1:
            pairs.append((a[0], b[0]))
    return pairs


def _close_wording(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(a=canonical_words(a), b=canonical_words(b), autojunk=False).ratio() >= 0.7


#: facts of each sentence, keyed by (article id, sentence index)
FactIndex = dict[tuple[str, int], SentenceFacts]


def story_drift(
    derivations: Sequence[Derivation],
    alignments: Sequence[Alignment],
    facts: FactIndex,
    published: Mapping[str, datetime | None] | None = None,
) -> list[Drift]:
    """Drift along every derivation edge of a story, passage by passage, each with its difference
    kind (``story.difference``); ``published``: the articles' publication times, when known."""
    times = published or {}
    by_pair: dict[tuple[str, str], Alignment] = {}
    for pair in alignments:
        by_pair[(pair.source, pair.target)] = pair
        by_pair[(pair.target, pair.source)] = pair.reversed()
    out: list[Drift] = []
    for d in derivations:
        al = by_pair.get((d.source, d.target))
        if al is None:
            continue
        when = (times.get(d.source), times.get(d.target))
        for link in al.links:
            src = merge_facts([facts[(d.source, i)] for i in link.source])
            tgt = merge_facts([facts[(d.target, j)] for j in link.target])
            strong = link.label not in SEMANTIC_LABELS
            for c in compare(src, tgt, strong):
                kind = classify(c.kind, c.before, c.after, c.variant, (src.text, tgt.text), when, c.developing,
                                c.forward)  # fmt: skip
                variant = c.variant and c.kind == "name"  # Drift.variant: names only (report.json v1)
                out.append(
                    Drift(d.source, d.target, c.kind, c.before, c.after, src.text, tgt.text, variant, kind)
                )
    return out


def seeds_checklist(report: Report) -> list[tuple[str, bool]]:
    """The drift and consolidation findings required on ../shared/seeds (the drift issue), each
    with whether ``report`` shows it; used by the seeds suite of ``storytrace eval``."""
    s000, s001, s002, s003, s004 = (
        "000_48c82d9fa84bf12b", "001_af60520f71ff48c9", "002_24a45464d321b182", "003_14e98fc3686cf210",
        "004_fdf5bc142029436b",
    )  # fmt: skip
    story = next((s for s in report.stories if s000 in s.articles), None)
    if story is None:
        return [("seeds analysed", False)]
    drift, dossier = story.dossier.drift, story.dossier

    def has(src: str, tgt: str, kind: str, before: str, after: str) -> bool:
        return any({d.source, d.target} == {src, tgt} and d.kind == kind and before in d.before and after in d.after
                   for d in drift)  # fmt: skip

    def fact(needle: str) -> set[str]:
        return {a for f in dossier.facts if needle in f.text for a in f.sources}

    def timeline(date: str, needle: str) -> bool:
        return any(t.date.startswith(date) and needle in t.event for t in dossier.timeline)

    containers = [f for f in dossier.facts if "11,000 containers" in f.text]
    return [
        ("name 000->003 Easley/Isley, a spelling variant", any(d.before == "Easley" and d.after == "Isley" and d.variant
                                                                for d in drift)),
        ("name 000->003 Ewha/Ewa, a spelling variant", any(d.before == "Ewha" and d.after == "Ewa" and d.variant
                                                            for d in drift)),
        ("status 000->004 planned/recent visit", has(s000, s004, "status", "planned", "recent")),
        ("quote 001/002 John Kirby's words differ", any({d.source, d.target} == {s001, s002} and d.kind == "quote"
                                                         and "concern" in d.source_sentence for d in drift)),
        ("quote 001/002 Kim's comrades-in-arms sentence differs",
         any({d.source, d.target} == {s001, s002} and d.kind == "quote" and "comrades" in d.source_sentence
             for d in drift)),
        ("quote 000->003 welcome/receive", has(s000, s003, "quote", "welcome", "receive")),
        ("fact: July 2000 visit, 3+ sources", len(fact("July 2000")) >= 3),
        ("fact: Vietnam June 19-20 by 000, 003, 004", {s000, s003, s004} <= fact("June 19-20")),
        ("fact: about 50 missiles by 000, 003, 004", {s000, s003, s004} <= fact("50 such missiles")),
        ("fact: 11,000 containers single-source (004)", bool(containers) and all(f.sources == (s004,)
                                                                                   for f in containers)),
        ("timeline: June 18-19 visit", any(t.date == "2024-06-18" for t in dossier.timeline)),
        ("timeline: September 2023 Vostochny meeting", timeline("2023-09", "Vostochny")),
        ("timeline: July 2000 visit", timeline("2000-07", "2000")),
    ]  # fmt: skip
