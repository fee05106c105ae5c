"""The query language: Whoosh's parser taught French operators, exact-form boosts and dates.

What a user types, and what it becomes:

- words: each word matches its stem in the title or the body and remembers its exact (folded)
  form, which :mod:`search.ranking` rewards, so documents containing the word as typed rank above
  those matching via stemming;
- ``OR``/``OU``, ``AND``/``ET``, ``NOT``/``SAUF``, ``-word``, parentheses;
- ``"phrases"``: stems at successive positions (stop words inside are allowed);
- ``prefix*``: folded, not stemmed; ``word~`` / ``word~2``: typo tolerance on folded words;
- ``title:word`` (or ``titre:``), ``source:monde`` (or ``journal:``), ``author:dupont`` (or
  ``auteur:``), ``date:2024``, ``date:2023-01``, ``date:2023-01-01..2023-06-30``.

Whoosh's stock parser would swallow ``OU`` as a stop word, know no ``SAUF``, read ``l'OTAN d'armes``
as a single-quoted term, and apply a ``date:`` range only with its own syntax: hence this module.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.matching import FilterMatcher, Matcher
from whoosh.qparser import QueryParser, plugins

from search.analysis import fold, only_stop_words, query_words, stem
from search.errors import QueryError
from search.lexicon import Words
from search.postings import cache_of

MAX_QUERY_CHARS = 2000
MAX_NESTING = 64
"""Brackets and NOT operators nested deeper than this are refused before Whoosh's parser, whose
plugins recurse once per level (at about 300 they exhaust Python's stack). No one types 64."""
EXACT_OPERATOR = "="
"""Before a word (``=péché``), the word as typed: accents count, stemming does not apply."""
MIN_PREFIX = 2
MAX_EXPANSIONS = 256
"""Words a prefix, wildcard or fuzzy query expands to at most (the most frequent ones)."""

OPERATORS = {"And": ("AND", "ET"), "Or": ("OR", "OU"), "Not": ("NOT", "SAUF")}
"""The operator words, English and French (uppercase only: lowercase ``et``/``ou`` are words)."""
OPERATOR_WORDS = frozenset(word for words in OPERATORS.values() for word in words)

_DATE_FILTER = re.compile(r"(?<!\S)date:(\S*)", re.IGNORECASE)
_EXPLICIT_AND = re.compile(rf"(?<=\s)({'|'.join(OPERATORS['And'])})(?=\s)")
_MINUS = re.compile(r"(?<![^\s(])-(?=[^\s\-])")
_PLUS = re.compile(r"(?<![^\s(])\+(?=\S)")
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)")
_LONE_WILDCARD = re.compile(r"(?<![^\s(:])[*?]+(?=[\s)]|$)")
# French typography (see normalise_query)
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})
_APOSTROPHES = re.compile(r"[’ʼ‘`´]")
_LOOSE_APOSTROPHE = re.compile(r"(?<!\w)'|'(?!\w)")
_SPACED_PUNCTUATION = re.compile(r"(?:^|(?<=\s))[?!:;…]+(?=\s|$)")
_TRAILING_PUNCTUATION = re.compile(r"(?<=\w)[?!…]+(?=[\s)\"]|$)")
_NESTING_TOKENS = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
# A question's opening words ask, they say nothing of the subject: "Comment supprimer un
# fichier ?", "Combien d'espace reste-t-il ?", "Qu'est-ce que …", "Comment faire pour …".
_QUESTION_OPENING = re.compile(
    r"^\s*(?:(?:comment|combien|pourquoi|quand|où|quel|quelle|quels|quelles|lequel|laquelle|"
    r"lesquels|lesquelles|que|qu'|quoi|qui|est-ce|qu'est-ce)(?:\s+|(?<=')|-|$))+"
    r"(?:(?:que|qu'|qui|de|d'|faire|faut-il|peut-on|puis-je|dois-je|pour)(?:\s+|(?<=')|$))*",
    re.IGNORECASE,
)
_ASKING = re.compile(r"^\s*(?:comment|combien|pourquoi|qu'est-ce|est-ce)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedQuery:
    """A query ready to run: the strict form, the relaxed one, the date filter, the words."""

    text: str
    strict: wq.Query | None
    relaxed: wq.Query | None  # any-word version when the strict one needs every word
    date_filter: wq.Query | None
    words: tuple[str, ...]  # positive words as typed, for "did you mean"
    has_patterns: bool = False  # prefix, wildcard or fuzzy parts, to expand with the lexicon
    only_stop_words: bool = False  # words were typed, and all are stop words (``les``)


class FrenchQueryParser(QueryParser):
    """Whoosh's parser with French operators and fouille's term construction."""

    def __init__(self, schema: Schema, field_boosts: Mapping[str, float]) -> None:
        self.field_boosts = dict(field_boosts)
        super().__init__("body", schema)

    def default_set(self) -> list[plugins.Plugin]:
        return [
            plugins.WhitespacePlugin(),
            plugins.FieldsPlugin(
                expr=r"(?P<text>title|titre|body|texte|source|journal|author|auteur):"
            ),
            plugins.FieldAliasPlugin(
                {"title": ["titre"], "body": ["texte"], "source": ["journal"], "author": ["auteur"]}
            ),
            plugins.WildcardPlugin(),
            plugins.PhrasePlugin(),
            plugins.GroupPlugin(),
            plugins.OperatorsPlugin(
                And=_EXPLICIT_AND.pattern,
                Or=rf"(?<=\s)({'|'.join(OPERATORS['Or'])})(?=\s)",
                AndNot=None,
                AndMaybe=None,
                Not=rf"(^|(?<=(\s|[()])))({'|'.join(OPERATORS['Not'])})(?=\s)",
                Require=None,
            ),
            plugins.FuzzyTermPlugin(),
            plugins.MultifieldPlugin(["title", "body"], fieldboosts=self.field_boosts),
        ]

    def term_query(  # type: ignore[override]
        self,
        fieldname: str,
        text: str,
        termclass: type[wq.Query],
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> wq.Query | None:
        if termclass is wq.Prefix:  # the parser has already cut the trailing "*"
            return _wildcard_query(fieldname, text + "*", boost)
        if termclass is wq.Wildcard:
            return _wildcard_query(fieldname, text, boost)
        if termclass is wq.FuzzyTerm:
            return wq.FuzzyTerm(fieldname, fold(text.lower()), boost=boost)
        exact_typed = text.startswith(EXACT_OPERATOR)
        words = query_words(text)
        if not words:
            return None
        if exact_typed and len(words) == 1:
            surface = unicodedata.normalize("NFC", text[len(EXACT_OPERATOR) :]).lower()
            return ExactWordTerm(fieldname, words[0][1], words[0][0], surface, boost=boost)
        if len(words) > 1:  # "États-Unis", "8859-10": parts at successive positions
            return wq.Phrase(fieldname, [s for _, s in words], boost=boost)
        exact, stem = words[0]
        return WordTerm(fieldname, stem, exact, boost=boost)


class WordTerm(wq.Term):
    """A query word: it matches its stem, and remembers the exact (folded) form typed.

    The exact form is not matched here, which would double the postings read for every word:
    the ranking adds its score to the top candidates afterwards
    (:func:`search.ranking.exact_form_bonus`).
    """

    def __init__(self, fieldname: str, stem: str, exact: str, boost: float = 1.0) -> None:
        super().__init__(fieldname, stem, boost=boost)
        self.exact = exact


class ExactWordTerm(WordTerm):
    """``=péché``: the word exactly as typed, accents included (case aside).

    The index holds folded stems, so this matches the stem's postings and keeps the documents
    where one of its occurrences, read back from the stored text at its offsets, is the word
    typed: ``=péché`` finds *péché*, *Péché*, not *pêche* nor *péchés*.
    """

    def __init__(
        self, fieldname: str, stem: str, exact: str, surface: str, boost: float = 1.0
    ) -> None:
        super().__init__(fieldname, stem, exact, boost=boost)
        self.surface = surface

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and getattr(other, "surface", None) == self.surface

    def __hash__(self) -> int:
        return hash((super().__hash__(), self.surface))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r}, ={self.surface!r})"

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        inner = super().matcher(searcher, context)
        if not inner.is_active():
            return inner
        key = (type(self).__name__, self.fieldname, self.text, self.surface)
        ids = cache_of(searcher).memo(key, lambda: self._documents(searcher))
        return FilterMatcher(inner, ids)

    def _documents(self, searcher: Any) -> frozenset[int]:
        """The documents where an occurrence of the stem is the word as typed (read once per
        searcher: it reads the stored text of every document holding the stem)."""
        ids = set()
        postings = searcher.postings(self.fieldname, self.text)
        while postings.is_active():
            docnum = postings.id()
            text = searcher.stored_fields(docnum).get(self.fieldname, "")
            if any(
                text[s:e].lower() == self.surface for _, s, e in postings.value_as("characters")
            ):
                ids.add(docnum)
            postings.next()
        return frozenset(ids)


