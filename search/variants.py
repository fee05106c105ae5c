"""Spelling variants: names written several ways (``Kyiv = Kiev = Kyïv``), searched as one.

A variants file holds one group per line, spellings separated by ``=``; ``#`` starts a comment::

    Kyiv = Kiev = Kyïv
    Pékin = Beijing
    Al-Qaïda = Al-Qaeda = Al-Qaida

fouille bundles a starter list of transliterations common in French news
(``search/variants.txt``); the user's own file (``variants.txt`` beside the settings file, or
``variants_file``) adds groups, and a group sharing a spelling with another is merged with it.

Groups apply at query time, so changing them needs no reindexing: a query word (or a quoted or
hyphenated phrase) that is one spelling of a group becomes an OR of every spelling of the group,
in the same field and with the same boost. Spellings are compared as the index sees them
(folded and stemmed), so ``kiev``, ``KIEV`` and ``Kiev`` all belong to the group. Matches
through a variant are highlighted like any other, since the OR'ed terms are query terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq

from search.analysis import query_words
from search.errors import SettingsError
from search.query import WordTerm

BUNDLED = Path(__file__).resolve().parent / "variants.txt"

Key = tuple[str, ...]
"""A spelling as the index sees it: the stems of its words."""


@dataclass(frozen=True)
class Spelling:
    """One way to write a name, as written in the file, with its (exact form, stem) words."""

    text: str
    words: tuple[tuple[str, str], ...]

    @property
    def key(self) -> Key:
        return tuple(stem for _, stem in self.words)

    def query(self, fieldname: str, boost: float) -> wq.Query:
        """This spelling as a query term of ``fieldname``: a word, or a phrase."""
        if len(self.words) == 1:
            exact, stem = self.words[0]
            return WordTerm(fieldname, stem, exact, boost=boost)
        return wq.Phrase(fieldname, list(self.key), boost=boost)


@dataclass(frozen=True)
class Variants:
    """Groups of spellings, looked up by the stems of one of them."""

    groups: dict[Key, tuple[Spelling, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len({id(group) for group in self.groups.values()})

    def group(self, key: Key) -> tuple[Spelling, ...]:
        return self.groups.get(key, ())

    def expand(self, q: wq.Query | None) -> tuple[wq.Query | None, dict[str, list[str]]]:
        """``q`` with each word or phrase that belongs to a group OR'ed with the group's other
        spellings, and which variants were used, as typed (folded) -> the other spellings searched:
        ``{"kyiv": ["kiev"]}``."""
        used: dict[str, list[str]] = {}
        if q is None or not self.groups:
            return q, used

        def visit(node: wq.Query) -> wq.Query:
            if isinstance(node, WordTerm):
                key: Key = (node.text,)
            elif isinstance(node, wq.Phrase):
                key = tuple(node.words)
            else:
                return node
            group = self.group(key)
            if not group:
                return node
            others = [s for s in group if s.key != key]
            if not others:  # only spellings that fold to the same stems: nothing to add
                return node
            typed = node.exact if isinstance(node, WordTerm) else _first(group, key).text.lower()
            used.setdefault(typed, [s.text.lower() for s in others])
            return wq.Or([node, *(s.query(node.fieldname, node.boost) for s in others)])

        return q.accept(visit), used


def _first(group: Iterable[Spelling], key: Key) -> Spelling:
    return next(s for s in group if s.key == key)


def parse_groups(text: str, source: str) -> list[list[Spelling]]:
    """The groups of a variants file's text. Raises SettingsError naming ``source`` and the
    line for a line that is not ``spelling = spelling [= …]``."""
    groups: list[list[Spelling]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.partition("#")[0].strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split("=")]
        spellings = []
        for part in parts:
            words = tuple(query_words(part)) if part else ()
            if not words:
                raise SettingsError(
                    f"{source}, line {number}: {part!r} is not a spelling (empty, or stop words "
                    "only)",
                    hint="write one group per line: Kyiv = Kiev = Kyïv",
                )
            spellings.append(Spelling(part, words))
        if len(spellings) < 2:
            raise SettingsError(
                f"{source}, line {number}: a group needs at least two spellings",
                hint="write one group per line: Kyiv = Kiev = Kyïv",
            )
        groups.append(spellings)
    return groups


def build(groups: Iterable[list[Spelling]]) -> Variants:
    """Groups merged where they share a spelling (same stems), indexed by each spelling."""
    by_key: dict[Key, list[Spelling]] = {}
    for group in groups:
        merged: list[Spelling] = []
        for spelling in group:
            existing = by_key.get(spelling.key)
            if existing is not None and existing is not merged:
                merged.extend(s for s in existing if s not in merged)
        merged.extend(s for s in group if s not in merged)
        for spelling in merged:
            by_key[spelling.key] = merged
    frozen: dict[int, tuple[Spelling, ...]] = {}
    return Variants(
        {key: frozen.setdefault(id(group), tuple(group)) for key, group in by_key.items()}
    )


def load_variants(user_file: Path | None = None) -> Variants:
    """The bundled groups plus those of ``user_file``. Raises SettingsError for a user file
    that cannot be read or parsed."""
    groups = parse_groups(BUNDLED.read_text(encoding="utf-8"), str(BUNDLED))
    if user_file is not None:
        try:
            text = user_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise SettingsError(
                f"cannot read the variants file {user_file}: {reason}",
                hint="fix variants_file in the settings (fouille config shows it)",
            ) from exc
        groups += parse_groups(text, str(user_file))
    return build(groups)
