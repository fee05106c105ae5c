"""Known-item queries (each page's NOM description) and the variants a user would type.

``inflected`` swaps singular and plural on the nouns and adjectives that simplemma says are
in their base form or a regular plural of it (``fichier`` ↔ ``fichiers``, ``journal`` ↔
``journaux``); verbs and unknown words are left alone, so the query stays plausible French.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

VARIANTS = ("typed", "unaccented", "inflected", "unaccented+inflected")
_WORD = re.compile(r"[^\W\d_]+")
_DETERMINERS = frozenset("une aucun aucune chaque leur tout toute autre".split())


@dataclass(frozen=True)
class Query:
    text: str
    targets: frozenset[str]


def load(path: Path) -> list[Query]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        ids, _, text = line.partition("\t")
        queries.append(Query(text, frozenset(ids.split())))
    return queries


def unaccent(text: str) -> str:
    """What a user types on a keyboard without accents: ``Œuvre générée`` → ``Oeuvre generee``."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@lru_cache(maxsize=1)
def _lemmatizer() -> Callable[[str], str]:
    import simplemma  # bench extra: only the benchmark needs a lemma list

    return lambda word: simplemma.lemmatize(word, lang="fr")


def corpus_vocabulary(corpus: Path) -> frozenset[str]:
    """Lowercase words of the corpus: an inflected query form must be a word seen in it."""
    words: set[str] = set()
    for path in sorted(corpus.rglob("*.txt")):
        words.update(_WORD.findall(path.read_text(encoding="utf-8").lower()))
    return frozenset(words)


def swap_number(word: str, vocabulary: frozenset[str]) -> str:
    """``fichier`` → ``fichiers``, ``canaux`` → ``canal``; unchanged unless the other form is
    a corpus word with the same simplemma lemma (so verbs and ``par``/``pars`` stay put)."""
    lower = word.lower()
    if lower in _DETERMINERS or len(lower) < 3 or (word.isupper() and len(word) > 1):
        return word
    lemmatize = _lemmatizer()
    if lower.endswith(("s", "x")):
        candidates = [lower[:-1]]
        if lower.endswith("aux"):
            candidates.append(lower[:-3] + "al")
    elif lower.endswith("al"):
        candidates = [lower + "s", lower[:-2] + "aux"]
    elif lower.endswith(("eau", "eu")):
        candidates = [lower + "x", lower + "s"]
    elif lower.endswith("z"):
        return word
    else:
        candidates = [lower + "s"]
    lemma = lemmatize(lower)
    for other in candidates:
        if other in vocabulary and lemmatize(other) == lemma:
            return word[0] + other[1:] if word[0].isupper() else other
    return word


def _same_case(new: str, model: str) -> str:
    return new.upper() if model.isupper() and len(model) > 1 else new


def inflect(text: str, vocabulary: frozenset[str]) -> str:
    return _WORD.sub(lambda m: swap_number(m.group(), vocabulary), text)


def variant(text: str, name: str, vocabulary: frozenset[str] = frozenset()) -> str:
    if name == "typed":
        return text
    if name == "unaccented":
        return unaccent(text)
    if name == "inflected":
        return inflect(text, vocabulary)
    if name == "unaccented+inflected":
        return unaccent(inflect(text, vocabulary))
    raise ValueError(f"unknown query variant {name!r}")
