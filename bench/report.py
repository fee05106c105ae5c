"""Render bench/results.json as bench/REPORT.md (tables, targets) and bench/growth.png."""

from __future__ import annotations

from pathlib import Path

from bench.contenders import label
from bench.queries import VARIANTS

FINDINGS = Path(__file__).resolve().parent / "findings.md"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _ratio(value: float, base: float | None) -> str:
    return f"×{value / base:.1f}" if base else "–"


def retrieval_section(r: dict) -> str:
    out = [f"## Retrieval quality (known-item, {r['queries']} queries)\n"]
    out.append(
        "Each query is the description line of a page's NOM section; the answer is that page. "
        "*unaccented* strips accents, *inflected* swaps singular/plural of nouns and adjectives "
        "(only to forms that occur in the corpus with the same simplemma lemma). Peers run "
        "their queries as ranked OR (all words optional, bm25) and as AND (every word). "
        "fouille runs its own ranking: any word, BM25F times the share of the words held "
        "(soft coordination).\n"
    )
    from bench.retrieval import bootstrap_ci

    for corpus, title in (
        ("manfr", "Full pages"),
        ("manfr-nonom", "Pages without NOM section"),
        ("docfr", "Sections of Debian's French manuals (heading as query)"),
    ):
        table = r.get(corpus)
        if not table:
            continue
        best = {v: max(row[v]["mrr"] for row in table.values()) for v in VARIANTS}
        rows = []
        for name, row in table.items():
            cells = []
            for v in VARIANTS:
                mrr, success = row[v]["mrr"], row[v]["success"]
                lo, hi = bootstrap_ci(row[v].get("ranks", []))
                cell = f"{mrr:.3f} [{lo:.3f}–{hi:.3f}] / {success:.2f}"
                cells.append(f"**{cell}**" if mrr == best[v] else cell)
            rows.append([name, *cells])
        out.append(f"### {title}: MRR@10 [95% bootstrap CI] / success@10\n")
        out.append(_table(["engine", *VARIANTS], rows))
        if "fouille" in table:
            misses = table["fouille"]["typed"]["misses"][:5]
            out.append(
                "\nfouille's first misses (typed): "
                + "; ".join(f"`{q}` → {t}" for q, t in misses)
                + "\n"
            )
    return "\n".join(out)


def experiments_section(e: dict, retrieval: dict | None) -> str:
    out = ["## Experiments: fouille's ranking knobs (MRR@10)\n"]
    from search.ranking import DEFAULT_RANKING

    out.append(
        "Engines built by `bench/experiments.py` with other ranking settings, on the same "
        "indexes: *every word first* ranks the articles holding every word before the others "
        "(the engine before issue 8); *coordination* is the power of the share of words held "
        "(0: plain ranked OR); "
        f"*title weight* is the BM25F weight of the title field (the engine uses "
        f"{DEFAULT_RANKING.title_weight:g}; a man page's title is its header line, e.g. "
        "`LS(1) Commandes de l'utilisateur LS(1)`); *exact-form bonus* weighs the score added "
        "to documents holding the word as typed "
        f"(engine: {DEFAULT_RANKING.exact_boost:g}). fouille folds accents, so *unaccented* "
        "equals *typed*. *computed* rows combine two measured "
        "configurations by query length from their per-query ranks. The last column "
        "is the smallest margin over the best peer of each column (positive: fouille wins "
        "all four).\n"
    )
    best_peer: dict[tuple[str, str], float] = {}
    for corpus in ("manfr", "manfr-nonom"):
        table = (retrieval or {}).get(corpus, {})
        for v in ("typed", "inflected"):
            peers = [row[v]["mrr"] for n, row in table.items() if not n.startswith("fouille")]
            if peers:
                best_peer[(corpus, v)] = max(peers)
    cols = [(c, v) for c in ("manfr", "manfr-nonom") for v in ("typed", "inflected")]
    rows = []
    if len(best_peer) == 4:
        rows.append(["best peer", *[f"{best_peer[k]:.3f}" for k in cols], ""])
    for name in e.get("manfr", {}):
        if name not in e.get("manfr-nonom", {}):
            continue
        values = [e[c][name][v]["mrr"] for c, v in cols]
        margin = (
            min(x - best_peer[k] for x, k in zip(values, cols, strict=True))
            if len(best_peer) == 4
            else float("nan")
        )
        rows.append([name, *[f"{x:.3f}" for x in values], f"{margin:+.3f}"])
    from bench.experiments import best_hybrids

    for margin, name, values in best_hybrids(e, best_peer):
        rows.append([f"*computed:* {name}", *[f"{x:.3f}" for x in values], f"{margin:+.3f}"])
    out.append(
        _table(
            [
                "configuration",
                "full, typed",
                "full, inflected",
                "no NOM, typed",
                "no NOM, inflected",
                "margin",
            ],
            rows,
        )
    )
    return "\n".join(out)


