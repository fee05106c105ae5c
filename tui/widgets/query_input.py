"""The query box: an Input with a history of past queries on up/down."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from tui.history import HISTORY_SIZE, load_history, save_history


class QueryInput(Input):
    """Search box that remembers the queries the user settled on.

    Every keystroke is not a query worth remembering ("s", "sé", "séc"…), so the screen calls
    :meth:`remember` only when the user commits to one (Enter, leaving the box, a suggestion).
    With a ``history_file`` the history survives between sessions.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history_back", "Older query", show=False),
        Binding("down", "history_forward", "Newer query", show=False),
        Binding("escape", "clear", "Clear", show=False),
    ]

    def __init__(self, *, history_file: Path | None = None, id: str | None = None) -> None:
        super().__init__(placeholder="Search the articles (e.g. sécurité Corée)", id=id)
        self.history_file = history_file
        self.history: list[str] = load_history(history_file) if history_file else []
        self._position: int | None = None  # index into history while browsing it
        self._draft = ""  # what was typed before browsing started, restored past the newest

    def remember(self, query: str) -> None:
        query = query.strip()
        if not query:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        del self.history[:-HISTORY_SIZE]
        self._position = None
        if self.history_file is not None:
            save_history(self.history_file, self.history)

    def _show(self, value: str) -> None:
        self.value = value
        self.cursor_position = len(value)

    def action_history_back(self) -> None:
        if not self.history:
            return
        if self._position is None:
            self._draft = self.value
            self._position = len(self.history)
        if self._position > 0:
            self._position -= 1
            self._show(self.history[self._position])

    def action_history_forward(self) -> None:
        if self._position is None:
            return
        self._position += 1
        if self._position >= len(self.history):
            self._position = None
            self._show(self._draft)
        else:
            self._show(self.history[self._position])

    async def action_submit(self) -> None:
        """Enter: announce the query, and move on (to the hits) at once, inside this keypress,
        so keys typed right after Enter (j, j…) already reach the hits, not the query."""
        await super().action_submit()
        self.screen.focus_next()

    def action_clear(self) -> None:
        self._position = None
        self.value = ""
