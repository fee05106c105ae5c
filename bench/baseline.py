"""The previous engine's per-query ranks, to say which queries an engine change moved.

``bench/baseline.json`` holds fouille's rank of each query's answer, per known-item set and
variant, with the commit and date it was measured at. A full ``python -m bench.run`` compares
its new ranks with it (the report's per-query diff), then replaces it, so the next run compares
against this one. ``python -m bench.run --against COMMIT`` measures the baseline instead on the
engine of that commit (a git worktree of it, driven by this benchmark's code), e.g. the commit
before a change.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench.retrieval import mrr, per_query_diff, ranks_of

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PATH = BENCH / "baseline.json"
EXAMPLES = 4


def load(path: Path = PATH) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def of_run(retrieval: dict, commit: str, date: str) -> dict:
    """fouille's ranks in a retrieval part, as a baseline: ``{set: {variant: {query: rank}}}``."""
    sets = {}
    for name, s in retrieval["sets"].items():
        engine = s["engines"].get("fouille")
        if engine:
            sets[name] = {
                v: dict(zip(s["queries"], cell["ranks"], strict=True)) for v, cell in engine.items()
            }
    return {"commit": commit, "date": date, "sets": sets}


def save(baseline: dict, path: Path = PATH) -> None:
    path.write_text(json.dumps(baseline, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def diff(baseline: dict, retrieval: dict) -> dict:
    """Per set and variant, on the queries both runs have: MRR@10 before and after, and the
    queries whose answer moved (``(query, rank before, rank after)``, 0 = not in the top 10),
    the largest moves first."""
    out: dict = {}
    for name, s in retrieval["sets"].items():
        before_set = baseline["sets"].get(name)
        engine = s["engines"].get("fouille")
        if not before_set or not engine:
            continue
        out[name] = {}
        for v, cell in engine.items():
            before = before_set.get(v, {})
            now = dict(zip(s["queries"], cell["ranks"], strict=True))
            common = [q for q in s["queries"] if q in before]
            if not common:
                continue
            b = [before[q] for q in common]
            a = [now[q] for q in common]
            gains, losses = per_query_diff(b, a, common)
            out[name][v] = {
                "queries": len(common),
                "before": mrr(b),
                "after": mrr(a),
                "gained": len(gains),
                "lost": len(losses),
                "gains": gains[:EXAMPLES],
                "losses": losses[:EXAMPLES],
            }
    return out


class _Engine:
    """A contender over whatever ``search.engine.Engine`` is imported (another commit's)."""

    def __init__(self, engine: object) -> None:
        self.engine = engine

    def search(self, query: str, k: int = 10) -> list[str]:
        try:
            result = self.engine.search(query, limit=k, snippets=False)  # type: ignore[attr-defined]
        except TypeError:  # an engine from before ``snippets=``
            result = self.engine.search(query, limit=k)  # type: ignore[attr-defined]
        return [hit.id for hit in result.hits]


def fouille_ranks(prepared: dict, work: Path) -> dict:
    """The ranks of the ``search`` package imported in this process (at ``work``: its indexes),
    in the shape of :func:`of_run`'s ``sets``."""
    from search.engine import Engine

    sets: dict = {}
    for corpus_name in sorted({p["corpus"] for p in prepared.values()}):
        index = work / corpus_name / "index"
        shutil.rmtree(index.parent, ignore_errors=True)
        engine = Engine(BENCH / "data" / corpus_name, index)
        engine.update(full=True)
        contender = _Engine(engine)
        cache: dict[str, tuple[list[str], str]] = {}
        for name, p in prepared.items():
            if p["corpus"] != corpus_name:
                continue
            sets[name] = {}
            for v, texts in p["texts"].items():
                ranks, _ = ranks_of(contender, texts, p["targets"], cache)  # type: ignore[arg-type]
                sets[name][v] = dict(zip(p["names"], ranks, strict=True))
        engine.close()
    return sets


_AT_COMMIT = """
import json, sys
from pathlib import Path
tree = sys.argv[1]
sys.path.insert(0, tree)
import search.engine  # the engine of that commit; its later imports follow its package path
sys.path.remove(tree)
from bench.baseline import fouille_ranks  # this benchmark's code
print(json.dumps(fouille_ranks(json.load(sys.stdin), Path(sys.argv[2]))))
"""


def at_commit(commit: str, prepared: dict, date: str) -> dict:
    """The baseline measured on the engine of ``commit``, in a throwaway git worktree."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", commit],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    work = BENCH / "work" / f"against-{sha}"
    tree = work / "tree"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(tree), sha],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", _AT_COMMIT, str(tree), str(work)],
            cwd=ROOT,
            input=json.dumps(prepared),
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
        shutil.rmtree(work, ignore_errors=True)
    return {"commit": sha, "date": date, "sets": json.loads(done.stdout.strip().splitlines()[-1])}
