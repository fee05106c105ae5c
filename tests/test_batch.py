"""``fouille search --batch``: one JSON line per input line, in order, whatever the lines hold.

In-process ``main`` with a batch file for most tests; one real process for stdin and the exit
code a shell sees.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from search.batch import MAX_LINE_BYTES
from search.cli import main
from search.errors import ExitCode
from search.query import MAX_QUERY_CHARS
from tests.support.processes import loc


@pytest.fixture(scope="module")
def where(seeds_index: tuple[Path, Path]) -> list[str]:
    return loc(*seeds_index)


def run_batch(
    where: list[str], tmp_path: Path, lines: bytes, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, list[dict]]:
    queries = tmp_path / "queries.txt"
    queries.write_bytes(lines)
    code = main(["search", "--batch", str(queries), *extra, *where])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def single(where: list[str], query: str, capsys: pytest.CaptureFixture[str]) -> dict:
    main(["search", "--json", query, *where])
    return json.loads(capsys.readouterr().out)


def test_answers_come_in_input_order_with_the_json_schema(
    where: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = ["otan", "Stoltenberg", "corée du sud", "zzzzqqq", "otan"]
    code, answers = run_batch(where, tmp_path, "\n".join(queries).encode() + b"\n", capsys)
    assert code == ExitCode.OK
    assert [a["query"] for a in answers] == queries
    alone = single(where, "Stoltenberg", capsys)
    assert set(answers[1]) == set(alone)  # the --json schema, took_ms included
    assert [h["id"] for h in answers[1]["hits"]] == [h["id"] for h in alone["hits"]]
    assert answers[1]["total"] == alone["total"] > 0
    assert answers[3]["total"] == 0 and answers[3]["hits"] == []
    assert answers[0]["hits"] == answers[4]["hits"]
    assert all(a["took_ms"] >= 0 for a in answers)


def test_a_bad_query_mid_batch_gets_an_error_object_and_the_batch_goes_on(
    where: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = b"otan\n*\ndate:2023-13-45\nStoltenberg\n"
    code, answers = run_batch(where, tmp_path, lines, capsys)
    assert [a["query"] for a in answers] == ["otan", "*", "date:2023-13-45", "Stoltenberg"]
    for bad in answers[1:3]:
        assert bad["exit_code"] == ExitCode.USAGE
        assert bad["error"] and "hits" not in bad
    assert answers[0]["hits"] and answers[3]["hits"]
    assert code == ExitCode.USAGE  # the first error's code: a script can tell something failed


def test_empty_lines_are_answered_not_skipped(
    where: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = b'otan\n\n   \r\nStoltenberg\r\n"\n'
    _code, answers = run_batch(where, tmp_path, lines, capsys)
    assert len(answers) == 5
    assert answers[1] == {**answers[1], "query": "", "exit_code": ExitCode.USAGE}
    assert "empty query" in answers[1]["error"]
    assert answers[2]["query"] == "   " and answers[2]["exit_code"] == ExitCode.USAGE
    assert answers[3]["query"] == "Stoltenberg" and answers[3]["hits"]  # \r\n endings too
    assert answers[4]["exit_code"] == ExitCode.USAGE and "empty query" in answers[4]["error"]


def test_huge_lines_are_refused_on_their_line_without_reading_them_whole(
    where: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_query = "otan " * (MAX_QUERY_CHARS // 5 + 1)
    huge = b"x" * (MAX_LINE_BYTES * 3 + 7)
    lines = b"otan\n" + long_query.encode() + b"\n" + huge + b"\nStoltenberg"  # no final \n
    code, answers = run_batch(where, tmp_path, lines, capsys)
    assert code == ExitCode.USAGE
    assert len(answers) == 4
    assert answers[1]["exit_code"] == ExitCode.USAGE and "too long" in answers[1]["error"]
    assert answers[2]["exit_code"] == ExitCode.USAGE and "longer than" in answers[2]["error"]
    assert len(answers[2]["query"]) < 300  # quoted back shortened
    assert answers[0]["hits"] and answers[3]["hits"]


def test_options_apply_to_every_query_and_words_are_refused(
    where: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, answers = run_batch(where, tmp_path, b"otan\nsud\n", capsys, "--limit", "1")
    assert code == ExitCode.OK
    assert [len(a["hits"]) for a in answers] == [1, 1]
    assert main(["search", "--batch", "q.txt", "otan", *where]) == ExitCode.USAGE
    assert capsys.readouterr().err == (  # the help to read is the search command's
        "fouille: error: --batch reads the queries from its input, not the command line "
        "(see: fouille search --help)\n"
    )
    assert main(["search", "--batch", "q.txt", "--format", "csv", *where]) == ExitCode.USAGE
    assert capsys.readouterr().err == (
        "fouille: error: --batch writes JSON lines, not --format csv (see: fouille search --help)\n"
    )


def test_a_missing_batch_file_is_one_error_line(
    where: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["search", "--batch", str(tmp_path / "absent.txt"), *where])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert err.startswith("fouille: error: cannot read the batch file")
    assert len(err.splitlines()) == 1


def test_stdin_batch_in_a_real_process(where: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "search", "search", "--batch", *where],
        input="Stoltenberg\nzzzzqqq\n\xe9t\xe9\n".encode() + b"caf\xff\n",
        capture_output=True,
        timeout=60,
    )
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == ExitCode.OK, done.stderr
    assert [a["query"] for a in answers] == ["Stoltenberg", "zzzzqqq", "été", "caf\ufffd"]
    assert answers[0]["hits"]
