"""Whoosh's segment files read in place, not copied into memory each time an index is opened.

A segment is one compound file that Whoosh maps into memory (``mmap``) and cuts into its parts
(terms, postings, stored fields, columns). Each part is a ``BufferFile`` over a ``memoryview`` of
the map, but ``BufferFile`` also wraps that view in a ``BytesIO`` for its ``read``/``seek``
methods, and ``BytesIO`` copies what it is given: opening a searcher copied every part it
opened, the postings included, about the size of the whole segment (14 MB for the 608 man
pages: 10 ms of every cold ``fouille search``, and 14 MB more for each thread's searcher in the
app). :class:`InPlaceFile` gives the same reads from the view itself.

:func:`install` makes the compound storage build its parts with it (once per process; the
package does it on import, before any index is opened).
"""

from __future__ import annotations

import os
from typing import Any

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class _ViewReader:
    """A read-only file over a buffer, reading from it without copying it first (what
    ``BytesIO`` does): ``read``, ``readline``, ``seek`` and ``tell``, as pickle and Whoosh's
    ``StructFile`` use them."""

    def __init__(self, buf: memoryview) -> None:
        self._buf = buf
        self._pos = 0
        self._end = len(buf)

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        if start >= self._end:
            return b""
        end = self._end if size is None or size < 0 else min(start + size, self._end)
        self._pos = end
        return bytes(self._buf[start:end])

    def readline(self, size: int | None = -1) -> bytes:
        start = self._pos
        if start >= self._end:
            return b""
        limit = self._end if size is None or size < 0 else min(start + size, self._end)
        # a memoryview has no find(): look for the newline in chunks of the view
        end = start
        while end < limit:
            chunk = bytes(self._buf[end : min(end + 256, limit)])
            found = chunk.find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end += len(chunk)
        self._pos = end
        return bytes(self._buf[start:end])

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET:
            pos = offset
        elif whence == os.SEEK_CUR:
            pos = self._pos + offset
        elif whence == os.SEEK_END:
            pos = self._end + offset
        else:
            raise ValueError(f"invalid whence ({whence})")
        if pos < 0:
            raise ValueError(f"negative seek position {pos}")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        pass


class InPlaceFile(BufferFile):
    """Whoosh's ``BufferFile`` (positional reads from the buffer, ``subset``, arrays), its
    file-like reads served from the same buffer instead of a copy of it."""

    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        super().__init__(b"", name=name, onclose=onclose)  # no copy of an empty buffer
        self._buf = buf
        self.file = _ViewReader(memoryview(buf))


def install() -> None:
    """Make Whoosh's compound storage open the parts of a segment with :class:`InPlaceFile`."""
    compound.BufferFile = InPlaceFile  # type: ignore[attr-defined]
