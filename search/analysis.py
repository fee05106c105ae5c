"""French text analysis as small Whoosh filters, chained with ``|``.

The chain (see :func:`french_analyzer`)::

    FrenchTokenizer | ElisionFilter | CompoundFilter | LowercaseFilter | FrenchStopFilter
        | FoldFilter | ExactFormFilter | FrenchStemFilter | PositionFilter

Folding comes *before* stemming: the Snowball French stemmer behaves differently on ``sécurité``
and ``securite``, so stemming first would make a query typed without accents miss a quarter of
the accented words (measured on French man pages). Folding first makes the index accent-invariant:
a query gives the same results with or without accents.

In index mode the chain yields, at the same position, each word's stem and its folded surface
form prefixed with ``=`` (see :data:`EXACT_PREFIX`). :class:`FrenchAnalyzer` indexes the stems
only and hands the ``=`` forms to the lexicon (:mod:`search.lexicon`). Queries match stems, so
``armes`` finds ``arme``; the words of the lexicon let a document with the exact word typed rank
above one that matches only through stemming (:mod:`search.ranking`), expand ``secur*`` and
typos over real words, and give "did you mean" real words to suggest instead of stems.

Whoosh pickles analyzers into the index schema, so every class here must stay importable under
this module path and compare equal to its twin (``Composable.__eq__`` compares ``__dict__``);
changing what a filter emits means bumping ``search.schema.SCHEMA_VERSION``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import accumulate, chain
from operator import itemgetter

import snowballstemmer
from unidecode import unidecode
from whoosh.analysis import Analyzer, Filter, LowercaseFilter, Token, Tokenizer

EXACT_PREFIX = "="
"""Marks the folded surface form of a word in the index (``=securite``), beside its stem."""

ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split())
"""Elided articles and pronouns: ``l’OTAN`` → ``OTAN``, ``jusqu’à`` → ``à``."""

# The Snowball project's French stop list, without the English words Whoosh's
# ``StopFilter(lang="fr")`` adds and with ``les``, which Whoosh's list lacks. ``ou``/``et`` are
# stop words as lowercase words; as the uppercase operators ``OU``/``ET`` the query parser
# handles them before analysis.
_SNOWBALL_STOP_WORDS = frozenset(
    """
    au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même
    mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes
    suis es est sommes êtes sont serai seras sera serons serez seront serais serait serions seriez
    seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez
    soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai
    as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient
    avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse
    eusses eût eussions eussiez eussent cette cet celle ceux celui dont
    """.split()
)
FRENCH_STOP_WORDS = _SNOWBALL_STOP_WORDS | frozenset(unidecode(w) for w in _SNOWBALL_STOP_WORDS)
"""Stop words as written and as typed without accents (``été``, ``ete``), checked on the
lowercase word *before* accent folding: ``sûr``, ``dû``, ``où`` are words, not the stop words
``sur``, ``du``, ``ou`` they fold to."""

_APOSTROPHES = "'’ʼ‘"
_WORD = r"[^\W_]+(?:[-_'’ʼ‘][^\W_]+)*"
# "100 000" and "100 000" (no-break spaces) are one number: groups of three digits.
_NUMBER = r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])"
_TOKEN_RE = re.compile(f"{_NUMBER}|{_WORD}")
_NUMBER_SPACES = re.compile(r"[ \u00a0\u202f]")
_COMPOUND_SPLIT = re.compile(r"[-_]")
_APOSTROPHE_RE = re.compile(f"[{_APOSTROPHES}]")


class FrenchTokenizer(Tokenizer):
    """Words with their inner hyphens and apostrophes, and digit groups as one number.

    >>> [t.text for t in FrenchTokenizer()("L’OTAN a 100 000 soldats à Saint-Malo")]
    ['L’OTAN', 'a', '100000', 'soldats', 'à', 'Saint-Malo']
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            token.same_pos = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        for match in _TOKEN_RE.finditer(_nfc(value)):
            text = match.group()
            if text[0].isdigit():
                text = _NUMBER_SPACES.sub("", text)
            token.text = text
            token.boost = 1.0
            token.stopped = False
            token.same_pos = False
            if keeporiginal:
                token.original = text
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class ElisionFilter(Filter):
    """Drops elided articles and pronouns, with either apostrophe.

    >>> [t.text for t in ElisionFilter()(FrenchTokenizer()("l’OTAN d'armes aujourd'hui"))]
    ['OTAN', 'armes', "aujourd'hui"]
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if any(a in text for a in _APOSTROPHES):
                parts = _APOSTROPHE_RE.split(text, maxsplit=1)
                head, rest = parts[0], parts[1]
                if head.lower() in ELISIONS and rest:
                    if t.chars:
                        t.startchar = t.endchar - len(rest)
                    text = rest
                text = _APOSTROPHE_RE.sub("'", text)
                t.text = text
            yield t


class CompoundFilter(Filter):
    """Splits ``États-Unis`` and ``iso_8859-10`` into their parts, at successive positions.

    In index mode it also emits the parts glued together (``etatsunis``, ``885910``) at the first
    part's position, so a query written without the hyphen finds them too. In query mode it emits
    only the parts: the query parser turns several parts into a phrase, which matches the
    hyphenated, the spaced and the glued-in-another-document forms alike.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if "-" not in text and "_" not in text:
                yield t
                continue
            parts = _COMPOUND_SPLIT.split(text)
            index_mode = t.mode == "index"
            base_char = t.startchar if t.chars else 0
            same_pos = t.same_pos
            offset = 0
            for i, part in enumerate(parts):
                if part:
                    t.text = part
                    t.same_pos = same_pos if i == 0 else False
                    if t.chars:
                        t.startchar = base_char + offset
                        t.endchar = t.startchar + len(part)
                    yield t
                    if i == 0 and index_mode:
                        glued = t.copy()
                        glued.text = "".join(parts)
                        glued.same_pos = True
                        if t.chars:
                            glued.endchar = base_char + len(text)
                        yield glued
                offset += len(part) + 1


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Accent and ligature folding: ``sécurité`` → ``securite``, ``manœuvre`` → ``manoeuvre``."""
    if text.isascii():
        return text
    folded = unidecode(text)
    # unidecode turns a lone symbol it cannot spell into "" or punctuation: keep the original
    return folded if folded.strip() else text


class FoldFilter(Filter):
    """Folds accents and ligatures (unidecode): ``securite`` ≡ ``sécurité``, ``coree`` ≡ ``Corée``.

    >>> [t.text for t in FoldFilter()(LowercaseFilter()(FrenchTokenizer()("Taïwan manœuvre")))]
    ['taiwan', 'manoeuvre']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = fold(t.text)
            yield t


