"""Known-item retrieval quality: MRR@10 and success@10 per query variant."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.peers.base import Contender
from bench.queries import Query, variant


@dataclass
class Score:
    mrr: float
    success: float
    queries: int
    misses: list[tuple[str, str]] = field(default_factory=list)  # (query as run, target)
    ranks: list[int] = field(default_factory=list)  # per query: rank of the answer, 0 if missed


def rank_of(found: list[str], targets: frozenset[str]) -> int | None:
    for rank, doc in enumerate(found, 1):
        if doc in targets:
            return rank
    return None


def evaluate(
    contender: Contender,
    queries: list[Query],
    variant_name: str,
    vocabulary: frozenset[str],
    k: int = 10,
) -> Score:
    reciprocal = 0.0
    hits = 0
    misses: list[tuple[str, str]] = []
    ranks: list[int] = []
    for query in queries:
        text = variant(query.text, variant_name, vocabulary)
        try:
            found = contender.search(text, k)
        except Exception as exc:  # a query an engine rejects is a miss, and is reported
            found = []
            misses.append((f"{text} [error: {type(exc).__name__}]", min(query.targets)))
            ranks.append(0)
            continue
        rank = rank_of(found, query.targets)
        ranks.append(rank or 0)
        if rank is None:
            misses.append((text, min(query.targets)))
        else:
            hits += 1
            reciprocal += 1 / rank
    n = len(queries)
    return Score(reciprocal / n, hits / n, n, misses, ranks)


def mrr(ranks: list[int], k: int = 10) -> float:
    return sum(1 / r for r in ranks if 0 < r <= k) / len(ranks) if ranks else 0.0


def bootstrap_ci(
    ranks: list[int], k: int = 10, samples: int = 2000, seed: int = 1
) -> tuple[float, float]:
    """The 95% bootstrap confidence interval of MRR@k over the queries (resampled with
    replacement, percentile method)."""
    import random

    rng = random.Random(seed)
    n = len(ranks)
    if not n:
        return 0.0, 0.0
    values = sorted(mrr([ranks[rng.randrange(n)] for _ in range(n)], k) for _ in range(samples))
    return values[int(0.025 * samples)], values[int(0.975 * samples) - 1]


def per_query_diff(
    before: list[int], after: list[int], texts: list[str], k: int = 10
) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """The queries whose answer moved: (query, rank before, rank after), gains then losses,
    the largest changes of reciprocal rank first (0 = not in the top k)."""

    def rr(rank: int) -> float:
        return 1 / rank if 0 < rank <= k else 0.0

    moved = [(t, b, a) for t, b, a in zip(texts, before, after, strict=True) if rr(a) != rr(b)]
    gains = sorted((m for m in moved if rr(m[2]) > rr(m[1])), key=lambda m: rr(m[1]) - rr(m[2]))
    losses = sorted((m for m in moved if rr(m[2]) < rr(m[1])), key=lambda m: rr(m[2]) - rr(m[1]))
    return gains, losses
