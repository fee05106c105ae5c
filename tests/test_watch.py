"""The live index (search/watch.py, search/freshness.py): real file events on a small corpus
in a temporary folder, the watcher in a thread as the app runs it, ``fouille index --watch`` in
a real process, and the "folder changed" note of ``fouille search``.

Waits poll the index until it shows the change, with a generous deadline that only a broken
watcher reaches: nothing here asserts a duration.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from search import freshness, indexer
from search.engine import Engine
from search.freshness import STAMP, changed_since, scanned_ns
from search.models import IndexReport
from search.store import write_lock
from search.watch import FolderWatch, change_note
from tests.support.corpora import make_corpus
from tests.support.processes import fouille, loc, popen_fouille

DEADLINE = 30.0  # seconds; a working watcher needs about one


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.02)


def article(title: str, body: str) -> str:
    return f"{title}\n\nPublié le 3 mars 2024\n\n{body}\n"


def total(engine: Engine, query: str) -> int:
    return engine.search(query, limit=1).total


@contextlib.contextmanager
def watching(engine: Engine) -> Iterator[tuple[FolderWatch, list[IndexReport]]]:
    """A FolderWatch in a thread, ready (caught up, watching) when the block starts."""
    reports: list[IndexReport] = []
    errors: list[str] = []
    ready, stop = threading.Event(), threading.Event()

    def failed(error: Exception) -> None:
        errors.append("".join(traceback.format_exception(error.__cause__ or error)))

    watcher = FolderWatch(engine, on_update=reports.append, on_error=failed, on_ready=ready.set)
    thread = threading.Thread(target=watcher.run, args=(stop.is_set,), daemon=True)
    thread.start()
    try:
        assert ready.wait(DEADLINE), "the watcher never got ready"
        yield watcher, reports
    finally:
        stop.set()
        thread.join(DEADLINE)
        assert not thread.is_alive()
        assert not errors, errors[0]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(make_corpus(tmp_path, seeds=2), tmp_path / "index")
    engine.ensure_index()
    yield engine
    engine.close()


def test_create_modify_rename_delete_are_followed(engine: Engine) -> None:
    corpus = engine.corpus
    with watching(engine) as (_, reports):

        def next_update(count: int) -> IndexReport:
            wait_until(lambda: len(reports) >= count, f"update {count}")
            return reports[count - 1]

        (corpus / "zorglub.txt").write_text(article("Zorglub", "Un galurin."), "utf-8")
        assert change_note(next_update(1)) == "1 article added"
        assert total(engine, "zorglub") == 1

        (corpus / "zorglub.txt").write_text(article("Zorglub", "Le marsupilami."), "utf-8")
        assert change_note(next_update(2)) == "1 article updated"
        assert total(engine, "marsupilami") == 1 and total(engine, "galurin") == 0

        os.rename(corpus / "zorglub.txt", corpus / "renamed.txt")
        wait_until(
            lambda: [h.id for h in engine.search("marsupilami").hits] == ["renamed.txt"],
            "the renamed article under its new name only",
        )

        (corpus / "renamed.txt").unlink()
        wait_until(lambda: total(engine, "marsupilami") == 0, "the deleted article gone")
        wait_until(lambda: change_note(reports[-1]) == "1 article removed", "the last note")


def test_a_burst_of_500_files_is_coalesced(engine: Engine) -> None:
    burst = engine.corpus / "burst"
    with watching(engine) as (watcher, reports):
        burst.mkdir()
        for n in range(500):
            (burst / f"b{n:03d}.txt").write_text(article(f"Dépêche {n}", "Le wombat."), "utf-8")
        wait_until(lambda: sum(r.added for r in reports) == 500, "500 articles reported")
        assert total(engine, "wombat") == 500
        assert watcher.updates < 50  # batches, not one update per file
        assert engine.stats().documents == 502


def test_the_watcher_waits_for_another_writer(engine: Engine) -> None:
    """A writer holding the index (``fouille index``, Ctrl+R) is never written around: the
    watcher's update is refused, kept pending and applied once the lock is free."""
    attempts: list[str] = []
    real_update = engine.update

    def spy(**kwargs: object) -> IndexReport:
        try:
            report = real_update(**kwargs)  # type: ignore[arg-type]
        except Exception as error:
            attempts.append(f"{type(error).__name__}: {error}")
            raise
        attempts.append("ok")
        return report

    engine.update = spy  # type: ignore[method-assign]
    with watching(engine):
        with write_lock(engine.index_dir):
            (engine.corpus / "new.txt").write_text(article("Wombat", "Le wombat."), "utf-8")
            wait_until(
                lambda: any("IndexLockedError" in a for a in attempts), "an attempt while locked"
            )
            assert total(engine, "wombat") == 0
        wait_until(lambda: attempts[-1] == "ok", "the update once the lock is free")
    assert total(engine, "wombat") == 1