def _wildcard_query(fieldname: str, text: str, boost: float) -> wq.Query:
    pattern = fold(text.lower())
    stem = pattern.rstrip("*?")
    letters = re.sub(r"[*?]", "", pattern)
    if len(letters) < MIN_PREFIX or len(stem) < 1:
        raise QueryError(
            f"prefix too short: '{text}'" if letters else "a lone '*' would match everything",
            hint=f"type at least {MIN_PREFIX} letters before the *",
        )
    if pattern.endswith("*") and "*" not in stem and "?" not in stem:
        return wq.Prefix(fieldname, stem, boost=boost)
    return wq.Wildcard(fieldname, pattern, boost=boost)


Expansions = dict[tuple[str, str], tuple[str, ...]]
"""Pattern (kind, folded text) -> the stems of the corpus words it matches."""


def expand_patterns(
    q: wq.Query | None, lexicon: Words, memo: Expansions | None = None
) -> wq.Query | None:
    """Prefix, wildcard and fuzzy queries, which the parser leaves as folded word patterns,
    turned into the stems of the corpus words they match (``secur*`` → the stems of
    ``securite``, ``securiser``…), so they search and highlight like typed words.

    Each pattern is looked up in the lexicon once, though the parser puts it in the title and
    the body; ``memo`` shares the look-ups between calls (a query's strict and relaxed forms
    hold the same patterns)."""
    if q is None:
        return None
    found: Expansions = {} if memo is None else memo

    def stems_of(node: wq.Query) -> tuple[str, ...] | None:
        if not isinstance(node, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)):
            return None
        fuzzy = isinstance(node, wq.FuzzyTerm)
        key = (type(node).__name__, f"{node.text}~{node.maxdist}" if fuzzy else node.text)
        if key in found:
            return found[key]
        if isinstance(node, wq.Prefix):
            words = lexicon.with_prefix(node.text, MAX_EXPANSIONS)
        elif isinstance(node, wq.Wildcard):
            words = lexicon.matching(node.text, MAX_EXPANSIONS)
        else:
            # a bare "word~" means "forgive a typo": two edits for words over four letters
            maxdist = max(node.maxdist, 2 if len(node.text) > 4 else 1)
            words = [node.text] if node.text in lexicon else []
            words += lexicon.within(node.text, maxdist, MAX_EXPANSIONS)
        found[key] = tuple(dict.fromkeys(stem(w) for w in words))
        return found[key]

    def expand(node: wq.Query) -> wq.Query:
        stems = stems_of(node)
        if stems is None:
            return node
        if not stems:
            return wq.NullQuery
        terms = [wq.Term(node.fieldname, s, boost=node.boost) for s in stems]
        return terms[0] if len(terms) == 1 else wq.Or(terms)

    return q.accept(expand)


