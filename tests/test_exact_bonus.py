"""The exact-form bonus reads the stored texts of as few candidates as proves the ranking
(search/ranking.py, _with_fewest_texts): the same hits, order and scores as with every text
read, and far fewer texts decompressed by a search on a fresh searcher."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import postings
from search.engine import Engine

FORMS = {
    "election": ["élection", "élections", "électoral", "électorale"],
    "reforme": ["réforme", "réformes", "réformer", "réformé"],
    "president": ["président", "présidents", "présidente", "présider"],
    "retraite": ["retraite", "retraites", "retraité", "retraités"],
    "greve": ["grève", "grèves", "gréviste", "grévistes"],
    "budget": ["budget", "budgets", "budgétaire"],
}
GLUE = "le la les un une des du de et à au dans sur pour par avec contre mais".split()

QUERIES = [
    "élections réformes présidents",
    "élection réforme président",
    "retraités grève budget",
    "présidente budgétaire grèves",
    "réformer les retraites",
    "élections présidents",
    "grévistes retraite réforme budget élection",
    "budgets",
    "présidents OU retraités",
    "réformes -grève président",
]


def _article(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(20, 120)):
        if rng.random() < 0.5:
            words.append(rng.choice(GLUE))
        else:
            words.append(rng.choice(FORMS[rng.choice(list(FORMS))]))
    title = " ".join(rng.choice(FORMS[rng.choice(list(FORMS))]) for _ in range(3))
    return f"{title.capitalize()}\n\n{' '.join(words).capitalize()}.\n"


def _built(root: Path, texts: list[str], prefix: str) -> tuple[Path, Path]:
    """The corpus of ``texts`` under ``root`` and its index, built in one process."""
    corpus = root / "corpus"
    corpus.mkdir()
    for n, text in enumerate(texts):
        (corpus / f"{prefix}{n:03d}.txt").write_text(text, encoding="utf-8")
    engine = Engine(corpus, root / "index")
    engine.update(full=True, jobs=1)
    engine.close()
    return corpus, root / "index"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    rng = random.Random(9)
    yield _built(tmp_path_factory.mktemp("bonus"), [_article(rng) for _ in range(220)], "a")


def _search(
    index: tuple[Path, Path], query: str, limit: int = 10
) -> tuple[int, list[tuple[str, float]]]:
    engine = Engine(*index)  # a fresh searcher: nothing decoded nor decompressed yet
    try:
        result = engine.search(query, limit=limit)
        return result.total, [(hit.id, hit.score) for hit in result.hits]
    finally:
        engine.close()


@pytest.mark.parametrize("query", QUERIES)
def test_fewer_texts_give_the_ranking_of_all_texts(
    index: tuple[Path, Path], query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    proved = _search(index, query)
    with monkeypatch.context() as patch:  # every text "at hand": every bonus computed
        patch.setattr(postings.SearcherCache, "has_stored", lambda self, docnum: True)
        every_text = _search(index, query)
    assert proved == every_text
    assert len(proved[1]) == 10


@pytest.fixture(scope="module")
def ties(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Articles that are copies of a few: whole runs of hits with equal scores."""
    rng = random.Random(4)
    originals = [_article(rng) for _ in range(12)]
    texts = [rng.choice(originals) for _ in range(160)]
    yield _built(tmp_path_factory.mktemp("ties"), texts, "t")


@pytest.mark.parametrize("limit", [1, 3, 50])
def test_fewer_texts_give_the_ranking_of_all_texts_among_ties(
    ties: tuple[Path, Path], limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # equal scores keep the order every text gives them, at the cut of the first hit, of a few
    # and of a page of the app
    for query in QUERIES[:6]:
        proved = _search(ties, query, limit)
        with monkeypatch.context() as patch:
            patch.setattr(postings.SearcherCache, "has_stored", lambda self, docnum: True)
            every_text = _search(ties, query, limit)
        assert proved == every_text, query
        scores = [score for _, score in proved[1]]
        assert len(scores) == limit
        if limit > 1:
            assert len(set(scores)) < limit  # ties among the hits


def test_a_fresh_search_decompresses_few_texts(
    index: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    read: set[int] = set()
    original = postings.SearcherCache.stored_fields

    def counting(self: postings.SearcherCache, docnum: int) -> dict:
        read.add(docnum)
        return original(self, docnum)

    monkeypatch.setattr(postings.SearcherCache, "stored_fields", counting)
    total, hits = _search(index, "élections réformes présidents")
    assert total > 150 and len(hits) == 10  # ~90 candidates to re-rank
    assert len(read) <= 60  # of ~100 candidates: the hits and those whose bonus could matter
