"""Screenshots of the app's main states, compared with approved SVGs in tests/__snapshots__/.

Regenerate on purpose only (``pytest tests/test_tui_snapshots.py --snapshot-update``) and look
at the SVGs before committing them. What varies between runs is pinned before the shot: the
search time shown in the status line, the notification toasts (they hold build times) and the
cursor blink.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.support.corpora import APP_ARTICLES, make_corpus
from tests.support.pilot import settle
from tui.app import FouilleApp, create_app
from tui.screens.search_screen import SearchScreen

SnapCompare = Callable[..., bool]


def app_for(tmp_path: Path) -> FouilleApp:
    return create_app(make_corpus(tmp_path, APP_ARTICLES), tmp_path / "index")


def searching(query: str, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that searches ``query``, presses ``keys``, then pins what varies."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_input.cursor_blink = False
        pilot.app.clear_notifications()
        if query:
            screen.query_input.value = query
            await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        pilot.app.clear_notifications()
        screen.status.took_ms = 1.0
        await pilot.pause()

    return run_before


def test_results_with_reader(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(
        app_for(tmp_path),
        terminal_size=(120, 36),
        run_before=searching("sécurité Corée", "enter", "n"),
    )


def test_zero_hits_with_suggestion(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(
        app_for(tmp_path), terminal_size=(120, 36), run_before=searching("Stoltenbreg")
    )


def test_narrow_terminal(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=(80, 30), run_before=searching("OTAN"))


def test_help_screen(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=(120, 36), run_before=searching("", "f1"))
