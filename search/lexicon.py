"""The corpus's words, folded, with their spelling and how many articles hold them.

The index holds stems; prefix, wildcard and fuzzy queries need words (``secur*`` is about how
words start, not stems), and so does "did you mean" (suggesting ``Stoltenberg``, never a stem).
This lexicon gives them words, and the spelling an article uses for each.

It is saved beside the Whoosh index of its generation, stamped with the Whoosh generation it
describes. A lexicon whose stamp does not match (a writer killed between Whoosh's commit and the
lexicon's save) is rebuilt from the stored articles, so it can be stale only for a moment, never
wrong for good.
"""

from __future__ import annotations

import bisect
import contextlib
import fnmatch
import os
import pickle
from collections.abc import Iterable, Mapping
from pathlib import Path

from whoosh.searching import Searcher

from search.analysis import FrenchAnalyzer

LEXICON_FILE = "lexicon.pickle"
_FORMAT = 1


class Lexicon:
    """``folded word -> [number of articles, spelling]``."""

    def __init__(self, entries: dict[str, list] | None = None, generation: int = -1) -> None:
        self.entries: dict[str, list] = entries if entries is not None else {}
        self.generation = generation
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

    def save(self, folder: Path) -> None:
        """Write atomically: a reader sees the previous file or this one."""
        tmp = folder / f"{LEXICON_FILE}.tmp-{os.getpid()}"
        try:
            with open(tmp, "wb") as fh:
                pickle.dump((_FORMAT, self.generation, self.entries), fh, protocol=5)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, folder / LEXICON_FILE)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    @classmethod
    def load(cls, folder: Path) -> Lexicon | None:
        """The saved lexicon, or None when it is missing or unreadable."""
        try:
            with open(folder / LEXICON_FILE, "rb") as fh:
                version, generation, entries = pickle.load(fh)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            return None
        if version != _FORMAT or not isinstance(entries, dict):
            return None
        return cls(entries, generation)


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
    lexicon = Lexicon(generation=reader.generation())
    for docnum in reader.all_doc_ids():  # live documents only (not deleted ones)
        stored = reader.stored_fields(docnum)
        text = f"{stored.get('title', '')}\n{stored.get('body', '')[:max_chars]}"
        lexicon.add(analyzer.words(text))
    return lexicon
