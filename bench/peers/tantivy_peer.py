"""tantivy (Rust, through tantivy-py), BM25: its default tokenizer (lowercase, no stemming), or
a French analyzer built from its own filters (simple tokenizer, lowercase, ASCII folding,
Snowball French stemmer). The text is stored, as fouille and Whoosh store theirs, so that
``highlight=True`` makes tantivy's own snippets (``SnippetGenerator``) of the top hits."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.peers.base import Mode, corpus_files, parse, relative_id

FRENCH = "fr_stem"


class Tantivy:
    def __init__(self, mode: Mode = "or", french: bool = False) -> None:
        self.mode = mode
        self.french = french
        self.name = f"tantivy{', French stemmer' if french else ''} ({mode.upper()})"
        self.index = None
        self.searcher = None

    def _schema(self):  # type: ignore[no-untyped-def]
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field(
            "body", stored=True, tokenizer_name=FRENCH if self.french else "default"
        )
        return builder.build()

    def _register(self, index) -> None:  # type: ignore[no-untyped-def]
        import tantivy

        if self.french:
            analyzer = (
                tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                .filter(tantivy.Filter.remove_long(40))
                .filter(tantivy.Filter.lowercase())
                .filter(tantivy.Filter.ascii_fold())
                .filter(tantivy.Filter.stemmer("french"))
                .build()
            )
            index.register_tokenizer(FRENCH, analyzer)

    def build(self, corpus: Path, workdir: Path) -> None:
        import tantivy

        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        index = tantivy.Index(self._schema(), path=str(workdir))
        self._register(index)
        writer = index.writer(heap_size=128_000_000, num_threads=1)
        for path in corpus_files(corpus):
            writer.add_document(
                tantivy.Document(
                    id=relative_id(path, corpus),
                    body=path.read_text(encoding="utf-8", errors="replace"),
                )
            )
        writer.commit()
        writer.wait_merging_threads()

    def update(self) -> None:
        raise NotImplementedError("no incremental mode")

    def open(self, corpus: Path, workdir: Path) -> None:
        import tantivy

        self.index = tantivy.Index.open(str(workdir))
        self._register(self.index)
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        import tantivy

        assert self.index is not None and self.searcher is not None
        q = parse(query)
        if not q.words:
            return []
        words = [w.lower() for w in q.words]
        if q.phrase:
            text = '"' + " ".join(words) + '"'
        elif q.prefix:
            text = f"{words[0]}*"
        else:
            joiner = " OR " if self.mode == "or" else " AND "
            text = joiner.join(words)
        try:
            parsed = self.index.parse_query(text, ["body"])
        except ValueError:
            return []
        hits = self.searcher.search(parsed, k).hits
        docs = [self.searcher.doc(address) for _, address in hits]
        if highlight and docs:
            snippets = tantivy.SnippetGenerator.create(
                self.searcher, parsed, self.index.schema, "body"
            )
            for doc in docs:
                snippets.snippet_from_doc(doc).to_html()
        return [doc["id"][0] for doc in docs]

    def close(self) -> None:
        self.index = self.searcher = None
