"""fouille itself, through the same :class:`search.engine.Engine` API the CLI and the TUI use.

Experiments ride on the same adapter, to measure engine changes before they are made:

* ``ranking=RankingSettings(...)`` builds the engine with other ranking settings (field weights,
  exact-form bonus, BM25 parameters, ``every_word_first=False`` for ranked OR);
* ``reaccent=True`` swaps the analyzer's stemmer for the one proposed in bench/findings.md
  (accents of ``-ée(s)``, ``-ière(s)``, ``-ié(s)``, ``-yé(s)`` restored before stemming), by
  patching ``search.analysis.stem`` while the index is built and searched.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from search.engine import Engine
from search.ranking import DEFAULT_RANKING, RankingSettings

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


def settings_label(settings: RankingSettings) -> list[str]:
    """How the report names the settings that differ from the engine's defaults."""
    labels = []
    if settings.every_word_first != DEFAULT_RANKING.every_word_first:
        labels.append("ranked OR" if not settings.every_word_first else "every word first")
    names = {"exact_boost": "exact-form bonus", "title_weight": "title weight"}
    for field in settings.__dataclass_fields__:
        value = getattr(settings, field)
        if field != "every_word_first" and value != getattr(DEFAULT_RANKING, field):
            labels.append(f"{names.get(field, field.replace('_', ' '))} {value:g}")
    return labels


class Fouille:
    def __init__(
        self,
        ranking: RankingSettings = DEFAULT_RANKING,
        reaccent: bool = False,
        jobs: int | None = None,
    ) -> None:
        self.ranking = ranking
        self.reaccent = reaccent
        self.jobs = jobs
        extras = settings_label(ranking) + (["re-accent"] if reaccent else [])
        self.name = f"fouille ({', '.join(extras)}, experiment)" if extras else "fouille"
        self.engine: Engine | None = None

    def build(self, corpus: Path, workdir: Path) -> None:
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        _patch_stem(self.reaccent)
        try:
            engine = Engine(corpus, workdir / "index")
            # the patched stemmer lives in this process: workers started otherwise than by fork
            # would not see it
            engine.update(full=True, jobs=1 if self.reaccent else self.jobs)
            engine.close()
        finally:
            _patch_stem(False)

    def open(self, corpus: Path, workdir: Path) -> None:
        _patch_stem(self.reaccent)
        self.engine = Engine(corpus, workdir / "index", ranking=self.ranking)

    def update(self) -> None:
        assert self.engine is not None
        self.engine.update()

    def search(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        """``Engine.search`` itself; without ``highlight``, hits skip their snippets: the
        ranking, the counting and the suggestion still run as in the product."""
        assert self.engine is not None
        result = self.engine.search(query, limit=k, snippets=highlight)
        return [hit.id for hit in result.hits]

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None
        _patch_stem(False)
