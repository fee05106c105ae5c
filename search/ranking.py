"""How hits are ordered: the settings of the ranking, collection of the top documents, and the
exact-form bonus.

Every number the ranking reads lives in :class:`RankingSettings`, a frozen object the engine is
given (``Engine(corpus, index, ranking=RankingSettings(title_weight=1.0))``): the benchmark
compares settings by building engines with other values, never by patching this module.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from whoosh import collectors, scoring
from whoosh import query as wq
from whoosh.searching import Searcher

from search import highlight
from search.analysis import fold
from search.lexicon import Lexicon
from search.models import SortOrder
from search.query import ParsedQuery, WordTerm, exact_words

Found = list[tuple[int, float]]
"""(docnum, score) pairs, best first."""


@dataclass(frozen=True)
class RankingSettings:
    """The knobs of fouille's ranking, with the values the benchmark chose (bench/REPORT.md)."""

    title_weight: float = 0.5
    """BM25F weight of the title field. The title line is also part of the body, so at 0.5 a
    title word weighs 1.5 times a body word. Measured: title 2.0 lost 0.02-0.04 MRR@10 against
    1.0, and 0.5 (with the bonus at 0.5) was best."""
    body_weight: float = 1.0
    exact_boost: float = 0.5
    """Weight of the exact-form bonus (a BM25F score of the word as typed) beside the stem's
    score. On the man-page known-item test 0.5 beat 1.0 in all four cells: a query typed
    ``paquets`` should prefer pages with ``paquets``, but not bury ``paquet``."""
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    """Whoosh's BM25F defaults, which rank the stems: the exact-form bonus is scored alike."""
    rerank_depth: int = 20
    """Candidates ranked beyond the limit, so the exact-form bonus can lift one into the top."""
    every_word_first: bool = True
    """Documents holding every query word before those holding only some (two tiers); when
    False, any-word queries are ranked as one list (ranked OR)."""

    @property
    def field_boosts(self) -> Mapping[str, float]:
        return {"title": self.title_weight, "body": self.body_weight}

    def weighting(self) -> scoring.BM25F:
        """The scoring of the stems, for the engine's searchers."""
        return scoring.BM25F(B=self.bm25_b, K1=self.bm25_k1)

    def describe(self) -> str:
        """The settings that differ from the defaults, for benchmark labels (``""`` if none)."""
        default = RankingSettings()
        changed = [
            f"{name} {getattr(self, name):g}"
            if not isinstance(getattr(self, name), bool)
            else f"{name} {'on' if getattr(self, name) else 'off'}"
            for name in self.__dataclass_fields__
            if getattr(self, name) != getattr(default, name)
        ]
        return ", ".join(changed)


DEFAULT_RANKING = RankingSettings()


@dataclass(frozen=True)
class Ranked:
    """The top documents of a query and how many match in all."""

    found: Found
    total: int
    fallback: bool = False  # no document holds every word: the hits hold only some


def rank(
    searcher: Searcher,
    parsed: ParsedQuery,
    settings: RankingSettings,
    *,
    limit: int,
    sort: SortOrder = "relevance",
    lexicon: Callable[[], Lexicon],
) -> Ranked:
    """The ``limit`` best documents of a parsed query. With ``every_word_first``, documents
    with every word come first, then (``fallback`` when there were none) documents with some of
    them; ``lexicon`` is called only when the exact-form bonus needs it."""
    q = parsed.strict if parsed.strict is not None else wq.Every()
    limit = max(1, limit)
    relaxed = parsed.relaxed
    if relaxed is not None and not settings.every_word_first:
        q, relaxed = relaxed, None
    bonus = exact_words(parsed.strict)
    words = lexicon() if bonus and settings.exact_boost else None
    found, total = collect(
        searcher,
        q,
        settings,
        limit=limit,
        allow=parsed.date_filter,
        sort=sort,
        bonus=bonus,
        lexicon=words,
    )
    fallback = False
    if relaxed is not None and len(found) < limit:
        more, extra = collect(
            searcher,
            relaxed,
            settings,
            limit=limit - len(found),
            allow=parsed.date_filter,
            exclude={d for d, _ in found},
            sort=sort,
            bonus=bonus,
            lexicon=words,
        )
        fallback = total == 0 and bool(more)
        total += extra
        found += more
    return Ranked(found, total, fallback)


def collect(
    searcher: Searcher,
    q: wq.Query,
    settings: RankingSettings,
    *,
    limit: int,
    allow: wq.Query | None = None,
    exclude: set[int] | None = None,
    sort: SortOrder = "relevance",
    bonus: list[WordTerm] | None = None,
    lexicon: Lexicon | None = None,
) -> tuple[Found, int]:
    """The top ``limit`` (docnum, score) pairs, and how many documents match in all.

    Whoosh's default collector prunes sub-queries that cannot reach the top N (so it must run
    the query a second time to count) and its pruned count is wrong for ``Or`` within ``And``:
    without pruning, one pass both ranks and counts exactly. The ``bonus`` terms (exact forms)
    are then scored for a few more candidates than needed, and the candidates re-ranked.
    """
    top: collectors.ScoredCollector
    if sort == "date":
        top = collectors.UnlimitedCollector()
    else:
        top = collectors.TopCollector(
            limit=limit + settings.rerank_depth, usequality=False, replace=0
        )
    collector: collectors.Collector = top
    if allow is not None or exclude:
        collector = collectors.FilterCollector(top, allow=allow, restrict=exclude or None)
    searcher.search_with_collector(q, collector)
    results = collector.results()
    found = [(hit.docnum, hit.score) for hit in results]
    if sort == "date":  # newest first, undated last; scores stay relevance scores
        dates = searcher.reader().column_reader("date")
        found.sort(key=lambda pair: dates[pair[0]], reverse=True)
        found = found[:limit]
    if bonus and lexicon is not None and settings.exact_boost:
        found = add_bonus(searcher, found, bonus, lexicon, settings)
        if sort != "date":
            found.sort(key=lambda pair: -pair[1])
    return found[:limit], len(results)


def add_bonus(
    searcher: Searcher,
    found: Found,
    words: list[WordTerm],
    lexicon: Lexicon,
    settings: RankingSettings,
) -> Found:
    """Each candidate's score plus the BM25F score its exact-form occurrences would get as a
    term of their own: counted at the stored offsets of the stem, weighted by how rare the
    exact word is (its article count in the lexicon)."""
    extra = dict.fromkeys((d for d, _ in found), 0.0)
    wanted = sorted(extra)
    reader = searcher.reader()
    articles = reader.doc_count_all()
    k1, b = settings.bm25_k1, settings.bm25_b
    texts: dict[tuple[int, str], str] = {}
    for word in words:
        matcher = word.matcher(searcher)
        idf = math.log(articles / (lexicon.doc_count(word.exact) + 1)) + 1
        avg_length = searcher.avg_field_length(word.fieldname) or 1
        for docnum in highlight.postings_at(matcher, wanted):
            key = (docnum, word.fieldname)
            if key not in texts:
                texts[key] = searcher.stored_fields(docnum).get(word.fieldname, "")
            text = texts[key]
            spans = matcher.value_as("characters")
            tf = sum(1 for _, s, e in spans if fold(text[s:e].lower()) == word.exact)
            if tf:
                length = reader.doc_field_length(docnum, word.fieldname, 1) / avg_length
                bm25 = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length))
                extra[docnum] += settings.exact_boost * word.boost * bm25
    return [(d, score + extra[d]) for d, score in found]
