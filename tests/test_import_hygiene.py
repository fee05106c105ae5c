"""The import rules of ARCHITECTURE.md, checked on the source (who may import what), plus the
one that matters at run time: ``fouille search`` must start fast, so the CLI's commands never
load Textual or Rich (importing ``textual.app`` alone costs about 200 ms), nor shtab (only
``fouille completion`` needs it), checked in a fresh interpreter because this test process may
already hold them (the TUI's tests import Textual)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.corpora import make_corpus, seed_files

PROBE = """
import json, sys
from search.cli import main
corpus, index = sys.argv[1], sys.argv[2]
loc = ["--corpus", corpus, "--index", index]
codes = [
    main(["index", *loc]),
    main(["search", "Stoltenberg", *loc]),
    main(["show", sys.argv[3], "--query", "otan", *loc]),
    main(["similar", sys.argv[3], *loc]),
    main(["stats", *loc]),
]
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich", "tui", "shtab"))
sys.stderr.write(json.dumps({"codes": codes, "heavy": heavy}) + "\\n")
"""


def test_cli_commands_never_import_textual_or_rich(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, seeds=3)
    seeds = seed_files(3)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(corpus), str(tmp_path / "index"), seeds[0].name],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stderr.splitlines()[-1])
    assert report["codes"] == [0, 0, 0, 0, 0], done.stderr
    assert report["heavy"] == []


ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, "search.cli"
    name: str  # what it imports, "tui.app" (``from x import y`` gives "x.y" and "x")
    top_level: bool  # at module level, not inside a function


def imports(package: str) -> list[Import]:
    """Every import statement in the package's modules (relative ones made absolute)."""
    found: list[Import] = []
    for path in sorted((ROOT / package).rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nested = {
            id(node)
            for func in ast.walk(tree)
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
            for node in ast.walk(func)
        }
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # module names end in "__init__" for packages: same rule
                    parent = module.split(".")[: -node.level]
                    base = ".".join([*parent, base] if base else parent)
                names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            found += [Import(module, name, id(node) not in nested) for name in names]
    return found


def root_of(name: str) -> str:
    return name.split(".")[0]


def within(name: str, modules: set[str]) -> bool:
    """``name`` is one of ``modules`` or something inside one of them."""
    return any(name == m or name.startswith(f"{m}.") for m in modules)


def whoosh_modules() -> set[str]:
    """The search modules that read or write the index with Whoosh: the engine's inside."""
    return {i.module for i in imports("search") if root_of(i.name) == "whoosh"}


def test_search_never_imports_the_ui_libraries() -> None:
    """search/ is the engine and the CLI: no Textual, no Rich, and the app (tui/) only where
    the ``fouille`` command starts it, inside that function."""
    offenders = [
        f"{i.module} imports {i.name}"
        for i in imports("search")
        if root_of(i.name) in ("textual", "rich")
        or (root_of(i.name) == "tui" and (i.module != "search.cli" or i.top_level))
    ]
    assert offenders == []


def test_the_app_uses_the_engine_api_not_its_inside() -> None:
    """tui/ never imports Whoosh, nor the modules that build, store or analyse the index: the
    app and the CLI read and rebuild through the same Engine API."""
    index_side = {
        "search.indexer",
        "search.parallel",
        "search.documents",
        "search.store",
        "search.health",
        "search.schema",
        "search.lexicon",
        "search.analysis",
        "search.corpus",
        "search.extract",
    }
    offenders = [
        f"{i.module} imports {i.name}"
        for i in imports("tui")
        if root_of(i.name) == "whoosh" or within(i.name, index_side)
    ]
    assert offenders == []


def test_the_shared_vocabulary_depends_on_nothing() -> None:
    """models (results, spans), errors, safety (what may be printed) and paths are imported by
    every layer, so they import no other module of the project, and no third-party library."""
    shared = {"search.models", "search.errors", "search.safety", "search.paths"}
    offenders = [
        f"{i.module} imports {i.name}"
        for i in imports("search")
        if i.module in shared and root_of(i.name) not in STDLIB_OK
    ]
    assert offenders == []


STDLIB_OK = set(sys.stdlib_module_names) | {"__future__"}


def test_only_the_entry_points_import_the_cli() -> None:
    """search.cli is the top of the house: nothing but ``python -m search`` imports it."""
    offenders = [
        f"{i.module} imports {i.name}"
        for package in ("search", "tui")
        for i in imports(package)
        if i.name == "search.cli" and i.module != "search.__main__"
    ]
    assert offenders == []


def test_extractors_know_nothing_of_the_index() -> None:
    """search/extract/ turns files into text: no Whoosh, no engine, indexer, store or query."""
    index_side = whoosh_modules() | {"search.store", "search.corpus", "search.cli"}
    offenders = [
        f"{i.module} imports {i.name}"
        for i in imports("search")
        if i.module.startswith("search.extract")
        and (root_of(i.name) == "whoosh" or within(i.name, index_side))
    ]
    assert offenders == []


def test_test_modules_share_helpers_only_through_tests_support() -> None:
    """Test modules import helpers from ``tests.support``, never from each other nor from
    ``conftest`` (pytest loads conftest; importing it too runs it twice under two names)."""
    tests = Path(__file__).resolve().parent
    offenders = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            for name in names:
                parts = name.split(".")
                if "conftest" in parts or (
                    parts[0] == "tests" and name != "tests" and parts[1] != "support"
                ):
                    offenders.append(f"{path.relative_to(tests)} imports {name}")
    assert offenders == []


SEARCH_PROBE = """
import gc, json, sys
from search.cli import main
code = main(["search", "Stoltenberg", "--corpus", sys.argv[1], "--index", sys.argv[2]])
frozen = gc.get_freeze_count()
loaded = sorted(sys.modules)
import urllib.request, cached_property, whoosh.compat  # later imports get the real modules
import html.entities, whoosh.lang.morph_en, whoosh.query.terms
real = [
    hasattr(urllib.request, "urlopen"),
    hasattr(cached_property, "threaded_cached_property"),
    hasattr(html, "unescape") and whoosh.compat.htmlescape("<") == "&lt;",
    hasattr(whoosh.lang.morph_en, "rules") and "cats" in whoosh.query.terms.variations("cat"),
]
report = {"code": code, "loaded": loaded, "real": real, "frozen": frozen}
sys.stderr.write(json.dumps(report) + "\\n")
"""
NOT_ON_THE_SEARCH_PATH = (
    "urllib.request",  # whoosh.compat's unused urlretrieve (search/whoosh_imports.py)
    "asyncio",  # the cached_property package's (search/whoosh_imports.py)
    "whoosh.lang.morph_en",  # English variations, for a query type fouille never builds
    "html",  # whoosh.compat's htmlescape, for Whoosh's HTML highlighter
    "search.indexer",  # building, loading files and worker processes: not for a search
    "search.corpus",
    "search.parallel",
    "multiprocessing",
)


def test_a_search_loads_only_what_searching_needs(tmp_path: Path) -> None:
    """``fouille search`` on a built index imports no indexing code and none of the
    standard-library stacks Whoosh imports without using them; anything imported later still
    gets the real modules. What the imports made is moved out of the garbage collector's way."""
    corpus, index = make_corpus(tmp_path, seeds=3), tmp_path / "index"
    built = subprocess.run(
        [sys.executable, "-m", "search", "index", "--corpus", str(corpus), "--index", str(index)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert built.returncode == 0, built.stderr
    done = subprocess.run(
        [sys.executable, "-c", SEARCH_PROBE, str(corpus), str(index)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    report = json.loads(done.stderr.splitlines()[-1])
    assert report["code"] == 0, done.stderr
    assert [m for m in NOT_ON_THE_SEARCH_PATH if m in report["loaded"]] == []
    assert report["real"] == [True, True, True, True]
    # what the imports made is set aside from the collector, whose passes at exit traversed it
    assert report["frozen"] > 10_000
