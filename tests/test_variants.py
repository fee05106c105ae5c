"""Spelling variants: ``Kyiv`` finds *Kiev* and *Kyïv* too (and highlights them), ``Al-Qaïda``
finds *Al-Qaeda*; ``--no-variants`` and ``Engine.search(variants=False)`` search as typed; JSON
says which variants were used; the user's own file adds groups; a bad one is one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search import variants as variants_module
from search.cli import main
from search.engine import Engine
from search.errors import ExitCode, SettingsError
from search.render import MATCH, RESET
from search.settings import user_variants_file
from search.variants import Variants, build, load_variants, parse_groups
from tests.support.corpora import make_corpus

ARTICLES = {
    "kiev.txt": "Bombardements sur Kiev\n\nLa capitale Kiev a été visée cette nuit.\n",
    "kyiv.txt": "Kyiv sous les drones\n\nÀ Kyiv, les sirènes ont retenti.\n",
    "kyiv-trema.txt": "Reportage à Kyïv\n\nLes habitants de Kyïv témoignent.\n",
    "qaeda.txt": "Un chef d’Al-Qaeda tué\n\nLe groupe Al-Qaeda a confirmé sa mort.\n",
    "zorgloub.txt": "Le retour de Zorgloub\n\nZorgloub a encore frappé.\n",
}


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("variants")
    corpus = make_corpus(root, ARTICLES, seeds=0)
    location = ["--corpus", str(corpus), "--index", str(root / "index")]
    assert main(["index", *location]) == ExitCode.OK
    return location


def search_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    main(["search", "--json", *argv])
    return json.loads(capsys.readouterr().out)


def test_bundled_list_is_well_formed() -> None:
    groups = parse_groups(variants_module.BUNDLED.read_text(encoding="utf-8"), "bundled")
    assert len(groups) >= 40
    seen: set[tuple[str, ...]] = set()
    for group in groups:
        keys = {spelling.key for spelling in group}
        assert len(keys) >= 2, group  # a group must add a spelling the index tells apart
        assert not keys & seen, group  # no spelling in two lines (they would merge unseen)
        seen |= keys
    table = load_variants()
    assert {s.text for s in table.group(("kyiv",))} == {"Kyiv", "Kiev", "Kyïv"}
    assert {s.text for s in table.group(("pekin",))} == {"Pékin", "Beijing"}


def test_a_name_finds_its_other_spellings_and_json_says_which(
    location: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = search_json(capsys, "Kyiv", *location)
    assert {h["id"] for h in data["hits"]} == {"kiev.txt", "kyiv.txt", "kyiv-trema.txt"}
    assert data["variants"] == {"kyiv": ["kiev"]}
    data = search_json(capsys, "kiev", *location)
    assert len(data["hits"]) == 3
    assert data["variants"] == {"kiev": ["kyiv", "kyïv"]}


def test_matches_through_a_variant_are_highlighted(
    location: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = search_json(capsys, "Kyiv", *location)
    hit = next(h for h in data["hits"] if h["id"] == "kiev.txt")
    assert {hit["snippet"][a:b] for a, b in hit["snippet_spans"]} == {"Kiev"}
    # on a terminal the match is styled: force colour to see which words are
    monkeypatch.setattr("search.cli.use_color", lambda stream: True)
    assert main(["show", "kiev.txt", "--query", "Kyiv", *location]) == ExitCode.OK
    assert f"{MATCH}Kiev{RESET}" in capsys.readouterr().out
    assert main(["show", "kiev.txt", "--query", "Kyiv", "--no-variants", *location]) == 0
    assert MATCH not in capsys.readouterr().out


def test_hyphenated_names_match_as_phrases(
    location: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = search_json(capsys, "Al-Qaïda", *location)
    assert [h["id"] for h in data["hits"]] == ["qaeda.txt"]
    assert data["variants"] == {"al-qaïda": ["al-qaeda"]}
    assert search_json(capsys, "Al-Qaïda", "--no-variants", *location)["hits"] == []


def test_no_variants_searches_as_typed(
    location: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = search_json(capsys, "Kyiv", "--no-variants", *location)
    # Kyïv folds to Kyiv: accents never matter, variants or not
    assert {h["id"] for h in data["hits"]} == {"kyiv.txt", "kyiv-trema.txt"}
    assert data["variants"] == {}


def test_engine_toggle_and_an_engine_without_variants(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, ARTICLES, seeds=0)
    engine = Engine(corpus, tmp_path / "index")
    engine.update(full=True)
    assert engine.search("Kiev").total == 3
    assert engine.search("Kiev", variants=False).total == 1
    title, _ = engine.match_spans("kyiv.txt", engine.highlight_terms("Kiev"))
    assert title  # "Kyiv" lit in the title through the variant
    as_typed = engine.highlight_terms("Kiev", variants=False)
    assert engine.match_spans("kyiv.txt", as_typed) == ([], [])
    bare = Engine(corpus, tmp_path / "index", variants=Variants())
    assert bare.search("Kiev").total == 1


def test_user_file_adds_groups_and_merges_with_the_bundled_ones(
    location: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    user = user_variants_file()
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text("# mes noms\nZorglub = Zorgloub\nKyjiw = Kiev\n", encoding="utf-8")
    try:
        assert [h["id"] for h in search_json(capsys, "zorglub", *location)["hits"]] == [
            "zorgloub.txt"
        ]
        data = search_json(capsys, "Kyjiw", *location)
        assert len(data["hits"]) == 3  # Kiev's group, merged: Kyiv and Kyïv too
        assert sorted(data["variants"]["kyjiw"]) == ["kiev", "kyiv", "kyïv"]
    finally:
        user.unlink()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv Kiev\n", "line 1: a group needs at least two spellings"),
        ("Kyiv = \n", "line 1: '' is not a spelling"),
        ("# ok\nle = la\n", "line 2: 'le' is not a spelling"),
    ],
)
def test_a_bad_user_file_is_one_line_exit_2(
    text: str,
    expected: str,
    location: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "variants.txt"
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setenv("FOUILLE_VARIANTS", str(bad))
    assert main(["search", "kiev", *location]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fouille: error: "), err
    assert f"{bad}, {expected}" in err
    with pytest.raises(SettingsError):
        load_variants(bad)


def test_a_missing_user_file_named_in_the_settings_is_an_error(
    location: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FOUILLE_VARIANTS", str(tmp_path / "absent.txt"))
    assert main(["search", "kiev", *location]) == ExitCode.USAGE
    assert "cannot read the variants file" in capsys.readouterr().err


def test_groups_sharing_a_spelling_merge() -> None:
    table = build(parse_groups("Alfa = Bravo\nbravo = Charlie\nDelta = Echo\n", "test"))
    assert {s.text for s in table.group(("alfa",))} == {"Alfa", "Bravo", "bravo", "Charlie"}
    assert len(table) == 2
