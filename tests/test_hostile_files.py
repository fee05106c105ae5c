"""A corpus holding every kind of hostile file at once, indexed end to end (``Engine.update`` and
``fouille index``): each file is indexed correctly or skipped with a warning naming it, the rest
of the corpus is indexed, and memory stays bounded. The loader's unit tests
(tests/test_corpus.py, test_textclean.py) cover each file alone; these cover the whole run.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from search import corpus as corpus_module
from search import indexer
from search.cli import main
from search.corpus import MAX_FILE_BYTES
from search.engine import Engine
from search.errors import ExitCode
from tests.support.corpora import make_corpus, seed_files
from tests.support.hostile import build_hostile_corpus, write

BIG = 50 * 1024 * 1024
LONG_LINE = 10 * 1024 * 1024


def long_line(size: int) -> bytes:
    """One line of French words, no newline, ``size`` bytes (fast: repeated text)."""
    words = "le gouvernement présente une réforme des retraites devant l’assemblée ".encode()
    return (words * (size // len(words) + 1))[:size] + b" ornithorynque"


def build_everything(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The loader's hostile corpus, the seeds, and the files only an end-to-end run meets.
    Returns (id -> expected title) for indexed files and (id -> reason prefix) for skipped."""
    expected = build_hostile_corpus(root)
    titles = {i: e.title for i, e in expected.items() if e.title is not None}
    skipped = {i: e.skipped for i, e in expected.items() if e.skipped is not None}
    make_corpus(root.parent, name=root.name)
    for seed in seed_files():
        titles[seed.name] = ""  # any title: these are the "rest of the corpus"
    write(root, "nul.txt", b"Du texte\x00avec des NUL\x00\n")
    skipped["nul.txt"] = "binary content"
    write(
        root,
        "latin1-long.txt",
        "Élève\n\n".encode("latin-1") + "Où êtes-vous ? ".encode("latin-1") * 400,
    )
    titles["latin1-long.txt"] = "Élève"
    write(root, "huge.txt", b"Le chat dort. " * (BIG // 14 + 1))
    skipped["huge.txt"] = "too large"
    write(root, "une ligne.txt", long_line(LONG_LINE))
    titles["une ligne.txt"] = ""
    os.symlink("boucle-b.txt", root / "boucle-a.txt")
    os.symlink("boucle-a.txt", root / "boucle-b.txt")
    skipped["boucle-a.txt"] = skipped["boucle-b.txt"] = "unreadable: symlink loop"
    write(root, "interdit.txt", b"Secret\n")
    (root / "interdit.txt").chmod(0)
    skipped["interdit.txt"] = "unreadable: permission denied"
    write(root, "disparu.txt", b"Je vais disparaitre\n")
    skipped["disparu.txt"] = "vanished while indexing"
    write(root, "change.txt", b"Version une\n\nUne girafe.\n")
    titles["change.txt"] = "Version deux"
    return titles, skipped


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict, dict]:
    """The corpus, with files that vanish or change between the scan and their loading, and a
    permission check that also holds for root (who can read a chmod 000 file)."""
    corpus = tmp_path / "corpus"
    titles, skipped = build_everything(corpus)
    real_load = corpus_module.load_article

    def load_while_the_folder_changes(entry: corpus_module.CorpusEntry) -> object:
        if entry.id == "disparu.txt":
            entry.path.unlink()
        elif entry.id == "change.txt":
            entry.path.write_bytes("Version deux\n\nUn zèbre.\n".encode())
        return real_load(entry)

    monkeypatch.setattr(corpus_module, "load_article", load_while_the_folder_changes)
    if os.geteuid() == 0:  # root reads chmod 000 files: refuse it the way the kernel would
        real_open = os.open
        forbidden = os.fsencode(corpus / "interdit.txt")

        def open_as_a_user(path: object, flags: int, *args: object, **kwargs: object) -> int:
            if os.fsencode(path) == forbidden:  # type: ignore[arg-type]
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(corpus_module.os, "open", open_as_a_user)
    return corpus, titles, skipped


def test_every_hostile_file_is_indexed_or_skipped_by_name_and_the_rest_is_indexed(
    hostile: tuple[Path, dict, dict], tmp_path: Path
) -> None:
    corpus, titles, skipped = hostile
    engine = Engine(corpus, tmp_path / "index")
    report = engine.update()
    reasons = dict(report.skipped)
    assert set(reasons) == set(skipped), reasons
    for doc_id, reason in skipped.items():
        assert reasons[doc_id].startswith(reason), (doc_id, reasons[doc_id])
    assert report.added == len(titles)
    assert engine.stats().documents == len(titles)
    for doc_id, title in titles.items():
        article = engine.article(doc_id)
        if title:
            assert article.title == title, doc_id
    # searchable where valid: decoded, normalised text answers queries
    assert {"cp1252.txt", "utf8.txt", "utf16.txt"} <= ids(engine, '"cœur et œuvre"')
    assert "latin1.txt" in ids(engine, "élève")
    assert "nfd.txt" in ids(engine, "opération")
    assert ids(engine, "zèbre") == {"change.txt"}  # what was read, not what was scanned
    assert ids(engine, "girafe") == set()
    assert "nom avec espaces.txt" in ids(engine, "espaces")
    assert "ligne\\nnouvelle.txt" in ids(engine, "saut")
    assert "caf\ufffd.txt" in ids(engine, "latin")
    assert ids(engine, "ornithorynque") == set()  # past the analysed part of the long line
    assert "une ligne.txt" in ids(engine, "gouvernement")
    assert len(engine.article("une ligne.txt").text) > indexer.MAX_INDEXED_CHARS  # kept whole
    # the next run has nothing to redo but what is still broken
    again = engine.update()
    assert (again.added, again.updated, again.removed) == (0, 0, 0), again
    engine.close()


def ids(engine: Engine, query: str) -> set[str]:
    return {hit.id for hit in engine.search(query, limit=100).hits}


def test_fouille_index_warns_one_inert_line_per_skipped_file(
    hostile: tuple[Path, dict, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, titles, skipped = hostile
    (corpus / "esc\x1b]0;pwned\x07.txt").write_bytes(b"\x00binary")
    code = main(["index", "--json", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    out, err = capsys.readouterr()
    assert code == ExitCode.OK, err
    report = json.loads(out)
    assert report["added"] == len(titles)
    lines = err.splitlines()
    assert len(lines) == len(skipped) + 1  # one line per skipped file, nothing else
    for doc_id, reason in skipped.items():
        assert any(line.startswith(f"warning: skipped {doc_id}: {reason}") for line in lines)
    assert "\x1b" not in err and "\x07" not in err
    assert "warning: skipped esc\\x1b]0;pwned\\x07.txt: binary content" in lines


@pytest.mark.slow
def test_memory_stays_bounded_with_a_50_mb_file_and_a_10_mb_line(tmp_path: Path) -> None:
    """Peak RSS of a process indexing the corpus grows by tens of MB, not by the files' size
    times the analysis overhead (which was 400 MB for the 10 MB line)."""
    corpus = make_corpus(tmp_path)
    write(corpus, "huge.txt", b"Le chat dort. " * (BIG // 14 + 1))
    write(corpus, "une ligne.txt", long_line(LONG_LINE))
    assert (corpus / "huge.txt").stat().st_size > MAX_FILE_BYTES
    script = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from search.engine import Engine\n"
        "peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
        "before = peak()\n"
        "report = Engine(Path(sys.argv[1]), Path(sys.argv[2])).update(full=True)\n"
        "print(json.dumps({'before': before, 'after': peak(), 'added': report.added,\n"
        "                  'skipped': [r for _, r in report.skipped]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(corpus), str(tmp_path / "index")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["added"] == 6 and figures["skipped"][0].startswith("too large")
    growth = figures["after"] - figures["before"]
    assert growth < 120, f"peak RSS grew by {growth} MB"
