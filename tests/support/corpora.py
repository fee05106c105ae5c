"""Every corpus the tests build, from one builder: the seeds (all or the first few) plus articles
of the test's own, in a temporary folder (never the project's ``index/``). Also the generated
corpora the reliability tests need to make a rebuild last a while."""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path

from search.engine import Engine
from search.paths import bundled_corpus

SEEDS = bundled_corpus()
"""The five real articles shipped with fouille, where fouille itself finds them."""

EXTRA_ARTICLES = {
    # a document that only matches "armes" through stemming, and one with the exact form
    "stem/arme-seule.txt": "Une arme ancienne\n\nLe musée expose une arme de poing et une épée.\n",
    "stem/armes-exactes.txt": "Des armes anciennes\n\nLe musée expose des armes de poing.\n",
    "dates/printemps.txt": (
        "Le printemps du nucléaire\n\nPublié le 3 mars 2023.\n\nLa centrale redémarre.\n"
    ),
}

# the app tests' corpus: the seeds plus these
HOSTILE_TEXT = (
    "Piège [bold]x[/] dans le titre\n"
    "Publié le 1 février 2023\n"
    "Un article piégé : [/ puis [b puis [link=http://x]y[/link] puis [/]\n"
    "et une séquence \x1b[31mrouge\x1b[0m, un titre \x1b]0;pwned\x07 et une cloche \x07.\n"
    "[bold red]Pas de gras[/bold red] ici, seulement du texte.\n"
)
APP_ARTICLES = {
    "zz-piege.txt": HOSTILE_TEXT,
    # matches "armes" only through stemming: the singular must be highlighted too
    "zz-arme.txt": "Une vieille arme\nPublié le 2 mars 2023\nLe musée expose une arme de poing.\n",
}


def seed_files(count: int | None = None) -> list[Path]:
    """The seed articles in name order (the first ``count`` if given)."""
    return sorted(SEEDS.glob("*.txt"))[:count]


def make_corpus(
    root: Path,
    extra: Mapping[str, str | bytes] | None = None,
    *,
    seeds: int | None = None,
    name: str = "corpus",
) -> Path:
    """``root/name`` holding the seeds (the first ``seeds`` of them if given, none if 0) plus
    ``extra`` articles (relative path -> text, or bytes written as they are)."""
    corpus = root / name
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in seed_files(seeds):
        (corpus / seed.name).write_bytes(seed.read_bytes())
    for rel, text in (extra or {}).items():
        path = corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return corpus


def indexed(root: Path, extra: Mapping[str, str] | None = None) -> tuple[Path, Path]:
    """:func:`make_corpus` ``(root, extra)`` and its index, built: ``(corpus, index)``."""
    corpus, index = make_corpus(root, extra), root / "index"
    Engine(corpus, index).update(full=True)
    return corpus, index


def built_engine(root: Path, extra: Mapping[str, str] | None = None) -> Engine:
    """An engine over :func:`make_corpus` ``(root, extra)`` with its index built."""
    engine = Engine(make_corpus(root, extra), root / "index")
    engine.update(full=True)
    return engine


# --- generated corpora: big enough to make a rebuild last a while ---------------------------

WORDS = (
    "gouvernement ministre élection président assemblée député réforme retraite budget impôt "
    "économie croissance chômage entreprise salarié syndicat grève manifestation police justice "
    "tribunal procès avocat enquête journaliste presse liberté école université étudiant "
    "professeur recherche santé hôpital médecin vaccin épidémie climat chaleur sécheresse "
    "forêt incendie agriculture paysan récolte vigne fromage boulangerie marché commerce "
    "exportation Europe Allemagne Italie Espagne Afrique Asie Amérique guerre paix armée "
    "défense frontière réfugié accueil logement loyer transport train métro vélo voiture "
    "énergie nucléaire électricité pétrole gaz éolienne solaire musée théâtre cinéma roman "
    "musique festival football rugby cyclisme tournoi équipe victoire défaite saison"
).split()
GLUE = "le la les un une des du de et à au aux dans sur pour par avec sans contre".split()
RARE_WORD = "zanzibar"
"""Appears only in the documents :func:`make_generated_corpus` marks, so counts are exact."""
BIG_DOCS = 300
"""Documents in the ``big_corpus`` fixture: a full rebuild takes about a second."""


def french_doc(rng: random.Random, words: int) -> str:
    """A title line, a date line and a paragraph of plausible French words."""
    title = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize()
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    body = " ".join(rng.choice(WORDS) if i % 3 else rng.choice(GLUE) for i in range(words))
    return f"{title}\n\nPublié le {day:02d}/{month:02d}/2023\n\n{body.capitalize()}.\n"


def make_generated_corpus(root: Path, docs: int, *, words: int = 120, seed: int = 7) -> Path:
    """``docs`` short articles; every tenth contains :data:`RARE_WORD`."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for n in range(docs):
        text = french_doc(rng, words)
        if n % 10 == 0:
            text += f"Le mot {RARE_WORD} apparaît ici.\n"
        (root / f"art{n:05d}.txt").write_text(text, encoding="utf-8")
    return root


def rare_count(docs: int) -> int:
    """How many documents of a generated corpus contain :data:`RARE_WORD`."""
    return len(range(0, docs, 10))


EXTRA = "wombat"
"""Only in :func:`add_extra`'s articles: tells the old index from the new."""
EXTRA_DOCS = 40


def add_extra(corpus: Path, docs: int = EXTRA_DOCS) -> None:
    """A hidden folder of articles (the scan ignores dot-names) that ``toggle`` brings in."""
    hidden = corpus / ".extra"
    hidden.mkdir()
    for n in range(docs):
        (hidden / f"x{n:03d}.txt").write_text(
            f"Article {EXTRA} numéro {n}\n\nLe {EXTRA} mange des carottes.\n", encoding="utf-8"
        )


def toggle(corpus: Path) -> None:
    """Bring the extra articles into the corpus, or take them out."""
    if (corpus / ".extra").exists():
        (corpus / ".extra").rename(corpus / "extra")
    else:
        (corpus / "extra").rename(corpus / ".extra")
