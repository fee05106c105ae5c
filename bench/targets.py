"""Issues 8 and 9's targets, judged from the figures of a run (never written by hand).

Each :class:`Target` says what was measured, against which peer, the ratio or margin, and
whether the target is met; ``bench/report.py`` renders them as the report's first table.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.queries import VARIANTS

MARGIN = 0.03  # issue 8: best of all peers by at least this much MRR@10
TYPED_NONOM = 0.70  # issue 8: the typed man-pages-without-NOM cell
GOAL = 0.75  # issue 8: the goal everywhere
BUILD_RATIO = 1.5  # issue 9: full build within this many times Recoll's
WARM_P50, WARM_P99, WARM_P50_100K = 5.0, 20.0, 25.0  # issue 9, ms, with top-10 snippets
BATCH_GAIN = 20.0
COLD_MS = 150.0
TUI_MS = 100.0
CONFLATION = 0.70  # issue 8: precision and recall of French conflation


@dataclass(frozen=True)
class Target:
    issue: int
    what: str
    measured: str
    peer: str
    ratio: str
    met: bool | None  # None: not measured in this run

    @property
    def status(self) -> str:
        return "not measured" if self.met is None else ("**met**" if self.met else "missed")


def margin(value: float) -> str:
    """A margin to 3 decimals, or 4 where 3 would round it onto the target (+0.0299 ≠ +0.030)."""
    shown = f"{value:+.3f}"
    if abs(value) < MARGIN <= abs(float(shown)) or abs(float(shown)) < MARGIN <= abs(value):
        return f"{value:+.4f}"
    return shown


def peers_of(engines: dict) -> dict:
    return {name: row for name, row in engines.items() if not name.startswith("fouille")}


def best_peer(engines: dict, variant: str) -> tuple[str, dict] | None:
    peers = peers_of(engines)
    if not peers:
        return None
    name = max(peers, key=lambda n: peers[n][variant]["mrr"])
    return name, peers[name][variant]


def retrieval_targets(results: dict) -> list[Target]:
    out: list[Target] = []
    sets = results.get("retrieval", {}).get("sets", {})
    cells = []
    for set_name, s in sets.items():
        engines = s["engines"]
        if not s["target"] or "fouille" not in engines:
            continue
        for v in VARIANTS:
            mine = engines["fouille"][v]["mrr"]
            cells.append(mine)
            best = best_peer(engines, v)
            if best is None:
                continue
            name, cell = best
            lead = mine - cell["mrr"]
            out.append(
                Target(
                    8,
                    f"best MRR@10 by ≥ {MARGIN:.2f}: {set_name}, {v}",
                    f"{mine:.3f}",
                    f"{name} {cell['mrr']:.3f}",
                    margin(lead),
                    lead >= MARGIN,
                )
            )
    nonom = sets.get("manfr-nonom", {}).get("engines", {}).get("fouille")
    if nonom:
        mrr = nonom["typed"]["mrr"]
        out.append(
            Target(
                8,
                f"MRR@10 ≥ {TYPED_NONOM:.2f}: manfr-nonom, typed",
                f"{mrr:.3f}",
                "–",
                "–",
                mrr >= TYPED_NONOM,
            )
        )
    if cells:
        reached = sum(1 for c in cells if c >= GOAL)
        out.append(
            Target(
                8,
                f"goal: MRR@10 ≥ {GOAL:.2f} in every cell of both sets",
                f"{reached} of {len(cells)} cells (lowest {min(cells):.3f})",
                "–",
                "–",
                reached == len(cells),
            )
        )
    a = results.get("analysis", {}).get("fouille")
    if a:
        # the issue's figures were against simplemma's lemmas; the other references (participles
        # joined to their verb, Lefff) are judged alike, one row each
        references = a.get("references") or {"simplemma": a}
        for name, r in references.items():
            out.append(
                Target(
                    8,
                    f"conflation precision ≥ {CONFLATION:.2f} and recall ≥ {CONFLATION:.2f} "
                    f"(lemmas: {name})",
                    f"precision {r['precision']:.3f}, recall {r['recall']:.3f}",
                    "–",
                    "–",
                    r["precision"] >= CONFLATION and r["recall"] >= CONFLATION,
                )
            )
        out.append(
            Target(
                8,
                "accent invariance stays 1.000",
                f"{a['accent_invariance']:.3f}",
                "–",
                "–",
                round(a["accent_invariance"], 3) >= 1.0,
            )
        )
    diff = results.get("retrieval", {}).get("diff")
    if diff:
        fell = [
            f"{s} {v} {c['before']:.3f}→{c['after']:.3f}"
            for s, by_variant in diff.items()
            for v, c in by_variant.items()
            if round(c["after"], 3) < round(c["before"], 3)
        ]
        total = sum(len(by_variant) for by_variant in diff.values())
        against = results["retrieval"]["diff_against"]["commit"]
        out.append(
            Target(
                9,
                f"quality unchanged or better (vs the baseline at `{against}`)",
                f"{total - len(fell)} of {total} cells unchanged or better"
                + (f"; lower: {', '.join(fell)}" if fell else ""),
                "–",
                "–",
                not fell,
            )
        )
    return out


def _hl(lat: dict, kind: str) -> dict | None:
    return lat.get(f"{kind} + highlights")


def speed_targets(results: dict) -> list[Target]:
    out: list[Target] = []
    s = results.get("speed", {})
    b = s.get("builds", {})
    if "fouille" in b and "recoll" in b:
        mine, base = b["fouille"]["seconds"], b["recoll"]["seconds"]
        ratio = mine / base
        out.append(
            Target(
                9,
                f"full build ≤ {BUILD_RATIO}× Recoll (goal 1.0×), 608 man pages",
                f"{mine:.2f} s (CPU {b['fouille'].get('cpu_s', float('nan')):.2f} s)",
                f"Recoll {base:.2f} s (CPU {b['recoll'].get('cpu_s', float('nan')):.2f} s)",
                f"×{ratio:.2f}",
                ratio <= BUILD_RATIO,
            )
        )
    lat = s.get("latency", {})
    mine_lat, whoosh = lat.get("fouille", {}), lat.get("whoosh", {})
    slower = []
    for kind in [k for k in mine_lat if not k.endswith("highlights")]:
        m, w = _hl(mine_lat, kind), _hl(whoosh, kind)
        if not m:
            continue
        peer = f"Whoosh stock + highlights {w['p50']:.1f} / {w['p99']:.1f} ms" if w else "–"
        ratio = f"×{m['p50'] / w['p50']:.2f}" if w else "–"
        if w and m["p50"] > w["p50"]:
            slower.append(kind)
        out.append(
            Target(
                9,
                f"warm search, top-10 snippets, {kind}: p50 ≤ {WARM_P50:g} ms, "
                f"p99 ≤ {WARM_P99:g} ms (man pages)",
                f"{m['p50']:.1f} / {m['p99']:.1f} ms",
                peer,
                ratio,
                m["p50"] <= WARM_P50 and m["p99"] <= WARM_P99,
            )
        )
    if mine_lat and whoosh:
        out.append(
            Target(
                9,
                "warm search never slower than stock Whoosh (p50, with snippets/highlights, "
                "man pages)",
                f"slower on: {', '.join(slower)}" if slower else "no kind slower",
                "Whoosh stock + highlights",
                "–",
                not slower,
            )
        )
    growth = results.get("growth", {})
    if growth:
        size = max(growth, key=int)
        mine = growth[size].get("fouille", {}).get("latency", {})
        whoosh = growth[size].get("whoosh", {}).get("latency", {})
        kinds = [k for k in mine if not k.endswith("highlights")]
        if mine and kinds:
            worst = max(kinds, key=lambda k: mine[f"{k} + highlights"]["p50"])
            p50 = mine[f"{worst} + highlights"]["p50"]
            w = whoosh.get(f"{worst} + highlights")
            slower = [
                k
                for k in kinds
                if whoosh.get(f"{k} + highlights")
                and mine[f"{k} + highlights"]["p50"] > whoosh[f"{k} + highlights"]["p50"]
            ]
            reached = int(size) >= 100_000
            out.append(
                Target(
                    9,
                    f"warm search p50 ≤ {WARM_P50_100K:g} ms at 100k documents "
                    "(worst kind, top-10 snippets)",
                    f"{p50:.1f} ms ({worst}, {int(size) // 1000}k)",
                    f"Whoosh stock + highlights {w['p50']:.1f} ms" if w else "–",
                    f"×{p50 / w['p50']:.2f}" if w else "–",
                    (p50 <= WARM_P50_100K) if reached else None,
                )
            )
            if whoosh:
                out.append(
                    Target(
                        9,
                        f"never slower than stock Whoosh at {int(size) // 1000}k (p50, "
                        "with snippets/highlights)",
                        f"slower on: {', '.join(slower)}" if slower else "no kind slower",
                        "Whoosh stock + highlights",
                        "–",
                        not slower,
                    )
                )
    cold = s.get("cold", {})
    mine = cold.get("fouille")
    if mine:
        recoll = cold.get("recoll")
        out.append(
            Target(
                9,
                f"cold `fouille search` ≤ {COLD_MS:g} ms (3-word query, snippets)",
                f"{mine['p50']:.0f} ms"
                + (f" (CPU {mine['cpu_p50']:.0f} ms)" if "cpu_p50" in mine else ""),
                f"`recollq` {recoll['p50']:.0f} ms" if recoll else "–",
                f"×{mine['p50'] / recoll['p50']:.0f}" if recoll else "–",
                mine["p50"] <= COLD_MS,
            )
        )
        batch = s.get("batch")
        if batch:
            gain = mine["p50"] / batch["ms_per_query"]
            out.append(
                Target(
                    9,
                    f"`--batch` throughput ≥ {BATCH_GAIN:g}× one process per query",
                    f"{batch['ms_per_query']:.1f} ms per query ({batch['queries']} queries)",
                    f"one `fouille search` each: {mine['p50']:.0f} ms",
                    f"×{gain:.1f}",
                    gain >= BATCH_GAIN,
                )
            )
    tui = results.get("tui")
    if tui:
        out.append(
            Target(
                9,
                f"the app: results within {TUI_MS:g} ms of the last key (man pages)",
                f"p50 {tui['p50']:.0f} ms (debounce {tui['debounce_ms']:.0f} ms)",
                "–",
                "–",
                tui["p50"] <= TUI_MS,
            )
        )
    return out


def all_targets(results: dict) -> list[Target]:
    return retrieval_targets(results) + speed_targets(results)
