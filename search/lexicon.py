"""The corpus's words, folded, with their spelling and how many articles hold them.

The index holds stems; prefix, wildcard and fuzzy queries need words (``secur*`` is about how
words start, not stems), and so does "did you mean" (suggesting ``Stoltenberg``, never a stem).
This lexicon gives them words, and the spelling an article uses for each.

It is saved beside the Whoosh index of its generation, as data only (two JSON lines: a header,
then the words, their counts and spellings): loading it never runs anything. The header holds
a **stamp** of the exact index state it describes (the Whoosh generation and a hash of its table
of contents, which names every segment and every deleted article) and a hash of the body. A
lexicon whose stamp does not match (a writer killed between Whoosh's commit and the lexicon's
save, a file copied from another index) or whose body, structure or types are wrong is rebuilt
from the stored articles: it can be missing for a moment, never wrong for good.
:func:`lexicon_for` is that policy, for the engine and the indexer alike.
"""

from __future__ import annotations

import bisect
import contextlib
import fnmatch
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from whoosh.searching import Searcher

from search.analysis import FrenchAnalyzer
from search.store import write_atomically

LEXICON_FILE = "lexicon.jsonl"
_FORMAT = 2
_DIGEST_BYTES = 16


def index_stamp(folder: Path, generation: int) -> str | None:
    """What identifies one state of the Whoosh index in ``folder``: its generation and a hash of
    its TOC (segment names, document counts, deletions), or None when that TOC is gone (a newer
    commit replaced it)."""
    try:
        toc = (folder / f"_MAIN_{generation}.toc").read_bytes()  # Whoosh's TOC file name
    except OSError:
        return None
    return f"{generation}:{_digest(toc)}"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=_DIGEST_BYTES).hexdigest()


