"""Progress of an index build, shown while one runs and hidden otherwise."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from search.models import Progress
from search.safety import blank_unsafe


class IndexProgress(Horizontal):
    """A label and a bar; the screen feeds it ``Progress`` ticks from the indexing thread."""

    DEFAULT_CSS = """
    IndexProgress {
        height: 1;
        display: none;
        padding: 0 1;
    }
    IndexProgress.-running {
        display: block;
    }
    IndexProgress Label {
        width: auto;
        padding-right: 1;
    }
    IndexProgress #index-current {
        width: 1fr;
        padding-left: 1;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="index-label", markup=False)
        yield ProgressBar(total=None, show_eta=False, id="index-bar")
        yield Label("", id="index-current", markup=False)

    @property
    def running(self) -> bool:
        return self.has_class("-running")

    def start(self, label: str) -> None:
        self.query_one("#index-label", Label).update(label)
        self.query_one("#index-current", Label).update("")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-running")

    def advance(self, progress: Progress) -> None:
        self.query_one(ProgressBar).update(total=max(progress.total, 1), progress=progress.done)
        counts = f"{progress.done}/{progress.total}"
        current = blank_unsafe(progress.current)
        self.query_one("#index-current", Label).update(f"{counts}  {current}")

    def finish(self) -> None:
        self.remove_class("-running")
