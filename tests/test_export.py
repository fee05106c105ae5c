"""``fouille search --format csv|markdown|jsonl``: a hit list a journalist can paste into notes
or open in a spreadsheet (title, date, source, path, id, score), parsed back here with the
same libraries a reader would use."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from search.cli import main
from search.errors import ExitCode
from search.export import COLUMNS
from tests.support.corpora import make_corpus

PIPE_TITLE = "Budget | dépenses\x1b[2J de l’OTAN, « chiffres »"


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("export")
    corpus = make_corpus(
        root, {"tableau.txt": f"{PIPE_TITLE}\n\nPublié le 3 mars 2023.\n\nOTAN.\n"}
    )
    location = ["--corpus", str(corpus), "--index", str(root / "index")]
    assert main(["index", *location]) == ExitCode.OK
    return location


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == ExitCode.OK
    return capsys.readouterr().out


def reference(capsys: pytest.CaptureFixture[str], location: list[str]) -> list[dict]:
    return json.loads(run(capsys, "search", "otan", "--json", *location))["hits"]


def test_csv_has_a_header_and_one_row_per_hit(
    location: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    hits = reference(capsys, location)
    rows = list(
        csv.DictReader(io.StringIO(run(capsys, "search", "otan", "--format", "csv", *location)))
    )
    assert tuple(rows[0]) == COLUMNS == ("rank", "title", "date", "source", "path", "id", "score")
    assert [r["id"] for r in rows] == [h["id"] for h in hits]
    assert [r["title"] for r in rows] == [h["title"] for h in hits]
    assert [r["date"] for r in rows] == [h["date"] or "" for h in hits]
    assert [float(r["score"]) for r in rows] == [h["score"] for h in hits]
    assert all(r["source"] == "" for r in rows)  # no article names its source yet
    row = next(r for r in rows if r["id"] == "tableau.txt")
    assert row["title"] == PIPE_TITLE.replace("\x1b[2J", "")  # cleaned at load, commas kept
    assert row["date"] == "2023-03-03"
    assert Path(row["path"]).name == "tableau.txt"


def test_markdown_is_a_table_with_escaped_pipes(
    location: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    hits = reference(capsys, location)
    lines = run(capsys, "search", "otan", "--format", "markdown", *location).splitlines()
    assert lines[0] == "| rank | title | date | source | path | id | score |"
    assert lines[1].startswith("|---:|---|")
    assert len(lines) == 2 + len(hits)
    table_row = next(line for line in lines if "tableau.txt" in line)
    assert "Budget \\| dépenses" in table_row
    # a row splits into exactly the seven columns once escaped pipes are set aside
    assert len(table_row.replace("\\|", "").strip("|").split("|")) == len(COLUMNS)


def test_jsonl_is_one_hit_object_per_line(
    location: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    hits = reference(capsys, location)
    objects = [
        json.loads(line)
        for line in run(capsys, "search", "otan", "--format", "jsonl", *location).splitlines()
    ]
    assert [o["id"] for o in objects] == [h["id"] for h in hits]
    assert all(o["source"] is None and o["title"] for o in objects)


def test_json_alias_and_format_json_agree(
    location: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    as_alias = json.loads(run(capsys, "search", "otan", "--json", *location))
    as_format = json.loads(run(capsys, "search", "otan", "--format", "json", *location))
    assert [h["id"] for h in as_alias["hits"]] == [h["id"] for h in as_format["hits"]]


def test_no_hit_exports_the_header_only_and_exits_1(
    location: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "xylophone", "--format", "csv", *location]) == ExitCode.NO_HITS
    assert capsys.readouterr().out == ",".join(COLUMNS) + "\n"
