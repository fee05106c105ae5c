"""Building and updating the index from the corpus folder.

Incremental by default: one ``stat`` per file is compared with the ``mtime``/``size`` columns
stored in the index, so an unchanged corpus costs a scan and no write. A full rebuild goes to a
new generation folder and is published atomically (see :mod:`search.store`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from search import parallel
from search.corpus import CorpusEntry, scan_corpus
from search.documents import MAX_INDEXED_CHARS, cancel_writer, write_entries
from search.errors import STOPPED, IndexingCancelled, IndexLockedError, IndexUnavailable
from search.health import SEGMENT_SUFFIX, diagnose, open_generation, record_checksums
from search.lexicon import Lexicon, lexicon_for
from search.models import IndexReport, Progress
from search.schema import SCHEMA_VERSION, build_schema, column, field_analyzer
from search.store import (
    Pointer,
    discard,
    fsync_files,
    kept_message,
    new_generation_dir,
    publish,
    read_pointer,
    remove_debris,
    unwritable,
    write_lock,
)

ProgressCallback = Callable[[Progress], None]
StopCheck = Callable[[], bool]

UNCHANGED = "the index is unchanged"
"""What a failed or stopped incremental update leaves (it commits all or nothing)."""
WRITER_MEMORY_MB = 256
"""Whoosh's posting buffer, shared between the workers of a parallel build."""
WORKER_MEMORY_MB = 64


def build_full(
    corpus: Path,
    index_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
    reason: str = "",
    follow_outside: bool = False,
    jobs: int | None = None,
) -> IndexReport:
    """Index the whole corpus into a new generation and swap it in; the old one stays until then.

    ``jobs`` worker processes load, analyse and write the corpus's parts in parallel (see
    :mod:`search.parallel`); None means one per core, fewer for a small corpus; 1 writes in
    this process."""
    start = time.perf_counter()
    entries, skipped_scan = scan_corpus(corpus, follow_outside=follow_outside)
    skipped = list(skipped_scan)
    stop = should_stop if should_stop is not None else _never
    with write_lock(index_dir):
        previous = tidy_locked(index_dir)
        kept = kept_message(previous)
        generation = new_generation_dir(index_dir)
        try:
            ix = whoosh_index.create_in(str(generation), build_schema())
            try:
                parts = _write_parts(generation, entries, jobs=jobs, progress=progress, stop=stop)
            except IndexUnavailable as exc:  # a worker died: say what remains
                raise IndexUnavailable(f"{exc.args[0]}; {kept}", hint=exc.hint) from exc
            if stop():
                raise IndexingCancelled(STOPPED)
            segments = [segment for part in parts for segment in part.segments]
            # one TOC lists the parts' segments: readers see the whole build or nothing
            ix.writer().commit(mergetype=lambda _writer, existing: existing + segments)
            # the segments are hashed and put on disk (for publish) in a thread, while this
            # one makes and saves the lexicon: hashing and fsync leave the GIL
            with _beside(_seal_segments, generation):
                words = parts[0].words  # the parts' words, counted in their order
                for part in parts[1:]:
                    words.merge(part.words)
                skipped.extend(item for part in parts for item in part.skipped)
                words.save(generation, ix.latest_generation())
            ix.close()
            publish(index_dir, generation, SCHEMA_VERSION, corpus.resolve(), kept=kept)
        except OSError as exc:  # a full disk, a folder turned read-only: the old index stays
            discard(generation)
            raise unwritable(index_dir, exc, kept=kept) from exc
        except IndexingCancelled:
            discard(generation)
            raise IndexingCancelled(f"{STOPPED}: {kept}") from None
        except BaseException:
            discard(generation)
            raise
    return IndexReport(
        added=sum(part.written for part in parts),
        skipped=tuple(skipped),
        seconds=time.perf_counter() - start,
        full=True,
        reason=reason,
    )


