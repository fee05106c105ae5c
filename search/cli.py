"""The ``fouille`` command: search, index, show, similar, stats, and the terminal app.

argparse (stdlib) keeps start-up fast: ``fouille search`` loads the engine and Whoosh, never
Textual or Rich; only ``fouille`` / ``fouille tui`` import the app, inside the function that
opens it. Data goes to stdout, one-line diagnostics to stderr, and every failure a user can
cause ends with ``fouille: error: <message>`` and a documented exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, BinaryIO, NoReturn, TextIO

from search import __version__
from search.engine import Engine
from search.errors import CorpusError, ExitCode, FouilleError, IndexingCancelled, QueryError
from search.export import FORMATS, WRITERS, json_line
from search.models import STOP_WORDS_NOTICE, IndexReport, Progress, SearchResult, offer_mark
from search.paths import CORPUS_ENV, INDEX_ENV
from search.progress import progress_bar
from search.query import refuse_empty
from search.render import (
    article_text,
    facet_lines,
    one_line,
    result_lines,
    stats_lines,
    use_color,
)
from search.settings import SORT_ORDERS, Settings, load_settings, open_engine
from search.store import NO_INDEX, kept_message, read_pointer, write_lock
from search.watch import FolderWatch, change_note

PROG = "fouille"
SHELLS = ("bash", "zsh", "fish")
DEBUG_ENV = "FOUILLE_DEBUG"

FALLBACK_NOTICE = "no article has every word; showing articles with some of them"


# ----------------------------------------------------------------------------- arguments


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line, ``fouille: error: <message> (<hint>)``, instead
    of the usage block plus the message (the subcommands' parsers are of this class too)."""

    def error(self, message: str) -> NoReturn:
        _usage_error(message, self.prog)


def _usage_error(message: str, prog: str) -> NoReturn:
    _say(f"{PROG}: error: {message} (see: {prog} --help)")
    raise SystemExit(ExitCode.USAGE)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _location_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        type=Path,
        default=default,
        help=f"folder of articles (default: ${CORPUS_ENV}, else corpus in the settings file, "
        "else the bundled articles)",
    )
    parser.add_argument(
        "--index",
        dest="index_dir",
        metavar="DIR",
        type=Path,
        default=default,
        help=f"index folder (default: ${INDEX_ENV}, else index in the settings file, else the "
        "clone's index/ for its bundled articles, else one per corpus in the user's cache folder)",
    )
    parser.add_argument(
        "--follow-outside",
        action="store_const",
        const=True,
        default=default,
        help="follow symbolic links that lead out of the corpus folder (default: skip each, "
        "with a warning; follow_outside in the settings file)",
    )


def _variants_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-variants",
        dest="variants",
        action="store_const",
        const=False,
        help="search the words as typed, without their spelling variants (Kiev = Kyiv)",
    )


