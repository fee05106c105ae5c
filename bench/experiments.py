"""Ranking experiments on fouille's own index: knobs the engine reads at query time, measured
on the known-item queries, to say which change would win and by how much.

    python -m bench.experiments [manfr|manfr-nonom ...]

Writes ``experiments`` into bench/results.json (the report shows it). Each configuration is a
:class:`bench.peers.fouille.Fouille` with patched query constants; the index is the one the
retrieval part built (``bench/work/fouille-<corpus>``), rebuilt if missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.build_corpus import DATA
from bench.peers.fouille import Fouille
from bench.queries import corpus_vocabulary, load
from bench.retrieval import evaluate

WORK = Path(__file__).resolve().parent / "work"
RESULTS = Path(__file__).resolve().parent / "results.json"
VARIANTS = ("typed", "inflected")  # fouille folds accents: "unaccented" equals "typed"

CONFIGS: list[dict] = [
    {},
    {"title_boost": 0.5},
    {"exact_boost": 0.0},
    {"title_boost": 0.5, "exact_boost": 0.0},
    {"title_boost": 0.5, "exact_boost": 0.5},
    {"mode": "or"},
    {"mode": "or", "title_boost": 0.5, "exact_boost": 0.25},
    {"mode": "or", "title_boost": 0.5, "exact_boost": 0.0},
]
HYBRID_AND = "fouille (exact-form bonus 0.5, title weight 0.5, experiment)"
HYBRID_OR = "fouille (ranked OR, exact-form bonus 0.25, title weight 0.5, experiment)"


def word_counts(texts: list[str]) -> list[int]:
    from search.analysis import query_words

    return [len(query_words(t)) for t in texts]


def hybrid(strict: list[int], anyword: list[int], words: list[int], limit: int) -> float:
    """MRR@10 if queries of more than ``limit`` words were run as ranked OR (both with title
    weight 0.5; exact-form bonus 0.5 for every-word-first, 0.25 for ranked OR)."""
    ranks = [a if n > limit else s for s, a, n in zip(strict, anyword, words, strict=True)]
    return sum(1 / r for r in ranks if r) / len(ranks)


def run(corpus_name: str) -> dict:
    corpus = DATA / corpus_name
    queries = load(DATA / "queries.tsv")
    vocabulary = corpus_vocabulary(corpus)
    workdir = WORK / f"fouille-{corpus_name}"
    if not (workdir / "index").exists():
        Fouille().build(corpus, workdir)
    out: dict = {}
    for config in CONFIGS:
        contender = Fouille(**config)
        contender.open(corpus, workdir)
        row = {}
        for variant in VARIANTS:
            score = evaluate(contender, queries, variant, vocabulary)
            row[variant] = {"mrr": score.mrr, "success": score.success, "ranks": score.ranks}
        contender.close()
        out[contender.name] = row
        print(corpus_name, contender.name, {v: round(row[v]["mrr"], 3) for v in VARIANTS})
    words = word_counts([q.text for q in queries])
    base, anyword = out[HYBRID_AND], out[HYBRID_OR]
    for limit in (2, 3, 4, 6):
        name = f"fouille (every-word-first up to {limit} words, else ranked OR; computed)"
        out[name] = {
            v: {"mrr": hybrid(base[v]["ranks"], anyword[v]["ranks"], words, limit)}
            for v in VARIANTS
        }
        print(corpus_name, name, {v: round(out[name][v]["mrr"], 3) for v in VARIANTS})
    return out


def run_all(names: list[str]) -> dict:
    """Both corpora at once, one process each (the machine has two cores)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(len(names)) as pool:
        return dict(zip(names, pool.map(run, names), strict=True))


def main(argv: list[str]) -> None:
    names = argv or ["manfr", "manfr-nonom"]
    found = run_all(names)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.setdefault("experiments", {}).update(found)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
