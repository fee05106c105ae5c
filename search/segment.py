"""A full build's segments, written from postings gathered in memory.

Whoosh's ``SegmentWriter`` puts every posting in a pool as a tuple, sorts the pool (spilling
sorted runs to disk past its memory limit), and then, for each posting, reads its document's
field length back from the segment's length column while its codec writes the blocks: on
French man pages that was 60 % of a build's time, more than the analysis. A full build does not
need it: documents arrive in order, so each term's postings arrive sorted by document. The
:class:`SegmentBuilder` keeps them per field and term in compact arrays, and at the end writes
the terms in order: stored fields, lengths and columns through Whoosh's per-document codec
writer, the terms' posting blocks and term infos in Whoosh's format by this module (a term at a
time, in one write; blocks under 512 bytes left uncompressed, which readers read by each
block's own flag). The result is a normal Whoosh segment that every reader opens unchanged:
byte for byte the stock writer's files when every block is compressed, the same postings read
back otherwise (``tests/test_segment.py``).

Memory stays bounded: past ``limitmb`` of buffered postings the segment is finished and a new
one begun, so a large corpus gives a few segments per worker instead of one.

Incremental updates (deletions, replacements, merges) keep Whoosh's own writer.
"""

from __future__ import annotations

import zlib
from array import array
from collections import deque
from collections.abc import Sequence
from itertools import chain, repeat
from operator import attrgetter, sub
from pickle import dumps
from typing import Any

from whoosh.codec import default_codec
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.filedb.filetables import _lengths as _KEY_VALUE_LENGTHS
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

_TERM_BYTES = 240
"""Estimated memory of a term's buffer before its first posting (dict entry, arrays, key)."""
_POSTING_BYTES = 14
_TERM_INFO = W3TermInfo._struct
"""A term info's fixed part (``W3TermInfo.to_bytes``), before its postings' offset and size."""
"""Estimated memory of one posting besides its value bytes (document number, weight, offset)."""


_DOCS, _WEIGHTS, _VALUES, _ENDS = map(attrgetter, ("docs", "weights", "values", "ends"))
_consume = deque(maxlen=0).extend
"""Runs an iterator to its end in C (the map of appends above)."""


