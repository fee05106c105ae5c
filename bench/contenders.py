"""The engines of the benchmark, by key, and how to make each (imports stay lazy: a peer that is
not installed only fails when it is used)."""

from __future__ import annotations

from bench.peers.base import Contender

KEYS = ("fouille", "recoll", "sqlite", "whoosh", "tantivy", "tantivy-fr")
BASELINE = "recoll"
"""Speed ratios are given against Recoll, the fastest established peer on this corpus."""


def make(key: str, mode: str = "default") -> Contender:
    """``mode``: "or"/"and" for peers (default "or"); fouille always runs its own ranking
    (``search.ranking.DEFAULT_RANKING``, what the CLI and the app use)."""
    if key in ("fouille", "fouille1"):
        from bench.peers.fouille import Fouille

        jobs = 1 if key == "fouille1" else None  # None: one worker per core (fouille's default)
        return Fouille(jobs=jobs)
    if key == "recoll":
        from bench.peers.recoll import Recoll

        return Recoll("and" if mode == "and" else "or")  # type: ignore[arg-type]
    if key == "sqlite":
        from bench.peers.sqlite_fts5 import SqliteFts5

        return SqliteFts5("and" if mode == "and" else "or")  # type: ignore[arg-type]
    if key in ("whoosh", "whoosh2", "whoosh2ms"):
        from bench.peers.whoosh_stock import WhooshStock

        return WhooshStock(
            "and" if mode == "and" else "or",  # type: ignore[arg-type]
            procs=1 if key == "whoosh" else 2,
            multisegment=key == "whoosh2ms",
        )
    if key in ("tantivy", "tantivy-fr"):
        from bench.peers.tantivy_peer import Tantivy

        return Tantivy("and" if mode == "and" else "or", french=key == "tantivy-fr")
    raise ValueError(f"unknown contender {key!r}; choose from {', '.join(KEYS)}")


def default_jobs() -> int:
    """The worker processes of fouille's default full build on this machine."""
    from search.parallel import default_jobs as jobs

    return jobs()


def modes(key: str, and_modes: bool) -> list[str]:
    """The query modes a contender is measured in: fouille has its own ranking only; peers run
    ranked OR, and AND too when ``and_modes``."""
    if key.startswith("fouille"):
        return ["default"]
    return ["or", "and"] if and_modes else ["or"]


def label(key: str) -> str:
    return {
        "fouille": "fouille",
        "recoll": "Recoll",
        "sqlite": "SQLite FTS5",
        "whoosh": "Whoosh stock",
        "whoosh2": "Whoosh stock, 2 procs",
        "tantivy": "tantivy",
        "tantivy-fr": "tantivy, French stemmer",
        "whoosh2ms": "Whoosh stock, 2 procs, multisegment",
        "fouille1": "fouille, --jobs 1",
    }.get(key, key)