def _write_parts(
    generation: Path,
    entries: list[CorpusEntry],
    *,
    jobs: int | None,
    progress: ProgressCallback | None,
    stop: StopCheck,
) -> list[parallel.PartResult]:
    """The corpus written by worker processes, or here with one job: each part as one segment,
    or more past its memory budget (:mod:`search.segment`)."""
    total = len(entries)

    def tick(done: int, current: str) -> None:
        if progress is not None:
            progress(Progress(done, total, current))

    workers = parallel.plan_jobs(entries, jobs)
    if workers == 1:
        part = parallel.write_part(
            generation, entries, limitmb=WRITER_MEMORY_MB, tick=tick, should_stop=stop
        )
        return [part]
    return parallel.write_parts(
        generation,
        parallel.split(entries, workers),
        limitmb=max(WORKER_MEMORY_MB, WRITER_MEMORY_MB // workers),
        progress=tick,
        should_stop=stop,
    )


def _never() -> bool:
    return False


def _seal_segments(generation: Path) -> None:
    """Record the checksums of a new generation's segments and put them on disk."""
    record_checksums(generation)
    fsync_files(generation, SEGMENT_SUFFIX)


@contextlib.contextmanager
def _beside(work: Callable[[Path], None], folder: Path) -> Iterator[None]:
    """Run ``work(folder)`` in a thread while the block runs; raise its error after the block
    (the block's own error first)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work(folder)
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="fouille-seal", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failure:
        raise failure[0]


def indexed_files(ix: whoosh_index.Index) -> dict[str, tuple[int, int]]:
    """``id -> (mtime_ns, size)`` of every live document, read from columns (no stored text)."""
    with ix.reader() as reader:
        ids = column(reader, "id")
        mtimes = column(reader, "mtime")
        sizes = column(reader, "size")
        return {ids[n]: (mtimes[n], sizes[n]) for n in reader.all_doc_ids()}


def update_incremental(
    corpus: Path,
    index_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
    follow_outside: bool = False,
    jobs: int | None = None,
    diagnosis: tuple[Pointer | None, str | None] | None = None,
) -> IndexReport:
    """Add new files, re-index changed ones, drop deleted ones; write nothing if none changed.

    A missing, damaged or outdated index is rebuilt in full instead (the report says why).
    ``diagnosis``: what :func:`search.health.diagnose` said of the index for this update (the
    engine asks once); None asks it here, checksums included. The changes are worked out
    without the lock, so an unchanged corpus never waits for or blocks a writer; if another
    writer published a new generation meanwhile, they are worked out again under the lock, so
    an update never lands in a generation that is no longer live. The index is opened once for
    both (Whoosh reads its latest table of contents for each reader and writer).
    """
    start = time.perf_counter()
    pointer, reason = diagnosis or diagnose(index_dir, corpus=corpus, thorough=True)
    if reason is not None:
        return build_full(
            corpus,
            index_dir,
            progress=progress,
            should_stop=should_stop,
            reason=reason,
            follow_outside=follow_outside,
            jobs=jobs,
        )
    entries, skipped_scan = scan_corpus(corpus, follow_outside=follow_outside)
    skipped = list(skipped_scan)
    assert pointer is not None
    ix = _open(index_dir, pointer.generation)
    try:
        plan = _plan(ix, index_dir, entries)
        if not plan.changes:
            tidy(index_dir)
            return IndexReport(
                unchanged=len(entries), skipped=tuple(skipped), seconds=time.perf_counter() - start
            )
        with write_lock(index_dir):
            live = read_pointer(index_dir)
            if live is None or live.generation != pointer.generation:  # a rebuild got in first
                live, reason = diagnose(index_dir, corpus=corpus)
                if reason is not None:
                    raise IndexUnavailable(
                        f"the index in {index_dir} changed during the update ({reason})",
                        hint="run the command again",
                    )
                assert live is not None
                ix.close()
                ix = _open(index_dir, live.generation)
                plan = _plan(ix, index_dir, entries)
                if not plan.changes:
                    return IndexReport(
                        unchanged=len(entries),
                        skipped=tuple(skipped),
                        seconds=time.perf_counter() - start,
                    )
                pointer = live
            written = _apply(
                ix,
                index_dir / pointer.generation,
                plan,
                progress=progress,
                should_stop=should_stop,
                skipped=skipped,
            )
    finally:
        ix.close()
    skipped_ids = {doc_id for doc_id, _ in skipped}
    added = sum(1 for e in plan.new if e.id not in skipped_ids)
    return IndexReport(
        added=added,
        updated=written - added,
        removed=len(plan.removed),
        unchanged=len(entries) - len(plan.new) - len(plan.changed),
        skipped=tuple(skipped),
        seconds=time.perf_counter() - start,
    )


@dataclass(frozen=True)
class _Plan:
    """What an incremental update has to do."""

    new: list[CorpusEntry]
    changed: list[CorpusEntry]
    removed: list[str]

    @property
    def changes(self) -> bool:
        return bool(self.new or self.changed or self.removed)


def _plan(ix: whoosh_index.Index, index_dir: Path, entries: list[CorpusEntry]) -> _Plan:
    try:
        known = indexed_files(ix)
    except Exception as exc:  # a segment damaged since the check
        raise IndexUnavailable(
            f"the index in {index_dir} is damaged ({type(exc).__name__})",
            hint="rebuild it: fouille index --full",
        ) from exc
    current = {e.id for e in entries}
    return _Plan(
        new=[e for e in entries if e.id not in known],
        changed=[e for e in entries if e.id in known and known[e.id] != (e.mtime_ns, e.size)],
        removed=[doc_id for doc_id in known if doc_id not in current],
    )


def _apply(
    ix: whoosh_index.Index,
    folder: Path,
    plan: _Plan,
    *,
    progress: ProgressCallback | None,
    should_stop: StopCheck | None,
    skipped: list[tuple[str, str]],
) -> int:
    """Write the plan into the live generation in one Whoosh commit: readers see all of it or
    none of it (the commit is published by renaming its TOC file). ``folder``: the live
    generation's, under the write lock."""
    index_dir = folder.parent
    try:
        lexicon = _outgoing_words_removed(ix, folder, plan)
        writer = ix.writer(limitmb=WRITER_MEMORY_MB)
        try:
            for doc_id in plan.removed:
                writer.delete_by_term("id", doc_id)
            entries = plan.new + plan.changed

            def tick(done: int, current: str) -> None:
                if progress is not None:
                    progress(Progress(done, len(entries), current))

            written = write_entries(
                writer,
                entries,
                replace=True,
                tick=tick,
                should_stop=should_stop,
                skipped=skipped,
                lexicon=lexicon,
            )
        except IndexingCancelled:
            cancel_writer(writer)
            raise IndexingCancelled(f"{STOPPED}: {UNCHANGED}") from None
        except BaseException:
            cancel_writer(writer)
            raise
        writer.commit(optimize=_merge_all(ix, plan))
        record_checksums(folder)
        lexicon.save(folder, ix.latest_generation())
    except OSError as exc:
        raise unwritable(index_dir, exc, kept=UNCHANGED) from exc
    tidy_locked(index_dir)
    return written


MERGE_SEGMENTS = 8
MERGE_DELETED_SHARE = 0.2
"""The merge policy of incremental commits. Whoosh merges small segments on its own (by a
Fibonacci rule) but keeps large ones and their deleted articles forever: after 27 commits a
live index had 14 segments and was 5 times its rebuilt size. A commit that would leave more
than MERGE_SEGMENTS segments, or more than MERGE_DELETED_SHARE of the stored articles deleted,
merges everything into one segment instead (the cost of a rebuild's final merge, now and then),
which bounds the live index to a small factor of a fresh build."""


def _merge_all(ix: whoosh_index.Index, plan: _Plan) -> bool:
    """Whether this commit should merge every segment (see MERGE_SEGMENTS)."""
    with ix.reader() as reader:
        segments = sum(1 for _ in reader.leaf_readers())
        stored = reader.doc_count_all()
        deleted = stored - reader.doc_count() + len(plan.removed) + len(plan.changed)
    stored += len(plan.new) + len(plan.changed)
    return segments + 1 > MERGE_SEGMENTS or deleted > MERGE_DELETED_SHARE * max(stored, 1)


def tidy(index_dir: Path) -> None:
    """Remove what killed writers left (see :func:`tidy_locked`) when no writer is running;
    never waits, and does nothing where the folder cannot be written."""
    with contextlib.suppress(IndexLockedError, IndexUnavailable, OSError), write_lock(index_dir):
        tidy_locked(index_dir)


def tidy_locked(index_dir: Path) -> Pointer | None:
    """Under the write lock: remove unused generations, temporary files and half-written TOCs
    (:func:`search.store.remove_debris`) and the segment files no TOC of the live generation
    names (a commit killed before its TOC). Returns the live pointer."""
    live = read_pointer(index_dir)
    remove_debris(index_dir, live.generation if live else None)
    if live is not None:
        with contextlib.suppress(Exception):  # a damaged index: its rebuild replaces it all
            storage = FileStorage(str(index_dir / live.generation))
            toc = TOC.read(storage, whoosh_index._DEF_INDEX_NAME)
            whoosh_index.clean_files(storage, toc.indexname, toc.generation, toc.segments)
    return live


def _outgoing_words_removed(ix: whoosh_index.Index, folder: Path, plan: _Plan) -> Lexicon:
    """The generation's lexicon, less the words of the articles about to be removed or
    replaced (read from their stored text before they go)."""
    with ix.searcher() as searcher:
        analyzer = field_analyzer(ix.schema)
        lexicon = lexicon_for(searcher, folder, analyzer, MAX_INDEXED_CHARS, save=False)
        for doc_id in plan.removed + [e.id for e in plan.changed]:
            stored = searcher.document(id=doc_id)
            if stored is not None:
                text = f"{stored.get('title', '')}\n{stored.get('body', '')[:MAX_INDEXED_CHARS]}"
                lexicon.remove(analyzer.words(text))
    return lexicon


def _open(index_dir: Path, generation: str) -> whoosh_index.Index:
    try:
        return open_generation(index_dir, generation)
    except Exception as exc:  # whoosh raises many kinds on a damaged index
        raise IndexUnavailable(
            f"the index in {index_dir} is damaged ({type(exc).__name__})",
            hint="rebuild it: fouille index --full",
        ) from exc
