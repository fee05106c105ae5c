"""Writing a full build's segments in worker processes, one segment per worker.

Analysis and Whoosh's posting writer are pure Python: one process uses one core. A full build
splits the corpus into ``jobs`` contiguous parts of about equal size (in bytes); each worker
loads its files (:func:`search.corpus.load_article`, so text extraction runs in the workers
too), analyses them, counts their words for the lexicon and writes one Whoosh segment (more
past its memory budget: :mod:`search.segment`) into the new generation folder. The parent lists
the segments in one TOC commit, merges the workers' lexicons, and publishes the generation as a
serial build does. Nothing is merged afterwards: merging postings is serial Python again, as long
as the work saved (which is why Whoosh's own ``procs=2`` writer, which merges, is no faster than
one process on this corpus).

Safety: workers write only into the new generation folder, which is published after every
worker has finished; a worker that dies or fails fails the build (the previous index stays).
Workers die with the process that started them (``PR_SET_PDEATHSIG`` on Linux, and a check of
the parent in the loop elsewhere), ignore Ctrl-C (the parent asks them to stop), and each gets
an equal share of the writer's memory budget, so memory stays bounded whatever the corpus size.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment

from search.corpus import CorpusEntry
from search.documents import Tick, WordCounts, write_entries
from search.errors import STOPPED, IndexingCancelled, IndexUnavailable
from search.segment import SegmentBuilder

MIN_BYTES_PER_JOB = 512 * 1024
"""Without ``--jobs``, one worker per core but no more than one per this much text: starting a
worker costs tens of milliseconds, which a small corpus does not win back."""
TICK_SECONDS = 0.1
"""How often a worker reports its progress to the parent."""
POLL_SECONDS = 0.1
"""How often the parent checks ``should_stop`` and its workers' health while waiting."""

StopCheck = Callable[[], bool]


