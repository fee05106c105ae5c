"""Warm search cost and ranking identity of the engine in this checkout, for A/B rounds.

``python -m bench.search_ab build CORPUS WORKDIR`` builds the index once (any checkout can
search it: same schema). ``python -m bench.search_ab run CORPUS WORKDIR OUT.json`` searches the
query kinds of :func:`query_kinds` (single words, three words, phrases, prefixes, the
natural-language questions of 5-10 words, the known-item queries), warm, and writes per kind the
median and p99 CPU and wall milliseconds per search (top 10 with snippets, and without), plus
every query's hits (ids, scores, counts). ``python -m bench.search_ab compare A.json B.json``
says whether B ranks exactly as A (same ids in the same order; otherwise whether the difference
is only the order of tied scores) and prints the times side by side.

Run A and B in alternating fresh processes on a shared machine (CPU time is what counts).
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from bench.queries import load
from bench.speed import percentile, query_sets

ROOT = Path(__file__).resolve().parents[1]


def query_kinds(corpus: Path) -> dict[str, list[str]]:
    queries = load(ROOT / "bench" / "data" / "queries.tsv")
    kinds = query_sets(corpus, queries)
    questions = [
        line.split("\t")[1].strip()
        for line in (ROOT / "bench" / "fixtures" / "questions-manfr.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
        if "\t" in line
    ]
    kinds["natural language"] = questions
    known = [q.text for q in queries if 5 <= len(re.findall(r"\w+", q.text)) <= 10]
    kinds["known-item 5-10 words"] = known[:: max(1, len(known) // 40)][:40]
    kinds["operators"] = [
        "fichier NOT répertoire",
        "copier fichier -répertoire",
        "copier fichiers -lien -groupe",
        "copier OU déplacer fichier",
        "copier ET fichier",
        "=fichiers copier",
        '"mot de passe" utilisateur',
        "utilisat* groupe",
        "title:passwd mot",
        "fichier date:2020",
        "(copier OU déplacer) fichier répertoire",
        "paquets installer",
        "Comment créer un dossier ?",
    ]
    return kinds


def build(corpus: Path, workdir: Path) -> None:
    from search.engine import Engine

    engine = Engine(corpus, workdir / "index")
    engine.update(full=True, jobs=1)
    engine.close()


def run(
    corpus: Path, workdir: Path, out: Path, repeat: int = 3, fresh: int = 0, mode: str = ""
) -> None:
    """With ``fresh``, each search starts with no decoded postings nor stored texts cached:
    what a query costs the first time its words are searched. ``mode``: "tiers" (every word
    first), "date" (sorted by date), else the engine's default ranking."""
    from search.engine import Engine
    from search.ranking import RankingSettings

    forget = _forget if fresh else lambda: None
    ranking = RankingSettings(every_word_first=mode == "tiers")
    sort = "date" if mode == "date" else "relevance"
    engine = Engine(corpus, workdir / "index", ranking=ranking)
    kinds = query_kinds(corpus)
    report: dict[str, dict] = {"times": {}, "hits": {}}
    for kind, queries in kinds.items():
        for snippets in (False, True):
            for q in queries:  # warm-up
                engine.search(q, limit=10, snippets=snippets, sort=sort)
            cpu: list[float] = []
            wall: list[float] = []
            for _ in range(repeat):
                for q in queries:
                    forget()
                    c0, w0 = time.process_time(), time.perf_counter()
                    result = engine.search(q, limit=10, snippets=snippets, sort=sort)
                    cpu.append((time.process_time() - c0) * 1000)
                    wall.append((time.perf_counter() - w0) * 1000)
                    if snippets:
                        report["hits"][q] = {
                            "all": result.all_words,
                            "some": result.some_words,
                            "hits": [(h.id, round(h.score, 9), h.snippet) for h in result.hits],
                        }
            label = f"{kind}{' + snippets' if snippets else ''}"
            report["times"][label] = {
                "cpu_p50": percentile(cpu, 50),
                "cpu_p99": percentile(cpu, 99),
                "wall_p50": percentile(wall, 50),
                "wall_p99": percentile(wall, 99),
            }
    engine.close()
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def peer(key: str, corpus: Path, workdir: Path, out: Path, repeat: int = 3) -> None:
    """The same query kinds and timings for a benchmark contender (``whoosh``: stock Whoosh
    plain OR; ``fouille``: the engine through the benchmark's adapter), built in ``workdir``
    if it is not there yet."""
    from bench.contenders import make

    contender = make(key)
    if not workdir.exists():
        contender.build(corpus, workdir)
    contender.open(corpus, workdir)
    report: dict[str, dict] = {"times": {}, "hits": {}}
    for kind, queries in query_kinds(corpus).items():
        for snippets in (False, True):
            for q in queries:
                contender.search(q, 10, highlight=snippets)
            cpu: list[float] = []
            wall: list[float] = []
            for _ in range(repeat):
                for q in queries:
                    c0, w0 = time.process_time(), time.perf_counter()
                    contender.search(q, 10, highlight=snippets)
                    cpu.append((time.process_time() - c0) * 1000)
                    wall.append((time.perf_counter() - w0) * 1000)
            report["times"][f"{kind}{' + snippets' if snippets else ''}"] = {
                "cpu_p50": percentile(cpu, 50),
                "cpu_p99": percentile(cpu, 99),
                "wall_p50": percentile(wall, 50),
                "wall_p99": percentile(wall, 99),
            }
    contender.close()
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def _forget() -> None:
    try:
        from search import postings
    except ImportError:  # a checkout without the caches
        return
    postings._caches.clear()


