"""The one engine API that the CLI and the TUI both call.

``Engine(corpus, index_dir)`` owns a corpus folder and its index. Every method is safe to call
from several threads at once: Whoosh searchers must not be shared between threads, so each
thread gets its own, reopened when a rebuild publishes a new generation or an incremental update
commits. Writers are serialised by the index's write lock (see :mod:`search.store`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.searching import Searcher

from search import freshness, health, highlight, postings
from search.documents import MAX_INDEXED_CHARS
from search.errors import DocumentNotFound, FouilleError, IndexUnavailable
from search.facets import count_facets
from search.lexicon import LexiconDamaged, SavedLexicon, Words, lexicon_for
from search.models import (
    Article,
    Facets,
    HighlightTerms,
    Hit,
    IndexReport,
    IndexStats,
    Progress,
    SearchResult,
    SortOrder,
    Span,
)
from search.query import Expansions, ParsedQuery, expand_patterns, parse
from search.ranking import DEFAULT_RANKING, RankingSettings, collect, rank
from search.safety import replace_undecodable
from search.schema import column, field_analyzer
from search.store import (
    GenerationGone,
    Pointer,
    hold_generation,
    index_size,
    read_pointer,
    release_generation,
)
from search.suggest import suggestion_for
from search.variants import Variants, load_variants

ProgressCallback = Callable[[Progress], None]

SIMILAR_TERMS = 12


HOLD_ATTEMPTS = 5
"""Times a reader re-reads CURRENT when the generation it names is freed before it is held."""

_Method = TypeVar("_Method", bound=Callable[..., Any])


def _reports_damage(method: _Method) -> _Method:
    """An error from Whoosh while reading (``Error -3 while decompressing data``, ``Block tag
    error``) becomes "the index is damaged … (repair it: fouille index)" when the segments'
    checksums confirm damage; any other error goes through as it is. A saved lexicon found
    damaged while read (:class:`~search.lexicon.LexiconDamaged`) is rebuilt by
    :meth:`Engine._lexicon` and the method runs again, once."""

    @functools.wraps(method)
    def reading(self: Engine, *args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return method(self, *args, **kwargs)
            except LexiconDamaged:
                return method(self, *args, **kwargs)
        except FouilleError:
            raise
        except Exception as exc:
            reason = health.unusable_reason(self.index_dir, thorough=True)
            if reason is None or not reason.startswith("the index is damaged"):
                raise
            raise IndexUnavailable(
                f"{reason.replace('the index', f'the index in {self.index_dir}', 1)}",
                hint="repair it: fouille index",
            ) from exc

    return cast(_Method, reading)


@dataclass
class _ThreadState:
    pointer: Pointer  # the CURRENT that named the generation this searcher reads
    ix: whoosh_index.Index
    searcher: Searcher
    hold: int | None  # the reader lock that keeps writers from deleting the generation
    thread: threading.Thread = field(default_factory=threading.current_thread)
    dropped: bool = False

    @property
    def generation(self) -> str:
        return self.pointer.generation


class Engine:
    """A corpus folder and its Whoosh index, searched with the given ranking settings."""

    def __init__(
        self,
        corpus: Path | str,
        index_dir: Path | str,
        *,
        ranking: RankingSettings = DEFAULT_RANKING,
        follow_outside: bool = False,
        variants: Variants | None = None,
    ) -> None:
        """``variants``: the spelling-variant groups that searches apply (default: the bundled
        list; ``Variants()`` for none)."""
        self.corpus = Path(corpus)
        self.follow_outside = follow_outside
        """Index files that symbolic links reach outside the corpus folder (off: each such
        link is skipped with a warning)."""
        self.index_dir = Path(index_dir)
        self.ranking = ranking
        self._variants = variants
        self._local = threading.local()
        self._states: list[_ThreadState] = []
        self._states_lock = threading.Lock()
        self._lexicons: dict[tuple[str, int], Words] = {}
        self._lexicon_lock = threading.Lock()
        self._writer_turn = threading.Lock()
        """One indexer run at a time through this engine: in the app, a Ctrl+R rebuild waits
        for the folder watcher's update under way (and the other way round) instead of
        failing on the index's write lock as if another process held it."""

    # -- index lifecycle ---------------------------------------------------------------------

    def _pointer(self) -> Pointer | None:
        return read_pointer(self.index_dir)

    def _diagnosis(
        self, *, touch: bool = False, thorough: bool = False
    ) -> tuple[Pointer | None, str | None]:
        """The live pointer and why the index must be rebuilt before use (None: it is ready),
        decided once, by :func:`search.health.diagnose` (CURRENT read once). With ``touch``,
        the segments are read through this thread's searcher, which the search that follows
        reuses; ``thorough`` hashes them against their checksums.

        An index folder built for another corpus is refused, never wiped (rebuilding it for
        this corpus takes an explicit full rebuild): by default each corpus has its own."""
        pointer, reason = health.diagnose(
            self.index_dir,
            corpus=self.corpus,
            touch=self._touch_live if touch else None,
            thorough=thorough,
        )
        if pointer is not None and health.built_for_another_corpus(pointer, self.corpus):
            raise IndexUnavailable(
                f"the index in {self.index_dir} is the index of another corpus ({pointer.corpus})",
                hint="use another index folder (by default each corpus has its own), "
                "or replace this one: fouille index --full",
            )
        return pointer, reason

    def _touch_live(self, pointer: Pointer) -> None:
        try:
            try:
                searcher = self._searcher_of(pointer)
            except GenerationGone:  # replaced since CURRENT was read: read it again
                searcher = self._searcher()
            health.touch_segments(searcher.reader())
        except Exception:  # a searcher that cannot read must not be reused
            state = getattr(self._local, "state", None)
            if state is not None:
                self._drop(state)
                self._local.state = None
            raise

    def has_index(self) -> bool:
        """True when a readable index of the current schema version exists."""
        return self._diagnosis(touch=True)[1] is None

    def ensure_index(self, progress: ProgressCallback | None = None) -> IndexReport | None:
        """Build the index when it is missing, damaged or from another schema version; None when
        it is ready. The report's ``reason`` says why it was built."""
        reason = self._diagnosis(touch=True)[1]
        if reason is None:
            return None
        from search import indexer  # building: not on the search path (start-up time)

        return self._stamped(
            lambda: indexer.build_full(
                self.corpus,
                self.index_dir,
                progress=progress,
                reason=reason,
                follow_outside=self.follow_outside,
            )
        )

    def update(
        self,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
        jobs: int | None = None,
        verify: bool = False,
    ) -> IndexReport:
        """Incremental update (new, changed, deleted files), or a full rebuild built aside and
        swapped in atomically. An update of this engine under way in another thread is waited
        for. Raises IndexLockedError if another writer (another process) is running,
        CorpusError if the corpus is missing; ``should_stop`` returning True cancels with
        IndexingCancelled (the previous index stays). A full rebuild runs ``jobs`` worker
        processes (None: one per core, fewer for a small corpus). ``verify`` also hashes the
        index's segments against their checksums before an incremental update (``fouille
        index`` does; the folder watcher and ``--refresh`` do not: a few ms per MB each time)."""
        from search import indexer  # building: not on the search path (start-up time)

        options: dict[str, Any] = {
            "progress": progress,
            "should_stop": should_stop,
            "jobs": jobs,
            "follow_outside": self.follow_outside,
        }

        def run() -> IndexReport:
            if full:
                return indexer.build_full(self.corpus, self.index_dir, **options)
            # judged once for the whole update; an unusable index is rebuilt in full
            diagnosis = self._diagnosis(thorough=verify)
            return indexer.update_incremental(
                self.corpus, self.index_dir, diagnosis=diagnosis, **options
            )

        return self._stamped(run)

    def _stamped(self, run: Callable[[], IndexReport]) -> IndexReport:
        """Run an indexer function on this engine's corpus and index, in this engine's writer
        turn, then stamp the index with when its scan started (for :meth:`index_behind`)."""
        with self._writer_turn:
            started = freshness.scan_started()
            report = run()
            freshness.mark_scanned(self.index_dir, started, self.corpus)
        return report

    def index_behind(self) -> bool:
        """True when files of the corpus folder changed since the index was last updated
        (a cheap check, see :mod:`search.freshness`)."""
        return freshness.index_behind(self.corpus, self.index_dir)

    # -- searchers ---------------------------------------------------------------------------

    def _searcher(self) -> Searcher:
        """This thread's searcher on the live index, reopened when the index changed."""
        for _ in range(HOLD_ATTEMPTS):
            pointer = self._pointer()
            if pointer is None:
                raise IndexUnavailable(
                    f"no index in {self.index_dir}", hint="run: fouille index --full"
                )
            try:
                return self._searcher_of(pointer)
            except GenerationGone:  # superseded and freed since CURRENT was read: read again
                continue
        raise IndexUnavailable(
            f"the index in {self.index_dir} keeps changing", hint="run the command again"
        )

    def _searcher_of(self, pointer: Pointer) -> Searcher:
        state: _ThreadState | None = getattr(self._local, "state", None)
        if state is not None and state.generation == pointer.generation:
            if not state.searcher.up_to_date():
                # a fresh searcher, not Searcher.refresh(): refresh reuses the reader of a
                # segment whose deletions changed and still shows the deleted documents
                with contextlib.suppress(Exception):
                    state.searcher.close()
                state.searcher = state.ix.searcher(weighting=self.ranking.weighting())
            return state.searcher
        if state is not None:
            self._drop(state)
            self._local.state = None
        hold = hold_generation(self.index_dir, pointer.generation)
        try:
            ix = health.open_generation(self.index_dir, pointer.generation)  # rides out commits
            # reads the segment files: damage shows here, not above
            searcher = ix.searcher(weighting=self.ranking.weighting())
        except Exception as exc:
            release_generation(self.index_dir, pointer.generation, hold)
            raise IndexUnavailable(
                f"the index in {self.index_dir} cannot be read ({type(exc).__name__})",
                hint="rebuild it: fouille index --full",
            ) from exc
        state = _ThreadState(pointer, ix, searcher, hold)
        self._local.state = state
        with self._states_lock:
            self._states.append(state)
            # searchers of finished threads (one-off threads, a shrunk pool) hold open files
            # until closed: nobody else can use them, so close them here
            dead = [s for s in self._states if not s.thread.is_alive()]
        for old in dead:
            self._drop(old)
        return state.searcher

    def _drop(self, state: _ThreadState) -> None:
        """Close a searcher and let go of its generation (freed if it is no longer live and
        no one else reads it); safe to call twice."""
        with self._states_lock:
            if state.dropped:
                return
            state.dropped = True
            with contextlib.suppress(ValueError):
                self._states.remove(state)
        with contextlib.suppress(Exception):
            state.searcher.close()
        with contextlib.suppress(Exception):
            state.ix.close()
        release_generation(self.index_dir, state.generation, state.hold)

    def close(self) -> None:
        """Close every searcher this engine opened, in any thread."""
        with self._states_lock:
            states = list(self._states)
        for state in states:
            self._drop(state)
        self._local = threading.local()

    # -- lexicon -----------------------------------------------------------------------------

    def _lexicon(self, searcher: Searcher) -> Words:
        """The words of the live index (see :func:`search.lexicon.lexicon_for`), read a bucket
        at a time as the searches ask, kept for as long as the index does not change; rebuilt
        from the articles when it was found damaged while read."""
        state: _ThreadState = self._local.state
        key = (state.generation, searcher.reader().generation())
        with self._lexicon_lock:
            lexicon = self._lexicons.get(key)
            damaged = isinstance(lexicon, SavedLexicon) and lexicon.damaged
            if lexicon is not None and not damaged:
                return lexicon
            folder = self.index_dir / state.generation
            analyzer = field_analyzer(searcher.schema)
            lexicon = lexicon_for(
                searcher,
                folder,
                analyzer,
                MAX_INDEXED_CHARS,
                save=True,
                whole=False,
                trust_saved=not damaged,
            )
            self._lexicons = {key: lexicon}  # older generations are no longer searched
            return lexicon

    def _expanded(self, searcher: Searcher, parsed: ParsedQuery) -> ParsedQuery:
        """The parsed query with its word patterns (prefix, wildcard, fuzzy) expanded."""
        if not parsed.has_patterns:
            return parsed
        lexicon = self._lexicon(searcher)
        memo: Expansions = {}  # the relaxed form holds the strict form's patterns
        return dataclasses.replace(
            parsed,
            strict=expand_patterns(parsed.strict, lexicon, memo),
            relaxed=expand_patterns(parsed.relaxed, lexicon, memo),
        )

    # -- search ------------------------------------------------------------------------------

    def _parse(
        self, searcher: Searcher, query: str, variants: bool = True
    ) -> tuple[ParsedQuery, dict[str, list[str]]]:
        """The query parsed, its patterns expanded and, with ``variants``, each word that has
        spelling variants OR'ed with them; and the variants used (see :mod:`search.variants`)."""
        parsed = self._expanded(searcher, parse(query, searcher.schema, self.ranking.field_boosts))
        if not variants:
            return parsed, {}
        if self._variants is None:
            self._variants = load_variants()
        strict, used = self._variants.expand(parsed.strict)
        relaxed, _ = self._variants.expand(parsed.relaxed)
        return dataclasses.replace(parsed, strict=strict, relaxed=relaxed), used

    @_reports_damage
    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        sort: SortOrder = "relevance",
        snippets: bool = True,
        variants: bool = True,
    ) -> SearchResult:
        """Ranked hits with snippets (see :mod:`search.ranking` for the order; without
        ``snippets``, hits carry their id, title and score only); ``variants`` searches the
        spelling variants of the words too. Raises QueryError for a query that cannot be run as
        typed."""
        start = time.perf_counter()
        searcher = self._searcher()
        parsed, used = self._parse(searcher, query, variants)
        if parsed.strict is None and parsed.date_filter is None:
            return SearchResult(query, 0, _ms(start), [], only_stop_words=parsed.only_stop_words)
        ranked = rank(
            searcher,
            parsed,
            self.ranking,
            limit=limit,
            sort=sort,
            lexicon=lambda: self._lexicon(searcher),
        )
        terms = highlight.positive_terms(parsed.strict)
        hits = self._hits(searcher, ranked.found, terms, snippets=snippets)
        if ranked.partial:
            hits = [
                dataclasses.replace(hit, all_words=False) if docnum in ranked.partial else hit
                for hit, (docnum, _) in zip(hits, ranked.found, strict=True)
            ]
        words = tuple(w for w in parsed.words if w not in used)  # found through a variant
        suggestion = suggestion_for(
            query, words, ranked.total, ranked.fallback, lambda: self._lexicon(searcher)
        )
        return SearchResult(
            query=query,
            total=ranked.total,
            took_ms=_ms(start),
            hits=hits,
            suggestion=suggestion,
            fallback=ranked.fallback,
            highlight_terms=terms,
            all_words=ranked.all_words,
            some_words=ranked.some_words,
            variants=used,
        )

    @_reports_damage
    def facets(self, query: str, *, variants: bool = True) -> Facets:
        """How many of the articles ``query`` matches fall in each month and each source (an
        empty query: the whole index), spelling variants included as in :meth:`search`.
        Raises QueryError like :meth:`search`."""
        searcher = self._searcher()
        return count_facets(searcher, self._parse(searcher, query, variants)[0])

    @_reports_damage
    def newest(self, *, limit: int = 20) -> SearchResult:
        """The most recent articles, newest first (undated ones last): what an empty query
        lists. ``query`` is empty and ``total`` is the number of articles in the index."""
        start = time.perf_counter()
        searcher = self._searcher()
        found, total = collect(searcher, wq.Every(), self.ranking, limit=max(1, limit), sort="date")
        hits = self._hits(searcher, found, {})
        return SearchResult(query="", total=total, took_ms=_ms(start), hits=hits)

    def _hits(
        self,
        searcher: Searcher,
        found: list[tuple[int, float]],
        terms: HighlightTerms,
        *,
        snippets: bool = True,
    ) -> list[Hit]:
        stored = postings.cache_of(searcher)  # the texts the ranking just read, if it did
        docnums = [d for d, _ in found]
        if snippets:
            body_terms, title_terms = (
                terms.get("body", frozenset()),
                terms.get("title", frozenset()),
            )
            body_spans = highlight.spans_in(stored, docnums, "body", body_terms)
            title_spans = highlight.spans_in(stored, docnums, "title", title_terms)
        hits = []
        for n, (docnum, score) in enumerate(found, start=1):
            fields = stored.stored_fields(docnum)
            text, spans = "", []
            if snippets:
                text, spans = highlight.snippet(
                    fields.get("body", ""), body_spans[docnum], title=fields.get("title", "")
                )
            hits.append(
                Hit(
                    rank=n,
                    id=fields["id"],
                    path=_display_path(fields.get("path", "")),
                    title=fields.get("title", ""),
                    date=_date(fields.get("date", 0)),
                    score=float(score),
                    snippet=text,
                    snippet_spans=spans,
                    title_spans=title_spans[docnum] if snippets else [],
                    source=fields.get("source") or None,
                    author=fields.get("author") or None,
                )
            )
        return hits

    def _docnum(self, searcher: Searcher, doc_id: str) -> int:
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            raise DocumentNotFound(
                f"no article with id {doc_id!r} in the index",
                hint="ids are paths relative to the corpus, as `fouille search --json` prints",
            )
        return docnum

    @_reports_damage
    def article(self, doc_id: str) -> Article:
        """The stored article (title, date, full text). Raises DocumentNotFound."""
        searcher = self._searcher()
        fields = searcher.stored_fields(self._docnum(searcher, doc_id))
        return Article(
            id=fields["id"],
            path=Path(fields.get("path", "")),
            title=fields.get("title", ""),
            date=_date(fields.get("date", 0)),
            text=fields.get("body", ""),
            source=fields.get("source") or None,
            author=fields.get("author") or None,
        )

    @_reports_damage
    def highlight_terms(self, query: str, *, variants: bool = True) -> HighlightTerms:
        """What a search for ``query`` highlights (its ``highlight_terms``), without ranking:
        for showing one article with a query's matches. Raises QueryError."""
        searcher = self._searcher()
        return highlight.positive_terms(self._parse(searcher, query, variants)[0].strict)

    @_reports_damage
    def match_spans(self, doc_id: str, terms: HighlightTerms) -> tuple[list[Span], list[Span]]:
        """Every occurrence of ``terms`` (a result's ``highlight_terms``) in the article's title
        and full text, as sorted (start, end) spans: stemmed and unaccented variants included,
        since the terms are the index's own."""
        searcher = self._searcher()
        docnum = self._docnum(searcher, doc_id)
        cache = postings.cache_of(searcher)
        title = highlight.spans_in(cache, [docnum], "title", terms.get("title", frozenset()))
        body = highlight.spans_in(cache, [docnum], "body", terms.get("body", frozenset()))
        return title[docnum], body[docnum]

    @_reports_damage
    def similar(self, doc_id: str, *, limit: int = 10) -> SearchResult:
        """Articles most like ``doc_id`` by its key terms (Whoosh's Bo1 model), itself excluded."""
        start = time.perf_counter()
        searcher = self._searcher()
        docnum = self._docnum(searcher, doc_id)
        fields = searcher.stored_fields(docnum)
        # only what was indexed: analysing a 19 MB text whole took 600 MB and 25 s
        text = f"{fields.get('title', '')}\n{fields.get('body', '')[:MAX_INDEXED_CHARS]}"
        del fields
        keys = [
            term for term, _ in searcher.key_terms_from_text("body", text, numterms=SIMILAR_TERMS)
        ]
        if not keys:
            return SearchResult(f"similar:{doc_id}", 0, _ms(start), [])
        q = wq.Or([wq.Term("body", t) for t in keys] + [wq.Term("title", t) for t in keys])
        results = searcher.search(q, limit=max(1, limit), mask={docnum})
        found = [(h.docnum, h.score) for h in results]
        # the key terms are index terms already: highlighted as they are, never parsed again
        terms = {"body": frozenset(keys), "title": frozenset(keys)}
        return SearchResult(
            query=f"similar:{doc_id}",
            total=len(results),
            took_ms=_ms(start),
            hits=self._hits(searcher, found, terms),
            highlight_terms=terms,
        )

    # -- stats -------------------------------------------------------------------------------

    @_reports_damage
    def stats(self) -> IndexStats:
        """Size and provenance of the live index."""
        searcher = self._searcher()
        pointer = self._local.state.pointer  # the one the searcher reads: CURRENT is not re-read
        reader = searcher.reader()
        dates = column(reader, "date")
        known = [dates[n] for n in reader.all_doc_ids() if dates[n]]
        terms = len(self._lexicon(searcher))
        return IndexStats(
            corpus=str(self.corpus),
            index=str(self.index_dir),
            documents=reader.doc_count(),
            size_bytes=index_size(self.index_dir, pointer.generation),
            terms=terms,
            schema_version=pointer.schema,
            built_at=pointer.built_at,
            oldest=_date(min(known)) if known else None,
            newest=_date(max(known)) if known else None,
        )


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _date(value: int | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        return None


def _display_path(path: str) -> str:
    """The path as text (its undecodable bytes as U+FFFD), still the user's path: each output
    makes it inert where it prints it (:mod:`search.safety`)."""
    return replace_undecodable(path)
