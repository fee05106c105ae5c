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
