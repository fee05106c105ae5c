"""The ``fouille`` command as scripts and people use it: exit codes, exact messages, output
formats, and terminal safety. In-process ``main(argv)`` with capsys for most tests (fast);
subprocesses for what only a real process shows (``python -m search``, a TTY, a closed pipe).
Every corpus is built in tmp_path and passed with --corpus/--index: the project's index/ is
never touched.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from search import cli, render
from search.cli import main
from search.errors import ExitCode, IndexingCancelled
from search.models import Hit, IndexStats, Progress, SearchResult, merge_spans
from search.progress import BAR_WIDTH, ProgressBar, progress_for
from search.safety import show_unsafe
from search.settings import Settings
from search.store import write_lock
from tests.support.contract import HIT_KEYS, RESULT_KEYS
from tests.support.corpora import make_corpus, seed_files
from tests.support.processes import loc, run_in_pty

SGR = re.compile(r"\x1b\[[0-9;]*m")
SUMMARY = re.compile(
    r"^(incremental|full rebuild): \d+ added, \d+ updated, \d+ removed, \d+ unchanged"
    r"(, \d+ skipped)? in \d+\.\d\d s$"
)
TOTAL = re.compile(r"^(no article|\d+ articles?|\d+ of \d+ articles) in \d+\.\d ms$")
EVIL_TEXT = (
    "Alerte zanzibar\x1b]0;pwned\x07 sur le port\n\n"
    "Publié le 3 mars 2024\n\n"
    "Le rapport zanzibar contient \x1b[2J puis [bold]x[/] et \u202edroite\u202c enfin.\n"
)
CLI_ARTICLES = {
    "evil.txt": EVIL_TEXT,
    "pluie.txt": (
        "La pluie sur Brest\n\nPublié le 2 février 2021\n\n"
        "Il pleut sur Brest, une pluie fine et tenace, depuis le matin sur le port.\n"
    ),
}


def make_cli_corpus(root: Path) -> Path:
    """Three real seed articles, one hostile article, one short article of our own."""
    return make_corpus(root, CLI_ARTICLES, seeds=3)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FOUILLE_CORPUS", "FOUILLE_INDEX", "FOUILLE_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fresh(tmp_path: Path) -> list[str]:
    """A corpus with no index yet."""
    return loc(make_cli_corpus(tmp_path), tmp_path / "index")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A corpus indexed once for the read-only tests of this module."""
    root = tmp_path_factory.mktemp("built")
    args = loc(make_cli_corpus(root), root / "index")
    assert main(["index", *args]) == ExitCode.OK
    return args


