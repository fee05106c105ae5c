"""The query history kept between sessions, one query per line, next to the index.

The file lives in the index folder (the engine only ever prunes its own ``gen-*`` folders
there). History is a convenience: a missing, unreadable or unwritable file means starting with
an empty history, never an error in the middle of a search.
"""

from __future__ import annotations

import os
from pathlib import Path

from search.safety import blank_unsafe

FILE_NAME = "tui-history.txt"
HISTORY_SIZE = 100


def load_history(path: Path) -> list[str]:
    """The saved queries, oldest first (control characters made inert, blanks dropped)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    queries = [blank_unsafe(line).strip() for line in text.splitlines()]
    return [query for query in queries if query][-HISTORY_SIZE:]


def save_history(path: Path, queries: list[str]) -> bool:
    """Write the queries atomically; False when the folder is missing or read-only."""
    if not path.parent.is_dir():
        return False  # the index folder is the engine's to create
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    lines = [blank_unsafe(query).strip() for query in queries[-HISTORY_SIZE:]]
    try:
        tmp.write_text("".join(f"{line}\n" for line in lines if line), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True
