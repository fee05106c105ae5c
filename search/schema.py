"""The Whoosh schema of a fouille index, and its version.

Whoosh pickles the analyzers into the index, so an index built with other filters would be
misread rather than rejected: :data:`SCHEMA_VERSION` is recorded beside the index and any change
to the fields or to what :mod:`search.analysis` emits must bump it, which makes the next run
rebuild the index with a message instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain, repeat
from operator import floordiv, mul, sub
from pickle import dumps
from typing import TYPE_CHECKING, Any, cast

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Characters
from whoosh.system import pack_uint

from search.analysis import FrenchAnalyzer, french_analyzer

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

SCHEMA_VERSION = 8


class FrenchCharacters(Characters):
    """Whoosh's ``Characters`` postings (positions and character offsets), fed straight from
    :meth:`FrenchAnalyzer.term_occurrences` instead of one Token object per word, and encoded
    without a Python loop per occurrence: the same bytes as ``Characters.encode`` (test)."""

    def word_values(  # type: ignore[override]
        self, value: str, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        if not isinstance(analyzer, FrenchAnalyzer) or kwargs.get("mode", "index") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, flat in analyzer.term_occurrences(value).items():
            count = len(flat) // 3
            yield term, count, count * boost, encode_characters(flat)

    def index_columns(
        self, value: str, analyzer: Any
    ) -> tuple[list[bytes], list[int], list[float], list[bytes]] | None:
        """What ``FieldType.index`` yields of ``value`` through :meth:`word_values` (each term
        as UTF-8, its frequency, weight and encoded occurrences), as four columns made by C
        loops but for the encoding; None for another analyzer (the caller uses ``index``)."""
        if not isinstance(analyzer, FrenchAnalyzer):
            return None
        found = analyzer.term_occurrences(value)
        flats = list(found.values())
        freqs = list(map(floordiv, map(len, flats), repeat(3)))
        weights = list(map(mul, freqs, repeat(self.field_boost)))
        return list(map(str.encode, found)), freqs, weights, list(map(encode_characters, flats))


def encode_characters(flat: list[int]) -> bytes:
    """What ``Characters.encode`` makes of the occurrences ``[position, start, end, …]``: each
    as (position gap, gap since the previous end, length), pickled, after their count.

    >>> from whoosh.formats import Characters
    >>> encode_characters([0, 0, 3, 4, 20, 26]) == Characters().encode([(0, 0, 3), (4, 20, 26)])
    True
    """
    if len(flat) == 3:  # most postings: one occurrence
        position, start, end = flat
        return _ONE + dumps([(position, start, end - start)], 2)
    positions, starts, ends = flat[0::3], flat[1::3], flat[2::3]
    deltas = list(
        zip(
            map(sub, positions, chain((0,), positions)),
            map(sub, starts, chain((0,), ends)),
            map(sub, ends, starts),
            strict=True,
        )
    )
    return pack_uint(len(deltas)) + dumps(deltas, 2)


_ONE = pack_uint(1)


def _text_field(analyzer: FrenchAnalyzer, *, sortable: bool = False) -> TEXT:
    field = TEXT(analyzer=analyzer, stored=True, chars=True, phrase=True, sortable=sortable)
    field.format = FrenchCharacters()
    return field


def build_schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        path=STORED(),
        # chars=True stores character offsets in the postings: highlighting reads them instead
        # of re-analysing whole documents (measured 11-27 ms vs 1.5-2 ms for ten man pages).
        title=_text_field(analyzer),
        body=_text_field(analyzer),
        # yyyymmdd, 0 when the article states no date (sorts last in date order); shift_step=8
        # writes 4 trie terms per article instead of Whoosh's default 8, enough for date ranges
        # the outlet or site and the author, when the file or its layout says ("" otherwise):
        # searched with source:/journal: and author:/auteur:. Their own analyzer instance, so
        # their words are not counted in the lexicon (built from titles and bodies). The source
        # is also a column, which facets count without reading stored fields.
        source=_text_field(french_analyzer(), sortable=True),
        author=_text_field(french_analyzer()),
        date=NUMERIC(int, bits=32, stored=True, sortable=True, default=0, shift_step=8),
        # read back only as columns, to tell changed files: as NUMERIC fields they wrote 32 trie
        # terms per article that no query uses (-13% build time on man pages, -34% at 10k docs)
        mtime=COLUMN(NumericColumn("Q", default=0)),
        size=COLUMN(NumericColumn("Q", default=0)),
    )


def field_analyzer(schema: Schema) -> FrenchAnalyzer:
    """The analyzer of the text fields, as pickled in an index's schema."""
    analyzer = schema["body"].analyzer
    return analyzer if isinstance(analyzer, FrenchAnalyzer) else french_analyzer()


def column(reader: IndexReader, fieldname: str) -> Sequence[Any]:
    """The values of a column field (``id``, ``date``, ``source``, ``mtime``, ``size``) by
    document number. An index of an empty folder has no segment, and Whoosh's reader for it
    has no columns (``NotImplementedError``): it has no document either, so nothing to read."""
    if not reader.doc_count_all():
        return ()
    return cast("Sequence[Any]", reader.column_reader(fieldname))