def parse_date_filter(value: str) -> wq.Query:
    """``2024``, ``2023-01``, ``2023-01-01``, or a range ``A..B`` (either side optional)."""
    if ".." in value:
        lo_text, _, hi_text = value.partition("..")
        lo = _date_bound(lo_text, upper=False) if lo_text else None
        hi = _date_bound(hi_text, upper=True) if hi_text else None
        if lo is None and hi is None:
            raise _bad_date(value)
        if lo is not None and hi is not None and lo > hi:  # would silently find nothing
            raise QueryError(
                f"reversed date range: date:{value}",
                hint=f"the earlier date first: date:{hi_text}..{lo_text}",
            )
    else:
        lo = _date_bound(value, upper=False)
        hi = _date_bound(value, upper=True)
    return wq.NumericRange("date", lo or 1, hi)


def _date_bound(text: str, *, upper: bool) -> int:
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        raise _bad_date(text)
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else (12 if upper else 1)
    if match.group(3):
        day = int(match.group(3))
    else:
        day = calendar.monthrange(year, month)[1] if upper and 1 <= month <= 12 else 1
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise _bad_date(text) from exc
    return year * 10000 + month * 100 + day


def _bad_date(text: str) -> QueryError:
    return QueryError(
        f"invalid date filter: date:{text}",
        hint="use date:2024, date:2023-01 or date:2023-01-01..2023-06-30",
    )


