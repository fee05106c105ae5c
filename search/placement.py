"""Where the query words stand in an article's body: a second ranking stage over the top
candidates, rewarding articles that state the query words at their start (the lead) and, when
asked, those whose query words stand close together (proximity).

Both read only the body postings of the query's stems at the candidates (their word
positions), never the stored texts: a few postings skips per word for ~30 candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from whoosh.searching import Searcher

from search import postings

BODY = "body"


@dataclass(frozen=True)
class Placement:
    """Where one candidate holds the query words, as shares of the query's weight (idf)."""

    close: float
    """The largest idf share of distinct query words found within one window of positions
    (0 when no window holds two of them)."""
    lead: float
    """The idf share of the query words that occur among the body's first positions."""


def placements(
    searcher: Searcher, docnums: Sequence[int], stems: Sequence[str], *, window: int, lead: int
) -> dict[int, Placement]:
    """The :class:`Placement` of each of ``docnums`` for the query's distinct body ``stems``.

    ``window`` is the width in word positions in which words count as close (0: not measured),
    ``lead`` the number of first positions that make the lead."""
    stems = list(dict.fromkeys(stems))
    found = dict.fromkeys(docnums, Placement(0.0, 0.0))
    if not stems or not docnums:
        return found
    weights = [searcher.idf(BODY, stem) for stem in stems]
    total = sum(weights) or 1.0
    positions: dict[int, list[tuple[int, int]]] = {d: [] for d in docnums}
    wanted = sorted(docnums)
    cache = postings.cache_of(searcher)  # positions read once per state of the index
    for i, stem in enumerate(stems):
        for docnum, where in cache.positions(BODY, stem, wanted).items():
            positions[docnum].extend((p, i) for p in where)
    for docnum, held in positions.items():
        if not held:
            continue
        held.sort()
        first = {i for p, i in held if p < lead}
        close = _best_window(held, weights, window) / total if window else 0.0
        found[docnum] = Placement(close, sum(weights[i] for i in first) / total)
    return found


def _best_window(held: list[tuple[int, int]], weights: list[float], window: int) -> float:
    """The largest idf sum of distinct words within ``window`` positions, over windows that
    hold at least two distinct words (0 otherwise). ``held`` is sorted by position."""
    best = 0.0
    counts: dict[int, int] = {}
    weight = 0.0
    start = 0
    for pos, i in held:
        if counts.get(i, 0) == 0:
            weight += weights[i]
        counts[i] = counts.get(i, 0) + 1
        while pos - held[start][0] >= window:
            j = held[start][1]
            counts[j] -= 1
            if counts[j] == 0:
                weight -= weights[j]
            start += 1
        if sum(1 for c in counts.values() if c) >= 2 and weight > best:
            best = weight
    return best


def factors(
    searcher: Searcher,
    docnums: Sequence[int],
    stems: Sequence[str],
    *,
    proximity: float,
    window: int,
    lead: float,
    lead_positions: int,
) -> dict[int, float]:
    """What the stage multiplies each of ``docnums``'s score by: 1 + proximity × close + lead
    × lead share (see :class:`Placement`; 1 when it measures nothing)."""
    if not docnums or (not proximity and not lead) or len(set(stems)) < 1:
        return dict.fromkeys(docnums, 1.0)
    where = placements(
        searcher, docnums, stems, window=window if proximity else 0, lead=lead_positions
    )
    return {d: 1 + proximity * where[d].close + lead * where[d].lead for d in docnums}
