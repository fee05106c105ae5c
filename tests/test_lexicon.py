"""The lexicon of corpus words: prefix, pattern and typo lookups, counts, and its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import store
from search.engine import Engine
from search.lexicon import LEXICON_FILE, Lexicon, edit_distance
from tests.support.corpora import EXTRA_ARTICLES, built_engine


def make_lexicon() -> Lexicon:
    lexicon = Lexicon()
    lexicon.add({"securite": "sécurité", "secteur": "secteur", "stoltenberg": "Stoltenberg"})
    lexicon.add({"securite": "Sécurité", "securiser": "sécuriser"})
    return lexicon


def test_counts_articles_and_keeps_the_first_spelling() -> None:
    lexicon = make_lexicon()
    assert lexicon.doc_count("securite") == 2
    assert lexicon.spelling("securite") == "sécurité"
    lexicon.remove(["securite", "secteur"])
    assert lexicon.doc_count("securite") == 1
    assert "secteur" not in lexicon


def test_prefix_and_pattern_lookups_prefer_frequent_words() -> None:
    lexicon = make_lexicon()
    assert set(lexicon.with_prefix("secur", 10)) == {"securite", "securiser"}
    assert lexicon.with_prefix("sec", 1) == ["securite"]
    assert lexicon.matching("sec?eur", 10) == ["secteur"]
    assert set(lexicon.matching("*ite*", 10)) == {"securite"}


def test_typo_lookup_counts_a_swap_as_one_edit() -> None:
    lexicon = make_lexicon()
    assert lexicon.within("stoltenbreg", 2, 5) == ["stoltenberg"]
    assert lexicon.within("securiter", 1, 5) == ["securite", "securiser"]  # more frequent first
    assert lexicon.within("zzz", 2, 5) == []
    assert edit_distance("stoltenbreg", "stoltenberg") == 1
    assert edit_distance("abcdef", "uvwxyz", limit=2) == 3


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    lexicon = make_lexicon()
    lexicon.generation = 7
    lexicon.save(tmp_path)
    loaded = Lexicon.load(tmp_path)
    assert loaded is not None and loaded.generation == 7
    assert loaded.entries == lexicon.entries
    (tmp_path / LEXICON_FILE).write_bytes(b"garbage")
    assert Lexicon.load(tmp_path) is None


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return built_engine(tmp_path, EXTRA_ARTICLES)


def _lexicon_file(engine: Engine) -> Path:
    pointer = store.read_pointer(engine.index_dir)
    assert pointer is not None
    return engine.index_dir / pointer.generation / LEXICON_FILE


def test_index_saves_its_lexicon_and_updates_follow(engine: Engine) -> None:
    assert _lexicon_file(engine).exists()
    assert engine.stats().terms > 100
    (engine.corpus / "nouveau.txt").write_text("Zanzibarien\n\nLes Zanzibariens.\n")
    engine.update()
    assert {h.id for h in engine.search("zanzib*").hits} == {"nouveau.txt"}
    assert Engine(engine.corpus, engine.index_dir).search("Zanzibrien").suggestion == "Zanzibarien"


@pytest.mark.parametrize("damage", ["missing", "stale"])
def test_missing_or_stale_lexicon_is_rebuilt_from_the_articles(engine: Engine, damage: str) -> None:
    path = _lexicon_file(engine)
    if damage == "missing":
        path.unlink()
    else:  # as if a writer was killed between Whoosh's commit and the lexicon's save
        lexicon = Lexicon.load(path.parent)
        assert lexicon is not None
        lexicon.generation -= 1
        lexicon.entries.clear()
        lexicon.save(path.parent)
    fresh = Engine(engine.corpus, engine.index_dir)
    assert {h.id for h in fresh.search("musé*").hits} == {
        "stem/arme-seule.txt",
        "stem/armes-exactes.txt",
    }
    assert fresh.search("Stoltenbreg").suggestion == "Stoltenberg"


def _saved_and_rebuilt(engine: Engine) -> tuple[dict, dict]:
    from search.indexer import MAX_INDEXED_CHARS
    from search.lexicon import build_lexicon
    from search.schema import field_analyzer

    saved = Lexicon.load(_lexicon_file(engine).parent)
    assert saved is not None
    searcher = engine._searcher()
    rebuilt = build_lexicon(searcher, field_analyzer(searcher.schema), MAX_INDEXED_CHARS)
    assert saved.generation == rebuilt.generation
    return saved.entries, rebuilt.entries


def test_lexicon_kept_by_the_indexer_equals_one_rebuilt_from_the_articles(
    engine: Engine,
) -> None:
    saved, rebuilt = _saved_and_rebuilt(engine)
    assert saved == rebuilt
    (engine.corpus / "stem" / "arme-seule.txt").unlink()
    (engine.corpus / "nouveau.txt").write_text("Zanzibar\n\nUne épée à Zanzibar.\n")
    report = engine.update()
    assert (report.added, report.removed) == (1, 1)
    saved, rebuilt = _saved_and_rebuilt(engine)
    assert saved == rebuilt
    assert saved["epee"][0] == 1 and "zanzibar" in saved
