"""The corpus folder as a list of files, and each file as an ``Article``.

Scanning costs one ``stat`` per file and reads nothing, so the incremental indexer can compare
``mtime_ns`` and ``size`` with what it stored and load only what changed. Anything wrong with
one file (binary, unreadable, vanished, too large, a broken link) skips that file with a
one-line reason; only a missing or unreadable corpus folder stops the run.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from search.errors import CorpusError
from search.extract import SUPPORTED, TEXT_EXTENSION, Extracted, Unextractable, extension
from search.metadata import extract_date, extract_source, extract_title
from search.models import Article
from search.safety import escape_unsafe, replace_undecodable
from search.textclean import clean_text, decode, looks_binary

MAX_FILE_BYTES: int = 20 * 1024 * 1024
_MB = 1024 * 1024
_READ_CHUNK = 1024 * 1024

# Skip reasons the indexer may want to recognise (the size one also carries the figures).
BINARY = "binary content"
VANISHED = "vanished while indexing"
NOT_REGULAR = "not a regular file"
BROKEN_LINK = "broken symlink"
PERMISSION_DENIED = "unreadable: permission denied"
OUTSIDE_LINK = "link out of the corpus, not followed (--follow-outside follows it)"


class SkippedFile(Exception):
    """A corpus file that cannot be indexed; the message is the one-line reason shown to users."""


@dataclass(frozen=True)
class CorpusEntry:
    """One file of a supported format found by the scan, with what the indexer compares to
    detect changes."""

    id: str  # path relative to the corpus, "/" separators, printable (see safe_name)
    path: Path  # the real path, which may hold undecodable bytes: open it, never print it
    mtime_ns: int
    size: int


def safe_name(name: str) -> str:
    """A file name fit for JSON and a terminal, from the name as ``os.fsdecode`` gives it.

    Bytes that are not UTF-8 (surrogate escapes) become U+FFFD; the characters
    :mod:`search.safety` calls unsafe, which would move the cursor, break a line of output or
    reorder it, are written as ``\\n``, ``\\t``, ``\\x1b``, ``\\u202e``.
    """
    return escape_unsafe(replace_undecodable(name))


def _reason(exc: OSError) -> str:
    """One line for an OS error on a corpus file."""
    if isinstance(exc, FileNotFoundError):
        return VANISHED
    if isinstance(exc, PermissionError):
        return PERMISSION_DENIED
    if exc.errno == errno.ELOOP:
        return "unreadable: symlink loop"
    message = exc.strerror or exc.__class__.__name__
    return f"unreadable: {message[:1].lower()}{message[1:]}"


def _unreadable_corpus(corpus: Path, exc: OSError) -> CorpusError:
    detail = _reason(exc).removeprefix("unreadable: ")
    return CorpusError(f"corpus folder unreadable: {corpus} ({detail})")


def _megabytes(size: int) -> str:
    if size < _MB:
        return f"{size / 1024:.1f} KB".replace(".0 KB", " KB")
    return f"{size / _MB:.1f} MB".replace(".0 MB", " MB")


def _too_large(size: int) -> str:
    return f"too large ({_megabytes(size)} > {_megabytes(MAX_FILE_BYTES)})"


def scan_corpus(
    corpus: Path, *, follow_outside: bool = False
) -> tuple[list[CorpusEntry], list[tuple[str, str]]]:
    """Every file of a supported format under ``corpus``, sorted by id, and the (id, reason) of
    those skipped. The formats are :data:`search.extract.SUPPORTED`: ``.txt``, ``.md``,
    ``.html``, ``.pdf``, ``.docx``, ``.odt``, ``.epub``.

    Follows symlinked files and folders that stay inside the corpus (its real path), and, with
    ``follow_outside``, those that leave it; each one left out is skipped with a reason, so a
    link to ``/etc`` or ``/usr/share`` never pulls system files into the index unasked. Enters
    each real folder once, so a link to a parent cannot loop. Names starting with "." (``.git``,
    macOS ``._`` resource files) are ignored. Raises CorpusError when ``corpus`` is missing,
    not a folder or unreadable.
    """
    corpus = Path(corpus)
    try:
        root = corpus.stat()
    except FileNotFoundError:
        raise CorpusError(f"corpus folder not found: {corpus}") from None
    except OSError as exc:
        raise _unreadable_corpus(corpus, exc) from None
    if not stat.S_ISDIR(root.st_mode):
        raise CorpusError(f"not a folder: {corpus}")

    real_root = os.path.realpath(corpus)
    entries: dict[str, CorpusEntry] = {}
    skipped: list[tuple[str, str]] = []
    visited = {(root.st_dev, root.st_ino)}
    pending: list[tuple[str, str]] = [(os.fspath(corpus), "")]  # (folder path, id prefix)
    first = True
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if first:
                raise _unreadable_corpus(corpus, exc) from None
            skipped.append((prefix, _reason(exc)))
            continue
        first = False
        subfolders: list[tuple[str, str]] = []
        for child in children:
            if child.name.startswith("."):
                continue
            entry_id = prefix + safe_name(child.name)
            is_dir = False
            try:
                is_dir = child.is_dir()
                if not is_dir and extension(child.name) not in SUPPORTED:
                    continue
                info = child.stat()
                if not follow_outside and _is_link(child) and not _within(child.path, real_root):
                    skipped.append((entry_id + ("/" if is_dir else ""), OUTSIDE_LINK))
                    continue
                if is_dir:
                    key = (info.st_dev, info.st_ino)
                    if key not in visited:  # else a link to a folder already scanned, or a loop
                        visited.add(key)
                        subfolders.append((child.path, entry_id + "/"))
                    continue
            except FileNotFoundError:
                if extension(child.name) in SUPPORTED:
                    skipped.append((entry_id, BROKEN_LINK if child.is_symlink() else VANISHED))
                continue
            except OSError as exc:  # e.g. ENAMETOOLONG: a folder whose path passes PATH_MAX
                if is_dir or extension(child.name) in SUPPORTED or _is_link(child):
                    skipped.append((entry_id + ("/" if is_dir else ""), _reason(exc)))
                continue
            if not stat.S_ISREG(info.st_mode):
                skipped.append((entry_id, NOT_REGULAR))
            elif entry_id in entries:
                skipped.append((entry_id, "same name as another file once made printable"))
            else:
                entries[entry_id] = CorpusEntry(
                    entry_id, Path(child.path), info.st_mtime_ns, info.st_size
                )
        pending.extend(reversed(subfolders))  # depth first, in name order
    return sorted(entries.values(), key=lambda e: e.id), sorted(skipped)


def _within(path: str, real_root: str) -> bool:
    """True when ``path``, links resolved, is ``real_root`` or below it."""
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _read(entry: CorpusEntry) -> tuple[bytes, os.stat_result]:
    """The file's bytes and the stat of what was read, refusing anything but a regular file
    of at most MAX_FILE_BYTES (a file growing while read is caught too)."""
    # O_NONBLOCK: a FIFO swapped in after the scan must not hang the indexer on open.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(entry.path, flags)
    except IsADirectoryError:
        raise SkippedFile(NOT_REGULAR) from None
    except OSError as exc:
        raise SkippedFile(_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SkippedFile(NOT_REGULAR)
        if info.st_size > MAX_FILE_BYTES:
            raise SkippedFile(_too_large(info.st_size))
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, _READ_CHUNK):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise SkippedFile(_too_large(total))
        return b"".join(chunks), info
    except OSError as exc:
        raise SkippedFile(_reason(exc)) from None
    finally:
        os.close(fd)


def load_article(entry: CorpusEntry) -> Article:
    """Read, extract, clean and describe one corpus file.

    ``.txt`` files are decoded here; every other format is extracted by its module of
    :mod:`search.extract` in a bounded child process (:mod:`search.extract.isolation`). The text
    of every format goes through the same cleaning, and the title and date the file does not
    carry in its metadata are read from the text the same way.

    Raises SkippedFile with a one-line reason ("binary content", "vanished while indexing",
    "unreadable: permission denied", "too large (52.4 MB > 20 MB)", "not a regular file",
    "encrypted PDF (a password is needed)", "took longer than 30 s", ...).
    ``mtime_ns`` and ``size`` are those of the bytes actually read, which may be newer than
    the scan's. An empty file is an article with an empty text, titled by its file name.
    """
    data, info = _read(entry)
    name = entry.id.rsplit("/", 1)[-1]
    ext = extension(name)
    stem = name[: -len(ext)] if ext else name
    if ext in (TEXT_EXTENSION, ""):
        if looks_binary(data):
            raise SkippedFile(BINARY)
        text = clean_text(decode(data))
        extracted = Extracted(text=text, source=extract_source(text))
    else:
        # imported here: the isolation machinery is only needed for corpora with other formats
        from search.extract.isolation import extract_isolated

        try:
            raw = extract_isolated(ext, data)
        except Unextractable as exc:
            raise SkippedFile(str(exc)) from None
        text = clean_text(raw.text)
        extracted = Extracted(
            text=text,
            title=_one_line(raw.title),
            date=raw.date,
            source=_one_line(raw.source),
            author=_one_line(raw.author),
        )
    return Article(
        id=entry.id,
        path=entry.path,
        title=extracted.title or extract_title(text, fallback=stem or name),
        date=extracted.date or extract_date(text),
        text=text,
        mtime_ns=info.st_mtime_ns,
        size=info.st_size,
        source=extracted.source,
        author=extracted.author,
    )


_FIELD_MAX = 300


def _one_line(value: str | None) -> str | None:
    """A metadata value from a file, safe to show: cleaned, on one line, of bounded length."""
    if not value:
        return None
    line = " ".join(clean_text(value).split())[:_FIELD_MAX]
    return line or None
