"""Plain data passed between the engine and its two front ends (CLI and TUI).

Highlights are data, not markup: text plus ``(start, end)`` character spans into that text.
Rendering them (ANSI in the CLI, ``Content.stylize`` in Textual) is the front end's job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Span = tuple[int, int]
HighlightTerms = dict[str, frozenset[str]]
"""Per field (``title``, ``body``), the index terms whose occurrences a result highlights."""


def merge_spans(spans: Iterable[Span], length: int | None = None) -> list[Span]:
    """Spans sorted, overlaps joined (two highlighted terms may cover one word), empty ones
    dropped; clamped to ``[0, length]`` when ``length`` is given.

    >>> merge_spans([(5, 9), (0, 2), (8, 12), (20, 30)], 22)
    [(0, 2), (5, 12), (20, 22)]
    """
    merged: list[Span] = []
    for start, end in sorted(spans):
        if length is not None:
            start, end = max(0, start), min(length, end)
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


SortOrder = Literal["relevance", "date"]


def credit(source: str | None, author: str | None) -> str:
    """ "Le Monde · Jeanne Martin", "Le Monde", "Jeanne Martin" or "": who published and wrote
    an article, as every front end shows it (raw text: front ends clean it for the terminal)."""
    return " · ".join(part for part in (source, author) if part)


def offer_mark(suggestion: str) -> str:
    """The question mark that closes "did you mean <suggestion>": none when the suggestion
    ends with the user's own (``Comment supprimer un fichier ?``), as every front end asks."""
    return "" if suggestion.rstrip().endswith(("?", "？")) else "?"


@dataclass(frozen=True)
class Article:
    """One corpus file, decoded and cleaned, as indexed and as shown in the reader.

    ``text`` is NFC-normalised with control characters (other than newline and tab) removed,
    so stored offsets, highlight spans and what reaches the terminal all agree.
    """

    id: str  # path relative to the corpus, with "/" separators
    path: Path
    title: str
    date: dt.date | None
    text: str
    mtime_ns: int = 0
    size: int = 0
    source: str | None = None  # the outlet or site, when the file or its layout says
    author: str | None = None


@dataclass(frozen=True)
class Hit:
    """One ranked result, with a snippet (about 200 characters) and the spans of its matches."""

    rank: int
    id: str
    path: str
    title: str
    date: dt.date | None
    score: float
    snippet: str
    snippet_spans: list[Span]
    title_spans: list[Span] = field(default_factory=list)
    source: str | None = None  # the outlet or site, None when unknown
    author: str | None = None
    all_words: bool = True  # False: the article holds only some of the query's words

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["score"] = round(self.score, 4)
        data["snippet_spans"] = [list(s) for s in self.snippet_spans]
        data.pop("title_spans")
        return data


def some_words_boundary(hits: Sequence[Hit]) -> int | None:
    """Where a list of hits gives way to hits holding only some of the query's words: the
    index of the first hit after the last one holding every word, when there are both; None
    when every hit holds every word, or none does (a notice says so then). Every hit from there
    on holds only some words; the few that rank among the others are tagged, not ruled off."""
    last_complete = max((n for n, hit in enumerate(hits) if hit.all_words), default=None)
    if last_complete is None or last_complete == len(hits) - 1:
        return None
    return last_complete + 1


@dataclass(frozen=True)
class Facets:
    """How the articles matching a query spread over months and sources.

    ``months`` is ``(("2023-11", 4), ("2023-12", 2), ...)`` in calendar order, months without
    articles left out; ``sources`` is ``(("Le Monde", 3), ...)``, most articles first. Articles
    without a date or a source are counted in ``undated`` and ``unsourced``.
    """

    total: int
    months: tuple[tuple[str, int], ...]
    sources: tuple[tuple[str, int], ...]
    undated: int = 0
    unsourced: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "months": [{"month": m, "count": n} for m, n in self.months],
            "sources": [{"source": s, "count": n} for s, n in self.sources],
            "undated": self.undated,
            "unsourced": self.unsourced,
        }


STOP_WORDS_NOTICE = (
    "a query made only of stop words (le, la, les, de…), which are not indexed: "
    "add a more specific word"
)
"""What both front ends say of a result with ``only_stop_words``."""


@dataclass(frozen=True)
class SearchResult:
    """The answer to one query.

    ``total`` counts every article the query matches: ``all_words`` of them hold every word of
    a several-word query, ``some_words`` only some (both exact, whatever the limit; a query with
    an explicit AND, one word or a phrase has ``some_words == 0``);
    ``fallback`` is true when no document has every word and the hits are partial matches;
    ``only_stop_words`` when every word typed is a stop word (``les``), so nothing was searched;
    ``suggestion`` is a corrected query made of real corpus words ("did you mean").
    """

    query: str
    total: int
    took_ms: float
    hits: list[Hit]
    suggestion: str | None = None
    fallback: bool = False
    # what to highlight in any of the hits (Engine.match_spans): the reader never re-parses
    highlight_terms: HighlightTerms = field(default_factory=dict)
    only_stop_words: bool = False  # the query's words are all stop words, which are not indexed
    facets: Facets | None = None  # when asked for (fouille search --facets)
    variants: dict[str, list[str]] = field(default_factory=dict)
    """Spelling variants searched too: query word -> its other spellings."""
    all_words: int = -1  # -1: as many as total
    some_words: int = 0

    def __post_init__(self) -> None:
        if self.all_words < 0:
            object.__setattr__(self, "all_words", self.total - self.some_words)

    def to_json(self) -> dict[str, Any]:
        data = {
            "query": self.query,
            "total": self.total,
            "all_words": self.all_words,
            "some_words": self.some_words,
            "took_ms": round(self.took_ms, 2),
            "suggestion": self.suggestion,
            "fallback": self.fallback,
            "only_stop_words": self.only_stop_words,
            "variants": self.variants,
            "hits": [h.to_json() for h in self.hits],
        }
        if self.facets is not None:
            data["facets"] = self.facets.to_json()
        return data


@dataclass(frozen=True)
class IndexReport:
    """What one ``index`` run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: tuple[tuple[str, str], ...] = ()  # (id, reason) of files that could not be indexed
    seconds: float = 0.0
    full: bool = False
    reason: str = ""  # why a full build happened on its own ("no index yet", "older version")

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        kind = "full rebuild" if self.full else "incremental"
        text = (
            f"{kind}: {self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged"
        )
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return f"{text} in {self.seconds:.2f} s"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["skipped"] = [{"id": i, "reason": r} for i, r in self.skipped]
        data["seconds"] = round(self.seconds, 3)
        return data


@dataclass(frozen=True)
class IndexStats:
    """Size and provenance of the index, for ``fouille stats`` and the app's status line."""

    corpus: str
    index: str
    documents: int
    size_bytes: int
    terms: int
    schema_version: int
    built_at: dt.datetime | None
    oldest: dt.date | None = None
    newest: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["built_at"] = self.built_at.isoformat() if self.built_at else None
        data["oldest"] = self.oldest.isoformat() if self.oldest else None
        data["newest"] = self.newest.isoformat() if self.newest else None
        return data


@dataclass(frozen=True)
class Progress:
    """A progress tick during indexing: ``done`` of ``total`` files, ``current`` id."""

    done: int
    total: int
    current: str = ""
