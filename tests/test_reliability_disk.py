"""The index folder stays small: superseded generations are freed as soon as no reader, in any
process, holds them, and incremental commits merge segments by a stated policy."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

from search import indexer
from search.engine import Engine
from search.store import GEN_PREFIX, index_size, read_pointer
from tests.support.corpora import RARE_WORD, french_doc, make_generated_corpus

READER = """
import sys
from search.engine import Engine
engine = Engine(sys.argv[1], sys.argv[2])
print(len(engine.search(sys.argv[3]).hits), flush=True)  # holds the live generation
sys.stdin.readline()
print(len(engine.search(sys.argv[3]).hits), flush=True)  # moves to the new one, lets go
sys.stdin.readline()
"""


def generations(index: Path) -> set[str]:
    return {p.name for p in index.iterdir() if p.name.startswith(GEN_PREFIX)}


def live(index: Path) -> str:
    pointer = read_pointer(index)
    assert pointer is not None
    return pointer.generation


def start_reader(corpus: Path, index: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", READER, str(corpus), str(index), RARE_WORD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and int(proc.stdout.readline()) > 0
    return proc


def test_a_generation_read_in_another_process_is_kept_until_it_lets_go(tmp_path: Path) -> None:
    corpus = make_generated_corpus(tmp_path / "corpus", 20, words=30)
    index = tmp_path / "index"
    writer = Engine(corpus, index)
    writer.update(full=True)
    first = live(index)
    proc = start_reader(corpus, index)
    try:
        writer.update(full=True)
        writer.update(full=True)
        assert generations(index) == {first, live(index)}  # the middle one had no reader
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert int(proc.stdout.readline()) > 0
        assert generations(index) == {live(index)}  # freed by its last reader
    finally:
        proc.kill()
        proc.wait()
    # a reader killed while holding a generation: the kernel drops its lock, the next writer
    # frees the generation
    proc = start_reader(corpus, index)
    held = live(index)
    writer.update(full=True)
    assert held in generations(index)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    writer.update(full=True)
    assert generations(index) == {live(index)}


UPDATES = 30


def test_incremental_updates_keep_the_index_within_a_small_factor_of_a_fresh_build(
    tmp_path: Path,
) -> None:
    """Each update rewrites 5 articles, adds one and removes one. With Whoosh's merging alone
    the live index grew to 2.9 times a fresh build after 100 updates (8 segments); with the
    policy (indexer.MERGE_SEGMENTS, MERGE_DELETED_SHARE) it stays under 1.5."""
    corpus = make_generated_corpus(tmp_path / "corpus", 60, words=120)
    engine = Engine(corpus, tmp_path / "index")
    engine.update(full=True)
    rng = random.Random(5)
    for step in range(UPDATES):
        files = sorted(corpus.glob("*.txt"))
        for path in rng.sample(files, 5):
            path.write_text(french_doc(rng, 120), encoding="utf-8")
        files[rng.randrange(len(files))].unlink()
        (corpus / f"nouveau{step:03d}.txt").write_text(french_doc(rng, 120), encoding="utf-8")
        engine.update()
        searcher = engine._searcher()
        stored, kept = searcher.doc_count_all(), searcher.doc_count()
        assert stored - kept <= indexer.MERGE_DELETED_SHARE * stored  # deleted articles merged
    folder = tmp_path / "index" / live(tmp_path / "index")
    assert len(list(folder.glob("*.seg"))) <= indexer.MERGE_SEGMENTS
    fresh = Engine(corpus, tmp_path / "fresh")
    fresh.update(full=True)
    ratio = index_size(tmp_path / "index", folder.name) / index_size(
        tmp_path / "fresh", live(tmp_path / "fresh")
    )
    assert ratio < 2, ratio
    assert engine.search(RARE_WORD, limit=100).total == fresh.search(RARE_WORD, limit=100).total
