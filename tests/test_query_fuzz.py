"""Whatever a user types — arbitrary Unicode, operators, quotes, brackets, field names, huge
strings — a search either answers or fails with a one-line QueryError (exit code 2 in the CLI).
Never another exception, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search.cli import main
from search.engine import Engine
from search.errors import ExitCode, QueryError
from tests.support.corpora import make_corpus

PIECES = st.sampled_from(
    [
        "otan",
        "Stoltenberg",
        "armée",
        "l'OTAN",
        "d’armes",
        "États-Unis",
        "100 000",
        "œuvre",
        "AND",
        "OR",
        "NOT",
        "ET",
        "OU",
        "SAUF",
        "and",
        "-",
        "+",
        "--",
        "-otan",
        "+otan",
        '"',
        '"',
        "'",
        "«",
        "»",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "<",
        ">",
        "/",
        "\\",
        "title:",
        "titre:",
        "body:",
        "texte:",
        "date:",
        "id:",
        "path:",
        "inconnu:",
        ":",
        "date:2024",
        "date:2023-01..2023-06-30",
        "date:..",
        "date:2023-02-30",
        "date:9999-99",
        "*",
        "?",
        "ot*",
        "*tan",
        "o?an",
        "~",
        "otan~",
        "otan~2",
        "otan~99",
        "^",
        "otan^3",
        "TO",
        "[a TO z]",
        "{1 TO 2}",
        "..",
        "!",
        "&&",
        "||",
        "%",
        "$",
        "#",
        "@",
        ";",
        ",",
        "\x00",
        "\x1b[31m",
        "\u202e",
        "\u200b",
        "\ufeff",
        "\t",
        "\n",
        "e\u0301",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "日本語",
        "🙂",
        " ",
        "  ",
    ]
)
TOKEN_QUERIES = st.lists(PIECES, max_size=12).map(lambda parts: " ".join(parts))
JOINED_QUERIES = st.lists(PIECES, max_size=12).map("".join)
ANY_TEXT = st.text(max_size=200)
LONG = st.integers(min_value=1, max_value=5000).map(lambda n: ("otan " * n)[: n * 3])
QUERIES = st.one_of(TOKEN_QUERIES, JOINED_QUERIES, ANY_TEXT, LONG)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("fuzz")
    corpus = make_corpus(root)
    Engine(corpus, root / "index").update(full=True)
    return corpus, root / "index"


@pytest.fixture(scope="module")
def engine(indexed: tuple[Path, Path]) -> Engine:
    engine = Engine(*indexed)
    yield engine  # type: ignore[misc]
    engine.close()


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=QUERIES, sort=st.sampled_from(["relevance", "date"]))
@example(query="x" * 100_000, sort="relevance")
@example(query='"' * 3 + "(" * 50, sort="relevance")
@example(query="NOT NOT NOT", sort="date")
@example(query="title: date: *", sort="relevance")
def test_search_answers_or_raises_a_one_line_query_error(
    engine: Engine, query: str, sort: str
) -> None:
    try:
        result = engine.search(query, limit=5, sort=sort)  # type: ignore[arg-type]
    except QueryError as error:
        message = str(error)
        assert message and "\n" not in message and "Traceback" not in message
        return
    assert result.total >= len(result.hits)
    for hit in result.hits:
        for start, end in hit.snippet_spans:
            assert 0 <= start < end <= len(hit.snippet)
        engine.match_spans(hit.id, result.highlight_terms)  # what the reader highlights


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=st.one_of(TOKEN_QUERIES, JOINED_QUERIES, ANY_TEXT))
def test_cli_search_exits_0_1_or_2_with_one_line_error(
    indexed: tuple[Path, Path], query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, index = indexed
    code = main(["search", query, "--corpus", str(corpus), "--index", str(index)])
    out, err = capsys.readouterr()
    assert code in (ExitCode.OK, ExitCode.NO_HITS, ExitCode.USAGE), (code, err)
    assert "Traceback" not in err
    if code == ExitCode.USAGE:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("fouille: "), err
    assert "\x1b" not in out and "\x00" not in out and "\u202e" not in out