class _Postings:
    """One term's postings in a segment being built: parallel arrays, values concatenated."""

    __slots__ = ("docs", "ends", "values", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.ends = array("I")  # where each posting's value ends in ``values``
        self.values = bytearray()


class SegmentBuilder:
    """Adds documents to new segments of the index in ``storage`` (not listed in its TOC: the
    caller commits them). Use :meth:`add_document` like Whoosh's writer, then :meth:`finish`
    for the segments written, or :meth:`cancel`."""

    def __init__(self, storage: Storage, indexname: str, schema: Schema, *, limitmb: float) -> None:
        for name, field in schema.items():
            if field.separate_spelling() or field.vector:
                raise ValueError(f"field {name!r}: spelling and vectors are not supported")
        self.schema = schema
        self._storage = storage
        self._indexname = indexname
        self._codec = default_codec()
        self._limit = limitmb * 1024 * 1024
        self._finished: list[Segment] = []
        self._segment: Segment | None = None

    def add_document(self, **fields: Any) -> None:
        """Add one document, as ``IndexWriter.add_document`` does (``_stored_<name>`` gives a
        field's stored value; boosts are not supported)."""
        if self._segment is None:
            self._begin()
        schema = self.schema
        perdoc = self._perdoc
        docnum = self._docnum
        perdoc.start_doc(docnum)
        for name in sorted(n for n in fields if not n.startswith("_")):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                terms = self._terms.setdefault(name, {})
                texts, freqs, weights, values = _postings_of(field, value)
                if texts:
                    frequency = self._add_postings(terms, docnum, texts, freqs, weights, values)
                    length = frequency if field.scorable else 0
                if length:
                    lengths = self._lengths.setdefault(name, array("B"))
                    lengths.extend(bytes(docnum - len(lengths)))  # 0: documents without it
                    lengths.append(length_to_byte(length))
            stored = fields.get(f"_stored_{name}", value)
            perdoc.add_field(name, field, stored if field.stored else None, length)
            column = field.column_type
            if column and stored is not None:
                perdoc.add_column_value(name, column, field.to_column_value(stored))
        perdoc.finish_doc()
        self._docnum += 1
        if self._bytes > self._limit:
            self._finish_segment()

    def _add_postings(
        self,
        terms: dict[bytes, _Postings],
        docnum: int,
        texts: Sequence[bytes],
        freqs: Sequence[int],
        weights: Sequence[float],
        values: Sequence[bytes | None],
    ) -> int:
        """Append one document's postings (terms, frequencies, weights, values) of a field to
        their terms' buffers, with no Python loop per posting (``map`` over bound appends);
        returns the field's length in the document (its total frequency)."""
        new = set(texts).difference(terms)
        for text in new:
            terms[text] = _Postings()
        postings = list(map(terms.__getitem__, texts))
        if None in values:
            values = tuple(value or b"" for value in values)
        _consume(map(array.append, map(_DOCS, postings), repeat(docnum)))
        _consume(map(array.append, map(_WEIGHTS, postings), weights))
        buffers = list(map(_VALUES, postings))
        _consume(map(bytearray.extend, buffers, values))
        _consume(map(array.append, map(_ENDS, postings), map(len, buffers)))
        self._bytes += (
            _TERM_BYTES * len(new)
            + sum(map(len, new))
            + _POSTING_BYTES * len(texts)
            + sum(map(len, values))
        )
        return sum(freqs)

    def finish(self) -> list[Segment]:
        """Write what is buffered; the segments written, in the order of their documents."""
        if self._segment is not None:
            self._finish_segment()
        return self._finished

    def cancel(self) -> None:
        """Close the files of the segment being built (the caller discards the folder)."""
        if self._segment is not None:
            if not self._perdoc.is_closed:
                self._perdoc.close()
            self._segment = None

    def _begin(self) -> None:
        segment = self._codec.new_segment(self._storage, self._indexname)
        self._segment = segment
        self._perdoc = self._codec.per_document_writer(self._storage, segment)
        self._terms: dict[str, dict[bytes, _Postings]] = {}
        self._lengths: dict[str, array[int]] = {}
        self._docnum = 0
        self._bytes = 0

    def _finish_segment(self) -> None:
        segment = self._segment
        assert segment is not None
        self._perdoc.close()
        fields = self._codec.field_writer(self._storage, segment)
        for name in sorted(self._terms):
            terms = self._terms.pop(name)
            if not terms:  # no posting in this segment: Whoosh's writer never starts the field
                continue
            lengths = self._lengths.get(name, array("B"))
            lengths.extend(bytes(self._docnum - len(lengths)))
            _write_field(fields, name, self.schema[name], terms, lengths)
        fields.close()
        segment.set_doc_count(self._docnum)
        if segment.should_assemble():
            segment.create_compound_file(self._storage)
        self._finished.append(segment)
        self._segment = None


def _postings_of(field: Any, value: Any) -> tuple[Sequence[Any], ...]:
    """What ``field.index(value)`` yields, ``(term as UTF-8, frequency, weight, value)`` per
    term, as four columns: from the format's ``index_columns`` when it has one (no generator
    step per term: :class:`search.schema.FrenchCharacters`), else transposed."""
    direct = getattr(field.format, "index_columns", None)
    if direct is not None and isinstance(value, str):
        columns = direct(value, field.analyzer)
        if columns is not None:
            return columns
    items = list(field.index(value))
    return tuple(zip(*items, strict=True)) if items else ((), (), (), ())


COMPRESS_AT = 512
"""Posting blocks whose pickle is shorter than this are written uncompressed (readers read a
block's compression from the block): deflate gains nothing on the short blocks most terms have
and cost a quarter of its time on man pages. Whoosh meant to skip blocks under 20 bytes (its
``_write_block`` overwrites that choice). Postings are 4 % larger."""


def _write_field(
    fields: Any, name: str, field: Any, terms: dict[bytes, _Postings], lengths: array[int]
) -> None:
    """Write one field's terms in order in the postings and terms files of Whoosh's field
    writer ``fields``: the blocks of ``W3PostingsWriter`` (a term's postings by blocks of
    ``blocklimit``, each a pickle of its gap-coded ids, weights and values after a pickle of its
    statistics), the term info ``W3TermInfo.to_bytes`` packs and the record
    ``OrderedHashWriter.add`` writes of it, a term at a time in one write each, without a call
    per posting nor a TermInfo object per term."""
    fields.start_field(name, field)
    blocklimit, level = fields._codec._blocklimit, fields._codec._compression
    fixed = field.format.fixed_value_size()
    postfile = fields._postfile
    offset = postfile.tell()
    write_postings = postfile.write
    tindex = fields._tindex  # an OrderedHashWriter: what its add() does, per term
    termfile = tindex.dbfile
    position = termfile.tell()
    write_term = termfile.write
    index_position = tindex.index.append
    buckets = tindex.buckets
    hashed = tindex.hashfn
    prefix = pack_ushort(fields._fieldid)
    length_bytes = lengths.__getitem__
    key = b""
    for tbytes in sorted(terms):
        postings = terms.pop(tbytes)
        docs, weights, ends, values = (
            postings.docs,
            postings.weights,
            postings.ends,
            postings.values,
        )
        count = len(docs)
        chunks = [WHOOSH3_HEADER_MAGIC]
        size = len(WHOOSH3_HEADER_MAGIC)
        # what W3TermInfo gathers of the blocks (add_block)
        weight = 0.0
        minlength: int | None = None
        maxlength = 0
        maxweight = 0.0
        for first in range(0, count, blocklimit):
            last = min(first + blocklimit, count)
            ids, block_weights, block_ends = docs[first:last], weights[first:last], ends[first:last]
            n = last - first
            begin = ends[first - 1] if first else 0
            block_values = [
                bytes(values[start:end])
                for start, end in zip(chain((begin,), block_ends), block_ends, strict=False)
                if end != start
            ]
            if block_weights.count(1.0) == n:
                mini_weights: Any = None
            elif block_weights.count(block_weights[0]) == n:
                mini_weights = block_weights[0]
            else:
                mini_weights = tuple(block_weights)
            if fixed is None or fixed < 0:
                mini_values: Any = tuple(block_values)
            elif fixed == 0:
                mini_values = None
            else:
                mini_values = b"".join(block_values)
            data = dumps((tuple(map(sub, ids, chain((0,), ids))), mini_weights, mini_values), 2)
            compression = level if len(data) >= COMPRESS_AT else 0
            if compression:
                data = zlib.compress(data, compression)
            # the documents' lengths as Whoosh's writer reads them back (one byte each, 0 for
            # none): byte_to_length is increasing, so the extreme bytes give the extremes
            block_bytes = bytes(map(length_bytes, ids))
            present = block_bytes.replace(b"\0", b"") if 0 in block_bytes else block_bytes
            min_byte = min(present) if present else 0
            max_byte = max(block_bytes)
            block_maxweight = max(0, max(block_weights))
            stats = dumps((n, ids[-1], block_maxweight, compression, min_byte, max_byte), 2)
            blocklength = len(stats) + len(data)
            chunks += (pack_int(-blocklength if last == count else blocklength), stats, data)
            size += 4 + blocklength
            weight += sum(block_weights)
            if present:
                block_min = byte_to_length(min_byte)
                minlength = block_min if minlength is None else min(minlength, block_min)
            maxlength = max(maxlength, byte_to_length(max_byte) if max_byte else 0)
            maxweight = max(maxweight, block_maxweight)
        write_postings(b"".join(chunks))
        info = _TERM_INFO.pack(
            False,
            weight,
            count,
            0 if minlength is None else length_to_byte(minlength),
            length_to_byte(maxlength),
            maxweight,
            docs[0],
            docs[-1],
        )
        info += pack_long(offset) + pack_int(size)
        offset += size
        key = prefix + tbytes
        index_position(position)
        buckets_hash = hashed(key)
        buckets[buckets_hash & 255].append((buckets_hash, position))
        record = _KEY_VALUE_LENGTHS.pack(len(key), len(info)) + key + info
        write_term(record)
        position += len(record)
    if key:
        tindex.lastkey = key
    fields.finish_field()
