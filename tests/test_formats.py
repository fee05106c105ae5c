"""Every supported format indexed in one run: HTML, Markdown, PDF, DOCX, ODT, EPUB beside .txt.

The fixtures in tests/fixtures/formats were written by tests/support/formats.py, with the libraries
fouille reads them with (or by hand): each good file holds one word no other file has, and the
title, date, source and author its format can carry; ``damaged/`` holds a broken file of each
format, which is skipped with its one-line reason while the rest is indexed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from search.cli import main
from search.corpus import SkippedFile, load_article, scan_corpus
from search.engine import Engine
from search.extract import Unextractable, isolation, worker
from search.extract.isolation import extract_isolated
from tests.support.formats import zip_bomb
from tests.support.pilot import screen_lines, settle

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"

# word only this file holds -> (id, title, date, source, author)
WORDS = {
    "hémicycle": (
        "budget.html",
        "Budget 2024 : l'hémicycle adopte le texte",
        dt.date(2023, 12, 4),
        "Le Monde",
        "Jeanne Martin",
    ),
    "permaculture": (
        "permaculture.md",
        "Notes sur la permaculture urbaine",
        dt.date(2024, 3, 15),
        "Carnet de terrain",
        "Paul Durand",
    ),
    "électrolyseurs": (
        "hydrogene.pdf",
        "Rapport sur la filière hydrogène",
        dt.date(2022, 9, 15),
        None,
        "Agence régionale de l'énergie",
    ),
    "saisonniers": (
        "saisonniers.docx",
        "Emplois saisonniers en montagne",
        dt.date(2023, 11, 20),
        None,
        "Lucie Bernard",
    ),
    "isolation": (
        "bibliotheque.odt",
        "Réouverture de la bibliothèque municipale",
        dt.date(2024, 1, 8),
        None,
        "Marc Lefèvre",
    ),
    "gardien": (
        "lanterne.epub",
        "La lanterne du phare",
        dt.date(2021, 6, 1),
        "Éditions du Large",
        "Hélène Morel",
    ),
    "vignerons": (
        "vendanges.txt",
        "Les vendanges tardives sauvent la saison dans le Bordelais",
        dt.date(2023, 12, 4),
        "Le Monde diplomatique",
        None,
    ),
}
DAMAGED = {
    "cut-bibliotheque.odt": "damaged ODT (not a zip archive)",
    "cut-hydrogene.pdf": "unreadable PDF (PdfStreamError)",
    "cut-lanterne.epub": "damaged EPUB (not a zip archive)",
    "cut-saisonniers.docx": "damaged DOCX (not a zip archive)",
    "garbage.html": "binary content",
    "garbage.md": "binary content",
    "locked.pdf": "encrypted PDF (a password is needed)",
    "scan.pdf": "no text layer in the PDF (scanned or image-only)",
    "bomb.docx": "zip bomb suspected (",  # then the sizes
}
# What must never reach the index or the screen: script and style content, navigation,
# raw HTML of a Markdown file, terminal escapes, markup.
NEVER = re.compile(r"SCRIPTWORD|NAVWORD|HTMLBLOCKWORD|stylerule|alert\(|<\w|\x1b")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The good fixtures, the damaged ones and a zip bomb in one corpus."""
    root = tmp_path_factory.mktemp("formats")
    corpus = root / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    for damaged in (FIXTURES / "damaged").iterdir():
        shutil.copy(damaged, corpus / damaged.name)
    (corpus / "bomb.docx").write_bytes(zip_bomb())
    return corpus, root / "index"


@pytest.fixture(scope="module")
def engine(mixed: tuple[Path, Path]) -> Engine:
    corpus, index = mixed
    engine = Engine(corpus, index)
    report = engine.update(full=True)
    assert report.added == len(WORDS)
    return engine


def test_every_format_is_indexed_in_one_run_and_each_damaged_file_is_skipped_with_its_reason(
    mixed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, _ = mixed
    index = corpus.parent / "cli-index"
    # two indexing workers: extraction runs inside them (the engine fixture builds serially)
    code = main(["--corpus", str(corpus), "--index", str(index), "index", "--jobs", "2"])
    out, err = capsys.readouterr()
    assert code == 0
    for doc_id, reason in DAMAGED.items():
        assert f"warning: skipped {doc_id}: {reason}" in err
    assert f"{len(WORDS)} added" in out + err


@pytest.mark.parametrize("word", WORDS)
def test_a_word_of_each_format_finds_its_file_with_title_date_source_and_author(
    engine: Engine, word: str
) -> None:
    doc_id, title, date, source, author = WORDS[word]
    result = engine.search(word)
    assert [hit.id for hit in result.hits] == [doc_id]
    hit = result.hits[0]
    assert (hit.title, hit.date, hit.source, hit.author) == (title, date, source, author)
    data = hit.to_json()
    assert data["source"] == source and data["author"] == author  # null when unknown


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("source:monde", ["budget.html", "vendanges.txt"]),
        ("journal:diplomatique", ["vendanges.txt"]),
        ("author:durand", ["permaculture.md"]),
        ("auteur:morel", ["lanterne.epub"]),
    ],
)
def test_source_and_author_are_searchable_fields(
    engine: Engine, query: str, ids: list[str]
) -> None:
    assert sorted(hit.id for hit in engine.search(query).hits) == ids


def test_stored_text_of_every_format_is_inert(engine: Engine) -> None:
    for doc_id, *_ in WORDS.values():
        article = engine.article(doc_id)
        assert not NEVER.search(article.text), doc_id
        assert article.text.strip()


