"""``fouille search`` must start fast: the CLI and the engine never load Textual or Rich
(importing ``textual.app`` alone costs about 200 ms). Checked in a fresh interpreter, because
this test process may already hold them (the TUI's tests import Textual)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
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
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich", "tui"))
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
