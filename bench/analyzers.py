"""The analyzers compared in the analysis-quality table: fouille's and the peers' equivalents."""

from __future__ import annotations

import re
from collections.abc import Callable

import snowballstemmer

from bench.analysis_quality import Terms, fouille_terms, strip_accents, whoosh_terms

# Folded endings that Snowball only recognises with their accent: restoring it before stemming
# makes ``affichees`` stem like ``affichées`` (``affich``), not like ``affiche``+``es``.
REACCENT = (
    (re.compile(r"ee(s?)$"), r"ée\1"),
    (re.compile(r"iere(s?)$"), r"ière\1"),
    (re.compile(r"([^aeiou])ie(s?)$"), r"\1ié\2"),
    (re.compile(r"ye(s?)$"), r"yé\1"),
)


def reaccent_stem(word: str) -> str:
    """Fold, restore the accent of an ending Snowball needs, stem, fold: the proposed fix."""
    from search.analysis import fold

    folded = fold(word.lower())
    for pattern, replacement in REACCENT:
        restored = pattern.sub(replacement, folded)
        if restored != folded:
            return strip_accents(_FRENCH.stemWord(restored))
    return _FRENCH.stemWord(folded)


_FRENCH = snowballstemmer.stemmer("french")


def _single(fn: Callable[[str], str]) -> Terms:
    return lambda word: frozenset([fn(word)]) if word else frozenset()


def variants() -> dict[str, tuple[Terms, Terms]]:
    """name → (index terms, query terms), for one lowercase word at a time."""
    from whoosh.analysis import StemmingAnalyzer

    french = snowballstemmer.stemmer("french")
    stock = whoosh_terms(StemmingAnalyzer(), "index")
    snowball_accented = _single(lambda w: french.stemWord(w))
    stem_then_fold = _single(lambda w: strip_accents(french.stemWord(w)))
    fts5 = _single(strip_accents)  # unicode61 remove_diacritics 2: folding, no stemming
    proposed = _single(reaccent_stem)
    return {
        "fouille": fouille_terms(),
        "fold, re-accent endings, stem (proposed)": (proposed, proposed),
        "Snowball FR on accented text": (snowball_accented, snowball_accented),
        "Snowball FR, then fold": (stem_then_fold, stem_then_fold),
        "SQLite FTS5 unicode61 (fold only)": (fts5, fts5),
        "Whoosh stock (English Porter)": (stock, stock),
    }
