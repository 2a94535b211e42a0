"""difference: what kind of difference one drift is, as a fact-checker reads it.

- ``variant``: the same name or quotation spelled, rendered or trimmed otherwise (Easley / Isley,
  "welcome" / "receive" inside the same speaker's quotation), a figure rounded ("about 2,000" /
  "2,017");
- ``update``: the later article revises a developing figure or status: a toll or a count that
  moves between reports published at least :data:`UPDATE_GAP` apart ("1 dead" on Monday, "24
  dead" on Tuesday), an expected date that moved, a planned visit that has happened;
- ``conflict``: the same fact (same thing counted, same scope) with another value, in articles
  close in time or whose times are unknown; a different person in the same place;
- ``rewording``: the wording changed the meaning (a negation, a status without a later report,
  a quotation whose changed words carry a negation or a figure).

An ``update`` needs both publication times: without them nothing is called an update (a
conflict is the conservative reading: a person should look at it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..records import DifferenceKind, DriftKind
from ..text.mentions import canonical_words

#: the least time between two reports for a changed figure to read as an update, not a conflict
UPDATE_GAP = timedelta(hours=12)
#: counted things that grow or shrink as a story develops (``text.comparable``)
DEVELOPING = {"dead", "injured", "missing", "arrested", "evacuated", "displaced", "rescued", "destroyed",
              "damaged", "affected", "infected", "confirmed"}  # fmt: skip
#: words that mark a figure or date as provisional or revised
_CUES = {"expected", "estimated", "preliminary", "provisional", "confirmed", "toll", "rose", "risen", "rising",
         "climbed", "increased", "reached", "updated", "revised", "latest", "far", "least",
         "postponed", "delayed", "rescheduled", "moved", "scheduled", "planned", "tentatively"}  # fmt: skip
_MEANING = {"not", "no", "never", "nothing", "none", "nobody", "without"}


def _figures(words: set[str]) -> set[str]:
    """The words that carry digits: figures and times of day ("21h00")."""
    return {w for w in words if any(ch.isdigit() for ch in w)}


def _later(source_time: datetime | None, target_time: datetime | None) -> str | None:
    """ "source" or "target", the article published at least UPDATE_GAP after the other."""
    if source_time is None or target_time is None:
        return None
    try:
        gap = target_time - source_time
    except TypeError:  # one aware, one naive: compare as given
        gap = target_time.replace(tzinfo=None) - source_time.replace(tzinfo=None)
    if gap >= UPDATE_GAP:
        return "target"
    if -gap >= UPDATE_GAP:
        return "source"
    return None


def classify(
    kind: DriftKind,
    before: str,
    after: str,
    variant: bool,
    context: tuple[str, str],
    times: tuple[datetime | None, datetime | None],
    developing: bool = False,
    forward: bool | None = None,
) -> DifferenceKind:
    """The difference kind of one change from ``before`` to ``after``; ``context``: the source and
    target passages; ``times``: their articles' publication times; ``developing``: the figure
    counts something that develops (a toll); ``forward``: for a status, True when ``after`` is
    the further along (planned -> happened), False when ``before`` is."""
    later = _later(*times)
    if kind == "name":
        return "variant" if variant else "conflict"
    if kind == "number" and variant:
        return "variant"  # the same figure rounded ("about 2,000" / "2,017")
    if kind == "quote":
        a, b = set(canonical_words(before)), set(canonical_words(after))
        if a & _MEANING != b & _MEANING or _figures(a) != _figures(b):
            return "rewording"  # a negation or a figure came or went inside the quotation
        return "variant"
    if kind == "status":
        if later is not None and forward is not None and (later == "target") == forward:
            return "update"
        return "rewording"
    if kind in ("number", "date"):
        cued = bool(_CUES & set(canonical_words(" ".join(context))))
        if later is not None and (developing or cued):
            return "update"
        return "conflict"
    return "rewording"