class Lexicon:
    """``folded word -> [number of articles, spelling]``."""

    def __init__(self, entries: dict[str, list] | None = None) -> None:
        self.entries: dict[str, list] = entries if entries is not None else {}
        self._sorted: list[str] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, word: object) -> bool:
        return word in self.entries

    def add(self, words: Mapping[str, str]) -> None:
        """Count one article's words (``folded -> spelling``)."""
        entries = self.entries
        for word, spelling in words.items():
            entry = entries.get(word)
            if entry is None:
                entries[word] = [1, spelling]
            else:
                entry[0] += 1
        self._sorted = None

    def merge(self, other: Lexicon) -> None:
        """Add the counts of ``other`` (the words of other articles, e.g. another indexing
        worker's); a word keeps the spelling it has here, if it is here."""
        entries = self.entries
        for word, (count, spelling) in other.entries.items():
            entry = entries.get(word)
            if entry is None:
                entries[word] = [count, spelling]
            else:
                entry[0] += count
        self._sorted = None

    def remove(self, words: Iterable[str]) -> None:
        """Uncount one article's words."""
        entries = self.entries
        for word in words:
            entry = entries.get(word)
            if entry is not None:
                entry[0] -= 1
                if entry[0] <= 0:
                    del entries[word]
        self._sorted = None

    def doc_count(self, word: str) -> int:
        entry = self.entries.get(word)
        return entry[0] if entry else 0

    def spelling(self, word: str) -> str:
        entry = self.entries.get(word)
        return entry[1] if entry else word

    def _words(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.entries)
        return self._sorted

    def _starting_with(self, prefix: str) -> Iterable[str]:
        words = self._words()
        i = bisect.bisect_left(words, prefix)
        while i < len(words) and words[i].startswith(prefix):
            yield words[i]
            i += 1

    def with_prefix(self, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` words starting with ``prefix``, the most frequent first."""
        return _most_frequent(self, self._starting_with(prefix), limit)

    def matching(self, pattern: str, limit: int) -> list[str]:
        """Up to ``limit`` words matching a ``*``/``?`` pattern, the most frequent first."""
        literal = pattern[: min((i for i, c in enumerate(pattern) if c in "*?"), default=0)]
        found = (w for w in self._starting_with(literal) if fnmatch.fnmatchcase(w, pattern))
        return _most_frequent(self, found, limit)

    def within(self, word: str, maxdist: int, limit: int) -> list[str]:
        """Up to ``limit`` other words within ``maxdist`` edits (first letter kept), the
        closest then the most frequent first."""
        scored = []
        letters = set(word)
        for candidate in self._starting_with(word[:1]):
            if candidate == word or abs(len(candidate) - len(word)) > maxdist:
                continue
            # each edit changes the set of letters by at most two: a cheap first sieve
            if len(letters.symmetric_difference(candidate)) > 2 * maxdist:
                continue
            distance = edit_distance(candidate, word, maxdist)
            if distance <= maxdist:
                scored.append((distance, -self.doc_count(candidate), candidate))
        return [w for _, _, w in sorted(scored)[:limit]]

    def save(self, folder: Path, generation: int) -> None:
        """Write atomically, stamped with the state of the index at ``generation``: a reader
        sees the previous file or this one. Nothing is written when that state is gone. The
        temporary name is the thread's own: a search rebuilding a stale lexicon can save it
        while the writer of the same process saves the new one (the app's folder watcher)."""
        stamp = index_stamp(folder, generation)
        if stamp is None:
            return
        words = list(self.entries)
        counts = [self.entries[w][0] for w in words]
        spellings = [self.entries[w][1] if self.entries[w][1] != w else "" for w in words]
        body = json.dumps([words, counts, spellings], ensure_ascii=False).encode("utf-8")
        header = {"format": _FORMAT, "stamp": stamp, "words": len(words), "digest": _digest(body)}
        write_atomically(folder / LEXICON_FILE, json.dumps(header).encode() + b"\n" + body + b"\n")

    @classmethod
    def load(cls, folder: Path, generation: int) -> Lexicon | None:
        """The saved lexicon of the index state at ``generation``, or None when it is missing,
        for another state, damaged, or not made of words, positive counts and spellings."""
        stamp = index_stamp(folder, generation)
        try:
            raw = (folder / LEXICON_FILE).read_bytes()
        except OSError:
            return None
        head, _, body = raw.partition(b"\n")
        body = body.removesuffix(b"\n")
        try:
            header = json.loads(head)
            if not isinstance(header, dict) or header.get("format") != _FORMAT:
                return None
            if stamp is None or header.get("stamp") != stamp:
                return None
            if header.get("digest") != _digest(body):
                return None
            columns = json.loads(body)
        except (ValueError, RecursionError):  # UnicodeDecodeError included
            return None
        return cls._from_columns(columns, header.get("words"))

    @classmethod
    def _from_columns(cls, columns: object, expected: object) -> Lexicon | None:
        if not isinstance(columns, list) or len(columns) != 3:
            return None
        words, counts, spellings = columns
        if not (isinstance(words, list) and isinstance(counts, list)):
            return None
        if not isinstance(spellings, list) or not len(words) == len(counts) == len(spellings):
            return None
        if type(expected) is not int or len(words) != expected:
            return None
        if not set(map(type, words)) <= {str} or not set(map(type, spellings)) <= {str}:
            return None
        if not set(map(type, counts)) <= {int} or (counts and min(counts) < 1):
            return None
        entries = {w: [c, s or w] for w, c, s in zip(words, counts, spellings, strict=True)}
        if len(entries) != len(words) or "" in entries:
            return None
        return cls(entries)


def lexicon_for(
    searcher: Searcher, folder: Path, analyzer: FrenchAnalyzer, max_chars: int, *, save: bool
) -> Lexicon:
    """The lexicon of the index state ``searcher`` reads, from ``folder``: the saved one when
    it is sound and stamped for that state, else rebuilt from the stored articles (and, with
    ``save``, written back when the folder is writable). The one load-or-rebuild policy."""
    generation = searcher.reader().generation()
    lexicon = Lexicon.load(folder, generation)
    if lexicon is None:
        lexicon = build_lexicon(searcher, analyzer, max_chars)
        if save:
            with contextlib.suppress(OSError):  # a read-only index still answers
                lexicon.save(folder, generation)
    return lexicon


def _most_frequent(lexicon: Lexicon, words: Iterable[str], limit: int) -> list[str]:
    found = list(words)
    if len(found) > limit:
        found.sort(key=lambda w: -lexicon.doc_count(w))
        found = found[:limit]
    return found


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): a swap of two letters is one.

    With ``limit``, stops as soon as the distance must exceed it (and returns ``limit + 1``):
    most candidates of a fuzzy lookup are rejected after a few letters."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[len(b)]


def build_lexicon(searcher: Searcher, analyzer: FrenchAnalyzer, max_chars: int) -> Lexicon:
    """The lexicon of every article in the index, re-read from the stored text (the first
    ``max_chars`` of it, as the indexer analysed)."""
    reader = searcher.reader()
    lexicon = Lexicon()
    for docnum in reader.all_doc_ids():  # live documents only (not deleted ones)
        stored = reader.stored_fields(docnum)
        text = f"{stored.get('title', '')}\n{stored.get('body', '')[:max_chars]}"
        lexicon.add(analyzer.words(text))
    return lexicon
