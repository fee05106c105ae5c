"""A one-line progress bar on stderr for ``fouille index`` and the first search's build.

Drawn only when the stream is a terminal: in a log file or a pipe a ``\\r``-animated line is
noise, so :func:`progress_for` returns None there and the engine skips the callbacks.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from typing import TextIO

from search.models import Progress
from search.render import one_line

BAR_WIDTH = 30
MIN_INTERVAL = 0.05  # seconds between redraws: a terminal write per file would slow small files


class ProgressBar:
    """Callable given to the engine: draws ``[#####.....] 123/600 current-id`` in place."""

    def __init__(self, stream: TextIO, *, width: int | None = None) -> None:
        self.stream = stream
        self.width = width  # the terminal width; None asks the terminal at each redraw
        self.drawn = False
        self._last = 0.0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        finished = progress.total and progress.done >= progress.total
        if self.drawn and not finished and now - self._last < MIN_INTERVAL:
            return
        self._last = now
        self.stream.write("\r" + self.line(progress) + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def line(self, progress: Progress) -> str:
        """The bar text, cut to fit the terminal so it never wraps (a wrapped line can't be
        redrawn with ``\\r``)."""
        total = max(progress.total, 0)
        done = min(max(progress.done, 0), total) if total else 0
        filled = BAR_WIDTH * done // total if total else 0
        text = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"
        if progress.current:
            text += f" {one_line(progress.current)}"
        columns = self.width or shutil.get_terminal_size((80, 24)).columns
        return text[: max(columns - 1, 1)]

    def clear(self) -> None:
        """Erase the bar so the summary that follows starts on a clean line."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


def progress_for(stream: TextIO) -> ProgressBar | None:
    """A bar on ``stream`` when it is a terminal, else None (no progress output at all)."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError, OSError):
        tty = False
    return ProgressBar(stream) if tty else None


@contextlib.contextmanager
def progress_bar(stream: TextIO) -> Iterator[ProgressBar | None]:
    """:func:`progress_for` ``stream``, erased when the block ends however it ends, so what
    follows (a summary, an error) starts on a clean line."""
    bar = progress_for(stream)
    try:
        yield bar
    finally:
        if bar is not None:
            bar.clear()