def test_two_watchers_never_write_at_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app and ``fouille index --watch`` on one index: a burst gives both work, and at no
    moment do two writers hold the index."""
    held, most = 0, 0
    guard = threading.Lock()
    real_lock = indexer.write_lock

    @contextlib.contextmanager
    def counting_lock(index_dir: Path) -> Iterator[None]:
        nonlocal held, most
        with real_lock(index_dir):
            with guard:
                held += 1
                most = max(most, held)
            try:
                time.sleep(0.05)  # widen the window a second writer would need
                yield
            finally:
                with guard:
                    held -= 1

    monkeypatch.setattr(indexer, "write_lock", counting_lock)
    other = Engine(engine.corpus, engine.index_dir)
    with watching(engine), watching(other):
        for n in range(60):
            (engine.corpus / f"w{n:02d}.txt").write_text(article(f"N{n}", "Le wombat."), "utf-8")
            if n % 20 == 19:
                time.sleep(0.3)  # several batches, so both watchers get events to act on
        wait_until(lambda: total(engine, "wombat") == 60, "all the articles")
        wait_until(lambda: total(other, "wombat") == 60, "all the articles, seen by the other")
    other.close()
    assert most == 1


def test_hidden_files_and_an_index_inside_the_corpus_do_not_trigger_updates(
    tmp_path: Path,
) -> None:
    corpus = make_corpus(tmp_path, seeds=1)
    engine = Engine(corpus, corpus / ".." / "corpus" / "index-inside")
    engine.ensure_index()
    with watching(engine) as (watcher, _):
        (corpus / ".swap.txt").write_text("brouillon", "utf-8")
        (corpus / "real.txt").write_text(article("Wombat", "Le wombat."), "utf-8")
        wait_until(lambda: watcher.updates == 1, "the real article")
        assert total(engine, "wombat") == 1
        time.sleep(1.0)  # room for a loop on the index's own writes, which must not happen
        assert watcher.updates == 1
    engine.close()


# The "folder changed" check.


@pytest.mark.parametrize("change", ["create", "delete", "rename", "replace"])
def test_changed_since_sees_files_come_and_go(tmp_path: Path, change: str) -> None:
    corpus = make_corpus(tmp_path, {"sub/a.txt": "A", ".hidden/x.txt": "X"}, seeds=0)
    time.sleep(0.01)
    since = time.time_ns()
    # file systems stamp mtimes from the kernel's coarse clock, up to a tick behind
    # time.time_ns(): wait until a file written now is stamped after ``since``
    probe = corpus / ".hidden" / "probe"
    probe.write_text("p", "utf-8")
    while probe.stat().st_mtime_ns <= since:
        probe.write_text("p", "utf-8")
    (corpus / ".hidden/y.txt").write_text("Y", "utf-8")  # hidden folders are not looked at
    assert not changed_since(corpus, since)
    sub = corpus / "sub"
    if change == "replace":  # how editors and cp/rsync save: a new file renamed over the old
        (sub / "a.tmp").write_text("A changé", "utf-8")
        os.replace(sub / "a.tmp", sub / "a.txt")
    elif change == "create":
        (sub / "new.txt").write_text("N", "utf-8")
    elif change == "delete":
        (sub / "a.txt").unlink()
    else:
        os.rename(sub / "a.txt", sub / "b.txt")
    assert changed_since(corpus, since)


@pytest.mark.parametrize("change", ["file in a subfolder", "new subfolder", "subfolder gone"])
def test_the_check_reads_the_recorded_folders_without_listing_them(
    tmp_path: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update records the corpus's folders beside its stamp; a search's check then reads
    the ``stat`` of each instead of listing every folder (55 ms for 100,000 files in one folder)
    and still notices a change anywhere."""
    corpus = make_corpus(tmp_path, {"sub/deep/a.txt": "A", "sub/b.txt": "B"}, seeds=1)
    index = tmp_path / "index"
    Engine(corpus, index).update(full=True)
    assert sorted(freshness.recorded_folders(index) or []) == [".", "sub", "sub/deep"]
    time.sleep(0.05)  # the stamp is the scan's start: a change now is well after it

    def no_listing(path: object) -> None:
        raise AssertionError(f"listed {path}")

    monkeypatch.setattr(freshness.os, "scandir", no_listing)
    assert not freshness.index_behind(corpus, index)
    if change == "file in a subfolder":
        (corpus / "sub" / "deep" / "new.txt").write_text("N", "utf-8")
    elif change == "new subfolder":
        (corpus / "sub" / "deep" / "deeper").mkdir()
    else:
        for child in (corpus / "sub" / "deep").iterdir():
            child.unlink()
        (corpus / "sub" / "deep").rmdir()
    assert freshness.index_behind(corpus, index)


