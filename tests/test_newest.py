"""An empty query lists the newest articles: ``Engine.newest``."""

from __future__ import annotations

from pathlib import Path

from search.engine import Engine


def test_newest_lists_articles_newest_first_undated_last(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, date in [("a", "3 mars 2023"), ("b", "1 janvier 2024"), ("c", "15 juin 2022")]:
        (corpus / f"{name}.txt").write_text(f"Titre {name}\nPublié le {date}\nTexte.\n", "utf-8")
    (corpus / "d.txt").write_text("Sans date\n\nTexte sans date.\n", encoding="utf-8")
    engine = Engine(corpus, tmp_path / "index")
    engine.ensure_index()
    result = engine.newest(limit=3)
    assert result.query == "" and result.total == 4
    assert [hit.id for hit in result.hits] == ["b.txt", "a.txt", "c.txt"]
    assert [hit.id for hit in engine.newest(limit=10).hits][-1] == "d.txt"
    engine.close()
