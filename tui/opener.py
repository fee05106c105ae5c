"""Which program opens an article's file from the app: the one decision, in one function.

Plain text goes to the user's ``$VISUAL`` / ``$EDITOR``, else their ``$PAGER``, else ``less``,
run in the terminal (the app suspends itself meanwhile). Other formats (HTML, PDF, DOCX…) are
not meant for a terminal editor: they go to the system's opener (``xdg-open``, or ``open`` on
macOS), which starts the desktop's program for the file and returns at once.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})


@dataclass(frozen=True)
class OpenCommand:
    argv: list[str]
    in_terminal: bool  # True: run it with the app suspended; False: start it and carry on


def open_command(path: Path, environ: dict[str, str] | None = None) -> OpenCommand | None:
    """How to open ``path``, or None when no program is known for it."""
    env = os.environ if environ is None else environ
    if path.suffix.lower() in TEXT_SUFFIXES:
        for variable in ("VISUAL", "EDITOR", "PAGER"):
            command = env.get(variable, "").strip()
            if command:
                return OpenCommand([*shlex.split(command), str(path)], in_terminal=True)
        if shutil.which("less"):
            return OpenCommand(["less", str(path)], in_terminal=True)
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener):
        return OpenCommand([opener, str(path)], in_terminal=False)
    return None
