"""Recoll (Xapian): ``recollindex`` to index, one ``recollq -s french`` process per query.

Recoll is a desktop search tool: each query is a new process, which is how a user runs it from a
shell. Without ``-s french`` recollq expands stems in English, so it is always given.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bench.peers.base import Mode, parse

CONF = """topdirs = {corpus}
dbdir = {db}
indexstemminglanguages = french
noaspell = 1
loglevel = 1
idxflushmb = 64
"""


class Recoll:
    def __init__(self, mode: Mode = "or") -> None:
        self.mode = mode
        self.name = f"Recoll ({mode.upper()})"
        self.conf: Path | None = None
        self.corpus: Path | None = None

    def _configure(self, corpus: Path, workdir: Path) -> None:
        self.corpus = corpus.resolve()
        self.conf = workdir.resolve() / "conf"

    def build(self, corpus: Path, workdir: Path) -> None:
        shutil.rmtree(workdir, ignore_errors=True)
        self._configure(corpus, workdir)
        assert self.conf is not None
        self.conf.mkdir(parents=True)
        (self.conf / "recoll.conf").write_text(
            CONF.format(corpus=self.corpus, db=workdir.resolve() / "xapiandb"), encoding="utf-8"
        )
        self._index("-z")

    def _index(self, *flags: str) -> None:
        subprocess.run(
            ["recollindex", "-c", str(self.conf), *flags],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def update(self) -> None:
        self._index()

    def open(self, corpus: Path, workdir: Path) -> None:
        self._configure(corpus, workdir)

    def command(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        q = parse(query)
        if q.phrase:
            args = ['"' + " ".join(q.words) + '"']
        elif q.prefix:
            args = [q.words[0] + "*"] if q.words else []
        else:
            args = ["-o" if self.mode == "or" else "-a", " ".join(q.words)]
        extra = ["-A"] if highlight else []
        return ["recollq", "-c", str(self.conf), "-s", "french", "-n", str(k), "-b", *extra, *args]

    def search(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        assert self.corpus is not None
        if not parse(query).words:
            return []
        out = subprocess.run(
            self.command(query, k, highlight=highlight),
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        prefix = f"file://{self.corpus}/"
        ids = []
        for line in out.splitlines():
            if line.startswith(prefix):
                ids.append(line[len(prefix) :].strip())
        return ids[:k]

    def close(self) -> None:
        pass
