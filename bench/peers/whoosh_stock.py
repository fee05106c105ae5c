"""Whoosh with its stock ``StemmingAnalyzer`` (English Porter stemmer, as shipped), BM25F."""

from __future__ import annotations

import shutil
from pathlib import Path

from whoosh import index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import And, Or, Phrase, Prefix, Term

from bench.peers.base import Mode, corpus_files, parse, relative_id


class WhooshStock:
    def __init__(self, mode: Mode = "or", procs: int = 1, multisegment: bool = False) -> None:
        self.mode = mode
        self.procs = procs
        self.multisegment = multisegment
        self.name = f"Whoosh stock ({mode.upper()})"
        self.ix: index.Index | None = None
        self.searcher = None
        self.analyzer = StemmingAnalyzer()

    def build(self, corpus: Path, workdir: Path) -> None:
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        schema = Schema(id=ID(stored=True, unique=True), body=TEXT(self.analyzer, stored=True))
        ix = index.create_in(str(workdir), schema)
        # multisegment: each process's segment is kept as it is; without it the parent merges
        # the processes' postings into one segment, alone
        extra = {"multisegment": True} if self.multisegment else {}
        writer = ix.writer(procs=self.procs, limitmb=256, **extra)
        for path in corpus_files(corpus):
            writer.add_document(
                id=relative_id(path, corpus),
                body=path.read_text(encoding="utf-8", errors="replace"),
            )
        writer.commit()
        ix.close()

    def update(self) -> None:
        raise NotImplementedError("no incremental mode")

    def open(self, corpus: Path, workdir: Path) -> None:
        self.ix = index.open_dir(str(workdir))
        self.searcher = self.ix.searcher()

    def to_query(self, query: str):
        q = parse(query)
        terms = [t.text for w in q.words for t in self.analyzer(w)]
        if q.prefix:
            return Prefix("body", q.words[0].lower()) if q.words else None
        if not terms:
            return None
        if q.phrase:
            return Phrase("body", terms)
        group = Or if self.mode == "or" else And
        return group([Term("body", t) for t in terms])

    def search(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        assert self.searcher is not None
        wq = self.to_query(query)
        if wq is None:
            return []
        results = self.searcher.search(wq, limit=k)
        if highlight:
            for hit in results:
                hit.highlights("body")
        return [hit["id"] for hit in results]

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        if self.ix is not None:
            self.ix.close()
        self.searcher = self.ix = None
