"""Full builds in worker processes (``fouille index --jobs N``): the same index as one process
builds, the same warnings, progress and cancellation, and no loss when a worker or the whole
build is killed."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from search import parallel
from search.corpus import CorpusEntry, scan_corpus
from search.engine import Engine
from search.errors import ExitCode, IndexingCancelled
from search.lexicon import Lexicon
from search.models import Progress
from search.store import read_pointer
from tests.support.corpora import (
    BIG_DOCS,
    EXTRA,
    EXTRA_DOCS,
    RARE_WORD,
    add_extra,
    make_generated_corpus,
    rare_count,
    toggle,
)
from tests.support.processes import fouille, loc

DOCS = 40
QUERIES = (
    "gouvernement",
    "réforme des retraites",
    f"{RARE_WORD} OR musée",
    "prés*",
    "chomage~",
    '"ministre élection" police',
)


def answers(engine: Engine) -> list[tuple[int, list[tuple[str, float]], str | None]]:
    out = []
    for query in QUERIES:
        result = engine.search(query, limit=20)
        hits = [(hit.id, round(hit.score, 6)) for hit in result.hits]
        out.append((result.total, hits, result.suggestion))
    return out


def segments(index: Path) -> int:
    pointer = read_pointer(index)
    assert pointer is not None
    return len(list((index / pointer.generation).glob("*.seg")))


def lexicon_entries(index: Path) -> dict[str, list]:
    """The saved lexicon's words, with their article counts and spellings."""
    pointer = read_pointer(index)
    assert pointer is not None
    folder = index / pointer.generation
    ix = whoosh_index.open_dir(str(folder))
    lexicon = Lexicon.load(folder, ix.latest_generation())
    ix.close()
    assert lexicon is not None and len(lexicon) > 100
    return lexicon.entries


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel")
    corpus = make_generated_corpus(root / "corpus", DOCS, words=60)
    (corpus / "binaire.txt").write_bytes(b"\x00\x01\x02\x03" * 200)  # skipped with a warning
    return corpus


def test_two_workers_build_the_index_one_process_builds(corpus: Path, tmp_path: Path) -> None:
    serial = Engine(corpus, tmp_path / "one")
    twin = Engine(corpus, tmp_path / "two")
    try:
        one = serial.update(full=True, jobs=1)
        two = twin.update(full=True, jobs=2)
        assert (one.added, two.added) == (DOCS, DOCS)
        assert one.skipped == two.skipped and [i for i, _ in two.skipped] == ["binaire.txt"]
        assert (segments(tmp_path / "one"), segments(tmp_path / "two")) == (1, 2)
        assert answers(twin) == answers(serial)  # ranks, scores, counts, prefixes, fuzzy
        assert twin.stats().terms == serial.stats().terms  # the lexicons were merged whole
        assert lexicon_entries(tmp_path / "two") == lexicon_entries(tmp_path / "one")
        assert all(total > 0 and hits for total, hits, _ in answers(twin)[:4])  # not vacuous
    finally:
        serial.close()
        twin.close()


def test_incremental_update_after_a_parallel_build(corpus: Path, tmp_path: Path) -> None:
    work = tmp_path / "corpus"
    make_generated_corpus(work, DOCS, words=60)
    engine = Engine(work, tmp_path / "index")
    try:
        engine.update(full=True, jobs=2)
        (work / "art00003.txt").unlink()
        (work / "nouveau.txt").write_text("Le wombat du jardin\n\nUn wombat.\n", encoding="utf-8")
        report = engine.update()
        assert (report.added, report.removed, report.full) == (1, 1, False)
        assert engine.search("wombat").hits[0].id == "nouveau.txt"
        assert engine.stats().documents == DOCS
    finally:
        engine.close()


def test_progress_counts_every_file_once(corpus: Path, tmp_path: Path) -> None:
    ticks: list[Progress] = []
    engine = Engine(corpus, tmp_path / "index")
    engine.update(full=True, jobs=2, progress=ticks.append)
    engine.close()
    assert ticks[-1].done == ticks[-1].total == DOCS + 1
    assert [t.done for t in ticks] == sorted(t.done for t in ticks)


def test_a_build_from_a_thread_uses_workers_safely(corpus: Path, tmp_path: Path) -> None:
    """The app rebuilds from a thread: workers must not be forked from a threaded process."""
    engine = Engine(corpus, tmp_path / "index")
    reports = []
    thread = threading.Thread(target=lambda: reports.append(engine.update(full=True, jobs=2)))
    thread.start()
    thread.join(timeout=120)
    assert reports and reports[0].added == DOCS
    assert segments(tmp_path / "index") == 2
    engine.close()


