"""The engines of the benchmark, by key, and how to make each (imports stay lazy: a peer that is
not installed only fails when it is used)."""

from __future__ import annotations

from bench.peers.base import Contender

KEYS = ("fouille", "recoll", "sqlite", "whoosh")
BASELINE = "recoll"
"""Speed ratios are given against Recoll, the fastest established peer on this corpus."""


def make(key: str, mode: str = "default") -> Contender:
    """``mode``: "or"/"and" for peers (default "or"); "engine"/"or" for fouille."""
    if key == "fouille":
        from bench.peers.fouille import Fouille
        from search.ranking import RankingSettings

        return Fouille(RankingSettings(every_word_first=mode != "or"))
    if key == "recoll":
        from bench.peers.recoll import Recoll

        return Recoll("and" if mode == "and" else "or")  # type: ignore[arg-type]
    if key == "sqlite":
        from bench.peers.sqlite_fts5 import SqliteFts5

        return SqliteFts5("and" if mode == "and" else "or")  # type: ignore[arg-type]
    if key in ("whoosh", "whoosh2"):
        from bench.peers.whoosh_stock import WhooshStock

        return WhooshStock("and" if mode == "and" else "or", procs=2 if key == "whoosh2" else 1)  # type: ignore[arg-type]
    raise ValueError(f"unknown contender {key!r}; choose from {', '.join(KEYS)}")


def label(key: str) -> str:
    return {
        "fouille": "fouille",
        "recoll": "Recoll",
        "sqlite": "SQLite FTS5",
        "whoosh": "Whoosh stock",
        "whoosh2": "Whoosh stock, 2 procs",
    }.get(key, key)