class FrenchStopFilter(Filter):
    """Removes French stop words (a French-only list, ``les`` included), before folding.

    Removed words leave no gap in positions, so the phrase ``"Corée du Sud"`` (analysed as
    ``coree sud``) matches the text ``Corée du Sud``.
    """

    def __init__(self, stoplist: frozenset[str] = FRENCH_STOP_WORDS) -> None:
        self.stops = stoplist

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops = self.stops
        for t in tokens:
            if t.text in stops:
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            yield t


class ExactFormFilter(Filter):
    """In index mode, emits ``=<folded word>`` before each word, at the same position.

    :class:`FrenchAnalyzer` takes these exact forms out of the postings into the lexicon, where
    they let queries prefer documents that contain the word as typed, power prefix and fuzzy
    queries (``secur*`` expands over words, not stems) and "did you mean".
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.mode == "index" and not t.stopped:
                exact = t.copy()
                exact.text = EXACT_PREFIX + t.text
                yield exact
                t.same_pos = True
            yield t


_STEMMER = snowballstemmer.stemmer("french")


# Folded endings that Snowball's French rules only recognise with their accent: ``armée`` →
# ``armé`` but ``armee`` → ``arme``, which would join "armée" with "arme"; ``affichées`` →
# ``affich`` but ``affichees`` → ``affiche``. ``-ite(s)`` is not restored: it would join
# ``limite`` and ``site`` with the ``-ité`` nouns (measured: bench/findings.md).
_REACCENT = (
    (re.compile(r"ee(s?)$"), r"ée\1"),
    (re.compile(r"iere(s?)$"), r"ière\1"),
    (re.compile(r"([^aeiou])ie(s?)$"), r"\1ié\2"),
    (re.compile(r"ye(s?)$"), r"yé\1"),
)
_REACCENT_ENDINGS = ("ee", "iere", "ie", "ye")
"""How the patterns of _REACCENT end, before their optional ``s``."""

SHORT_STEM = 3
"""A Snowball stem this short is kept only for verb forms (``don`` for ``donner``,
``donnant``); other words of that stem are indexed as themselves, without a plural ``s``/``x``:
``Corée`` is not ``cor`` nor ``core``, ``Gaza`` is not ``gaz``."""
_VERB_ENDING = re.compile(
    r"(er|ez|ant|ait|ais|aient|ent|era|erai|eras|erait|eraient|erez|eront|erons|ons|ions|iez"
    r"|ir|it|ira|issent|isse|issant|issez|irent|iront|irait)$"
)
_PLURAL = re.compile(r"(?<=..)[sx]$")
_DERIVED = re.compile(
    r"(?:(ation|ateur|atrice|ement|able|ible|isme|iste|ance|ence|ition|ution|ction)s?"
    r"|[sx](ion)s?)$"
)
"""Derivational endings Snowball strips to the verb's stem: the noun or adjective keeps a mark
of its own (``utilis+ateur``), so ``utilisateur``, ``utilisation`` and ``utiliser`` are three
words, as a French reader sees them, while each keeps its plural and inflections; ``-sion`` and
``-xion`` share the mark ``ion`` (``précision`` apart from ``préciser``). ``-if``/``-ive`` get
none: folded, ``activé`` is ``active``."""
_DERIVED_LONGEST = len("atrices")
"""The longest ending _DERIVED matches: it is searched for in the last letters only."""
_THIRD_PLURAL = re.compile(r"(?<!m)ent$")
"""``-ent`` that may be a verb's third person plural (``demandent``): Snowball leaves it, since
it also ends nouns and adjectives (``client``, ``différent``); ``-ment`` is left to Snowball's
adverb rules."""
_NOT_VERB_PLURALS = frozenset(
    "absent apparent ardent argent coherent competent concurrent consequent conscient content "
    "convergent decent different divergent eminent equivalent evident excellent frequent "
    "imminent impatient imprudent incident incoherent inconscient indifferent inherent innocent "
    "insolent intelligent latent patient permanent pertinent present prudent subsequent "
    "transparent urgent violent".split()
)
"""Adjectives and nouns in ``-ent`` (folded, singular) that the third person plural reading
would misfile: ``violent`` joined ``viol`` and ``violer``, ``content`` joined ``conte``, and
``présent``, ``équivalent``, ``fréquent`` left their feminine (``présente``: Snowball's
``present``)."""
_PARTICIPLE_PLURAL = re.compile(r"(?<!cl)(?<![ft])(?<![aeiouy])us$")
"""``-us`` that may be the plural of a past participle in ``-u`` (``perdus``): Snowball keeps
a final ``s`` after ``u`` (``virus``); not after ``cl``, ``f``, ``t``, whose ``-us`` words are
singulars with a feminine in ``-use`` (``inclus``, ``confus``, ``obtus``)."""


def reaccent(word: str) -> str:
    """Restores the accent of ``-ée(s)``, ``-ière(s)``, consonant + ``-ié(s)`` and ``-yé(s)``
    endings on a folded word, for the stemmer.

    A function of the folded form only, so stems stay accent-invariant by construction.

    >>> reaccent("armee"), reaccent("premieres"), reaccent("copies"), reaccent("arme")
    ('armée', 'premières', 'copiés', 'arme')
    """
    singular = word[:-1] if word.endswith("s") else word
    if not singular.endswith(_REACCENT_ENDINGS):  # most words: no pattern can match
        return word
    for pattern, replacement in _REACCENT:
        restored = pattern.sub(replacement, word)
        if restored != word:
            return restored
    return word


def verb_plural(word: str, base: str) -> str:
    """Reads a plural Snowball left whole as a verb form: an ``-ent`` word as a third person
    plural, stemmed as its ``-er`` infinitive (``demandent`` → ``demand``, as ``demander``,
    ``demandé``), and an ``-us`` word of 6 letters or more as the plural of a past participle
    (``perdus`` → ``perdu``, as ``perdue``).

    The ``-ent`` reading applies to the ``-ents`` plural of a noun or adjective too, so a
    singular and its plural stay one term; a reading this short (:data:`SHORT_STEM`) is no stem
    (``client``, ``agent``, ``récent`` keep Snowball's), nor is that of the adjectives and nouns
    of :data:`_NOT_VERB_PLURALS` (``différent`` stays with ``différente``, not ``différer``).

    >>> verb_plural("demandent", "demandent"), verb_plural("differents", "different")
    ('demand', 'different')
    >>> verb_plural("clients", "client"), verb_plural("moment", "moment")
    ('client', 'moment')
    >>> verb_plural("perdus", "perdus"), verb_plural("inclus", "inclus")
    ('perdu', 'inclus')
    """
    if (
        (base == word or word == base + "s")
        and _THIRD_PLURAL.search(base)
        and base not in _NOT_VERB_PLURALS
    ):
        verb = _STEMMER.stemWord(base[:-3] + "er")
        if len(verb) > SHORT_STEM:
            return verb
    elif base == word and len(word) >= 6 and _PARTICIPLE_PLURAL.search(word):
        return _STEMMER.stemWord(word[:-1])
    return base


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index term of a folded, lowercase word: its Snowball French stem (PyStemmer-
    accelerated when installed), with the third person plural read as a verb
    (:func:`verb_plural`) and two guards against false families (see :data:`SHORT_STEM` and
    :data:`_DERIVED`).

    The stem may keep an ``é`` that :func:`reaccent` restored (``armée`` → ``armé``): stems are
    index terms, never shown, and keeping it is what separates ``armé(e)`` from ``arme``.

    >>> stem("armees"), stem("arme"), stem("coree"), stem("core"), stem("gaza"), stem("donnant")
    ('armé', 'arme', 'coree', 'core', 'gaza', 'don')
    >>> stem("utilisateurs"), stem("utilisation"), stem("utilisees"), stem("utilisent")
    ('utilis+ateur', 'utilis+ation', 'utilis', 'utilis')
    >>> stem("precisions"), stem("precisent"), stem("differents"), stem("differer")
    ('precis+ion', 'precis', 'different', 'differ')
    """
    if not word.isalpha():
        return word
    base = verb_plural(word, _STEMMER.stemWord(reaccent(word)))
    if len(base) <= SHORT_STEM:
        whole = _PLURAL.sub("", word)
        ending = whole[len(base) :] if whole.startswith(base) else whole
        if len(whole) > len(base) and not _VERB_ENDING.search(ending):
            return whole
        return base
    derived = _DERIVED.search(word, max(0, len(word) - _DERIVED_LONGEST))
    if derived and derived.start() >= 3:
        return f"{base}+{derived.group(1) or derived.group(2)}"
    return base


class FrenchStemFilter(Filter):
    """French stemming (``armes`` → ``arme``, ``partenariats`` → ``partenariat``; see :func:`stem`).

    Marked ``is_morph`` so Whoosh's ``no_morph`` analysis (used for spelling) can skip it; the
    exact ``=`` forms pass through untouched.
    """

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if not text.startswith(EXACT_PREFIX):
                t.text = stem(text)
            yield t


class PositionFilter(Filter):
    """Numbers positions last, after stop words are gone and variants share a slot."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        pos = -1
        for t in tokens:
            if not getattr(t, "same_pos", False) or pos < 0:
                pos += 1
            if t.positions:
                t.pos = pos
            yield t


def french_chain() -> Analyzer:
    """The filter chain, as composable Whoosh filters (see the module docstring)."""
    return (
        FrenchTokenizer()
        | ElisionFilter()
        | CompoundFilter()
        | LowercaseFilter()
        | FrenchStopFilter()
        | FoldFilter()
        | ExactFormFilter()
        | FrenchStemFilter()
        | PositionFilter()
    )


_Tokens = tuple[tuple[str, int, int, int], ...]
_Expansion = tuple[_Tokens, int, tuple[tuple[str, str], ...], str | None]
_EXPANSIONS: dict[str | tuple[str, str], _Expansion] = {}
"""A word's tokens ``(stem, position, start, end)`` relative to the word, how many positions it
takes, its exact forms ``(folded, as written)``, and its one term when it is the common word
(one stem over the whole word, one position; "" for a stop word; None otherwise). Keyed by the
word alone for index mode (the build's hot path maps over it), by ``(word, mode)`` otherwise."""
_MAX_CACHED_WORDS = 1_000_000
_SPLIT_RE = re.compile(f"((?=[^\\W_])(?:{_NUMBER}|{_WORD}))")
""":data:`_TOKEN_RE` as one group: ``split`` gives the gaps and the tokens in turn, and their
lengths give every offset without a match object per token. Both kinds of token start with a
letter or a digit: the lookahead skips the other characters with one test instead of two
(-20 % for the split)."""
_simple_term = itemgetter(3)
_exact_forms = itemgetter(2)
_STOP_WORD: _Expansion = ((), 0, (), "")
_SEPARATED = re.compile(f"[^\\w]|[_{_APOSTROPHES}]")
"""A character that makes a word other than plain (a hyphen, an apostrophe, an underscore, a
number's space; ``ʼ`` is a letter to ``\\w``)."""
_CHAIN_TYPES = [
    FrenchTokenizer,
    ElisionFilter,
    CompoundFilter,
    LowercaseFilter,
    FrenchStopFilter,
    FoldFilter,
    ExactFormFilter,
    FrenchStemFilter,
    PositionFilter,
]
"""The filters of :func:`french_chain`, which :meth:`FrenchAnalyzer._word_expansion` stands
for."""


def _expansion_of(word: str, tokens: list[tuple[str, int, int, int]]) -> _Expansion:
    """The cache entry of ``word`` (see :data:`_EXPANSIONS`) from its tokens ``(text,
    position, start, end)``, relative to the word."""
    stems = tuple(t for t in tokens if not t[0].startswith(EXACT_PREFIX))
    exact = tuple(
        (text[len(EXACT_PREFIX) :], word[start:end])
        for text, _, start, end in tokens
        if text.startswith(EXACT_PREFIX)
    )
    advance = tokens[-1][1] + 1 if tokens else 0
    simple: str | None = None
    if not stems and not advance:
        simple = ""  # a stop word
    elif advance == 1 and len(stems) == 1 and stems[0][1:] == (0, 0, len(word)):
        simple = stems[0][0]
    return stems, advance, exact, simple


class FrenchAnalyzer(Analyzer):
    """:func:`french_chain`, run once per distinct word and mode, then replayed from a cache.

    Every filter after the tokenizer looks at one word at a time, so the tokens a word yields
    (with positions and offsets relative to the word) depend on the word alone. Replaying them
    skips nine generator layers per token: measured 5x faster on French man pages, where the
    chain itself cost more than Whoosh's indexing.

    The index holds stems only. The exact forms the chain marks with ``=`` are kept apart
    (:meth:`words`), for the lexicon of :mod:`search.lexicon`: indexing them beside the stems
    doubled the postings and cost 45% of the indexing time.
    """

    def __init__(self) -> None:
        self.chain = french_chain()
        self.collector: dict[str, str] | None = None
        """When a dict, :meth:`term_occurrences` adds the words it sees (``folded -> spelling``):
        the indexer fills the lexicon in the same pass as the postings."""

    def __getstate__(self) -> dict[str, object]:
        return {"chain": self.chain}  # the collector is a writer's, not part of the schema

    def __setstate__(self, state: dict[str, object]) -> None:
        self.chain = state["chain"]
        self.collector = None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.chain == self.chain  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"FrenchAnalyzer({self.chain!r})"

    def _expansion(self, word: str, mode: str) -> _Expansion:
        key = word if mode == "index" else (word, mode)
        expansion = _EXPANSIONS.get(key)
        if expansion is None:
            if len(_EXPANSIONS) > _MAX_CACHED_WORDS:
                _EXPANSIONS.clear()
            tokens = [
                (t.text, t.pos, t.startchar, t.endchar)
                for t in self.chain(word, mode=mode, positions=True, chars=True)
            ]
            expansion = _EXPANSIONS[key] = _expansion_of(word, tokens)
        return expansion

    def _expand_index_words(self, words: list[str]) -> dict[str, _Expansion]:
        """The index-mode expansions of ``words``, cached: from :meth:`_word_expansion` when
        the chain is :func:`french_chain`'s, else from one run of the chain over them all (one
        word a line), each word's tokens taken back by their offsets (the chain's set-up cost
        per call is paid once). The same tokens as a run of the chain per word (test), since
        every filter looks at one word at a time and no token crosses a line."""
        expand = self._word_expansion
        found: dict[str, _Expansion] = {}
        if expand is not None:
            rest = []
            for word in words:
                expansion = expand(word) if _is_nfc(word) else None
                if expansion is None:
                    rest.append(word)
                else:
                    found[word] = expansion
            words = rest
        if words:
            found.update(self._expand_with_chain(words))
        _EXPANSIONS.update(found)
        return found

    @property
    def _word_expansion(self) -> Callable[[str], _Expansion | None] | None:
        """What :func:`french_chain` makes of one word in index mode, without its nine
        generator layers and its Token copies per token (three quarters of a new word's cost),
        or None for another chain. Step by step as the filters do: the tokenizer's number
        without its spaces, the elided article dropped (``l’``, ``qu’``) and apostrophes made
        straight, a compound's parts at successive positions with the parts glued together at
        the first part's, then for each piece: lowercase, stop word (dropped, no position),
        fold, the exact form and the stem at one position. A plain word (one run of letters or
        digits: 73 % of the man pages' words) takes a shorter way to the same tuple. The
        function returns None for a word whose folded form or stem starts with the exact mark
        (the chain would read it otherwise): the chain itself analyses it."""
        items = getattr(self.chain, "items", ())
        if [type(item) for item in items] != _CHAIN_TYPES:
            return None
        stops = items[_CHAIN_TYPES.index(FrenchStopFilter)].stops

        def plain(word: str) -> _Expansion | None:
            lowered = word.lower()
            if lowered in stops:
                return _STOP_WORD
            folded = fold(lowered)
            term = stem(folded)
            if folded.startswith(EXACT_PREFIX) or term.startswith(EXACT_PREFIX):
                return None
            return ((term, 0, 0, len(word)),), 1, ((folded, word),), term

        def expansion(word: str) -> _Expansion | None:
            if _SEPARATED.search(word) is None:
                return plain(word)
            text = _NUMBER_SPACES.sub("", word) if word[0].isdigit() else word
            start, end = 0, len(word)
            if any(a in text for a in _APOSTROPHES):
                head, rest = _APOSTROPHE_RE.split(text, maxsplit=1)
                if head.lower() in ELISIONS and rest:
                    start, text = end - len(rest), rest
                text = _APOSTROPHE_RE.sub("'", text)
            # (text, start, end, at the previous piece's position)
            pieces = [(text, start, end, False)]
            if "-" in text or "_" in text:
                parts = _COMPOUND_SPLIT.split(text)
                pieces = []
                offset = start
                for i, part in enumerate(parts):
                    if part:
                        pieces.append((part, offset, offset + len(part), False))
                        if i == 0:
                            pieces.append(("".join(parts), start, start + len(text), True))
                    offset += len(part) + 1
            tokens = []
            position = -1
            for piece, first, last, same in pieces:
                lowered = piece.lower()
                if lowered in stops:
                    continue
                folded = fold(lowered)
                term = stem(folded)
                if folded.startswith(EXACT_PREFIX) or term.startswith(EXACT_PREFIX):
                    return None
                if not same or position < 0:
                    position += 1
                tokens += ((EXACT_PREFIX + folded, position, first, last),)
                tokens += ((term, position, first, last),)
            return _expansion_of(word, tokens)

        return expansion

    def _expand_with_chain(self, words: list[str]) -> dict[str, _Expansion]:
        """The expansions of ``words`` from one run of the chain over them all."""
        text = "\n".join(words)
        starts = list(accumulate((len(w) + 1 for w in words[:-1]), initial=0))
        per_word: list[list[tuple[str, int, int, int]]] = [[] for _ in words]
        k = 0
        first = 0
        for t in self.chain(text, mode="index", positions=True, chars=True):
            start = t.startchar
            if k + 1 < len(words) and start >= starts[k + 1]:
                k = bisect_right(starts, start) - 1
            tokens = per_word[k]
            if not tokens:
                first = t.pos  # the word's first token: position 0 of the word alone
            base = starts[k]
            tokens.append((t.text, t.pos - first, start - base, t.endchar - base))
        return {
            word: _expansion_of(word, tokens) for word, tokens in zip(words, per_word, strict=True)
        }

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: object,
    ) -> Iterator[Token]:
        if no_morph or not tokenize or not removestops or keeporiginal:
            # rare paths (spelling, stop-word display): run the chain itself
            for token in self.chain(
                value,
                positions=positions,
                chars=chars,
                keeporiginal=keeporiginal,
                removestops=removestops,
                start_pos=start_pos,
                start_char=start_char,
                tokenize=tokenize,
                mode=mode,
                no_morph=no_morph,
                **kwargs,
            ):
                if not token.text.startswith(EXACT_PREFIX):
                    yield token
            return
        value = _nfc(value)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        pos = start_pos
        for match in _TOKEN_RE.finditer(value):
            stems, advance, _, _ = self._expansion(match.group(), mode)
            base = start_char + match.start()
            for text, rel, start, end in stems:
                token.text = text
                if positions:
                    token.pos = pos + rel
                if chars:
                    token.startchar = base + start
                    token.endchar = base + end
                yield token
            pos += advance

    def term_occurrences(self, value: str) -> dict[str, list[int]]:
        """``term -> [position, startchar, endchar, position, …]`` of an index-mode analysis,
        flat, in text order: the postings format of the indexed fields encodes it directly.

        The index's hot path, with as little Python per token as can be: one ``split`` finds
        the tokens and their lengths give the offsets; the loop per token looks up nothing
        for the common word (one stem, one position: its term is mapped beforehand), and the
        words of the lexicon are collected once per distinct word.
        """
        parts = _SPLIT_RE.split(_nfc(value))
        words = parts[1::2]
        if not words:
            return {}
        bounds = list(accumulate(map(len, parts)))
        distinct = dict.fromkeys(words)
        if len(_EXPANSIONS) + len(distinct) > _MAX_CACHED_WORDS:
            _EXPANSIONS.clear()
        # this text's words taken from the shared cache once: a search thread may clear it
        # meanwhile (past its bound), which must not lose a word read below
        cache = dict(zip(distinct, map(_EXPANSIONS.get, distinct), strict=True))
        new = [word for word, expansion in cache.items() if expansion is None]
        if new:
            cache.update(self._expand_index_words(new))
        collector = self.collector
        if collector is not None:  # each folded word with its first spelling, in C loops
            exact = list(chain.from_iterable(map(_exact_forms, map(cache.__getitem__, distinct))))
            first = dict(reversed(exact))  # the later pairs written first: the first one stays
            first.update(collector)  # words collected before (the title's) keep their spelling
            collector.update(first)
        simple = map(_simple_term, map(cache.__getitem__, words))
        found: dict[str, list[int]] = {}
        pos = 0
        for word, term, start, end in zip(words, simple, bounds[0:-1:2], bounds[1::2], strict=True):
            if term:
                occurrences = found.get(term)
                if occurrences is None:
                    found[term] = [pos, start, end]
                else:
                    occurrences += (pos, start, end)
                pos += 1
            elif term is None:  # a compound, an elided or a glued word: its cached tokens
                stems, advance, _, _ = cache[word]  # type: ignore[misc]
                for stem_text, rel, first, last in stems:
                    occurrences = found.get(stem_text)
                    if occurrences is None:
                        found[stem_text] = [pos + rel, start + first, start + last]
                    else:
                        occurrences += (pos + rel, start + first, start + last)
                pos += advance
            # else "": a stop word, no token and no position
        return found

    def term_positions(self, value: str) -> dict[str, list[tuple[int, int, int]]]:
        """``term -> [(position, startchar, endchar), ...]`` of an index-mode analysis (see
        :meth:`term_occurrences`)."""
        return {
            term: list(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))
            for term, flat in self.term_occurrences(value).items()
        }

    def words(self, value: str) -> dict[str, str]:
        """``folded word -> its spelling in the text`` (first seen) of every indexed word."""
        found: dict[str, str] = {}
        for match in _TOKEN_RE.finditer(_nfc(value)):
            for exact, surface in self._expansion(match.group(), "index")[2]:
                if exact not in found:
                    found[exact] = surface
        return found


