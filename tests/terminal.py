"""Running ``fouille`` on a pseudo-terminal, to see what a person's terminal would receive."""

from __future__ import annotations

import os
import pty
import subprocess
import sys


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
