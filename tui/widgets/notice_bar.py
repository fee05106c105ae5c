"""A one-line notice under the query: why there are no hits, did-you-mean, partial matches."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import Static


class NoticeBar(Static):
    """Explains the result list; clicking it applies the suggestion it offers, if any."""

    DEFAULT_CSS = """
    NoticeBar {
        height: auto;
        padding: 0 1;
        display: none;
    }
    NoticeBar.-shown {
        display: block;
    }
    """

    class SuggestionChosen(Message):
        """The user clicked the "did you mean" notice."""

        def __init__(self, suggestion: str) -> None:
            super().__init__()
            self.suggestion = suggestion

    class Changed(Message):
        """The notice (and the suggestion it offers) changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)
        self.suggestion: str | None = None
        self.message = ""  # the plain text shown, for tests and screen readers
        self._shown: tuple[str, list, str | None] = ("", [], None)

    def show(self, content: Content | str, *, suggestion: str | None = None) -> None:
        """Display ``content`` (already safe Content, or plain text) offering ``suggestion``."""
        if isinstance(content, str):
            content = Content(content)
        if (content.plain, content.spans, suggestion) == self._shown:
            return  # as it is: an update would cost the screen a layout (the bar's height)
        self._shown = (content.plain, content.spans, suggestion)
        self.suggestion = suggestion
        self.message = content.plain
        self.update(content)
        self.set_class(bool(content.plain), "-shown")
        self.set_class(suggestion is not None, "-suggestion")
        self.post_message(self.Changed())

    def clear(self) -> None:
        self.show("")

    def on_click(self) -> None:
        if self.suggestion is not None:
            self.post_message(self.SuggestionChosen(self.suggestion))
