"""Known-item retrieval quality: MRR@10 and success@10 per query variant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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


# -- the known-item sets, measured for every engine -------------------------------------------


@dataclass(frozen=True)
class KnownItemSet:
    """Queries with their answers over one corpus folder of ``bench/data``."""

    name: str
    corpus: str
    queries: str  # path of the query file, relative to bench/
    title: str
    target: bool  # one of the sets issue 8's margin target is judged on


SETS = (
    KnownItemSet(
        "manfr-nonom",
        "manfr-nonom",
        "data/queries.tsv",
        "Man pages without their NOM section (the NOM description as query)",
        True,
    ),
    KnownItemSet(
        "docfr",
        "docfr",
        "data/docfr-queries.tsv",
        "Sections of Debian's French manuals (the heading as query, removed from the section)",
        True,
    ),
    KnownItemSet(
        "manfr",
        "manfr",
        "data/queries.tsv",
        "Full man pages (the NOM description as query, a verbatim line of the page)",
        False,
    ),
    KnownItemSet(
        "questions",
        "manfr",
        "fixtures/questions-manfr.tsv",
        "25 natural-language questions on the full man pages (answers chosen by hand)",
        False,
    ),
)
BENCH_DIR = Path(__file__).resolve().parent


def prepare(every: int) -> dict[str, dict]:
    """Per set: the query texts of every variant (computed once, here: simplemma loads in
    this process only), their answers, and the typed texts that name each query."""
    from bench.queries import VARIANTS, corpus_vocabulary, load

    out: dict[str, dict] = {}
    vocabularies: dict[str, frozenset[str]] = {}
    for s in SETS:
        queries = load(BENCH_DIR / s.queries)
        if s.name != "questions":  # 25 questions: all of them, even in a quick run
            queries = queries[::every]
        if s.corpus not in vocabularies:
            vocabularies[s.corpus] = corpus_vocabulary(BENCH_DIR / "data" / s.corpus)
        vocabulary = vocabularies[s.corpus]
        out[s.name] = {
            "corpus": s.corpus,
            "names": [q.text for q in queries],
            "targets": [sorted(q.targets) for q in queries],
            "texts": {v: [variant(q.text, v, vocabulary) for q in queries] for v in VARIANTS},
        }
    return out


def ranks_of(
    contender: Contender,
    texts: list[str],
    targets: list[list[str]],
    cache: dict[str, tuple[list[str], str]],
    k: int = 10,
) -> tuple[list[int], list[tuple[str, str]]]:
    """Rank of each query's answer (0: not in the top ``k``), and the misses (query as run,
    answer). ``cache`` maps a query text to what the contender found for it (and the error it
    raised, if any): a variant that leaves a query unchanged (``unaccented`` of a query
    without accents) is not run twice."""
    ranks: list[int] = []
    misses: list[tuple[str, str]] = []
    for text, answer in zip(texts, targets, strict=True):
        if text not in cache:
            try:
                cache[text] = (contender.search(text, k), "")
            except Exception as exc:  # a query an engine rejects is a miss, and is reported
                cache[text] = ([], f" [error: {type(exc).__name__}]")
        found, error = cache[text]
        rank = rank_of(found, frozenset(answer)) or 0
        ranks.append(rank)
        if not rank:
            misses.append((text + error, answer[0]))
    return ranks, misses


def measure_engine(key: str, corpus_name: str, prepared: dict[str, dict], and_modes: bool) -> dict:
    """Build ``key``'s index of one corpus and run every set of that corpus in every variant:
    ``{set: {engine name: {variant: {"mrr", "success", "ranks", "misses"}}}}``."""
    from bench.contenders import make, modes

    work = BENCH_DIR / "work" / f"{key}-{corpus_name}"
    corpus = BENCH_DIR / "data" / corpus_name
    make(key).build(corpus, work)
    out: dict[str, dict] = {name: {} for name, p in prepared.items() if p["corpus"] == corpus_name}
    for mode in modes(key, and_modes):
        contender = make(key, mode)
        contender.open(corpus, work)
        cache: dict[str, tuple[list[str], str]] = {}
        try:
            for set_name in out:
                p = prepared[set_name]
                row = {}
                for v, texts in p["texts"].items():
                    ranks, misses = ranks_of(contender, texts, p["targets"], cache)
                    row[v] = {
                        "mrr": mrr(ranks),
                        "success": sum(1 for r in ranks if r) / len(ranks),
                        "ranks": ranks,
                        "misses": misses[:6],
                    }
                out[set_name][contender.name] = row
        finally:
            contender.close()
    return out


def measure(
    keys: list[str],
    every: int,
    and_modes: bool,
    log: Callable[[str], None] = print,
    jobs: int = 2,
) -> dict:
    """Every engine on every set: one job per (engine, corpus) in ``jobs`` processes (quality
    does not depend on the machine's load; the speed part runs alone afterwards)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    prepared = prepare(every)
    corpora = sorted({p["corpus"] for p in prepared.values()})
    # the slowest engines first, so that neither process waits alone on a long job at the end
    slow = ("fouille", "whoosh")
    tasks = sorted(
        ((key, corpus) for key in keys for corpus in corpora), key=lambda t: t[0] not in slow
    )
    sets: dict[str, dict] = {
        s.name: {
            "title": s.title,
            "target": s.target,
            "corpus": s.corpus,
            "queries": prepared[s.name]["names"],
            "engines": {},
        }
        for s in SETS
    }
    found: dict[tuple[str, str], dict] = {}
    with ProcessPoolExecutor(jobs) as pool:
        futures = {
            pool.submit(measure_engine, key, corpus, prepared, and_modes): (key, corpus)
            for key, corpus in tasks
        }
        for future in as_completed(futures):
            found[futures[future]] = future.result()
            log(f"retrieval: {' on '.join(futures[future])} done")
    for key in keys:  # the tables keep the engines' order
        for corpus in corpora:
            for set_name, engines in found[(key, corpus)].items():
                sets[set_name]["engines"].update(engines)
    return {"sets": sets}
