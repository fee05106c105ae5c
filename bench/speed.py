"""Speed figures: index builds (in a fresh process each, for peak memory), incremental runs,
warm in-process search latency, and cold command-line query time."""

from __future__ import annotations

import compileall
import importlib.util
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.build_corpus import corpus_size
from bench.contenders import make
from bench.queries import Query

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("search", "tui")
"""fouille's packages, whose bytecode :func:`fouille_bytecode` sets as an install leaves it."""


def fouille_bytecode(compiled: bool) -> None:
    """Leave fouille's modules compiled to bytecode, as ``pip install`` leaves them and as an
    editable install's first run does (``compiled=True``: what every measure of the report
    runs, like the peers' libraries, compiled when pip installed them), or without any, as
    each process finds them when ``PYTHONDONTWRITEBYTECODE`` is set and nothing compiled
    them (this machine sets it): each process then compiles fouille's code again."""
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        folder = Path(spec.origin).parent
        if compiled:
            compileall.compile_dir(folder, quiet=1)
        else:
            for cache in folder.rglob("__pycache__"):
                shutil.rmtree(cache)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def worker(step: str, key: str, corpus: Path, workdir: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.worker", step, key, str(corpus), str(workdir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@dataclass
class Build:
    seconds: float
    peak_mb: float
    index_mb: float
    docs: int
    mb: float
    cpu_s: float = float("nan")
    runs: list[float] = field(default_factory=list)  # seconds of each run, in order

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.seconds

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds


def build(key: str, corpus: Path, workdir: Path, runs: int) -> Build:
    return builds([key], corpus, lambda k: workdir, runs)[key]


def builds(
    keys: list[str], corpus: Path, workdir_of: Callable[[str], Path], runs: int
) -> dict[str, Build]:
    """Full builds in interleaved rounds (each engine once per round, a fresh process each), so
    a change of the machine's load falls on every engine alike; medians over the rounds."""
    docs, size = corpus_size(corpus)
    found: dict[str, list[dict[str, float]]] = {key: [] for key in keys}
    for _ in range(runs):
        for key in keys:
            found[key].append(worker("build", key, corpus, workdir_of(key)))
    return {
        key: Build(
            seconds=median([r["seconds"] for r in results]),
            peak_mb=max(r["peak_mb"] for r in results),
            index_mb=folder_bytes(workdir_of(key)) / 1e6,
            docs=docs,
            mb=size / 1e6,
            cpu_s=median([r.get("cpu_s", float("nan")) for r in results]),
            runs=[r["seconds"] for r in results],
        )
        for key, results in found.items()
    }


def incremental(key: str, corpus: Path, workdir: Path, runs: int) -> dict[str, float]:
    """Median seconds of an incremental run with nothing changed and with one file changed."""
    unchanged = [worker("update", key, corpus, workdir)["seconds"] for _ in range(runs)]
    one = [worker("touch-update", key, corpus, workdir)["seconds"] for _ in range(runs)]
    return {"unchanged": median(unchanged), "one_changed": median(one)}


# -- query sets --------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{5,}")


KINDS = ("single word", "several words", "natural language", "phrase", "prefix")
"""The query kinds of the latency tables; *natural language* is a known-item query of 5 to 10
words as typed (a sentence, stop words included)."""


def query_sets(corpus: Path, queries: list[Query], n: int = 20) -> dict[str, list[str]]:
    """Deterministic latency query sets drawn from the corpus and the known-item queries."""
    counts: Counter[str] = Counter()
    for path in sorted(corpus.rglob("*.txt"))[:300]:
        counts.update(_WORD.findall(path.read_text(encoding="utf-8").lower()))
    common = [w for w, c in counts.most_common() if 10 <= c <= 2000]
    step = max(1, len(common) // n)
    words = common[::step][:n]
    described = [re.findall(r"[^\W\d_]{4,}", q.text) for q in queries]
    described = [d for d in described if len(d) >= 3][:: max(1, len(queries) // (2 * n))]
    sentences = [q.text for q in queries if 5 <= len(re.findall(r"[^\W\d_]+", q.text)) <= 10]
    return {
        "single word": words,
        "several words": [" ".join(d[:3]) for d in described[:n]],
        "natural language": sentences[:: max(1, len(sentences) // n)][:n],
        "phrase": [f'"{d[0]} {d[1]}"' for d in described[:n]],
        "prefix": [w[:4] + "*" for w in words],
    }


def latency(
    key: str, corpus: Path, workdir: Path, sets: dict[str, list[str]], repeat: int
) -> dict[str, dict[str, float]]:
    """Warm in-process p50/p99 in ms per query kind, without and with top-10 highlights."""
    contender = make(key)
    contender.open(corpus, workdir)
    out: dict[str, dict[str, float]] = {}
    try:
        for kind, queries in sets.items():
            for highlight in (False, True):
                for q in queries:  # warm-up: caches, lazy readers
                    contender.search(q, 10, highlight=highlight)
                times = []
                for _ in range(repeat):
                    for q in queries:
                        start = time.perf_counter()
                        contender.search(q, 10, highlight=highlight)
                        times.append((time.perf_counter() - start) * 1000)
                label = f"{kind}{' + highlights' if highlight else ''}"
                out[label] = {"p50": percentile(times, 50), "p99": percentile(times, 99)}
    finally:
        contender.close()
    return out


def cold_commands(key: str, corpus: Path, workdir: Path, query: str) -> list[str] | None:
    """The command a user would run for one query from a shell, or None for in-process peers."""
    if key in ("fouille", "fouille-uncompiled"):
        fouille = shutil.which("fouille") or str(Path(sys.executable).parent / "fouille")
        return [
            fouille,
            "search",
            "--corpus",
            str(corpus),
            "--index",
            str(workdir / "index"),
            query,
        ]
    if key == "recoll":
        from bench.peers.recoll import Recoll

        recoll = Recoll()
        recoll.open(corpus, workdir)
        return recoll.command(query, 10, highlight=True)
    return None


def cold(key: str, corpus: Path, workdir: Path, queries: list[str], repeat: int) -> dict | None:
    """Median and p90 wall time (ms) of one query process, snippets included, and its median
    CPU time (user + system: the figure that does not depend on the machine's load)."""
    times, cpu = [], []
    env = dict(os.environ, NO_COLOR="1")
    for _ in range(repeat):
        for q in queries:
            cmd = cold_commands(key, corpus, workdir, q)
            if cmd is None:
                return None
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - start) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            cpu.append(used * 1000)
    return {"p50": percentile(times, 50), "p90": percentile(times, 90), "cpu_p50": median(cpu)}


def batch(corpus: Path, workdir: Path, queries: list[str], repeat: int) -> dict[str, float]:
    """``fouille search --batch`` over the same queries a cold process runs one by one: wall ms
    per query (the whole process, start-up included, divided by the number of queries)."""
    fouille = shutil.which("fouille") or str(Path(sys.executable).parent / "fouille")
    lines = "".join(f"{q}\n" for _ in range(repeat) for q in queries)
    cmd = [fouille, "search", "--batch", "--corpus", str(corpus), "--index"]
    start = time.perf_counter()
    done = subprocess.run(
        [*cmd, str(workdir / "index")],
        input=lines.encode(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = (time.perf_counter() - start) * 1000
    answered = len(done.stdout.splitlines())
    return {"queries": answered, "ms_per_query": wall / max(answered, 1), "wall_ms": wall}
