"""Run a format's extractor where a crash, a hang or a memory blow-up costs one file, not the run.

Non-``.txt`` files are read by a worker process (:mod:`search.extract.worker`) with a time bound
per file (the worker is killed past :data:`EXTRACT_SECONDS`) and an address-space cap
(``RLIMIT_AS``, :data:`EXTRACT_MEMORY_MB`): a zip bomb that slips past
:mod:`search.extract.archives`, a parser that loops or segfaults, each becomes a one-line skip
reason and a fresh worker. The worker imports every format library once and then serves files
one after another (recycled every :data:`FILES_PER_WORKER` files so leaks cannot pile up), so a
file costs two pipe messages, not an interpreter start; the cost is measured in
bench/extraction.py.

Why not ``multiprocessing``: its ``spawn`` and ``forkserver`` children re-import the parent's
``__main__`` (``python -m search`` would run the CLI again in every child), and ``fork`` from
the app, which indexes in a thread, can deadlock. A plain subprocess has neither problem.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from search.extract import Extracted, Unextractable

EXTRACT_SECONDS = 30.0
"""Longest a file may take to extract (a 20 MB PDF takes a few seconds)."""
EXTRACT_MEMORY_MB = 1024
"""Address space the worker may use, libraries included (about 150 MB before any file)."""
FILES_PER_WORKER = 500
STARTUP_SECONDS = 60.0  # importing trafilatura and friends on a busy machine


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self, memory_mb: int) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "search.extract.worker", str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.memory_mb = memory_mb
        self.files = 0
        if not self.answers.poll(STARTUP_SECONDS) or self.answers.recv_bytes() != b"ready":
            self.stop()
            raise Unextractable("the extraction worker did not start")

    def extract(self, ext: str, data: bytes, seconds: float) -> dict[str, Any]:
        self.files += 1
        self.requests.send_bytes(ext.encode())
        self.requests.send_bytes(data)
        if not self.answers.poll(seconds):
            raise TimeoutError
        return json.loads(self.answers.recv_bytes())  # type: ignore[no-any-return]

    def stop(self) -> None:
        for connection in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                connection.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


_lock = threading.Lock()
_worker: _Worker | None = None


def extract_isolated(
    ext: str,
    data: bytes,
    *,
    seconds: float = EXTRACT_SECONDS,
    memory_mb: int = EXTRACT_MEMORY_MB,
) -> Extracted:
    """The text and metadata of a file of format ``ext``, read by the bounded worker.

    Raises Unextractable with a one-line reason: the format's own ("encrypted PDF …"),
    ``took longer than 30 s``, ``needs more than 1024 MB of memory``, ``unreadable PDF
    (PdfReadError)`` for a damaged file, ``extraction crashed (signal 11)``.
    """
    global _worker
    with _lock:
        if _worker is not None and (
            _worker.memory_mb != memory_mb
            or _worker.files >= FILES_PER_WORKER
            or _worker.process.poll() is not None  # died while idle (OOM killer, kill)
        ):
            _worker.stop()
            _worker = None
        if _worker is None:
            _worker = _Worker(memory_mb)
        worker = _worker
        try:
            answer = worker.extract(ext, data, seconds)
        except TimeoutError:
            reason = f"took longer than {seconds:g} s"
        except (EOFError, OSError):
            worker.process.wait(5)
            code = worker.process.returncode
            reason = f"extraction crashed ({_how(code)})"
        else:
            if answer.get("restart"):  # out of memory: the worker's heap may be in pieces
                worker.stop()
                _worker = None
            if "skip" in answer:
                raise Unextractable(answer["skip"])
            return _extracted(answer)
        worker.stop()
        _worker = None
    raise Unextractable(reason)


def _how(code: int | None) -> str:
    if code is not None and code < 0:
        return f"signal {-code}"
    return f"exit {code}"


def _extracted(answer: dict[str, Any]) -> Extracted:
    date = answer.get("date")
    return Extracted(
        text=answer["text"],
        title=answer.get("title"),
        date=dt.date.fromisoformat(date) if date else None,
        source=answer.get("source"),
        author=answer.get("author"),
    )


def _stop_worker() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


def _forget_worker() -> None:
    """In a forked child (the indexing workers of :mod:`search.parallel`): the parent's worker
    and lock are the parent's; the child starts its own worker when it needs one."""
    global _worker, _lock
    _worker = None
    _lock = threading.Lock()


atexit.register(_stop_worker)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_worker)