def run_module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def assert_one_error_line(err: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("fouille: error: "), err
    assert "Traceback" not in err


# ----------------------------------------------------------------------------- rendering


def test_control_characters_become_visible_and_lines_survive() -> None:
    assert show_unsafe("a\x1b[2Jb\x07c\n\td", keep="\t\n") == "a␛[2Jb␇c\n\td"
    assert show_unsafe("\x7f\x9b\u202e\u2066") == "␡\\u009b\\u202e\\u2066"
    assert render.one_line("titre\nsur\r\ndeux\tlignes") == "titre sur deux lignes"
    assert render.one_line("x\x1b]0;pwned\x07") == "x␛]0;pwned␇"


def test_highlight_styles_spans_only_on_color_and_escaping_never_shifts_them() -> None:
    text = "\x1b[2J otan et OTAN"
    spans = [(5, 9), (13, 17)]
    assert render.highlight(text, spans, color=False) == "␛[2J otan et OTAN"
    coloured = render.highlight(text, spans, color=True)
    m, r = render.MATCH, render.RESET
    assert coloured == f"␛[2J {m}otan{r} et {m}OTAN{r}"


def test_merge_spans_clamps_sorts_and_merges() -> None:
    assert merge_spans([(5, 9), (0, 2), (8, 12), (20, 30), (3, 3)], 22) == [
        (0, 2),
        (5, 12),
        (20, 22),
    ]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_color_only_on_a_tty_without_no_color() -> None:
    assert render.use_color(_Tty(), env={})
    assert not render.use_color(_Tty(), env={"NO_COLOR": "1"})
    assert not render.use_color(_Tty(), env={"TERM": "dumb"})
    assert not render.use_color(io.StringIO(), env={})


def test_hit_lines_keep_snippet_spans_on_the_words_after_stripping() -> None:
    snippet = "  … le chef de l'OTAN a dit"
    start = snippet.index("OTAN")
    hit = Hit(1, "a.txt", "/c/a.txt", "Titre", None, 3.14159, snippet, [(start, start + 4)])
    plain = render.hit_lines(hit, color=False)
    assert plain == ["1. Titre  a.txt  3.14", "    … le chef de l'OTAN a dit"]
    assert render.hit_lines(hit, color=False, score=False)[0] == "1. Titre  a.txt"
    coloured = render.hit_lines(hit, color=True)[1]
    assert f"{render.MATCH}OTAN{render.RESET}" in coloured


def test_total_line_wording() -> None:
    def result(total: int, shown: int) -> SearchResult:
        hits = [Hit(i + 1, "a", "a", "t", None, 1.0, "s", []) for i in range(shown)]
        return SearchResult("q", total, 4.06, hits)

    assert render.total_line(result(0, 0)) == "no article in 4.1 ms"
    assert render.total_line(result(1, 1)) == "1 article in 4.1 ms"
    assert render.total_line(result(12, 3)) == "3 of 12 articles in 4.1 ms"


def test_stats_lines_are_aligned_and_sizes_human() -> None:
    stats = IndexStats("/c", "/i", 5, 3 * 1024 * 1024, 900, 2, None)
    lines = render.stats_lines(stats)
    assert lines[0] == "documents       5"
    assert "index size      3.0 MB" in lines
    assert "built at        never" in lines
    assert render.human_size(812) == "812 B"


def test_progress_bar_draws_in_place_and_clears() -> None:
    stream = _Tty()
    bar = ProgressBar(stream, width=80)
    assert bar.line(Progress(3, 6, "dir/\x1barticle.txt")) == (
        f"[{'#' * (BAR_WIDTH // 2)}{'.' * (BAR_WIDTH // 2)}] 3/6 dir/␛article.txt"
    )
    assert len(ProgressBar(stream, width=20).line(Progress(1, 600, "x" * 50))) == 19
    bar(Progress(6, 6, "last.txt"))
    bar.clear()
    assert stream.getvalue().startswith("\r[")
    assert stream.getvalue().endswith("\r\x1b[K")
    assert progress_for(io.StringIO()) is None  # no bar in a pipe or a log file
    assert isinstance(progress_for(_Tty()), ProgressBar)


# ----------------------------------------------------------------------------- arguments


def test_location_options_before_or_after_the_command() -> None:
    parser = cli.build_parser()
    before = parser.parse_args(["--corpus", "/a", "--index", "/i", "search", "x"])
    after = parser.parse_args(["search", "x", "--corpus", "/a", "--index", "/i"])
    both = parser.parse_args(["--corpus", "/a", "stats", "--corpus", "/b"])
    assert (before.corpus, before.index_dir) == (Path("/a"), Path("/i"))
    assert (after.corpus, after.index_dir) == (Path("/a"), Path("/i"))
    assert both.corpus == Path("/b") and both.index_dir is None
    assert parser.parse_args(["search", "corée", "du", "sud"]).query == ["corée", "du", "sud"]


def test_excluded_words_are_query_words_in_typed_order() -> None:
    argv = ["--corpus", "/c", "search", "otan", "-japon", "--limit", "3", "corée", "-hôpital"]
    args = cli.parse_args(argv)
    assert (args.query, args.limit) == (["otan", "-japon", "corée", "-hôpital"], 3)
    args = cli.parse_args(["search", "--sort", "date", "-x", "--json", "--", "--limit"])
    assert (args.query, args.sort, args.format) == (["-x", "--limit"], "date", "json")


def test_excluding_a_word_drops_its_articles(
    built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "port", "--json", *built]) == ExitCode.OK
    assert {h["id"] for h in json.loads(capsys.readouterr().out)["hits"]} >= {
        "evil.txt",
        "pluie.txt",
    }
    assert main(["search", "port", "-brest", "--json", *built]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "port -brest"
    assert "evil.txt" in {h["id"] for h in data["hits"]}
    assert "pluie.txt" not in {h["id"] for h in data["hits"]}


@pytest.mark.parametrize(
    "argv",
    [
        ["search"],
        ["search", "x", "--limit", "0"],
        ["search", "x", "--limit", "dix"],
        ["search", "x", "--sort", "random"],
        ["search", "otan", "--bogus"],
        ["search", "otan", "--lim", "3"],
        ["stats", "-x"],
        ["show"],
        ["nope"],
        ["search", "x", "--format", "xml"],
    ],
)
def test_usage_errors_exit_2_in_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # argparse printed the usage block first (3-4 lines); the README promises one line
    assert main(argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert_one_error_line(err)
    assert err.rstrip().endswith(")"), err  # with a hint


@pytest.mark.parametrize("argv", [["--help"], ["search", "--help"]])
def test_index_help_names_every_default_fouille_config_shows(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == ExitCode.OK
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal
    index_help = text[text.index("--index DIR index folder") :]
    assert index_help.startswith(
        "--index DIR index folder (default: $FOUILLE_INDEX, else index in the settings file, "
        "else the clone's index/ for its bundled articles, else one per corpus in the user's "
        "cache folder)"
    )


def test_missing_corpus_exits_3_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    for command in (["search", "x"], ["index"], ["stats"], ["show", "a.txt"], []):
        assert main([*command, *loc(missing, tmp_path / "i")]) == ExitCode.CORPUS
        assert capsys.readouterr().err == (
            f"fouille: error: corpus folder not found: {missing} "
            "(pass --corpus DIR or set FOUILLE_CORPUS)\n"
        )
    assert not (tmp_path / "i").exists()


def test_tui_is_the_default_command_and_gets_the_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_cli_corpus(tmp_path)
    calls: list[tuple[Path, Path, bool]] = []

    class FakeAppModule:
        @staticmethod
        def run_app(settings: Settings) -> int:
            calls.append((settings.corpus, settings.index, settings.follow_outside))
            return 0

    monkeypatch.setitem(sys.modules, "tui.app", FakeAppModule)
    assert main(loc(corpus, tmp_path / "idx")) == 0
    assert main(["tui", *loc(corpus, tmp_path / "idx")]) == 0
    assert main(["tui", "--follow-outside", *loc(corpus, tmp_path / "idx")]) == 0
    expected = (corpus, tmp_path / "idx", False)
    assert calls == [expected, expected, (corpus, tmp_path / "idx", True)]


def test_tui_takes_the_sort_variants_and_limit_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_cli_corpus(tmp_path)
    given: list[Settings] = []

    class FakeAppModule:
        @staticmethod
        def run_app(settings: Settings) -> int:
            given.append(settings)
            return 0

    monkeypatch.setitem(sys.modules, "tui.app", FakeAppModule)
    args = ["tui", "--sort", "date", "--no-variants", "--limit", "7"]
    assert main([*args, *loc(corpus, tmp_path / "idx")]) == 0
    (settings,) = given
    assert (settings.sort, settings.variants, settings.limit) == ("date", False, 7)
    assert settings.given("limit") and settings.origins["sort"] == "command line --sort"


# ----------------------------------------------------------------------------- search


def test_search_prints_ranked_hits_plain_when_piped(
    built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "Stoltenberg", *built]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert "\x1b" not in out and err == ""
    lines = out.splitlines()
    assert re.match(r"^1\. \S.*?(  \(\d{4}-\d\d-\d\d\))?  \S+\.txt  \d+\.\d\d$", lines[0])
    assert lines[1].startswith("    ") and "stoltenberg" in lines[1].lower()
    assert TOTAL.match(lines[-1]), lines[-1]
    assert lines[-1].startswith("3 articles")  # the three seeds, not evil.txt nor pluie.txt


def test_search_with_no_hit_exits_1(built: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "xylophonique", *built]) == ExitCode.NO_HITS
    out = capsys.readouterr().out
    assert out.startswith("no article in ") and TOTAL.match(out.strip())


def test_an_empty_folder_finds_no_article_and_counts_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    args = loc(corpus, tmp_path / "index")
    for query in (["otan"], ["otan", "--sort", "date"], ["otan", "corée", "-japon"]):
        assert main(["search", *query, *args]) == ExitCode.NO_HITS
        out, err = capsys.readouterr()
        assert out.startswith("no article in ") and "error" not in err, err
    assert main(["stats", "--json", *args]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 0 and data["oldest"] is None
    # a first article, then none again: incremental updates of an empty index
    (corpus / "otan.txt").write_text("L'OTAN\n\nL'OTAN se réunit.\n", encoding="utf-8")
    assert main(["index", *args]) == ExitCode.OK
    assert capsys.readouterr().out.startswith("incremental: 1 added")
    (corpus / "otan.txt").unlink()
    assert main(["index", *args]) == ExitCode.OK
    assert capsys.readouterr().out.startswith("incremental: 0 added, 0 updated, 1 removed")
    assert main(["index", *args]) == ExitCode.OK
    capsys.readouterr()
    assert main(["stats", *args]) == ExitCode.OK
    assert capsys.readouterr().out.splitlines()[0] == "documents       0"


@pytest.mark.parametrize("query", ['"', '""', "« »", ' " '])
def test_a_query_of_quotes_alone_is_an_empty_query(
    built: list[str], query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # '"' said "no article" (exit 1) while '""' said "empty query" (exit 2)
    assert main(["search", *built, "--", query]) == ExitCode.USAGE
    assert capsys.readouterr().err == "fouille: error: empty query (give at least one word)\n"


def test_search_words_are_joined_into_one_query(
    built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "pluie", "Brest", "--json", *built]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "pluie Brest"
    assert [h["id"] for h in data["hits"]] == ["pluie.txt"]


def test_search_json_schema(built: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "stoltenberg", "--json", "--limit", "2", *built]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one object, one line
    data = json.loads(out)
    assert set(data) == RESULT_KEYS
    assert data["variants"] == {}  # no spelling variants for this word
    assert isinstance(data["total"], int) and data["total"] == 3
    assert isinstance(data["took_ms"], float)
    assert data["fallback"] is False and data["suggestion"] is None
    assert len(data["hits"]) == 2
    for rank, hit in enumerate(data["hits"], start=1):
        assert set(hit) == HIT_KEYS
        assert hit["rank"] == rank
        assert isinstance(hit["score"], float) and isinstance(hit["title"], str)
        assert hit["date"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", hit["date"])
        assert hit["snippet_spans"], hit
        for start, end in hit["snippet_spans"]:
            assert hit["snippet"][start:end].casefold() == "stoltenberg"


def test_search_json_spans_cover_stemmed_and_accented_forms(
    built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "pluies", "--json", *built]) == ExitCode.OK
    hit = json.loads(capsys.readouterr().out)["hits"][0]
    words = {hit["snippet"][s:e].casefold() for s, e in hit["snippet_spans"]}
    assert words and all(w.startswith("plu") for w in words), words


def test_search_sort_by_date(built: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["search", "pluie OR zanzibar OR stoltenberg", "--sort", "date", "--json", *built])
        == 0
    )
    dates = [h["date"] for h in json.loads(capsys.readouterr().out)["hits"] if h["date"]]
    assert len(dates) >= 2 and dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    "query", ['"Corée du', "(((", "title:", "*", ")", "AND", "-", ":", "date:>", '"']
)
def test_odd_queries_never_traceback(
    query: str, built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["search", query, *built])
    err = capsys.readouterr().err
    assert code in (ExitCode.OK, ExitCode.NO_HITS, ExitCode.USAGE), err
    if code == ExitCode.USAGE:
        assert_one_error_line(err)
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "query", ["(" * 990 + "otan" + ")" * 990, "-(" * 500 + "otan"], ids=["brackets", "not"]
)
def test_deeply_nested_query_exits_2_in_one_line(
    query: str, built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["search", *built, "--", query])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE, err
    assert_one_error_line(err)
    assert "nested too deeply" in err


def test_suggestion_and_fallback_notices_go_to_stderr(
    built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    main(["search", "Stoltenbreg", *built])
    out, err = capsys.readouterr()
    assert "did you mean: stoltenberg ?" in err.casefold()
    main(["search", "Comment Stoltenbreg ?", *built])  # the question keeps its one ?
    assert "did you mean: Comment Stoltenberg ?\n" in capsys.readouterr().err
    main(["search", "pluie", "xylophonique", *built])
    out, err = capsys.readouterr()
    assert cli.FALLBACK_NOTICE + "\n" in err
    assert "pluie.txt" in out


def test_first_search_builds_the_index_and_says_so(
    fresh: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "pluie", *fresh]) == ExitCode.OK
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0] == "building the index of 5 files…"
    assert SUMMARY.match(lines[-1]) and "5 added" in lines[-1], err
    assert "pluie.txt" in out
    assert main(["search", "pluie", *fresh]) == ExitCode.OK
    assert capsys.readouterr().err == ""  # built once


