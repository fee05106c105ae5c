"""fouille itself, through the same :class:`search.engine.Engine` API the CLI and the TUI use.

Two experiments ride on the same adapter, to measure engine changes before they are made:

* ``mode="or"`` ranks every query as "any word" (the engine's relaxed query alone) instead of
  "documents with every word first";
* ``reaccent=True`` swaps the analyzer's stemmer for the one proposed in bench/REPORT.md
  (accents of ``-ée(s)``, ``-ière(s)``, ``-ié(s)``, ``-yé(s)`` restored before stemming), by
  patching ``search.analysis.stem`` while the index is built and searched.
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable
from pathlib import Path

from search.engine import Engine

_original_stem: Callable[[str], str] | None = None


def _patch_stem(on: bool) -> None:
    """Install or remove the re-accenting stemmer (and drop the analyzer's word cache)."""
    global _original_stem
    import search.analysis as analysis
    from bench.analyzers import reaccent_stem

    if on and _original_stem is None:
        _original_stem = analysis.stem
        analysis.stem = lambda word: reaccent_stem(word) if word.isalpha() else word
    elif not on and _original_stem is not None:
        analysis.stem = _original_stem
        _original_stem = None
    cache = getattr(analysis, "_EXPANSIONS", None)
    if cache is not None:
        cache.clear()


class Fouille:
    def __init__(self, mode: str = "engine", reaccent: bool = False) -> None:
        self.mode = mode
        self.reaccent = reaccent
        extras = [e for e, on in (("ranked OR", mode == "or"), ("re-accent", reaccent)) if on]
        self.name = f"fouille ({', '.join(extras)}, experiment)" if extras else "fouille"
        self.engine: Engine | None = None

    def build(self, corpus: Path, workdir: Path) -> None:
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        _patch_stem(self.reaccent)
        try:
            engine = Engine(corpus, workdir / "index")
            engine.update(full=True)
            engine.close()
        finally:
            _patch_stem(False)

    def open(self, corpus: Path, workdir: Path) -> None:
        _patch_stem(self.reaccent)
        self.engine = Engine(corpus, workdir / "index")
        params = inspect.signature(self.engine.search).parameters
        # A knob to skip snippets, if the engine has one, gives the "without highlights" figure.
        self.snippet_knob = next((p for p in ("snippets", "highlight") if p in params), None)

    def update(self) -> None:
        assert self.engine is not None
        self.engine.update()

    def search(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        assert self.engine is not None
        if self.mode == "engine" and (highlight or self.snippet_knob):
            kwargs = {self.snippet_knob: highlight} if self.snippet_knob else {}
            result = self.engine.search(query, limit=k, **kwargs)
            return [hit.id for hit in result.hits]
        return self._ranking_only(query, k)

    def _ranking_only(self, query: str, k: int) -> list[str]:
        """The engine's ranking without snippets (its strict-then-relaxed search, or the relaxed
        one alone in "or" mode), through its internals: ``Engine.search`` has no switch to skip
        highlights."""
        from search.query import parse

        assert self.engine is not None
        searcher = self.engine._searcher()
        parsed = parse(query, searcher.schema)
        if parsed.strict is None:
            return []
        found: list[int] = []
        if self.mode == "engine" or parsed.relaxed is None:
            found = [h.docnum for h in searcher.search(parsed.strict, limit=k)]
        if parsed.relaxed is not None and len(found) < k:
            rest = searcher.search(parsed.relaxed, limit=k - len(found), mask=set(found) or None)
            found += [h.docnum for h in rest]
        return [searcher.stored_fields(d)["id"] for d in found]

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None
        _patch_stem(False)
