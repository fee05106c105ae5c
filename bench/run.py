"""Run the whole benchmark and write bench/REPORT.md, bench/growth.png and bench/results.json.

python -m bench.run            # everything (about 15 minutes on 2 cores)
python -m bench.run --quick    # a quarter of the queries, one run, 10k scale only
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import time
from pathlib import Path

from bench import build_corpus, speed
from bench.analysis_quality import measure
from bench.analyzers import variants as analyzer_variants
from bench.build_corpus import DATA, corpus_size
from bench.contenders import BASELINE, KEYS, make
from bench.queries import VARIANTS, corpus_vocabulary, load
from bench.retrieval import evaluate
from bench.vocabulary import lemmatized_vocabulary, references

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine() -> dict[str, str]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    recoll = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package} ${Version}", "recollcmd"],
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": f"{cpu}, {len(__import__('os').sched_getaffinity(0))} cores",
        "memory": f"{int(mem) / 1e6:.0f} GB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "recoll": recoll.stdout.strip() or "recollcmd ?",
    }


def engine_commit() -> str:
    """The commit the engine was measured at (``+`` when search/ had uncommitted changes)."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "search"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"{head}{'+' if dirty else ''}" or "?"


def analysis(corpus: Path) -> dict:
    """Every analyzer on the same words: those fouille indexes (its stop words left out),
    against simplemma's lemmas, and the precision and recall against every lemma reference."""
    analyzers = analyzer_variants()
    fouille_index = analyzers["fouille"][0]
    lemmas = {w: lemma for w, lemma in lemmatized_vocabulary(corpus).items() if fouille_index(w)}
    lemma_references = references(lemmas)
    out = {}
    for name, (index_terms, query_terms) in analyzers.items():
        q = measure(lemmas, index_terms, query_terms)
        out[name] = q.__dict__
        out[name]["references"] = {
            reference: {"recall": r.recall, "precision": r.precision}
            for reference, sets in lemma_references.items()
            for r in [measure(sets, index_terms, query_terms)]
        }
    return out


KNOWN_ITEM_SETS = {
    "manfr": "queries.tsv",
    "manfr-nonom": "queries.tsv",
    "docfr": "docfr-queries.tsv",
}
"""Known-item corpora and their queries: man pages (NOM line as query, with and without it in
the page) and sections of Debian's French manuals (heading as query, not in the section)."""


def retrieval(keys: list[str], every: int, and_modes: bool, experiments: bool = True) -> dict:
    out: dict = {"queries": len(load(DATA / "queries.tsv")[::every])}
    if not (DATA / "docfr").exists():
        from bench.build_docs import build as build_docs

        log("cutting Debian's French manuals into sections")
        build_docs()
    for corpus_name, query_file in KNOWN_ITEM_SETS.items():
        queries = load(DATA / query_file)[::every]
        out[f"queries {corpus_name}"] = len(queries)
        corpus = DATA / corpus_name
        vocabulary = corpus_vocabulary(corpus)
        table: dict = {}
        for key in keys:
            workdir = WORK / f"{key}-{corpus_name}"
            log(f"retrieval: indexing {corpus_name} with {key}")
            make(key).build(corpus, workdir)
            peer_modes = ["or", "and"] if and_modes else ["or"]
            modes = ["engine", "or"] if key == "fouille" else peer_modes
            for mode in modes:
                contender = make(key, mode)
                contender.open(corpus, workdir)
                name = contender.name
                log(f"retrieval: {name} on {corpus_name}")
                table[name] = {}
                for variant in VARIANTS:
                    score = evaluate(contender, queries, variant, vocabulary)
                    table[name][variant] = {
                        "mrr": score.mrr,
                        "success": score.success,
                        "misses": score.misses[:6],
                        "ranks": score.ranks,
                    }
                contender.close()
        if "fouille" in keys and experiments and corpus_name != "docfr":
            from bench.peers.fouille import Fouille
            from search.ranking import RankingSettings

            workdir = WORK / f"fouille-reaccent-{corpus_name}"
            log(f"retrieval: indexing {corpus_name} with fouille, re-accented stems")
            Fouille(reaccent=True).build(corpus, workdir)
            for every_word_first in (True, False):
                settings = RankingSettings(every_word_first=every_word_first)
                contender = Fouille(settings, reaccent=True)
                contender.open(corpus, workdir)
                log(f"retrieval: {contender.name} on {corpus_name}")
                table[contender.name] = {}
                for variant in VARIANTS:
                    score = evaluate(contender, queries, variant, vocabulary)
                    table[contender.name][variant] = {
                        "mrr": score.mrr,
                        "success": score.success,
                        "misses": score.misses[:6],
                        "ranks": score.ranks,
                    }
                contender.close()
        out[corpus_name] = table
    return out


