"""French as a reader means it: no false families from short stems, accented words that are not
stop words, an exact operator that respects accents, French typography in queries, and a
query of stop words that says so. Each case here is one named in issue 8."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.cli import main
from search.engine import Engine
from search.errors import ExitCode
from tests.support.corpora import make_corpus

ARTICLES = {
    "coree.txt": "Sommet en Corée\n\nLa Corée du Sud et la Corée du Nord discutent de sécurité.\n",
    "cor.txt": "Concert de chasse\n\nLe cor de chasse sonne ; le groupe joue du hardcore.\n",
    "core.txt": "Processeurs\n\nChaque core du processeur calcule ; les cores sont rapides.\n",
    "gaza.txt": "Proche-Orient\n\nÀ Gaza, la population attend l’aide humanitaire.\n",
    "gaz.txt": "Énergie\n\nLe prix du gaz augmente cet hiver ; les gaz chauffent moins.\n",
    "sur.txt": "Certitude\n\nIl est sûr de lui et il a dû partir tôt.\n",
    "sans-sur.txt": "Rapport\n\nLe rapport sur le budget du ministère est publié.\n",
    "peche.txt": "Pêche\n\nLa pêche en mer reprend au printemps.\n",
    "peche-mortel.txt": "Morale\n\nLa gourmandise est un péché mignon.\n",
    "gimp.txt": "Quoi de neuf dans GIMP 2.10\n\nLa version 2.10 de GIMP apporte des filtres.\n",
    "guerre.txt": "Histoire\n\nLa guerre froide opposa deux blocs ; un partenariat naquit.\n",
    "froide.txt": "Météo\n\nUne nuit froide suit la guerre des prix de l’énergie.\n",
    "demandent.txt": "Guichet\n\nLes usagers demandent un remboursement.\n",
    "precision.txt": "Horlogerie\n\nLa précision de cette montre étonne.\n",
    "preciser.txt": "Formulaire\n\nIl faut préciser la date du départ.\n",
    "perdus.txt": "Objets trouvés\n\nLes parapluies perdus sont rangés ici.\n",
}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("french")


@pytest.fixture(scope="module")
def engine(root: Path) -> Iterator[Engine]:
    eng = Engine(make_corpus(root, ARTICLES, seeds=0), root / "index")
    eng.update(full=True)
    yield eng
    eng.close()


def found(engine: Engine, query: str) -> set[str]:
    return {h.id for h in engine.search(query, limit=50).hits}


def test_coree_is_not_the_cor_of_a_hunt_nor_a_processor_core(engine: Engine) -> None:
    assert found(engine, "Corée") == {"coree.txt"}
    assert found(engine, "coree") == {"coree.txt"}
    assert "coree.txt" not in found(engine, "cor") | found(engine, "core")


def test_gaza_is_not_gaz(engine: Engine) -> None:
    assert found(engine, "Gaza") == {"gaza.txt"}
    assert found(engine, "gaz") == {"gaz.txt"}


def test_a_verb_finds_its_third_person_plural(engine: Engine) -> None:
    assert found(engine, "demander") == found(engine, "demandé") == {"demandent.txt"}


def test_a_participle_finds_its_plural(engine: Engine) -> None:
    assert found(engine, "perdu") == found(engine, "perdue") == {"perdus.txt"}


def test_a_noun_in_sion_is_not_its_verb(engine: Engine) -> None:
    assert found(engine, "précision") == {"precision.txt"}
    assert found(engine, "préciser") == {"preciser.txt"}


def test_no_correction_for_a_query_that_finds_articles_as_typed(engine: Engine) -> None:
    result = engine.search("Gaza")
    assert result.total == 1 and result.suggestion is None


def test_coreen_does_not_suggest_a_short_stem(engine: Engine) -> None:
    suggestion = engine.search("coréen").suggestion
    assert suggestion is None or suggestion.lower() not in {"cor", "core"}


@pytest.mark.parametrize("word", ["sûr", "dû"])
def test_accented_words_are_not_the_stop_words_they_fold_to(engine: Engine, word: str) -> None:
    assert found(engine, word) == {"sur.txt"}


def test_exact_operator_keeps_accents(engine: Engine) -> None:
    assert found(engine, "=péché") == {"peche-mortel.txt"}
    assert found(engine, "=pêche") == {"peche.txt"}
    assert found(engine, "péché") == {"peche.txt", "peche-mortel.txt"}  # accents optional


@pytest.mark.parametrize(
    "query",
    [
        "Quoi de neuf dans GIMP 2.10 ?",
        "Quoi de neuf dans GIMP 2.10\u202f?",
        "GIMP : quoi de neuf ?!",
        "GIMP ; neuf",
        "neuf?",
    ],
)
def test_a_question_typed_the_french_way_is_a_query(engine: Engine, query: str) -> None:
    assert "gimp.txt" in found(engine, query)


@pytest.mark.parametrize(
    "query", ["« guerre froide »", "«\u00a0guerre froide\u00a0»", "“guerre froide”"]
)
def test_french_quotes_make_a_phrase(engine: Engine, query: str) -> None:
    assert found(engine, query) == found(engine, '"guerre froide"') == {"guerre.txt"}


def test_curly_apostrophes_anywhere(engine: Engine) -> None:
    assert found(engine, "l’aide") == found(engine, "l'aide") == {"gaza.txt"}
    assert found(engine, "‘aide’") == {"gaza.txt"}


def test_wildcards_inside_a_word_still_work(engine: Engine) -> None:
    assert "guerre.txt" in found(engine, "gu?rre")
    assert found(engine, "partenari*") == {"guerre.txt"}


def test_a_query_of_stop_words_says_so(engine: Engine) -> None:
    result = engine.search("les")
    assert result.only_stop_words and result.total == 0
    assert not engine.search("sûr").only_stop_words


def test_cli_says_a_query_is_only_stop_words(
    engine: Engine, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = ["--corpus", str(engine.corpus), "--index", str(root / "index")]
    assert main(["search", "les", *location]) == ExitCode.NO_HITS
    assert "only of stop words" in capsys.readouterr().err
    main(["search", "les", "--json", *location])
    assert json.loads(capsys.readouterr().out)["only_stop_words"] is True
