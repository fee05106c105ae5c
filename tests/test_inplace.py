"""Opening an index reads its segment files in place (search/inplace.py): no copy of each part
of a segment per searcher, and the same bytes as Whoosh's own reads."""

from __future__ import annotations

import io
import os
import pickle
import tracemalloc

from search import health
from search.engine import Engine
from search.inplace import InPlaceFile


def _parts(engine: Engine):  # the compound storage of the live generation's first segment
    pointer = engine._pointer()
    assert pointer is not None
    ix = health.open_generation(engine.index_dir, pointer.generation)
    storage = ix._segments()[0].open_compound_file(ix.storage)
    return ix, storage


def test_opening_a_segment_part_does_not_copy_it(engine: Engine) -> None:
    """Whoosh's BufferFile wrapped each part in a BytesIO, a copy of the part: a searcher
    copied about its whole segment (14 MB for the 608 man pages) each time it was opened."""
    ix, storage = _parts(engine)
    try:
        name = max(storage.list(), key=storage.file_length)
        size = storage.file_length(name)
        assert size > 20_000  # the postings of the seeds: big enough to tell a copy
        tracemalloc.start()
        try:
            part = storage.open_file(name)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < size // 10
        assert isinstance(part, InPlaceFile)
        part.close()
    finally:
        storage.close()
        ix.close()


def test_a_part_reads_as_whoosh_read_it() -> None:
    data = b"line one\nline two\n" + pickle.dumps({"k": [1, 2, 3]}) + b"tail"
    mine, theirs = InPlaceFile(memoryview(data)), io.BytesIO(data)
    for f in (mine, theirs):
        f.seek(0)
    assert mine.readline() == theirs.readline()
    assert mine.read(4) == theirs.read(4)
    assert mine.tell() == theirs.tell()
    assert mine.readline() == theirs.readline()
    assert mine.read_pickle() == pickle.load(theirs)
    assert mine.read() == theirs.read() == b"tail"
    assert mine.read(3) == theirs.read(3) == b""
    assert mine.readline() == b""
    assert mine.seek(-4, os.SEEK_END) == theirs.seek(-4, os.SEEK_END)
    assert mine.read(100) == theirs.read(100)
    mine.seek(2)
    mine.seek(3, os.SEEK_CUR)
    assert mine.read(3) == data[5:8]
    assert mine.get(9, 8) == b"line two"
    assert mine.get_int(0) == int.from_bytes(data[:4], "big", signed=True)
    long_line = b"x" * 1000 + b"\nrest"
    assert InPlaceFile(memoryview(long_line)).readline() == long_line[:1001]
