"""Plain-text and ANSI rendering of hits, articles and stats for the ``fouille`` command.

Everything shown comes from files we do not control: titles, text, snippets and even ids (file
names). The engine cleans article text at load time, but a file name or a future code path
could still carry ESC, BEL or bidi overrides, so every string is made inert here
(:func:`search.safety.show_unsafe`), on the way to the terminal, whether or not the output is
a TTY. Highlights are ``(start, end)`` spans into the raw text: the text is cut at the spans
first and each piece is cleaned after, so escaping that changes lengths never shifts a
highlight.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from functools import partial
from typing import TextIO

from search.models import (
    Article,
    Facets,
    Hit,
    IndexStats,
    SearchResult,
    Span,
    credit,
    merge_spans,
    some_words_boundary,
)
from search.safety import show_unsafe

MATCH = "\x1b[1;7m"  # bold + reverse: readable on any palette, and survives monochrome
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"

_LINE_BREAKS = re.compile(r"[\t\n\r\v\f\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` as a single inert line: line breaks and tabs become spaces."""
    return show_unsafe(_LINE_BREAKS.sub(" ", text))


def use_color(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """ANSI styles only for a terminal, and never when NO_COLOR is set (no-color.org)."""
    env = os.environ if env is None else env
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        return False


def highlight(
    text: str, spans: Iterable[Span], *, color: bool, base: str = "", lines: bool = False
) -> str:
    """``text`` made inert, with the spans styled when ``color`` (plain otherwise).

    ``base`` is a style for the whole text, re-applied after each match; ``lines`` keeps line
    breaks (article bodies) instead of folding them into spaces (titles, snippets).
    """
    inert = partial(show_unsafe, keep="\t\n") if lines else one_line
    pieces: list[str] = [base] if color and base else []
    pos = 0
    for start, end in merge_spans(spans, len(text)):
        pieces.append(inert(text[pos:start]))
        if color:
            pieces.append(f"{MATCH}{inert(text[start:end])}{RESET}{base}")
        else:
            pieces.append(inert(text[start:end]))
        pos = end
    pieces.append(inert(text[pos:]))
    if color and base:
        pieces.append(RESET)
    return "".join(pieces)


SOME_WORDS_RULE = "── articles with only some of the words ──"
SOME_WORDS_TAG = "some words"


def result_lines(result: SearchResult, *, color: bool, scores: bool = True) -> list[str]:
    """Every hit as two lines, hits separated by a blank line, then the total and the time.
    Where the hits holding every word give way to hits holding only some, a rule says so
    (:func:`~search.models.some_words_boundary`); each of those hits is tagged: with soft
    coordination a few may rank among the others."""
    lines: list[str] = []
    ruled = some_words_boundary(result.hits)
    for number, hit in enumerate(result.hits):
        if number:
            lines.append("")
        if number == ruled:
            lines += [f"{DIM}{SOME_WORDS_RULE}{RESET}" if color else SOME_WORDS_RULE, ""]
        lines.extend(hit_lines(hit, color=color, score=scores))
    lines.append(total_line(result))
    return lines


FACET_BAR = 30  # characters of the longest bar


def facet_lines(facets: Facets) -> list[str]:
    """The month counts as a bar chart, then the sources, most articles first:

    ``2023-12  ████████  4`` … ``Le Monde  3``; undated and unsourced articles are counted last.
    """
    lines = ["", f"per month ({facets.total} articles):"]
    most = max((n for _, n in facets.months), default=1)
    for month, count in facets.months:
        bar = "█" * max(1, round(count / most * FACET_BAR))
        lines.append(f"  {month}  {bar} {count}")
    if facets.undated:
        lines.append(f"  undated  {facets.undated}")
    lines += ["", "per source:"]
    width = max((len(one_line(s)) for s, _ in facets.sources), default=0)
    lines += [f"  {one_line(s).ljust(width)}  {n}" for s, n in facets.sources]
    if facets.unsourced:
        lines.append(f"  {'(unknown)'.ljust(width)}  {facets.unsourced}")
    return lines


def hit_lines(hit: Hit, *, color: bool, score: bool = True) -> list[str]:
    """Two lines per hit: ``rank. title  (date)  id  score``, then the indented snippet."""
    title = highlight(hit.title or hit.id, hit.title_spans, color=color, base=BOLD)
    date = f"  ({hit.date.isoformat()})" if hit.date else ""
    byline = credit(hit.source, hit.author)
    byline = f"  {one_line(byline)}" if byline else ""
    # Sorted by date, Whoosh reports the sort key as the score: no relevance to show then.
    meta = f"{date}{byline}  {one_line(hit.id)}" + (f"  {hit.score:.2f}" if score else "")
    if not hit.all_words:
        meta += f"  ({SOME_WORDS_TAG})"
    if color:
        meta = f"{DIM}{meta}{RESET}"
    # Strip the snippet's outer whitespace without moving the spans: cut the same prefix off.
    lead = len(hit.snippet) - len(hit.snippet.lstrip())
    body = hit.snippet[lead:].rstrip()
    spans = [(s - lead, e - lead) for s, e in hit.snippet_spans]
    return [f"{hit.rank}. {title}{meta}", f"    {highlight(body, spans, color=color)}"]


def total_line(result: SearchResult) -> str:
    """``3 of 12 articles in 4.1 ms`` (or ``12 articles``, ``no article``); when some articles
    hold only some of the words: ``3 of 474 articles (20 with every word, 454 with some)``."""
    shown, total = len(result.hits), result.total
    if total == 0:
        count = "no article"
    elif shown < total:
        count = f"{shown} of {total} articles"
    else:
        count = f"{total} article" + ("s" if total > 1 else "")
    if result.some_words and total:
        count += f" ({result.all_words} with every word, {result.some_words} with some)"
    return f"{count} in {result.took_ms:.1f} ms"


def article_text(
    article: Article,
    *,
    color: bool,
    title_spans: Iterable[Span] = (),
    text_spans: Iterable[Span] = (),
) -> str:
    """Title, date (and source, author), id, a blank line, then the full text, with the query's
    matches styled."""
    title = highlight(article.title or article.id, title_spans, color=color, base=BOLD)
    date = article.date.isoformat() if article.date else "undated"
    byline = credit(article.source, article.author)
    if byline:
        date = f"{date}  ·  {one_line(byline)}"
    body = highlight(article.text, text_spans, color=color, lines=True)
    return f"{title}\n{date}\n{one_line(article.id)}\n\n{body}"


def human_size(size: int) -> str:
    """Bytes for people: ``812 B``, ``14.2 KB``, ``3.1 MB`` (powers of 1024)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def stats_lines(stats: IndexStats) -> list[str]:
    """One ``label  value`` line per fact, labels aligned."""
    if stats.oldest or stats.newest:
        oldest = stats.oldest.isoformat() if stats.oldest else "?"
        newest = stats.newest.isoformat() if stats.newest else "?"
        dates = f"{oldest} to {newest}"
    else:
        dates = "none found"
    rows = [
        ("documents", str(stats.documents)),
        ("index size", human_size(stats.size_bytes)),
        ("terms", str(stats.terms)),
        ("schema version", str(stats.schema_version)),
        ("built at", stats.built_at.isoformat(timespec="seconds") if stats.built_at else "never"),
        ("dates", dates),
        ("corpus", one_line(stats.corpus)),
        ("index", one_line(stats.index)),
    ]
    width = max(len(label) for label, _ in rows)
    return [f"{label:<{width}}  {value}" for label, value in rows]
