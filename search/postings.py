"""What one searcher has already read: each query term's postings decoded with their BM25F
scores, the occurrences (positions, character spans) and stored fields of the articles recently
ranked or shown, and what query operators derived from them.

A searcher sees one state of the index (the engine opens a new one when a rebuild or an update
commits), so what is cached here is tied to that state (its segments, their deletions, the
scoring's parameters: :func:`state_key`), shared by the searchers of every thread on it, and
gone with the last of them: a search after an update never reads a term's old postings nor a
deleted article's text. Every cache is bounded
(:data:`MAX_POSTINGS`, :data:`MAX_OCCURRENCES`, :data:`MAX_STORED_CHARS`, :data:`MAX_MEMOS`).

Whoosh decodes a posting block (zlib, pickle) and scores each posting through several method
calls every time a query reads it; here a term is decoded block by block once, scored in one
loop, and its ``(docnums, scores)`` kept for the next query holding that word.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar, cast

from whoosh.matching import FilterMatcher, Matcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.scoring import WeightLengthScorer
from whoosh.searching import Searcher

MAX_POSTINGS = 2_000_000
"""Postings kept decoded per state of the index (two Python lists, about 64 bytes a posting:
~130 MB at the limit, reached only on large corpora); past it the least recently searched terms are
dropped. The 608 man pages hold 214,000 postings in all (+8 MB of RSS for their 126,000 in
terms of 50 articles or more)."""
MAX_STORED_CHARS = 16_000_000
"""Characters of stored text kept per state of the index (the 608 man pages hold 6.2 million)."""
MAX_MEMOS = 1024
"""Values derived from the index kept per state of the index by :meth:`SearcherCache.memo`."""
MAX_OCCURRENCES = 500_000
"""Occurrences (position, character span) of terms in the candidates ranked and shown, kept per
searcher (about 120 bytes each: ~60 MB at the limit); past it they are all dropped and read
again as needed."""

T = TypeVar("T")

TermScores = tuple[list[int], list[float]]
"""A term's documents (global docnums, ascending) and its BM25F score in each, unboosted."""
Spans = list[tuple[int, int]]
Occurrences = list[tuple[int, int, int]]


class _Shared:
    """What the searchers of one state of the index have read, shared by the threads' searchers
    (plain data: each thread reads the index through its own searcher)."""

    def __init__(self) -> None:
        self.terms: OrderedDict[tuple[str, str], TermScores] = OrderedDict()
        self.postings = 0
        self.stored: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self.chars = 0
        self.spans: dict[tuple[str, str], dict[int, Occurrences]] = {}
        self.occurrence_count = 0
        self.memos: dict[Hashable, Any] = {}
        self.exact_counts: dict[tuple[str, str, str], dict[int, int]] = {}
        self.lock = threading.Lock()


class SearcherCache:
    """The decoded postings and stored fields read through one searcher (see the module), kept
    with those of every other thread's searcher on the same state of the index."""

    def __init__(self, searcher: Searcher, shared: _Shared | None = None) -> None:
        self._searcher = weakref.proxy(searcher)
        self._shared = shared if shared is not None else _Shared()
        self._lock = self._shared.lock

    @property
    def exact_counts(self) -> dict[tuple[str, str, str], dict[int, int]]:
        """Free for the ranking: occurrences of a word's exact form per article."""
        return self._shared.exact_counts

    def term_scores(self, fieldname: str, text: str) -> TermScores:
        """The documents holding ``text`` in ``fieldname`` and the term's BM25F score in each
        (the searcher's weighting, the boost of the query not applied)."""
        key = (fieldname, text)
        with self._lock:
            cached = self._shared.terms.get(key)
            if cached is not None:
                self._shared.terms.move_to_end(key)
                return cached
        found = _decode(self._searcher, fieldname, text)
        with self._lock:
            self._shared.terms[key] = found
            self._shared.postings += len(found[0])
            while self._shared.postings > MAX_POSTINGS and len(self._shared.terms) > 1:
                _, (dropped, _) = self._shared.terms.popitem(last=False)
                self._shared.postings -= len(dropped)
        return found

    def spans(self, fieldname: str, text: str, docnums: list[int]) -> dict[int, Spans]:
        """The ``(start, end)`` character offsets of each occurrence of the term ``text`` in
        ``fieldname`` of each of the sorted ``docnums`` (``[]`` where it does not occur or the
        field keeps no offsets), read from the postings once per article while they stay in
        the cache."""
        found = self._occurrences(fieldname, text, docnums)
        return {d: [(start, end) for _, start, end in found[d] if start >= 0] for d in docnums}

    def positions(self, fieldname: str, text: str, docnums: list[int]) -> dict[int, list[int]]:
        """The word positions of each occurrence of the term, as :meth:`spans`."""
        found = self._occurrences(fieldname, text, docnums)
        return {d: [pos for pos, _, _ in found[d]] for d in docnums}

    def _occurrences(self, fieldname: str, text: str, docnums: list[int]) -> dict[int, Occurrences]:
        """``(position, start, end)`` of each occurrence (start and end -1 when the field keeps
        positions only), per article of the sorted ``docnums``."""
        with self._lock:
            if self._shared.occurrence_count > MAX_OCCURRENCES:
                self._shared.spans.clear()
                self._shared.exact_counts.clear()
                self._shared.occurrence_count = 0
            known = self._shared.spans.setdefault((fieldname, text), {})
            missing = [d for d in docnums if d not in known]
        if missing:
            read = dict.fromkeys(missing, cast(Occurrences, []))
            format_ = self._searcher.schema[fieldname].format
            chars = format_.supports("characters")
            if chars or format_.supports("positions"):
                try:
                    matcher = self._searcher.postings(fieldname, text)
                except TermNotFound:
                    pass
                else:
                    for docnum in postings_at(matcher, missing):
                        if chars:
                            read[docnum] = list(matcher.value_as("characters"))
                        else:
                            read[docnum] = [(p, -1, -1) for p in matcher.value_as("positions")]
            with self._lock:
                known.update(read)
                self._shared.occurrence_count += len(read) + sum(map(len, read.values()))
        return {d: known[d] for d in docnums}

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, called once per state of the index for ``key`` (something a query
        derives from the index, e.g. the articles holding a word exactly as typed)."""
        with self._lock:
            if key in self._shared.memos:
                return cast(T, self._shared.memos[key])
        value = compute()
        with self._lock:
            if len(self._shared.memos) >= MAX_MEMOS:
                self._shared.memos.clear()
            self._shared.memos[key] = value
        return value

    def has_stored(self, docnum: int) -> bool:
        """True when the article's stored fields are in the cache: no decompression to read."""
        with self._lock:
            return docnum in self._shared.stored

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        """The article's stored fields, decompressed once while they stay in the cache."""
        with self._lock:
            fields = self._shared.stored.get(docnum)
            if fields is not None:
                self._shared.stored.move_to_end(docnum)
                return fields
        fields = self._searcher.stored_fields(docnum)
        size = sum(len(v) for v in fields.values() if isinstance(v, str))
        with self._lock:
            self._shared.stored[docnum] = fields
            self._shared.chars += size
            while self._shared.chars > MAX_STORED_CHARS and len(self._shared.stored) > 1:
                _, old = self._shared.stored.popitem(last=False)
                self._shared.chars -= sum(len(v) for v in old.values() if isinstance(v, str))
        return fields


