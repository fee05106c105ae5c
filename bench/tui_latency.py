"""TUI keystroke-to-results time, driven by Textual's Pilot (headless, in-process).

For each query all keys but the last are put in the query box at once (as a paste), and that
partial query's search is left to finish and be drawn, as after a typist's pause. The last key
is sent to the app the way the terminal driver sends one, and the clock runs from there until
the first frame that shows the whole query's result: the hit list holds it and the reader shows
the first hit with that query's words lit. The app's typing pause (debounce) is included, as a
user sees it.

Two things the clock must not include, and used to: Pilot's ``press`` returns only once the app
has been idle for at least two 20 ms samples (``textual._wait.wait_for_idle``), so a clock read
after it adds 40 ms or more; and polling ``screen.result`` stops the clock before the frame
that shows it is drawn (the hit list, the reader and the layout come after). Here the clock stops
in the frame itself: the screen's compositor hands each frame to ``App._display``, which a
headless app skips; the benchmark turns it into the terminal's bytes as a real terminal's driver
would (``render_segments``), so drawing is counted too.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

TIMEOUT = 10.0  # seconds to wait for one query's frame before giving up on the run


def _key_event(char: str) -> Any:
    """The Key event the terminal driver would send for ``char`` (what Pilot sends, too)."""
    from textual import events
    from textual.keys import _character_to_key

    key = "space" if char == " " else (char if char.isalnum() else _character_to_key(char))
    return events.Key(key, char)


async def _measure(corpus: Path, index_dir: Path, queries: list[str]) -> dict[str, float]:
    from textual._compositor import CompositorUpdate

    from tui.app import create_app  # the benchmark's only Textual import, kept local

    app = create_app(corpus, index_dir, watch=False)
    times: list[float] = []
    pauses: list[float] = []
    searches: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        expected: str | None = None
        painted = asyncio.Event()
        painted_at = 0.0
        display = app._display

        def shows(query: str) -> bool:
            result = getattr(screen, "result", None)
            if result is None or result.query != query or not result.hits:
                return False
            first = screen.hit_list.hits[0]  # type: ignore[attr-defined]
            return screen.reader_shows == (first.id, result.highlight_terms)  # type: ignore[attr-defined]

        def drawn(target: Any, update: Any) -> None:
            nonlocal painted_at
            display(target, update)  # headless: draws nothing
            if isinstance(update, CompositorUpdate):
                update.render_segments(app.console)  # what a terminal's driver would write
            if expected is not None and not painted.is_set() and shows(expected):
                painted_at = time.perf_counter()
                painted.set()

        app._display = drawn  # type: ignore[method-assign]
        for query in queries:
            # all but the last key at once, as a paste: typing them key by key through Pilot
            # costs 40 ms or more each (its idle waits), a minute and a half at 100k documents
            box = screen.query_input  # type: ignore[attr-defined]
            box.value = query[:-1]
            box.cursor_position = len(query) - 1
            await pilot.pause()  # the change is handled: the search worker is started
            await app.workers.wait_for_complete()
            await pilot.pause()
            pauses.append(float(getattr(screen, "typing_pause", 0.0)))  # follows the searches
            expected = query
            painted.clear()
            start = time.perf_counter()
            app._driver.send_message(_key_event(query[-1]))  # type: ignore[union-attr]
            await asyncio.wait_for(painted.wait(), TIMEOUT)
            times.append((painted_at - start) * 1000)
            expected = None
            searches.append(screen.result.took_ms)  # type: ignore[attr-defined]
            await app.workers.wait_for_complete()  # the timeline's count, too
            await pilot.pause()
    return {
        "debounce_ms": statistics.median(pauses) * 1000,
        "search_ms": statistics.median(searches),
        "p50": statistics.median(times),
        "max": max(times),
    }


def keystroke_to_results(corpus: Path, index_dir: Path, queries: list[str]) -> dict[str, float]:
    """p50 and max ms from the last key to the frame showing the result, with the median
    typing pause (``debounce_ms``) and engine time (``search_ms``) it includes."""
    return asyncio.run(_measure(corpus, index_dir, queries))