def speed_figures(keys: list[str], runs: int, repeat: int, quick: bool) -> dict:
    corpus = DATA / "manfr"
    queries = load(DATA / "queries.tsv")
    sets = speed.query_sets(corpus, queries, n=10 if quick else 20)
    out: dict = {"builds": {}, "incremental": {}, "latency": {}, "cold": {}}
    extra = (["fouille1"] if "fouille" in keys else []) + (
        ["whoosh2", "whoosh2ms"] if "whoosh" in keys else []
    )
    for key in [*keys, *extra]:
        workdir = WORK / f"{key}-speed"
        log(f"speed: {runs} full builds with {key}")
        out["builds"][key] = speed.build(key, corpus, workdir, runs).__dict__
        if key in ("fouille", "recoll"):
            log(f"speed: incremental runs with {key}")
            out["incremental"][key] = speed.incremental(key, corpus, workdir, runs)
        if key in ("fouille", "sqlite", "whoosh"):
            log(f"speed: warm latency of {key}")
            out["latency"][key] = speed.latency(key, corpus, workdir, sets, repeat)
        if key in ("fouille", "recoll"):
            log(f"speed: cold query processes of {key}")
            out["cold"][key] = speed.cold(key, corpus, workdir, sets["single word"][:10], repeat)
        if key == "fouille":
            log("speed: fouille search --batch over the same queries")
            # a script's loop: 100 queries (the cold processes' 10, ten times)
            out["batch"] = speed.batch(corpus, workdir, sets["single word"][:10], 10)
    return out


def tui_figures() -> dict:
    """Keystroke-to-results in the TUI, on the index the speed part built."""
    from bench.tui_latency import keystroke_to_results

    corpus = DATA / "manfr"
    sets = speed.query_sets(corpus, load(DATA / "queries.tsv"), n=10)
    log("speed: TUI keystroke-to-results (Pilot)")
    index_dir = WORK / "fouille-speed" / "index"
    if not index_dir.exists():
        make("fouille").build(corpus, WORK / "fouille-speed")
    return keystroke_to_results(corpus, index_dir, sets["several words"][:10])


def growth(keys: list[str], sizes: list[int]) -> dict:
    out: dict = {}
    queries = load(DATA / "queries.tsv")
    for size in sizes:
        log(f"growth: building the {size // 1000}k corpus")
        corpus = build_corpus.build_scale(size)
        sets = speed.query_sets(corpus, queries, n=10)
        sets = {k: sets[k] for k in ("single word", "several words")}
        row: dict = {}
        for key in keys:
            workdir = WORK / f"{key}-scale"
            log(f"growth: {key} on {size // 1000}k")
            b = speed.build(key, corpus, workdir, 1)
            entry = {"build": b.__dict__}
            if key in ("fouille", "recoll"):
                entry["unchanged_s"] = speed.worker("update", key, corpus, workdir)["seconds"]
            if key in ("fouille", "sqlite", "whoosh"):
                entry["latency"] = speed.latency(key, corpus, workdir, sets, 1)
            elif key == "recoll":
                entry["cold"] = speed.cold(key, corpus, workdir, sets["single word"], 1)
            row[key] = entry
            shutil.rmtree(workdir, ignore_errors=True)
        out[str(size)] = row
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer queries, runs and sizes")
    parser.add_argument("--runs", type=int, default=None, help="runs per build (default 3)")
    parser.add_argument("--scale", type=int, nargs="*", default=None, help="growth sizes")
    parser.add_argument("--contenders", nargs="*", default=list(KEYS), choices=KEYS)
    parser.add_argument(
        "--only",
        nargs="*",
        default=["analysis", "retrieval", "experiments", "speed", "tui", "growth"],
        help="parts to measure (the others keep their figures in results.json), or: report",
    )
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    sizes = (
        args.scale
        if args.scale is not None
        else ([10_000] if args.quick else [10_000, 50_000, 100_000])
    )
    if not (DATA / "queries.tsv").exists():
        log("rendering the French man pages")
        build_corpus.build_manfr()
    results_path = BENCH / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    measuring = [part for part in args.only if part != "report"]
    if measuring or "machine" not in results:
        results["machine"] = machine()
        results["quick"] = args.quick
    results["baseline"] = BASELINE
    results["corpus"] = {
        name: dict(zip(("docs", "bytes"), corpus_size(DATA / name), strict=True))
        for name in ("manfr", "manfr-nonom")
    }
    for part in measuring:
        results.setdefault("commits", {})[part] = (
            f"{engine_commit()} at {time.strftime('%H:%M UTC', time.gmtime())}"
        )
    if "analysis" in measuring:
        log("analysis quality")
        results["analysis"] = analysis(DATA / "manfr")
    if "retrieval" in measuring:
        results["retrieval"] = retrieval(args.contenders, 4 if args.quick else 1, not args.quick)
    if "experiments" in measuring and "fouille" in args.contenders:
        from bench.experiments import run_all

        log("experiments: fouille's ranking knobs on both corpora")
        results["experiments"] = run_all(["manfr", "manfr-nonom"], 4 if args.quick else 1)
    if "speed" in measuring:
        results["speed"] = speed_figures(args.contenders, runs, 1 if args.quick else 3, args.quick)
    if "tui" in measuring and "fouille" in args.contenders:
        results.setdefault("speed", {})["tui"] = tui_figures()
    if "growth" in measuring and sizes:
        results["growth"] = growth(args.contenders, sizes)
    results_path.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    from bench.report import write_report

    write_report(results, BENCH / "REPORT.md", BENCH / "growth.png")
    log(f"wrote {BENCH / 'REPORT.md'}")


if __name__ == "__main__":
    main()
