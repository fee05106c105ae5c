"""Waiting on the app in Pilot tests."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.worker import WorkerState


async def settle(pilot: Pilot) -> None:
    """Wait until no worker runs (a search result starts the reader's worker, hence the loop)."""
    app = pilot.app
    for _ in range(20):
        await pilot.pause()
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            break
        await app.workers.wait_for_complete()
    await pilot.pause()