@pytest.mark.parametrize("record", [b"", b"{", b'{"folders": ["../elsewhere"]}', b"[]"])
def test_without_a_sound_record_the_check_walks_the_folders(tmp_path: Path, record: bytes) -> None:
    """An index stamped by an older version (an empty stamp) or a record that is not a list of
    folders inside the corpus: the folders are walked, a change is still noticed."""
    corpus = make_corpus(tmp_path, {"sub/a.txt": "A"}, seeds=1)
    index = tmp_path / "index"
    Engine(corpus, index).update(full=True)
    stamp = index / STAMP
    when = stamp.stat().st_mtime_ns
    stamp.write_bytes(record)
    os.utime(stamp, ns=(when, when))
    assert freshness.recorded_folders(index) is None
    assert not freshness.index_behind(corpus, index)
    time.sleep(0.05)
    (corpus / "sub" / "new.txt").write_text("N", "utf-8")
    assert freshness.index_behind(corpus, index)


def test_search_says_when_the_folder_changed_and_refresh_updates(tmp_path: Path) -> None:
    corpus, index = make_corpus(tmp_path, seeds=2), tmp_path / "index"
    first = fouille("search", "otan", *loc(corpus, index))
    assert first.returncode == 0 and "changed in the folder" not in first.stderr
    assert scanned_ns(index) is not None
    (corpus / "zorglub.txt").write_text(article("Zorglub", "Le zorglub porte un galurin."), "utf-8")
    stale = fouille("search", "zorglub", *loc(corpus, index))
    assert stale.returncode == 1
    assert "files changed in the folder since the index was updated" in stale.stderr
    assert "--refresh" in stale.stderr
    refreshed = fouille("search", "zorglub", "--refresh", *loc(corpus, index))
    assert refreshed.returncode == 0, refreshed.stderr
    assert "refreshed: 1 article added" in refreshed.stderr
    assert "zorglub.txt" in refreshed.stdout
    again = fouille("search", "zorglub", *loc(corpus, index))
    assert again.returncode == 0 and again.stderr == ""


def test_index_watch_prints_one_line_per_update_and_ctrl_c_exits_130(tmp_path: Path) -> None:
    corpus, index = make_corpus(tmp_path, seeds=2), tmp_path / "index"
    assert fouille("index", *loc(corpus, index)).returncode == 0
    process = popen_fouille("index", "--watch", *loc(corpus, index))
    assert process.stderr is not None and process.stdout is not None
    killer = threading.Timer(DEADLINE, process.kill)  # a hung watcher fails the test, no hang
    killer.start()
    try:
        assert "watching" in process.stderr.readline()
        (corpus / "a.txt").write_text(article("Wombat", "Le wombat."), "utf-8")
        line = process.stdout.readline()
        assert line.rstrip().endswith(" 1 article added"), line
        (corpus / "a.txt").unlink()
        line = process.stdout.readline()
        assert line.rstrip().endswith(" 1 article removed"), line
        process.send_signal(signal.SIGINT)
        code = process.wait(DEADLINE)
    finally:
        killer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    err = process.stderr.read()
    assert code == 130
    assert "stopped watching" in err and "Traceback" not in err
