"""Did you mean: a query's unknown words replaced by the closest frequent words of the corpus.

Suggestions are real words, in the spelling the articles use (accents and capitals), never
stems: they come from the :class:`~search.lexicon.Lexicon`, not from the index.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from search.analysis import query_words
from search.lexicon import Words
from search.query import OPERATOR_WORDS, question_opening

SUGGEST_BELOW = 3
"""Offer "did you mean" when a query finds fewer documents than this, or only partial matches;
past that, only for words that no article contains as typed (``permisions`` finds articles
through its stem ``permis``, yet the user meant ``permissions``) and that are long enough not to
be a word still being typed."""
SUGGEST_UNKNOWN_FROM = 5

_QUERY_WORD = re.compile(r"(?<![\w:*~\"])[^\W\d_][\w'’-]*(?![\w:*~])")


def suggestion_for(
    query: str,
    words: tuple[str, ...],
    total: int,
    fallback: bool,
    lexicon: Callable[[], Words],
) -> str | None:
    """The corrected query to offer for ``query`` (whose positive words as typed are ``words``
    and which found ``total`` articles), or None. ``lexicon`` is called only when needed."""
    if total < SUGGEST_BELOW or fallback:
        return suggest(query, lexicon())
    if not words:
        return None
    words_seen = lexicon()
    if any(w not in words_seen and len(w) >= SUGGEST_UNKNOWN_FROM for w in words):
        return suggest(query, words_seen, min_length=SUGGEST_UNKNOWN_FROM)
    return None


def suggest(query: str, lexicon: Words, min_length: int = 1) -> str | None:
    """The query with each unknown word (of ``min_length`` letters or more) replaced by the
    closest frequent corpus word, operators, a question's opening words (which the search
    drops) and other words kept as typed."""
    pieces: list[str] = []
    last = 0
    for match in _QUERY_WORD.finditer(query, question_opening(query)):
        word = match.group()
        if word in OPERATOR_WORDS:
            continue
        analysed = query_words(word)
        if len(analysed) != 1 or analysed[0][0] in lexicon or len(analysed[0][0]) < min_length:
            continue
        exact = analysed[0][0]
        closest = lexicon.within(exact, 1 if len(exact) <= 4 else 2, limit=1)
        if not closest:
            continue
        pieces += [query[last : match.start()], match_case(word, lexicon.spelling(closest[0]))]
        last = match.end()
    if not pieces:
        return None
    pieces.append(query[last:])
    return "".join(pieces)


def match_case(typed: str, word: str) -> str:
    """``word`` in the case the user typed: ``OTAN``, ``Otan``, and a proper noun's capital kept."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    if typed.islower() and word[:1].isupper() and not word.isupper():
        return word  # a proper noun keeps its capital
    return word