def analysis_section(a: dict) -> str:
    out = ["## Analysis quality (corpus vocabulary, simplemma lemmas)\n"]
    out.append(
        "Words of the corpus known to simplemma and seen twice or more. *Accent invariance*: "
        "share of accented words that the word typed without accents finds. *Recall*: pairs "
        "of forms of one lemma that share an index term; *unaccented recall*: the same when "
        "each form is typed without accents. *Precision*: pairs sharing a term that are of one "
        "lemma. Words an analyzer drops (stop words) are left out of its figures.\n"
    )
    rows = [
        [
            name,
            str(q["words"]),
            f"{q['accent_invariance']:.3f}",
            f"{q['recall']:.3f}",
            f"{q['unaccented_recall']:.3f}",
            f"{q['precision']:.3f}",
        ]
        for name, q in a.items()
    ]
    out.append(
        _table(
            ["analyzer", "words", "accent invariance", "recall", "unaccented recall", "precision"],
            rows,
        )
    )
    out.append(lemma_references_table(a))
    for name in list(a)[:2]:
        q = a[name]
        out.append(f"\n**{name}** failure examples (most frequent words first):\n")
        out.append(f"- accents: {', '.join(q['accent_failures'][:8]) or 'none'}")
        out.append(f"- recall: {', '.join(q['recall_failures'][:8]) or 'none'}")
        out.append(f"- precision: {', '.join(q['precision_failures'][:8]) or 'none'}\n")
    return "\n".join(out)


def lemma_references_table(a: dict) -> str:
    """Recall and precision of every analyzer against each lemma reference (two forms are of
    one lemma when their lemma sets meet; see bench/vocabulary.py)."""
    names = [name for name, q in a.items() if "references" in q]
    if not names:
        return ""
    refs = list(a[names[0]]["references"])
    rows = [
        [
            name,
            *(f"{r['recall']:.3f} / {r['precision']:.3f}" for r in a[name]["references"].values()),
        ]
        for name in names
    ]
    note = (
        "\nRecall / precision against each lemma reference: simplemma's lemma; the same with "
        "a participle joined to its verb (simplemma gives `ajouté` → *ajouter* but `ajoutée` → "
        "*ajouté*); Lefff's lemmas from spaCy's tables, every part of speech a form may have "
        "(independent of simplemma).\n"
    )
    return note + "\n" + _table(["analyzer", *refs], rows)


def speed_section(s: dict, base: str) -> str:
    out = ["## Speed (full corpus)\n"]
    builds = s["builds"]
    b0 = builds.get(base, {}).get("seconds")
    rows = []
    for key, b in builds.items():
        rows.append(
            [
                label(key),
                f"{b['seconds']:.2f}",
                _ratio(b["seconds"], b0),
                f"{b['mb'] / b['seconds']:.1f}",
                f"{b['docs'] / b['seconds']:.0f}",
                f"{b['peak_mb']:.0f}",
                f"{b['index_mb']:.1f}",
                f"{b.get('cpu_s', float('nan')):.2f}",
            ]
        )
    out.append("### Full index build (median of runs, fresh process each)\n")
    out.append(
        _table(
            [
                "engine",
                "seconds",
                f"vs {label(base)}",
                "MB/s",
                "docs/s",
                "peak MB",
                "index MB",
                "CPU s",
            ],
            rows,
        )
    )
    out.append(
        "\n*fouille* builds with its default worker processes (one per core: 2 here), "
        "*fouille, --jobs 1* in one process. *CPU s* adds the CPU time of the process and its "
        "children (workers, `recollindex`); peak MB is the largest single process.\n"
    )
    if s["incremental"]:
        out.append("\n### Incremental runs (seconds, median)\n")
        rows = [
            [label(k), f"{v['unchanged']:.3f}", f"{v['one_changed']:.3f}"]
            for k, v in s["incremental"].items()
        ]
        out.append(_table(["engine", "nothing changed", "one file changed"], rows))
    if s["latency"]:
        out.append("\n### Warm in-process search latency, ms p50 / p99 (top 10)\n")
        kinds = list(next(iter(s["latency"].values())))
        rows = []
        for kind in kinds:
            cells = [f"{v[kind]['p50']:.1f} / {v[kind]['p99']:.1f}" for v in s["latency"].values()]
            rows.append([kind, *cells])
        out.append(_table(["query kind", *[label(k) for k in s["latency"]]], rows))
        out.append(
            "\nfouille's figures without highlights use the engine's ranking alone (its strict "
            "then relaxed searches); with highlights they are `Engine.search`, snippets and "
            "spans included. SQLite highlights are FTS5 `snippet()`; Whoosh's are "
            "`hit.highlights()` (re-analysis of the stored text).\n"
        )
    if s["cold"]:
        c0 = s["cold"].get(base, {}).get("p50")
        out.append("\n### Cold query process (ms, one query per process, snippets shown)\n")
        rows = [
            [label(k), f"{v['p50']:.0f}", f"{v['p90']:.0f}", _ratio(v["p50"], c0)]
            for k, v in s["cold"].items()
        ]
        out.append(_table(["command", "p50", "p90", f"vs {label(base)}"], rows))
        batch = s.get("batch")
        mine = s["cold"].get("fouille", {}).get("p50")
        if batch and mine:
            out.append(
                f"\n`fouille search --batch` over the same {batch['queries']} queries in one "
                f"process: {batch['ms_per_query']:.1f} ms per query, start-up included "
                f"({batch['wall_ms']:.0f} ms in all): ×{mine / batch['ms_per_query']:.0f} the "
                "throughput of one `fouille search` process per query.\n"
            )
    tui = s.get("tui")
    if tui and "debounce_ms" in tui:
        search_ms = tui["p50"] - tui["debounce_ms"]
        out.append(
            "\nTUI keystroke-to-results (Textual Pilot, 120×36, several-word queries: from the "
            "last key until the screen holds that query's result): "
            f"p50 {tui['p50']:.0f} ms, max {tui['max']:.0f} ms, of which "
            f"{tui['debounce_ms']:.0f} ms are the app's debounce (so about {search_ms:.0f} ms "
            "of search and display).\n"
        )
    return "\n".join(out)


