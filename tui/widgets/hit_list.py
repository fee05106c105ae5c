"""The ranked hits: title, date and a snippet with the matched words highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from search.models import Hit, some_words_boundary
from search.safety import blank_unsafe
from tui.render import highlighted

MATCH_STYLE = "bold $text-warning"


SOME_WORDS_RULE = "── articles with only some of the words ──"


def hit_prompt(hit: Hit, *, first_partial: bool = False) -> Content:
    """The date and title, then the snippet (both wrapped by the list). A hit holding only
    some of the query's words is tagged; the first one after hits holding every word opens
    with a rule, the boundary between the two groups."""
    title = blank_unsafe(hit.title) or blank_unsafe(hit.id)
    spans = hit.title_spans if hit.title else []  # spans index the title, not the id fallback
    title_content = highlighted(title, spans, MATCH_STYLE, base="bold")
    date = hit.date.isoformat() if hit.date else "undated"
    source = blank_unsafe(hit.source or "")
    if source:
        date = f"{date}  {source}"
    snippet = highlighted(blank_unsafe(hit.snippet), hit.snippet_spans, MATCH_STYLE)
    tag = "" if hit.all_words else "  (some words)"
    rule = f"{SOME_WORDS_RULE}\n" if first_partial else ""
    return Content.assemble(
        (rule, "$text-warning"),
        (date, "$text-muted"),
        "  ",
        title_content,
        (tag, "$text-muted"),
        "\n",
        snippet,
    )


class HitList(OptionList):
    """Hits as options (lines, not widgets: cheap to replace on every keystroke).

    Posts :class:`HitList.Highlighted` when the cursor lands on a hit and :class:`HitList.Chosen`
    on Enter or click, carrying the :class:`~search.models.Hit`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next hit", show=False),
        Binding("k", "cursor_up", "Previous hit", show=False),
    ]

    class Highlighted(Message):
        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class Chosen(Message):
        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self.hits: list[Hit] = []

    def show_hits(self, hits: Sequence[Hit], keep: str | None = None) -> None:
        """Replace the list; the hit with id ``keep`` (else the first) becomes current and is
        announced."""
        self.hits = list(hits)
        ids = [hit.id for hit in self.hits]
        current = ids.index(keep) if keep in ids else 0
        self.clear_options()
        options: list[Option | None] = []
        first_partial = some_words_boundary(self.hits)
        for n, hit in enumerate(self.hits):
            prompt = hit_prompt(hit, first_partial=n == first_partial)
            options += [Option(prompt), None]  # None: a rule between hits
        self.add_options(options[:-1])
        self.highlighted = current if self.hits else None
        if current == 0:
            self.scroll_home(animate=False)

    @property
    def current(self) -> Hit | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.hits):
            return None
        return self.hits[index]

    @on(OptionList.OptionHighlighted)
    def _announce_highlight(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.hits):
            self.post_message(self.Highlighted(self.hits[event.option_index]))

    @on(OptionList.OptionSelected)
    def _announce_choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.hits):
            self.post_message(self.Chosen(self.hits[event.option_index]))
