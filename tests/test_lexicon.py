"""The lexicon of corpus words: prefix, pattern and typo lookups, counts, and its file."""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from search import lexicon as lexicon_module
from search import store
from search.documents import WordCounts
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


def _fake_index(folder: Path, generation: int, toc: bytes = b"segments") -> None:
    (folder / f"_MAIN_{generation}.toc").write_bytes(toc)


def test_save_and_load_round_trip_for_one_index_state(tmp_path: Path) -> None:
    lexicon = make_lexicon()
    _fake_index(tmp_path, 7)
    lexicon.save(tmp_path, 7)
    loaded = Lexicon.load(tmp_path, 7)
    assert loaded is not None and loaded.entries == lexicon.entries
    _fake_index(tmp_path, 8)
    assert Lexicon.load(tmp_path, 8) is None  # another commit: another stamp
    _fake_index(tmp_path, 7, b"other segments")
    assert Lexicon.load(tmp_path, 7) is None  # same generation number, another index
    _fake_index(tmp_path, 7)
    assert Lexicon.load(tmp_path, 7) is not None
    (tmp_path / LEXICON_FILE).write_bytes(b"garbage")
    assert Lexicon.load(tmp_path, 7) is None


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


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _buckets(path: Path) -> tuple[dict, list[list]]:
    """A saved lexicon's header and the columns of each of its buckets."""
    head, body = path.read_bytes().split(b"\n", 1)
    return json.loads(head), [json.loads(blob) for blob in body.split(b"\n")[:-1]]


def _write(path: Path, header: dict, buckets: list[list], *, digest: bool = True) -> None:
    """Write buckets back under ``header``: with ``digest``, each bucket's hash matching its
    new bytes (as a careful forger would), else the old hashes kept."""
    blobs = [json.dumps(columns, ensure_ascii=False).encode() for columns in buckets]
    old = header.get("buckets", [])
    header["buckets"] = [
        [len(blob), _digest(blob) if digest or n >= len(old) else old[n][1]]
        for n, blob in enumerate(blobs)
    ]
    path.write_bytes(json.dumps(header).encode() + b"\n" + b"".join(b + b"\n" for b in blobs))


def _rewrite(path: Path, change: Callable[[dict, list], None], *, digest: bool = True) -> None:
    """Change a saved lexicon's header or its words (all buckets' columns joined), keeping its
    stamp; written back as one bucket (with ``digest``, hashed as a careful forger would),
    or, without, in buckets of the same number under the old hashes."""
    header, buckets = _buckets(path)
    columns: list = [[], [], []]
    for bucket in buckets:
        for n in range(3):
            columns[n] += bucket[n]
    change(header, columns)
    if digest:
        _write(path, header, [columns])
        return
    count = len(buckets)
    regrouped: list[list] = [[[], [], []] for _ in range(count)]
    for i, word in enumerate(columns[0]):
        target = regrouped[lexicon_module._bucket_of(word, count)]
        for n in range(3):
            target[n].append(columns[n][i])
    _write(path, header, regrouped, digest=False)


def _lengths_off(path: Path) -> None:
    head, body = path.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    header["buckets"][0][0] += 1
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


def _misplaced(path: Path) -> None:
    """The word "musee" moved to another bucket, every hash right: a lookup would miss it."""
    header, buckets = _buckets(path)
    source = next(b for b in buckets if "musee" in b[0])
    target = next(b for b in buckets if b is not source)
    i = source[0].index("musee")
    for n in range(3):
        target[n].append(source[n].pop(i))
    _write(path, header, buckets)


class _Trap:
    """Unpickling this creates a file: proof that a pickle was run."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple:
        return (open, (str(self.target), "w"))


def _emptied(header: dict, columns: list) -> None:
    for column in columns:
        column.clear()
    header["words"] = 0


def _drop_mus(header: dict, columns: list) -> None:
    """The words starting with "mus" removed: ``musé*`` would find nothing."""
    keep = [i for i, w in enumerate(columns[0]) if not w.startswith("mus")]
    for n, column in enumerate(columns):
        columns[n] = [column[i] for i in keep]
    header["words"] = len(keep)


DAMAGE = {
    "missing": lambda path: path.unlink(),
    "garbage": lambda path: path.write_bytes(b"\x80\x05garbage\n\xff"),
    "a pickle": lambda path: path.write_bytes(pickle.dumps(_Trap(path.parent / "ran"))),
    "cut in half": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "header only": lambda path: path.write_bytes(path.read_bytes().split(b"\n")[0]),
    "body altered, old digest": lambda path: _rewrite(path, _drop_mus, digest=False),
    "emptied, old digest": lambda path: _rewrite(path, _emptied, digest=False),
    "stamp of another state": lambda path: _rewrite(
        path, lambda h, c: h.update(stamp="1:" + "0" * 32)
    ),
    "counts are text": lambda path: _rewrite(
        path, lambda h, c: c.__setitem__(1, [str(n) for n in c[1]])
    ),
    "negative count": lambda path: _rewrite(path, lambda h, c: c[1].__setitem__(0, -5)),
    "columns of unequal length": lambda path: _rewrite(path, lambda h, c: c[2].pop()),
    "a dict instead of columns": lambda path: _rewrite(path, lambda h, c: c.append({"x": 1})),
    "word count wrong": lambda path: _rewrite(path, lambda h, c: h.update(words=1)),
    "format 1": lambda path: _rewrite(path, lambda h, c: h.update(format=1)),
    "a word in another bucket": _misplaced,
    "bucket lengths that do not add up": _lengths_off,
    "header is a list": lambda path: path.write_bytes(b"[]\n[[],[],[]]\n"),
    "deeply nested": lambda path: path.write_bytes(b"[" * 100_000),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_lexicon_is_rebuilt_never_a_wrong_answer(engine: Engine, damage: str) -> None:
    path = _lexicon_file(engine)
    DAMAGE[damage](path)
    fresh = Engine(engine.corpus, engine.index_dir)
    assert {h.id for h in fresh.search("musé*").hits} == {
        "stem/arme-seule.txt",
        "stem/armes-exactes.txt",
    }
    assert fresh.search("Stoltenbreg").suggestion == "Stoltenberg"
    assert not (path.parent / "ran").exists()
    repaired = Lexicon.load(path.parent, fresh._searcher().reader().generation())
    assert repaired is not None and "musee" in repaired  # written back, sound again
    fresh.close()


def test_an_old_pickled_lexicon_is_never_unpickled(engine: Engine) -> None:
    folder = _lexicon_file(engine).parent
    (folder / "lexicon.pickle").write_bytes(pickle.dumps(_Trap(folder / "ran")))
    _lexicon_file(engine).unlink()
    assert Engine(engine.corpus, engine.index_dir).search("musé*").hits
    engine.update()
    assert not (folder / "ran").exists()


def _saved_and_rebuilt(engine: Engine) -> tuple[dict, dict]:
    from search.indexer import MAX_INDEXED_CHARS
    from search.lexicon import build_lexicon
    from search.schema import field_analyzer

    searcher = engine._searcher()
    saved = Lexicon.load(_lexicon_file(engine).parent, searcher.reader().generation())
    assert saved is not None
    rebuilt = build_lexicon(searcher, field_analyzer(searcher.schema), MAX_INDEXED_CHARS)
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


def _ranking(engine: Engine, query: str) -> list[tuple[str, float]]:
    return [(hit.id, hit.score) for hit in engine.search(query, limit=50).hits]


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_the_exact_form_bonus_never_counts_from_a_damaged_lexicon(
    engine: Engine, damage: str
) -> None:
    """A plain search reads only the buckets of its words (the exact-form bonus's article
    counts): a damaged one is noticed there, the lexicon rebuilt and the search run again."""
    expected = _ranking(engine, "armes musée poing")
    path = _lexicon_file(engine)
    DAMAGE[damage](path)
    fresh = Engine(engine.corpus, engine.index_dir)
    assert _ranking(fresh, "armes musée poing") == expected
    assert _ranking(fresh, "armes musée poing") == expected
    assert not (path.parent / "ran").exists()
    fresh.close()


def test_a_search_reads_only_the_buckets_of_its_words(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Buckets the query's words are not in are not read: garbage there costs no rebuild."""
    expected = _ranking(engine, "armes")
    path = _lexicon_file(engine)
    header, buckets = _buckets(path)
    assert len(buckets) > 1
    wanted = lexicon_module._bucket_of("armes", len(buckets))
    other = next(n for n in range(len(buckets)) if n != wanted)
    buckets[other][1] = ["garbage"] * len(buckets[other][1])
    _write(path, header, buckets, digest=False)

    def no_rebuild(*args: object) -> Lexicon:
        raise AssertionError("the lexicon was rebuilt")

    monkeypatch.setattr(lexicon_module, "build_lexicon", no_rebuild)
    fresh = Engine(engine.corpus, engine.index_dir)
    assert _ranking(fresh, "armes") == expected
    fresh.close()