def _relax(q: wq.Query) -> wq.Query | None:
    """The any-word form of a query whose top level requires every word, else None."""
    if not isinstance(q, wq.And):
        return None
    positives = [c for c in q.subqueries if not isinstance(c, wq.Not)]
    negatives = [c for c in q.subqueries if isinstance(c, wq.Not)]
    if len(positives) < 2:
        return None
    anyword = wq.Or(positives)
    return wq.And([anyword, *negatives]) if negatives else anyword


def _positive_word_terms(q: wq.Query) -> list[WordTerm]:
    """The query words a document should contain (not those under NOT), in order."""
    terms: list[WordTerm] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, WordTerm):
            terms.append(node)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return terms


def exact_words(q: wq.Query | None) -> list[WordTerm]:
    """The query's positive words (one per field, stem and exact form): a document that
    contains a word in the exact form typed gets a bonus on top of the stem's score."""
    if q is None:
        return []
    seen: dict[tuple[str, str, str], WordTerm] = {}
    for node in _positive_word_terms(q):
        seen.setdefault((node.fieldname, node.text, node.exact), node)
    return list(seen.values())


def refuse_empty(text: str) -> None:
    """Raise QueryError "empty query" when ``text`` has nothing to search: blank, or quotes
    alone (``"``, ``""``, ``« »``), as the CLI and ``--batch`` refuse it (exit 2)."""
    if not text.translate(_QUOTES).replace('"', "").strip():
        raise QueryError("empty query", hint="give at least one word")


def normalise_query(text: str) -> str:
    """NFC, French typography read as a French reader writes it, digit groups glued
    (``100 000`` → ``100000``), ``-word`` → ``NOT word``.

    French typography: ``?`` ``!`` ``:`` ``;`` after a space and ``?``/``!`` ending a word are
    punctuation, not syntax; ``« »`` and ``“ ”`` quote phrases; every apostrophe is ``'``. A
    ``?`` or ``*`` inside a word stays a wildcard (``gu?rre``, ``partenari*``).

    >>> normalise_query("Quoi de neuf dans GIMP 2.10 ?")
    'Quoi de neuf dans GIMP 2.10  '
    >>> print(normalise_query("« guerre froide » l’OTAN ; quoi?"))
    " guerre froide " l'OTAN   quoi
    """
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    text = _APOSTROPHES.sub("'", text.translate(_QUOTES))
    text = _LOOSE_APOSTROPHE.sub(" ", text)
    text = _TRAILING_PUNCTUATION.sub("", _SPACED_PUNCTUATION.sub(" ", text))
    text = _DIGIT_GROUPS.sub(lambda m: re.sub(r"\D", "", m.group()), text)
    text = _MINUS.sub("NOT ", text)
    return _PLUS.sub("", text)


def _is_question(text: str) -> bool:
    """Typed as a question: it ends with ``?`` or opens with comment/combien/pourquoi."""
    return text.rstrip().endswith(("?", "？")) or bool(_ASKING.match(_APOSTROPHES.sub("'", text)))


def without_question_words(text: str, *, question: bool) -> str:
    """A question's normalised text without its opening words (``comment``, ``combien de``,
    ``quel``, ``qu'est-ce que``, ``comment faire pour``…), which would otherwise rank the pages
    that happen to contain them; a query that is not a question, or that would be left empty,
    is unchanged, as is one that would be left with only words to exclude.

    >>> without_question_words("Comment supprimer un fichier  ", question=True)
    'supprimer un fichier  '
    >>> without_question_words("Combien d'espace reste-t-il", question=True)
    'espace reste-t-il'
    >>> without_question_words("quand la guerre", question=False)
    'quand la guerre'
    >>> without_question_words("pourquoi NOT fichier", question=True)
    'pourquoi NOT fichier'
    """
    if not question:
        return text
    rest = _QUESTION_OPENING.sub("", text, count=1)
    return rest if _has_positive_word(rest) else text


