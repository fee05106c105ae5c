"""The one engine API that the CLI and the TUI both call.  (SKELETON: being written.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from search.models import Article, IndexReport, IndexStats, Progress, SearchResult, SortOrder, Span

ProgressCallback = Callable[[Progress], None]


class Engine:
    """A corpus folder and its Whoosh index.

    Thread-safe: each thread gets its own Whoosh searcher (a searcher must not be shared between
    threads), so the TUI can search from workers while a rebuild runs in another thread.
    """

    def __init__(self, corpus: Path | str, index_dir: Path | str) -> None:
        self.corpus = Path(corpus)
        self.index_dir = Path(index_dir)

    def has_index(self) -> bool:
        """True when a readable index of the current schema version exists."""
        raise NotImplementedError

    def ensure_index(self, progress: ProgressCallback | None = None) -> IndexReport | None:
        """Build the index when it is missing or from another schema version; None when ready."""
        raise NotImplementedError

    def update(
        self,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> IndexReport:
        """Incremental update (new, changed, deleted files), or a full rebuild built aside and
        swapped in atomically. Raises IndexLockedError if another writer is running,
        CorpusError if the corpus is missing; ``should_stop`` returning True cancels (the
        previous index stays)."""
        raise NotImplementedError

    def search(self, query: str, *, limit: int = 20, sort: SortOrder = "relevance") -> SearchResult:
        """Ranked hits with snippets. Raises QueryError for a query that cannot be run."""
        raise NotImplementedError

    def article(self, doc_id: str) -> Article:
        """The stored article (title, date, full text). Raises DocumentNotFound."""
        raise NotImplementedError

    def match_spans(self, doc_id: str, query: str) -> tuple[list[Span], list[Span]]:
        """Every match of the query in the article's title and full text, as sorted
        (start, end) spans, stemmed and unaccented variants included."""
        raise NotImplementedError

    def similar(self, doc_id: str, *, limit: int = 10) -> SearchResult:
        """Articles most like ``doc_id`` (by its key terms), itself excluded."""
        raise NotImplementedError

    def stats(self) -> IndexStats:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError
