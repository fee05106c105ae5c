"""A full build's segments (:mod:`search.segment`) are the segments Whoosh's own writer makes of
the same documents, byte for byte, and a build split into many segments by its memory budget
answers as one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Characters

from search import analysis, indexer, segment
from search.corpus import load_article, scan_corpus
from search.documents import document_fields
from search.engine import Engine
from search.schema import build_schema
from search.segment import SegmentBuilder
from tests.support.corpora import RARE_WORD, make_corpus, make_generated_corpus

ODD_ARTICLES = {
    # compounds, elisions, numbers, stop words only, an empty body: every path of the analysis
    "odd/etats-unis.txt": "Les États-Unis et l’OTAN\n\nÀ Saint-Malo, 100 000 soldats d’iso_88.\n",
    "odd/vide.txt": "Titre seul\n",
    "odd/mots-vides.txt": "Le la les\n\nde du des et ou.\n",
}
ODD_WORDS = (
    "l’arme, les armes et l'Armée : arme-armes, 1 000 000 d’États-Unis à 12h30, qu’"
    # plain words whose case, folding or stem is unusual (analysed without the chain)
    " İstanbul Straße ﬁchier x² Ⅻ ½ ⅓ ÉTÉ Été LES Œuvres ǅemal µs ΣΊΣΥΦΟΣ 𝔘𝔫𝔦 ARMÉES copies"
    # ʼ (U+02BC) is a letter to regular expressions but an apostrophe to the analysis
    " lʼarmée cʼest-à-dire Quʼ12 de-la-Tour l’État-major d’__x jusqu’à aujourd’hui"
)
PIECES = [
    *"l L d qu Qu jusqu de la LES été Été du et à état États Unis armée armees x 12 100".split(),
    *"000 2023 iso 8859 ﬁ ß İ ½ ² œuvre aujourd hui c est dire - - _ ' ’ ʼ ‘".split(),
    *(" ", "\u00a0", "\u202f", "1 000"),
]
QUERIES = ("gouvernement", f"{RARE_WORD} OR musée", "président élection", "etats-unis", "prés*")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("segment")
    corpus = make_corpus(root, ODD_ARTICLES)
    # 150 articles: the commonest terms fill more than one posting block (128 postings)
    make_generated_corpus(corpus / "generated", 150, words=40)
    return corpus


def documents(corpus: Path) -> list[dict[str, object]]:
    entries, _ = scan_corpus(corpus)
    return [document_fields(load_article(entry)) for entry in entries]


def segment_files(folder: Path) -> dict[str, bytes]:
    """Every file inside the index's segments, named without the segments' random ids."""
    storage = FileStorage(str(folder))
    ix = whoosh_index.open_dir(str(folder))
    files: dict[str, bytes] = {}
    try:
        for segment in ix._segments():
            compound = segment.open_compound_file(storage)
            for name in compound.list():
                with compound.open_file(name) as f:
                    files[name.replace(segment.segid, "ID")] = f.read()
            compound.close()
    finally:
        ix.close()
    return files


def build_with(folder: Path, docs: list[dict[str, object]], limitmb: float) -> list[Segment]:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    builder = SegmentBuilder(ix.storage, ix.indexname, ix.schema, limitmb=limitmb)
    for fields in docs:
        builder.add_document(**fields)
    segments = builder.finish()
    ix.writer().commit(mergetype=lambda _writer, existing: existing + segments)
    ix.close()
    return segments


def postings(folder: Path) -> dict[tuple[str, bytes], list[tuple[int, float, bytes]]]:
    """Every posting of the index, read back through Whoosh, by field and term."""
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        reader = searcher.reader()
        out = {}
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            out[fieldname, text] = found
        return out


def test_builder_writes_the_files_whooshs_writer_writes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = documents(corpus)
    stock = tmp_path / "stock"
    stock.mkdir()
    ix = whoosh_index.create_in(str(stock), build_schema())
    with ix.writer() as writer:
        for fields in docs:
            writer.add_document(**fields)
    ix.close()
    assert len(build_with(tmp_path / "built", docs, limitmb=64)) == 1
    with monkeypatch.context() as patch:
        patch.setattr(segment, "COMPRESS_AT", 0)  # every block compressed, as Whoosh does
        build_with(tmp_path / "same", docs, limitmb=64)

    expected, same = segment_files(stock), segment_files(tmp_path / "same")
    assert sorted(same) == sorted(expected)  # postings, terms, stored fields, lengths, columns
    assert [name for name in same if same[name] != expected[name]] == []
    # short blocks left uncompressed: other postings bytes (and offsets in the terms), the same
    # postings read back
    built = segment_files(tmp_path / "built")
    changed = [name for name in built if built[name] != expected[name]]
    assert sorted(changed) == ["MAIN_ID.pst", "MAIN_ID.trm"]
    assert postings(tmp_path / "built") == postings(stock)
    with whoosh_index.open_dir(str(tmp_path / "built")).searcher() as searcher:
        assert searcher.doc_count() == len(docs) > 150
        reader = searcher.reader()
        most = max(reader.doc_frequency("body", term) for term in reader.field_terms("body"))
        assert most > 128  # postings of several blocks were compared


def test_postings_values_are_whooshs_encoding_of_the_token_stream(corpus: Path) -> None:
    # the fast path (term_occurrences, encode_characters) against Whoosh's Characters format
    # fed by the analyzer's token stream, on every text of the corpus
    body = build_schema()["body"]
    texts = [str(fields["body"]) for fields in documents(corpus)]
    texts.append(ODD_WORDS)
    for text in texts:
        analysis._EXPANSIONS.clear()  # each path analyses the words itself
        fast = sorted(body.format.word_values(text, body.analyzer, mode="index"))
        analysis._EXPANSIONS.clear()
        stock = sorted(Characters().word_values(text, body.analyzer, mode="index"))
        assert fast == stock
    assert len(stock) > 5


def test_words_analysed_together_give_what_each_gives_alone(corpus: Path) -> None:
    analyzer = build_schema()["body"].analyzer
    text = " ".join(str(fields["body"]) for fields in documents(corpus)) + ODD_WORDS
    words = list(dict.fromkeys(analysis._SPLIT_RE.split(text)[1::2]))
    analysis._EXPANSIONS.clear()
    analyzer._expand_index_words(words)
    together = dict(analysis._EXPANSIONS)
    analysis._EXPANSIONS.clear()
    alone = {word: analyzer._expansion(word, "index") for word in words}
    assert together == alone
    assert len(words) > 300 and any(not e[0] for e in alone.values())  # stop words too


def test_word_expansions_are_the_chains_on_words_made_at_random() -> None:
    # elisions, compounds, stop words, numbers and apostrophes in every combination: the
    # analysis of new words (FrenchAnalyzer._word_expansion) against the chain, word by word
    analyzer = build_schema()["body"].analyzer
    pick = random.Random(9).choice
    text = " ".join("".join(pick(PIECES) for _ in range(1 + n % 6)) for n in range(6000))
    words = list(dict.fromkeys(analysis._SPLIT_RE.split(text)[1::2]))
    analysis._EXPANSIONS.clear()
    together = analyzer._expand_index_words(words)
    analysis._EXPANSIONS.clear()
    alone = {word: analyzer._expansion(word, "index") for word in words}
    assert together == alone
    assert len(words) > 3000


# any letters, digits and marks of Unicode, mixed with the pieces that take the analysis's other
# ways: elided articles before any apostrophe, compounds, stop words, number spaces
ODD_TEXT = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.tuples(
            st.sampled_from(sorted(analysis.ELISIONS | {"L", "Qu", "aujourd", "presqu"})),
            st.sampled_from(analysis._APOSTROPHES),
        ).map("".join),
        st.text(st.characters(categories=("L", "N", "M")), min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=16,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(ODD_TEXT)
def test_new_words_are_analysed_as_the_chain_does_whatever_their_characters(text: str) -> None:
    # a new word's terms and exact forms without the chain (FrenchAnalyzer._word_expansion, the
    # build's hot path) are the chain's, for any word the tokenizer can cut from any text: else
    # the index holds other terms than a query analyses
    analyzer = build_schema()["body"].analyzer
    expand = analyzer._word_expansion
    for word in dict.fromkeys(analysis._SPLIT_RE.split(analysis._nfc(text))[1::2]):
        fast = expand(word)
        if fast is not None:  # None: the chain itself analyses it
            assert fast == analyzer._expand_with_chain([word])[word], word


def test_a_build_split_by_its_memory_budget_answers_as_one_segment(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, many = Engine(corpus, tmp_path / "one"), Engine(corpus, tmp_path / "many")
    try:
        one.update(full=True, jobs=1)
        monkeypatch.setattr(indexer, "WRITER_MEMORY_MB", 0.02)  # about 20 kB of postings each
        many.update(full=True, jobs=1)
        assert len(list((tmp_path / "one").glob("gen-*/*.seg"))) == 1
        assert len(list((tmp_path / "many").glob("gen-*/*.seg"))) > 3
        for query in QUERIES:
            expected, found = one.search(query, limit=200), many.search(query, limit=200)
            assert found.total == expected.total > 0
            assert [(h.id, round(h.score, 6)) for h in found.hits] == [
                (h.id, round(h.score, 6)) for h in expected.hits
            ]
        assert many.stats().terms == one.stats().terms
    finally:
        one.close()
        many.close()
