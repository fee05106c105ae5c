"""Recoll (Xapian): ``recollindex`` to index, ``recollq -s french`` to query.

Recoll is a desktop search tool: from a shell each query is a new ``recollq`` process, and the
speed figures time exactly that (:meth:`Recoll.command`). Without ``-s french`` recollq expands
stems in English, so it is always given. The retrieval figures only need the hits: when
Debian's ``python3-recoll`` is installed, plain-word queries go through its binding in-process
(the same clause recollq builds for ``-o``/``-a``, same French stems: identical top 10 on the
known-item queries, 36 times faster), phrases and prefixes through recollq.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from bench.peers.base import Mode, parse

CONF = """topdirs = {corpus}
dbdir = {db}
indexstemminglanguages = french
noaspell = 1
loglevel = 1
idxflushmb = 64
"""


DEBIAN_BINDING = Path("/usr/lib/python3/dist-packages/recoll")


@cache
def binding() -> ModuleType | None:
    """Recoll's Python module (``python3-recoll``: Debian installs it for the system Python;
    its extension suits any CPython of the same version), or None."""
    try:
        from recoll import recoll  # type: ignore[import-not-found]

        return recoll
    except ImportError:
        pass
    init = DEBIAN_BINDING / "__init__.py"
    if not init.exists() or "recoll" in sys.modules:
        return None
    spec = importlib.util.spec_from_file_location(
        "recoll", init, submodule_search_locations=[str(DEBIAN_BINDING)]
    )
    if spec is None or spec.loader is None:
        return None
    package = importlib.util.module_from_spec(spec)
    sys.modules["recoll"] = package
    try:
        spec.loader.exec_module(package)
        from recoll import recoll  # type: ignore[import-not-found]
    except ImportError:  # built for another Python
        del sys.modules["recoll"]
        return None
    return recoll


class Recoll:
    def __init__(self, mode: Mode = "or") -> None:
        self.mode = mode
        self.name = f"Recoll ({mode.upper()})"
        self.conf: Path | None = None
        self.corpus: Path | None = None
        self.db = None

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
        assert self.corpus is not None and self.conf is not None
        q = parse(query)
        if not q.words:
            return []
        prefix = f"file://{self.corpus}/"
        recoll = binding()
        if recoll is not None and not (q.phrase or q.prefix or highlight):
            if self.db is None:
                self.db = recoll.connect(confdir=str(self.conf))
            data = recoll.SearchData(type="and", stemlang="french")
            data.addclause(type=self.mode, qstring=" ".join(q.words))
            found = self.db.query()
            found.executesd(data)
            return [d.url[len(prefix) :] for d in found.fetchmany(k) if d.url.startswith(prefix)]
        out = subprocess.run(
            self.command(query, k, highlight=highlight),
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        ids = []
        for line in out.splitlines():
            if line.startswith(prefix):
                ids.append(line[len(prefix) :].strip())
        return ids[:k]

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
