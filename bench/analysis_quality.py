"""How well an analyzer serves French words: accent invariance and inflection grouping.

Measured on a vocabulary with a lemma, or a set of lemmas, for each word (see
:mod:`bench.vocabulary` for the three references: simplemma's lemma, the same with participles
joined to their verb, and Lefff's lemmas through spaCy's tables); two forms are of one lemma
when their sets meet:

* **accent invariance**: the share of accented words that the same word typed without accents
  finds (its query terms meet the accented word's index terms); words whose unaccented form is a
  stop word (``sûr``/``sur``, ``dû``/``du``) are listed apart, as ``stop_homographs``;
* **inflection recall**: of the pairs of distinct forms with the same lemma, the share that
  share an index term (``fichier``/``fichiers``);
* **inflection precision**: of the pairs that share an index term, the share with the same
  lemma (``général``/``généré`` sharing ``gener`` is a loss).

Plain functions of ``word -> terms``, so the CI test runs them on a committed slice without
simplemma, and the benchmark runs them on the whole corpus vocabulary for several analyzers.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

Terms = Callable[[str], frozenset[str]]
Lemmas = Mapping[str, str] | Mapping[str, frozenset[str]]
"""word → its lemma, or the set of its possible lemmas (``portée``: *porter*, *portée*)."""
EXAMPLES = 12


def strip_accents(word: str) -> str:
    """``manœuvrées`` → ``manoeuvrees``: what a keyboard without accents produces."""
    word = word.replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def is_accented(word: str) -> bool:
    return strip_accents(word) != word


@dataclass
class Quality:
    words: int
    accented: int
    accent_invariance: float
    lemma_pairs: int
    recall: float
    unaccented_recall: (
        float  # same-lemma pairs where one form typed without accents finds the other
    )
    term_pairs: int
    precision: float
    stop_homographs: list[str] = field(default_factory=list)  # "sûr": typed "sur", a stop word
    accent_failures: list[str] = field(default_factory=list)  # "réseau → reseau"
    recall_failures: list[str] = field(default_factory=list)  # "fichier / fichiers (fichier)"
    precision_failures: list[str] = field(default_factory=list)  # "général / généré: gener"


def lemma_sets(lemmas: Lemmas) -> dict[str, frozenset[str]]:
    return {w: frozenset([v]) if isinstance(v, str) else v for w, v in lemmas.items()}


def measure(
    lemmas: Lemmas,
    index_terms: Terms,
    query_terms: Terms | None = None,
) -> Quality:
    """Quality of an analyzer over ``lemmas`` (word → lemma or lemmas, most frequent words
    first). Two forms are of one lemma when their lemma sets meet.

    Words the analyzer drops entirely (stop words) are left out: they cannot be searched for,
    by design, and would otherwise count as recall failures.
    """
    query_terms = query_terms or index_terms
    sets = lemma_sets(lemmas)
    terms = {w: index_terms(w) for w in lemmas}
    words = [w for w in lemmas if terms[w]]

    accented = [w for w in words if is_accented(w)]
    # ``sûr`` typed ``sur`` is the stop word ``sur``: it cannot find ``sûr`` without making every
    # ``sur`` a search term, so such homographs are counted apart, not as accent failures
    homographs = [w for w in accented if not query_terms(strip_accents(w))]
    accented = [w for w in accented if w not in homographs]
    accent_failures = [
        f"{w} → {strip_accents(w)}"
        for w in accented
        if not (query_terms(strip_accents(w)) & terms[w])
    ]

    by_lemma: dict[str, list[str]] = defaultdict(list)
    for w in words:
        for lemma in sorted(sets[w]):
            by_lemma[lemma].append(w)
    same_lemma: dict[tuple[str, str], str] = {}
    for lemma, forms in by_lemma.items():
        for a, b in combinations(forms, 2):
            same_lemma.setdefault((a, b), lemma)
    lemma_pairs = len(same_lemma)
    unaccented_found = 0
    recall_failures: list[str] = []
    for (a, b), lemma in same_lemma.items():
        if not terms[a] & terms[b]:
            recall_failures.append(f"{a} / {b} ({lemma})")
        if query_terms(strip_accents(a)) & terms[b] and query_terms(strip_accents(b)) & terms[a]:
            unaccented_found += 1

    by_term: dict[str, list[str]] = defaultdict(list)
    for w in words:
        for t in terms[w]:
            by_term[t].append(w)
    sharing: dict[tuple[str, str], str] = {}
    for term, forms in by_term.items():
        for a, b in combinations(forms, 2):
            sharing.setdefault((a, b), term)
    precision_failures = [
        f"{a} / {b}: {t}" for (a, b), t in sharing.items() if not sets[a] & sets[b]
    ]

    return Quality(
        words=len(words),
        accented=len(accented),
        accent_invariance=1 - len(accent_failures) / len(accented) if accented else 1.0,
        lemma_pairs=lemma_pairs,
        recall=1 - len(recall_failures) / lemma_pairs if lemma_pairs else 1.0,
        unaccented_recall=unaccented_found / lemma_pairs if lemma_pairs else 1.0,
        term_pairs=len(sharing),
        precision=1 - len(precision_failures) / len(sharing) if sharing else 1.0,
        stop_homographs=homographs,
        accent_failures=accent_failures[:EXAMPLES],
        recall_failures=recall_failures[:EXAMPLES],
        precision_failures=precision_failures[:EXAMPLES],
    )


def whoosh_terms(analyzer: object, mode: str) -> Terms:
    """``word -> terms`` of a Whoosh analyzer; fouille's ``=exact`` forms count as terms."""

    def terms(word: str) -> frozenset[str]:
        return frozenset(t.text for t in analyzer(word, mode=mode))  # type: ignore[operator]

    return terms


def fouille_terms() -> tuple[Terms, Terms]:
    """(index terms, query terms) of fouille's own French analyzer."""
    from search.analysis import french_analyzer

    analyzer = french_analyzer()
    return whoosh_terms(analyzer, "index"), whoosh_terms(analyzer, "query")


REFERENCES = ("simplemma", "simplemma, participles with their verb", "Lefff (spaCy's tables)")
"""The lemma references, in the fixture's column order (see :mod:`bench.vocabulary`)."""


def read_references(lines: Iterable[str]) -> dict[str, dict[str, frozenset[str]]]:
    """``word<TAB>lemma<TAB>lemma,lemma<TAB>lemma,lemma`` lines (the fixture format, one column
    per reference of :data:`REFERENCES`), in order."""
    out: dict[str, dict[str, frozenset[str]]] = {name: {} for name in REFERENCES}
    for line in lines:
        if line.strip() and not line.startswith("#"):
            word, *columns = line.rstrip("\n").split("\t")
            for name, column in zip(REFERENCES, columns, strict=True):
                out[name][word] = frozenset(column.split(","))
    return out


def read_lemmas(lines: Iterable[str]) -> dict[str, frozenset[str]]:
    """The first reference (simplemma's lemma) of the fixture's lines."""
    return read_references(lines)[REFERENCES[0]]
