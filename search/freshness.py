"""Is the index behind its corpus folder? A cheap answer for every ``fouille search``.

Each successful index update (full or incremental, with or without changes) stamps the index
folder with the time its corpus scan *started*: whatever changed in the folder after that may
be missing from the index. The check walks the corpus's folders and stops at the first one
modified after the stamp. A file added, deleted, renamed or moved in changes its folder's
``mtime``, and so does a file saved the way most editors and ``cp``/``rsync`` save (a new file
renamed over the old one).

It costs one ``stat`` per folder and the listing of each folder, never a ``stat`` per file: 51 ms
of CPU for 100,000 files in 1,000 folders, where a ``stat`` of every file (which would also
catch a file rewritten in place, the one change this check misses) took 290 ms
(``bench/watch_cost.py``). A file rewritten in place is still found by ``fouille search
--refresh``, ``fouille index`` and the watchers (``fouille index --watch``, the app), which
compare every file or receive its events.

It may say "changed" for a change the index ignores (a ``.pdf`` added beside the articles):
the next update finds nothing to do but stamps the index again, which ends the note.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

STAMP = "scanned-at"
"""A file in the index folder whose ``mtime`` is the start of the last successful update."""


def scan_started() -> int:
    """The time to stamp when an update finishes: take it before the update scans the corpus."""
    return time.time_ns()


def mark_scanned(index_dir: Path, started_ns: int) -> None:
    """Record that the index holds the corpus as it was at ``started_ns``. Best effort: an index
    folder that cannot be written to only loses the "folder changed" note."""
    stamp = Path(index_dir) / STAMP
    with contextlib.suppress(OSError):
        stamp.touch()
        os.utime(stamp, ns=(started_ns, started_ns))


def scanned_ns(index_dir: Path) -> int | None:
    """When the last successful update started scanning, or None if never recorded."""
    try:
        return (Path(index_dir) / STAMP).stat().st_mtime_ns
    except OSError:
        return None


def changed_since(corpus: Path, since_ns: int, *, skip: Path | None = None) -> bool:
    """True when a folder under ``corpus`` (itself included) was modified after ``since_ns``;
    the folder ``skip`` (an index kept inside its corpus) is not looked at.

    Walks like the corpus scan (names starting with "." are skipped, symlinked folders are
    followed once) but stops at the first change and builds nothing."""
    visited: set[tuple[int, int]] = set()
    if skip is not None:
        with contextlib.suppress(OSError):
            info = os.stat(skip)
            visited.add((info.st_dev, info.st_ino))
    pending = [os.fspath(corpus)]
    while pending:
        folder = pending.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in visited:
                continue
            visited.add((info.st_dev, info.st_ino))
            if info.st_mtime_ns > since_ns:
                return True
            with os.scandir(folder) as entries:
                pending.extend(
                    entry.path
                    for entry in entries
                    if not entry.name.startswith(".") and entry.is_dir()
                )
        except OSError:
            return True  # gone or unreadable since: the next update will say what happened
    return False


def index_behind(corpus: Path, index_dir: Path) -> bool:
    """True when the corpus folder changed since the index was last updated (False when that
    time was never recorded: an index from an older version says nothing rather than guess)."""
    since = scanned_ns(index_dir)
    return since is not None and changed_since(corpus, since, skip=index_dir)
