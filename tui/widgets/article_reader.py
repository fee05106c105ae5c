"""The reader: the whole article with every match highlighted, and n/N to walk the matches.

A Line API widget (like Textual's Log and Toolong's log view) rather than a Static in a
VerticalScroll: a Static re-wraps and re-styles the whole article on every update, which took
2.5 s per n keypress on a 450 kB article with 1,169 matches. Here the text is wrapped once per
width into rows of (start, end) offsets, and only the visible rows are styled and drawn, so
moving to the next match costs a screenful whatever the article's size.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.content import Content, Span
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from search.models import Article, credit
from search.models import Span as TextSpan
from search.safety import blank_unsafe
from tui.render import wrap_rows

# A row of the reader: which text it shows ("title", "details", "blank", "body", "message")
# and the (start, end) offsets of the row in that text.
Row = tuple[str, int, int]


@dataclass(frozen=True)
class Body:
    """An article's body as the reader shows it: the cleaned text and its rows at ``width``.

    Wrapping a long article takes a while (a quarter of a second for the 450 kB bash page), so
    the screen prepares it in the worker thread that fetched the article, off the event loop."""

    text: str
    width: int
    rows: list[tuple[int, int]]


def wrap_body(article: Article, width: int) -> Body:
    """``article``'s body cleaned of unsafe characters and wrapped to ``width`` cells."""
    text = blank_unsafe(article.text, keep="\n")
    return Body(text, width, wrap_rows(text, width))