def growth_section(g: dict, png: Path) -> str:
    out = ["## Growth over the scale series\n"]
    out.append(
        "Documents are single paragraphs of the pages, cycled to reach each size. "
        f"![growth]({png.name})\n"
    )
    rows = []
    for size, row in g.items():
        for key, e in row.items():
            b = e["build"]
            lat = e.get("latency", {})
            warm = lat.get("several words + highlights", {}).get("p50")
            cold = e.get("cold", {}).get("p50") if e.get("cold") else None
            unchanged = e.get("unchanged_s")
            rows.append(
                [
                    f"{int(size) // 1000}k",
                    label(key),
                    f"{b['mb']:.1f}",
                    f"{b['seconds']:.2f}",
                    f"{b['docs'] / b['seconds']:.0f}",
                    f"{b['peak_mb']:.0f}",
                    f"{b['index_mb']:.1f}",
                    f"{warm:.1f}" if warm is not None else "–",
                    f"{cold:.0f}" if cold is not None else "–",
                    f"{unchanged * 1000:.0f}" if unchanged is not None else "–",
                ]
            )
    out.append(
        _table(
            [
                "docs",
                "engine",
                "MB",
                "build s",
                "docs/s",
                "peak MB",
                "index MB",
                "warm p50 ms (words + hl)",
                "process p50 ms",
                "unchanged re-check ms",
            ],
            rows,
        )
    )
    return "\n".join(out)


def plot(g: dict, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(int(s) for s in g)
    keys = list(g[str(sizes[0])])
    fig, (left, mid, right) = plt.subplots(1, 3, figsize=(14, 4))
    for key in keys:
        builds = [g[str(s)][key]["build"] for s in sizes]
        left.plot(sizes, [b["seconds"] for b in builds], marker="o", label=label(key))
        mid.plot(sizes, [b["index_mb"] for b in builds], marker="o", label=label(key))
        lat = [
            g[str(s)][key].get("latency", {}).get("several words + highlights", {}).get("p50")
            or (g[str(s)][key].get("cold") or {}).get("p50")
            for s in sizes
        ]
        right.plot(sizes, lat, marker="o", label=label(key))
    left.set_title("full build (s)")
    mid.set_title("index size (MB)")
    right.set_title("query p50 (ms; Recoll: per process)")
    for ax in (left, mid, right):
        ax.set_xlabel("documents")
        ax.grid(alpha=0.3)
    right.set_yscale("log")
    left.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=90)
    plt.close(fig)


