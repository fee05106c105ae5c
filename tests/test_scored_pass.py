"""The one scored pass that ranks and counts (search.ranking.scored_pass) against Whoosh's own
collector, and its caches (search.postings) against index updates."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from search import postings
from search.engine import Engine
from search.ranking import relaxed_negatives, relaxed_parts, scored_pass
from tests.support.corpora import built_engine

ARTICLES = {
    "jardin/potager.txt": "Le potager\n\nTomates et courgettes au jardin, arrosage du jardin.\n",
    "jardin/verger.txt": "Le verger\n\nPommiers et poiriers au jardin. Les pommes mûrissent.\n",
    "jardin/serre.txt": "La serre\n\nTomates sous serre. Pas de jardin ici, des semis.\n",
    "cuisine/sauce.txt": "La sauce tomate\n\nDes tomates, un oignon, du basilic du jardin.\n",
    "cuisine/tarte.txt": "La tarte aux pommes\n\nPommes, pâte et sucre: une tarte.\n",
}

QUERIES = [
    "jardin",
    "tomates jardin",
    "tomates jardin pommes sucre",
    "jardin NOT serre",
    "tomates jardin -serre -sauce",
    '"sauce tomate" jardin',
    "pomm* jardin",
    '"arrosage du jardin"',
    '"basilic du jardin" tomates',
    '"tomates jardin"~3',
    "=pommes tarte",
    "tomates OU pommes",
    "tomates ET jardin",
    "(tomates OU pommes) jardin sucre",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    eng = built_engine(tmp_path_factory.mktemp("scored"), ARTICLES)
    yield eng
    eng.close()


@pytest.mark.parametrize("text", QUERIES)
def test_one_pass_scores_and_counts_as_whoosh_collects(engine: Engine, text: str) -> None:
    """Every matching article gets the score Whoosh's collector gives it for the any-word
    query, the number of words it holds, and the counts of every word / some words agree with
    Whoosh's strict and relaxed queries."""
    searcher = engine._searcher()
    parsed, _ = engine._parse(searcher, text)
    strict = parsed.strict
    assert strict is not None
    query = parsed.relaxed if parsed.relaxed is not None else strict
    parts = relaxed_parts(parsed.relaxed) if parsed.relaxed is not None else [strict]
    negatives = relaxed_negatives(parsed.relaxed) if parsed.relaxed is not None else []
    totals, held = scored_pass(searcher, parts, negatives)
    expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    assert expected  # not vacuous
    assert totals.keys() == expected.keys()
    for docnum, score in expected.items():
        assert totals[docnum] == pytest.approx(score, rel=1e-12)
    for docnum in totals:
        assert held[docnum] == sum(docnum in set(searcher.docs_for_query(part)) for part in parts)
    every = len(searcher.search(strict, limit=None))
    result = engine.search(text, limit=2)
    assert (result.all_words, result.all_words + result.some_words) == (every, len(expected))


def test_a_search_after_an_update_shows_no_stale_nor_deleted_article(tmp_path: Path) -> None:
    """Decoded postings and stored texts are cached per searcher: after an update the next
    search (same engine, same thread) reads the new index, not what the last search cached."""
    engine = built_engine(tmp_path, ARTICLES)
    try:
        before = engine.search("tomates jardin")
        assert {h.id for h in before.hits} >= {"jardin/serre.txt", "cuisine/sauce.txt"}
        assert "arrosage" in next(h for h in before.hits if h.id == "jardin/potager.txt").snippet
        corpus = engine.corpus
        (corpus / "jardin/serre.txt").unlink()
        potager = corpus / "jardin/potager.txt"
        potager.write_text("Le potager\n\nCourgettes au jardin, paillage du jardin.\n")
        stamp = potager.stat().st_mtime_ns + 2_000_000_000
        os.utime(potager, ns=(stamp, stamp))
        report = engine.update()
        assert (report.updated, report.removed) == (1, 1)
        after = engine.search("tomates jardin")
        ids = [h.id for h in after.hits]
        assert "jardin/serre.txt" not in ids
        assert after.total == before.total - 1  # serre gone; potager still has "jardin"
        potager_hit = next(h for h in after.hits if h.id == "jardin/potager.txt")
        assert potager_hit.all_words is False  # no tomatoes any more
        assert "paillage" in potager_hit.snippet and "arrosage" not in potager_hit.snippet
        assert "jardin/potager.txt" not in {h.id for h in engine.search("tomates").hits}
    finally:
        engine.close()


def test_threads_share_what_their_searchers_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app searches from a pool of threads, one searcher each: a word decoded by one is not
    decoded again by the next (each kept its own copy: up to six times the memory, and every
    thread's first searches cold)."""
    engine = built_engine(tmp_path, ARTICLES)
    decoded: list[str] = []
    real = postings._decode

    def counted(searcher: object, fieldname: str, text: str) -> object:
        decoded.append(text)
        return real(searcher, fieldname, text)  # type: ignore[arg-type]

    monkeypatch.setattr(postings, "_decode", counted)
    try:
        first = engine.search("tomates jardin")
        assert decoded
        decoded.clear()
        found: list[object] = []
        thread = threading.Thread(target=lambda: found.append(engine.search("tomates jardin")))
        thread.start()
        thread.join()
        assert decoded == []
        assert found[0].hits == first.hits  # type: ignore[attr-defined]
    finally:
        engine.close()


def test_a_thread_still_on_the_old_index_feeds_nothing_to_the_new(tmp_path: Path) -> None:
    """One thread searched before an update (its searcher still open on the old state), another
    searches after it: the second must not see the first's cached postings or texts."""
    engine = built_engine(tmp_path, ARTICLES)
    try:
        engine.search("tomates jardin")  # this thread: cached on the old state, kept open
        (engine.corpus / "jardin/serre.txt").unlink()
        engine.update()
        found: list[object] = []
        thread = threading.Thread(target=lambda: found.append(engine.search("tomates jardin")))
        thread.start()
        thread.join()
        assert "jardin/serre.txt" not in {h.id for h in found[0].hits}  # type: ignore[attr-defined]
    finally:
        engine.close()
