"""Writers exclude each other without corrupting anything; readers are never blocked and always
get a whole index (the old one until the swap, the new one after); one engine serves many
threads for a long while without errors, wrong answers or leaked file handles.
"""

from __future__ import annotations

import gc
import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from whoosh.index import TOC

from search import indexer
from search.cli import main
from search.engine import Engine
from search.errors import ExitCode, IndexLockedError
from search.store import write_lock
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
from tests.support.pilot import Notifications, settle
from tests.support.processes import (
    assert_one_line_error,
    fouille,
    loc,
    open_fds,
    popen_fouille,
)

QUERIES = (
    RARE_WORD,
    "gouvernement réforme",
    '"assemblée nationale"',
    "vaccin OR épidémie",
    "train -voiture",
    "élect*",
    "tournoi~",
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, big_corpus: Path) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("concurrency")
    corpus = root / "corpus"
    shutil.copytree(big_corpus, corpus)
    add_extra(corpus)
    index = root / "index"
    Engine(corpus, index).update(full=True)
    return corpus, index


# ----------------------------------------------------------------------------- two writers


def test_second_writer_is_told_who_holds_the_lock(
    shared: tuple[Path, Path],
) -> None:
    corpus, index = shared
    (corpus / "nouveau.txt").write_text("Nouveau\n\nUn article de plus.\n", encoding="utf-8")
    with write_lock(index):  # as a running `fouille index` or the app's rebuild holds it
        for args in (["index"], ["index", "--full"]):
            done = fouille(*args, *loc(corpus, index))
            assert_one_line_error(done.stderr, done.returncode, ExitCode.LOCKED)
            assert f"another fouille process (pid {os.getpid()}) is updating the index" in (
                done.stderr
            )
            assert "wait for it to finish" in done.stderr
        searched = fouille("search", RARE_WORD, "--json", *loc(corpus, index))
        assert searched.returncode == 0, searched.stderr  # readers never wait for writers
    done = fouille("index", *loc(corpus, index))  # released: the next run proceeds
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("incremental: 1 added")
    (corpus / "nouveau.txt").unlink()
    assert fouille("index", *loc(corpus, index)).returncode == 0


def test_lock_of_a_killed_writer_does_not_block_the_next_run(shared: tuple[Path, Path]) -> None:
    corpus, index = shared
    proc = popen_fouille("index", "--full", *loc(corpus, index))
    lock = index / "write.lock"
    deadline = time.monotonic() + 30
    while lock.read_text().strip() != str(proc.pid):  # wait until it holds the lock
        assert proc.poll() is None and time.monotonic() < deadline, "never took the lock"
        time.sleep(0.01)
    proc.kill()
    proc.communicate()
    assert lock.exists()  # the file stays, with a dead pid in it: harmless
    done = fouille("index", "--full", *loc(corpus, index))
    assert done.returncode == 0, done.stderr
    assert "full rebuild" in done.stdout


@pytest.mark.slow
def test_two_cli_rebuilds_at_once_one_runs_the_other_says_so(shared: tuple[Path, Path]) -> None:
    corpus, index = shared
    for _ in range(2):
        procs = [popen_fouille("index", "--full", *loc(corpus, index)) for _ in range(2)]
        results = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
        codes = sorted(code for code, _ in results)
        assert codes in ([0, 0], [0, ExitCode.LOCKED]), results
        for code, err in results:
            if code == ExitCode.LOCKED:
                assert_one_line_error(err, code, ExitCode.LOCKED)
        assert_index_whole(corpus, index)