_NEGATED = re.compile(rf'\b(?:{"|".join(OPERATORS["Not"])})\s+(?:"[^"]*"|\([^)]*\)|\S+)')
_OPERATOR_WORD = re.compile(rf"\b(?:{'|'.join(sorted(OPERATOR_WORDS))})\b")


def _has_positive_word(text: str) -> bool:
    """Whether a normalised query still asks for some word: not only for words to exclude
    (``comment -fichier`` without ``comment`` would list every article without ``fichier``).

    >>> _has_positive_word("NOT fichier"), _has_positive_word("supprimer NOT fichier")
    (False, True)
    """
    return bool(re.search(r"\w", _OPERATOR_WORD.sub(" ", _NEGATED.sub(" ", text))))


def question_opening(text: str) -> int:
    """How many characters at the start of ``text`` as typed are question words that the
    search drops (:func:`without_question_words`), 0 when it drops none: "did you mean" leaves
    them alone (``Comment`` is no typo of ``Comme``).

    >>> question_opening("Comment supprimer un fichier ?")
    8
    >>> question_opening("Comment ?"), question_opening("comment supprimer")
    (0, 8)
    """
    normalised = normalise_query(text)
    if without_question_words(normalised, question=_is_question(text)) == normalised:
        return 0
    opening = _QUESTION_OPENING.match(_APOSTROPHES.sub("'", text))  # one character for one
    return opening.end() if opening else 0


def nesting(text: str) -> int:
    """How deep a normalised query nests: open brackets plus the NOT operators chained before
    a word (``NOT (NOT (x``: 4); phrases count as words."""
    depth = chain = deepest = 0
    for match in _NESTING_TOKENS.finditer(text):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif token in OPERATORS["Not"]:
            chain += 1
        else:
            chain = 0
        deepest = max(deepest, depth + chain)
    return deepest


def _too_deep(levels: int | None = None) -> QueryError:
    found = f"{levels} levels" if levels is not None else "too many levels"
    return QueryError(
        f"query nested too deeply ({found} of brackets or NOT, the limit is {MAX_NESTING})",
        hint="remove some brackets",
    )


def parse(text: str, schema: Schema, field_boosts: Mapping[str, float]) -> ParsedQuery:
    """Parse leniently; raise QueryError only for what cannot be run as typed. Each word
    searches the title and the body, weighted by ``field_boosts`` (see :mod:`search.ranking`)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query too long ({len(text)} characters, the limit is {MAX_QUERY_CHARS})",
            hint="search for a few distinctive words or a phrase instead",
        )
    cleaned = without_question_words(normalise_query(text), question=_is_question(text))
    filters = [parse_date_filter(m.group(1)) for m in _DATE_FILTER.finditer(cleaned)]
    cleaned = _DATE_FILTER.sub(" ", cleaned).strip()
    levels = nesting(cleaned)
    if levels > MAX_NESTING:
        raise _too_deep(levels)
    if _LONE_WILDCARD.search(cleaned):
        raise QueryError(
            "a lone '*' would match everything", hint="type at least 2 letters before the *"
        )
    date_filter = None
    if filters:
        date_filter = filters[0] if len(filters) == 1 else wq.And(filters)
    strict: wq.Query | None = None
    if cleaned:
        try:
            parsed = FrenchQueryParser(schema, field_boosts).parse(cleaned)
            parsed = parsed.normalize()
        except IndexError as exc:  # whoosh's NotGroup with nothing in it: "otan NOT NOT x"
            raise QueryError(
                "NOT (or SAUF) must be followed by a word", hint="e.g. otan NOT corée"
            ) from exc
        except RecursionError as exc:  # a shape the nesting count did not foresee
            raise _too_deep() from exc
        if parsed is not wq.NullQuery and not isinstance(parsed, wq.NullQuery.__class__):
            strict = parsed
    relaxed = None
    if strict is not None and not _EXPLICIT_AND.search(f" {cleaned} "):
        relaxed = _relax(strict)
    words: tuple[str, ...] = ()
    if strict is not None:
        words = tuple(dict.fromkeys(t.exact for t in _positive_word_terms(strict)))
    has_patterns = strict is not None and any(
        isinstance(node, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)) for node in strict.leaves()
    )
    stops = strict is None and only_stop_words(cleaned)
    return ParsedQuery(text, strict, relaxed, date_filter, words, has_patterns, stops)