def test_a_lexicon_of_the_previous_format_is_read_and_saved_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index built by the previous version keeps its lexicon (one body of three columns):
    read whole, not rebuilt from the articles, and written again in buckets."""
    expected = _ranking(engine, "armes musée")
    path = _lexicon_file(engine)
    header, buckets = _buckets(path)
    entries = Lexicon.load(path.parent, engine._searcher().reader().generation())
    assert entries is not None
    words = sorted(entries.entries)
    body = json.dumps(
        [
            words,
            [entries.doc_count(w) for w in words],
            [entries.spelling(w) if entries.spelling(w) != w else "" for w in words],
        ],
        ensure_ascii=False,
    ).encode()
    old_header = {"format": 2, "stamp": header["stamp"], "words": len(words)}
    old_header["digest"] = _digest(body)
    path.write_bytes(json.dumps(old_header).encode() + b"\n" + body + b"\n")

    def no_rebuild(*args: object) -> Lexicon:
        raise AssertionError("the lexicon was rebuilt")

    monkeypatch.setattr(lexicon_module, "build_lexicon", no_rebuild)
    fresh = Engine(engine.corpus, engine.index_dir)
    assert _ranking(fresh, "armes musée") == expected
    assert [h.id for h in fresh.search("musé*").hits]
    new_header, new_buckets = _buckets(path)
    assert new_header["format"] == 3 and len(new_buckets) == len(buckets)
    again = Lexicon.load(path.parent, fresh._searcher().reader().generation())
    assert again is not None and again.entries == entries.entries
    fresh.close()


def test_a_builds_word_counts_are_saved_as_their_lexicon_byte_for_byte(tmp_path: Path) -> None:
    # a full build saves its merged word counts as columns (save_columns), without making
    # a Lexicon: the file must be the one Lexicon.save writes (several buckets, accents,
    # spellings of their own or not)
    _fake_index(tmp_path, 3)
    first, second, lexicon = WordCounts(), WordCounts(), Lexicon()
    for n in range(700):
        article = {f"mot{n}": f"Mot{n}" if n % 3 else f"mot{n}", f"été{n % 50}": f"Été{n % 50}"}
        (first if n < 400 else second).add(article)
        lexicon.add(article)
    first.merge(second)
    first.save(tmp_path, 3)
    from_counts = (tmp_path / LEXICON_FILE).read_bytes()
    lexicon.save(tmp_path, 3)
    assert from_counts == (tmp_path / LEXICON_FILE).read_bytes()
    assert len(json.loads(from_counts.partition(b"\n")[0])["buckets"]) == 3
