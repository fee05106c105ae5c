"""Corpora and engines for the engine tests, built in temporary folders (never ``index/``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from search.engine import Engine

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

EXTRA_ARTICLES = {
    # a document that only matches "armes" through stemming, and one with the exact form
    "stem/arme-seule.txt": "Une arme ancienne\n\nLe musée expose une arme de poing et une épée.\n",
    "stem/armes-exactes.txt": "Des armes anciennes\n\nLe musée expose des armes de poing.\n",
    "dates/printemps.txt": (
        "Le printemps du nucléaire\n\nPublié le 3 mars 2023.\n\nLa centrale redémarre.\n"
    ),
}


def make_corpus(root: Path, extra: dict[str, str] | None = None) -> Path:
    """The five seeds plus ``extra`` articles, in ``root/corpus``."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, corpus / seed.name)
    for rel, text in (extra or {}).items():
        path = corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return corpus


def built_engine(root: Path, extra: dict[str, str] | None = None) -> Engine:
    engine = Engine(make_corpus(root, extra), root / "index")
    engine.update(full=True)
    return engine
