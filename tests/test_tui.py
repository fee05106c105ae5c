"""The Textual app as a person uses it: keys pressed through Pilot, assertions on what the
widgets show. Every app runs on a small corpus in a temporary folder (the five seeds plus a few
crafted articles), built once per session and read-only; each test gets its own copy of the
index in tmp_path (tests that change the corpus make their own). The project's index/ is never
touched.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from search.models import Progress, SearchResult
from search.store import write_lock
from tests.support.corpora import APP_ARTICLES, make_corpus
from tests.support.pilot import Notifications, app_on_copy, rendered, settle, started
from tui.app import FouilleApp, create_app
from tui.screens.help_screen import HelpScreen
from tui.screens.search_screen import DEBOUNCE_SECONDS, SearchScreen
from tui.widgets.article_reader import ArticleReader
from tui.widgets.hit_list import HitList
from tui.widgets.index_progress import IndexProgress
from tui.widgets.query_input import QueryInput

SIZE = (120, 36)


@pytest.fixture
def app(app_index: tuple[Path, Path], tmp_path: Path) -> FouilleApp:
    return app_on_copy(*app_index, tmp_path)


async def search(pilot: Pilot, text: str, *, typed: bool = False) -> SearchScreen:
    """Put ``text`` in the query box, key by key when ``typed``, else at once as a paste does
    (pressing each key costs Pilot a few tens of ms), and wait for the results."""
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    if typed:
        await pilot.press(*text)
    else:
        screen.query_input.value = text
    await settle(pilot)
    return screen


def marks(reader: ArticleReader, kind: str = "body") -> dict[tuple[int, int], str]:
    """The highlighted pieces of the reader's ``kind`` rows as {(start, end): "match" or
    "current"}, offsets into the displayed text (pieces cut by a line wrap are joined)."""
    styles = {
        reader.get_visual_style(f"article-reader--{name}"): name for name in ("match", "current")
    }
    found: dict[tuple[int, int], str] = {}
    last: tuple[int, int] | None = None
    previous_end = -1
    for index, (row_kind, start, end) in enumerate(reader.rows):
        if row_kind != kind:
            continue
        for span in reader.row_content(index).spans:
            if span.style in styles:
                piece = (start + span.start, start + span.end)
                wrapped = last is not None and last[1] == previous_end and piece[0] == start
                if wrapped and found.get(last) == styles[span.style]:  # one match, two rows
                    del found[last]
                    piece = (last[0], piece[1])
                found[piece] = styles[span.style]
                last = piece
        previous_end = end
    return found


def spans_with(content: object, style: str) -> list[tuple[int, int]]:
    return [(span.start, span.end) for span in content.spans if span.style == style]  # type: ignore[attr-defined]


# Start-up and status.


async def test_start_builds_the_missing_index_without_blocking(tmp_path: Path) -> None:
    app = create_app(make_corpus(tmp_path, APP_ARTICLES), tmp_path / "index")
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.focused is screen.query_input  # usable while the index builds
        await settle(pilot)
        assert screen.index_ready
        assert app.engine.has_index()
        assert screen.status.documents == 7
        assert "index: 7 documents" in rendered(screen.status)
        assert not screen.query_one(IndexProgress).running
        assert any("full rebuild: 7 added" in n.message for n in notes)


async def test_an_empty_folder_lists_nothing_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    app = create_app(tmp_path / "empty", tmp_path / "index")
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await started(pilot)
        screen = await search(pilot, "otan")
        assert screen.hit_list.hits == []
        assert "No article contains otan" in rendered(screen.notice)
        assert screen.status.documents == 0
        messages = [f"{n.title} {n.message}" for n in notes]
        assert any("The index is empty: no article found in" in m for m in messages), messages
        assert not any(n.severity == "error" or "damaged" in n.message for n in notes), messages


async def test_status_line_counts_hits_and_time(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "Stoltenberg")
        line = rendered(screen.status)
        assert f"{screen.result.total} hits · " in line
        assert " ms · sorted by relevance · index: 7 documents, " in line


# Typing, debounce, stale answers.


async def test_typing_lists_hits_with_highlighted_words(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        (await started(pilot)).debounce = DEBOUNCE_SECONDS
        screen = await search(pilot, "sécurité Corée", typed=True)
        hits = screen.hit_list.hits
        assert hits and screen.result is not None and screen.result.query == "sécurité Corée"
        assert screen.hit_list.highlighted == 0
        prompt = screen.hit_list.get_option_at_index(0).prompt
        marked = [prompt.plain[s:e] for s, e in spans_with(prompt, "bold $text-warning")]
        assert marked and {w.lower() for w in marked} <= {"sécurité", "corée"}
        assert hits[0].title[:20] in prompt.plain
        assert screen.reader.doc_id == hits[0].id  # the reader follows the first hit


async def test_fast_typing_on_a_slow_index_runs_one_search_for_the_final_query(
    app: FouilleApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        queries: list[str] = []
        real_search = app.engine.search

        real_newest = app.engine.newest

        def busy() -> None:  # a slow index: 0.2 s of CPU a search (the pause follows CPU)
            end = time.thread_time() + 0.2
            while time.thread_time() < end:
                pass

        def spy(query: str, **kwargs: object) -> SearchResult:
            queries.append(query)
            busy()  # the pause before a search grows to the debounce
            return real_search(query, **kwargs)  # type: ignore[arg-type]

        def slow_newest(**kwargs: object) -> SearchResult:
            busy()
            return real_newest(**kwargs)  # type: ignore[arg-type]

        app.engine.newest = slow_newest  # type: ignore[method-assign]

        app.engine.search = spy  # type: ignore[method-assign]
        app.screen.debounce = DEBOUNCE_SECONDS  # type: ignore[attr-defined]
        await search(pilot, "otan", typed=False)  # slow searches set the pace
        await search(pilot, "", typed=False)  # (and empty the box: the newest, slow too)
        queries.clear()
        assert app.screen.typing_pause == DEBOUNCE_SECONDS  # type: ignore[attr-defined]
        screen = await search(pilot, "Stoltenberg", typed=True)
        assert queries[-1] == "Stoltenberg"
        assert len(queries) < len("Stoltenberg") // 2  # not one search per keystroke
        assert screen.result is not None and screen.result.query == "Stoltenberg"


async def test_fast_searches_start_without_a_pause(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.debounce = DEBOUNCE_SECONDS
        await search(pilot, "otan", typed=False)  # a few milliseconds on five articles
        assert screen.typing_pause == 0.0  # was 20-50 ms, whatever the search took


async def test_searches_typed_without_a_pause_never_run_at_once(app: FouilleApp) -> None:
    """A keystroke's search waits for the previous one's thread, then runs on the latest
    query: never two at once (they would share the cores and the GIL), the last one wins."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)  # no pause before a search, whatever it takes
        real_search = app.engine.search
        running, most, queries = 0, 0, []
        lock = threading.Lock()

        def counted(query: str, **kwargs: object) -> SearchResult:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            queries.append(query)
            time.sleep(0.1)  # slower than Pilot's keys
            try:
                return real_search(query, **kwargs)  # type: ignore[arg-type]
            finally:
                with lock:
                    running -= 1

        app.engine.search = counted  # type: ignore[method-assign]
        await search(pilot, "")  # an empty box (the newest articles)
        queries.clear()
        await pilot.press(*"Stoltenberg")
        await settle(pilot)
        assert most == 1, queries
        assert queries[-1] == "Stoltenberg"
        assert screen.result is not None and screen.result.query == "Stoltenberg"


