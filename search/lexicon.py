"""The corpus's words, folded, with their spelling and how many articles hold them.

The index holds stems; prefix, wildcard and fuzzy queries need words (``secur*`` is about how
words start, not stems), and so does "did you mean" (suggesting ``Stoltenberg``, never a stem).
This lexicon gives them words, and the spelling an article uses for each.

It is saved beside the Whoosh index of its generation, as data only (JSON lines: a header, then
the words, their counts and spellings): loading it never runs anything. The header holds a
**stamp** of the exact index state it describes (the Whoosh generation and a hash of its table
of contents, which names every segment and every deleted article). The words are saved in
**buckets** of about :data:`BUCKET_WORDS` (by a hash of the word), each with its own hash in the
header, so that a search reads only the buckets of the words it looks up
(:class:`SavedLexicon`: the exact-form bonus's counts, "did you mean"'s "is this a word?") and
not the whole file (18 ms of every cold ``fouille search`` on the 608 man pages). A lexicon
whose stamp does not match (a writer killed between Whoosh's commit and the lexicon's save, a
file copied from another index) or whose bytes, structure or types are wrong is rebuilt from
the stored articles: it can be missing for a moment, never wrong for good.
:func:`lexicon_for` is that policy, for the engine and the indexer alike. A lexicon of the
previous format (one body, no buckets) is read whole once and saved again in this one.
"""

from __future__ import annotations

import bisect
import contextlib
import fnmatch
import hashlib
import json
import threading
import zlib
from collections.abc import Iterable, Mapping
from itertools import accumulate, chain, pairwise, repeat
from operator import itemgetter, mod, mul, ne
from pathlib import Path

from whoosh.searching import Searcher

from search.analysis import FrenchAnalyzer
from search.store import write_atomically

LEXICON_FILE = "lexicon.jsonl"
_FORMAT = 3
_PREVIOUS_FORMAT = 2
"""One body of three columns (words, counts, spellings) and one hash: read whole, then saved
again in :data:`_FORMAT`."""
_DIGEST_BYTES = 16
BUCKET_WORDS = 256
"""Words per bucket, on average: reading one costs ~0.1 ms."""


class LexiconDamaged(Exception):
    """A saved lexicon read a bucket at a time turned out unsound (its stamp was right): the
    answer it would give cannot be trusted; the caller rebuilds the lexicon and asks again."""


def _buckets_of(words: Iterable[str], buckets: int) -> list[int]:
    """The bucket of each of ``words`` among ``buckets``: the CRC-32 of its UTF-8 bytes, modulo
    their number (in C loops: a build saves every word of the corpus)."""
    return list(map(mod, map(zlib.crc32, map(str.encode, words)), repeat(buckets)))


def _bucket_of(word: str, buckets: int) -> int:
    return _buckets_of((word,), buckets)[0]


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
        entries = self.entries.values()
        save_columns(
            folder,
            generation,
            list(self.entries),
            list(map(itemgetter(0), entries)),
            list(map(itemgetter(1), entries)),
        )

    @classmethod
    def load(cls, folder: Path, generation: int) -> Lexicon | None:
        """The saved lexicon of the index state at ``generation``, whole, or None when it is
        missing, for another state, damaged, or not made of words, positive counts and
        spellings."""
        found = _read_saved(folder, generation)
        if isinstance(found, SavedLexicon):
            try:
                return found.whole()
            except LexiconDamaged:
                return None
        return found


