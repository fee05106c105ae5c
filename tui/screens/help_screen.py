"""The help screen: every key of the app, grouped by where it works."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

# (keys, what they do), by place. Kept by hand because several keys are contextual (the same
# arrow browses history in the query box and moves through hits in the list); a test checks
# that every binding of the app's widgets appears here.
KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Anywhere",
        [
            ("/", "Go to the query box"),
            ("tab / shift+tab", "Next / previous pane"),
            ("ctrl+y", 'Apply "did you mean" (or click it)'),
            ("ctrl+r", "Rebuild the index from the corpus"),
            ("ctrl+p", "Command palette: every action by name"),
            ("f1 / ?", "This help (? outside the query box)"),
            ("ctrl+q", "Quit"),
        ],
    ),
    (
        "Query box",
        [
            ("typing", "Search as you type"),
            ("enter", "Go to the hits"),
            ("up / down", "Older / newer query from the history"),
            ("escape", "Clear the query"),
        ],
    ),
    (
        "Hits and reader",
        [
            ("up / down, j / k", "Previous / next hit (the reader follows)"),
            ("enter", "Read the highlighted hit"),
            ("n / N", "Next / previous match in the article"),
            ("s", "Sort by relevance / by date"),
            ("m", "Articles similar to the highlighted hit"),
            ("t", "Timeline: ← → a month, Enter filters"),
            ("", "by that month (or click a bar)"),
            ("z", "Zoom the focused pane (again to restore)"),
            ("o", "Open the article: $EDITOR / $PAGER (or the"),
            ("", "system's opener for HTML, PDF…)"),
            ("c", "Copy the article's file path"),
            ("e", "Export the listed hits to a Markdown file"),
            ("v", "Spelling variants on / off (Kiev = Kyiv)"),
            ("escape", "Back: unzoom, leave similar articles,"),
            ("", "or return to the query box"),
            ("pgup / pgdn, home / end", "Scroll the list or the article"),
        ],
    ),
]


def help_content() -> Content:
    """The key table as Content (fixed text, no markup parsing)."""
    width = max(len(keys) for _, rows in KEYS for keys, _ in rows) + 3
    lines: list[Content] = []
    for section, rows in KEYS:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(section, "bold $text-accent"))
        for keys, action in rows:
            lines.append(Content.assemble((keys.ljust(width), "bold"), action))
    lines.append(Content(""))
    lines.append(Content.styled("Press escape, ? or q to close.", "$text-muted"))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Modal list of keys; any of escape, q, ?, f1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True)
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "fouille — keys"
            yield Static(help_content(), id="help-text", markup=False)
