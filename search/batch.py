"""``fouille search --batch``: many queries, one engine, one JSON line per query.

Scripts that loop over ``fouille search`` pay the interpreter, the imports and the index opening
for every query; a batch pays them once. Line N of the output answers line N of the input,
always: an empty line, a line too long to be a query or a query the engine refuses gets an
error object on its line (with the exit code a single ``fouille search`` would have given), and
the batch goes on. A line is read with a bounded buffer, so a multi-megabyte line costs no more
memory than a short one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from search.errors import ExitCode, FouilleError, QueryError
from search.models import SearchResult
from search.query import refuse_empty

MAX_LINE_BYTES = 64 * 1024
"""A line longer than this is not read into memory: it is answered with an error object (the
query parser refuses anything over ``search.query.MAX_QUERY_CHARS`` characters anyway)."""
ECHO_CHARS = 200
"""How much of a refused line the error object quotes back."""

Search = Callable[[str], SearchResult]


def read_queries(stream: BinaryIO) -> Iterator[tuple[str, bool]]:
    """Each line of ``stream`` as ``(text, too_long)``, without its line ending.

    Bytes that are not UTF-8 are replaced (U+FFFD). A line longer than MAX_LINE_BYTES yields its
    first MAX_LINE_BYTES bytes and ``too_long=True``; the rest of it is skipped in chunks."""
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        too_long = len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n")
        if too_long:
            while True:  # skip to the end of this line without holding it
                rest = stream.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
        text = raw.decode("utf-8", "replace").removesuffix("\n").removesuffix("\r")
        yield text, too_long


def answer(search: Search, text: str, too_long: bool = False) -> tuple[dict[str, Any], int]:
    """The JSON object for one line and its exit code: the ``--json`` object of the search
    (0 with hits, 1 without), or ``{"query", "error", "exit_code", "took_ms"}``."""
    start = time.perf_counter()
    try:
        if too_long:
            raise QueryError(
                f"query line longer than {MAX_LINE_BYTES} bytes",
                hint="one query per line",
            )
        refuse_empty(text)
        result = search(text)
    except FouilleError as error:
        return _error(text, str(error), error.exit_code, start), error.exit_code
    except Exception as error:  # one broken query must not lose the answers to the others
        message = f"unexpected {type(error).__name__}: {error}"
        return _error(text, message, ExitCode.INDEX, start), ExitCode.INDEX
    code = ExitCode.OK if result.hits else ExitCode.NO_HITS
    return result.to_json(), code


def _error(text: str, message: str, code: int, start: float) -> dict[str, Any]:
    echo = text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"
    return {
        "query": echo,
        "error": message,
        "exit_code": int(code),
        "took_ms": round((time.perf_counter() - start) * 1000, 2),
    }