def test_app_rebuild_and_cli_rebuild_at_once(shared: tuple[Path, Path]) -> None:
    """The app rebuilds through Engine.update in a worker thread; a CLI rebuild starts at the
    same time. Whichever comes second is refused cleanly; the index stays whole."""
    corpus, index = shared
    engine = Engine(corpus, index)
    outcome: list[object] = []

    def app_rebuild() -> None:
        try:
            outcome.append(engine.update(full=True))
        except IndexLockedError as error:
            outcome.append(error)

    for _ in range(2):
        outcome.clear()
        worker = threading.Thread(target=app_rebuild)
        cli = popen_fouille("index", "--full", *loc(corpus, index))
        worker.start()
        code = cli.wait(timeout=120)
        _, err = cli.communicate()
        worker.join()
        locked = [isinstance(outcome[0], IndexLockedError), code == ExitCode.LOCKED]
        assert not all(locked), "both writers were refused"
        assert code in (0, ExitCode.LOCKED), err
        if isinstance(outcome[0], IndexLockedError):
            assert "another fouille process" in str(outcome[0])
        assert_index_whole(corpus, index, engine)
    engine.close()


def assert_index_whole(corpus: Path, index: Path, engine: Engine | None = None) -> None:
    engine = engine or Engine(corpus, index)
    extras = EXTRA_DOCS if (corpus / "extra").exists() else 0
    assert engine.stats().documents == BIG_DOCS + extras
    assert engine.search(RARE_WORD, limit=1000).total == rare_count(BIG_DOCS)
    assert engine.search(EXTRA, limit=1000).total == extras


# ----------------------------------------------------------------------------- readers


@pytest.mark.slow
def test_searches_during_rebuilds_all_succeed_with_whole_answers(
    shared: tuple[Path, Path],
) -> None:
    """A loop of rebuilds (full and incremental, the corpus switching between two states) in
    another process, while threads of one engine and CLI processes search all the time.

    No timing is assumed: after each rebuild, the test waits (on a condition, not a clock)
    until every reader has finished a search it started after the rebuild, and that search
    must have seen the new index."""
    corpus, index = shared
    engine = Engine(corpus, index)
    stop = threading.Event()
    errors: list[BaseException] = []
    allowed = {0, EXTRA_DOCS}
    readers = 3
    changed = threading.Condition()
    rebuilds = [0]  # rebuilds finished so far
    caught_up = [-1] * readers  # per reader, the rebuild count its last search started after
    seen_after: dict[int, set[int]] = {}  # rebuild count -> extras seen by the next searches

    def reader(number: int) -> None:
        while not stop.is_set():
            with changed:
                started_after = rebuilds[0]
            try:
                rare = engine.search(RARE_WORD, limit=1000).total
                extra = engine.search(EXTRA, limit=1000).total
                assert rare == rare_count(BIG_DOCS), rare
                assert extra in allowed, extra
            except BaseException as error:  # collected, reported by the main thread
                errors.append(error)
                extra = -1
            with changed:
                if caught_up[number] < started_after:  # its first search since that rebuild
                    # (the next rebuild starts only once every reader got here)
                    seen_after.setdefault(started_after, set()).add(extra)
                caught_up[number] = started_after
                changed.notify_all()
            if extra < 0:
                return

    def cli_reader() -> None:
        while not stop.is_set():
            done = fouille("search", RARE_WORD, "--limit", "1", *loc(corpus, index))
            if done.returncode != 0:
                errors.append(AssertionError(done.stderr))
                return

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    threads.append(threading.Thread(target=cli_reader))
    for thread in threads:
        thread.start()
    expected: dict[int, int] = {}
    try:
        for full in (True, False, True):
            toggle(corpus)
            done = fouille("index", *(["--full"] if full else []), *loc(corpus, index))
            assert done.returncode == 0, done.stderr
            with changed:
                rebuilds[0] += 1
                expected[rebuilds[0]] = EXTRA_DOCS if (corpus / "extra").exists() else 0
                # a deadlock guard, not a speed limit: the readers search in a loop
                changed.wait_for(lambda: errors or min(caught_up) == rebuilds[0], timeout=300)
            assert not errors, errors[:3]
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    engine.close()
    assert not errors, errors[:3]
    # every search started after a rebuild saw its index, and the readers saw both states
    assert {k: seen_after.get(k) for k in expected} == {k: {v} for k, v in expected.items()}
    assert set(expected.values()) == allowed


# ----------------------------------------------------------------------------- load


def expected_answers(engine: Engine) -> dict[str, list[str]]:
    return {q: [h.id for h in engine.search(q, limit=10).hits] for q in QUERIES}