_caches: weakref.WeakKeyDictionary[Searcher, SearcherCache] = weakref.WeakKeyDictionary()
_states: weakref.WeakValueDictionary[Hashable, _Shared] = weakref.WeakValueDictionary()
_caches_lock = threading.Lock()


def cache_of(searcher: Searcher) -> SearcherCache:
    """The cache of this searcher (made on first use, gone with the searcher), sharing what it
    reads with the searchers of other threads on the same state of the index: the app's
    threads each have a searcher, and kept a copy each (up to six times the memory, each cold
    on its first search). Gone with the last searcher of that state."""
    with _caches_lock:
        cache = _caches.get(searcher)
        if cache is None:
            key = state_key(searcher)
            shared = _states.get(key)
            if shared is None:
                shared = _states[key] = _Shared()
            cache = _caches[searcher] = SearcherCache(searcher, shared)
        return cache


def state_key(searcher: Searcher) -> Hashable:
    """What the decoded data depends on: the segments (each has a random id, and a commit that
    deletes documents in one changes its deleted count) and the scoring's parameters."""
    segments = tuple(
        (segment.segment_id(), segment.deleted_count())
        for sub, _ in searcher.leaf_searchers()
        for segment in [getattr(sub.reader(), "segment", lambda: None)()]
        if segment is not None  # (an index of an empty folder has no segment)
    )
    return segments, repr(sorted(vars(searcher.weighting).items()))


def postings_at(matcher: Matcher, docnums: list[int]) -> Iterator[int]:
    """Moves ``matcher`` to each of the sorted ``docnums`` it holds, yielding those: one pass
    over the postings, skipping what lies between."""
    for docnum in docnums:
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return
        if matcher.id() == docnum:
            yield docnum


def _decode(searcher: Searcher, fieldname: str, text: str) -> TermScores:
    docnums: list[int] = []
    scores: list[float] = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (fieldname, text) not in reader:
            continue
        scorer = sub.weighting.scorer(sub, fieldname, text)
        try:
            matcher = reader.postings(fieldname, text, scorer=scorer)
        except TermNotFound:
            continue
        if isinstance(scorer, WeightLengthScorer):
            ids, weights = _ids_and_weights(matcher, reader)
            score = scorer._score
            length = sub.doc_field_length
            docnums.extend(d + offset for d in ids)
            scores.extend(
                score(w, length(d, fieldname, 1)) for d, w in zip(ids, weights, strict=True)
            )
        else:  # another weighting model: its own per-posting scoring
            while matcher.is_active():
                docnums.append(matcher.id() + offset)
                scores.append(matcher.score())
                matcher.next()
    return docnums, scores


def _ids_and_weights(matcher: Matcher, reader: IndexReader) -> tuple[list[int], list[float]]:
    """The docnums and weights of a term's postings, read a block at a time from Whoosh's
    on-disk posting lists (one call per block instead of three per posting); deleted
    documents left out."""
    if isinstance(matcher, FilterMatcher):  # the reader's filter of deleted documents
        matcher = matcher.child
        matcher.reset()
    ids: list[int] = []
    weights: list[float] = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:  # postings inlined in the term info
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    if reader.has_deletions():
        kept = [(d, w) for d, w in zip(ids, weights, strict=True) if not reader.is_deleted(d)]
        ids, weights = [d for d, _ in kept], [w for _, w in kept]
    return ids, weights
