"""The benchmark judges targets from its figures, and diffs per-query ranks against a baseline
(bench/targets.py, bench/baseline.py), on made-up figures: no corpus, no peer, milliseconds."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is a folder of the repo, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.baseline import diff, of_run  # noqa: E402
from bench.targets import all_targets  # noqa: E402

VARIANTS = ("typed", "unaccented", "inflected", "unaccented+inflected")


def cell(mrr: float) -> dict:
    return {"mrr": mrr, "success": 1.0, "ranks": [1], "misses": []}


def retrieval(fouille: float, peer: float) -> dict:
    engines = {
        "fouille": {v: cell(fouille) for v in VARIANTS},
        "tantivy (OR)": {v: cell(peer) for v in VARIANTS},
    }
    return {
        "sets": {
            "manfr-nonom": {"target": True, "queries": ["q"], "engines": engines},
            "manfr": {"target": False, "queries": ["q"], "engines": engines},
        }
    }


def status(results: dict, starting: str) -> list[bool | None]:
    return [t.met for t in all_targets(results) if t.what.startswith(starting)]


def test_a_lead_under_the_margin_is_missed_and_one_over_it_met() -> None:
    assert status({"retrieval": retrieval(0.72, 0.70)}, "best MRR@10") == [False] * 4
    assert status({"retrieval": retrieval(0.74, 0.70)}, "best MRR@10") == [True] * 4
    assert status({"retrieval": retrieval(0.74, 0.70)}, "MRR@10 ≥ 0.70") == [True]


def test_speed_targets_follow_the_measured_ratios() -> None:
    build = {"docs": 608, "mb": 6.2, "peak_mb": 80, "index_mb": 15}
    speed = {
        "builds": {"fouille": {**build, "seconds": 2.9}, "recoll": {**build, "seconds": 2.0}},
        "latency": {
            "fouille": {
                "phrase": {"p50": 1.0, "p99": 2.0},
                "phrase + highlights": {"p50": 4.0, "p99": 25.0},
            },
            "whoosh": {"phrase + highlights": {"p50": 3.0, "p99": 9.0}},
        },
    }
    found = {t.what.split(",")[0]: t for t in all_targets({"speed": speed})}
    assert found["full build ≤ 1.5× Recoll (goal 1.0×)"].met is True  # ×1.45
    assert found["warm search"].met is False  # p99 25 ms > 20 ms
    assert found["warm search never slower than stock Whoosh (p50"].met is False


def test_the_diff_counts_queries_whose_answer_moved() -> None:
    before = {"sets": {"manfr": {"typed": {"a": 1, "b": 0, "c": 3}}}}
    now = {
        "sets": {
            "manfr": {
                "queries": ["a", "b", "c"],
                "engines": {"fouille": {"typed": {"ranks": [2, 1, 3]}}},
            }
        }
    }
    moved = diff(before, now)["manfr"]["typed"]
    assert (moved["gained"], moved["lost"]) == (1, 1)
    assert moved["gains"] == [("b", 0, 1)] and moved["losses"] == [("a", 1, 2)]
    assert of_run(now, "abc", "today")["sets"]["manfr"]["typed"] == {"a": 2, "b": 1, "c": 3}


def test_the_app_section_gives_the_figure_at_100k_from_the_growth_run() -> None:
    from bench.report import tui_section

    tui = {"debounce_ms": 25.0, "search_ms": 9.0, "p50": 80.0, "max": 120.0, "queries": 10}
    app = {"debounce_ms": 40.0, "search_ms": 15.0, "p50": 150.0, "max": 400.0, "queries": 10}
    growth = {"100000": {"fouille": {"build": {}, "app": app}}}
    text = tui_section(tui, growth)
    assert "p50 80 ms, max 120 ms" in text
    assert "At 100k documents" in text and "p50 150 ms, max 400 ms" in text
    assert "At 100k" not in tui_section(tui, {"100000": {"fouille": {"build": {}}}})