APP_LIKE_BUILD = """
import sys, threading
from pathlib import Path
from search.engine import Engine

class Captured:  # what the app puts in sys.stderr (Textual's print capture: no descriptor)
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1

sys.stderr = Captured()
engine = Engine(Path(sys.argv[1]), Path(sys.argv[2]))
reports, errors = [], []
def rebuild():  # the app's Ctrl+R: a full build from a thread, with worker processes
    try:
        reports.append(engine.update(full=True, jobs=2))
    except Exception as error:
        errors.append(repr(error))
thread = threading.Thread(target=rebuild)
thread.start()
thread.join()
print(errors[0] if errors else reports[0].added)
"""


def test_a_build_inside_the_app_starts_its_workers(corpus: Path, tmp_path: Path) -> None:
    """In the app, sys.stderr has no file descriptor: the workers' start must not need one (it
    failed with "bad value(s) in fds_to_keep"). A fresh interpreter, as the app's, since the
    helper process that needed it starts once per process."""
    done = subprocess.run(
        [sys.executable, "-c", APP_LIKE_BUILD, str(corpus), str(tmp_path / "index")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == str(DOCS), done.stdout + done.stderr
    assert segments(tmp_path / "index") == 2


def test_cancelling_a_parallel_build_keeps_the_previous_index(corpus: Path, tmp_path: Path) -> None:
    engine = Engine(corpus, tmp_path / "index")
    engine.update(full=True, jobs=1)
    before = read_pointer(tmp_path / "index")
    ticks = []

    def stop() -> bool:
        return len(ticks) > 0

    with pytest.raises(IndexingCancelled):
        engine.update(full=True, jobs=2, progress=ticks.append, should_stop=stop)
    assert read_pointer(tmp_path / "index") == before
    assert engine.search(RARE_WORD).total == rare_count(DOCS)
    leftovers = [p.name for p in (tmp_path / "index").iterdir() if p.is_dir()]
    assert leftovers == [before.generation]  # the unfinished generation is gone
    engine.close()


def test_parts_keep_the_corpus_order_and_balance_sizes(corpus: Path) -> None:
    entries, _ = scan_corpus(corpus)
    parts = parallel.split(entries, 3)
    assert [e for part in parts for e in part] == entries
    costs = [sum(e.size + parallel.FILE_COST_BYTES for e in part) for part in parts]
    assert max(costs) - min(costs) <= max(e.size for e in entries) + parallel.FILE_COST_BYTES
    assert parallel.plan_jobs(entries, 8) == 8
    assert parallel.plan_jobs(entries[:3], 8) == 3  # never more workers than files
    assert parallel.plan_jobs(entries, None) == 1  # a small corpus stays in one process


def test_many_small_files_weigh_more_than_their_bytes() -> None:
    # each file costs more than its text (loading, stored fields, postings): 20 files of 1 KB
    # and one of 20 KB hold the same bytes, but the small files are more work
    small = [CorpusEntry(f"a{n:02}.txt", Path(f"a{n:02}.txt"), 0, 1024) for n in range(20)]
    big = [CorpusEntry("b.txt", Path("b.txt"), 0, 20 * 1024)]
    first, second = parallel.split(small + big, 2)
    assert len(first) < 20 and second[-1] == big[0]


def test_jobs_option_is_checked_and_used(corpus: Path, tmp_path: Path) -> None:
    args = loc(corpus, tmp_path / "index")
    bad = fouille("index", "--full", "--jobs", "0", *args)
    assert bad.returncode == ExitCode.USAGE and "--jobs" in bad.stderr
    done = fouille("index", "--full", "--jobs", "2", *args)
    assert done.returncode == 0, done.stderr
    assert "warning: skipped binaire.txt" in done.stderr
    assert done.stdout.startswith(f"full rebuild: {DOCS} added")
    assert segments(tmp_path / "index") == 2


# ----------------------------------------------------------------------------- kills


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(c) for c in path.read_text().split()]
    except OSError:
        return []


@pytest.fixture(scope="module")
def killable(tmp_path_factory: pytest.TempPathFactory, big_corpus: Path) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("kill-parallel")
    corpus = root / "corpus"
    make_generated_corpus(corpus, BIG_DOCS)
    add_extra(corpus)
    index = root / "index"
    done = fouille("index", "--full", "--jobs", "1", *loc(corpus, index))
    assert done.returncode == 0, done.stderr
    return corpus, index


def whole(corpus: Path, index: Path) -> int:
    """The live index's document count, after checking it holds the base corpus and all or
    none of the extras."""
    engine = Engine(corpus, index)
    try:
        docs = engine.stats().documents
        assert engine.search(EXTRA, limit=1000).total == docs - BIG_DOCS
        assert engine.search(RARE_WORD, limit=1000).total == rare_count(BIG_DOCS)
    finally:
        engine.close()
    assert docs in (BIG_DOCS, BIG_DOCS + EXTRA_DOCS)
    return docs


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_killed_worker_fails_the_build_and_keeps_the_index(
    killable: tuple[Path, Path],
) -> None:
    corpus, index = killable
    before = whole(corpus, index)
    toggle(corpus)
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", "index", "--full", "--jobs", "2", *loc(corpus, index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    workers = children(proc.pid)
    if workers:
        os.kill(workers[-1], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    toggle(corpus)
    if not workers:  # the build ended before a worker could be seen: nothing to test here
        pytest.skip("the build finished before its workers could be killed")
    assert proc.returncode == ExitCode.INDEX, err
    assert err.strip().splitlines()[-1].startswith("fouille: error: an indexing worker died")
    assert "Traceback" not in err
    assert whole(corpus, index) == before


KILL_AT = (0.0, 0.2, 0.5, 0.8, 0.95, 1.1)
"""When to kill: 0 right after the start, else this fraction into the workers' run."""


def start_build(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "search", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )


def alive(pid: int) -> bool:
    """Running (a zombie is dead, only waiting for its reaper)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait_for_workers(proc: subprocess.Popen[bytes]) -> float:
    """Wait until the build has started its workers; returns when (monotonic)."""
    deadline = time.monotonic() + 60
    while not children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    return time.monotonic()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_sigkill_of_a_parallel_build_keeps_old_or_new_index_and_leaves_no_worker(
    killable: tuple[Path, Path],
) -> None:
    corpus, index = killable
    args = ["index", "--full", "--jobs", "2", *loc(corpus, index)]
    clean = start_build(args)
    started = wait_for_workers(clean)
    assert clean.wait(timeout=120) == 0
    work = time.monotonic() - started  # how long the workers' part lasts here
    whole(corpus, index)
    killed_with_workers = 0
    for fraction in KILL_AT:
        toggle(corpus)
        proc = start_build(args)
        if fraction:
            wait_for_workers(proc)
            time.sleep(work * fraction)
        workers = children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        killed_with_workers += proc.wait() == -signal.SIGKILL and bool(workers)
        for worker in workers:  # they die with the build (and release its lock)
            deadline = time.monotonic() + 10
            while alive(worker) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert not alive(worker), f"worker {worker} survived the build"
        whole(corpus, index)  # after every kill: the old index or the new one, whole
    assert killed_with_workers  # some kills landed while the workers were writing
    done = fouille(*args)  # nothing holds the lock: the next run finishes the job
    assert done.returncode == 0, done.stderr
    expected = BIG_DOCS + (EXTRA_DOCS if (corpus / "extra").exists() else 0)
    assert whole(corpus, index) == expected


def test_overlapping_builds_in_one_process_leave_the_collector_as_it_was() -> None:
    # two engines building at once in one process (threads): the first to finish restored
    # the collector under the other, and the last left the build's settings for good
    assert gc.isenabled()
    first, second = parallel._fewer_collections(), parallel._fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second build still writes
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_build_leaves_frozen_imports_frozen(corpus: Path, tmp_path: Path) -> None:
    # cli.main freezes the imports (gc.freeze); a build in that process (fouille index
    # --jobs 1, the app) ended with gc.unfreeze(), which thawed them for every later collection
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    engine = Engine(corpus, tmp_path / "index")
    try:
        frozen = gc.get_freeze_count()
        engine.update(full=True, jobs=1)
        assert gc.get_freeze_count() >= frozen
        assert gc.isenabled()
    finally:
        engine.close()
        if frozen_before == 0:
            gc.unfreeze()


class _Cycle:
    def __init__(self) -> None:
        self.itself = self  # freed only by the cyclic collector


def test_garbage_other_threads_make_during_a_build_is_collected_after_it(
    corpus: Path, tmp_path: Path
) -> None:
    # the app: its event loop runs while an in-process build (a thread) has the collector off,
    # in a process whose imports cli.main froze; the build's final gc.freeze kept the loop's
    # garbage cycles frozen, never to be collected: every rebuild leaked them
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    made: list[weakref.ref[_Cycle]] = []
    building, written = threading.Event(), threading.Event()

    def event_loop() -> None:
        building.wait(10)
        while not written.is_set():
            made.append(weakref.ref(_Cycle()))
            time.sleep(0.001)

    real = parallel.write_entries

    def writing(*args: object, **kwargs: object) -> int:
        building.set()
        time.sleep(0.05)  # the loop makes garbage while the collector is off
        written.set()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    loop = threading.Thread(target=event_loop)
    loop.start()
    engine = Engine(corpus, tmp_path / "index")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(parallel, "write_entries", writing)
            engine.update(full=True, jobs=1)
        loop.join()
        gc.collect()
        assert len(made) > 5
        assert [ref for ref in made if ref() is not None] == []
        assert gc.get_freeze_count() > 0  # the imports stay frozen
    finally:
        building.set()
        written.set()
        loop.join()
        engine.close()
        if frozen_before == 0:
            gc.unfreeze()


def test_a_part_is_written_without_the_cyclic_collector(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    real = parallel.write_entries

    def spy(*args: object, **kwargs: object) -> int:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "write_entries", spy)
    engine = Engine(corpus, tmp_path / "index")
    try:
        engine.update(full=True, jobs=1)
    finally:
        engine.close()
    assert seen == [False] and gc.isenabled()
