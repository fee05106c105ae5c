"""Run the whole benchmark and write bench/REPORT.md, bench/growth.png and bench/results.json.

python -m bench.run              # everything, one commit, one run (about 30 minutes on 2 cores)
python -m bench.run --quick      # a quarter of the queries, one run per figure, 10k scale only
python -m bench.run --only speed growth   # some parts (the others keep their last figures)
python -m bench.run --only report         # re-render the report from results.json

Every figure of the report comes from results.json, which a full run rewrites whole. A full,
non-quick run also replaces bench/baseline.json (fouille's per-query ranks) after comparing
against it; ``--against COMMIT`` compares against the engine of that commit instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench import build_corpus, speed
from bench.build_corpus import DATA, corpus_size
from bench.contenders import BASELINE, KEYS, make
from bench.queries import load

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
PARTS = ("analysis", "retrieval", "speed", "tui", "extraction", "growth")
"""The parts of a full run, in order. ``experiments`` (ranking settings other than the
defaults, bench/experiments.py) runs only when asked for with ``--only``."""
OPTIONAL = ("experiments",)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()


def commit() -> dict[str, object]:
    """The commit measured, and whether the engine or the benchmark had uncommitted changes."""
    return {
        "sha": git("rev-parse", "--short", "HEAD") or "?",
        "subject": git("log", "-1", "--format=%s"),
        "date": git("log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d %H:%M UTC"),
        "dirty": bool(git("status", "--porcelain", "--", "search", "bench/*.py", "bench/peers")),
    }


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
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    return {
        "cpu": f"{cpu}, {len(os.sched_getaffinity(0))} cores",
        "memory": f"{int(mem) / 1e6:.0f} GB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "recoll": recoll.stdout.strip() or "recollcmd ?",
        "sqlite": __import__("sqlite3").sqlite_version,
        "tantivy": installed("tantivy"),
        "whoosh": installed("Whoosh-Reloaded"),
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- the parts ---------------------------------------------------------------------------------


def analysis() -> dict:
    """Every analyzer on the same words: those fouille indexes (its stop words left out),
    against simplemma's lemmas, and the precision and recall against every lemma reference."""
    from bench.analysis_quality import measure
    from bench.analyzers import variants as analyzer_variants
    from bench.vocabulary import lemmatized_vocabulary, references

    analyzers = analyzer_variants()
    fouille_index = analyzers["fouille"][0]
    lemmas = {
        w: lemma for w, lemma in lemmatized_vocabulary(DATA / "manfr").items() if fouille_index(w)
    }
    lemma_references = references(lemmas)
    out = {}
    for name, (index_terms, query_terms) in analyzers.items():
        out[name] = dataclasses.asdict(measure(lemmas, index_terms, query_terms))
        out[name]["references"] = {
            reference: {"recall": r.recall, "precision": r.precision}
            for reference, sets in lemma_references.items()
            for r in [measure(sets, index_terms, query_terms)]
        }
    return out


def retrieval(keys: list[str], quick: bool) -> dict:
    from bench import retrieval as measure

    if not (DATA / "docfr-queries.tsv").exists():
        from bench.build_docs import build as build_docs

        log("cutting Debian's French manuals into sections")
        build_docs()
    log(f"retrieval: {', '.join(keys)} on every known-item set (2 processes)")
    return measure.measure(keys, 4 if quick else 1, and_modes=not quick, log=log)


