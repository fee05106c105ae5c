"""The corpus vocabulary with its lemmas from three references, and the small committed slice
the CI test uses.

The references (:data:`bench.analysis_quality.REFERENCES`), each a set of lemmas per word:

* **simplemma**: simplemma's one lemma per word. It splits many participles from their verb
  (``ajouté`` → *ajouter* but ``ajoutée`` → *ajouté*), which a French reader would not;
* **simplemma, participles with their verb**: the same lemma, plus the lemma of that lemma and,
  for a lemma shaped like a participle (``-é(e)(s)``, ``-ant``, ``-i(e)(s)``, ``-u(e)(s)``), the
  infinitive simplemma knows as a lemma (``ajouté`` → *ajouter*, ``rendu`` → *rendre*);
* **Lefff (spaCy's tables)**: an independent lexicon, the Lefff-based French lemma tables of
  the ``spacy-lookups-data`` package read the way spaCy's rule lemmatizer reads them, for
  every part of speech a form may have (``portée``: *porter* as a verb, *portée* as a noun),
  since a search engine sees words without their part of speech.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from bench.analysis_quality import REFERENCES

WORD = re.compile(r"[^\W\d_]{2,}")
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "fr_words.tsv"
_PARTICIPLES = (
    ("ées", "er"),
    ("és", "er"),
    ("ée", "er"),
    ("é", "er"),
    ("ant", "er"),
    ("ies", "ir"),
    ("is", "ir"),
    ("ie", "ir"),
    ("i", "ir"),
    ("ues", "re"),
    ("us", "re"),
    ("ue", "re"),
    ("u", "re"),
)
_POS = ("noun", "verb", "adj", "adv")


def lemmatized_vocabulary(corpus: Path, min_count: int = 2) -> dict[str, str]:
    """word → simplemma lemma for the corpus' lowercase French words, most frequent first.

    Only words simplemma knows as French are kept (the pages quote English option names), and
    words seen once are dropped as noise.
    """
    import simplemma  # bench extra

    counts: Counter[str] = Counter()
    for path in sorted(corpus.rglob("*.txt")):
        counts.update(WORD.findall(path.read_text(encoding="utf-8").lower()))
    out: dict[str, str] = {}
    for word, n in counts.most_common():
        if n >= min_count and simplemma.is_known(word, lang="fr"):
            out[word] = simplemma.lemmatize(word, lang="fr").lower()
    return out


def verb_families(lemmas: dict[str, str]) -> dict[str, frozenset[str]]:
    """simplemma's lemma with the verb of a participle beside it (see the module docstring)."""
    import simplemma  # bench extra

    @cache
    def lemma(word: str) -> str:
        return simplemma.lemmatize(word, lang="fr").lower()

    def is_lemma(word: str) -> bool:
        return simplemma.is_known(word, lang="fr") and lemma(word) == word

    out: dict[str, frozenset[str]] = {}
    for word, first in lemmas.items():
        family = {first, lemma(first)}
        for known in list(family):
            for ending, infinitive in _PARTICIPLES:
                if known.endswith(ending) and len(known) > len(ending) + 2:
                    verb = known[: -len(ending)] + infinitive
                    if is_lemma(verb):
                        family.add(verb)
                    break
        out[word] = frozenset(family)
    return out


def _spacy_table(name: str) -> Any:
    import spacy_lookups_data  # bench extra

    path = Path(spacy_lookups_data.fr[name])
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    with gzip.open(f"{path}.gz", "rt", encoding="utf-8") as data:  # as the wheel ships them
        return json.load(data)


def lefff_lemmas(words: list[str]) -> dict[str, frozenset[str]]:
    """word → its lemmas for every part of speech, from spaCy's French tables: a form listed
    as a lemma is its own lemma, an exception gives its lemmas, else a suffix rule gives the
    lemmas it leads to that the table lists; a word no part of speech knows takes the lookup
    table's lemma, or itself."""
    index = {pos: set(forms) for pos, forms in _spacy_table("lemma_index").items()}
    exceptions = _spacy_table("lemma_exc")
    rules = _spacy_table("lemma_rules")
    lookup = _spacy_table("lemma_lookup")
    out: dict[str, frozenset[str]] = {}
    for word in words:
        found: set[str] = set()
        for pos in _POS:
            if word in index.get(pos, ()):
                found.add(word)
            elif word in exceptions.get(pos, {}):
                found.update(exceptions[pos][word])
            else:
                for old, new in rules.get(pos, ()):
                    form = word[: len(word) - len(old)] + new
                    if word.endswith(old) and form in index.get(pos, ()):
                        found.add(form)
        if not found:
            fallback = lookup.get(word, word)
            found.update([fallback] if isinstance(fallback, str) else fallback)
        out[word] = frozenset(found)
    return out


def references(lemmas: dict[str, str]) -> dict[str, dict[str, frozenset[str]]]:
    """The three references of the words of ``lemmas`` (simplemma's), keyed as
    :data:`REFERENCES`."""
    simple = {word: frozenset([lemma]) for word, lemma in lemmas.items()}
    return dict(
        zip(
            REFERENCES,
            (simple, verb_families(lemmas), lefff_lemmas(list(lemmas))),
            strict=True,
        )
    )


def fixture_slice(lemmas: dict[str, str], size: int = 600) -> dict[str, str]:
    """A deterministic slice with every form of the most frequent multi-form lemmas, so the
    test has inflection pairs and accented words to measure, and stays a few hundred lines.

    Lemmas with more than six forms (``être``, ``pouvoir``: conjugations no stemmer joins) and
    short lemmas (mostly stop words) are left out, so the slice measures the inflection of
    nouns, adjectives and participles, where analyzers differ."""
    forms: dict[str, list[str]] = {}
    for word, lemma in lemmas.items():
        forms.setdefault(lemma, []).append(word)
    out: dict[str, str] = {}
    for word, lemma in lemmas.items():
        group = forms[lemma]
        if (
            2 <= len(group) <= 6
            and len(lemma) > 4
            and word == group[0]
            and len(out) + len(group) <= size
        ):
            for form in group:
                out[form] = lemma
    return out


def write_fixture(corpus: Path, path: Path = FIXTURE) -> None:
    lemmas = fixture_slice(lemmatized_vocabulary(corpus))
    refs = references(lemmas)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write("# a slice of the French man-page vocabulary: word, then its lemmas by\n")
        out.write(f"# {'; '.join(REFERENCES)} (regenerate: python -m bench.vocabulary)\n")
        for word in lemmas:
            columns = [",".join(sorted(refs[name][word])) for name in REFERENCES]
            out.write("\t".join([word, *columns]) + "\n")


if __name__ == "__main__":
    write_fixture(Path(__file__).resolve().parent / "data" / "manfr")
    print(f"wrote {FIXTURE}")
