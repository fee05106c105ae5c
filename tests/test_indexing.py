"""Building, updating and replacing the index."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from whoosh import query as wq

from search import store
from search.engine import Engine
from search.errors import CorpusError, IndexingCancelled, IndexLockedError, IndexUnavailable
from search.schema import SCHEMA_VERSION
from tests.support.corpora import make_corpus


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return Engine(make_corpus(tmp_path), tmp_path / "index")


def touch_later(path: Path, text: str) -> None:
    """Rewrite a file so that its mtime visibly changes."""
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))


def test_first_build_reports_why_and_what(engine: Engine) -> None:
    assert not engine.has_index()
    report = engine.ensure_index()
    assert report is not None and report.full and report.reason == "no index yet"
    assert report.added == 5
    assert engine.has_index()
    assert engine.ensure_index() is None
    assert "5 added" in report.summary()


def test_unchanged_corpus_writes_nothing(engine: Engine) -> None:
    engine.update(full=True)
    generation = store.read_pointer(engine.index_dir).generation  # type: ignore[union-attr]
    before = {p.name: p.stat().st_mtime_ns for p in (engine.index_dir / generation).iterdir()}
    report = engine.update()
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)
    assert not report.changed
    after = {p.name: p.stat().st_mtime_ns for p in (engine.index_dir / generation).iterdir()}
    assert after == before


def test_incremental_update_adds_changes_and_removes(engine: Engine) -> None:
    engine.update(full=True)
    corpus = engine.corpus
    (corpus / "nouveau.txt").write_text("Zanzibar\n\nUn article sur Zanzibar.\n", encoding="utf-8")
    touch_later(corpus / "000_9fdfbce118744794.txt", "Titre neuf\n\nLe mot xylophone apparaît.\n")
    (corpus / "004_06adbffbd8b422e2.txt").unlink()
    report = engine.update()
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 3)
    assert [h.id for h in engine.search("zanzibar").hits] == ["nouveau.txt"]
    assert [h.id for h in engine.search("xylophone").hits] == ["000_9fdfbce118744794.txt"]
    assert engine.search("Stoltenberg Asie armes").hits[0].id != "000_9fdfbce118744794.txt"
    assert engine.stats().documents == 5
    with pytest.raises(Exception, match="no article"):
        engine.article("004_06adbffbd8b422e2.txt")


def _generations(index: Path) -> set[str]:
    return {p.name for p in index.iterdir() if p.name.startswith("gen-")}


def test_full_rebuild_frees_old_generations_unless_a_reader_holds_one(engine: Engine) -> None:
    engine.update(full=True)
    first = store.read_pointer(engine.index_dir).generation  # type: ignore[union-attr]
    reader = Engine(engine.corpus, engine.index_dir)
    before = [h.id for h in reader.search("OTAN").hits]  # reads (and holds) the first one
    engine.update(full=True)
    second = store.read_pointer(engine.index_dir).generation  # type: ignore[union-attr]
    engine.update(full=True)
    third = store.read_pointer(engine.index_dir).generation  # type: ignore[union-attr]
    assert len({first, second, third}) == 3
    assert _generations(engine.index_dir) == {first, third}  # second: no reader, freed at once
    assert reader._local.state.generation == first
    assert len(reader._local.state.searcher.search(wq.Every(), limit=None)) == 5  # still reads
    assert [h.id for h in reader.search("OTAN").hits] == before  # moves to the live one...
    assert _generations(engine.index_dir) == {third}  # ...and the first is freed as it lets go
    reader.close()


@pytest.mark.parametrize("step", ["publish", "record_checksums", "fsync_files"])
def test_failed_rebuild_leaves_the_previous_index_answering(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    # record_checksums and fsync_files run in a thread beside the lexicon's saving
    engine.update(full=True)
    before = [h.id for h in engine.search("OTAN").hits]

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(f"search.indexer.{step}", broken)
    with pytest.raises(IndexUnavailable, match="no space left on device"):
        engine.update(full=True)
    monkeypatch.undo()
    assert [h.id for h in Engine(engine.corpus, engine.index_dir).search("OTAN").hits] == before
    leftovers = [p for p in engine.index_dir.iterdir() if p.name.startswith("gen-")]
    assert len(leftovers) == 1  # the unfinished generation was removed


def test_cancelled_rebuild_keeps_the_previous_index(engine: Engine) -> None:
    engine.update(full=True)
    (engine.corpus / "nouveau.txt").write_text("Zanzibar\n", encoding="utf-8")
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(IndexingCancelled, match=r"^indexing stopped: the previous index is kept$"):
        engine.update(full=True, should_stop=stop)
    assert engine.search("zanzibar").total == 0
    assert engine.stats().documents == 5


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stopped_first_build_says_no_index_was_written(engine: Engine, jobs: int) -> None:
    # it said "the previous index is kept" where there was none
    with pytest.raises(IndexingCancelled, match=r"^indexing stopped: no index was written$"):
        engine.update(full=True, jobs=jobs, should_stop=lambda: True)
    assert not engine.has_index()


def test_a_stopped_update_says_the_index_is_unchanged(engine: Engine) -> None:
    engine.update(full=True)
    (engine.corpus / "nouveau.txt").write_text("Zanzibar\n", encoding="utf-8")
    with pytest.raises(IndexingCancelled, match=r"^indexing stopped: the index is unchanged$"):
        engine.update(should_stop=lambda: True)
    assert engine.search("zanzibar").total == 0 and engine.stats().documents == 5


def test_progress_is_reported_per_file(engine: Engine) -> None:
    ticks = []
    engine.update(full=True, progress=ticks.append)
    assert [t.done for t in ticks] == [1, 2, 3, 4, 5]
    assert {t.total for t in ticks} == {5}
    assert ticks[-1].current.endswith(".txt")


def test_index_from_another_schema_version_is_rebuilt_with_a_reason(engine: Engine) -> None:
    engine.update(full=True)
    pointer_file = engine.index_dir / store.CURRENT
    data = json.loads(pointer_file.read_text())
    data["schema"] = SCHEMA_VERSION - 1
    pointer_file.write_text(json.dumps(data))
    assert not engine.has_index()
    report = engine.ensure_index()
    assert report is not None and "another version of fouille" in report.reason
    assert engine.has_index() and engine.search("OTAN").total == 5


def test_damaged_index_is_detected_and_rebuilt(engine: Engine) -> None:
    engine.update(full=True)
    generation = engine.index_dir / store.read_pointer(engine.index_dir).generation  # type: ignore[union-attr]
    for toc in generation.glob("*.toc"):
        toc.unlink()
    report = engine.ensure_index()
    assert report is not None and "damaged" in report.reason
    assert engine.search("OTAN").total == 5


def test_missing_corpus_is_a_corpus_error(tmp_path: Path) -> None:
    engine = Engine(tmp_path / "nowhere", tmp_path / "index")
    with pytest.raises(CorpusError):
        engine.update(full=True)
    assert not (tmp_path / "index" / store.CURRENT).exists()


def test_search_without_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="fouille index"):
        Engine(make_corpus(tmp_path), tmp_path / "index").search("OTAN")


def test_second_writer_is_told_another_is_running(engine: Engine) -> None:
    engine.update(full=True)
    with store.write_lock(engine.index_dir):
        with pytest.raises(IndexLockedError, match="another fouille process"):
            engine.update(full=True)
        (engine.corpus / "nouveau.txt").write_text("Zanzibar\n", encoding="utf-8")
        with pytest.raises(IndexLockedError):
            engine.update()
    assert engine.update().added == 1


def test_searchers_follow_a_rebuild(engine: Engine) -> None:
    engine.update(full=True)
    assert engine.search("zanzibar").total == 0
    (engine.corpus / "nouveau.txt").write_text("Zanzibar\n", encoding="utf-8")
    engine.update(full=True)
    assert engine.search("zanzibar").total == 1
    (engine.corpus / "encore.txt").write_text("Zanzibar encore\n", encoding="utf-8")
    engine.update()
    assert engine.search("zanzibar").total == 2


def test_index_of_another_corpus_is_refused_until_replaced_explicitly(tmp_path: Path) -> None:
    engine = Engine(make_corpus(tmp_path), tmp_path / "index")
    engine.update(full=True)
    documents = engine.stats().documents
    other = tmp_path / "other"
    other.mkdir()
    (other / "seul.txt").write_text("Zanzibar\n", encoding="utf-8")
    moved = Engine(other, tmp_path / "index")
    for call in (moved.ensure_index, moved.update):
        with pytest.raises(IndexUnavailable, match="another corpus"):
            call()
    assert engine.stats().documents == documents  # not wiped
    moved.update(full=True)
    assert moved.stats().documents == 1


# Work done once per operation (counted, not timed).


def _count_pointer_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every read of an index's CURRENT file from now on."""
    reads: list[Path] = []
    real_read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == store.CURRENT:
            reads.append(path)
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return reads


