"""Is the index behind its corpus folder? A cheap answer for every ``fouille search``.

Each successful index update (full or incremental, with or without changes) stamps the index
folder with the time its corpus scan *started*: whatever changed in the folder after that may
be missing from the index. A file added, deleted, renamed or moved in changes its folder's
``mtime``, and so does a file saved the way most editors and ``cp``/``rsync`` save (a new file
renamed over the old one); a folder made, removed or renamed changes its parent's. So the check
looks at the corpus's folders and stops at the first one modified after the stamp.

The stamp also records the corpus's folders as the update left them (:func:`mark_scanned`),
and the check reads the ``stat`` of those alone: a change anywhere changes the ``mtime`` of one
of them (the folder it happened in, or the recorded ancestor of a folder made since), and a
recorded folder gone counts as a change. Without a record (an index stamped by an older
version, a record that cannot be read) the check walks the folders instead, listing each one
(:func:`changed_since`). Neither reads the ``stat`` of a file: on 100,000 files in one folder
the walk costs 55 ms of CPU (it lists them all) and the recorded check one ``stat``; on 1,000
folders of 100 files, 56 ms against 1,000 ``stat`` calls. A ``stat`` of every file (which would
also catch a file rewritten in place, the one change this check misses) took 290 ms
(``bench/watch_cost.py``). A file rewritten in place is still found by ``fouille search
--refresh``, ``fouille index`` and the watchers (``fouille index --watch``, the app), which
compare every file or receive its events.

It may say "changed" for a change the index ignores (a ``.pdf`` added beside the articles):
the next update finds nothing to do but stamps the index again, which ends the note.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

STAMP = "scanned-at"
"""A file in the index folder whose ``mtime`` is the start of the last successful update, and
whose content (JSON: ``{"folders": [...]}``) lists the corpus's folders at that update, relative
to the corpus (``"."`` for the corpus itself)."""


def scan_started() -> int:
    """The time to stamp when an update finishes: take it before the update scans the corpus."""
    return time.time_ns()


def mark_scanned(index_dir: Path, started_ns: int, corpus: Path | None = None) -> None:
    """Record that the index holds the corpus as it was at ``started_ns``, and the folders of
    ``corpus`` now (a folder changed since the scan started has a later ``mtime`` anyway). Best
    effort: an index folder that cannot be written to only loses the "folder changed" note."""
    stamp = Path(index_dir) / STAMP
    record = b""
    if corpus is not None:
        found = [folder for folder, info in _folders(corpus, skip=index_dir) if info is not None]
        if found and found[0] == os.fspath(corpus):  # without the corpus itself, no record
            relative = [os.path.relpath(folder, corpus) for folder in found]
            record = json.dumps({"folders": relative}).encode("ascii")
    with contextlib.suppress(OSError):
        stamp.write_bytes(record)  # read while written: no record, the check walks instead
        os.utime(stamp, ns=(started_ns, started_ns))


def scanned_ns(index_dir: Path) -> int | None:
    """When the last successful update started scanning, or None if never recorded."""
    try:
        return (Path(index_dir) / STAMP).stat().st_mtime_ns
    except OSError:
        return None


def recorded_folders(index_dir: Path) -> list[str] | None:
    """The corpus's folders the last update recorded (relative paths), or None when there is
    no sound record. The record is data: paths inside the corpus only."""
    try:
        data = json.loads((Path(index_dir) / STAMP).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    folders = data.get("folders") if isinstance(data, dict) else None
    if not isinstance(folders, list) or not folders:
        return None
    for folder in folders:
        if not isinstance(folder, str) or os.path.isabs(folder) or ".." in folder.split(os.sep):
            return None
    return folders


def _folders(
    corpus: Path, *, skip: Path | None = None
) -> Iterator[tuple[str, os.stat_result | None]]:
    """The folders under ``corpus`` (itself first), each with its ``stat`` (None when it cannot
    be read: gone, or unreadable), listed one at a time as the caller goes on. Walks like the
    corpus scan: names starting with "." are skipped, symlinked folders are followed once, and
    the folder ``skip`` (an index kept inside its corpus) is left out."""
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
        except OSError:
            yield folder, None
            continue
        if (info.st_dev, info.st_ino) in visited:
            continue
        visited.add((info.st_dev, info.st_ino))
        yield folder, info
        try:
            with os.scandir(folder) as entries:
                pending.extend(
                    entry.path
                    for entry in entries
                    if not entry.name.startswith(".") and entry.is_dir()
                )
        except OSError:
            yield folder, None


def changed_since(corpus: Path, since_ns: int, *, skip: Path | None = None) -> bool:
    """True when a folder under ``corpus`` (itself included) was modified after ``since_ns``,
    or cannot be read (gone or unreadable since: the next update will say what happened); the
    folder ``skip`` (an index kept inside its corpus) is not looked at. Lists every folder,
    stops at the first change and builds nothing."""
    return any(
        info is None or info.st_mtime_ns > since_ns for _, info in _folders(corpus, skip=skip)
    )


def index_behind(corpus: Path, index_dir: Path) -> bool:
    """True when the corpus folder changed since the index was last updated (False when that
    time was never recorded: an index from an older version says nothing rather than guess).
    One ``stat`` per recorded folder; a walk of the folders when none are recorded."""
    since = scanned_ns(index_dir)
    if since is None:
        return False
    folders = recorded_folders(index_dir)
    if folders is None:
        return changed_since(corpus, since, skip=index_dir)
    for folder in folders:
        try:
            if os.stat(os.path.join(corpus, folder)).st_mtime_ns > since:
                return True
        except OSError:
            return True
    return False
