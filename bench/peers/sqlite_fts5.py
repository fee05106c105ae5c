"""SQLite FTS5 through Python's sqlite3: ``unicode61 remove_diacritics 2``, bm25 ranking."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bench.peers.base import Mode, corpus_files, parse, relative_id


class SqliteFts5:
    def __init__(self, mode: Mode = "or") -> None:
        self.mode = mode
        self.name = f"SQLite FTS5 ({mode.upper()})"
        self.db: sqlite3.Connection | None = None

    def build(self, corpus: Path, workdir: Path) -> None:
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        db = sqlite3.connect(workdir / "fts.db")
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        with db:
            db.executemany(
                "INSERT INTO docs(id, body) VALUES (?, ?)",
                (
                    (relative_id(p, corpus), p.read_text(encoding="utf-8", errors="replace"))
                    for p in corpus_files(corpus)
                ),
            )
        db.close()

    def update(self) -> None:
        raise NotImplementedError("no incremental mode")

    def open(self, corpus: Path, workdir: Path) -> None:
        self.db = sqlite3.connect(workdir / "fts.db", check_same_thread=False)

    def match(self, query: str) -> str:
        q = parse(query)
        quoted = [f'"{w}"' for w in q.words]
        if q.phrase:
            return '"' + " ".join(q.words) + '"'
        if q.prefix:
            return f"{quoted[0]}*" if quoted else '""'
        return (" OR " if self.mode == "or" else " ").join(quoted)

    def search(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        assert self.db is not None
        match = self.match(query)
        if match in ("", '""'):
            return []
        if highlight:
            sql = (
                "SELECT id, snippet(docs, 1, '[', ']', '…', 24) FROM docs "
                "WHERE docs MATCH ? ORDER BY rank LIMIT ?"
            )
        else:
            sql = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"
        return [row[0] for row in self.db.execute(sql, (match, k))]

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
