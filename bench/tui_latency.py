"""TUI keystroke-to-results time, driven by Textual's Pilot (headless, in-process).

For each query all keys but the last are typed, then a typist's pause lets that partial query's
search finish; the clock runs from the last keystroke until the search screen holds the result of
the whole query. The app's debounce is included, as a user sees it. (Setting the debounce to
zero does not isolate the search: Pilot's ``press`` then waits for the app to go idle, search
included, and adds its own polling to the figure.)
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path


async def _measure(corpus: Path, index_dir: Path, queries: list[str]) -> dict[str, float]:
    from tui.app import create_app  # the benchmark's only Textual import, kept local

    app = create_app(corpus, index_dir)
    times: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        pauses: list[float] = []
        for query in queries:
            await pilot.press("ctrl+a", "ctrl+k")  # clear the input
            await pilot.pause(0.3)
            keys = [("space" if c == " " else c) for c in query]
            await pilot.press(*keys[:-1])
            await pilot.pause(0.6)
            pauses.append(float(getattr(screen, "typing_pause", 0.0)))  # follows the searches
            start = time.perf_counter()
            await pilot.press(keys[-1])
            deadline = start + 5
            while time.perf_counter() < deadline:
                result = getattr(screen, "result", None)
                if result is not None and result.query == query:
                    break
                await asyncio.sleep(0.001)
            times.append((time.perf_counter() - start) * 1000)
    debounce = statistics.median(pauses)
    return {"debounce_ms": debounce * 1000, "p50": statistics.median(times), "max": max(times)}


def keystroke_to_results(corpus: Path, index_dir: Path, queries: list[str]) -> dict[str, float]:
    return asyncio.run(_measure(corpus, index_dir, queries))
