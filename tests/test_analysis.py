"""Each French analysis filter, with the French cases that justify it."""

from __future__ import annotations

import pickle

import pytest
from whoosh.analysis import LowercaseFilter

from search import analysis
from search.analysis import (
    EXACT_PREFIX,
    FRENCH_STOP_WORDS,
    CompoundFilter,
    ElisionFilter,
    ExactFormFilter,
    FoldFilter,
    FrenchAnalyzer,
    FrenchStemFilter,
    FrenchStopFilter,
    FrenchTokenizer,
    french_analyzer,
    french_chain,
    query_words,
)


def texts(analyzer, text: str, mode: str = "query") -> list[str]:
    return [t.text for t in analyzer(text, mode=mode)]


def stems(text: str) -> list[str]:
    return texts(french_analyzer(), text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l’OTAN", ["OTAN"]),
        ("l'OTAN", ["OTAN"]),
        ("d’armes d'armes", ["armes", "armes"]),
        ("qu’il jusqu’à lorsqu’elle puisqu’on quoiqu’il", ["il", "à", "elle", "on", "il"]),
        ("j’ai n’est s’alarme t’as m’a c’est", ["ai", "est", "alarme", "as", "a", "est"]),
        ("aujourd’hui aujourd'hui", ["aujourd'hui", "aujourd'hui"]),
    ],
)
def test_elision_with_both_apostrophes(text: str, expected: list[str]) -> None:
    assert texts(FrenchTokenizer() | ElisionFilter(), text) == expected


def test_tokenizer_keeps_digit_groups_as_one_number() -> None:
    for spaced in ("100 000", "100\u00a0000", "100\u202f000"):
        assert texts(FrenchTokenizer(), f"{spaced} soldats") == ["100000", "soldats"]
    assert texts(FrenchTokenizer(), "en 2023 123 chars") == ["en", "2023", "123", "chars"]


def test_compounds_split_into_parts_and_glued_form_in_index_mode() -> None:
    chain = FrenchTokenizer() | CompoundFilter() | LowercaseFilter()
    assert texts(chain, "États-Unis") == ["états", "unis"]
    assert texts(chain, "États-Unis", mode="index") == ["états", "étatsunis", "unis"]
    assert texts(chain, "iso_8859-10", mode="index") == ["iso", "iso885910", "8859", "10"]


@pytest.mark.parametrize(
    ("accented", "plain"),
    [("sécurité", "securite"), ("Corée", "coree"), ("manœuvre", "manoeuvre"), ("Taïwan", "taiwan")],
)
def test_folding_is_accent_invariant_in_both_directions(accented: str, plain: str) -> None:
    chain = FrenchTokenizer() | LowercaseFilter() | FoldFilter()
    assert texts(chain, accented) == [plain]
    assert stems(accented) == stems(plain) == stems(plain.upper())


def test_stop_list_is_french_only_and_has_les() -> None:
    assert {"les", "le", "la", "des", "du", "et", "ou"} <= FRENCH_STOP_WORDS
    # English words are not stop words in French text (Whoosh's lang="fr" list has them)
    assert not {"the", "and", "of", "to", "is"} & FRENCH_STOP_WORDS
    chain = FrenchTokenizer() | LowercaseFilter() | FoldFilter() | FrenchStopFilter()
    assert texts(chain, "les armes de la Corée et the end") == ["armes", "coree", "the", "end"]


def test_stemming_conflates_inflections_capitalised_words_included() -> None:
    chain = FrenchTokenizer() | LowercaseFilter() | FoldFilter() | FrenchStemFilter()
    assert texts(chain, "armes arme Armes") == ["arme", "arme", "arme"]
    assert texts(chain, "partenariats Partenariat") == ["partenariat", "partenariat"]
    # the exact form reaches the stem filter unstemmed
    chain = FrenchTokenizer() | LowercaseFilter() | FoldFilter() | ExactFormFilter()
    assert texts(chain | FrenchStemFilter(), "Armes", mode="index") == [
        f"{EXACT_PREFIX}armes",
        "arme",
    ]


def test_chain_marks_exact_forms_at_the_stem_position() -> None:
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in french_chain()("Les armes d’Ukraine", mode="index", positions=True, chars=True)
    ]
    assert tokens == [
        ("=armes", 0, 4, 9),
        ("arme", 0, 4, 9),
        ("=ukraine", 1, 12, 19),
        ("ukrain", 1, 12, 19),
    ]


def test_analyzer_indexes_stems_and_lists_words_with_their_spelling() -> None:
    analyzer = french_analyzer()
    text = "Les armes d’Ukraine et l’Ukraine"
    tokens = [
        (t.text, t.pos, t.startchar)
        for t in analyzer(text, mode="index", positions=True, chars=True)
    ]
    assert tokens == [("arme", 0, 4), ("ukrain", 1, 12), ("ukrain", 2, 25)]
    assert analyzer.term_positions(text) == {
        "arme": [(0, 4, 9)],
        "ukrain": [(1, 12, 19), (2, 25, 32)],
    }
    assert analyzer.words(text) == {"armes": "armes", "ukraine": "Ukraine"}


