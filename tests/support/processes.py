"""Running ``fouille`` in a real process: piped, on a pseudo-terminal, or left running; and what
a user-caused failure must look like."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path


def fouille(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    user: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m search ARGS`` in a real process, output captured as text."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("FOUILLE_")}
    base.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "search", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        user=user,
    )


def popen_fouille(*args: str) -> subprocess.Popen[str]:
    """``python -m search ARGS`` started and left running, its output piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "search", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def run_in_pty(*args: str, stderr_tty: bool = False) -> tuple[int, str, str]:
    """Run fouille with stdout (and stderr if asked) on a pseudo-terminal, as a person sees it.
    Returns the exit code, what the terminal received, and the piped stderr."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env["TERM"] = "xterm-256color"
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", *args],
        stdout=slave,
        stderr=slave if stderr_tty else subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    code = proc.wait(timeout=60)
    return code, b"".join(chunks).decode().replace("\r\n", "\n"), stderr


def loc(corpus: Path, index: Path) -> list[str]:
    """The ``--corpus``/``--index`` options naming a test's own folders."""
    return ["--corpus", str(corpus), "--index", str(index)]


def assert_one_line_error(stderr: str, code: int, expected: int) -> None:
    """A failure a user can cause ends with one ``fouille: error:`` line, never a traceback."""
    assert code == expected, stderr
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr, stderr
    assert len(lines) >= 1 and lines[-1].startswith("fouille: error: "), stderr


def open_fds() -> set[str]:
    """This process's open file descriptors (Linux)."""
    return set(os.listdir("/proc/self/fd"))
