"""The query language: operators (English and French), phrases, prefixes, fields, dates, typos,
and malformed input."""

from __future__ import annotations

import pytest

from search.engine import Engine
from search.errors import QueryError

JAPON = "001_a870f075dd85313d.txt"
GAZETTE = "003_531aa19bda4f2adf.txt"
NUCLEAIRE = "dates/printemps.txt"


def found(engine: Engine, query: str) -> set[str]:
    return {h.id for h in engine.search(query, limit=100).hits}


def test_or_and_ou_are_the_same_operator(engine: Engine) -> None:
    either = found(engine, "musée OR Japon")
    assert either == found(engine, "musée OU Japon")
    assert {"stem/arme-seule.txt", JAPON} <= either
    assert not engine.search("musée OU Japon").fallback


def test_and_et_require_every_word_without_fallback(engine: Engine) -> None:
    result = engine.search("musée ET Japon")
    assert result.total == 0 and not result.fallback
    assert found(engine, "Japon AND Stoltenberg") == found(engine, "Japon ET Stoltenberg")


def test_lowercase_ou_et_are_stop_words_not_operators(engine: Engine) -> None:
    assert found(engine, "Japon ou Corée") == found(engine, "Japon Corée")


@pytest.mark.parametrize("negation", ["OTAN SAUF Japon", "OTAN NOT Japon", "OTAN -Japon"])
def test_negation(engine: Engine, negation: str) -> None:
    hits = found(engine, negation)
    assert hits and JAPON not in hits
    assert hits == found(engine, "OTAN SAUF Japon")


def test_parentheses_group(engine: Engine) -> None:
    # the museum article with "épée" goes, the other stays
    expected = found(engine, "Japon") | {"stem/armes-exactes.txt"}
    assert found(engine, "(musée OU Japon) SAUF épée") == expected


def test_phrase_is_inflection_and_accent_tolerant_and_allows_stop_words(engine: Engine) -> None:
    assert GAZETTE in found(engine, '"partenariat strategique"')
    assert GAZETTE in found(engine, '"partenariats stratégiques"')
    assert found(engine, '"Corée du Sud"') == found(engine, '"coree du sud"')
    # word order matters in a phrase
    assert GAZETTE not in found(engine, '"strategique partenariat"')


def test_prefix_is_folded_not_stemmed(engine: Engine) -> None:
    hits = found(engine, "secur*")
    assert hits == found(engine, "sécur*")
    assert hits >= found(engine, "sécurité")
    assert found(engine, "musé*") == {"stem/arme-seule.txt", "stem/armes-exactes.txt"}


def test_title_field(engine: Engine) -> None:
    assert found(engine, "title:Japon") == {JAPON}
    assert found(engine, "titre:japon") == {JAPON}


@pytest.mark.parametrize(
    ("date_filter", "expected"),
    [
        ("date:2024", {GAZETTE}),
        ("date:2024-06", {GAZETTE}),
        ("date:2024-06-21", {GAZETTE}),
        ("date:2023-03", {NUCLEAIRE}),
        (
            "date:2023-01-01..2023-06-30",
            {NUCLEAIRE, "000_9fdfbce118744794.txt", "004_06adbffbd8b422e2.txt"},
        ),
        ("date:2024..", {GAZETTE}),
    ],
)
def test_date_filters(engine: Engine, date_filter: str, expected: set[str]) -> None:
    assert found(engine, date_filter) == expected


def test_date_filter_combines_with_words(engine: Engine) -> None:
    assert found(engine, "OTAN date:2024") == {GAZETTE}
    assert found(engine, "centrale date:2024") == set()


@pytest.mark.parametrize("bad", ["date:hier", "date:2024-13", "date:..", "date:2023-02-30"])
def test_invalid_dates_are_rejected_with_a_hint(engine: Engine, bad: str) -> None:
    with pytest.raises(QueryError, match="date:2024, date:2023-01"):
        engine.search(bad)


def test_a_reversed_date_range_is_refused_not_silently_empty(engine: Engine) -> None:
    with pytest.raises(QueryError, match=r"^reversed date range: date:2024\.\.2023 ") as error:
        engine.search("otan date:2024..2023")
    assert error.value.hint == "the earlier date first: date:2023..2024"
    assert found(engine, "date:2024-06-21..2024-06-21") == {GAZETTE}  # one day is no reversal


def test_typo_tolerance(engine: Engine) -> None:
    assert JAPON in found(engine, "Stoltenbreg~")
    assert found(engine, "Stoltenbreg") == set()


@pytest.mark.parametrize(
    "text", ['"Corée du', "(((", ")))", "title:", '"', "OU", "SAUF", "-", "AND OR"]
)
def test_malformed_queries_never_raise_anything_but_query_error(engine: Engine, text: str) -> None:
    try:
        engine.search(text)
    except QueryError as exc:
        assert "\n" not in str(exc)


def test_unbalanced_quote_still_searches_the_words(engine: Engine) -> None:
    assert found(engine, '"Corée du') >= found(engine, "Corée")


@pytest.mark.parametrize("text", ["*", "a*", "title:*"])
def test_match_everything_wildcards_are_rejected(engine: Engine, text: str) -> None:
    with pytest.raises(QueryError):
        engine.search(text)


def test_a_lone_question_mark_is_punctuation_not_a_wildcard(engine: Engine) -> None:
    assert engine.search("?").hits == []  # French typography: "… 2.10 ?" (issue 8)


def test_huge_query_is_rejected_in_one_line(engine: Engine) -> None:
    with pytest.raises(QueryError, match="query too long") as info:
        engine.search("otan " * 2048)
    assert "\n" not in str(info.value)


def test_stop_words_only_finds_nothing_quietly(engine: Engine) -> None:
    result = engine.search("le la les")
    assert result.total == 0 and result.hits == []


DEEP_QUERIES = {
    "990 brackets": "(" * 990 + "otan" + ")" * 990,
    "500 NOT brackets": "-(" * 500 + "otan" + ")" * 500,
    "300 NOT": "NOT " * 300 + "otan",
}


@pytest.mark.parametrize("query", list(DEEP_QUERIES.values()), ids=list(DEEP_QUERIES))
def test_deep_nesting_is_refused_before_the_parser_recurses(engine: Engine, query: str) -> None:
    with pytest.raises(QueryError, match=r"nested too deeply \(\d+ levels .* limit is 64\)"):
        engine.search(query)


def test_nesting_up_to_the_limit_still_answers(engine: Engine) -> None:
    assert JAPON in found(engine, "(" * 64 + "Japon" + ")" * 64)
    assert JAPON not in found(engine, "Stoltenberg " + "-(" * 31 + "Japon" + ")" * 31)