def save_columns(
    folder: Path, generation: int, words: list[str], counts: list[int], spellings: list[str]
) -> None:
    """Save the lexicon of ``words`` with their ``counts`` and ``spellings`` (three columns of
    one length, each word once): what :meth:`Lexicon.save` writes, byte for byte. Columns in,
    columns out: the buckets and the reordering by ``map`` and one ``json.dumps`` per bucket,
    with no ``[count, spelling]`` list made per word. A bucket keeps its words in their order."""
    stamp = index_stamp(folder, generation)
    if stamp is None:
        return
    count = max(1, -(-len(words) // BUCKET_WORDS))
    where = _buckets_of(words, count)
    groups: list[list[int]] = [[] for _ in range(count)]
    for i, n in enumerate(where):  # a bucket's words in their order; cheaper than a sort
        groups[n].append(i)
    order = list(chain.from_iterable(groups))
    words = list(map(words.__getitem__, order))
    counts = list(map(counts.__getitem__, order))
    spelt = list(map(spellings.__getitem__, order))
    spellings = list(map(mul, spelt, map(ne, spelt, words)))  # "" where it is the word
    bounds = [0, *accumulate(map(len, groups))]
    blobs = [
        json.dumps([words[lo:hi], counts[lo:hi], spellings[lo:hi]], ensure_ascii=False).encode(
            "utf-8"
        )
        for lo, hi in pairwise(bounds)
    ]
    header = {
        "format": _FORMAT,
        "stamp": stamp,
        "words": len(words),
        "buckets": [[len(blob), _digest(blob)] for blob in blobs],
    }
    body = b"".join(blob + b"\n" for blob in blobs)
    write_atomically(folder / LEXICON_FILE, json.dumps(header).encode() + b"\n" + body)


def _entries_of(columns: object) -> dict[str, list] | None:
    """``word -> [count, spelling]`` from three columns, or None unless they are words, positive
    counts and spellings, of one length, each word once."""
    if not isinstance(columns, list) or len(columns) != 3:
        return None
    words, counts, spellings = columns
    if not (isinstance(words, list) and isinstance(counts, list)):
        return None
    if not isinstance(spellings, list) or not len(words) == len(counts) == len(spellings):
        return None
    if not set(map(type, words)) <= {str} or not set(map(type, spellings)) <= {str}:
        return None
    if not set(map(type, counts)) <= {int} or (counts and min(counts) < 1):
        return None
    entries = {w: [c, s or w] for w, c, s in zip(words, counts, spellings, strict=True)}
    if len(entries) != len(words) or "" in entries:
        return None
    return entries


def _read_saved(folder: Path, generation: int) -> SavedLexicon | Lexicon | None:
    """The saved lexicon of the index state at ``generation``: to be read a bucket at a time,
    or whole when it is of the previous format; None when it is missing, for another state, or
    its header is unsound."""
    stamp = index_stamp(folder, generation)
    try:
        raw = (folder / LEXICON_FILE).read_bytes()
    except OSError:
        return None
    head, _, body = raw.partition(b"\n")
    try:
        header = json.loads(head)
    except (ValueError, RecursionError):  # UnicodeDecodeError included
        return None
    if not isinstance(header, dict) or stamp is None or header.get("stamp") != stamp:
        return None
    words = header.get("words")
    if type(words) is not int:
        return None
    if header.get("format") == _PREVIOUS_FORMAT:
        return _read_previous(header, body.removesuffix(b"\n"), words)
    if header.get("format") != _FORMAT:
        return None
    return SavedLexicon.of(body, header.get("buckets"), words)


def _read_previous(header: dict, body: bytes, words: int) -> Lexicon | None:
    if header.get("digest") != _digest(body):
        return None
    try:
        entries = _entries_of(json.loads(body))
    except (ValueError, RecursionError):
        return None
    return Lexicon(entries) if entries is not None and len(entries) == words else None


class SavedLexicon:
    """A saved lexicon read a bucket at a time: a word's count and spelling, and whether the
    corpus has it, cost the bucket of that word (each read once, checked against its hash);
    prefixes, patterns, typos and the number of words read every bucket, once. Shared by the
    engine's threads. A bucket found unsound raises :class:`LexiconDamaged` and marks the
    lexicon ``damaged``: never an answer from its bytes."""

    def __init__(self, body: bytes, buckets: list[tuple[int, int, str]], words: int) -> None:
        self._body = body
        self._buckets = buckets  # (start in body, length, hash) of each bucket
        self._words = words
        self._entries: dict[str, list] = {}
        self._read: set[int] = set()
        self._whole: Lexicon | None = None
        self._lock = threading.Lock()
        self.damaged = False

    @classmethod
    def of(cls, body: bytes, buckets: object, words: int) -> SavedLexicon | None:
        """The lexicon whose buckets ``body`` holds, each followed by a newline, as the header
        describes them (``[[length, hash], ...]``); None when they do not add up to ``body``."""
        if not isinstance(buckets, list) or not buckets:
            return None
        spans = []
        start = 0
        for bucket in buckets:
            if not (isinstance(bucket, list) and len(bucket) == 2):
                return None
            length, digest = bucket
            if type(length) is not int or length < 0 or not isinstance(digest, str):
                return None
            spans.append((start, length, digest))
            start += length + 1
        if start != len(body):
            return None
        return cls(body, spans, words)

    def _bucket(self, n: int, *, check_place: bool) -> dict[str, list]:
        start, length, digest = self._buckets[n]
        blob = self._body[start : start + length]
        entries = None
        if _digest(blob) == digest and self._body[start + length : start + length + 1] == b"\n":
            try:
                entries = _entries_of(json.loads(blob))
            except (ValueError, RecursionError):
                entries = None
        if entries is not None and check_place:  # a word elsewhere would be looked up in vain
            count = len(self._buckets)
            if any(b != n for b in _buckets_of(entries, count)):
                entries = None
        if entries is None:
            self.damaged = True
            raise LexiconDamaged(f"bucket {n} of the saved lexicon is unsound")
        return entries

    def _entry(self, word: str) -> list | None:
        with self._lock:
            if self._whole is not None:
                return self._whole.entries.get(word)
            n = _bucket_of(word, len(self._buckets))
            if n not in self._read:
                self._entries.update(self._bucket(n, check_place=True))
                self._read.add(n)
            return self._entries.get(word)

    def whole(self) -> Lexicon:
        """Every word (each bucket read once). Raises LexiconDamaged."""
        with self._lock:
            if self._whole is None:
                entries: dict[str, list] = {}
                for n in range(len(self._buckets)):
                    entries.update(self._bucket(n, check_place=False))
                if len(entries) != self._words or "" in entries:
                    self.damaged = True
                    raise LexiconDamaged("the saved lexicon does not hold the words it counts")
                self._whole = Lexicon(entries)
                self._body, self._entries = b"", {}
            return self._whole

    def __len__(self) -> int:
        return len(self.whole())

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._entry(word) is not None

    def doc_count(self, word: str) -> int:
        entry = self._entry(word)
        return entry[0] if entry else 0

    def spelling(self, word: str) -> str:
        entry = self._entry(word)
        return entry[1] if entry else word

    def with_prefix(self, prefix: str, limit: int) -> list[str]:
        return self.whole().with_prefix(prefix, limit)

    def matching(self, pattern: str, limit: int) -> list[str]:
        return self.whole().matching(pattern, limit)

    def within(self, word: str, maxdist: int, limit: int) -> list[str]:
        return self.whole().within(word, maxdist, limit)


Words = Lexicon | SavedLexicon
"""What the searches ask of the corpus's words (counts, spellings, prefixes, typos)."""


def lexicon_for(
    searcher: Searcher,
    folder: Path,
    analyzer: FrenchAnalyzer,
    max_chars: int,
    *,
    save: bool,
    whole: bool = True,
    trust_saved: bool = True,
) -> Words:
    """The lexicon of the index state ``searcher`` reads, from ``folder``: the saved one when
    it is stamped for that state (and sound, when read ``whole``), else rebuilt from the stored
    articles (and, with ``save``, written back when the folder is writable; a lexicon of the
    previous format is written again in this one). Without ``whole``, a saved lexicon is read a
    bucket at a time (:class:`SavedLexicon`); ``trust_saved=False`` rebuilds it even so (one
    found damaged while read). The one load-or-rebuild policy."""
    generation = searcher.reader().generation()
    found = _read_saved(folder, generation) if trust_saved else None
    if isinstance(found, SavedLexicon):
        if not whole:
            return found
        with contextlib.suppress(LexiconDamaged):
            return found.whole()
        found = None
    if found is None:
        found = build_lexicon(searcher, analyzer, max_chars)
    if save:
        with contextlib.suppress(OSError):  # a read-only index still answers
            found.save(folder, generation)
    return found


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
