"""Turning engine text and spans into Textual ``Content``, never through markup.

Every helper here keeps character offsets intact (one character in, one character out), so the
spans the engine computed on the stored text still point at the same characters on screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

# rich's own line breaker is what Content uses to wrap text; reusing it is the only way to know
# exactly which screen row a character lands on (Textual has no public offset->row map).
from rich._wrap import divide_line
from textual.content import Content, Span

# C0 and C1 controls, DEL, and the bidi overrides/isolates that could reorder what the terminal
# draws. The engine strips controls at load time; this is the belt to its braces, and it keeps
# lengths (one space per removed character) so highlight spans stay valid.
_UNSAFE = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F)]
_UNSAFE += list(range(0x2066, 0x206A))
_TEXT_TABLE = {code: " " for code in _UNSAFE if code != 0x0A}
_LINE_TABLE = {code: " " for code in _UNSAFE}


def clean_text(text: str) -> str:
    """Article body safe for the terminal: newlines kept, every other control a space.

    Tabs become one space (not eight) so wrapping can be predicted from the text alone.

    >>> clean_text("a\\tb\\x1b[31mc\\nd")
    'a b [31mc\\nd'
    """
    return text.translate(_TEXT_TABLE)


def clean_line(text: str) -> str:
    """A title, id or snippet drawn on one line: newlines become spaces too."""
    return text.translate(_LINE_TABLE)


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
    empty line is one empty row. Newlines belong to no row. ``text`` must have no tabs."""
    rows: list[tuple[int, int]] = []
    position = 0
    width = max(1, width)
    for line in text.split("\n"):
        cuts = divide_line(line, width, fold=True) if line else []
        bounds = [0, *cuts, len(line)]
        rows.extend((position + a, position + b) for a, b in pairwise(bounds))
        position += len(line) + 1
    return rows
