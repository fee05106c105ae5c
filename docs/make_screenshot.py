"""Regenerate docs/screenshot.svg: the app on the seeds corpus, 120x36, a real query.

    python docs/make_screenshot.py

The index is built in a temporary folder, so the project's index/ is not touched.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from textual.worker import WorkerState

from tui.app import create_app
from tui.screens.search_screen import SearchScreen

ROOT = Path(__file__).resolve().parent.parent
QUERY = "sécurité Corée"


async def main() -> None:
    with tempfile.TemporaryDirectory() as index:
        app = create_app(ROOT / "seeds", Path(index))
        async with app.run_test(size=(120, 36)) as pilot:

            async def settle() -> None:
                for _ in range(20):
                    await pilot.pause()
                    if not any(
                        w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers
                    ):
                        break
                    await app.workers.wait_for_complete()

            await settle()
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            screen.query_input.cursor_blink = False
            app.clear_notifications()
            await pilot.press(*QUERY)
            await settle()
            await pilot.press("enter", "j", "n")
            await settle()
            await pilot.pause()
            app.save_screenshot("screenshot.svg", path=str(ROOT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())
