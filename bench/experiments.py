"""Ranking experiments on fouille's own index: knobs the engine reads at query time, measured
on the known-item queries, to say which change would win and by how much.

    python -m bench.experiments [manfr|manfr-nonom ...]

Writes ``experiments`` into bench/results.json (the report shows it). Each configuration is a
:class:`bench.peers.fouille.Fouille` built with other :class:`search.ranking.RankingSettings`;
the index is the one the retrieval part built (``bench/work/fouille-<corpus>``), rebuilt if
missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.build_corpus import DATA
from bench.peers.fouille import Fouille
from bench.queries import corpus_vocabulary, load
from bench.retrieval import evaluate
from search.ranking import RankingSettings

WORK = Path(__file__).resolve().parent / "work"
RESULTS = Path(__file__).resolve().parent / "results.json"
VARIANTS = ("typed", "inflected")  # fouille folds accents: "unaccented" equals "typed"

CONFIGS: list[RankingSettings] = [
    RankingSettings(),
    RankingSettings(every_word_first=True),
    RankingSettings(coordination=0.0),
    RankingSettings(coordination=1.0),
    RankingSettings(coordination=2.0),
    RankingSettings(exact_boost=0.5),
    RankingSettings(exact_boost=0.0),
    RankingSettings(title_weight=0.5),
    RankingSettings(title_weight=0.0),
    RankingSettings(lead=0.0),
    RankingSettings(lead=1.0),
    RankingSettings(lead_positions=80),
    RankingSettings(proximity=0.5),
]
LIMITS = (2, 3, 4, 6)


def word_counts(texts: list[str]) -> list[int]:
    from search.analysis import query_words

    return [len(query_words(t)) for t in texts]


def hybrid(strict: list[int], anyword: list[int], words: list[int], limit: int) -> float:
    """MRR@10 if queries of more than ``limit`` words were run the ``anyword`` way."""
    ranks = [a if n > limit else s for s, a, n in zip(strict, anyword, words, strict=True)]
    return sum(1 / r for r in ranks if r) / len(ranks)


def best_hybrids(
    experiments: dict, best_peer: dict[tuple[str, str], float], top: int = 3
) -> list[tuple[float, str, list[float]]]:
    """The best "every-word-first for short queries, ranked OR for long ones" pairings of two
    measured configurations, by their smallest margin over the best peer (computed from the
    per-query ranks, no new run)."""
    words = experiments.get("words")
    if not words or len(best_peer) < 4:
        return []
    cols = [(c, v) for c in ("manfr", "manfr-nonom") for v in VARIANTS]
    names = [n for n in experiments["manfr"] if n in experiments.get("manfr-nonom", {})]
    strict_names = [n for n in names if "every word first" in n]
    any_names = [n for n in names if "every word first" not in n]
    found = []
    for a in strict_names:
        for o in any_names:
            for limit in LIMITS:
                values = [
                    hybrid(
                        experiments[c][a][v]["ranks"], experiments[c][o][v]["ranks"], words, limit
                    )
                    for c, v in cols
                ]
                margin = min(x - best_peer[k] for x, k in zip(values, cols, strict=True))
                label = f"{a} up to {limit} words, else {o}"
                found.append((margin, label, values))
    found.sort(key=lambda item: -item[0])
    return found[:top]


def run(corpus_name: str, every: int = 1) -> dict:
    corpus = DATA / corpus_name
    queries = load(DATA / "queries.tsv")[::every]
    vocabulary = corpus_vocabulary(corpus)
    workdir = WORK / f"fouille-{corpus_name}"
    if not (workdir / "index").exists():
        Fouille().build(corpus, workdir)
    out: dict = {}
    for settings in CONFIGS:
        contender = Fouille(settings)
        contender.open(corpus, workdir)
        row = {}
        for variant in VARIANTS:
            score = evaluate(contender, queries, variant, vocabulary)
            row[variant] = {"mrr": score.mrr, "success": score.success, "ranks": score.ranks}
        contender.close()
        out[contender.name] = row
        print(corpus_name, contender.name, {v: round(row[v]["mrr"], 3) for v in VARIANTS})
    return out


def run_all(names: list[str], every: int = 1) -> dict:
    """Both corpora at once, one process each (the machine has two cores); ``every`` > 1 keeps
    one query in ``every`` (quick runs)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(len(names)) as pool:
        found = pool.map(run, names, [every] * len(names))
        out = dict(zip(names, found, strict=True))
    out["words"] = word_counts([q.text for q in load(DATA / "queries.tsv")[::every]])
    return out


def main(argv: list[str]) -> None:
    names = argv or ["manfr", "manfr-nonom"]
    found = run_all(names)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.setdefault("experiments", {}).update(found)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
