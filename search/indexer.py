"""Building and updating the index from the corpus folder.

Incremental by default: one ``stat`` per file is compared with the ``mtime``/``size`` columns
stored in the index, so an unchanged corpus costs a scan and no write. A full rebuild goes to a
new generation folder and is published atomically (see :mod:`search.store`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search.corpus import CorpusEntry, SkippedFile, load_article, scan_corpus
from search.errors import IndexingCancelled, IndexUnavailable
from search.models import Article, IndexReport, Progress
from search.schema import SCHEMA_VERSION, build_schema
from search.store import discard, new_generation_dir, publish, read_pointer, write_lock

ProgressCallback = Callable[[Progress], None]
StopCheck = Callable[[], bool]

WRITER_MEMORY_MB = 256


def document_fields(article: Article) -> dict[str, Any]:
    """The Whoosh fields of one article."""
    date = article.date
    return {
        "id": article.id,
        "path": str(article.path),
        "title": article.title,
        "body": article.text,
        "date": date.year * 10000 + date.month * 100 + date.day if date else 0,
        "mtime": article.mtime_ns,
        "size": article.size,
    }


def _index_entries(
    writer: SegmentWriter,
    entries: list[CorpusEntry],
    *,
    replace: bool,
    progress: ProgressCallback | None,
    should_stop: StopCheck | None,
    skipped: list[tuple[str, str]],
    done_before: int = 0,
    total: int | None = None,
) -> int:
    """Load and write ``entries``; returns how many were written."""
    total = len(entries) if total is None else total
    written = 0
    add = writer.update_document if replace else writer.add_document
    for i, entry in enumerate(entries, start=1):
        if should_stop is not None and should_stop():
            raise IndexingCancelled("indexing stopped: the previous index is kept")
        try:
            article = load_article(entry)
        except SkippedFile as exc:
            skipped.append((entry.id, str(exc)))
            if replace:
                writer.delete_by_term("id", entry.id)
        else:
            add(**document_fields(article))
            written += 1
        if progress is not None:
            progress(Progress(done_before + i, total, entry.id))
    return written


def build_full(
    corpus: Path,
    index_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
    reason: str = "",
) -> IndexReport:
    """Index the whole corpus into a new generation and swap it in; the old one stays until then."""
    start = time.perf_counter()
    entries, skipped_scan = scan_corpus(corpus)
    skipped = list(skipped_scan)
    with write_lock(index_dir):
        generation = new_generation_dir(index_dir)
        try:
            ix = whoosh_index.create_in(str(generation), build_schema())
            writer = ix.writer(limitmb=WRITER_MEMORY_MB)
            try:
                added = _index_entries(
                    writer,
                    entries,
                    replace=False,
                    progress=progress,
                    should_stop=should_stop,
                    skipped=skipped,
                )
                if should_stop is not None and should_stop():
                    raise IndexingCancelled("indexing stopped: the previous index is kept")
            except BaseException:
                writer.cancel()
                raise
            writer.commit(optimize=True)
            ix.close()
            publish(index_dir, generation, SCHEMA_VERSION, corpus.resolve())
        except BaseException:
            discard(generation)
            raise
    return IndexReport(
        added=added,
        skipped=tuple(skipped),
        seconds=time.perf_counter() - start,
        full=True,
        reason=reason,
    )


def indexed_files(ix: whoosh_index.Index) -> dict[str, tuple[int, int]]:
    """``id -> (mtime_ns, size)`` of every live document, read from columns (no stored text)."""
    with ix.reader() as reader:
        ids = reader.column_reader("id")
        mtimes = reader.column_reader("mtime")
        sizes = reader.column_reader("size")
        return {ids[n]: (mtimes[n], sizes[n]) for n in reader.all_doc_ids()}


def update_incremental(
    corpus: Path,
    index_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
) -> IndexReport:
    """Add new files, re-index changed ones, drop deleted ones; write nothing if none changed."""
    start = time.perf_counter()
    pointer = read_pointer(index_dir)
    if pointer is None:
        return build_full(
            corpus, index_dir, progress=progress, should_stop=should_stop, reason="no index yet"
        )
    entries, skipped_scan = scan_corpus(corpus)
    skipped = list(skipped_scan)
    ix = _open(index_dir, pointer.generation)
    try:
        known = indexed_files(ix)
        current = {e.id: e for e in entries}
        new = [e for e in entries if e.id not in known]
        changed = [e for e in entries if e.id in known and known[e.id] != (e.mtime_ns, e.size)]
        removed = [doc_id for doc_id in known if doc_id not in current]
        if not (new or changed or removed):
            return IndexReport(
                unchanged=len(entries),
                skipped=tuple(skipped),
                seconds=time.perf_counter() - start,
            )
        with write_lock(index_dir):
            writer = ix.writer(limitmb=WRITER_MEMORY_MB)
            try:
                for doc_id in removed:
                    writer.delete_by_term("id", doc_id)
                todo = new + changed
                written = _index_entries(
                    writer,
                    todo,
                    replace=True,
                    progress=progress,
                    should_stop=should_stop,
                    skipped=skipped,
                )
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
    finally:
        ix.close()
    skipped_ids = {doc_id for doc_id, _ in skipped}
    added = sum(1 for e in new if e.id not in skipped_ids)
    return IndexReport(
        added=added,
        updated=written - added,
        removed=len(removed),
        unchanged=len(entries) - len(new) - len(changed),
        skipped=tuple(skipped),
        seconds=time.perf_counter() - start,
    )


def _open(index_dir: Path, generation: str) -> whoosh_index.Index:
    try:
        return whoosh_index.open_dir(str(index_dir / generation))
    except Exception as exc:  # whoosh raises many kinds on a damaged index
        raise IndexUnavailable(f"the index in {index_dir} is damaged ({exc})") from exc