def _recorded(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str, note: Callable[..., str]
) -> list[str]:
    """Every call of ``owner.name`` from now on (still made), noted by ``note`` of its
    arguments."""
    calls: list[str] = []
    real = getattr(owner, name)

    def recording(*args: Any) -> Any:
        calls.append(note(*args))
        return real(*args)

    monkeypatch.setattr(owner, name, recording)
    return calls


def test_an_update_hashes_only_its_new_segments(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search import health

    engine.update(full=True)
    pointer = store.read_pointer(engine.index_dir)
    assert pointer is not None
    live = engine.index_dir / pointer.generation
    before = json.loads((live / health.CHECKSUMS).read_text())
    hashed = _recorded(monkeypatch, health, "_file_hash", lambda path: path.name)
    (engine.corpus / "nouveau.txt").write_text("Zanzibar\n", encoding="utf-8")
    assert engine.update().added == 1  # as the folder watcher and --refresh update
    assert hashed and not set(hashed) & set(before)  # it hashed every segment at each update
    after = json.loads((live / health.CHECKSUMS).read_text())
    assert set(hashed) == set(after) - set(before)
    hashed.clear()
    assert engine.update(verify=True).unchanged == 6  # `fouille index` checks them all
    assert sorted(hashed) == sorted(after)


def test_the_index_is_judged_once_per_operation(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search import health

    engine.update(full=True)
    reads = _count_pointer_reads(monkeypatch)
    assert engine.ensure_index() is None
    engine.search("OTAN")
    assert len(reads) == 2  # one per call (it was 3 for ensure_index alone)
    reads.clear()
    assert engine.stats().documents == 5
    assert len(reads) == 1  # the searcher's own pointer (it read CURRENT again)
    checks = _recorded(
        monkeypatch, health, "check_generation", lambda index_dir, generation: generation
    )
    (engine.corpus / "nouveau.txt").write_text("Zanzibar\n", encoding="utf-8")
    reads.clear()
    assert engine.update().added == 1
    assert len(checks) == 1  # checked again under the write lock before
    assert len(reads) == 3  # diagnosis, under the lock, tidying (it was 4)
    reads.clear()
    engine.update(full=True)
    assert len(reads) == 1  # under the lock; publish read it again


def test_a_rebuild_interrupted_after_its_swap_leaves_the_new_index_live(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a second Ctrl-C while the superseded generation is being deleted (after CURRENT names
    # the new one): the failed build's clean-up deleted the live generation it had published
    engine.update(full=True)
    before = store.read_pointer(engine.index_dir)
    assert before is not None
    (engine.corpus / "nouveau.txt").write_text("Zanzibar\n", encoding="utf-8")
    real_prune = store.prune

    def interrupted_prune(index_dir: Path, keep: set[str]) -> None:
        if keep and before.generation not in keep:  # publish's, not the clean-up before a build
            raise KeyboardInterrupt
        real_prune(index_dir, keep)

    monkeypatch.setattr(store, "prune", interrupted_prune)
    with pytest.raises(KeyboardInterrupt):
        engine.update(full=True)
    monkeypatch.setattr(store, "prune", real_prune)
    live = store.read_pointer(engine.index_dir)
    assert live is not None and live.generation != before.generation
    assert (engine.index_dir / live.generation).is_dir()
    assert engine.search("zanzibar").total == 1 and engine.stats().documents == 6
