"""polarity: where one passage denies, or hedges, what an aligned passage asserts.

- a verb named once on each side, negated on one side only ("was not" / "was", "failed to
  approve" / "managed to approve");
- a verb replaced by its opposite ("admitted" / "denied" killing);
- a lone "not" one side has and the other drops, the words around it kept ("pleaded not guilty");
- a hedge dropped or added ("allegedly stole" / "stole"): a claim stated as a fact, reported as a
  change of status unless an attribution ("police said", "according to") takes the hedge's place.

:func:`story.drift.compare` asks for these only where the passages are close in wording.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence

from ..text.mentions import ATTRIBUTING, SentenceFacts, VerbState, canonical_words, written_words
from .figures import Change


def _unique_verbs(facts: SentenceFacts) -> dict[str, VerbState]:
    counts = Counter(v.lemma for v in facts.verbs)
    return {v.lemma: v for v in facts.verbs if counts[v.lemma] == 1}


#: verbs that state the opposite of each other ("admitted" / "denied" killing): one in the place of
#: the other says the contrary. The verbs that set a complement's polarity ("refused to" / "agreed
#: to") are read on the complement (``text.mentions.POLARITY_VERBS``).
_OPPOSITE_VERBS = {frozenset(p) for p in [
    ("admit", "deny"), ("confirm", "deny"), ("accept", "reject"), ("approve", "reject"), ("win", "lose"),
    ("acquit", "convict"), ("allow", "ban"), ("allow", "forbid"), ("include", "exclude"), ("rise", "fall"),
    ("increase", "decrease"), ("open", "close"), ("support", "oppose"), ("pass", "fail"),
]}  # fmt: skip


def negations(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    """A verb named once on each side, negated on one side only; a verb replaced by its opposite
    ("admitted" / "denied"); else a "not" that one side has and the other drops, on no verb
    ("pleaded not guilty") or on a verb named twice. ``story.drift.compare`` asks only where the passages are
    close in wording."""
    out: list[Change] = []
    s_verbs, t_verbs = _unique_verbs(src), _unique_verbs(tgt)
    for lemma, v in s_verbs.items():
        w = t_verbs.get(lemma)
        if w is not None and v.negated != w.negated:
            out.append(Change("negation", v.phrase, w.phrase))
    s_lemmas, t_lemmas = {v.lemma for v in src.verbs}, {w.lemma for w in tgt.verbs}
    s_only = [v for k, v in s_verbs.items() if k not in t_lemmas]
    t_only = [w for k, w in t_verbs.items() if k not in s_lemmas]
    for v in s_only:
        w = next((w for w in t_only if frozenset({v.lemma, w.lemma}) in _OPPOSITE_VERBS), None)
        if w is not None and v.negated == w.negated:
            out.append(Change("negation", v.phrase, w.phrase))
    return out or _dropped_not(src.text, tgt.text)


def _dropped_not(a_text: str, b_text: str) -> list[Change]:
    """A lone "not" one passage has and the other does not, the word before it and the two after it
    kept on both sides ("not surprisingly, no trace was found" / "surprisingly the myth is believed"
    are two statements)."""
    a, b = canonical_words(a_text), canonical_words(b_text)
    if a.count("not") == b.count("not"):
        return []
    wa, wb = written_words(a_text), written_words(b_text)
    out: list[Change] = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "delete" and a[i1:i2] == ["not"] and _kept_around(a, i1, i2, b, j1):
            out.append(Change("negation", f"{wa[i1]} {wa[i2]}", wa[i2]))
        elif op == "insert" and b[j1:j2] == ["not"] and _kept_around(b, j1, j2, a, i1):
            out.append(Change("negation", wb[j2], f"{wb[j1]} {wb[j2]}"))
    return out


def _kept_around(a: Sequence[str], i1: int, i2: int, b: Sequence[str], j: int) -> bool:
    """``a[i1:i2]`` left out of ``b`` at ``j``: the word before and the two after are ``b``'s there."""
    return i1 > 0 and j > 0 and a[i1 - 1] == b[j - 1] and len(a) >= i2 + 2 and a[i2 : i2 + 2] == b[j : j + 2]


#: words that present a statement as a claim, not a fact: a version that drops one states as a
#: fact what its source only reported ("allegedly stole" / "stole")
HEDGES = {
    "allegedly",
    "reportedly",
    "purportedly",
    "supposedly",
    "apparently",
    "alleged",
    "purported",
    "unconfirmed",
}
_HEDGED = re.compile(r"\b(" + "|".join(sorted(HEDGES)) + r")\s+([\w'’-]+)", re.IGNORECASE)


def hedges(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    """A hedge one passage has and the other drops around the same word (``story.drift.compare`` asks only where
    the passages are close in wording): a status change, claim to fact or back. A side that names a
    source the other does not ("stole, police said") gives the claim its attribution instead."""
    a, b = canonical_words(src.text), canonical_words(tgt.text)
    if not HEDGES & (set(a) ^ set(b)):
        return []
    said = _attributions(src, set(a)), _attributions(tgt, set(b))
    out: list[Change] = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "delete" and set(a[i1:i2]) <= HEDGES and not said[1] - said[0]:
            m = _hedge_at(src.text, a[i1], a[i2] if i2 < len(a) else "")
            if m:
                out.append(Change("status", m.group(0), m.group(2)))
        elif op == "insert" and set(b[j1:j2]) <= HEDGES and not said[0] - said[1]:
            m = _hedge_at(tgt.text, b[j1], b[j2] if j2 < len(b) else "")
            if m:
                out.append(Change("status", m.group(2), m.group(0)))
    return out


def _attributions(facts: SentenceFacts, words: set[str]) -> set[str]:
    """Who a passage says the statement comes from: its attributing verbs, "according to"."""
    return {v.lemma for v in facts.verbs if v.lemma in ATTRIBUTING} | (words & {"according"})


def _hedge_at(text: str, hedge: str, word: str) -> re.Match[str] | None:
    """The hedge ``hedge`` of ``text`` with the word it qualifies (``word``, canonical)."""
    return next((m for m in _HEDGED.finditer(text)
                 if m.group(1).lower() == hedge and canonical_words(m.group(2))[:1] == [word]), None)  # fmt: skip
