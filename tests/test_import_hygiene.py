"""``fouille search`` must start fast: the CLI and the engine never load Textual or Rich
(importing ``textual.app`` alone costs about 200 ms). Checked in a fresh interpreter, because
this test process may already hold them (the TUI's tests import Textual)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from search.paths import PROJECT_ROOT

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
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted((PROJECT_ROOT / "seeds").glob("*.txt"))[:3]
    for seed in seeds:
        shutil.copy(seed, corpus / seed.name)
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
