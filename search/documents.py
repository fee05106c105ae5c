"""What the index holds of an article, and writing corpus files into a Whoosh writer.

One loop serves every writer: the serial and parallel full builds (:mod:`search.parallel`)
and incremental updates (:mod:`search.indexer`). Files are loaded here, through
:func:`search.corpus.load_article`, so in a parallel build the loading (and any text
extraction) runs in the worker processes.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from search.errors import STOPPED, IndexingCancelled
from search.lexicon import Lexicon, save_columns
from search.models import Article

if TYPE_CHECKING:
    from whoosh.writing import SegmentWriter

    from search.corpus import CorpusEntry
    from search.segment import SegmentBuilder

Tick = Callable[[int, str], None]
"""``tick(files_done, current_id)``, after each file."""

MAX_INDEXED_CHARS = 1_000_000
"""Only this much of an article's text is analysed (the whole text is still stored and shown).

Analysing costs about 40 bytes of memory per character (positions and character offsets of
every token): a 10 MB one-line file took 400 MB and a 10 MB base64 blob 35 s. A million
characters is a 500-page book; past that, the words are not searchable but the memory peak stays
around 50 MB per file, whatever the corpus holds."""


def document_fields(article: Article) -> dict[str, Any]:
    """The Whoosh fields of one article: the text is analysed up to MAX_INDEXED_CHARS and
    stored whole."""
    date = article.date
    return {
        "id": article.id,
        "path": str(article.path),
        "title": article.title[:MAX_INDEXED_CHARS],
        "body": article.text[:MAX_INDEXED_CHARS],
        "_stored_body": article.text,
        "source": article.source or "",
        "author": article.author or "",
        "date": date.year * 10000 + date.month * 100 + date.day if date else 0,
        "mtime": article.mtime_ns,
        "size": article.size,
    }


class WordCounts:
    """The words of the articles a full build (or one of its workers) writes: how many articles
    hold each folded word, and its first spelling. What :meth:`Lexicon.add` counts, without a
    Python loop per word of each article (a Counter's C loop; only the spellings of words not
    seen before are looked at); :meth:`save` writes them as the lexicon once, at the end,
    without making a :class:`Lexicon` (a list per word)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.spellings: dict[str, str] = {}

    def add(self, words: Mapping[str, str]) -> None:
        """Count one article's words (``folded -> spelling``)."""
        self.counts.update(words.keys())  # an iterable, not a mapping: counted in C
        new = set(words).difference(self.spellings)  # a loop over this article's words only
        if new:
            self.spellings.update({word: words[word] for word in new})

    def merge(self, other: WordCounts) -> None:
        """Add the counts of ``other`` (the articles after these: a word keeps the spelling
        it has here, if it is here)."""
        self.counts.update(other.counts)
        self.spellings = {**other.spellings, **self.spellings}

    def save(self, folder: Path, generation: int) -> None:
        """Save the counted words as the lexicon of the index state ``generation`` in
        ``folder`` (what ``Lexicon(...).save`` writes, byte for byte)."""
        words = list(self.counts)
        spellings = list(map(self.spellings.__getitem__, words))
        save_columns(folder, generation, words, list(self.counts.values()), spellings)


def write_entries(
    writer: SegmentWriter | SegmentBuilder,
    entries: Sequence[CorpusEntry],
    *,
    replace: bool,
    tick: Tick | None,
    should_stop: Callable[[], bool] | None,
    skipped: list[tuple[str, str]],
    lexicon: Lexicon | WordCounts,
) -> int:
    """Load and write ``entries`` and count their words in ``lexicon``; returns how many were
    written. Files that cannot be loaded go to ``skipped`` (and, with ``replace``, their old
    version leaves the index: ``replace`` needs a Whoosh writer, a full build's
    :class:`~search.segment.SegmentBuilder` only adds)."""
    # imported here: searching needs MAX_INDEXED_CHARS, not the loading of files
    from search.corpus import SkippedFile, load_article
    from search.schema import field_analyzer

    analyzer = field_analyzer(writer.schema)
    written = 0
    add = writer.update_document if replace else writer.add_document  # type: ignore[union-attr]
    for i, entry in enumerate(entries, start=1):
        if should_stop is not None and should_stop():
            raise IndexingCancelled(STOPPED)  # the caller says what remains
        try:
            article = load_article(entry)
        except SkippedFile as exc:
            skipped.append((entry.id, str(exc)))
            if replace:
                writer.delete_by_term("id", entry.id)  # type: ignore[union-attr]
        else:
            analyzer.collector = {}  # filled while Whoosh analyses the title and the body
            try:
                add(**document_fields(article))
                lexicon.add(analyzer.collector)
            finally:
                analyzer.collector = None
            written += 1
        if tick is not None:
            tick(i, entry.id)
    return written


def cancel_writer(writer: SegmentWriter) -> None:
    """Abandon a writer without hiding the error that made us abandon it (on a full disk,
    closing its files can fail too)."""
    with contextlib.suppress(Exception):
        writer.cancel()