def speed_figures(keys: list[str], runs: int, repeat: int, quick: bool) -> dict:
    corpus = DATA / "manfr"
    queries = load(DATA / "queries.tsv")
    sets = speed.query_sets(corpus, queries, n=10 if quick else 20)
    out: dict = {"sets": sets, "builds": {}, "incremental": {}, "latency": {}, "cold": {}}
    out["repeat"] = repeat  # rounds of each latency and cold measure
    extra = (["fouille1"] if "fouille" in keys else []) + (
        ["whoosh2", "whoosh2ms"] if "whoosh" in keys else []
    )
    order = [*keys, *extra]
    log(f"speed: {runs} interleaved rounds of full builds ({', '.join(order)})")
    built = speed.builds(order, corpus, lambda key: WORK / f"{key}-speed", runs)
    out["builds"] = {key: b.__dict__ for key, b in built.items()}
    for key in order:
        workdir = WORK / f"{key}-speed"
        if key in ("fouille", "recoll"):
            log(f"speed: incremental runs with {key}")
            out["incremental"][key] = speed.incremental(key, corpus, workdir, runs)
        if key in ("fouille", "sqlite", "whoosh", "tantivy", "tantivy-fr"):
            log(f"speed: warm latency of {key}")
            out["latency"][key] = speed.latency(key, corpus, workdir, sets, repeat)
    cold_queries = sets["several words"][:10]  # 3 words each, as in issue 9
    out["cold_queries"] = len(cold_queries)
    for key in ("fouille", "recoll"):
        if key in keys:
            log(f"speed: cold query processes of {key}")
            out["cold"][key] = speed.cold(key, corpus, WORK / f"{key}-speed", cold_queries, repeat)
    if "fouille" in keys:
        log("speed: cold query processes of fouille, its bytecode removed")
        speed.fouille_bytecode(compiled=False)
        try:
            out["cold"]["fouille-uncompiled"] = speed.cold(
                "fouille-uncompiled", corpus, WORK / "fouille-speed", cold_queries, repeat
            )
        finally:
            speed.fouille_bytecode(compiled=True)
    if "fouille" in keys:
        log("speed: fouille search --batch over the same queries, ten times over")
        out["batch"] = speed.batch(corpus, WORK / "fouille-speed", cold_queries, 10)
    return out


def tui_figures() -> dict:
    """Keystroke-to-results in the TUI, on the index the speed part built."""
    from bench.tui_latency import keystroke_to_results

    corpus = DATA / "manfr"
    sets = speed.query_sets(corpus, load(DATA / "queries.tsv"), n=10)
    log("tui: keystroke-to-results (Pilot)")
    index_dir = WORK / "fouille-speed" / "index"
    if not index_dir.exists():
        make("fouille").build(corpus, WORK / "fouille-speed")
    queries = sets["several words"][:10]
    return {**keystroke_to_results(corpus, index_dir, queries), "queries": len(queries)}


def settings() -> dict:
    """The ranking and analysis the engine runs with, read from the code measured."""
    from search.ranking import DEFAULT_RANKING
    from search.schema import SCHEMA_VERSION

    return {"ranking": dataclasses.asdict(DEFAULT_RANKING), "schema_version": SCHEMA_VERSION}