def _format_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json (one object), jsonl (one hit per line), csv, markdown",
    )
    parser.add_argument(
        "--json", dest="format", action="store_const", const="json", help="same as --format json"
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line. ``--corpus``/``--index`` are accepted before and after the
    subcommand: the subcommands' copies default to SUPPRESS so they only override when given."""
    parser = _Parser(
        prog=PROG,
        allow_abbrev=False,  # scripts must spell options out: abbreviations break when one is added
        description="French full-text search for a folder of articles. "
        "Without a command, opens the terminal app.",
        epilog="exit codes: 0 hits found, 1 no hits, 2 usage error or rejected query, "
        "3 corpus missing or unreadable, 4 index unreadable or unwritable, "
        "5 index locked by another writer, 6 document not found, 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _location_options(parser, None)
    common = _Parser(add_help=False)
    _location_options(common, argparse.SUPPRESS)

    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    tui = commands.add_parser("tui", parents=[common], help="open the terminal app (the default)")
    tui.add_argument(
        "--limit", type=_positive, metavar="N", help="hits loaded at a time (default 50)"
    )
    tui.add_argument(
        "--sort", choices=SORT_ORDERS, help="how hits start sorted (default relevance)"
    )
    _variants_option(tui)

    # No -h here: argparse would read "-hôpital" (exclude "hôpital") as -h plus "ôpital".
    # A lone -h still shows this help (see _query_words).
    search = commands.add_parser(
        "search",
        parents=[common],
        add_help=False,
        allow_abbrev=False,
        help="search the articles",
        description='Words are joined into one query: fouille search otan "corée du sud" '
        "-japon (a leading - excludes a word)",
    )
    search.add_argument("--help", action="help", help="show this help message and exit")
    search.add_argument("query", nargs="*", metavar="QUERY", help="words, phrases, filters")
    search.set_defaults(print_help=search.print_help)
    search.add_argument("--limit", type=_positive, metavar="N", help="(default 10)")
    search.add_argument("--sort", choices=SORT_ORDERS, help="(default relevance)")
    search.add_argument(
        "--facets",
        action="store_true",
        help="also count the matching articles per month and per source (text and JSON)",
    )
    _variants_option(search)
    search.add_argument(
        "--refresh",
        action="store_true",
        help="bring the index up to date with the folder first (new, changed, deleted files)",
    )
    _format_options(search)
    search.add_argument(
        "--batch",
        nargs="?",
        const="-",
        metavar="FILE",
        help="one query per line from FILE (default: stdin), one JSON object per line on stdout",
    )

    index = commands.add_parser("index", parents=[common], help="bring the index up to date")
    index.add_argument("--full", action="store_true", help="rebuild from scratch")
    index.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="worker processes of a full rebuild (default: one per core, fewer for a small corpus)",
    )
    index.add_argument("--json", action="store_true", help="print the report as JSON")
    index.add_argument(
        "--watch",
        action="store_true",
        help="then keep watching the folder: update the index after each change, one line per "
        "update (Ctrl-C stops)",
    )

    show = commands.add_parser("show", parents=[common], help="print one article")
    show.add_argument("id", metavar="ID", help="article id (its path in the corpus)")
    show.add_argument("--query", "-q", metavar="Q", help="highlight this query's matches")
    _variants_option(show)

    similar = commands.add_parser("similar", parents=[common], help="articles like ID")
    similar.add_argument("id", metavar="ID")
    similar.add_argument("--limit", type=_positive, metavar="N", help="(default 10)")
    _format_options(similar)

    stats = commands.add_parser("stats", parents=[common], help="size and provenance of the index")
    stats.add_argument("--json", action="store_true", help="one JSON object on stdout")

    config = commands.add_parser(
        "config", parents=[common], help="where the settings file is, and the settings in force"
    )
    shown = config.add_mutually_exclusive_group()  # --json --path printed the path alone
    shown.add_argument("--json", action="store_true", help="one JSON object on stdout")
    shown.add_argument("--path", action="store_true", help="print the settings file's path only")

    completion = commands.add_parser(
        "completion",
        help="print a shell completion script",
        description="e.g. fouille completion bash > ~/.local/share/bash-completion/completions/"
        "fouille",
    )
    completion.add_argument("shell", choices=SHELLS)
    return parser


# ----------------------------------------------------------------------------- helpers


def _out() -> TextIO:
    return sys.stdout  # looked up at each call: tests and pagers may swap sys.stdout


def _err() -> TextIO:
    return sys.stderr


def _say(message: str) -> None:
    """One diagnostic line on stderr, made inert (it may quote ids or paths)."""
    _err().write(one_line(message) + "\n")
    _err().flush()


def _print_json(data: dict[str, Any]) -> None:
    _out().write(json_line(data) + "\n")


def _check_corpus(corpus: Path) -> None:
    """Fail with exit 3 before the engine starts, with the hint a user needs."""
    hint = f"pass --corpus DIR or set {CORPUS_ENV}"
    if not corpus.exists():
        raise CorpusError(f"corpus folder not found: {corpus}", hint=hint)
    if not corpus.is_dir():
        raise CorpusError(f"corpus is not a folder: {corpus}", hint=hint)
    if not os.access(corpus, os.R_OK | os.X_OK):
        raise CorpusError(f"corpus folder is not readable: {corpus}")


def _report_skipped(report: IndexReport) -> None:
    for doc_id, reason in report.skipped:
        _say(f"warning: skipped {doc_id}: {reason}")


class _StopOnInterrupt:
    """Turns the first Ctrl-C into a polite request (``should_stop``) so the engine can abandon
    the run and keep the previous index; a second Ctrl-C interrupts at once."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: Any = None
        self._installed = False

    def __call__(self) -> bool:
        return self.requested

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self) -> _StopOnInterrupt:
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        except ValueError:  # not the main thread (embedded use): Ctrl-C stays as it was
            pass
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType
    ) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)


def _building(files: int) -> str:
    return f"building the index of {files} file{'' if files == 1 else 's'}…"


def _ensure_index(engine: Engine) -> bool:
    """Build a missing (or outdated) index before a read command, saying so on stderr; True
    when it built one (from the folder as it is now)."""
    announced = False

    with progress_bar(_err()) as bar:

        def tick(progress: Progress) -> None:
            nonlocal announced
            if not announced:
                announced = True
                _say(_building(progress.total))
            if bar is not None:
                bar(progress)

        report = engine.ensure_index(tick)
    if report is None:
        return False
    if not announced:
        files = report.added + report.updated + report.unchanged + len(report.skipped)
        _say(_building(files))
    reason = getattr(report, "reason", "")
    if reason and reason != NO_INDEX:
        _say(f"rebuilt because {reason}")
    _report_skipped(report)
    _say(report.summary())
    return True


STALE_NOTE = (
    "note: files changed in the folder since the index was updated "
    "(fouille search --refresh, or fouille index, brings it up to date)"
)


def _freshen(engine: Engine, *, refresh: bool) -> None:
    """``--refresh``: update the index first, saying what changed; otherwise say on stderr when
    the folder changed since the last update (a cheap check, see :mod:`search.freshness`)."""
    if refresh:
        with progress_bar(_err()) as bar:
            report = engine.update(progress=bar)
        _report_skipped(report)
        if report.changed:
            _say(f"refreshed: {change_note(report)}")
    elif engine.index_behind():
        _say(STALE_NOTE)


def _print_result(result: SearchResult, *, output: str, scores: bool = True) -> int:
    """The result on stdout in the ``--format`` asked for; notices on stderr (in JSON, they
    are fields of the object)."""
    if output == "json":
        _print_json(result.to_json())
        return ExitCode.OK if result.hits else ExitCode.NO_HITS
    if result.only_stop_words:
        _say(STOP_WORDS_NOTICE)
    if result.fallback:
        _say(FALLBACK_NOTICE)
    if result.suggestion:
        _say(f"did you mean: {result.suggestion} {offer_mark(result.suggestion)}".rstrip())
    out = _out()
    if output in WRITERS:
        WRITERS[output](result, out)
    else:
        for line in result_lines(result, color=use_color(out), scores=scores):
            out.write(line + "\n")
        if result.facets is not None:
            for line in facet_lines(result.facets):
                out.write(line + "\n")
    return ExitCode.OK if result.hits else ExitCode.NO_HITS


# ----------------------------------------------------------------------------- commands


def cmd_tui(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here, not at the top: Textual costs ~200 ms to import, and search/index/show/
    # similar/stats must not pay it (tests/test_import_hygiene.py checks that).
    try:
        from tui.app import run_app
    except ModuleNotFoundError as error:
        raise FouilleError(f"cannot open the terminal app: {error}") from error
    return run_app(settings=settings)


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    """Where the settings file is, and each setting in force with where it came from."""
    out = _out()
    if args.path:
        out.write(one_line(str(settings.config_file)) + "\n")
    elif args.json:
        _print_json(settings.to_json())
    else:
        exists = "" if settings.config_file.is_file() else " (none yet)"
        out.write(one_line(f"settings file: {settings.config_file}{exists}") + "\n\n")
        rows = [("setting", "value", "from")]
        for name, value, origin in settings.items():
            shown = str(value).lower() if isinstance(value, bool) else str(value)
            rows.append((name, "-" if value is None else shown, origin))
        name_width = max(len(row[0]) for row in rows)
        value_width = max(len(row[1]) for row in rows)
        for name, value, origin in rows:
            line = f"{name:<{name_width}}  {value:<{value_width}}  {origin}"
            out.write(one_line(line) + "\n")
    return ExitCode.OK


def cmd_completion(args: argparse.Namespace) -> int:
    """A completion script for ``args.shell``, generated from this very parser by shtab."""
    import shtab  # only here: no other command pays for it

    parser = build_parser()
    for action in _actions(parser):
        if action.dest in ("corpus", "index_dir"):
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
    _out().write(shtab.complete(parser, shell=args.shell))
    return ExitCode.OK


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The options of ``parser`` and of its subcommands."""
    actions = list(parser._actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                actions += _actions(sub)
    return actions


def cmd_search(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    if args.batch is not None:
        return _search_batch(args, settings, engine)
    query = " ".join(args.query)
    refuse_empty(query)
    if not _ensure_index(engine):  # else a build has just read the folder: nothing to check
        _freshen(engine, refresh=args.refresh)
    result = engine.search(
        query, limit=settings.limit, sort=settings.sort, variants=settings.variants
    )
    if args.facets:
        result = dataclasses.replace(
            result, facets=engine.facets(query, variants=settings.variants)
        )
    return _print_result(result, output=args.format, scores=settings.sort == "relevance")


def _search_batch(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    """One JSON line per input line, in order (see :mod:`search.batch`). Exit code: 0 when every
    line got search results (with or without hits), else the code of the first error object."""
    from search import batch

    def run(query: str) -> SearchResult:
        return engine.search(
            query, limit=settings.limit, sort=settings.sort, variants=settings.variants
        )

    with _batch_input(args.batch) as stream:
        if not _ensure_index(engine):  # else a build has just read the folder
            _freshen(engine, refresh=args.refresh)
        first_error = ExitCode.OK
        out = _out()
        for text, too_long in batch.read_queries(stream):
            data, code = batch.answer(run, text, too_long)
            _print_json(data)
            out.flush()  # a script feeding queries one by one reads each answer at once
            if "error" in data and first_error == ExitCode.OK:
                first_error = ExitCode(code)
    return first_error


@contextlib.contextmanager
def _batch_input(name: str) -> Iterator[BinaryIO]:
    if name == "-":
        yield sys.stdin.buffer
        return
    try:
        stream = open(name, "rb")  # noqa: SIM115 (closed below, after the batch)
    except OSError as error:
        raise QueryError(f"cannot read the batch file: {_os_message(error)}") from error
    with stream:
        yield stream


def cmd_index(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    if args.watch and not args.full:
        return _watch(args, engine)  # its first update catches up; a busy writer is waited for
    # Another writer running means exit 5, whether or not this run would have had anything to
    # write (an unchanged corpus is otherwise checked without the lock, and would exit 0).
    with write_lock(engine.index_dir):
        pass
    remains = ""  # after Ctrl-C: what the stopped run left
    with _StopOnInterrupt() as stop, progress_bar(_err()) as bar:
        try:
            report = engine.update(
                full=args.full, progress=bar, should_stop=stop, jobs=args.jobs, verify=True
            )
        except IndexingCancelled as stopped:  # "indexing stopped: <what remains>"
            remains = str(stopped).partition(": ")[2] or kept_message(
                read_pointer(engine.index_dir)
            )
        except KeyboardInterrupt:  # a second Ctrl-C: the run was abandoned where it stood
            remains = kept_message(read_pointer(engine.index_dir))
    if remains:
        _say(f"{PROG}: interrupted: {remains}")
        return ExitCode.INTERRUPTED
    if report.reason and report.reason != NO_INDEX:
        _say(f"rebuilt because {report.reason}")
    _report_skipped(report)
    if args.json:
        _print_json(report.to_json())
    else:
        _out().write(report.summary() + "\n")
    if args.watch:
        _out().flush()
        return _watch(args, engine)
    return ExitCode.OK


def _watch(args: argparse.Namespace, engine: Engine) -> int:
    """``fouille index --watch``: one line per update on stdout (JSON with --json) until Ctrl-C,
    which exits 130 once any update under way has stopped (the previous index kept)."""

    def updated(report: IndexReport) -> None:
        if args.json:
            _print_json(report.to_json())
        else:
            _out().write(f"{time.strftime('%H:%M:%S')} {change_note(report)}\n")
        _out().flush()
        _report_skipped(report)

    def failed(error: FouilleError) -> None:
        _say(f"{PROG}: error: {error} (still watching)")

    def ready() -> None:
        _say(f"watching {engine.corpus} for changes (Ctrl-C to stop)")

    with _StopOnInterrupt() as stop:
        FolderWatch(engine, on_update=updated, on_error=failed, on_ready=ready).run(stop)
    _say(f"{PROG}: stopped watching")
    return ExitCode.INTERRUPTED


def cmd_show(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    _ensure_index(engine)
    article = engine.article(args.id)
    terms = engine.highlight_terms(args.query, variants=settings.variants) if args.query else {}
    title_spans, text_spans = engine.match_spans(args.id, terms)
    out = _out()
    text = article_text(
        article, color=use_color(out), title_spans=title_spans, text_spans=text_spans
    )
    out.write(text.rstrip("\n") + "\n")
    return ExitCode.OK


def cmd_similar(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    _ensure_index(engine)
    return _print_result(engine.similar(args.id, limit=settings.limit), output=args.format)


def cmd_stats(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    _ensure_index(engine)
    stats = engine.stats()
    if args.json:
        _print_json(stats.to_json())
    else:
        for line in stats_lines(stats):
            _out().write(line + "\n")
    return ExitCode.OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings, Engine], int]] = {
    "search": cmd_search,
    "index": cmd_index,
    "show": cmd_show,
    "similar": cmd_similar,
    "stats": cmd_stats,
}


# ----------------------------------------------------------------------------- entry point


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings in force for this command line (flags over environment over file)."""
    flags = {
        "corpus": args.corpus,
        "index": args.index_dir,
        "limit": getattr(args, "limit", None),
        "sort": getattr(args, "sort", None),
        "variants": getattr(args, "variants", None),
        "follow_outside": args.follow_outside,
    }
    return load_settings(flags)


def _run(args: argparse.Namespace) -> int:
    if args.command == "completion":
        return cmd_completion(args)
    settings = settings_from(args)
    if args.command == "config":
        return cmd_config(args, settings)
    _check_corpus(settings.corpus)
    if args.command in (None, "tui"):
        return cmd_tui(args, settings)
    engine = open_engine(settings)
    try:
        code = COMMANDS[args.command](args, settings, engine)
        _out().flush()  # inside the try: a closed pipe is reported here, not at exit
        return code
    finally:
        engine.close()


def _fail(message: str, code: int) -> int:
    _say(f"{PROG}: error: {message}")
    return code


def _os_message(error: OSError) -> str:
    text = error.strerror or str(error) or type(error).__name__
    return f"{text}: {error.filename}" if error.filename else text


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush stays quiet
    (the recipe in Python's signal docs)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests)
        pass


def _tolerant_streams() -> None:
    """A non-UTF-8 terminal gets ``\\u2019`` for a character it cannot show, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _query_words(argv: Sequence[str]) -> list[str]:
    """The words of ``fouille search`` in the order typed, ``-excluded`` words included.

    argparse sets aside the words it takes for unknown options ("-japon") and splits the query
    around them; this walks the command line again, skipping the options it knows, so
    ``fouille search otan -japon --limit 3 corée`` is the query ``otan -japon corée``.
    """
    tokens = iter(argv)
    for token in tokens:  # the global options, up to the command name
        if token in _GLOBAL_VALUE_OPTIONS:
            next(tokens, None)
        elif not token.startswith("-"):
            break
    words: list[str] = []
    for token in tokens:
        if token == "--":
            words.extend(tokens)
        elif token in _SEARCH_VALUE_OPTIONS:
            next(tokens, None)
        elif token.partition("=")[0] not in _SEARCH_VALUE_OPTIONS and token not in _SEARCH_FLAGS:
            words.append(token)
    return words


_GLOBAL_VALUE_OPTIONS = frozenset({"--corpus", "--index"})
_SEARCH_VALUE_OPTIONS = frozenset({"--corpus", "--index", "--limit", "--sort", "--format"})
_SEARCH_FLAGS = frozenset({"--json", "--facets", "--no-variants", "--refresh"})


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """argparse, plus words starting with "-" accepted as query words of ``search``.
    Raises SystemExit like argparse (2 for usage errors, 0 after --help)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    unknown_long = [e for e in extras if e.startswith("--") and e != "--"]
    if args.command == "search" and args.batch is not None:
        search = f"{PROG} search"  # the help to see is the search command's
        if args.query or extras:
            _usage_error("--batch reads the queries from its input, not the command line", search)
        if args.format not in ("text", "json"):
            _usage_error(f"--batch writes JSON lines, not --format {args.format}", search)
    elif args.command == "search" and not unknown_long:
        words = _query_words(argv)
        if sorted(words) == sorted(args.query + extras):
            args.query = words
        else:  # an odd command line this walk does not model: keep argparse's reading
            args.query = [w for w in args.query + extras if w != "--"]
        if "-h" in args.query:
            args.print_help()
            raise SystemExit(ExitCode.OK)
    elif extras:
        prog = f"{PROG} {args.command}" if args.command else PROG
        _usage_error(f"unrecognized arguments: {' '.join(extras)}", prog)
    return args


def _imports_aside() -> None:
    """Move what the imports made (about 22,000 objects: modules, classes, functions, which
    live as long as the process) out of the garbage collector's way (``gc.freeze``), once per
    process: the collections Python makes at exit traversed them all, about 18 ms of the CPU of
    each ``fouille search`` (measured in interleaved rounds). What the command itself makes is
    collected as usual."""
    if gc.get_freeze_count() == 0:
        gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``fouille`` command and return its exit code (see :class:`ExitCode`)."""
    _imports_aside()
    _tolerant_streams()
    try:
        args = parse_args(argv)
    except SystemExit as exit_:  # --help, --version, and usage errors (2, argparse's own)
        return exit_.code if isinstance(exit_.code, int) else ExitCode.USAGE
    try:
        return _run(args)
    except FouilleError as error:
        return _fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", ExitCode.INTERRUPTED)
    except BrokenPipeError:  # `fouille search x | head -1`: the reader has all it wants
        _silence_stdout()
        return ExitCode.OK
    except OSError as error:
        return _fail(_os_message(error), ExitCode.INDEX)
    except Exception as error:
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        detail = one_line(str(error))
        return _fail(
            f"unexpected {type(error).__name__}: {detail} (set {DEBUG_ENV}=1 for the traceback)",
            ExitCode.INDEX,
        )


if __name__ == "__main__":
    sys.exit(main())
