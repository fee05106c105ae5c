"""A hit list written out for notes and spreadsheets: JSON, JSON Lines, CSV and Markdown.

Every format carries the same columns per hit (rank, title, date, source, path, id, score);
``source`` is empty (``null`` in JSON) for articles that do not name one. Output is meant for
files and pipes, but may land on a terminal: JSON escapes C1, DEL and bidi controls and lone
surrogates (``json.dumps(ensure_ascii=False)`` leaves them raw; their ``\\uXXXX`` escapes decode
to the very same strings), and CSV and Markdown cells are single inert lines.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import Any, TextIO

from search.models import Hit, SearchResult
from search.render import one_line
from search.safety import escape_json

FORMATS = ("text", "json", "jsonl", "csv", "markdown")
"""What ``fouille search --format`` accepts; ``text`` is the terminal listing (render.py)."""

COLUMNS = ("rank", "title", "date", "source", "path", "id", "score")


def json_line(data: Any) -> str:
    """``data`` as one line of JSON, UTF-8 kept readable, terminal controls escaped."""
    return escape_json(json.dumps(data, ensure_ascii=False))


def row(hit: Hit) -> dict[str, Any]:
    """The export columns of one hit."""
    return {
        "rank": hit.rank,
        "title": hit.title,
        "date": hit.date.isoformat() if hit.date else None,
        "source": hit.source,
        "path": hit.path,
        "id": hit.id,
        "score": round(hit.score, 4),
    }


def write_jsonl(result: SearchResult, out: TextIO) -> None:
    """One JSON object per hit, per line: the hit's full JSON."""
    for hit in result.hits:
        out.write(json_line(hit.to_json()) + "\n")


def write_csv(result: SearchResult, out: TextIO) -> None:
    """A header line, then one row per hit (RFC 4180 quoting, by the csv module)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for hit in result.hits:
        writer.writerow([_cell(value) for value in row(hit).values()])


def write_markdown(result: SearchResult, out: TextIO) -> None:
    """A Markdown table, one row per hit; ``|`` in a cell is escaped."""
    out.write("| " + " | ".join(COLUMNS) + " |\n")
    out.write("|" + "|".join("---:" if c in ("rank", "score") else "---" for c in COLUMNS) + "|\n")
    for hit in result.hits:
        cells = [_markdown_cell(value) for value in row(hit).values()]
        out.write("| " + " | ".join(cells) + " |\n")


WRITERS: dict[str, Callable[[SearchResult, TextIO], None]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "markdown": write_markdown,
}
"""The hit-list formats; ``json`` (the whole result) and ``text`` are the CLI's own."""


def _markdown_cell(value: Any) -> str:
    return _cell(value).replace("\\", "\\\\").replace("|", "\\|")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return one_line(str(value))
