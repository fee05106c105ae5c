"""fouille itself, through the same :class:`search.engine.Engine` API the CLI and the TUI use.

Two experiments ride on the same adapter, to measure engine changes before they are made:

* ``mode="or"`` ranks every query as "any word" (the engine's relaxed query alone) instead of
  "documents with every word first";
* ``reaccent=True`` swaps the analyzer's stemmer for the one proposed in bench/REPORT.md
  (accents of ``-ée(s)``, ``-ière(s)``, ``-ié(s)``, ``-yé(s)`` restored before stemming), by
  patching ``search.analysis.stem`` while the index is built and searched.
"""

from __future__ import annotations

import dataclasses
import inspect
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    def __init__(
        self,
        mode: str = "engine",
        reaccent: bool = False,
        exact_boost: float | None = None,
        title_boost: float | None = None,
    ) -> None:
        self.mode = mode
        self.reaccent = reaccent
        self.exact_boost = exact_boost
        self.title_boost = title_boost
        extras = [e for e, on in (("ranked OR", mode == "or"), ("re-accent", reaccent)) if on]
        if exact_boost is not None:
            extras.append(f"exact-form bonus {exact_boost:g}")
        if title_boost is not None:
            extras.append(f"title weight {title_boost:g}")

        self.name = f"fouille ({', '.join(extras)}, experiment)" if extras else "fouille"
        self.engine: Engine | None = None
        self._undo: list[Callable[[], None]] = []

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

    def _patch_queries(self) -> None:
        """Query-side experiments: module constants the query parser reads at each parse."""
        import search.engine as engine_module
        import search.query as query_module

        if self.exact_boost is not None:
            for module in (query_module, engine_module):  # either may hold its own copy
                if hasattr(module, "EXACT_BOOST"):
                    old_boost = module.EXACT_BOOST
                    module.EXACT_BOOST = self.exact_boost
                    self._undo.append(
                        lambda m=module, b=old_boost: setattr(m, "EXACT_BOOST", b)  # type: ignore[misc]
                    )
        if self.title_boost is not None:
            old_title = query_module.FIELD_BOOSTS["title"]
            query_module.FIELD_BOOSTS["title"] = self.title_boost
            self._undo.append(lambda: query_module.FIELD_BOOSTS.__setitem__("title", old_title))
        if self.mode == "or":
            original_parse = engine_module.parse

            def any_word(text: str, schema: object) -> object:
                parsed = original_parse(text, schema)
                if parsed.relaxed is None:
                    return parsed
                return dataclasses.replace(parsed, strict=parsed.relaxed, relaxed=None)

            engine_module.parse = any_word
            self._undo.append(lambda: setattr(engine_module, "parse", original_parse))

    def open(self, corpus: Path, workdir: Path) -> None:
        _patch_stem(self.reaccent)
        self._patch_queries()
        self.engine = Engine(corpus, workdir / "index")
        params = inspect.signature(self.engine.search).parameters
        # A knob to skip snippets, if the engine has one, gives the "without highlights" figure.
        self.snippet_knob = next((p for p in ("snippets", "highlight") if p in params), None)
        self._full_hits = self.engine._hits

    def update(self) -> None:
        assert self.engine is not None
        self.engine.update()

    def search(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        """``Engine.search`` itself. Without ``highlight`` and without a knob in the engine to
        skip snippets, its hit builder is swapped for one that reads ids only: the ranking, the
        counting and the suggestion still run as in the product."""
        assert self.engine is not None
        if self.snippet_knob:
            result = self.engine.search(query, limit=k, **{self.snippet_knob: highlight})
        else:
            self.engine._hits = self._full_hits if highlight else self._ids_only  # type: ignore[method-assign]
            result = self.engine.search(query, limit=k)
        return [hit.id for hit in result.hits]

    @staticmethod
    def _ids_only(searcher: Any, found: list[tuple[int, float]], q: object) -> list[Any]:
        from search.models import Hit

        return [
            Hit(rank, searcher.stored_fields(d)["id"], "", "", None, score, "", [])
            for rank, (d, score) in enumerate(found, 1)
        ]

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None
        while self._undo:
            self._undo.pop()()
        _patch_stem(False)