def test_indexing_collects_each_words_first_spelling() -> None:
    analyzer = french_analyzer()
    analyzer.collector = {}
    analyzer.term_occurrences("Sécurité des réseaux")  # an article's title, then its body
    analyzer.term_occurrences("la sécurité, SÉCURITÉ, Réseaux et réseau d’Ukraine")
    assert analyzer.collector == {
        "securite": "Sécurité",
        "reseaux": "réseaux",
        "reseau": "réseau",
        "ukraine": "Ukraine",
    }


def test_stop_words_leave_no_gap_so_phrases_match() -> None:
    positions = [t.pos for t in french_analyzer()("Corée du Sud", mode="query", positions=True)]
    assert positions == [0, 1]


def test_nfd_text_indexes_like_nfc() -> None:
    # a decomposed accent (e + U+0301) must not split the word
    assert stems("se\u0301curite\u0301") == stems("sécurité")


def test_query_words_gives_exact_form_and_stem() -> None:
    assert query_words("l’Armée des États-Unis") == [
        ("armee", "armé"),
        ("etats", "etat"),
        ("unis", "unis"),
    ]


def test_empty_and_punctuation_only_text_yield_no_tokens() -> None:
    assert stems("") == []
    assert stems("… — « » !!!") == []
    assert stems("le la les") == []


def test_analyzer_pickles_and_compares_equal() -> None:
    # Whoosh pickles the analyzer into the schema and compares it when opening the index.
    analyzer = french_analyzer()
    clone = pickle.loads(pickle.dumps(analyzer))
    assert clone == analyzer
    assert texts(clone, "Sécurité", mode="index") == texts(analyzer, "Sécurité", mode="index")


def test_e_acute_endings_keep_their_meaning_without_accents() -> None:
    # fold-then-stem alone would give "armee" -> "arme": "armée" (army) would find "arme" (weapon)
    assert stems("armée") == stems("armee") == stems("ARMÉE")
    assert stems("armée") != stems("arme")
    # ... and the stemmer still brings the participles together, accents or not
    assert stems("occupée") == stems("occupé") == stems("occupee") == stems("occupe")
    assert stems("sécurités") == stems("securite")


def test_third_person_plural_is_a_form_of_its_verb() -> None:
    # Snowball leaves "-ent" alone (it also ends "client", "différent"): "demandent" was a word
    # of its own, apart from "demander", "demandé", "demande"
    assert stems("demandent") == stems("demander") == stems("demandées") == stems("demande")
    assert stems("utilisent") == stems("utiliser") and stems("modifient") == stems("modifié")
    # nouns and adjectives in -ent keep their plural and feminine ...
    assert stems("différent") == stems("différents") and stems("clients") == stems("client")
    assert stems("récent") == stems("récente") == stems("récents")
    # ... and -ment stays Snowball's
    assert stems("moment") == stems("moments") and stems("document") == stems("documents")


def test_plural_past_participles_in_us_are_their_singular() -> None:
    # Snowball keeps the "s" after "u" ("virus"): "perdus" was apart from "perdu", "perdue"
    assert stems("perdus") == stems("perdu") == stems("perdue") == stems("perdues")
    assert stems("connus") == stems("connue") and stems("prévus") == stems("prévu")
    # singulars whose feminine is in -use keep it
    assert stems("inclus") == stems("incluse") and stems("confus") == stems("confuse")


def test_nouns_in_sion_are_not_their_verb() -> None:
    assert stems("précision") == stems("précisions") != stems("préciser")
    assert stems("compression") != stems("compressé") and stems("version") == stems("versions")


def test_adjectives_in_ent_are_not_read_as_verbs() -> None:
    # read as third persons plural, "violent" joined "viol" and "violer", "content" joined
    # "conte", and "présent", "équivalent" left their feminine and plural
    assert stems("violent") == stems("violente") == stems("violents") != stems("violer")
    assert stems("content") == stems("contente") != stems("conte")
    assert stems("présent") == stems("présente") == stems("présentes")
    assert stems("équivalent") == stems("équivalente") and stems("fréquent") == stems("fréquentes")
    assert stems("différent") == stems("différente") == stems("différents")
    # the verbs' third persons plural keep their reading
    assert stems("demandent") == stems("demander") and stems("présentent") == stems("présenter")


def test_indexing_loses_no_word_when_a_search_thread_clears_the_word_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the app's watcher indexes while searches run in other threads; a search past the word
    # cache's bound clears it, which made the update fail with a KeyError on a word it had
    # just analysed
    text = "Les wombats mangent des racines, l'hiver surtout."
    expected = FrenchAnalyzer().term_positions(text)
    analysis._EXPANSIONS.clear()
    real = FrenchAnalyzer._expand_index_words

    def expand_then_cleared(self: FrenchAnalyzer, words: list[str]) -> object:
        found = real(self, words)
        analysis._EXPANSIONS.clear()  # another thread, meanwhile
        return found

    monkeypatch.setattr(FrenchAnalyzer, "_expand_index_words", expand_then_cleared)
    assert FrenchAnalyzer().term_positions(text) == expected
