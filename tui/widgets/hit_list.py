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
MIN_FIRST_OPTIONS = 12  # hits made options at once, at least (before the list has a size)


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
        self._shown = 0  # how many of the hits are options yet (the rest come after a frame)
        self._first_partial: int | None = None

    def show_hits(self, hits: Sequence[Hit], keep: str | None = None) -> None:
        """Replace the list; the hit with id ``keep`` (else the first) becomes current and is
        announced.

        Only the hits a screen can show (down to the current one) become options at once: each
        option is laid out (wrapped) when added, about 0.3 ms a hit, so 50 hits delayed the frame
        showing the first ones by 15 ms. The others are added right after that frame is drawn."""
        self.hits = list(hits)
        ids = [hit.id for hit in self.hits]
        current = ids.index(keep) if keep in ids else 0
        self._first_partial = some_words_boundary(self.hits)
        self._shown = 0
        self.clear_options()
        # an option is two lines at least (title, snippet) and a rule between two
        screenful = max(MIN_FIRST_OPTIONS, self.size.height // 2 + 1)
        self._add_options(current + screenful)
        self.highlighted = current if self.hits else None
        if current == 0:
            self.scroll_home(animate=False)
        if self._shown < len(self.hits):
            self.call_after_refresh(self._add_options, len(self.hits), self.hits)

    def _add_options(self, upto: int, hits: list[Hit] | None = None) -> None:
        """Add the options of the hits up to index ``upto`` (only while ``hits`` is still the
        list shown, when given)."""
        if hits is not None and hits is not self.hits:
            return  # another result replaced the list meanwhile
        start, end = self._shown, min(upto, len(self.hits))
        options: list[Option | None] = []
        for n in range(start, end):
            prompt = hit_prompt(self.hits[n], first_partial=n == self._first_partial)
            options.append(Option(prompt))
            if n < len(self.hits) - 1:
                options.append(None)  # None: a rule between hits
        self._shown = max(start, end)
        if options:
            self.add_options(options)

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