@dataclass
class PartResult:
    """What one worker wrote: its segments (one, more past its memory budget, none when every
    file was skipped), the words of its articles, the files it skipped and how many it wrote."""

    segments: list[Segment]
    words: WordCounts = field(default_factory=WordCounts)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    written: int = 0


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def plan_jobs(entries: Sequence[CorpusEntry], jobs: int | None) -> int:
    """How many workers to use: ``jobs`` when given (at most one per file), else one per core
    and per MIN_BYTES_PER_JOB of text."""
    if jobs is None:
        total = sum(e.size for e in entries)
        jobs = min(default_jobs(), max(1, total // MIN_BYTES_PER_JOB))
    return max(1, min(jobs, len(entries)))


FILE_COST_BYTES = 4096
"""What a file costs to index besides its text, in bytes of text: loading it, its stored fields,
and more postings for the same words when they are spread over more files. Measured on the man
pages (CPU per document against its size): 0.25 µs per byte and 1.1 ms per file."""


def split(entries: Sequence[CorpusEntry], parts: int) -> list[list[CorpusEntry]]:
    """``entries`` in ``parts`` contiguous runs of about equal cost: their sizes plus
    FILE_COST_BYTES per file (the order is kept, so document numbers follow the corpus order
    whatever the number of workers)."""
    total = sum(e.size + FILE_COST_BYTES for e in entries)
    runs: list[list[CorpusEntry]] = [[] for _ in range(parts)]
    done = 0
    for entry in entries:
        runs[min(parts - 1, done * parts // max(total, 1))].append(entry)
        done += entry.size + FILE_COST_BYTES
    return [run for run in runs if run]


def write_part(
    generation: Path,
    entries: Sequence[CorpusEntry],
    *,
    limitmb: int,
    tick: Tick,
    should_stop: StopCheck,
) -> PartResult:
    """Load, analyse and write ``entries`` as new segments of the index in ``generation``
    (not yet listed in its TOC), counting their words. Runs in a worker or in the parent.

    No lock: the parent holds the index's write lock and commits the TOC once every part is
    written (as Whoosh's own multiprocessing writer runs its sub-writers)."""
    ix = whoosh_index.open_dir(str(generation))
    builder = SegmentBuilder(ix.storage, ix.indexname, ix.schema, limitmb=limitmb)
    result = PartResult([])
    try:
        with _fewer_collections():
            result.written = write_entries(
                builder,
                entries,
                replace=False,
                tick=tick,
                should_stop=should_stop,
                skipped=result.skipped,
                lexicon=result.words,
            )
            result.segments = builder.finish()
    except BaseException:
        builder.cancel()
        raise
    finally:
        ix.close()
    return result


@dataclass
class _Collections:
    """The process's garbage-collector state while parts are written here: who writes one now,
    and whether the collector was on before the first of them."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    writers: int = 0
    enabled: bool = True
    frozen: bool = False
    shared: bool = False  # other threads ran (and may have made garbage) while it was off


_COLLECTIONS = _Collections()


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """While a part is written, the cyclic garbage collector is off: writing makes no reference
    cycles (a collection after writing the 608 man pages or 10k articles with it off finds 0
    unreachable objects), while its passes over the growing word cache and postings cost 4-5 %
    of a worker's CPU (one pass over what survived the young generation took 54 ms). What was
    alive before is frozen (``gc.freeze``, which also spares a forked worker from copying the
    parent's pages should the collector run). Turned back on after, the caller may be a long-lived
    app; when two builds overlap in one process (two engines' threads), once the last is done,
    to what was set before the first (the settings are the whole process's). A process that had
    frozen objects (``cli.main`` freezes the imports) keeps them frozen, with what the build
    left alive (the word cache, the engine's objects); one that had none is left with none.
    When other threads ran meanwhile (the app's event loop, beside its build thread), their
    garbage cycles are collected first (one full collection): frozen, they would stay for good,
    a leak at every rebuild."""
    state = _COLLECTIONS
    with state.lock:
        if state.writers == 0:
            state.enabled = gc.isenabled()
            state.frozen = gc.get_freeze_count() > 0
            state.shared = threading.active_count() > 1
            gc.freeze()
            gc.disable()
        state.writers += 1
    try:
        yield
    finally:
        with state.lock:
            state.writers -= 1
            state.shared = state.shared or threading.active_count() > 1
            if state.writers == 0:
                if state.frozen and state.shared:
                    # other threads (the app's event loop) ran with the collector off: their
                    # garbage cycles, frozen with the rest, would never be collected; they go
                    # before what is alive is frozen again with the imports
                    gc.unfreeze()
                    gc.collect()
                # what the build left alive joins the oldest generation unexamined (or stays
                # frozen with the imports): else the first collection after enable() walked
                # all of it at once (75-105 ms)
                gc.freeze()
                if not state.frozen:  # gc.unfreeze() would unfreeze the imports too
                    gc.unfreeze()
                if state.enabled:
                    gc.enable()


def write_parts(
    generation: Path,
    parts: list[list[CorpusEntry]],
    *,
    limitmb: int,
    progress: Tick,
    should_stop: StopCheck,
) -> list[PartResult]:
    """Each part written by :func:`write_part` in a worker process of its own, results in the
    parts' order. Raises the first worker's error, IndexingCancelled when ``should_stop``
    says so, or IndexUnavailable when a worker dies; the workers are stopped in every case."""
    context = _context()
    if context.get_start_method() != "fork":
        _start_resource_tracker()
    messages = context.Queue()
    workers = [
        context.Process(
            target=_worker,
            args=(n, generation, part, limitmb, messages),
            daemon=True,
            name=f"fouille-index-{n}",
        )
        for n, part in enumerate(parts)
    ]
    results: dict[int, PartResult] = {}
    done = [0] * len(parts)
    try:
        for worker in workers:
            worker.start()
        while len(results) < len(parts):
            try:
                message = messages.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if should_stop():
                    raise IndexingCancelled(STOPPED) from None
                _check_alive(workers, results, messages)
                continue
            kind, n, payload = message
            if kind == "tick":
                done[n], current = payload
                progress(sum(done), current)
            elif kind == "done":
                results[n] = payload
            else:  # "error": the worker's exception, raised here
                raise payload
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        for worker in workers:
            worker.join()
        messages.close()
        messages.join_thread()
    return [results[n] for n in range(len(parts))]


def _check_alive(workers: list[Any], results: dict[int, PartResult], messages: Any) -> None:
    """Raise when a worker ended without sending its result (killed, or out of memory)."""
    for n, worker in enumerate(workers):
        code = worker.exitcode
        if n not in results and code is not None:
            time.sleep(POLL_SECONDS)  # its last message may still be in the pipe
            if messages.empty():
                how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
                raise IndexUnavailable(
                    f"an indexing worker died ({how})",  # the caller says what remains
                    hint="run the command again; --jobs 1 indexes in one process",
                )


def _context() -> BaseContext:
    """``fork`` from a single-threaded process on Linux (fast: the modules are loaded), else
    ``forkserver`` (the app builds from a thread, and forking a threaded process can copy a
    lock some other thread holds), else ``spawn``. The last two import the caller's
    ``__main__`` module in each worker: fouille's entry points guard their ``main()`` call, and
    a script that builds from a thread must too (Python's usual multiprocessing rule)."""
    methods = multiprocessing.get_all_start_methods()
    # (macOS lists fork too, but its system libraries are not safe to fork: Python starts
    # processes with spawn there)
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])  # imported once, in the server
        return context
    return multiprocessing.get_context("spawn")


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (forkserver and spawn queues need it) with a
    real stderr. The tracker is handed ``sys.stderr``'s file descriptor, and inside the app
    Textual captures ``sys.stderr`` with an object whose ``fileno()`` is -1: starting the
    workers failed there with "bad value(s) in fds_to_keep". The process's own stderr (or
    ``/dev/null``) stands in while the tracker starts; it runs once per process."""
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    captured = sys.stderr
    with contextlib.ExitStack() as stack:
        real = sys.__stderr__
        if real is None or real.closed:
            real = stack.enter_context(open(os.devnull, "w"))
        sys.stderr = real
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = captured


def _worker(
    n: int,
    generation: Path,
    entries: list[CorpusEntry],
    limitmb: int,
    messages: Any,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group
    _die_with_parent()
    parent = os.getppid()  # the builder, or the fork server (which exits when the builder does)
    last = 0.0

    def tick(done: int, current: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= TICK_SECONDS or done == len(entries):
            last = now
            messages.put(("tick", n, (done, current)))

    def orphaned() -> bool:  # the parent was killed: stop writing (where PDEATHSIG is missing)
        return os.getppid() != parent

    try:
        result = write_part(generation, entries, limitmb=limitmb, tick=tick, should_stop=orphaned)
    except BaseException as exc:
        messages.put(("error", n, _picklable(exc)))
    else:
        messages.put(("done", n, result))


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies (a SIGKILLed build must not leave
    workers writing, nor holding the inherited write lock)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _picklable(exc: BaseException) -> BaseException:
    """The exception itself when it crosses a process boundary intact, else its description."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"indexing worker failed: {type(exc).__name__}: {exc}")
    return exc
