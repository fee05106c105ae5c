"""The app honours the settings in force (flag > environment > settings file > default), as
the CLI does: the hits' sort order, the spelling variants and how many hits a page loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search.settings import load_settings, open_engine
from tests.support.pilot import Notifications, rendered, settle, started
from tui.app import FouilleApp

SIZE = (120, 36)


def app_with_settings(
    seeds_index: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: str,
    **flags: object,
) -> FouilleApp:
    corpus, index = seeds_index
    shutil.copytree(index, tmp_path / "index")
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    monkeypatch.setenv("FOUILLE_CONFIG", str(tmp_path / "config.toml"))
    settings = load_settings({"corpus": corpus, "index": tmp_path / "index", **flags})
    return FouilleApp(open_engine(settings), settings, watch=False)


async def test_the_settings_file_sets_sort_variants_and_page(
    seeds_index: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with_settings(
        seeds_index, tmp_path, monkeypatch, 'sort = "date"\nvariants = false\nlimit = 2\n'
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.query_input.value = "OTAN"
        await settle(pilot)
        assert screen.result is not None and screen.result.total > 2
        assert len(screen.hit_list.hits) == 2  # a page of `limit` hits
        assert "sorted by date" in rendered(screen.status)
        dates = [hit.date for hit in screen.hit_list.hits]
        assert None not in dates and dates == sorted(dates, reverse=True)  # type: ignore[type-var]
        screen.query_input.value = "Kiev"  # the seeds write Kyiv: found only through variants
        await settle(pilot)
        assert not screen.variants
        assert screen.result.total == app.engine.search("Kiev", variants=False).total
        assert screen.result.total < app.engine.search("Kiev").total


async def test_a_flag_beats_the_settings_file(
    seeds_index: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with_settings(seeds_index, tmp_path, monkeypatch, 'sort = "date"\n', sort="relevance")
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.query_input.value = "OTAN"
        await settle(pilot)
        assert screen.sort == "relevance" and "sorted by relevance" in rendered(screen.status)
        assert len(screen.hit_list.hits) == screen.result.total  # default page: 50, all of them


async def test_s_on_the_newest_list_says_it_stays_by_date(
    seeds_index: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with_settings(seeds_index, tmp_path, monkeypatch, "")
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        screen = await started(pilot)
        newest = [hit.id for hit in screen.hit_list.hits]
        assert newest and "Newest of" in rendered(screen.hit_list)
        await pilot.press("tab")  # to the hit list
        for sort in ("date", "relevance"):
            await pilot.press("s")
            await settle(pilot)
            said = notes[-1].message
            assert not said.startswith("Sorted by")  # it was "Sorted by relevance"
            assert said.endswith(f"searches will sort by {sort}.")
            assert [hit.id for hit in screen.hit_list.hits] == newest
            assert "sorted by date" in rendered(screen.status)  # the newest list is by date
        screen.query_input.value = "OTAN"  # the key set the order of the next search
        await settle(pilot)
        assert "sorted by relevance" in rendered(screen.status)
