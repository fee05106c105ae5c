"""Command-palette entries (ctrl+p) for the main screen's actions."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.screens.search_screen import SearchScreen

# Names and help are fixed strings: the palette parses command names as markup, so no article
# data (titles, suggestions) may ever appear in them.
Command = tuple[str, str, Callable[[], object]]


class FouilleCommands(Provider):
    """Rebuild, sort, similar, suggestion, help — whatever the main screen can do right now."""

    def _commands(self) -> list[Command]:
        screen = self.screen
        if not isinstance(screen, SearchScreen):
            return []
        other_sort = "relevance" if screen.sort == "date" else "date"
        commands: list[Command] = [
            (
                "Rebuild the index",
                "Re-read every article of the corpus (searches keep working meanwhile)",
                screen.action_rebuild,
            ),
            (f"Sort by {other_sort}", "Change the order of the hits", screen.action_toggle_sort),
            (
                "Similar articles",
                "Articles most like the highlighted hit",
                screen.action_similar,
            ),
            ("Help: keys", "Every key of the app", screen.action_help),
        ]
        if screen.notice.suggestion is not None:
            apply = screen.action_apply_suggestion
            commands.append(("Apply the suggestion", 'Search the "did you mean" query', apply))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
