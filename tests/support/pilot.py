"""The app under Pilot, through Textual's public testing API: starting it on a copy of an index,
waiting until it is idle, what the
terminal shows (read from the app's SVG screenshot, as the snapshot tests do), and the
notifications it posts (recorded by ``run_test(message_hook=...)``)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from rich.cells import cell_len
from textual.app import App
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import WorkerState

from tui.app import FouilleApp, create_app
from tui.screens.search_screen import SearchScreen

# one run of text of the screenshot: its x (in pixels), its width and its terminal row
_SVG_TEXT = re.compile(
    r'<text [^>]*?x="([\d.]+)" [^>]*?textLength="([\d.]+)" '
    r'clip-path="url\(#terminal-\d+-line-(\d+)\)">(.*?)</text>',
    re.S,
)


def app_on_copy(corpus: Path, index: Path, tmp_path: Path) -> FouilleApp:
    """The app on ``corpus`` with its own copy of a shared, prebuilt ``index`` (building it
    would cost every test time; the app may rebuild its copy)."""
    shutil.copytree(index, tmp_path / "index")
    return create_app(corpus, tmp_path / "index")


async def started(pilot: Pilot) -> SearchScreen:
    """Wait for the start-up index build; searches then start without the typing debounce
    (tests that are about the debounce put it back)."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    screen.debounce = 0.0
    return screen


async def settle(pilot: Pilot) -> None:
    """Wait until no worker runs (a search result starts the reader's worker, hence the loop)."""
    app = pilot.app
    for _ in range(20):
        await pilot.pause()
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            break
        await app.workers.wait_for_complete()
    await pilot.pause()


def screen_cells(app: App) -> list[list[str]]:
    """The terminal's cells, row by row, as the user sees them (the cell after a wide
    character holds ``""``)."""
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    for x, length, line, text in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(text).replace("\xa0", " ")
        cells = cell_len(text)
        if not cells or int(line) >= height:
            continue
        column = round(float(x) / (float(length) / cells))
        for ch in text:
            size = cell_len(ch)
            if column + size > width:
                break
            if size:
                rows[int(line)][column : column + size] = [ch] + [""] * (size - 1)
            column += size
    return rows


def screen_lines(app: App) -> list[str]:
    """The terminal's rows as text."""
    return ["".join(row) for row in screen_cells(app)]


def rendered(widget: Widget) -> str:
    """The characters drawn in the widget's region, line by line (children, borders and
    border titles included)."""
    region = widget.region
    rows = screen_cells(widget.app)
    return "\n".join("".join(rows[y][region.x : region.right]) for y in range(*region.line_span))


class Notifications(list[Notification]):
    """Every notification the app posted, in order: pass it as ``run_test(message_hook=...)``."""

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.append(message.notification)
