"""fouille itself, through the same :class:`search.engine.Engine` API the CLI and the TUI use."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

from search.engine import Engine


class Fouille:
    name = "fouille"

    def __init__(self) -> None:
        self.engine: Engine | None = None

    def build(self, corpus: Path, workdir: Path) -> None:
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        engine = Engine(corpus, workdir / "index")
        engine.update(full=True)
        engine.close()

    def open(self, corpus: Path, workdir: Path) -> None:
        self.engine = Engine(corpus, workdir / "index")
        params = inspect.signature(self.engine.search).parameters
        # A knob to skip snippets, if the engine has one, gives the "without highlights" figure.
        self.snippet_knob = next((p for p in ("snippets", "highlight") if p in params), None)

    def update(self) -> None:
        assert self.engine is not None
        self.engine.update()

    def search(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        assert self.engine is not None
        if highlight or self.snippet_knob:
            kwargs = {self.snippet_knob: highlight} if self.snippet_knob else {}
            result = self.engine.search(query, limit=k, **kwargs)
            return [hit.id for hit in result.hits]
        return self._ranking_only(query, k)

    def _ranking_only(self, query: str, k: int) -> list[str]:
        """The engine's ranking without snippets (its strict-then-relaxed search), through its
        internals: ``Engine.search`` has no switch to skip highlights."""
        from search.query import parse

        assert self.engine is not None
        searcher = self.engine._searcher()
        parsed = parse(query, searcher.schema)
        if parsed.strict is None:
            return []
        found = [h.docnum for h in searcher.search(parsed.strict, limit=k)]
        if parsed.relaxed is not None and len(found) < k:
            rest = searcher.search(parsed.relaxed, limit=k - len(found), mask=set(found) or None)
            found += [h.docnum for h in rest]
        return [searcher.stored_fields(d)["id"] for d in found]

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None