def test_html_keeps_the_article_and_drops_navigation_and_boilerplate(engine: Engine) -> None:
    text = engine.article("budget.html").text
    assert "quatorzième fois" in text
    assert "Mentions légales" not in text and "Accueil" not in text


def test_markdown_markup_is_stripped_and_link_text_kept(engine: Engine) -> None:
    text = engine.article("permaculture.md").text
    assert "demande peu d'espace" in text
    assert not re.search(r"[*`#\[\]]|https?:|^---", text, re.MULTILINE)


def test_zip_bomb_and_damaged_files_skip_with_a_reason_at_load(tmp_path: Path) -> None:
    (tmp_path / "bomb.epub").write_bytes(zip_bomb())
    (tmp_path / "cut.odt").write_bytes(b"PK\x03\x04 not really")
    entries, _ = scan_corpus(tmp_path)
    reasons = {}
    for entry in entries:
        with pytest.raises(SkippedFile) as caught:
            load_article(entry)
        reasons[entry.id] = str(caught.value)
    assert reasons["bomb.epub"].startswith("zip bomb suspected")
    assert reasons["cut.odt"] == "damaged ODT (not a zip archive)"


@pytest.mark.parametrize(
    ("paragraphs", "bounds", "reason"),
    [
        # two thousand paragraphs take trafilatura a good tenth of a second, 100 times the bound
        (2000, {"seconds": 0.001}, "took longer than 0.001 s"),
        # the worker holds its libraries in more than 100 MB of address space before any file:
        # with that cap, parsing a 1 MB page fails to allocate
        (20000, {"memory_mb": 100}, "needs more than 100 MB of memory"),
    ],
)
def test_a_file_over_a_bound_is_skipped_and_the_next_file_still_extracts(
    paragraphs: int, bounds: dict[str, float], reason: str
) -> None:
    page = "<html><body>" + "<p>Un paragraphe de texte assez long pour compter.</p>" * paragraphs
    with pytest.raises(Unextractable) as caught:
        extract_isolated(".html", page.encode(), **bounds)  # type: ignore[arg-type]
    assert str(caught.value) == reason
    data = (FIXTURES / "corpus" / "hydrogene.pdf").read_bytes()
    assert "électrolyseurs" in extract_isolated(".pdf", data).text  # a fresh worker


def test_an_lxml_error_from_a_failed_allocation_is_a_memory_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under the worker's memory cap, libxml2's failed allocations reach Python as lxml errors
    (an ``XPathEvalError`` whose log says ``ERR_NO_MEMORY``): the file needs more memory, it is
    not unreadable (the reason a page got depended on where the allocation failed)."""

    class XPathEvalError(Exception):
        def __init__(self, kind: str) -> None:
            super().__init__("unknown error")
            self.error_log = [SimpleNamespace(type_name=kind)]

    def failing(kind: str) -> Callable[[bytes], object]:
        def extract(data: bytes) -> object:
            raise XPathEvalError(kind)

        return extract

    monkeypatch.setattr(worker, "extractor", lambda ext: failing("ERR_NO_MEMORY"))
    assert worker.answer(".html", b"<p>x</p>", 100) == {
        "skip": "needs more than 100 MB of memory",
        "restart": True,
    }
    monkeypatch.setattr(worker, "extractor", lambda ext: failing("ERR_SYNTAX"))
    assert worker.answer(".html", b"<p>x</p>", 100) == {"skip": "unreadable HTML (XPathEvalError)"}


def test_a_worker_killed_between_files_is_replaced_and_ctrl_c_leaves_it_alone() -> None:
    data = (FIXTURES / "corpus" / "hydrogene.pdf").read_bytes()
    assert extract_isolated(".pdf", data).author == "Agence régionale de l'énergie"
    worker = isolation._worker
    assert worker is not None
    os.kill(worker.process.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    assert extract_isolated(".pdf", data).title == "Rapport sur la filière hydrogène"
    assert isolation._worker is worker
    worker.process.kill()  # the OOM killer, say, while the worker waits for the next file
    worker.process.wait()
    assert extract_isolated(".pdf", data).title == "Rapport sur la filière hydrogène"
    assert isolation._worker is not worker


def test_scan_lists_every_supported_format_and_nothing_else(tmp_path: Path) -> None:
    for name in ("a.txt", "b.MD", "c.html", "d.htm", "e.pdf", "f.docx", "g.odt", "h.epub"):
        (tmp_path / name).write_bytes(b"x")
    for name in ("i.doc", "j.jpg", "k.zip", "noext"):
        (tmp_path / name).write_bytes(b"x")
    entries, skipped = scan_corpus(tmp_path)
    assert [e.id for e in entries] == [
        *("a.txt", "b.MD", "c.html", "d.htm", "e.pdf", "f.docx", "g.odt", "h.epub")
    ]
    assert skipped == []


def test_json_search_has_null_source_and_author_when_unknown(
    engine: Engine, mixed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, index = mixed
    code = main(["--corpus", str(corpus), "--index", str(index), "search", "--json", "isolation"])
    hit = json.loads(capsys.readouterr().out)["hits"][0]
    assert code == 0
    assert hit["source"] is None and hit["author"] == "Marc Lefèvre"


async def test_the_reader_shows_every_format_as_inert_text(engine: Engine) -> None:
    from tui.app import create_app

    app = create_app(engine.corpus, engine.index_dir)

    def drawn() -> str:
        return "\n".join(screen_lines(app))

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        for word, (_doc_id, title, *_) in WORDS.items():
            screen.query_input.value = word
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            reader = screen.query_one("ArticleReader")
            assert reader.title == title
            text = drawn()
            assert word in text.replace("\n", " ") or word in reader.text
            assert not NEVER.search(text), word
