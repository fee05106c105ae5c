"""The hits' timeline: one row of bars, articles per month; a key or a click filters by month.

Reads :class:`~search.models.Facets` (counted by the engine from the index's columns). Months
without articles between the first and the last are shown as gaps, so the row is a true time
axis; when there are more months than columns, the most recent ones are shown.
"""

from __future__ import annotations

import math
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from search.models import Facets

BARS = "▁▂▃▄▅▆▇█"
LABEL = "Timeline "


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` ("2023-11", "2024-02"), both included."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class Timeline(Widget, can_focus=False):
    """Articles per month as a bar row; ←/→ pick a month, Enter (or a click) filters by it.

    Focused only on demand (:meth:`enter`, the screen's ``t`` key), so Tab keeps cycling
    through the query, the hits and the reader alone.
    """

    DEFAULT_CSS = """
    Timeline {
        height: 1;
        padding: 0 1;
        display: none;
    }
    Timeline.-shown {
        display: block;
    }
    Timeline:focus {
        background: $boost;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Earlier", show=False),
        Binding("right", "move(1)", "Later", show=False),
        Binding("enter", "choose", "Filter by month"),
    ]

    class MonthChosen(Message):
        """The user picked a month ("2023-12") to filter the hits by."""

        def __init__(self, month: str) -> None:
            super().__init__()
            self.month = month

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: list[tuple[str, int]] = []  # every month of the range, zeros included
        self.cursor = 0  # index into counts

    def show(self, facets: Facets | None) -> None:
        """Display the month counts of ``facets`` (hidden when there are none)."""
        counts = dict(facets.months) if facets is not None else {}
        if counts:
            months = month_range(min(counts), max(counts))
            self.counts = [(month, counts.get(month, 0)) for month in months]
        else:
            self.counts = []
        self.cursor = max(0, len(self.counts) - 1)
        self.set_class(bool(self.counts), "-shown")
        self.refresh()

    def enter(self) -> None:
        """Take the focus (left again on blur)."""
        if self.counts:
            self.can_focus = True
            self.focus()

    def on_blur(self) -> None:
        self.can_focus = False

    @property
    def month(self) -> str | None:
        """The month under the cursor."""
        return self.counts[self.cursor][0] if self.counts else None

    def _window(self) -> tuple[int, int]:
        """The (start, end) of the months that fit, the cursor's always among them."""
        room = max(1, self.content_size.width - len(LABEL) - len("  2023-12: 9999"))
        end = max(min(len(self.counts), room), self.cursor + 1)
        return max(0, end - room), end

    def render(self) -> Content:
        if not self.counts:
            return Content("")
        start, end = self._window()
        most = max(count for _, count in self.counts) or 1
        cells = []
        for index in range(start, end):
            count = self.counts[index][1]
            bar = BARS[max(0, math.ceil(count / most * len(BARS)) - 1)] if count else " "
            style = "reverse" if index == self.cursor else "$text-accent"
            cells.append((bar, style))
        month, count = self.counts[self.cursor]
        return Content.assemble((LABEL, "$text-muted"), *cells, f"  {month}: {count}")

    def action_move(self, step: int) -> None:
        if self.counts:
            self.cursor = min(max(0, self.cursor + step), len(self.counts) - 1)
            self.refresh()

    def action_choose(self) -> None:
        if self.month is not None:
            self.post_message(self.MonthChosen(self.month))

    def on_click(self, event: events.Click) -> None:
        start, end = self._window()
        index = start + event.x - self.styles.padding.left - len(LABEL)
        if start <= index < end:
            self.cursor = index
            self.refresh()
            self.post_message(self.MonthChosen(self.counts[index][0]))
