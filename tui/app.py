"""The fouille Textual app: one search screen over one engine.

``create_app`` is what tests use (any corpus and index folders); ``run_app`` is what the CLI calls,
with the settings in force (:mod:`search.settings`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App
from textual.screen import Screen

from search.engine import Engine
from search.errors import ExitCode, FouilleError
from search.settings import Settings, open_engine
from tui.commands import FouilleCommands
from tui.screens.search_screen import HIT_LIMIT, SearchScreen


class FouilleApp(App[None]):
    """Search a folder of French articles as you type."""

    CSS_PATH = "app.tcss"
    TITLE = "fouille"
    COMMANDS = App.COMMANDS | {FouilleCommands}

    def __init__(
        self, engine: Engine, settings: Settings | None = None, *, watch: bool = True
    ) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings  # None in tests that give folders only
        self.watch = watch  # follow the corpus folder (the live index)

    def get_default_screen(self) -> Screen:
        settings = self.settings
        if settings is None:
            return SearchScreen(self.engine, watch=self.watch)
        return SearchScreen(
            self.engine,
            watch=self.watch,
            sort=settings.sort,
            variants=settings.variants,
            page=settings.limit if settings.given("limit") else HIT_LIMIT,
        )

    def on_unmount(self) -> None:
        self.engine.close()


def create_app(
    corpus: Path, index_dir: Path, *, follow_outside: bool = False, watch: bool = True
) -> FouilleApp:
    return FouilleApp(Engine(corpus, index_dir, follow_outside=follow_outside), watch=watch)


def run_app(settings: Settings) -> int:
    """Run the app in the terminal; the exit code for the CLI."""
    try:
        app = FouilleApp(open_engine(settings), settings)
    except FouilleError as error:
        print(f"fouille: {error}", file=sys.stderr)
        return int(error.exit_code)
    app.run()
    return int(app.return_code or ExitCode.OK)
