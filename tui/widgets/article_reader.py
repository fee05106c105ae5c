"""The reader: the whole article with every match highlighted, and n/N to walk the matches."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Static

from search.models import Article, Span
from tui.render import clean_line, clean_text, highlighted, row_of_offset

MATCH_STYLE = "bold $text-warning"
CURRENT_STYLE = "bold reverse $text-accent"


class ArticleReader(VerticalScroll, can_focus=True):
    """Title, date and id, then the article body, scrolled to the current match.

    The match counter lives in the border subtitle ("3/17") so it stays visible while scrolling.
    """

    DEFAULT_CSS = """
    ArticleReader #reader-header {
        padding-bottom: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc_id: str | None = None
        self.text = ""
        self.title_spans: list[Span] = []
        self.spans: list[Span] = []
        self.current: int | None = None  # index into spans

    def compose(self) -> ComposeResult:
        yield Static("", id="reader-header", markup=False)
        yield Static("", id="reader-body", markup=False)

    @property
    def counter(self) -> str:
        """ "3/17" for the third of 17 matches, "" when there are none."""
        if self.current is None or not self.spans:
            return ""
        return f"{self.current + 1}/{len(self.spans)}"

    def show_article(
        self, article: Article, title_spans: Sequence[Span], text_spans: Sequence[Span]
    ) -> None:
        """Display ``article`` and jump to its first match."""
        self.doc_id = article.id
        self.text = clean_text(article.text)
        self.title_spans = sorted(title_spans)
        self.spans = sorted(span for span in text_spans if span[0] < span[1])
        self.current = 0 if self.spans else None
        title = highlighted(
            clean_line(article.title) or clean_line(article.id),
            self.title_spans,
            MATCH_STYLE,
            base="bold",
        )
        date = article.date.isoformat() if article.date else "undated"
        details = Content.assemble((date, "$text-muted"), ("  ·  ", "$text-muted"))
        details = details.append(Content.styled(clean_line(article.id), "$text-muted"))
        self.query_one("#reader-header", Static).update(Content("\n").join([title, details]))
        self._render_body()
        self.scroll_home(animate=False)
        self.call_after_refresh(self._scroll_to_current)

    def on_resize(self) -> None:
        """Rewrapping moves every line: bring the current match back into view."""
        self.call_after_refresh(self._scroll_to_current)

    def show_message(self, message: str) -> None:
        """Empty the reader and say why (no hits, article gone…)."""
        self.doc_id = None
        self.text = ""
        self.title_spans, self.spans, self.current = [], [], None
        self.query_one("#reader-header", Static).update(Content.styled(message, "$text-muted"))
        self.query_one("#reader-body", Static).update("")
        self.border_subtitle = ""
        self.scroll_home(animate=False)

    def next_match(self) -> None:
        self._move(+1)

    def previous_match(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        if self.current is None:
            return
        self.current = (self.current + step) % len(self.spans)
        self._render_body()
        self._scroll_to_current()

    def _render_body(self) -> None:
        others = [span for index, span in enumerate(self.spans) if index != self.current]
        body = highlighted(self.text, others, MATCH_STYLE)
        if self.current is not None:
            start, end = self.spans[self.current]
            body = body.stylize(CURRENT_STYLE, start, end)
        self.query_one("#reader-body", Static).update(body)
        self.border_subtitle = f"match {self.counter}" if self.spans else "no match in text"

    def _scroll_to_current(self) -> None:
        """Bring the current match to the upper third of the view."""
        if self.current is None:
            return
        body = self.query_one("#reader-body", Static)
        width = body.content_region.width
        if width <= 0:
            return
        row = row_of_offset(self.text, width, self.spans[self.current][0])
        top = body.virtual_region.y + row
        self.scroll_to_region(
            Region(0, top, 1, 1),
            animate=False,
            spacing=None,
            top=False,
            center=True,
            force=True,
            immediate=True,
        )
