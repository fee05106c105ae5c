"""Facets: the hits per month and per source, from the engine, the CLI and the app's timeline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from search.cli import main
from search.engine import Engine
from search.facets import month_filter
from tests.support.pilot import settle
from tui.app import create_app
from tui.screens.search_screen import SearchScreen
from tui.widgets.timeline import LABEL, Timeline

FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats" / "corpus"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The seven format fixtures: dated 2021-06 to 2024-03, two of 2023-12, four with a source."""
    root = tmp_path_factory.mktemp("facets")
    shutil.copytree(FORMATS, root / "corpus")
    engine = Engine(root / "corpus", root / "index")
    engine.update(full=True)
    return engine


def test_facets_of_the_whole_index(engine: Engine) -> None:
    facets = engine.facets("")
    assert facets.total == 7
    assert facets.months == (
        ("2021-06", 1),
        ("2022-09", 1),
        ("2023-11", 1),
        ("2023-12", 2),
        ("2024-01", 1),
        ("2024-03", 1),
    )
    assert facets.sources == (
        ("Carnet de terrain", 1),
        ("Le Monde", 1),
        ("Le Monde diplomatique", 1),
        ("Éditions du Large", 1),
    )
    assert (facets.undated, facets.unsourced) == (0, 3)


def test_facets_count_only_the_matching_articles_within_the_date_filter(engine: Engine) -> None:
    facets = engine.facets("source:monde")
    assert facets.months == (("2023-12", 2),)
    assert [s for s, _ in facets.sources] == ["Le Monde", "Le Monde diplomatique"]
    assert engine.facets("date:2023").total == 3
    assert engine.facets("permaculture date:2023").total == 0
    assert engine.facets("le la").total == 0  # stop words only: the search finds nothing either


def test_month_filter_replaces_any_date_filter() -> None:
    assert month_filter("budget date:2024", "2023-12") == "budget date:2023-12"
    assert month_filter("", "2023-12") == "date:2023-12"


def test_cli_facets_text_and_json(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--corpus", str(engine.corpus), "--index", str(engine.index_dir)]
    assert main([*where, "search", "--facets", "source:monde"]) == 0
    out = capsys.readouterr().out
    assert "per month (2 articles):" in out
    assert "  2023-12  " in out and "██ 2" in out
    assert "  Le Monde diplomatique  1" in out
    assert main([*where, "search", "--json", "--facets", "source:monde"]) == 0
    facets = json.loads(capsys.readouterr().out)["facets"]
    assert facets["months"] == [{"month": "2023-12", "count": 2}]
    assert facets["total"] == 2 and facets["undated"] == 0
    assert main([*where, "search", "--json", "source:monde"]) == 0
    assert "facets" not in json.loads(capsys.readouterr().out)  # only when asked for


async def searched(pilot: Pilot, query: str) -> tuple[SearchScreen, Timeline]:
    """The app's screen after searching ``query``, and its timeline."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    screen.query_input.value = query
    await settle(pilot)
    return screen, screen.query_one(Timeline)


async def test_timeline_key_and_enter_filter_the_hits_by_month(engine: Engine) -> None:
    app = create_app(engine.corpus, engine.index_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        screen, timeline = await searched(pilot, "saisonniers OR hydrogène OR permaculture")
        assert timeline.display
        assert timeline.counts[0] == ("2022-09", 1) and timeline.counts[-1] == ("2024-03", 1)
        assert len(timeline.counts) == 19  # every month of the range, gaps included
        screen.hit_list.focus()
        await pilot.press("t")
        assert screen.focused is timeline
        assert timeline.month == "2024-03"
        for _ in range(4):  # back to 2023-11 (the DOCX)
            await pilot.press("left")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_input.value == "saisonniers OR hydrogène OR permaculture date:2023-11"
        assert [hit.id for hit in screen.hit_list.hits] == ["saisonniers.docx"]


async def test_timeline_click_filters_by_the_clicked_month(engine: Engine) -> None:
    app = create_app(engine.corpus, engine.index_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        screen, timeline = await searched(pilot, "source:monde OR permaculture")
        assert [m for m, _ in timeline.counts[:1]] == ["2023-12"]
        await pilot.click(Timeline, offset=(1 + len(LABEL), 0))  # padding, label, first bar
        await settle(pilot)
        assert screen.query_input.value.endswith("date:2023-12")
        assert sorted(hit.id for hit in screen.hit_list.hits) == ["budget.html", "vendanges.txt"]