async def test_a_slow_stale_search_never_overwrites_a_newer_one(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        release = threading.Event()
        real_search = app.engine.search

        def slow_for_armes(query: str, **kwargs: object) -> SearchResult:
            if query == "armes":
                release.wait(10)
            return real_search(query, **kwargs)  # type: ignore[arg-type]

        app.engine.search = slow_for_armes  # type: ignore[method-assign]
        app.screen.debounce = DEBOUNCE_SECONDS  # type: ignore[attr-defined]
        await pilot.press(*"armes", "enter")  # enter: search now, no debounce
        await pilot.pause(0.05)
        await pilot.press("slash", "escape", *"Corée")
        await pilot.pause(0.3)
        release.set()  # the old search finishes after the new one
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.result is not None and screen.result.query == "Corée"
        assert screen.query_input.value == "Corée"
        coree = {hit.id for hit in app.engine.search("Corée", limit=50).hits}
        assert {hit.id for hit in screen.hit_list.hits} == coree


async def test_clearing_the_query_shows_the_welcome(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "Corée")
        assert screen.hit_list.hits
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_input.value == ""
        assert screen.result is not None and screen.result.query == ""  # the newest articles
        assert "Type a query" in screen.notice.message


# Keyboard navigation.


async def test_keys_move_between_query_hits_and_reader(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "OTAN")
        hits = screen.hit_list.hits
        assert len(hits) >= 3
        await pilot.press("enter")
        assert screen.focused is screen.hit_list
        await pilot.press("j")
        await settle(pilot)
        assert screen.hit_list.highlighted == 1 and screen.reader.doc_id == hits[1].id
        await pilot.press("down")
        await settle(pilot)
        assert screen.reader.doc_id == hits[2].id
        await pilot.press("k", "up")
        await settle(pilot)
        assert screen.hit_list.highlighted == 0 and screen.reader.doc_id == hits[0].id
        await pilot.press("enter")
        assert screen.focused is screen.reader
        await pilot.press("tab")
        assert screen.focused is screen.query_input
        await pilot.press("tab")
        assert screen.focused is screen.hit_list
        assert screen.query_input.history == ["OTAN"]  # Enter put it in the history
        await pilot.press("slash")
        assert screen.focused is screen.query_input
        assert screen.query_input.value == "OTAN"  # "/" moved focus, typed nothing
        await pilot.press("escape")
        assert screen.query_input.value == ""


async def test_escape_outside_the_query_box_returns_to_it(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "OTAN")
        await pilot.press("enter", "escape")
        assert screen.focused is screen.query_input
        assert screen.query_input.value == "OTAN"


async def test_clicking_a_hit_opens_it_in_the_reader(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "OTAN")
        second = screen.hit_list.hits[1]
        rows = rendered(screen.hit_list).splitlines()
        # the first hit ends with a rule across the list; the second starts on the next row
        row = next(y for y, text in enumerate(rows) if y and text.strip("│ ").startswith("───")) + 1
        assert second.title[:10] in rows[row], rows[row]
        await pilot.click(HitList, offset=(4, row))
        await settle(pilot)
        assert screen.reader.doc_id == second.id


async def test_query_history_with_up_and_down(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        for query in ("armes", "Corée"):
            await search(pilot, query)
            await pilot.press("enter")  # settling on a query puts it in the history
            screen.query_input.focus()
        screen.query_input.value = "draft"
        await pilot.press("up")
        assert screen.query_input.value == "Corée"
        await pilot.press("up", "up")  # the oldest stays
        assert screen.query_input.value == "armes"
        await pilot.press("down", "down")
        assert screen.query_input.value == "draft"  # past the newest: what was being typed
        await pilot.press("up")
        await settle(pilot)
        assert screen.result is not None and screen.result.query == "Corée"


# The reader: highlights and match navigation.


async def test_the_new_hits_are_never_drawn_beside_the_previous_article(app: FouilleApp) -> None:
    """The first hit is read with the search and both panes change in one frame: no frame
    shows the new list beside the previous query's article (it was a frame or more, as long
    as reading the article took)."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "Corée")
        before = screen.reader_shows
        read = app.engine.article

        def slow_read(doc_id: str) -> object:  # a long article, a slow disk: frames go by
            time.sleep(0.1)
            return read(doc_id)

        app.engine.article = slow_read  # type: ignore[method-assign]
        frames: list[bool] = []
        display = app._display  # every frame the screen draws goes through it

        def drawn(target: object, update: object) -> None:
            display(target, update)  # type: ignore[arg-type]
            result = screen.result
            if result is not None and result.query == "Stoltenberg":
                first = screen.hit_list.hits[0].id
                frames.append(screen.reader_shows == (first, result.highlight_terms))

        app._display = drawn  # type: ignore[method-assign]
        await search(pilot, "Stoltenberg")
        assert screen.reader_shows != before
        assert frames and all(frames), frames


async def test_reader_highlights_unaccented_query_on_accented_text(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "securite")
        reader = screen.reader
        assert reader.spans
        assert {reader.text[s:e].lower() for s, e in reader.spans} == {"sécurité"}
        lit = marks(reader)
        assert sorted(lit) == reader.spans
        assert list(lit.values()).count("current") == 1
        assert "sécurité" in rendered(reader).lower()


async def test_reader_highlights_stemmed_variants(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "armes")
        ids = [hit.id for hit in screen.hit_list.hits]
        assert "zz-arme.txt" in ids
        await pilot.press("enter", *["j"] * ids.index("zz-arme.txt"))
        await settle(pilot)
        reader = screen.reader
        assert reader.doc_id == "zz-arme.txt"
        assert [reader.text[s:e] for s, e in reader.spans] == ["arme", "arme"]  # title line, text
        assert [reader.title[s:e] for s, e in marks(reader, "title")] == ["arme"]


async def test_n_and_shift_n_walk_the_matches_with_a_counter(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "OTAN")
        await pilot.press("enter")
        reader = screen.reader
        count = len(reader.spans)
        assert count >= 3
        assert reader.counter == f"1/{count}" and reader.border_subtitle == f"match 1/{count}"
        await pilot.press("n", "n")
        assert reader.counter == f"3/{count}"
        lit = marks(reader)
        assert [span for span, kind in lit.items() if kind == "current"] == [reader.spans[2]]
        assert lit[reader.spans[0]] == "match"
        await pilot.press("N")
        assert reader.counter == f"2/{count}"
        await pilot.press("N", "N")  # wraps from the first to the last
        assert reader.counter == f"{count}/{count}"
        await pilot.pause()
        # the last match is on screen: its row lies inside the scrolled window
        row = reader.row_of_offset(reader.spans[-1][0])
        assert reader.text[slice(*reader.spans[-1])] in rendered(reader)
        assert reader.scroll_y <= row < reader.scroll_y + reader.scrollable_content_region.height
        assert reader.scroll_y > 0


# Zero hits, suggestion, fallback.


async def test_zero_hits_offers_the_suggestion_applied_by_one_key(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "Stoltenbreg")
        assert screen.hit_list.hits == []
        assert screen.notice.suggestion == "Stoltenberg"
        assert "No article contains Stoltenbreg." in screen.notice.message
        assert "Did you mean Stoltenberg?" in rendered(screen.notice)
        assert "Did you mean" in {b.binding.description for b in screen.active_bindings.values()}
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert screen.query_input.value == "Stoltenberg"
        assert screen.result is not None and screen.result.total > 0
        assert screen.notice.suggestion is None


async def test_clicking_the_suggestion_applies_it(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "Stoltenbreg")
        await pilot.click("#notice")
        await settle(pilot)
        assert screen.query_input.value == "Stoltenberg"
        assert screen.hit_list.hits


async def test_zero_hits_without_suggestion_says_so(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "xyzzyq")
        assert screen.notice.message == "No article contains xyzzyq."
        assert "no article matches" in rendered(screen.reader)
        await pilot.press("ctrl+y")  # nothing to apply: nothing happens
        assert screen.query_input.value == "xyzzyq"


async def test_any_word_fallback_is_announced(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "Stoltenberg chocolat")
        assert screen.result is not None and screen.result.fallback
        assert screen.hit_list.hits
        assert "No article has all the words of Stoltenberg chocolat" in screen.notice.message


async def test_a_query_error_is_shown_not_raised(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "date:2023-13")
        assert screen.notice.message.startswith("Cannot run this query: invalid date filter")
        assert screen.hit_list.hits == []
        screen = await search(pilot, "(" * 990 + "otan" + ")" * 990)
        assert screen.notice.message.startswith("Cannot run this query: query nested too deeply")
        assert screen.hit_list.hits == []


# Sort and similar.


async def test_s_toggles_sort_by_date(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "OTAN")
        relevance = [hit.id for hit in screen.hit_list.hits]
        await pilot.press("enter", "s")
        await settle(pilot)
        assert screen.sort == "date" and "sorted by date" in rendered(screen.status)
        dates = [hit.date for hit in screen.hit_list.hits]
        dated = [d for d in dates if d is not None]
        assert dated == sorted(dated, reverse=True)
        assert dates[: len(dated)] == dated  # undated articles last
        assert sorted(hit.id for hit in screen.hit_list.hits) == sorted(relevance)
        await pilot.press("s")
        await settle(pilot)
        assert [hit.id for hit in screen.hit_list.hits] == relevance


async def test_m_lists_similar_articles_and_escape_returns(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "Stoltenberg")
        original = [hit.id for hit in screen.hit_list.hits]
        first = screen.hit_list.hits[0]
        await pilot.press("enter", "m")
        await settle(pilot)
        similar = [hit.id for hit in screen.hit_list.hits]
        assert similar and first.id not in similar
        assert screen.hit_list.border_title == "Similar articles"
        assert screen.notice.message.startswith(f"Similar to {first.title[:40]}")
        assert screen.reader.doc_id == similar[0] and screen.reader.spans  # key terms lit
        await pilot.press("j", "m")  # similar to the second hit, then back
        await settle(pilot)
        origin = screen.similar_to
        await pilot.press("escape")
        await settle(pilot)
        assert [hit.id for hit in screen.hit_list.hits] == original
        assert origin is not None and screen.hit_list.current.id == origin.id  # back where I was
        assert screen.hit_list.border_title.startswith("Hits")


async def test_similar_articles_highlight_the_key_words_of_the_seed(tmp_path: Path) -> None:
    """The reader lights a similar article with the seed's key terms as the index holds them.
    They used to be re-submitted as a query and stemmed again (the key term ``danger``, stem
    of "dangers", became ``dang``), so a similar article's "dangers" were not highlighted."""
    articles = {
        "etna.txt": "Les dangers du volcan\n\nPublié le 3 mars 2023\n\nLes dangers de l’Etna "
        "inquiètent : dangers de la lave, dangers des cendres. Les volcanologues surveillent le "
        "volcan jour et nuit.\n",
        "surveillance.txt": "L’Etna sous surveillance\n\nPublié le 4 mars 2023\n\nLes "
        "volcanologues signalent des dangers autour de l’Etna et ferment les routes.\n",
        "noel.txt": "Le marché de Noël\n\nPublié le 5 décembre 2023\n\nLes chalets du marché "
        "vendent du vin chaud et des jouets.\n",
        "rugby.txt": "Le tournoi de rugby\n\nPublié le 6 février 2023\n\nLe quinze de France "
        "gagne son match contre l’Irlande.\n",
    }
    app = create_app(make_corpus(tmp_path, articles, seeds=0), tmp_path / "index")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "volcan")
        await pilot.press("enter", "m")
        await settle(pilot)
        assert screen.result is not None and "danger" in screen.result.highlight_terms["body"]
        reader = screen.reader
        assert reader.doc_id == "surveillance.txt"
        lit = [reader.text[start:end].lower() for start, end in reader.spans]
        assert "dangers" in lit, lit


# Rebuild.


async def test_rebuild_shows_progress_and_keeps_the_results(app: FouilleApp) -> None:
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await started(pilot)
        screen = await search(pilot, "Corée")
        before = [hit.id for hit in screen.hit_list.hits]
        progress = screen.query_one(IndexProgress)
        ticks: list[tuple[int, int]] = []
        shown: list[str] = []
        real_advance, real_start = progress.advance, progress.start

        def advance(tick: Progress) -> None:
            ticks.append((tick.done, tick.total))
            assert progress.running
            real_advance(tick)

        def start(label: str) -> None:
            shown.append(label)
            real_start(label)

        progress.advance, progress.start = advance, start  # type: ignore[method-assign]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert shown == ["Rebuilding the index"]
        assert not progress.running
        assert ticks and ticks[-1] == (7, 7)
        assert [hit.id for hit in screen.hit_list.hits] == before
        assert screen.result is not None and screen.result.query == "Corée"
        assert any(n.title == "Index ready" and "full rebuild" in n.message for n in notes)


async def test_rebuild_error_is_a_notification_not_a_crash(tmp_path: Path) -> None:
    app = create_app(make_corpus(tmp_path, APP_ARTICLES), tmp_path / "index")
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await started(pilot)
        screen = await search(pilot, "Corée")
        shutil.rmtree(tmp_path / "corpus")
        await pilot.press("ctrl+r")
        await settle(pilot)
        errors = [n for n in notes if n.severity == "error"]
        assert errors and errors[-1].title == "Rebuild failed"
        assert app.is_running
        assert screen.hit_list.hits  # the previous index still answers
        assert not screen.query_one(IndexProgress).running


async def test_a_locked_index_is_a_notification_not_a_crash(app: FouilleApp) -> None:
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        screen = await started(pilot)
        await search(pilot, "Corée")
        with write_lock(app.engine.index_dir):  # as another `fouille index` would hold it
            await pilot.press("ctrl+r")
            await settle(pilot)
        errors = [n for n in notes if n.severity == "error"]
        assert [n.title for n in errors] == ["Rebuild failed"]
        assert "is updating the index" in errors[0].message
        assert app.is_running and screen.hit_list.hits


async def test_ctrl_r_during_the_watchers_update_waits_for_it(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, APP_ARTICLES)
    app = create_app(corpus, tmp_path / "index", watch=False)
    notes = Notifications()
    midway, go_on = threading.Event(), threading.Event()

    def held_midway() -> bool:  # the watcher's update, stopped in the middle of its files
        midway.set()
        go_on.wait(10)
        return False

    turn = app.engine._writer_turn  # one indexer run at a time through the engine
    queued = threading.Event()

    class Turn:  # the engine's turn, telling when a second run comes to wait for it
        def __enter__(self) -> None:
            if turn.locked():
                queued.set()
            turn.acquire()

        def __exit__(self, *exc: object) -> None:
            turn.release()

    app.engine._writer_turn = Turn()  # type: ignore[assignment]
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await started(pilot)
        (corpus / "zorglub.txt").write_text("Zorglub\nLe zorglub revient.\n", encoding="utf-8")
        watcher = threading.Thread(target=lambda: app.engine.update(should_stop=held_midway))
        watcher.start()
        assert midway.wait(10)
        await pilot.press("ctrl+r")
        assert await asyncio.to_thread(queued.wait, 10)  # the rebuild waits for its turn
        go_on.set()
        watcher.join(10)
        await settle(pilot)
        assert [n.message for n in notes if n.severity == "error"] == []  # was "another
        # fouille process is updating the index": the same process, queued now
        assert any(n.title == "Index ready" and "full rebuild" in n.message for n in notes)
        screen = await search(pilot, "zorglub")
        assert screen.result is not None and screen.result.total == 1


async def test_missing_corpus_on_start_is_reported(tmp_path: Path) -> None:
    app = create_app(tmp_path / "nowhere", tmp_path / "index")
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert [n.title for n in notes if n.severity == "error"] == ["Cannot build the index"]
        assert screen.notice.message.startswith("No index: ")
        await pilot.press(*"Corée")
        await settle(pilot)
        assert app.is_running and screen.hit_list.hits == []


# Layout, help, palette.


async def test_narrow_terminal_stacks_hits_above_the_reader(app: FouilleApp) -> None:
    async with app.run_test(size=(80, 30)) as pilot:
        await started(pilot)
        screen = await search(pilot, "Corée")
        hits, reader = screen.hit_list.region, screen.reader.region
        assert screen.has_class("-narrow")
        assert hits.width >= 78 and reader.width >= 78
        assert reader.y >= hits.bottom
        assert hits.height >= 6 and reader.height >= 10
        await pilot.press("enter", "z")  # zoom the hits to full height
        assert screen.maximized is screen.hit_list
        await pilot.press("escape")
        assert screen.maximized is None


async def test_wide_terminal_puts_hits_and_reader_side_by_side(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert not screen.has_class("-narrow")
        assert screen.reader.region.x >= screen.hit_list.region.right


async def test_help_lists_every_key(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-text", Static).content.plain
        names = {"slash": "/", "question_mark": "?"}
        for widget in (SearchScreen, HitList, QueryInput):
            for binding in widget.BINDINGS:
                for key in binding.key.split(","):  # type: ignore[union-attr]
                    assert names.get(key, key) in text, key
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("enter", "question_mark")  # "?" outside the query box
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_runs_the_actions(app: FouilleApp) -> None:
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await started(pilot)
        screen = await search(pilot, "OTAN")
        await pilot.press("ctrl+p")
        await pilot.press(*"sort")
        await settle(pilot)  # the palette gathers commands in a worker
        await pilot.press("enter")
        await settle(pilot)
        assert screen.sort == "date"
        await pilot.press("ctrl+p", *"reb")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert any(n.title == "Index ready" for n in notes)
        assert screen.hit_list.hits


# Hostile articles.


async def test_hostile_article_is_displayed_literally(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await search(pilot, "piégé")
        assert [hit.id for hit in screen.hit_list.hits] == ["zz-piege.txt"]
        reader_text = rendered(screen.reader)
        for literal in ("[bold]x[/]", " [/ ", " [b ", "[link=http://x]y[/link]", "[bold red]Pas"):
            assert literal in reader_text, literal
        assert "\x1b" not in reader_text and "\x07" not in reader_text
        hits_text = rendered(screen.hit_list)
        assert "Piège [bold]x[/]" in hits_text and "\x1b" not in hits_text
        reader = screen.reader
        shown = "".join(
            reader.row_content(i).plain for i, row in enumerate(reader.rows) if row[0] == "body"
        )
        assert shown == reader.text.replace("\n", "")  # nothing parsed away
        await pilot.press("enter", "n", "N", "m")
        await settle(pilot)
        assert app.is_running


async def test_reaching_the_last_hit_loads_more(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, APP_ARTICLES)
    for n in range(12):
        (corpus / f"extra-{n:02d}.txt").write_text(
            f"Dépêche {n}\nPublié le {n + 1} mars 2023\nLa Corée et l’OTAN, encore.\n",
            encoding="utf-8",
        )
    app = create_app(corpus, tmp_path / "index")
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        page = screen.page = 10
        await search(pilot, "Corée")
        assert screen.result is not None and screen.result.total > page
        assert len(screen.hit_list.hits) == page
        assert screen.hit_list.border_subtitle == f"{page} of {screen.result.total}, more below"
        await pilot.press("enter", "end")
        await settle(pilot)
        hits = screen.hit_list.hits
        assert len(hits) == min(2 * page, screen.result.total)
        assert screen.hit_list.highlighted == page - 1  # the cursor stayed on the same hit
        assert screen.reader.doc_id == hits[page - 1].id
        assert rendered(screen.status).startswith(f" {len(hits)} hits · ")  # all of them now
        assert screen.hit_list.border_subtitle == ""


async def test_history_survives_a_restart_and_a_rebuild(tmp_path: Path) -> None:
    corpus, index = make_corpus(tmp_path, APP_ARTICLES), tmp_path / "index"
    first = create_app(corpus, index)
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "Corée")
        await pilot.press("enter", "ctrl+r")  # a full rebuild must not take the history away
        await settle(pilot)
    second = create_app(corpus, index)
    async with second.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("up")
        assert screen.query_input.value == "Corée"


async def test_searching_works_while_a_rebuild_runs(app: FouilleApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        release, running = threading.Event(), threading.Event()
        real_update = app.engine.update

        def slow_update(**kwargs: object) -> object:
            running.set()
            release.wait(10)  # the rebuild is "long": it waits until the test is done
            return real_update(**kwargs)  # type: ignore[arg-type]

        app.engine.update = slow_update  # type: ignore[method-assign]
        await pilot.press("ctrl+r")
        assert running.wait(5)
        screen.query_input.value = "Corée"
        for _ in range(100):  # settle() would wait for the blocked rebuild: poll the screen
            await pilot.pause(0.05)
            if screen.result is not None and screen.result.query == "Corée":
                break
        assert screen.progress.running
        assert screen.result is not None and screen.result.query == "Corée"
        assert screen.hit_list.hits
        release.set()
        await settle(pilot)
        assert not screen.progress.running
        assert screen.result.query == "Corée" and screen.hit_list.hits


# Work done once.


async def test_the_timeline_is_counted_once_per_query(app: FouilleApp) -> None:
    counted: list[str] = []
    real_facets = app.engine.facets

    def facets(query: str, **options: bool) -> object:
        counted.append(query)
        return real_facets(query, **options)

    app.engine.facets = facets  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert counted == [""]  # the newest articles' months
        counted.clear()
        screen.page = screen.limit = 2
        screen.query_input.value = "OTAN"
        await settle(pilot)
        assert screen.result is not None and screen.result.total > 3
        months = screen.timeline.counts
        assert counted == ["OTAN"] and months
        await pilot.press("enter", "s")  # another order
        await settle(pilot)
        await pilot.press("s", "down", "down")  # and the next page, loaded at the last hit
        await settle(pilot)
        assert len(screen.hit_list.hits) > 2
        assert counted == ["OTAN"]  # it was counted again at each of these
        assert screen.timeline.counts == months
        screen.query_input.value = "Corée"
        await settle(pilot)
        assert counted == ["OTAN", "Corée"]


async def test_the_newest_articles_are_read_without_looking_up_matches(app: FouilleApp) -> None:
    looked_up: list[str] = []
    real_spans = app.engine.match_spans

    def match_spans(doc_id: str, terms: object) -> object:
        looked_up.append(doc_id)
        return real_spans(doc_id, terms)  # type: ignore[arg-type]

    app.engine.match_spans = match_spans  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        first = screen.hit_list.hits[0]
        assert screen.reader.doc_id == first.id  # the newest article is shown
        await pilot.press("tab", "down")
        await settle(pilot)
        assert screen.reader.doc_id == screen.hit_list.hits[1].id
        assert looked_up == []  # nothing was searched: there is nothing to light
        screen.query_input.value = "OTAN"
        await settle(pilot)
        assert looked_up == [screen.hit_list.hits[0].id]


SKIPPED_NAMES = ("[@click=app.quit]rapport.txt", "Chapitre [i].txt")


async def test_file_names_in_notifications_are_text_not_markup(tmp_path: Path) -> None:
    # a skipped file's name went through Textual's markup: "[@click=app.quit]rapport.txt"
    # showed "rapport.txt" as a link that quit the app, "Chapitre [i].txt" lost its "[i]"
    corpus = make_corpus(tmp_path, APP_ARTICLES)
    for name in SKIPPED_NAMES:
        (corpus / name).write_bytes(b"\x00binary\x00" * 20)
    app = create_app(corpus, tmp_path / "index", watch=False)
    notes = Notifications()
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await started(pilot)
        await settle(pilot)
    skipped = sorted((n for n in notes if n.title == "Skipped"), key=lambda n: n.message)
    # Textual draws a notification without markup as its text, character for character
    assert [(n.message, n.markup) for n in skipped] == [
        (f"{name}: binary content", False) for name in sorted(SKIPPED_NAMES)
    ]
