"""Shared fixtures: generated French-ish corpora big enough to make a rebuild last a while, and
helpers to run ``fouille`` in a real process (kill tests, two writers, read-only folders).

Every corpus and index lives in tmp_path; the project's own ``index/`` is never touched.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus whose full rebuild takes about a second: kill tests need room to land in."""
    return make_generated_corpus(tmp_path_factory.mktemp("big") / "corpus", BIG_DOCS)


BIG_DOCS = 300


def fouille(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    user: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m search ARGS`` in a real process, output captured as text."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("FOUILLE_")}
    base.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "search", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        user=user,
    )


def popen_fouille(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "search", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def loc(corpus: Path, index: Path) -> list[str]:
    return ["--corpus", str(corpus), "--index", str(index)]


def assert_one_line_error(stderr: str, code: int, expected: int) -> None:
    """A failure a user can cause ends with one ``fouille: error:`` line, never a traceback."""
    assert code == expected, stderr
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr, stderr
    assert len(lines) >= 1 and lines[-1].startswith("fouille: error: "), stderr


def open_fds() -> set[str]:
    """This process's open file descriptors (Linux)."""
    return set(os.listdir("/proc/self/fd"))


def argv(*parts: str | Path) -> Sequence[str]:
    return [str(p) for p in parts]
