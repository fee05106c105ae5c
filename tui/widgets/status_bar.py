"""The status line: how many hits, how long the search took, how big the index is."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static


class StatusBar(Static):
    """One line of numbers about the last search and the index; the screen sets attributes."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        padding: 0 1;
    }
    """

    shown: reactive[int] = reactive(0)
    total: reactive[int | None] = reactive(None)
    took_ms: reactive[float | None] = reactive(None)
    documents: reactive[int | None] = reactive(None)
    size_bytes: reactive[int] = reactive(0)
    sort: reactive[str] = reactive("relevance")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)

    def render(self) -> Content:
        parts: list[str] = []
        if self.total is not None:
            noun = "hit" if self.total == 1 else "hits"
            if self.shown < self.total:
                parts.append(f"{self.shown} of {self.total} {noun}")
            else:
                parts.append(f"{self.total} {noun}")
            if self.took_ms is not None:
                parts.append(f"{self.took_ms:.1f} ms")
        parts.append(f"sorted by {self.sort}")
        if self.documents is None:
            parts.append("index: not ready")
        else:
            megabytes = self.size_bytes / 1_000_000
            noun = "document" if self.documents == 1 else "documents"
            parts.append(f"index: {self.documents} {noun}, {megabytes:.1f} MB")
        return Content(" · ".join(parts))