LOAD_THREADS = 6
SEARCHES_AFTER = 10


@pytest.mark.slow
def test_many_threads_one_engine_sustained_no_errors_no_leaks(tmp_path: Path) -> None:
    corpus = make_generated_corpus(tmp_path / "corpus", 150)
    index = tmp_path / "index"
    Engine(corpus, index).update(full=True)
    fds_before = open_fds()
    engine = Engine(corpus, index)
    expected = expected_answers(engine)
    errors: list[BaseException] = []
    stop = threading.Event()
    rebuilt = threading.Event()
    after = [0] * LOAD_THREADS  # searches each thread finished after both rebuilds
    enough = [threading.Event() for _ in range(LOAD_THREADS)]

    def hammer(seed: int) -> None:
        n = seed
        while not stop.is_set():
            query = QUERIES[n % len(QUERIES)]
            n += 1
            try:
                result = engine.search(query, limit=10)
                assert [h.id for h in result.hits] == expected[query], query
                if result.hits:
                    article = engine.article(result.hits[0].id)
                    assert article.id == result.hits[0].id
            except BaseException as error:
                errors.append(error)
                enough[seed].set()
                return
            if rebuilt.is_set():
                after[seed] += 1
                if after[seed] == SEARCHES_AFTER:
                    enough[seed].set()

    with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
        for seed in range(LOAD_THREADS):
            pool.submit(hammer, seed)
        try:
            # the corpus does not change, so every rebuild must give the very same answers
            engine.update(full=True)  # as the app does: a rebuild on the same engine
            by_cli = fouille("index", "--full", *loc(corpus, index))  # and one from the CLI
            assert by_cli.returncode == 0, by_cli.stderr
            rebuilt.set()
            for event in enough:  # each thread goes on searching the new index for a while
                event.wait(timeout=300)  # a deadlock guard, not a speed limit
        finally:
            stop.set()
    engine.close()
    gc.collect()  # Whoosh's mmaps are released when their last memoryview goes
    assert not errors, errors[:3]
    assert min(after) >= SEARCHES_AFTER
    assert open_fds() - fds_before == set(), "file handles leaked"


def test_short_lived_threads_do_not_leak_searchers(shared: tuple[Path, Path]) -> None:
    """asyncio.to_thread and one-off threads each get their own searcher: those of finished
    threads must not pile up across rebuilds."""
    corpus, index = shared
    engine = Engine(corpus, index)
    engine.search(RARE_WORD)
    fds_before = open_fds()

    def one_search() -> None:
        engine.search(RARE_WORD)

    for round_ in range(4):
        for _ in range(20):
            thread = threading.Thread(target=one_search)
            thread.start()
            thread.join()
        if round_ % 2:
            engine.update(full=True)
    engine.search(RARE_WORD)
    gc.collect()  # Whoosh's mmaps are released when their last memoryview goes
    growth = len(open_fds() - fds_before)
    engine.close()
    assert growth <= 4, f"{growth} more file handles after 80 one-off searching threads"


