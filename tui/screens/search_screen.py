"""The main screen: query on top, hits and reader side by side, status and keys below.

The screen owns the engine calls (all off the event loop, in workers) and wires the widgets:
they post messages up, it sets attributes and calls methods down.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState, get_current_worker

from search.errors import DocumentNotFound, FouilleError, QueryError
from search.export import write_markdown
from search.facets import month_filter
from search.models import (
    Article,
    HighlightTerms,
    Hit,
    IndexReport,
    Progress,
    SearchResult,
    SortOrder,
    Span,
)
from search.safety import blank_unsafe
from search.watch import FolderWatch, change_note
from tui.history import FILE_NAME as HISTORY_FILE
from tui.notices import WELCOME, explain, query_error
from tui.opener import open_command
from tui.screens.help_screen import HelpScreen
from tui.widgets.article_reader import ArticleReader, Body, wrap_body
from tui.widgets.hit_list import HitList
from tui.widgets.index_progress import IndexProgress
from tui.widgets.notice_bar import NoticeBar
from tui.widgets.query_input import QueryInput
from tui.widgets.status_bar import StatusBar
from tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from search.engine import Engine

DEBOUNCE_SECONDS = 0.15  # long enough to skip intermediate keystrokes, short enough to feel live
DEBOUNCE_FREE_SECONDS = 0.05
"""The pause before a search follows the CPU time of the last search's worker thread (the
engine, then reading and wrapping the first hit; its wall time also counts the waits for the
cores and the GIL, which grow with the machine's load, not with the index). One search thread
runs at a time: a search waits for the one still running (a thread cannot be stopped), then
runs on the latest query. So a search of DEBOUNCE_FREE_SECONDS or less (those on the man pages
and at 100k documents are) starts at once: typing never waits behind more than one of them. A
costlier one waits as long as it takes, at most the screen's ``debounce`` (DEBOUNCE_SECONDS),
so that a slow index is not searched at every keystroke."""
HIT_LIMIT = 50
NARROW_WIDTH = 100  # below this, hits and reader are stacked instead of side by side
PROGRESS_INTERVAL = 0.05  # seconds between progress-bar updates sent from the indexing thread


@dataclasses.dataclass(frozen=True)
class Reading:
    """An article ready for the reader: fetched, its matches found and its body wrapped."""

    article: Article
    title_spans: list[Span]
    text_spans: list[Span]
    body: Body


def _retrieved(task: asyncio.Future[object]) -> None:
    """Mark a search task's error as seen: a worker cancelled while it ran never reads it."""
    if not task.cancelled():
        task.exception()


def export_name(query: str, when: time.struct_time) -> str:
    """The file an export goes to: ``fouille-<query>-<date>-<time>.md``, the query reduced to
    letters, digits and dashes ("newest" for the empty query).

    >>> export_name("Corée du Sud", time.struct_time((2025, 3, 2, 14, 5, 9, 0, 0, 0)))
    'fouille-corée-du-sud-20250302-140509.md'
    """
    slug = re.sub(r"[^\w]+", "-", query.lower()).strip("-_")[:40] or "newest"
    return f"fouille-{slug}-{time.strftime('%Y%m%d-%H%M%S', when)}.md"