def compare(a_path: Path, b_path: Path) -> None:
    a = json.loads(a_path.read_text(encoding="utf-8"))
    b = json.loads(b_path.read_text(encoding="utf-8"))
    for label, ta in a["times"].items():
        tb = b["times"].get(label, {})
        print(
            f"{label:40} cpu p50 {ta['cpu_p50']:6.2f} -> {tb.get('cpu_p50', 0):6.2f}"
            f"   p99 {ta['cpu_p99']:6.2f} -> {tb.get('cpu_p99', 0):6.2f}"
        )
    same = ties = differ = 0
    for q, ha in a["hits"].items():
        hb = b["hits"].get(q)
        if hb is None:
            continue
        ids_a = [h[0] for h in ha["hits"]]
        ids_b = [h[0] for h in hb["hits"]]
        counts = (ha["all"], ha["some"]) == (hb["all"], hb["some"])
        if ids_a == ids_b and counts:
            same += 1
            for x, y in zip(ha["hits"], hb["hits"], strict=True):
                if abs(x[1] - y[1]) > 1e-6 * max(1, abs(x[1])) or x[2] != y[2]:
                    print(f"score/snippet differs: {q!r} {x[0]} {x[1]} {y[1]}")
            continue
        scores_a = sorted(round(h[1], 6) for h in ha["hits"])
        scores_b = sorted(round(h[1], 6) for h in hb["hits"])
        if counts and scores_a == scores_b:
            ties += 1
            continue
        differ += 1
        print(f"DIFFERS {q!r}: counts {ha['all']},{ha['some']} vs {hb['all']},{hb['some']}")
        for x, y in zip(ha["hits"], hb["hits"], strict=False):
            print(f"   {x[0]:30} {x[1]:10.5f} | {y[0]:30} {y[1]:10.5f}")
    print(f"same {same}, tie order only {ties}, different {differ}")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "build":
        build(Path(args[0]), Path(args[1]))
    elif command == "run":
        numbers = [int(a) for a in args[3:5]]
        run(Path(args[0]), Path(args[1]), Path(args[2]), *numbers, mode="".join(args[5:]))
    elif command == "peer":
        peer(args[0], Path(args[1]), Path(args[2]), Path(args[3]), *(int(a) for a in args[4:]))
    elif command == "compare":
        compare(Path(args[0]), Path(args[1]))
