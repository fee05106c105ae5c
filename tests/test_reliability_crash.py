"""A writer killed at any moment never costs the index: what remains opens and answers, with
the old content or the new, never a mix and never nothing; the next run finishes the job.

Two complementary attacks:

- **every step**: a forked child runs the real update with each disk mutation (open for
  writing, rename, replace, delete, mkdir, fsync, rmtree) counted; it dies with ``os._exit`` —
  no cleanup, no ``finally``, exactly like SIGKILL — right before mutation number k, for every k.
  This hits "just before the swap", "between the swap and the fsync", "while pruning" and every
  step of Whoosh's own commit deterministically;
- **real processes**: ``python -m search index`` on a corpus that takes about a second, killed
  with SIGKILL after delays spread over its whole run.
"""

from __future__ import annotations

import builtins
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from search.cli import main
from search.engine import Engine
from search.errors import ExitCode
from search.freshness import STAMP
from search.health import CHECKSUMS
from search.store import CURRENT, GEN_PREFIX, LOCK, TEMP_MARK, read_pointer
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

CRASHED = 77


def state(corpus: Path, index: Path) -> tuple[int, int, int]:
    """(documents, documents with EXTRA) of the live index, read by a fresh engine — and
    proof that it answers queries."""
    engine = Engine(corpus, index)
    try:
        docs = engine.stats().documents
        extra = engine.search(EXTRA, limit=1000).total
        rare = engine.search(RARE_WORD, limit=1000).total
    finally:
        engine.close()
    return docs, extra, rare


def assert_whole(found: tuple[int, int, int], base: int, allowed: set[int]) -> int:
    """The index holds the base corpus plus either none or all of the extras: never a mix."""
    docs, extra, rare = found
    assert docs in allowed, f"{docs} documents, expected one of {sorted(allowed)}"
    assert extra == docs - base, f"{extra} extra articles in an index of {docs}"
    assert rare == rare_count(base)
    return docs


# ----------------------------------------------------------------------------- every step


MUTATING_OS = ("replace", "rename", "remove", "unlink", "mkdir", "rmdir", "fsync", "truncate")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def run_crashing_at(k: int | None, action: Callable[[], object], *, must_crash: bool = True) -> int:
    """Fork; in the child, run ``action`` and die right before disk mutation number ``k``.
    Returns how many mutations the child performed (all of them when ``k`` is None, or when
    the run had fewer than ``k`` and ``must_crash`` is False)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read_end)
            count = 0

            def hit() -> None:
                nonlocal count
                count += 1
                if count == k:
                    os.write(write_end, str(count).encode())
                    os._exit(CRASHED)

            def counting(fn: Callable[..., object]) -> Callable[..., object]:
                def wrapper(*args: object, **kwargs: object) -> object:
                    hit()
                    return fn(*args, **kwargs)

                return wrapper

            for name in MUTATING_OS:
                setattr(os, name, counting(getattr(os, name)))
            shutil.rmtree = counting(shutil.rmtree)  # type: ignore[assignment]
            real_open, real_os_open = builtins.open, os.open

            def open_(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
                if any(c in mode for c in "wax+"):
                    hit()
                return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

            def os_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
                if flags & WRITE_FLAGS:
                    hit()
                return real_os_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

            builtins.open = open_  # type: ignore[assignment]
            os.open = os_open  # type: ignore[assignment]
            action()
            os.write(write_end, str(count).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        reported = pipe.read()
    _, status = os.waitpid(pid, 0)
    exit_code = os.waitstatus_to_exitcode(status)
    expected = {0} if k is None else {CRASHED} if must_crash else {0, CRASHED}
    assert exit_code in expected, f"child ended with {exit_code}"
    return int(reported or 0)


SMALL_DOCS = 12
SMALL_EXTRA = 4


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    corpus = make_generated_corpus(tmp_path / "corpus", SMALL_DOCS, words=30)
    add_extra(corpus, SMALL_EXTRA)
    index = tmp_path / "index"
    Engine(corpus, index).update(full=True)
    return corpus, index


def restore(snapshot: Path, index: Path) -> None:
    shutil.rmtree(index)
    shutil.copytree(snapshot, index)


@pytest.mark.slow
@pytest.mark.parametrize("full", [True, False], ids=["full-rebuild", "incremental"])
def test_crash_before_every_disk_mutation_keeps_a_whole_index(
    small: tuple[Path, Path], full: bool, tmp_path: Path
) -> None:
    corpus, index = small
    old, new = SMALL_DOCS, SMALL_DOCS + SMALL_EXTRA
    snapshot = tmp_path / "snapshot"
    shutil.copytree(index, snapshot)
    toggle(corpus)  # the update to crash adds the extra articles

    def update() -> None:
        Engine(corpus, index).update(full=full)

    total = run_crashing_at(None, update)  # a clean run, to count the steps
    assert total > 5
    assert_whole(state(corpus, index), SMALL_DOCS, {new})
    outcomes = set()
    for k in range(1, total + 1):
        restore(snapshot, index)
        run_crashing_at(k, update)
        outcomes.add(assert_whole(state(corpus, index), SMALL_DOCS, {old, new}))
        # the next run repairs: a plain incremental update brings the new corpus in
        Engine(corpus, index).update()
        assert_whole(state(corpus, index), SMALL_DOCS, {new})
        pointer = read_pointer(index)
        assert pointer is not None
        debris = list((index / pointer.generation).glob("_*.toc.*"))  # a half-written TOC
        assert not debris, (k, debris)
    assert outcomes == {old, new}  # crashes landed both before and after the commit
    gens = [p for p in index.iterdir() if p.name.startswith(GEN_PREFIX)]
    assert len(gens) <= 3, gens  # unfinished builds do not pile up forever


def test_crash_between_the_swap_and_the_prune_leaves_the_new_index(
    small: tuple[Path, Path],
) -> None:
    """The moment that matters most, named: CURRENT replaced, old generations not yet pruned."""
    corpus, index = small
    toggle(corpus)
    before = read_pointer(index)
    assert before is not None
    real_replace = os.replace

    def update() -> None:
        def replace_then_die(src: object, dst: object) -> None:
            real_replace(src, dst)  # type: ignore[arg-type]
            if str(dst).endswith(CURRENT):
                os._exit(CRASHED)

        os.replace = replace_then_die  # type: ignore[assignment]
        Engine(corpus, index).update(full=True)

    run_crashing_at(10**6, update)  # never reaches the count: dies right after the swap
    assert assert_whole(state(corpus, index), SMALL_DOCS, {SMALL_DOCS + SMALL_EXTRA})
    after = read_pointer(index)
    assert after is not None and after.generation != before.generation


KILLS = 50


def test_fifty_kills_then_one_index_leave_the_live_generation_and_the_one_read(
    small: tuple[Path, Path],
) -> None:
    """Killed writers leave unfinished generations, pointers and temporary files; the next
    successful ``fouille index`` removes them all, and frees every superseded generation but
    the one a reader still holds (which goes when that reader lets go)."""
    corpus, index = small
    reader = Engine(corpus, index)
    assert reader.search(RARE_WORD).hits
    held = reader._local.state.generation
    steps = {}
    for full in (True, False):  # clean runs, to count the steps of each kind
        toggle(corpus)
        steps[full] = run_crashing_at(
            None, lambda full=full: Engine(corpus, index).update(full=full)
        )
    for n in range(KILLS):  # kills spread over every step of full and incremental updates
        full = n % 2 == 0
        toggle(corpus)
        k = 1 + (n // 2 * steps[full]) // (KILLS // 2)
        run_crashing_at(
            k, lambda full=full: Engine(corpus, index).update(full=full), must_crash=False
        )
    assert main(["index", *loc(corpus, index)]) == ExitCode.OK
    live = read_pointer(index)
    assert live is not None
    expected = {CURRENT, LOCK, STAMP, live.generation}  # STAMP: the last update's scan time
    assert sorted(p.name for p in index.iterdir()) == sorted(expected | {held})
    files = {p.name for p in (index / live.generation).iterdir()}
    assert not [f for f in files if TEMP_MARK in f or ".toc." in f or f == "lexicon.pickle"]
    assert len([f for f in files if f.endswith(".toc")]) == 1
    assert len([f for f in files if f.endswith(".seg")]) == len(
        json.loads((index / live.generation / CHECKSUMS).read_text())
    )  # no segment a killed commit left unnamed
    reader.close()
    assert sorted(p.name for p in index.iterdir()) == sorted(expected)


# ----------------------------------------------------------------------------- real SIGKILL


@pytest.fixture(scope="module")
def killable(tmp_path_factory: pytest.TempPathFactory, big_corpus: Path) -> tuple[Path, Path]:
    """A copy of the big corpus with extras, and its index (built once)."""
    root = tmp_path_factory.mktemp("kill")
    corpus = root / "corpus"
    shutil.copytree(big_corpus, corpus)
    add_extra(corpus)
    index = root / "index"
    done = fouille("index", "--full", *loc(corpus, index))
    assert done.returncode == 0, done.stderr
    return corpus, index


def run_and_kill(args: list[str], delay: float) -> int | None:
    """Start ``fouille ARGS``, SIGKILL it after ``delay`` s; its exit code if it ended first."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        return proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return None


