"""The corpus vocabulary with simplemma lemmas, and the small committed slice the CI test uses."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

WORD = re.compile(r"[^\W\d_]{2,}")
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "fr_words.tsv"


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
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write("# word<TAB>simplemma lemma: a slice of the French man-page vocabulary\n")
        out.write("# (regenerate: python -m bench.vocabulary)\n")
        for word, lemma in lemmas.items():
            out.write(f"{word}\t{lemma}\n")


if __name__ == "__main__":
    write_fixture(Path(__file__).resolve().parent / "data" / "manfr")
    print(f"wrote {FIXTURE}")
