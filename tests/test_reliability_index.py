"""An index that is damaged, from another version, read-only or on a full disk gets a one-line
diagnosis and, where fouille can, an automatic rebuild — never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import StructFile

from search.cli import main
from search.engine import Engine
from search.errors import ExitCode
from search.store import CURRENT, GEN_PREFIX, read_pointer
from tests.support.corpora import SEEDS, make_corpus, make_generated_corpus
from tests.support.pilot import Notifications, settle
from tests.support.processes import assert_one_line_error, loc


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FOUILLE_CORPUS", "FOUILLE_INDEX", "FOUILLE_DEBUG"):
        monkeypatch.delenv(name, raising=False)


QUERY = "stoltenberg"


def answer(corpus: Path, index: Path, query: str = QUERY) -> list[str]:
    """The ids a fresh engine finds, in order."""
    engine = Engine(corpus, index)
    try:
        return [hit.id for hit in engine.search(query, limit=100).hits]
    finally:
        engine.close()


def documents(corpus: Path, index: Path) -> int:
    engine = Engine(corpus, index)
    try:
        return engine.stats().documents
    finally:
        engine.close()


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """What a healthy index of the seeds answers to QUERY."""
    root = tmp_path_factory.mktemp("healthy")
    Engine(SEEDS, root / "index").update(full=True)
    found = answer(SEEDS, root / "index")
    assert found
    return found


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = make_corpus(tmp_path)
    index = tmp_path / "index"
    assert main(["index", *loc(corpus, index)]) == ExitCode.OK
    return corpus, index


def live(index: Path) -> Path:
    pointer = read_pointer(index)
    assert pointer is not None
    return index / pointer.generation


def segment(index: Path) -> Path:
    return next(live(index).glob("*.seg"))


def sub_file(seg: Path, suffix: str) -> tuple[int, int]:
    """Where one of the files packed in a compound segment lies: (offset, length). Their order
    in the segment changes from build to build, so damage aimed at fixed offsets of the whole
    segment sometimes lands where no command reads."""
    with seg.open("rb") as fh:
        storage = CompoundStorage(StructFile(fh), use_mmap=False)
        try:
            name = next(n for n in storage.list() if n.endswith(suffix))
            return storage.range(name)
        finally:
            storage.close()


def overwrite(path: Path, start: int, count: int) -> None:
    data = bytearray(path.read_bytes())
    data[start : start + count] = bytes(min(count, len(data) - start))
    path.write_bytes(bytes(data))


def edit_pointer(index: Path, **changes: object) -> None:
    path = index / CURRENT
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))


def toc_format(index: Path) -> None:
    """Make the TOC claim a Whoosh format this version does not know."""
    toc = next(live(index).glob("*.toc"))
    data = bytearray(toc.read_bytes())
    data[7:11] = (-999).to_bytes(4, "big", signed=True)  # after 3 varints and the -12345 marker
    toc.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "segment deleted": lambda ix: segment(ix).unlink(),
    "segment cut in half": lambda ix: os.truncate(segment(ix), segment(ix).stat().st_size // 2),
    "segment missing its last byte": lambda ix: os.truncate(
        segment(ix), segment(ix).stat().st_size - 1
    ),
    "segment head zeroed": lambda ix: overwrite(segment(ix), 0, 256),
    "segment tail zeroed": lambda ix: overwrite(segment(ix), segment(ix).stat().st_size - 512, 512),
    "toc deleted": lambda ix: next(live(ix).glob("*.toc")).unlink(),
    "toc truncated": lambda ix: os.truncate(next(live(ix).glob("*.toc")), 40),
    "generation emptied": lambda ix: [p.unlink() for p in live(ix).iterdir()],
    "generation deleted": lambda ix: shutil.rmtree(live(ix)),
    "pointer is junk": lambda ix: (ix / CURRENT).write_bytes(b"\x00\xffnot json"),
    "pointer is a list": lambda ix: (ix / CURRENT).write_text("[]"),
    "pointer is null": lambda ix: (ix / CURRENT).write_text("null"),
    "pointer is a string": lambda ix: (ix / CURRENT).write_text('"str"'),
    "pointer overflows": lambda ix: (ix / CURRENT).write_text('{"generation":"x","schema":3e400}'),
    "pointer schema is infinite": lambda ix: edit_pointer(ix, schema=float("inf")),
    "pointer to nowhere": lambda ix: edit_pointer(ix, generation="gen-does-not-exist"),
    "pointer escapes the folder": lambda ix: edit_pointer(ix, generation="../../etc"),
    "older fouille schema": lambda ix: edit_pointer(ix, schema=0),
    "newer fouille schema": lambda ix: edit_pointer(ix, schema=999),
    "other whoosh format": toc_format,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_is_rebuilt_by_the_next_search(
    built: tuple[Path, Path],
    damage: str,
    expected: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    corpus, index = built
    DAMAGE[damage](index)
    code = main(["search", QUERY, "--json", "--limit", "100", *loc(corpus, index)])
    out, err = capsys.readouterr()
    assert code == ExitCode.OK, err
    assert [h["id"] for h in json.loads(out)["hits"]] == expected  # the full answer
    assert "Traceback" not in err
    assert "rebuilt because" in err or "building the index" in err, err
    assert main(["search", QUERY, *loc(corpus, index)]) == ExitCode.OK
    assert capsys.readouterr().err == ""  # rebuilt once, not at every run


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_is_repaired_by_fouille_index(
    built: tuple[Path, Path],
    damage: str,
    expected: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    corpus, index = built
    DAMAGE[damage](index)
    assert main(["index", *loc(corpus, index)]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert out.startswith("full rebuild: 5 added"), (out, err)
    assert answer(corpus, index) == expected


@pytest.mark.parametrize("pointer", ["[]", "null", '"str"', '{"generation":"x","schema":3e400}'])
def test_damaged_pointer_is_repaired_by_index_full_and_named(
    built: tuple[Path, Path], pointer: str, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, index = built
    (index / CURRENT).write_text(pointer)
    assert main(["stats", *loc(corpus, index)]) == ExitCode.OK
    assert "rebuilt because the index pointer (CURRENT) is damaged" in capsys.readouterr().err
    (index / CURRENT).write_text(pointer)
    assert main(["index", "--full", *loc(corpus, index)]) == ExitCode.OK
    assert answer(corpus, index) == expected


def test_garbled_segment_is_named_damaged_and_plain_index_repairs_it(
    built: tuple[Path, Path], expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Bytes zeroed in the middle of a segment pass every cheap check: a command that trips on
    them says the index is damaged and how to repair it (not "unexpected error: Error -3 while
    decompressing data"), and a plain ``fouille index`` finds the damage by the checksums its
    writer recorded and rebuilds (it exited 0 and left the damage)."""
    corpus, index = built
    seg = segment(index)
    for suffix in ("._stored.col", ".pst"):  # the middle of the stored texts and the postings
        start, length = sub_file(seg, suffix)
        overwrite(seg, start + length // 3, length // 3)
    failures = 0
    for argv in (
        ["search", QUERY],
        ["search", "guerre OR paix", "--sort", "date"],
        ["show", sorted(p.name for p in corpus.iterdir())[0]],
        ["similar", sorted(p.name for p in corpus.iterdir())[1]],
        ["stats"],
    ):
        code = main([*argv, *loc(corpus, index)])
        err = capsys.readouterr().err
        if code not in (ExitCode.OK, ExitCode.NO_HITS, ExitCode.NOT_FOUND):  # 6: a garbled id
            assert_one_line_error(err, code, ExitCode.INDEX)
            assert "is damaged (segment" in err and "(repair it: fouille index)" in err, err
            failures += 1
    assert failures  # the damage was met
    assert main(["index", *loc(corpus, index)]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert out.startswith("full rebuild: 5 added"), (out, err)
    assert "rebuilt because the index is damaged (segment" in err
    assert answer(corpus, index) == expected


def test_index_path_that_is_a_file_is_one_line_exit_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = make_corpus(tmp_path)
    blocker = tmp_path / "index"
    blocker.write_text("not a folder")
    for argv in (["search", "otan"], ["index"], ["index", "--full"], ["stats"]):
        code = main([*argv, *loc(corpus, blocker)])
        assert_one_line_error(capsys.readouterr().err, code, ExitCode.INDEX)
    assert blocker.read_text() == "not a folder"


# ----------------------------------------------------------------------------- read-only


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` read-only for this process: permissions for a normal user; root ignores
    permissions, so for root a read-only bind mount (skipped where mounting is not allowed)."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [path, *path.rglob("*")]}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    mounted = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("running as root and cannot bind-mount read-only")
    try:
        done = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(path)], capture_output=True, text=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
        yield
    finally:
        subprocess.run(["umount", "--lazy", str(path)], capture_output=True)


def test_read_only_index_still_answers_and_writes_fail_in_one_line(
    built: tuple[Path, Path], expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, index = built
    (corpus / "nouveau.txt").write_text("Zanzibar\n\nUn nouvel article.\n", encoding="utf-8")
    before = sorted(p.name for p in index.iterdir())
    with read_only(index):
        assert main(["search", QUERY, *loc(corpus, index)]) == ExitCode.OK
        assert main(["stats", "--json", *loc(corpus, index)]) == ExitCode.OK
        capsys.readouterr()
        for argv in (["index"], ["index", "--full"]):
            code = main([*argv, *loc(corpus, index)])
            err = capsys.readouterr().err
            assert_one_line_error(err, code, ExitCode.INDEX)
            assert "cannot write the index folder" in err and "--index DIR" in err, err
        assert main(["search", QUERY, *loc(corpus, index)]) == ExitCode.OK
    assert sorted(p.name for p in index.iterdir()) == before
    assert main(["index", *loc(corpus, index)]) == ExitCode.OK  # writable again: it catches up
    assert answer(corpus, index, "zanzibar") == ["nouveau.txt"]


def test_read_only_folder_without_an_index_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = make_corpus(tmp_path)
    index = tmp_path / "index"
    index.mkdir()
    with read_only(index):
        code = main(["search", "otan", *loc(corpus, index)])
        err = capsys.readouterr().err
    assert_one_line_error(err, code, ExitCode.INDEX)
    assert "cannot write the index folder" in err


# ----------------------------------------------------------------------------- full disk


FILE_SIZE_LIMIT = 64 * 1024


def run_with_file_limit(args: list[str], limit: int) -> subprocess.CompletedProcess[str]:
    """``fouille ARGS`` where no file may grow past ``limit`` bytes: writes fail with EFBIG,
    the way they fail with ENOSPC on a full disk (portable, needs no privilege)."""

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "search", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        preexec_fn=limit_files,
        timeout=120,
    )


@pytest.mark.parametrize("full", [True, False], ids=["full-rebuild", "incremental"])
def test_write_failing_midway_keeps_the_old_index(
    built: tuple[Path, Path], expected: list[str], full: bool
) -> None:
    corpus, index = built
    before = read_pointer(index)
    make_generated_corpus(corpus / "plus", 150, words=200)  # too big for the file limit
    args = ["index", *(["--full"] if full else []), *loc(corpus, index)]
    done = run_with_file_limit(args, FILE_SIZE_LIMIT)
    assert_one_line_error(done.stderr, done.returncode, ExitCode.INDEX)
    assert "cannot write the index folder" in done.stderr
    assert "index is" in done.stderr or "kept" in done.stderr  # says the old one is safe
    assert read_pointer(index) == before
    assert [p.name for p in index.iterdir() if p.name.startswith(GEN_PREFIX)] == [
        before.generation  # type: ignore[union-attr]
    ]
    assert documents(corpus, index) == 5 and answer(corpus, index) == expected
    assert main(["index", *loc(corpus, index)]) == ExitCode.OK  # space again: it catches up
    assert documents(corpus, index) == 155


def test_first_build_failing_for_space_does_not_claim_a_previous_index(tmp_path: Path) -> None:
    corpus = make_generated_corpus(tmp_path / "corpus", 150, words=200)
    index = tmp_path / "index"
    done = run_with_file_limit(["index", *loc(corpus, index)], FILE_SIZE_LIMIT)
    assert_one_line_error(done.stderr, done.returncode, ExitCode.INDEX)
    assert "no index was written" in done.stderr and "previous" not in done.stderr, done.stderr
    assert read_pointer(index) is None
    assert not [p for p in index.iterdir() if p.name.startswith(GEN_PREFIX)]


@contextlib.contextmanager
def small_disk(path: Path, size: str) -> Iterator[Path]:
    """A real tmpfs of ``size`` (root only; skipped where mounting is not allowed)."""
    path.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield path
    finally:
        subprocess.run(["umount", "--lazy", str(path)], capture_output=True)


def test_full_disk_keeps_the_old_index_and_says_what_to_do(
    tmp_path: Path, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = make_corpus(tmp_path)
    with small_disk(tmp_path / "disk", "1m") as disk:
        index = disk / "index"
        assert main(["index", *loc(corpus, index)]) == ExitCode.OK
        make_generated_corpus(corpus / "plus", 300, words=200)
        capsys.readouterr()
        for argv in (["index", "--full"], ["index"]):
            code = main([*argv, *loc(corpus, index)])
            err = capsys.readouterr().err
            assert_one_line_error(err, code, ExitCode.INDEX)
            assert "no space left on device" in err and "free some disk space" in err, err
            assert documents(corpus, index) == 5 and answer(corpus, index) == expected
        leftovers = [p for p in index.iterdir() if p.name.startswith(GEN_PREFIX)]
        assert len(leftovers) == 1, leftovers


async def test_app_rebuilds_a_damaged_index_on_start_and_answers(
    built: tuple[Path, Path], expected: list[str]
) -> None:

    from tui.app import create_app
    from tui.screens.search_screen import SearchScreen

    corpus, index = built
    os.truncate(segment(index), segment(index).stat().st_size // 2)
    app = create_app(corpus, index)
    notes = Notifications()
    async with app.run_test(size=(120, 36), message_hook=notes) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_input.value = QUERY
        await settle(pilot)
        assert [hit.id for hit in screen.hit_list.hits][: len(expected)] == expected
        assert not [n for n in notes if n.severity == "error"]
