"""The app's rough edges for daily use (issue 11): each test failed before its fix.

The apps run on the five seeds (copied to a temporary folder, index built once per module and
copied per test), driven through Pilot; assertions read what the terminal shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.corpora import make_corpus
from tests.support.pilot import Notifications, app_on_copy, rendered, settle, started
from tui.app import FouilleApp, create_app

SIZE = (120, 36)


@pytest.fixture
def app(seeds_index: tuple[Path, Path], tmp_path: Path) -> FouilleApp:
    return app_on_copy(*seeds_index, tmp_path)


async def test_the_top_hit_is_scrolled_to_its_first_match(app: FouilleApp) -> None:
    # "adversaires" is on the 80th row of its article at this size: the reader must scroll
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press(*"adversaires")
        await settle(pilot)
        assert screen.reader.border_subtitle == "match 1/1"
        assert screen.reader.scroll_y > 0
        assert "adversaires" in rendered(screen.reader)


@pytest.mark.parametrize("width", [100, 140])
@pytest.mark.parametrize("pane", ["hits", "reader"])
async def test_zoom_fits_the_screen_at_100_columns_and_more(
    app: FouilleApp, width: int, pane: str
) -> None:
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await started(pilot)
        screen.query_input.value = "OTAN"
        await settle(pilot)
        await pilot.press("enter", *(["enter"] if pane == "reader" else []), "z")
        await settle(pilot)
        zoomed = screen.reader if pane == "reader" else screen.hit_list
        assert screen.maximized is zoomed
        assert zoomed.region.width == width
        rows = rendered(zoomed).splitlines()
        assert rows[0].startswith("╭") and rows[0].endswith("╮")
        assert all(row.endswith("│") for row in rows[1:-1]), rows  # the right border is drawn
        assert rows[-1].startswith("╰") and rows[-1].endswith("╯")
        if pane == "reader":  # words wrap whole at the zoomed width
            body = " ".join(row[2:-2].strip() for row in rows[1:-1])
            article = app.engine.article(screen.reader.doc_id or "")
            words = set(f"{article.title} {article.text} undated".split())
            cut = [w for w in body.split() if w.isalpha() and len(w) > 3 and w not in words]
            assert not cut, cut


async def test_sort_by_date_shows_the_newest_at_the_top(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(24):  # day n: the relevance order and the date order differ
        (corpus / f"d{n:02d}.txt").write_text(
            f"Dépêche numéro {n}\nPublié le {n + 1} mars 2023\n" + "Corée " * (1 + n % 5) + "\n",
            encoding="utf-8",
        )
    app = create_app(corpus, tmp_path / "index")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(pilot)
        screen.query_input.value = "Corée"
        await settle(pilot)
        await pilot.press("enter", *["down"] * 12, "s")
        await settle(pilot)
        newest = screen.hit_list.hits[0]
        assert newest.date is not None and newest.date.isoformat() == "2023-03-24"
        assert screen.hit_list.highlighted == 0
        assert screen.reader.doc_id == newest.id
        assert "2023-03-24  Dépêche numéro 23" in rendered(screen.hit_list)


async def test_an_empty_query_lists_the_newest_articles(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        newest = app.engine.newest(limit=50)
        assert [hit.id for hit in screen.hit_list.hits] == [hit.id for hit in newest.hits]
        assert "Newest of 5 articles" in rendered(screen.hit_list)
        assert newest.hits[0].title[:20] in rendered(screen.hit_list)
        assert screen.reader.doc_id == newest.hits[0].id
        screen.query_input.value = "Stoltenberg"
        await settle(pilot)
        assert screen.result is not None and screen.result.query == "Stoltenberg"
        await pilot.press("escape")  # clears the query: back to the newest
        await settle(pilot)
        assert [hit.id for hit in screen.hit_list.hits] == [hit.id for hit in newest.hits]


async def test_the_app_follows_the_folder_and_says_what_changed(tmp_path: Path) -> None:
    app = create_app(make_corpus(tmp_path), tmp_path / "index")
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        screen = await started(pilot)
        for _ in range(600):  # the watcher catches up with the folder, then watches
            if screen.watching.is_set():
                break
            await pilot.pause(0.05)
        assert screen.watching.is_set()
        screen.query_input.value = "zorglub"
        await settle(pilot)
        assert screen.result is not None and screen.result.total == 0
        (app.engine.corpus / "zz-zorglub.txt").write_text(
            "Le retour du zorglub\n\nPublié le 2 mars 2025\n\nLe zorglub est revenu.\n", "utf-8"
        )
        for _ in range(600):
            await pilot.pause(0.05)
            if screen.result is not None and screen.result.total == 1:
                break
        await settle(pilot)
        assert [hit.id for hit in screen.hit_list.hits] == ["zz-zorglub.txt"]
        assert "Le retour du zorglub" in rendered(screen.hit_list)
        assert any(n.title == "Folder changed" and n.message == "1 article added" for n in notes)


# Getting work out of the app.


async def test_o_opens_the_article_in_the_editor(
    app: FouilleApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = tmp_path / "opened.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n', encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.query_input.value = "adversaires"
        await settle(pilot)
        await pilot.press("enter", "o")
        await settle(pilot)
        hit = screen.hit_list.hits[0]
        assert opened.read_text(encoding="utf-8") == str(app.engine.article(hit.id).path)
        assert Path(opened.read_text(encoding="utf-8")).is_file()


def test_other_formats_go_to_the_system_opener(tmp_path: Path) -> None:
    from tui.opener import open_command

    env = {"EDITOR": "vim"}
    assert open_command(tmp_path / "a.txt", env).argv == ["vim", str(tmp_path / "a.txt")]  # type: ignore[union-attr]
    command = open_command(tmp_path / "a.pdf", env)
    assert command is None or (command.argv[0] in ("xdg-open", "open") and not command.in_terminal)


async def test_c_copies_the_path_and_e_exports_the_list(app: FouilleApp, tmp_path: Path) -> None:
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        screen = await started(pilot)
        screen.export_dir = tmp_path
        screen.query_input.value = "OTAN"
        await settle(pilot)
        await pilot.press("enter", "c")
        hit = screen.hit_list.hits[0]
        path = str(app.engine.article(hit.id).path)
        assert app.clipboard == path
        assert any(n.title == "Path copied" and n.message == path for n in notes)
        await pilot.press("e")
        exported = [n for n in notes if n.title.endswith("hits exported")]
        assert exported
        target = Path(exported[-1].message)
        assert target.parent == tmp_path and target.name.startswith("fouille-otan-")
        table = target.read_text(encoding="utf-8").splitlines()
        assert table[0].startswith("| rank | title | date | source | path |")
        assert len(table) == 2 + len(screen.hit_list.hits)
        assert hit.title[:20] in table[2]


async def test_v_toggles_the_spelling_variants(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.query_input.value = "Kiev"  # the seeds write Kyiv
        await settle(pilot)
        assert screen.result is not None
        with_variants = screen.result.total
        months_with = screen.timeline.counts
        await pilot.press("enter", "v")
        await settle(pilot)
        assert not screen.variants
        assert screen.result.total < with_variants
        assert screen.result.total == app.engine.search("Kiev", variants=False).total
        # the timeline counts the same articles as the list
        without = app.engine.facets("Kiev", variants=False)
        assert screen.timeline.counts != months_with
        assert sum(count for _, count in screen.timeline.counts) == sum(
            count for _, count in without.months
        )
        await pilot.press("v")
        await settle(pilot)
        assert screen.result.total == with_variants
