"""TUI keystroke-to-results time, driven by Textual's Pilot (headless, in-process).

For each query the words are typed one key at a time; the clock runs from the last keystroke
until the search screen shows the result of the whole query (debounce included, as a user
sees it).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path


async def _measure(corpus: Path, index_dir: Path, queries: list[str]) -> list[float]:
    from tui.app import create_app  # the benchmark's only Textual import, kept local

    app = create_app(corpus, index_dir)
    times: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        for query in queries:
            await pilot.press("ctrl+a", "ctrl+k")  # clear the input
            await pilot.pause(0.3)
            keys = [("space" if c == " " else c) for c in query]
            await pilot.press(*keys[:-1])
            start = time.perf_counter()
            await pilot.press(keys[-1])
            deadline = start + 5
            while time.perf_counter() < deadline:
                result = getattr(screen, "result", None)
                if result is not None and result.query == query:
                    break
                await asyncio.sleep(0.001)
            times.append((time.perf_counter() - start) * 1000)
    return times


def keystroke_to_results(corpus: Path, index_dir: Path, queries: list[str]) -> list[float]:
    return asyncio.run(_measure(corpus, index_dir, queries))