class SearchScreen(Screen[None]):
    """Search as you type over one engine."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_query", "Query", key_display="/"),
        Binding("escape", "back", "Back", show=False),
        Binding("n", "next_match", "Next match"),
        Binding("N", "previous_match", "Prev match", key_display="N"),
        Binding("s", "toggle_sort", "Sort"),
        Binding("m", "similar", "Similar"),
        Binding("t", "focus_timeline", "Timeline", show=False),
        Binding("z", "zoom", "Zoom", show=False),
        Binding("o", "open_article", "Open", show=False),
        Binding("c", "copy_path", "Copy path", show=False),
        Binding("e", "export_hits", "Export", show=False),
        Binding("v", "toggle_variants", "Variants", show=False),
        Binding("ctrl+y", "apply_suggestion", "Did you mean"),
        Binding("ctrl+r", "rebuild", "Rebuild"),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
    ]

    def __init__(
        self,
        engine: Engine,
        *,
        watch: bool = True,
        sort: SortOrder = "relevance",
        variants: bool = True,
        page: int = HIT_LIMIT,
    ) -> None:
        """``sort``, ``variants`` and ``page`` (hits fetched at a time) are where the keys
        start: the settings in force (see :class:`tui.app.FouilleApp`)."""
        super().__init__()
        self.engine = engine
        self.watch = watch  # follow the corpus folder once the index is ready
        self.variants = variants  # search the spelling variants of the words (Kiev = Kyiv)
        self.export_dir = Path.cwd()  # where "e" writes the hit list
        self.watching = threading.Event()  # set once the folder is watched (and caught up)
        self._watch_stop = threading.Event()
        self._watch_thread: threading.Thread | None = None
        self.sort: SortOrder = sort
        self.result: SearchResult | None = None
        self.similar_to: Hit | None = None  # set while the list shows articles like this hit
        self.index_ready = False
        self.debounce = DEBOUNCE_SECONDS  # at most this much quiet typing before a search
        self._search_seconds = DEBOUNCE_SECONDS  # CPU time of the last search's thread
        self._search_task: asyncio.Future[object] | None = None  # the search thread's task
        self.page = page  # hits fetched at a time
        self.limit = page  # hits asked for; grows as the cursor reaches the end of the list
        # (doc id, highlight terms) of the article in the reader
        self._shown: tuple[str, HighlightTerms] | None = None
        # (query, variants) the timeline counts: a new page or sort order needs no recount
        self._counted: tuple[str, bool] | None = None

    def compose(self) -> ComposeResult:
        yield QueryInput(history_file=self.engine.index_dir / HISTORY_FILE, id="query")
        yield NoticeBar(id="notice")
        with Horizontal(id="panes"):
            yield HitList(id="hits")
            yield ArticleReader(id="reader")
        yield Timeline(id="timeline")
        yield IndexProgress(id="index-progress")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def reader_shows(self) -> tuple[str, HighlightTerms] | None:
        """(doc id, highlight terms) of the article the reader shows, None before one."""
        return self._shown

    @property
    def query_input(self) -> QueryInput:
        return self.query_one(QueryInput)

    @property
    def hit_list(self) -> HitList:
        return self.query_one(HitList)

    @property
    def reader(self) -> ArticleReader:
        return self.query_one(ArticleReader)

    @property
    def notice(self) -> NoticeBar:
        return self.query_one(NoticeBar)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def progress(self) -> IndexProgress:
        return self.query_one(IndexProgress)

    @property
    def timeline(self) -> Timeline:
        return self.query_one(Timeline)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer keys only where they do something: "/" types a slash in the query box, and
        ctrl+y needs a suggestion."""
        if action == "focus_query":
            return self.focused is not self.query_one(QueryInput)
        if action == "apply_suggestion":
            return self.query_one(NoticeBar).suggestion is not None
        if action == "focus_timeline":
            return self.timeline.month is not None
        return True

    def on_mount(self) -> None:
        self.hit_list.border_title = "Hits"
        self.reader.border_title = "Article"
        self.notice.show(WELCOME)
        self.reader.show_message("The highlighted hit is shown here.")
        self.query_input.focus()
        self.status.sort = self.sort
        self.prepare_index()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        self.query_input.compact = narrow  # two more rows for the stacked panes

    # Index: build on start, rebuild on demand.

    def _progress_callback(
        self,
    ) -> tuple[Callable[[Progress], None], Callable[[], None]]:
        """A progress callback for the indexing thread, throttled so a large corpus does not
        flood the event loop, plus a function flushing the last tick. Once the worker is
        cancelled (the app may be closing) nothing is sent to the event loop any more."""
        worker = get_current_worker()
        last_sent = 0.0
        latest: list[Progress] = []

        def send(progress: Progress) -> None:
            nonlocal last_sent
            latest[:] = [progress]
            now = time.monotonic()
            if worker.is_cancelled:
                return
            if now - last_sent >= PROGRESS_INTERVAL or progress.done >= progress.total:
                last_sent = now
                self.app.call_from_thread(self.progress.advance, progress)

        def flush() -> None:
            if latest and not worker.is_cancelled:
                self.app.call_from_thread(self.progress.advance, latest[0])

        return send, flush

    @work(thread=True, exclusive=True, exit_on_error=False, group="index", name="prepare")
    def prepare_index(self) -> IndexReport | None:
        """Build the index if it is missing (first run, or a new schema version)."""
        send, _flush = self._progress_callback()
        started = False

        def on_progress(progress: Progress) -> None:
            nonlocal started
            if not started and not get_current_worker().is_cancelled:
                started = True
                self.app.call_from_thread(self.progress.start, "Building the index")
            send(progress)

        return self.engine.ensure_index(progress=on_progress)

    def action_rebuild(self) -> None:
        if self.progress.running:
            self.notify("The index is already being built.", severity="warning")
            return
        self.progress.start("Rebuilding the index")
        self.rebuild_index()

    @work(thread=True, exclusive=True, exit_on_error=False, group="index", name="rebuild")
    def rebuild_index(self) -> IndexReport:
        """Full rebuild, built aside by the engine: searches keep using the old index meanwhile."""
        worker = get_current_worker()
        send, flush = self._progress_callback()
        report = self.engine.update(
            full=True, progress=send, should_stop=lambda: worker.is_cancelled
        )
        flush()
        return report

    @work(exclusive=True, group="stats", exit_on_error=False)
    async def refresh_stats(self) -> None:
        stats = await asyncio.to_thread(self.engine.stats)
        self.status.documents = stats.documents
        self.status.size_bytes = stats.size_bytes
        if stats.documents == 0:
            self.notify(
                f"The index is empty: no article found in {blank_unsafe(str(self.engine.corpus))}.",
                severity="warning",
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where worker outcomes (and failures) are reported."""
        worker, state = event.worker, event.state
        if state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        if worker.group == "index":
            self.progress.finish()
            if state == WorkerState.SUCCESS:
                self._index_ready(worker.name, worker.result)
        if state == WorkerState.ERROR:
            self._report_error(worker, worker.error)

    def _index_ready(self, name: str, report: IndexReport | None) -> None:
        self.index_ready = True
        self._start_watching()
        self._shown = None  # articles may have changed: reload the one in the reader
        self._counted = None  # and recount the timeline
        self.refresh_stats()
        if report is not None:
            self.notify(report.summary(), title="Index ready")
            for doc_id, reason in report.skipped[:3]:
                message = f"{blank_unsafe(doc_id)}: {blank_unsafe(reason)}"
                self.notify(message, title="Skipped", severity="warning")
        self.refresh_results()  # an empty query lists the newest articles

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Textual's notification, shown as plain text: the messages carry file names, paths
        and error text, which Textual would otherwise read as markup (a file named
        ``[@click=app.quit]notes.txt`` was a link that quits, ``[i]`` vanished into italics)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _report_error(self, worker: Worker, error: BaseException | None) -> None:
        if isinstance(error, FouilleError):
            title = {"prepare": "Cannot build the index", "rebuild": "Rebuild failed"}.get(
                worker.name, "Error"
            )
            self.notify(blank_unsafe(str(error)), title=title, severity="error", timeout=10)
            if worker.name == "prepare":
                self.notice.show(f"No index: {blank_unsafe(str(error))}")
        else:
            message = f"{type(error).__name__}: {error}" if error else "unknown error"
            self.notify(blank_unsafe(message), title="Unexpected error", severity="error")

    # The live index: follow the corpus folder.

    def _start_watching(self) -> None:
        """Start the thread that applies an incremental update after each batch of changes in
        the corpus folder (search.watch; the index's write lock keeps it from writing at the
        same time as a rebuild). A plain thread, not a worker: it lives as long as the screen."""
        if not self.watch or self._watch_thread is not None:
            return
        stop = self._watch_stop

        def run() -> None:
            watcher = FolderWatch(
                self.engine,
                on_update=lambda report: self._from_watch(self._folder_updated, report),
                on_error=lambda error: self._from_watch(self._watch_failed, error),
                on_ready=self.watching.set,
            )
            try:
                watcher.run(stop.is_set)
            except Exception as error:  # the folder cannot be watched (gone, no permission…)
                self._from_watch(self._watch_failed, error)

        self._watch_thread = threading.Thread(target=run, name="fouille-watch", daemon=True)
        self._watch_thread.start()

    def _from_watch(self, callback: Callable[..., None], *args: object) -> None:
        if not self._watch_stop.is_set():
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile
                self.app.call_from_thread(callback, *args)

    def _folder_updated(self, report: IndexReport) -> None:
        """The watcher updated the index: say what changed and show it."""
        self._shown = None  # the article in the reader may be one that changed
        self._counted = None
        self.refresh_stats()
        self.refresh_results()
        self.notify(change_note(report) or report.summary(), title="Folder changed")

    def _watch_failed(self, error: BaseException) -> None:
        message = str(error) if isinstance(error, FouilleError) else type(error).__name__
        self.notify(blank_unsafe(message), title="Cannot follow the folder", severity="warning")

    def on_unmount(self) -> None:
        self._watch_stop.set()
        if self._watch_thread is not None:
            self._watch_thread.join(timeout=5)  # within QUIET_MS, unless an update is writing

    # Searching.

    @on(QueryInput.Changed)
    def _query_changed(self, event: QueryInput.Changed) -> None:
        self.similar_to = None
        self.limit = self.page
        self.run_search(event.value, debounce=self.typing_pause)

    @property
    def typing_pause(self) -> float:
        """Seconds of quiet typing before a search starts (see DEBOUNCE_FREE_SECONDS)."""
        if self._search_seconds <= DEBOUNCE_FREE_SECONDS:
            return 0.0
        return min(self.debounce, self._search_seconds)

    @on(QueryInput.Submitted)
    def _query_submitted(self, event: QueryInput.Submitted) -> None:
        self.query_input.remember(event.value)
        if self.result is None or self.result.query != event.value.strip():
            self.run_search(event.value, debounce=0)

    @on(events.DescendantBlur, "#query")
    def _query_left(self) -> None:
        self.query_input.remember(self.query_input.value)

    def refresh_results(self, *, keep_cursor: bool = True) -> None:
        """Re-run what the list shows (after a rebuild or a sort change), keeping the cursor on
        the same article when it is still listed, else (or without ``keep_cursor``) on the
        first one."""
        current = self.hit_list.current
        keep = current.id if current and keep_cursor else None
        if self.similar_to is not None:
            self.find_similar(self.similar_to, keep=keep)
        else:
            self.run_search(self.query_input.value, debounce=0, keep=keep)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(self, query: str, debounce: float = 0.0, keep: str | None = None) -> None:
        """Debounced search: a newer call cancels this one while it sleeps or waits."""
        if debounce:
            await asyncio.sleep(debounce)
        query = query.strip()
        if not self.index_ready:
            if query:
                self.notice.show("The index is being built; results will appear when it is ready.")
            else:
                self._show_empty_query()
            return
        running = self._search_task
        if running is not None and not running.done():
            await asyncio.wait([running])  # the previous search's thread (this worker may be
            # cancelled meanwhile by a newer keystroke: that one then waits in its turn)
        sort, limit, variants = self.sort, self.limit, self.variants
        width, shown = self.reader.body_width, self._shown

        def search_and_read() -> tuple[SearchResult, Reading | None, float]:
            """The result, and the article the cursor will land on, read and wrapped here
            too (the list and the reader then change in the same frame), with the CPU time
            this took: its wall time under load counts the waits for the cores and the GIL."""
            cpu = time.thread_time()
            if query:
                result = self.engine.search(query, limit=limit, sort=sort, variants=variants)
            else:  # nothing typed: the newest articles
                result = self.engine.newest(limit=limit)
            ids = [hit.id for hit in result.hits]
            first = keep if keep in ids else (ids[0] if ids else None)
            reading = None
            if first is not None and shown != (first, result.highlight_terms):
                with contextlib.suppress(DocumentNotFound):  # then the reader says so later
                    reading = self._read(first, result.highlight_terms, width)
            return result, reading, time.thread_time() - cpu

        task = asyncio.ensure_future(asyncio.to_thread(search_and_read))
        task.add_done_callback(_retrieved)
        self._search_task = task
        try:
            # shielded: a newer keystroke cancels this worker, not the search's task, which
            # ends with its thread and tells the next search when it may start
            result, reading, self._search_seconds = await asyncio.shield(task)
        except QueryError as error:
            if query == self.query_input.value.strip():
                self._show_query_error(query, error)
            return
        if query != self.query_input.value.strip() or sort != self.sort:
            return  # the user typed on (or re-sorted) while this ran: a newer search is coming
        self._show_result(result, keep=keep, reading=reading)

    def _show_empty_query(self) -> None:
        self.result = None
        self._clear_timeline()
        self.hit_list.show_hits([])
        self.hit_list.border_title = "Hits"
        self.reader.show_message("The highlighted hit is shown here.")
        self.status.total = None
        self.notice.show(WELCOME)

    def _show_query_error(self, query: str, error: QueryError) -> None:
        self.result = None
        self._clear_timeline()
        self.hit_list.show_hits([])
        self.status.total = None
        self.reader.show_message("")
        self.notice.show(query_error(error))

    def _show_result(
        self, result: SearchResult, keep: str | None = None, reading: Reading | None = None
    ) -> None:
        """Show ``result`` in the list, and ``reading`` in the reader when it is the hit the
        cursor lands on (else the reader loads that hit when the list announces it)."""
        self.result = result
        hits = list(result.hits)
        if self.similar_to is not None and self.sort == "date":
            hits.sort(key=lambda hit: hit.date.toordinal() if hit.date else 0, reverse=True)
        self.hit_list.show_hits(hits, keep=keep)
        current = self.hit_list.current
        if reading is not None and current is not None and current.id == reading.article.id:
            self.workers.cancel_group(self, "reader")  # an older load must not replace it
            self._show_reading(reading, result.highlight_terms)
        more = result.total > len(hits) and self.similar_to is None
        self.hit_list.border_subtitle = f"{len(hits)} of {result.total}, more below" if more else ""
        self.status.shown = len(hits)
        self.status.total = result.total
        self.status.took_ms = result.took_ms
        self.status.sort = self.sort if result.query else "date"  # the newest: by date
        notice, suggestion = explain(result, self.similar_to)
        self.notice.show(notice, suggestion=suggestion)
        if self.similar_to is not None:
            self.hit_list.border_title = "Similar articles"
        elif not result.query:
            self.notice.show(WELCOME)
            self.hit_list.border_title = f"Newest of {result.total} articles"
        else:
            self.hit_list.border_title = f"Hits ({result.total})"
        if not hits:
            self.reader.show_message("Nothing to read: no article matches.")
        if self.similar_to is None and hits:
            if self._counted != (result.query, self.variants):  # not for a new page or order
                # once the hits are drawn: its thread would slow that frame down (the GIL)
                self.call_after_refresh(self.update_timeline, result.query)
        else:
            self._clear_timeline()

    def _clear_timeline(self) -> None:
        self.timeline.show(None)
        self._counted = None

    @work(exclusive=True, group="facets", exit_on_error=False)
    async def update_timeline(self, query: str) -> None:
        """The hits per month, counted by the engine from its columns, off the event loop."""
        variants = self.variants
        facets = await asyncio.to_thread(self.engine.facets, query, variants=variants)
        if query == self.query_input.value.strip() and self.similar_to is None:
            self.timeline.show(facets)
            self._counted = (query, variants)

    def action_focus_timeline(self) -> None:
        self.timeline.enter()

    @on(Timeline.MonthChosen)
    def _month_chosen(self, event: Timeline.MonthChosen) -> None:
        """Filter the query by the month picked on the timeline (replacing any date filter)."""
        self.query_input.value = month_filter(self.query_input.value, event.month)
        self.hit_list.focus()

    def action_apply_suggestion(self) -> None:
        if self.notice.suggestion is not None:
            self._apply(self.notice.suggestion)

    @on(NoticeBar.Changed)
    def _notice_changed(self) -> None:
        self.refresh_bindings()

    @on(NoticeBar.SuggestionChosen)
    def _suggestion_clicked(self, event: NoticeBar.SuggestionChosen) -> None:
        self._apply(event.suggestion)

    def _apply(self, suggestion: str) -> None:
        self.query_input.value = suggestion
        self.query_input.cursor_position = len(suggestion)
        self.query_input.remember(suggestion)

    # Getting work out: open, copy the path, export the list; spelling variants.

    def _current_path(self) -> Path | None:
        """The highlighted article's original file, or None (with a notification)."""
        hit = self.hit_list.current
        if hit is None:
            self.notify("No hit is highlighted.", severity="warning", timeout=3)
            return None
        try:
            return self.engine.article(hit.id).path
        except DocumentNotFound:
            self.notify("This article is no longer in the index.", severity="warning")
            return None

    def action_open_article(self) -> None:
        """Open the highlighted article's file: in $EDITOR/$PAGER with the app suspended, or
        with the system's opener for other formats (see tui.opener)."""
        path = self._current_path()
        if path is None:
            return
        command = open_command(path)
        if command is None:
            self.notify(
                "No program to open it: set $EDITOR or $PAGER.", severity="warning", timeout=5
            )
            return
        try:
            if command.in_terminal:
                try:
                    with self.app.suspend():
                        subprocess.run(command.argv, check=False)
                except SuspendNotSupported:  # no terminal to hand over (tests, web)
                    subprocess.run(command.argv, check=False, stdin=subprocess.DEVNULL)
                self.app.refresh()
            else:
                subprocess.Popen(
                    command.argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
        except OSError as error:
            self.notify(
                blank_unsafe(f"{command.argv[0]}: {error.strerror or error}"),
                title="Cannot open the article",
                severity="error",
            )

    def action_copy_path(self) -> None:
        path = self._current_path()
        if path is not None:
            self.app.copy_to_clipboard(str(path))
            self.notify(blank_unsafe(str(path)), title="Path copied", timeout=4)

    def action_export_hits(self) -> None:
        """Write the listed hits (rank, title, date, source, path, id, score) as a Markdown
        table, with the CLI's writer, to a new file named in a notification."""
        result = self.result
        if result is None or not self.hit_list.hits:
            self.notify("No hits to export.", severity="warning", timeout=3)
            return
        listed = dataclasses.replace(result, hits=list(self.hit_list.hits))
        name = export_name(result.query, time.localtime())
        target = self.export_dir / name
        try:
            with open(target, "x", encoding="utf-8") as out:
                write_markdown(listed, out)
        except OSError as error:
            self.notify(
                blank_unsafe(f"{target}: {error.strerror or error}"),
                title="Cannot export",
                severity="error",
            )
            return
        self.notify(blank_unsafe(str(target)), title=f"{len(listed.hits)} hits exported", timeout=8)

    @property
    def listing_newest(self) -> bool:
        """True while the list shows the newest articles (nothing typed): always by date, with
        no words to sort by relevance nor to spell otherwise."""
        return self.similar_to is None and not self.query_input.value.strip()

    def action_toggle_variants(self) -> None:
        self.variants = not self.variants
        state = "on" if self.variants else "off: words as typed"
        self.notify(f"Spelling variants {state}.", timeout=3)
        if self.result is not None and self.similar_to is None:
            self.refresh_results()

    # Sort, similar.

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"
        if self.listing_newest:  # nothing to re-sort: say what the key changed
            self.notify(
                f"The newest articles are listed by date; searches will sort by {self.sort}.",
                timeout=3,
            )
            return
        self.status.sort = self.sort
        self.notify(f"Sorted by {self.sort}.", timeout=2)
        if self.result is not None:
            # the list starts at the top again: the newest (or best) articles, not wherever the
            # highlighted one landed in the new order with the first ones scrolled off above
            self.limit = self.page
            self.refresh_results(keep_cursor=False)

    def action_similar(self) -> None:
        hit = self.hit_list.current
        if hit is None:
            self.notify("No hit is highlighted.", severity="warning", timeout=3)
            return
        self.query_input.remember(self.query_input.value)
        self.find_similar(hit)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def find_similar(self, hit: Hit, keep: str | None = None) -> None:
        result = await asyncio.to_thread(self.engine.similar, hit.id, limit=HIT_LIMIT)
        self.similar_to = hit
        self._show_result(result, keep=keep)
        self.hit_list.focus()

    # Reader.

    @on(HitList.Highlighted)
    def _hit_highlighted(self, event: HitList.Highlighted) -> None:
        terms = self.result.highlight_terms if self.result is not None else {}
        already = self.reader.doc_id == event.hit.id and self._shown == (event.hit.id, terms)
        if not already:  # (it is, when more hits were just loaded under the cursor)
            self.load_article(event.hit.id, terms)
        self._load_more_at_the_end()

    def _load_more_at_the_end(self) -> None:
        """On the last hit of a longer result, fetch the next page (cursor and reader stay)."""
        result, current = self.result, self.hit_list.current
        hits = self.hit_list.hits
        if result is None or current is None or self.similar_to is not None:
            return
        if current is hits[-1] and result.total > len(hits):
            self.limit = len(hits) + self.page
            self.run_search(self.query_input.value, debounce=0, keep=current.id)

    @on(HitList.Chosen)
    def _hit_chosen(self) -> None:
        self.reader.focus()

    def _read(self, doc_id: str, terms: HighlightTerms, width: int) -> Reading:
        """``doc_id`` as the reader shows it with ``terms`` lit, wrapped to ``width`` (in a
        worker thread). Raises DocumentNotFound."""
        article = self.engine.article(doc_id)
        title_spans, text_spans = self.engine.match_spans(doc_id, terms) if terms else ([], [])
        return Reading(article, title_spans, text_spans, wrap_body(article, width))

    def _show_reading(self, reading: Reading, terms: HighlightTerms) -> None:
        self.reader.show_article(
            reading.article, reading.title_spans, reading.text_spans, reading.body
        )
        if not terms:
            self.reader.border_subtitle = ""  # nothing was searched: no "no match" either
        self._shown = (reading.article.id, terms)

    @work(exclusive=True, group="reader", exit_on_error=False)
    async def load_article(self, doc_id: str, terms: HighlightTerms) -> None:
        """Show ``doc_id`` in the reader with the result's terms (the query's words, or the key
        terms of similar articles) highlighted: the engine never parses the query again."""
        try:
            reading = await asyncio.to_thread(self._read, doc_id, terms, self.reader.body_width)
        except DocumentNotFound:
            self.reader.show_message("This article is no longer in the index.")
            return
        current = self.hit_list.current
        if current is None or current.id != doc_id:
            return  # the cursor moved on while this loaded
        self._show_reading(reading, terms)

    def action_next_match(self) -> None:
        self.reader.next_match()

    def action_previous_match(self) -> None:
        self.reader.previous_match()

    # Focus, zoom, help.

    def action_focus_query(self) -> None:
        self.query_input.focus()

    def action_back(self) -> None:
        """Escape outside the query box: unzoom, leave similar articles, or go to the query."""
        if self.maximized is not None:
            self.minimize()
        elif self.similar_to is not None:
            origin, self.similar_to = self.similar_to, None
            self.run_search(self.query_input.value, debounce=0, keep=origin.id)
            self.hit_list.focus()
        else:
            self.query_input.focus()

    def action_zoom(self) -> None:
        if self.maximized is not None:
            self.minimize()
        elif self.focused in (self.hit_list, self.reader):
            self.maximize(self.focused)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())
