"""Turning engine text and spans into Textual ``Content``, never through markup.

Text is made safe with :func:`search.safety.blank_unsafe`, one space per unsafe character, so
the spans the engine computed on the stored text still point at the same characters on screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.content import Content, Span


def highlighted(
    text: str, spans: Iterable[tuple[int, int]], style: str, *, base: str = ""
) -> Content:
    """``text`` as Content with ``style`` over each span; spans outside the text are clipped."""
    size = len(text)
    marks = [
        Span(max(0, start), min(size, end), style)
        for start, end in spans
        if max(0, start) < min(size, end)
    ]
    content = Content(text, [Span(0, size, base)] if base and size else None)
    return content.add_spans(marks) if marks else content


def wrap_rows(text: str, width: int) -> list[tuple[int, int]]:
    """The screen rows of ``text`` wrapped to ``width`` cells exactly as Textual wraps Content
    (words kept whole, longer words folded), as ``(start, end)`` offsets into ``text``; an
    empty line is one empty row. Newlines belong to no row. ``text`` must have no tabs.

    Textual's public :meth:`Content.wrap` gives each row's text without the spaces it ends
    with; each row is found again in the line from where the previous one's text ended (a row
    that is only spaces, from a fold in a long run of spaces, starts right there)."""
    rows: list[tuple[int, int]] = []
    position = 0
    width = max(1, width)
    for line in text.split("\n"):
        starts: list[int] = []
        cursor = 0
        if cell_len(line) <= width:  # fits: one row, no wrapping to ask for
            rows.append((position, position + len(line)))
            position += len(line) + 1
            continue
        for piece in Content(line).wrap(width):
            visible = piece.plain.rstrip()
            found = line.find(visible, cursor) if visible and starts else -1
            start = found if found >= 0 else (cursor if starts else 0)
            starts.append(start)
            cursor = start + len(visible)
        starts = starts or [0]
        ends = [*starts[1:], len(line)]
        rows.extend((position + a, position + b) for a, b in zip(starts, ends, strict=True))
        position += len(line) + 1
    return rows
