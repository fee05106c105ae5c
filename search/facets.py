"""Facets: how many of the articles matching a query fall in each month and each source.

Counted from the index's columns (``date``, ``source``) over the matching document numbers, with
no stored-field read, so a query matching the whole corpus costs a pass over two columns. The
articles counted are those with every word (or, when none has them all, those with some), within
the query's ``date:`` filter: the articles the hit list shows first.
"""

from __future__ import annotations

from collections import Counter

from whoosh import query as wq
from whoosh.searching import Searcher

from search.models import Facets
from search.query import _DATE_FILTER, ParsedQuery
from search.schema import column


def month_filter(query: str, month: str) -> str:
    """``query`` narrowed to ``month`` ("2023-12"), any date filter it had replaced:
    ``budget date:2024`` → ``budget date:2023-12``."""
    return f"{_DATE_FILTER.sub('', query).strip()} date:{month}".strip()


def _matching(searcher: Searcher, q: wq.Query, allow: wq.Query | None) -> set[int]:
    docs = set(q.docs(searcher))
    if allow is not None and docs:
        docs &= set(allow.docs(searcher))
    reader = searcher.reader()
    if reader.has_deletions():
        docs = {d for d in docs if not reader.is_deleted(d)}
    return docs


def count_facets(searcher: Searcher, parsed: ParsedQuery) -> Facets:
    """The month and source counts of the articles ``parsed`` matches (all of them for an empty
    query, none for a query of stop words only, as the search finds none)."""
    if parsed.strict is None and parsed.date_filter is None and parsed.text.strip():
        return Facets(total=0, months=(), sources=())
    q = parsed.strict if parsed.strict is not None else wq.Every()
    docs = _matching(searcher, q, parsed.date_filter)
    if not docs and parsed.relaxed is not None:
        docs = _matching(searcher, parsed.relaxed, parsed.date_filter)
    reader = searcher.reader()
    dates = column(reader, "date")
    sources = column(reader, "source")
    months: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    undated = unsourced = 0
    for docnum in docs:
        date = dates[docnum]
        if date:
            months[f"{date // 10000:04d}-{date // 100 % 100:02d}"] += 1
        else:
            undated += 1
        source = sources[docnum]
        if source:
            by_source[source] += 1
        else:
            unsourced += 1
    return Facets(
        total=len(docs),
        months=tuple(sorted(months.items())),
        sources=tuple(sorted(by_source.items(), key=lambda pair: (-pair[1], pair[0]))),
        undated=undated,
        unsourced=unsourced,
    )
