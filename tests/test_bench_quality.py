"""French analysis quality on a committed slice of the man-page vocabulary (bench/fixtures).

A regression in accent folding or stemming fails here, in seconds, without the benchmark's
corpus or simplemma: the lemmas were computed once by ``python -m bench.vocabulary``. Floors sit
just below the values measured when they were set (see bench/REPORT.md for the full corpus).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is a folder of the repo, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.analysis_quality import (  # noqa: E402
    REFERENCES,
    Quality,
    fouille_terms,
    measure,
    read_references,
)

FIXTURE = ROOT / "bench" / "fixtures" / "fr_words.tsv"


@pytest.fixture(scope="module")
def qualities() -> dict[str, Quality]:
    references = read_references(FIXTURE.read_text(encoding="utf-8").splitlines())
    assert all(len(references[name]) > 500 for name in REFERENCES)
    index_terms, query_terms = fouille_terms()
    return {name: measure(references[name], index_terms, query_terms) for name in REFERENCES}


@pytest.fixture(scope="module")
def quality(qualities: dict[str, Quality]) -> Quality:
    return qualities["simplemma"]


def test_a_word_typed_without_accents_finds_the_accented_word(quality: Quality) -> None:
    assert quality.accented > 100
    assert quality.accent_invariance >= 0.99, quality.accent_failures


def test_inflected_forms_of_a_word_find_each_other(quality: Quality) -> None:
    # measured 0.854 (0.813 before third persons plural and -us participles were read as verbs)
    assert quality.lemma_pairs > 300
    assert quality.recall >= 0.83, quality.recall_failures


def test_typing_without_accents_keeps_inflections_together(quality: Quality) -> None:
    assert quality.unaccented_recall >= 0.83, quality.recall_failures


def test_words_joined_by_the_analyzer_are_mostly_forms_of_one_lemma(quality: Quality) -> None:
    # measured 0.889 (0.906 before: "recherchent", "suivent" now join "recherche", "suivant",
    # which simplemma files under other lemmas than "rechercher", "suivre")
    assert quality.precision >= 0.87, quality.precision_failures


def test_an_independent_lexicon_agrees(qualities: dict[str, Quality]) -> None:
    # Lefff's lemmas (spaCy's tables), every part of speech: recall 0.832 (0.781 before),
    # precision 0.928 (0.932)
    lefff = qualities["Lefff (spaCy's tables)"]
    assert lefff.recall >= 0.81, lefff.recall_failures
    assert lefff.precision >= 0.91, lefff.precision_failures


def test_forms_are_of_one_lemma_when_their_lemma_sets_meet() -> None:
    lemmas = {
        "porte": frozenset({"porte", "porter"}),  # a door, or "il porte"
        "portée": frozenset({"portée", "porter"}),
        "port": frozenset({"port"}),
    }
    quality = measure(lemmas, lambda word: frozenset([word[:4]]))
    assert quality.lemma_pairs == 1 and quality.recall == 1.0  # porte / portée, once
    assert quality.term_pairs == 3 and quality.precision == pytest.approx(1 / 3)  # port apart


def test_plural_and_feminine_forms_share_a_term() -> None:
    index_terms, query_terms = fouille_terms()
    for typed, indexed in [
        ("fichiers", "fichier"),
        ("donnees", "données"),
        ("securite", "sécurité"),
        ("systemes", "système"),
        ("journaux", "journal"),
    ]:
        assert query_terms(typed) & index_terms(indexed), (typed, indexed)