class ArticleReader(ScrollView, can_focus=True):
    """Title, date and id, then the article body, scrolled to the current match.

    The match counter lives in the border subtitle ("match 3/17") so it stays visible.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-reader--title",
        "article-reader--details",
        "article-reader--match",
        "article-reader--current",
        "article-reader--message",
    }

    DEFAULT_CSS = """
    ArticleReader {
        scrollbar-gutter: stable;
        & > .article-reader--title { text-style: bold; }
        & > .article-reader--details { color: $text-muted; }
        & > .article-reader--match { color: $text-warning; text-style: bold; }
        & > .article-reader--current {
            color: auto;
            background: $warning;
            text-style: bold;
        }
        & > .article-reader--message { color: $text-muted; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc_id: str | None = None
        self.text = ""  # the body as displayed (cleaned, same length as the stored text)
        self.title = ""
        self.details = ""  # date and id
        self.message = ""  # shown instead of an article
        self.title_spans: list[TextSpan] = []
        self.spans: list[TextSpan] = []
        self.current: int | None = None  # index into spans
        self._rows: list[Row] = []
        self._body_starts: list[int] = []  # start offset of each body row, for bisect
        self._first_body_row = 0
        self._wrapped_width = 0
        self._body: Body | None = None  # the body's rows, wrapped off the event loop

    # What the screen calls.

    @property
    def counter(self) -> str:
        """ "3/17" for the third of 17 matches, "" when there are none."""
        if self.current is None or not self.spans:
            return ""
        return f"{self.current + 1}/{len(self.spans)}"

    @property
    def body_width(self) -> int:
        """The width the body is wrapped to: give it to :func:`wrap_body`."""
        return max(1, self.scrollable_content_region.width)

    def show_article(
        self,
        article: Article,
        title_spans: Sequence[TextSpan],
        text_spans: Sequence[TextSpan],
        body: Body | None = None,
    ) -> None:
        """Display ``article`` and jump to its first match; ``body`` is its body already wrapped
        (by :func:`wrap_body`, used if the width has not changed since)."""
        self.doc_id = article.id
        self.message = ""
        self._body = body
        self.text = body.text if body is not None else blank_unsafe(article.text, keep="\n")
        self.title = blank_unsafe(article.title) or blank_unsafe(article.id)
        self.title_spans = sorted(title_spans) if article.title else []
        date = article.date.isoformat() if article.date else "undated"
        byline = blank_unsafe(credit(article.source, article.author))
        self.details = "  ·  ".join(
            part for part in (date, byline, blank_unsafe(article.id)) if part
        )
        self.spans = sorted(span for span in text_spans if span[0] < span[1])
        self.current = 0 if self.spans else None
        self._update_subtitle()
        self._wrap()
        self.scroll_to(y=0, animate=False, immediate=True, force=True)
        self._scroll_to_current()

    def show_message(self, message: str) -> None:
        """Empty the reader and say why (no hits, article gone…)."""
        self.doc_id = None
        self._body = None
        self.text = self.title = self.details = ""
        self.message = blank_unsafe(message)
        self.title_spans, self.spans, self.current = [], [], None
        self.border_subtitle = ""
        self._wrap()
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def next_match(self) -> None:
        self._move(+1)

    def previous_match(self) -> None:
        self._move(-1)

    @property
    def rows(self) -> Sequence[Row]:
        """The reader's rows at the current width: (kind, start, end) into title, details,
        body or message."""
        return self._rows

    def row_of_offset(self, offset: int) -> int:
        """The row (from the top of the reader's content) showing body character ``offset``."""
        return self._first_body_row + max(0, bisect_right(self._body_starts, offset) - 1)

    # Layout.

    def _wrap(self) -> None:
        """Cut title, details and body into rows for the current width."""
        width = self.body_width
        self._wrapped_width = width
        rows: list[Row] = []
        if self.message:
            rows += [("message", a, b) for a, b in wrap_rows(self.message, width)]
        if self.title or self.text:
            rows += [("title", a, b) for a, b in wrap_rows(self.title, width)]
            rows += [("details", a, b) for a, b in wrap_rows(self.details, width)]
            rows.append(("blank", 0, 0))
            self._first_body_row = len(rows)
            ready = self._body
            body = ready.rows if ready is not None and ready.width == width else None
            if body is None:
                body = wrap_rows(self.text, width)
            rows += [("body", a, b) for a, b in body]
            self._body_starts = [a for a, _ in body]
        else:
            self._first_body_row, self._body_starts = len(rows), []
        self._rows = rows
        self.virtual_size = Size(width, len(rows))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._wrapped_width:
            self._wrap()
            self._scroll_to_current()

    def _move(self, step: int) -> None:
        if self.current is None:
            return
        self.current = (self.current + step) % len(self.spans)
        self._update_subtitle()
        self._scroll_to_current()
        self.refresh()

    def _update_subtitle(self) -> None:
        self.border_subtitle = f"match {self.counter}" if self.spans else "no match in the text"

    def _scroll_to_current(self) -> None:
        """Bring the current match to the upper third of the view, unless already visible."""
        if self.current is None:
            return
        row = self.row_of_offset(self.spans[self.current][0])
        height = self.scrollable_content_region.height
        top = int(self.scroll_y)
        if not top <= row < top + height:
            # force: until the next layout, a reader that showed a short text has no scrollbar
            # and Textual would ignore the scroll (the first hit's match stayed off-screen)
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True, force=True)

    # Drawing.

    def _style(self, name: str) -> Style:
        return self.get_visual_style(f"article-reader--{name}")

    def row_content(self, index: int) -> Content:
        """Row ``index`` as Content: plain text with highlight spans (never markup)."""
        kind, start, end = self._rows[index]
        if kind == "blank":
            return Content("")
        if kind == "message":
            return Content(self.message[start:end]).stylize(self._style("message"))
        if kind == "details":
            return Content(self.details[start:end]).stylize(self._style("details"))
        source, spans = (
            (self.title, self.title_spans) if kind == "title" else (self.text, self.spans)
        )
        match, current = self._style("match"), self._style("current")
        styled: list[Span] = []
        first = max(0, bisect_left(spans, (start, start)) - 1)
        for index_in_spans in range(first, len(spans)):
            span_start, span_end = spans[index_in_spans]
            if span_start >= end:
                break
            if span_end <= start:
                continue
            is_current = kind == "body" and index_in_spans == self.current
            styled.append(
                Span(
                    max(span_start, start) - start,
                    min(span_end, end) - start,
                    current if is_current else match,
                )
            )
        content = Content(source[start:end], styled)
        if kind == "title":
            content = content.stylize_before(self._style("title"))
        return content

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        base = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, base)
        content = self.row_content(index)
        segments = content.render_segments(self.visual_style)
        strip = Strip(segments, content.cell_length)
        return strip.crop_extend(0, width, base).apply_offsets(0, index)