def _is_nfc(word: str) -> bool:
    return word.isascii() or unicodedata.is_normalized("NFC", word)


def _nfc(value: str) -> str:
    # decomposed accents (NFD) would split words; stored text is NFC already, so the character
    # offsets of indexed documents are unaffected
    if unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def french_analyzer() -> FrenchAnalyzer:
    """The analyzer of the title and body fields (index and query mode)."""
    return FrenchAnalyzer()


_QUERY_ANALYZER = french_analyzer()


def only_stop_words(text: str) -> bool:
    """True when ``text`` holds words and every one of them is a stop word.

    >>> [only_stop_words(text) for text in ("les", "De la", "sûr", "")]
    [True, True, False, False]
    """
    tokens = list(_QUERY_ANALYZER.chain(text, mode="query", no_morph=True, removestops=False))
    return bool(tokens) and all(t.stopped for t in tokens)


def query_words(text: str) -> list[tuple[str, str]]:
    """The ``(exact form, stem)`` of each indexable word of a query string, in order.

    >>> query_words("l’Armée des États-Unis")
    [('armee', 'armé'), ('etats', 'etat'), ('unis', 'unis')]
    """
    unstemmed = _QUERY_ANALYZER.chain(text, mode="query", no_morph=True)
    return [(t.text, stem(t.text)) for t in unstemmed]
