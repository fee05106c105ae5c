"""The growth series: the man pages' paragraphs cycled into 10k, 50k and 100k one-paragraph
documents; at each size every engine's full build (seconds, peak RSS, index size), its warm
search latency per query kind, and the incremental re-check of an unchanged corpus."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from bench import build_corpus, speed
from bench.build_corpus import DATA
from bench.queries import load

WORK = Path(__file__).resolve().parent / "work"
IN_PROCESS = ("fouille", "sqlite", "whoosh", "tantivy", "tantivy-fr")
"""Engines searched in-process (warm latency); Recoll answers one ``recollq`` process each."""
QUERIES_PER_KIND = 10
APP_SIZE = 100_000
"""The size at which the app's keystroke-to-results time is measured too, on the index just
built (bench/tui_latency.py; about 30 s), so that figure costs no build of its own."""


def measure(
    keys: list[str],
    sizes: list[int],
    log: Callable[[str], None],
    done: Callable[[dict], None] | None = None,
) -> dict:
    """``done`` is given the figures so far after each size (a run cut short keeps them)."""
    out: dict = {}
    queries = load(DATA / "queries.tsv")
    for size in sizes:
        log(f"growth: the {size // 1000}k corpus")
        corpus = build_corpus.build_scale(size)
        sets = speed.query_sets(corpus, queries, n=QUERIES_PER_KIND)

        def workdir(key: str, size: int = size) -> Path:
            return WORK / f"{key}-scale-{size // 1000}k"

        log(f"growth: full builds of {size // 1000}k documents ({', '.join(keys)})")
        built = speed.builds(keys, corpus, workdir, 1)
        row: dict = {}
        for key in keys:
            entry: dict = {"build": built[key].__dict__}
            if key in ("fouille", "recoll"):
                log(f"growth: {key} re-checks the unchanged {size // 1000}k corpus")
                entry["unchanged_s"] = speed.worker("update", key, corpus, workdir(key))["seconds"]
            if key in IN_PROCESS:
                log(f"growth: warm latency of {key} on {size // 1000}k")
                entry["latency"] = speed.latency(key, corpus, workdir(key), sets, 1)
            elif key == "recoll":
                log(f"growth: recollq processes on {size // 1000}k")
                entry["cold"] = speed.cold(key, corpus, workdir(key), sets["several words"], 1)
            if key == "fouille" and size == APP_SIZE:
                from bench.tui_latency import keystroke_to_results

                log(f"growth: the app's keystroke-to-results on {size // 1000}k")
                queries = sets["several words"]
                app = keystroke_to_results(corpus, workdir(key) / "index", queries)
                entry["app"] = {**app, "queries": len(queries)}
            row[key] = entry
            shutil.rmtree(workdir(key), ignore_errors=True)
        out[str(size)] = row
        if done is not None:
            done(out)
    return out