def clean_run_seconds(args: list[str]) -> float:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "search", *args], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - start


KILL_AT = (0.0, 0.3, 0.6, 0.85, 0.95, 1.02, 1.12)
"""When to kill, as fractions of one clean run: dense near the end, where the swap happens."""


@pytest.mark.slow
@pytest.mark.parametrize("full", [True, False], ids=["full-rebuild", "incremental"])
def test_sigkill_at_spread_moments_keeps_old_or_new_index(
    killable: tuple[Path, Path], full: bool
) -> None:
    corpus, index = killable
    base = BIG_DOCS
    args = ["index", *(["--full"] if full else []), *loc(corpus, index)]
    current = state(corpus, index)[0]
    toggle(corpus)
    seconds = clean_run_seconds(args)  # how long one run lasts here, to spread the kills
    current = assert_whole(state(corpus, index), base, {base, base + EXTRA_DOCS})
    outcomes = []
    for fraction in KILL_AT:
        toggle(corpus)
        target = base + EXTRA_DOCS if current == base else base
        exit_code = run_and_kill(args, seconds * fraction)
        before = current
        current = assert_whole(state(corpus, index), base, {current, target})
        outcomes.append(("killed" if exit_code is None else "finished", current != before))
    print(f"run of {seconds:.2f} s; (killed/finished, index switched):", outcomes)
    assert ("killed", False) in outcomes  # some kills did land mid-run
    # whatever happened, the next run finishes the job
    done = fouille(*args[:1], *loc(corpus, index))
    assert done.returncode == 0, done.stderr
    expected = base + (EXTRA_DOCS if (corpus / "extra").exists() else 0)
    assert_whole(state(corpus, index), base, {expected})
    # and leaves the live generation only (no reader holds another), with no temporary file
    live = read_pointer(index)
    assert live is not None
    files = {CURRENT, LOCK, STAMP, live.generation}  # STAMP: the last update's scan time
    assert sorted(p.name for p in index.iterdir()) == sorted(files)
    assert not [p for p in (index / live.generation).iterdir() if TEMP_MARK in p.name]