def test_index_of_another_corpus_is_kept_not_wiped(
    fresh: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it used to be rebuilt for the other corpus, losing the first corpus's index
    assert main(["index", *fresh]) == ExitCode.OK
    other = tmp_path / "other"
    other.mkdir()
    (other / "neige.txt").write_text("La neige\n\nIl neige sur Lyon.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["search", "neige", "--corpus", str(other), "--index", fresh[3]]) == 4
    err = capsys.readouterr().err
    assert_one_error_line(err)
    assert "is the index of another corpus" in err and "fouille index --full" in err
    assert main(["search", "pluie", *fresh]) == ExitCode.OK  # the first index is intact
    # without --index, each corpus gets its own index in the cache folder
    assert main(["search", "neige", "--corpus", str(other)]) == ExitCode.OK
    assert main(["search", "neige", "--corpus", str(other)]) == ExitCode.OK
    assert main(["search", "pluie", *fresh]) == ExitCode.OK
    # replacing it is explicit
    assert main(["index", "--full", "--corpus", str(other), "--index", fresh[3]]) == 0
    assert main(["search", "neige", "--corpus", str(other), "--index", fresh[3]]) == 0


def test_env_variables_choose_corpus_and_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = make_cli_corpus(tmp_path)
    monkeypatch.setenv("FOUILLE_CORPUS", str(corpus))
    monkeypatch.setenv("FOUILLE_INDEX", str(tmp_path / "env-index"))
    assert main(["search", "zanzibar", "--json"]) == ExitCode.OK
    assert [h["id"] for h in json.loads(capsys.readouterr().out)["hits"]] == ["evil.txt"]
    assert (tmp_path / "env-index").is_dir()
    # an explicit option still wins over the environment
    assert main(["search", "zanzibar", *loc(tmp_path / "nope", tmp_path / "x")]) == 3


# ----------------------------------------------------------------------------- index


def test_index_prints_a_summary_then_sees_changes(
    fresh: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = Path(fresh[1])
    assert main(["index", *fresh]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert SUMMARY.match(out.strip()) and "5 added" in out, out
    assert err == ""  # no progress bar when stderr is not a terminal
    (corpus / "neige.txt").write_text("La neige\n\nIl neige sur Lyon.\n", encoding="utf-8")
    (corpus / "pluie.txt").unlink()
    assert main(["index", *fresh]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.startswith("incremental: 1 added, 0 updated, 1 removed, 4 unchanged"), out
    assert main(["index", "--full", *fresh]) == ExitCode.OK
    assert capsys.readouterr().out.startswith("full rebuild: 5 added")
    assert main(["search", "neige", *fresh]) == ExitCode.OK
    assert main(["search", "tenace", *fresh]) == ExitCode.NO_HITS


def test_index_json_report(fresh: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", "--json", *fresh]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "added",
        "updated",
        "removed",
        "unchanged",
        "skipped",
        "seconds",
        "full",
        "reason",
    }
    assert data["added"] == 5 and data["skipped"] == [] and isinstance(data["seconds"], float)


def test_skipped_files_warn_one_line_each(
    fresh: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    (Path(fresh[1]) / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    assert main(["index", *fresh]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert err == "warning: skipped photo.txt: binary content\n"
    assert SUMMARY.match(out.strip()) and ", 1 skipped in " in out


def test_index_progress_bar_on_a_terminal(fresh: list[str]) -> None:
    code, screen, _ = run_in_pty("index", *fresh, stderr_tty=True)
    assert code == 0
    bar, _, summary = screen.rpartition("\r\x1b[K")  # the bar is erased before the summary
    assert re.search(r"\r\[#+\] 5/5", bar), screen
    assert SUMMARY.match(summary.strip()), screen


def test_index_locked_by_another_writer_exits_5(
    fresh: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    index = Path(fresh[3])
    with write_lock(index):  # as another `fouille index` would hold it
        assert main(["index", *fresh]) == ExitCode.LOCKED
        assert capsys.readouterr().err == (
            f"fouille: error: another fouille process is updating the index in {index} "
            "(wait for it to finish, then run the command again)\n"
        )
        assert main(["search", "pluie", *fresh]) == ExitCode.LOCKED  # cannot build it either
    assert main(["index", *fresh]) == ExitCode.OK
    with write_lock(index):
        assert main(["search", "pluie", *fresh]) == ExitCode.OK  # readers are never blocked
        capsys.readouterr()
        # nothing to write: still exit 5, not 0 (it used to depend on the corpus having changed)
        assert main(["index", *fresh]) == ExitCode.LOCKED
        assert capsys.readouterr().err.startswith("fouille: error: another fouille process")


def test_ctrl_c_during_index_keeps_the_previous_index(
    fresh: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["index", *fresh]) == ExitCode.OK
    (Path(fresh[1]) / "pluie.txt").unlink()  # a finished rebuild would forget this article
    handler_before = signal.getsignal(signal.SIGINT)
    real_update = cli.Engine.update

    def update_with_ctrl_c(self: cli.Engine, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C as the update starts
        return real_update(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli.Engine, "update", update_with_ctrl_c)
    capsys.readouterr()
    assert main(["index", "--full", *fresh]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "fouille: interrupted: the previous index is kept\n"
    monkeypatch.undo()
    assert main(["search", "tenace", *fresh]) == ExitCode.OK  # the old index still answers
    assert signal.getsignal(signal.SIGINT) is handler_before


def test_ctrl_c_during_a_first_build_says_no_index_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = loc(make_cli_corpus(tmp_path), tmp_path / "idx")
    real_update = cli.Engine.update

    def update_with_ctrl_c(self: cli.Engine, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGINT)
        return real_update(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli.Engine, "update", update_with_ctrl_c)
    assert main(["index", *fresh]) == ExitCode.INTERRUPTED
    # it said "previous index kept" where there was none
    assert capsys.readouterr().err == "fouille: interrupted: no index was written\n"
    assert not (tmp_path / "idx" / "CURRENT").exists()


def test_a_stop_that_does_not_say_what_remains_is_still_one_line_exit_130(
    fresh: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the message was cut at its first ": " for what remains; a bare "indexing stopped" left
    # nothing there and the command went on to a report it never got (UnboundLocalError)
    assert main(["index", *fresh]) == ExitCode.OK

    def stopped(self: cli.Engine, **kwargs: object) -> object:
        raise IndexingCancelled("indexing stopped")

    monkeypatch.setattr(cli.Engine, "update", stopped)
    capsys.readouterr()
    assert main(["index", *fresh]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "fouille: interrupted: the previous index is kept\n"


def test_refresh_after_a_first_build_reads_the_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from search import corpus, indexer

    scans: list[Path] = []
    real_scan = corpus.scan_corpus

    def counted(folder: Path, **options: object) -> object:
        scans.append(folder)
        return real_scan(folder, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(indexer, "scan_corpus", counted)
    fresh = loc(make_cli_corpus(tmp_path), tmp_path / "idx")
    assert main(["search", "--refresh", "tenace", *fresh]) == ExitCode.OK
    assert len(scans) == 1  # the build's scan; the refresh scanned the same folder again
    assert "refreshed" not in capsys.readouterr().err


# ----------------------------------------------------------------------------- show, similar, stats


def test_show_prints_title_date_id_then_text(
    built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "pluie.txt", *built]) == ExitCode.OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == ["La pluie sur Brest", "2021-02-02", "pluie.txt", ""]
    assert any("une pluie fine et tenace" in line for line in lines[4:])


def test_show_unknown_id_exits_6(built: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "absent.txt", *built]) == ExitCode.NOT_FOUND
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_error_line(err)
    assert "absent.txt" in err


def test_show_with_query_is_plain_when_piped(
    built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "pluie.txt", "--query", "pluie", *built]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "\x1b" not in out and "une pluie fine" in out


def test_hostile_article_prints_inert_when_piped(
    built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["show", "evil.txt"], ["search", "zanzibar"], ["search", "zanzibar", "--json"]):
        main([*argv, *built])
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, argv
    main(["show", "evil.txt", *built])
    assert "[bold]x[/]" in capsys.readouterr().out  # shown as typed, never interpreted


def test_similar_excludes_the_article_itself(
    built: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    seed = seed_files(1)[0].name
    assert main(["similar", seed, "--json", "--limit", "2", *built]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    ids = [h["id"] for h in data["hits"]]
    assert ids and seed not in ids and len(ids) <= 2
    assert all(set(h) == HIT_KEYS for h in data["hits"])
    assert main(["similar", seed, *built]) == ExitCode.OK
    assert TOTAL.match(capsys.readouterr().out.splitlines()[-1])
    assert main(["similar", "absent.txt", *built]) == ExitCode.NOT_FOUND


def test_stats_text_and_json(built: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", *built]) == ExitCode.OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "documents       5"
    assert any(line.startswith("corpus          ") for line in lines)
    assert main(["stats", "--json", *built]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 5 and data["terms"] > 0 and data["size_bytes"] > 0
    assert data["corpus"] == built[1] and isinstance(data["schema_version"], int)
    assert data["oldest"] <= data["newest"]


# ----------------------------------------------------------------------------- failures


def test_unreadable_index_is_one_line_exit_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = make_cli_corpus(tmp_path)
    blocker = tmp_path / "index-is-a-file"
    blocker.write_text("not an index")
    assert main(["search", "pluie", *loc(corpus, blocker)]) == ExitCode.INDEX
    assert_one_error_line(capsys.readouterr().err)


def test_unexpected_errors_are_one_line_unless_debugging(
    built: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(cli.Engine, "search", boom)
    assert main(["search", "pluie", *built]) == ExitCode.INDEX
    assert capsys.readouterr().err == (
        "fouille: error: unexpected RuntimeError: boom second line "
        "(set FOUILLE_DEBUG=1 for the traceback)\n"
    )
    monkeypatch.setenv("FOUILLE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["search", "pluie", *built])


# ----------------------------------------------------------------------------- real processes


def test_python_m_search_end_to_end(built: list[str]) -> None:
    done = run_module("search", "stoltenberg", "--json", *built)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 3
    missing = run_module("search", "x", "--corpus", "/nonexistent/corpus")
    assert missing.returncode == ExitCode.CORPUS
    assert missing.stderr.startswith("fouille: error: corpus folder not found")
    assert run_module("search").returncode == ExitCode.USAGE


def test_env_variables_in_a_real_process(built: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "FOUILLE_CORPUS": built[1], "FOUILLE_INDEX": built[3]}
    done = run_module("stats", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["index"] == built[3]


def test_closed_pipe_is_quiet(built: list[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", "search", "stoltenberg", *built],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -0`: the reader is gone before the first write
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert err == ""


def test_tty_output_highlights_matches_and_stays_inert(built: list[str]) -> None:
    code, out, err = run_in_pty("search", "zanzibar", *built)
    assert code == 0, err
    assert f"{render.MATCH}zanzibar{render.RESET}" in out.casefold()
    code, out, err = run_in_pty("show", "evil.txt", "--query", "zanzibar", *built)
    assert code == 0, err
    assert f"{render.MATCH}zanzibar{render.RESET}" in out.casefold()
    inert = SGR.sub("", out)  # only our own colour codes may carry ESC
    assert "\x1b" not in inert and "\x07" not in inert and "\u202e" not in inert
    assert "[bold]x[/]" in inert