def test_incremental_update_lands_in_the_generation_live_when_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental update works out its changes without the lock; if a full rebuild
    publishes a new generation before it gets the lock, it must write into that one — not
    into the generation it read, which is no longer live (its work would be lost)."""
    corpus = make_generated_corpus(tmp_path / "corpus", 20, words=30)
    index = tmp_path / "index"
    engine = Engine(corpus, index)
    engine.update(full=True)
    late = corpus / "tardif.txt"
    late.write_text("Un article tardif\n\nLe mot ornithorynque.\n", encoding="utf-8")
    real_lock = indexer.write_lock
    raced = []

    def rebuild_first(index_dir: Path) -> object:
        if not raced:  # another process rebuilds (without the late file) just before we lock
            raced.append(True)
            late.rename(corpus / ".tardif")
            indexer.build_full(corpus, index_dir)
            (corpus / ".tardif").rename(late)
        return real_lock(index_dir)

    monkeypatch.setattr(indexer, "write_lock", rebuild_first)
    report = engine.update()
    assert raced and report.added == 1, report
    assert [h.id for h in engine.search("ornithorynque").hits] == ["tardif.txt"]
    engine.close()


def test_opening_the_index_just_as_a_commit_replaces_its_toc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An incremental commit writes a new TOC and deletes the old one: a reader that listed
    the folder just before finds its TOC gone. That race (seen 3 times in 1,400 opens under a
    commit loop) must not fail a search, nor pass for damage and trigger a full rebuild.
    Deterministic here: a commit is slipped in between the listing and the opening."""
    corpus = make_generated_corpus(tmp_path / "corpus", 10, words=20)
    index = tmp_path / "index"
    Engine(corpus, index).update(full=True)
    real_latest = TOC._latest_generation.__func__  # type: ignore[attr-defined]
    busy: list[bool] = []
    commits: list[int] = []

    def latest_then_a_commit(cls: type, storage: object, indexname: str) -> int:
        generation = real_latest(cls, storage, indexname)
        if not busy and len(commits) < 2:
            busy.append(True)
            n = len(commits)
            (corpus / f"commit{n}.txt").write_text(f"Commit {n}\n\nornithorynque\n")
            Engine(corpus, index).update()
            commits.append(n)
            busy.pop()
        return generation

    monkeypatch.setattr(TOC, "_latest_generation", classmethod(latest_then_a_commit))
    engine = Engine(corpus, index)
    assert engine.search("ornithorynque").total >= 1
    engine.close()
    assert len(commits) == 2  # both opens were raced
    commits.clear()
    assert main(["search", "ornithorynque", *loc(corpus, index)]) == ExitCode.OK
    err = capsys.readouterr().err
    assert "rebuilt" not in err and "building" not in err, err  # a race is not damage


@pytest.mark.slow
async def test_app_keeps_answering_while_the_cli_rebuilds(tmp_path: Path) -> None:
    """The app searching (as a person types) while `fouille index` runs again and again in
    another process: every search shows hits, no error reaches the screen."""

    from tui.app import create_app
    from tui.screens.search_screen import SearchScreen

    corpus = make_generated_corpus(tmp_path / "corpus", 150, words=60)
    add_extra(corpus)
    index = tmp_path / "index"
    Engine(corpus, index).update(full=True)
    # not following the folder: its updates would make the CLI's runs exit 5 (a second writer)
    app = create_app(corpus, index, watch=False)
    stop = threading.Event()
    failures: list[str] = []

    def rebuild_loop() -> None:
        full = True
        while not stop.is_set():
            toggle(corpus)
            done = fouille("index", *(["--full"] if full else []), *loc(corpus, index))
            if done.returncode != 0:
                failures.append(done.stderr)
            full = not full

    notes = Notifications()
    async with app.run_test(size=(120, 36), message_hook=notes) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.debounce = 0.0
        writer = threading.Thread(target=rebuild_loop)
        writer.start()
        try:
            for n in range(12):
                query = (RARE_WORD, EXTRA, "gouvernement", "vaccin OR climat")[n % 4]
                screen.query_input.value = f"{query} " if n % 8 >= 4 else query
                await settle(pilot)
                hits = [hit.id for hit in screen.hit_list.hits]
                if query != EXTRA:  # the extras come and go with the rebuilds
                    assert hits, query
                if query == RARE_WORD:
                    assert all(h.startswith("art") for h in hits)
        finally:
            stop.set()
            writer.join()
        errors = [n.message for n in notes if n.severity == "error"]
        assert not errors, errors
        assert app.is_running
    assert not failures, failures[:2]


def test_folder_without_file_locks_is_one_line_exit_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a network file system without locks, flock fails with ENOLCK: a writer that went on
    unlocked could corrupt the index, one that crashed would print a traceback."""
    import errno
    import fcntl

    corpus = make_generated_corpus(tmp_path / "corpus", 5, words=20)

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    code = main(["index", *loc(corpus, tmp_path / "index")])
    err = capsys.readouterr().err
    assert_one_line_error(err, code, ExitCode.INDEX)
    assert "cannot lock the index folder" in err and "local disk" in err, err