# -- the run -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer queries, runs and sizes")
    parser.add_argument("--runs", type=int, default=None, help="runs per build (default 3)")
    parser.add_argument("--scale", type=int, nargs="*", default=None, help="growth sizes")
    parser.add_argument("--contenders", nargs="*", default=list(KEYS), choices=KEYS)
    parser.add_argument(
        "--only",
        nargs="*",
        default=list(PARTS),
        choices=[*PARTS, *OPTIONAL, "report"],
        help="parts to measure (the others keep their figures in results.json), or: report",
    )
    parser.add_argument(
        "--against",
        metavar="COMMIT",
        help="per-query diff against the engine of COMMIT (default: bench/baseline.json)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    from bench import baseline as baseline_ranks

    args = parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    sizes = (
        args.scale
        if args.scale is not None
        else ([10_000] if args.quick else [10_000, 50_000, 100_000])
    )
    measuring = [part for part in args.only if part != "report"]
    whole = set(PARTS) <= set(measuring)
    if not (DATA / "queries.tsv").exists():
        log("rendering the French man pages")
        build_corpus.build_manfr()
    results_path = BENCH / "results.json"
    previous = json.loads(results_path.read_text()) if results_path.exists() else {}
    # a whole run starts from nothing: no figure of an earlier run can reach the report
    results: dict = {} if whole else previous
    for part in (*PARTS, *OPTIONAL):  # figures of no recorded run (an older generator's) go
        if part in results and part not in results.get("parts", {}):
            del results[part]
    started = time.time()
    run_id = now()
    if measuring:
        results["run"] = {
            "id": run_id,
            "command": "python -m bench.run "
            + " ".join(argv if argv is not None else sys.argv[1:]),
            "quick": args.quick,
            "parts": [p for p in (*PARTS, *OPTIONAL) if p in measuring],
            "sizes": sizes,
            "commit": commit(),
            "machine": machine(),
            "load_start": load_average(),
        }
        results["settings"] = settings()
        results["baseline"] = BASELINE
        results["corpus"] = {
            name: dict(zip(("docs", "bytes"), corpus_size(DATA / name), strict=True))
            for name in ("manfr", "manfr-nonom", "docfr")
            if (DATA / name).exists()
        }
    parts = results.setdefault("parts", {})

    def measured(part: str, figures: object, since: float, load: list[float]) -> None:
        results[part] = figures
        parts[part] = {
            "run": run_id,
            "commit": results["run"]["commit"]["sha"],
            "quick": args.quick,
            "started": time.strftime("%H:%M", time.gmtime(since)),
            "minutes": round((time.time() - since) / 60, 1),
            "load": [load[0], load_average()[0]],
        }
        # after each part, so an interrupted run keeps what it measured
        results_path.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")

    speed.fouille_bytecode(compiled=True)  # as installed: see bench/speed.py
    for part in [p for p in (*PARTS, *OPTIONAL) if p in measuring]:
        since, load = time.time(), load_average()
        log(f"part {part} (load average {load[0]})")
        if part == "analysis":
            measured(part, analysis(), since, load)
        elif part == "retrieval":
            figures = retrieval(args.contenders, args.quick)
            if args.against:
                log(f"retrieval: the baseline, fouille at {args.against}")
                from bench.retrieval import prepare

                old = baseline_ranks.at_commit(args.against, prepare(4 if args.quick else 1), now())
            else:
                old = baseline_ranks.load()
            if old and "fouille" in args.contenders:
                figures["diff"] = baseline_ranks.diff(old, figures)
                figures["diff_against"] = {"commit": old["commit"], "date": old["date"]}
            measured(part, figures, since, load)
            if not args.quick and not args.against and "fouille" in args.contenders:
                sha = results["run"]["commit"]["sha"]
                baseline_ranks.save(baseline_ranks.of_run(figures, sha, run_id))
        elif part == "speed":
            quick = args.quick
            measured(
                part, speed_figures(args.contenders, runs, 1 if quick else 3, quick), since, load
            )
        elif part == "tui" and "fouille" in args.contenders:
            measured(part, tui_figures(), since, load)
        elif part == "growth" and sizes:
            from bench import growth

            def partial(figures: dict, since: float = since, load: list[float] = load) -> None:
                measured("growth", figures, since, load)

            measured(part, growth.measure(args.contenders, sizes, log, partial), since, load)
        elif part == "extraction":
            from bench import extraction

            log("extraction: the other formats")
            measured(part, extraction.measure(args.quick), since, load)
        elif part == "experiments" and "fouille" in args.contenders:
            from bench.experiments import run_all

            log("experiments: fouille's ranking knobs")
            measured(part, run_all(["manfr", "manfr-nonom"], 4 if args.quick else 1), since, load)
    if measuring:
        results["run"]["load_end"] = load_average()
        results["run"]["minutes"] = round((time.time() - started) / 60, 1)
        results_path.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    from bench.report import write_report

    write_report(results, BENCH / "REPORT.md", BENCH / "growth.png")
    log(f"wrote {BENCH / 'REPORT.md'}")


if __name__ == "__main__":
    main()
