"""Following the corpus folder: an incremental update after each burst of file changes.

Used by the app (in a thread) and by ``fouille index --watch`` (in the main thread). The file
events come from watchfiles (inotify on Linux, FSEvents on macOS; the README says why watchfiles
rather than watchdog). It groups them: a batch ends after ``QUIET_MS`` without a new event, or
``BATCH_MS`` after its first one, so a burst of 500 files costs one or a few updates, not 500.

There is never more than one writer: every update goes through :meth:`Engine.update`, which
waits for the engine's own run under way in another thread (the app's Ctrl+R), then takes the
index's write lock or raises IndexLockedError at once. When another process holds it
(``fouille index`` in a terminal, another app), the batch stays pending and is tried again
every ``RETRY_MS`` until the lock is free. An update finds what changed by comparing the folder
with the index (not from the events), so a lost or doubled event cannot make the index wrong.

watchfiles is imported only when watching starts: ``fouille search`` never pays for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from search.engine import Engine
from search.errors import FouilleError, IndexingCancelled, IndexLockedError
from search.models import IndexReport

QUIET_MS = 100
"""A batch of events ends after this long without a new one..."""
BATCH_MS = 500
"""...or this long after it started, whichever comes first (the update lands within ~1 s)."""
RETRY_MS = 500
"""How often a pending batch is retried while another writer holds the index."""

UpdateCallback = Callable[[IndexReport], None]
ErrorCallback = Callable[[FouilleError], None]


def change_note(report: IndexReport) -> str:
    """What an update changed, for people: "2 articles added, 1 updated" ("" when nothing).

    >>> change_note(IndexReport(added=2, updated=1))
    '2 articles added, 1 updated'
    >>> change_note(IndexReport(removed=1))
    '1 article removed'
    """
    counts = [(report.added, "added"), (report.updated, "updated"), (report.removed, "removed")]
    parts = [f"{count} {what}" for count, what in counts if count]
    if not parts:
        return ""
    first = next(count for count, _ in counts if count)
    parts[0] = parts[0].replace(" ", " article " if first == 1 else " articles ", 1)
    return ", ".join(parts)


class _StopEvent:
    """The ``is_set()`` that watchfiles polls, over any stop check."""

    def __init__(self, should_stop: Callable[[], bool]) -> None:
        self.should_stop = should_stop

    def is_set(self) -> bool:
        return self.should_stop()


class FolderWatch:
    """Apply an incremental update to ``engine``'s index after each batch of changes in its
    corpus folder, until ``should_stop`` returns True."""

    def __init__(
        self,
        engine: Engine,
        *,
        on_update: UpdateCallback,
        on_error: ErrorCallback | None = None,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.engine = engine
        self.on_update = on_update
        self.on_error = on_error
        self.on_ready = on_ready
        self.updates = 0  # how many updates wrote something (tests and the CLI read it)
        self._index = os.path.realpath(engine.index_dir)

    def relevant(self, _change: object, path: str) -> bool:
        """Events worth an update: not in the index folder (when it lives inside the corpus),
        not under a name starting with "." (hidden files, editors' swap files)."""
        real = os.path.realpath(path)
        if real == self._index or real.startswith(self._index + os.sep):
            return False
        relative = os.path.relpath(path, self.engine.corpus)
        return not any(part.startswith(".") for part in Path(relative).parts)

    def run(self, should_stop: Callable[[], bool]) -> None:
        """Watch until ``should_stop()``; blocks (run it in a thread, or the CLI's main thread).

        The folder is brought up to date first (what changed while nobody watched), then after
        every batch of events. Raises CorpusError when the folder cannot be watched; other
        errors of an update go to ``on_error`` and the watch goes on."""
        from watchfiles import watch  # ~100 ms to import: only the watching commands pay it

        stop = _StopEvent(should_stop)
        pending = True  # catch up with changes made before the watch started
        events = watch(
            self.engine.corpus,
            watch_filter=self.relevant,
            debounce=BATCH_MS,
            step=QUIET_MS,
            stop_event=stop,
            rust_timeout=RETRY_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        ready = False
        for batch in events:  # the first comes after RETRY_MS at most: the watch is set up
            pending = pending or bool(batch)
            if pending and not should_stop():
                pending = not self._update(should_stop)
            if not ready and not pending:
                ready = True
                if self.on_ready is not None:
                    self.on_ready()

    def _update(self, should_stop: Callable[[], bool]) -> bool:
        """One update; False when it must be tried again (another writer holds the index)."""
        try:
            report = self.engine.update(should_stop=should_stop)
        except IndexLockedError:
            return False
        except IndexingCancelled:
            return True  # stopping: the update was abandoned, the index is unchanged
        except FouilleError as error:
            if self.on_error is not None:
                self.on_error(error)
            return True
        if report.changed or report.full:
            self.updates += 1
            self.on_update(report)
        return True
