"""The Whoosh schema of a fouille index, and its version.

Whoosh pickles the analyzers into the index, so an index built with other filters would be
misread rather than rejected: :data:`SCHEMA_VERSION` is recorded beside the index and any change
to the fields or to what :mod:`search.analysis` emits must bump it, which makes the next run
rebuild the index with a message instead.
"""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from search.analysis import french_analyzer

SCHEMA_VERSION = 1

TITLE_BOOST = 2.0
"""How much more a word in the title weighs than a word in the body (BM25F field weight)."""


def build_schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        path=STORED(),
        # chars=True stores character offsets in the postings: highlighting reads them instead
        # of re-analysing whole documents (measured 11-27 ms vs 1.5-2 ms for ten man pages).
        title=TEXT(analyzer=analyzer, stored=True, chars=True, phrase=True),
        body=TEXT(analyzer=analyzer, stored=True, chars=True, phrase=True),
        # yyyymmdd, 0 when the article states no date (sorts last in date order)
        date=NUMERIC(int, bits=32, stored=True, sortable=True, default=0),
        mtime=NUMERIC(int, bits=64, signed=False, sortable=True, default=0),
        size=NUMERIC(int, bits=64, signed=False, sortable=True, default=0),
    )
