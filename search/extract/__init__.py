"""Text and metadata out of the file formats a corpus may hold, one module per format.

Every format module has one function, ``extract(data: bytes) -> Extracted``, which raises
:class:`Unextractable` with a one-line reason for a file it cannot read (damaged, encrypted,
image-only, a zip bomb). :data:`FORMATS` maps each file extension to its module; ``.txt`` is not
here: plain text is decoded in :mod:`search.corpus` without leaving the process.

What a module returns is raw: :func:`search.corpus.load_article` cleans the text with
:mod:`search.textclean` and fills what the file does not carry (title, date) from the text, the
same way for every format. Modules are imported only when a file of their format is read, in the
isolated child process of :mod:`search.extract.isolation`.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Extracted:
    """The text of a file and the metadata it carries (None when it carries none)."""

    text: str
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None  # the outlet or site
    author: str | None = None


class Unextractable(Exception):
    """A file of a known format that cannot be read; the message is the one-line reason."""


class Extractor(Protocol):
    """One format: the file's bytes in, text and metadata out.

    Raises Unextractable (with a one-line reason) for a file it cannot read; any other exception
    is a bug or a damaged file, which the caller reports as ``unreadable <FORMAT> (<error>)``.
    """

    def __call__(self, data: bytes) -> Extracted: ...


FORMATS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".epub": "epub",
}
"""File extension (lower case) -> module of :mod:`search.extract` that reads it."""

TEXT_EXTENSION = ".txt"
SUPPORTED: frozenset[str] = frozenset({TEXT_EXTENSION, *FORMATS})
"""Every extension a corpus scan picks up."""


def extension(name: str) -> str:
    """The lower-case extension of a file name, ``.txt`` for ``NOTES.TXT``, "" without one."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def extractor(ext: str) -> Extractor:
    """The ``extract`` function of the module that reads ``ext`` (imported on first use)."""
    module = importlib.import_module(f"search.extract.{FORMATS[ext]}")
    return module.extract  # type: ignore[no-any-return]


def format_name(ext: str) -> str:
    """How a format is named in a skip reason: "PDF", "DOCX", "HTML"."""
    return FORMATS.get(ext, ext.lstrip(".")).upper().replace("MARKDOWN", "Markdown")