def targets(results: dict) -> str:
    rows: list[list[str]] = []
    s = results.get("speed", {})
    b = s.get("builds", {})
    if "fouille" in b and "recoll" in b:
        ratio = b["fouille"]["seconds"] / b["recoll"]["seconds"]
        rows.append(
            [
                "full index within 1.5× Recoll",
                f"×{ratio:.1f} ({b['fouille']['seconds']:.2f} s vs {b['recoll']['seconds']:.2f} s)",
                "met" if ratio <= 1.5 else f"missed by ×{ratio / 1.5:.1f}",
            ]
        )
    inc = s.get("incremental", {}).get("fouille")
    if inc:
        ms = inc["unchanged"] * 1000
        rows.append(
            [
                "unchanged corpus re-checked < 100 ms",
                f"{ms:.0f} ms",
                "met" if ms < 100 else f"missed by {ms - 100:.0f} ms",
            ]
        )
    lat = s.get("latency", {}).get("fouille")
    if lat:
        hl = {k: v for k, v in lat.items() if k.endswith("highlights")}
        p50 = max(v["p50"] for v in hl.values())
        p99 = max(v["p99"] for v in hl.values())
        rows.append(
            [
                "warm search + highlights: p50 < 5 ms (worst query kind)",
                f"{p50:.1f} ms",
                "met" if p50 < 5 else f"missed by ×{p50 / 5:.1f}",
            ]
        )
        rows.append(
            [
                "warm search + highlights: p99 < 20 ms (worst query kind)",
                f"{p99:.1f} ms",
                "met" if p99 < 20 else f"missed by ×{p99 / 20:.1f}",
            ]
        )
    cold = s.get("cold", {}).get("fouille")
    if cold:
        rows.append(
            [
                "cold `fouille search` ≤ 150 ms",
                f"{cold['p50']:.0f} ms",
                "met" if cold["p50"] <= 150 else f"missed by {cold['p50'] - 150:.0f} ms",
            ]
        )
        batch = s.get("batch")
        if batch:
            gain = cold["p50"] / batch["ms_per_query"]
            rows.append(
                [
                    "`--batch` throughput ≥ 20× one process per query",
                    f"×{gain:.0f} ({batch['ms_per_query']:.1f} ms vs {cold['p50']:.0f} ms)",
                    "met" if gain >= 20 else f"missed by ×{20 / gain:.1f}",
                ]
            )
    a = results.get("analysis", {})
    if "fouille" in a:
        f = a["fouille"]
        snow = a.get("Snowball FR on accented text", {}).get("recall", 0)
        rows.append(
            [
                "accent invariance ≥ 0.99",
                f"{f['accent_invariance']:.3f}",
                "met" if f["accent_invariance"] >= 0.99 else "missed",
            ]
        )
        rows.append(
            [
                "no recall loss vs Snowball on accented text",
                f"{f['recall']:.3f} vs {snow:.3f}",
                "met" if f["recall"] >= snow else f"missed by {snow - f['recall']:.3f}",
            ]
        )
    r = results.get("retrieval", {})
    for corpus in ("manfr", "manfr-nonom"):
        table = r.get(corpus, {})
        if "fouille" not in table:
            continue
        for v in VARIANTS:
            mine = table["fouille"][v]["mrr"]
            peer = max(
                row[v]["mrr"] for name, row in table.items() if not name.startswith("fouille")
            )
            rows.append(
                [
                    f"best MRR@10, {corpus}, {v}",
                    f"{mine:.3f} vs best peer {peer:.3f}",
                    "met" if mine >= peer else f"missed by {peer - mine:.3f}",
                ]
            )
    return "## Targets\n\n" + _table(["target", "measured", "status"], rows)


def write_report(results: dict, path: Path, png: Path) -> None:
    m = results["machine"]
    c = results["corpus"]
    parts = [
        "# fouille benchmark report\n",
        f"Generated by `bash bench/run.sh` on {m['date']}"
        + (" (**--quick**: fewer queries and runs)" if results.get("quick") else "")
        + ".\n",
        f"Machine: {m['cpu']}, {m['memory']} RAM, {m['os']}, Python {m['python']}, "
        f"{m['recoll']}.\n",
        f"Corpus: the French man pages (Debian `manpages-fr`), {c['manfr']['docs']} pages, "
        f"{c['manfr']['bytes'] / 1e6:.1f} MB of UTF-8 text; the same without NOM sections: "
        f"{c['manfr-nonom']['bytes'] / 1e6:.1f} MB. Speed ratios are against "
        f"{label(results['baseline'])}, measured in the same run.\n",
    ]
    if results.get("commits"):
        parts.append(
            "Engine version per part (the engine changed during the session; each part states "
            "the commit it measured): "
            + "; ".join(f"{part}: `{commit}`" for part, commit in results["commits"].items())
            + ".\n"
        )
    parts.append(targets(results))
    if FINDINGS.exists():
        parts.append(FINDINGS.read_text(encoding="utf-8"))
    if "retrieval" in results:
        parts.append(retrieval_section(results["retrieval"]))
    if results.get("experiments"):
        parts.append(experiments_section(results["experiments"], results.get("retrieval")))
    if "analysis" in results:
        parts.append(analysis_section(results["analysis"]))
    if "speed" in results:
        parts.append(speed_section(results["speed"], results["baseline"]))
    if results.get("growth"):
        plot(results["growth"], png)
        parts.append(growth_section(results["growth"], png))
    if results.get("extraction"):
        from bench.extraction import section as extraction_section

        parts.append(extraction_section(results["extraction"]))
    path.write_text("\n".join(parts), encoding="utf-8")
