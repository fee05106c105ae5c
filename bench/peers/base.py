"""The interface every benchmarked engine implements, and the query syntax they all accept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

Mode = Literal["or", "and"]
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ParsedQuery:
    """A benchmark query in the neutral syntax: words, one ``"phrase"`` or one ``prefix*``.

    Each adapter turns it into its engine's own syntax; words are split on anything that is not
    a letter or digit, as every peer's tokenizer does (``8859-10`` → ``8859``, ``10``).
    """

    words: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False


def parse(query: str) -> ParsedQuery:
    text = query.strip()
    if len(text) > 2 and text.startswith('"') and text.endswith('"'):
        return ParsedQuery(tuple(WORD.findall(text)), phrase=True)
    if text.endswith("*") and " " not in text:
        return ParsedQuery(tuple(WORD.findall(text)), prefix=True)
    return ParsedQuery(tuple(WORD.findall(text)))


class Contender(Protocol):
    """One engine under test. ``mode`` says how several words combine (ranked OR, or AND)."""

    name: str

    def build(self, corpus: Path, workdir: Path) -> None:
        """A full index of ``corpus`` in ``workdir`` (emptied first)."""

    def update(self) -> None:
        """An incremental run over the last built corpus (raises NotImplementedError if none)."""

    def open(self, corpus: Path, workdir: Path) -> None:
        """Get ready to search an index built earlier."""

    def search(self, query: str, k: int = 10, *, highlight: bool = False) -> list[str]:
        """Ids of the ``k`` best documents; with ``highlight``, also compute their snippets."""

    def close(self) -> None: ...


def relative_id(path: Path, corpus: Path) -> str:
    return path.relative_to(corpus).as_posix()


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(corpus.rglob("*.txt"))
