"""Where the corpus and the index live when the user does not say.

The project is installed editable, so the project root is the parent of this package's folder:
``fouille`` run from any directory finds the project's ``seeds/`` and ``index/``. The
``FOUILLE_CORPUS`` and ``FOUILLE_INDEX`` environment variables override that, and the
``--corpus``/``--index`` options override both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_ENV = "FOUILLE_CORPUS"
INDEX_ENV = "FOUILLE_INDEX"


def _from_env(name: str, fallback: Path, env: Mapping[str, str] | None) -> Path:
    # An empty variable counts as unset: `FOUILLE_CORPUS= fouille …` should not mean "the cwd".
    value = (os.environ if env is None else env).get(name, "")
    return Path(value).expanduser() if value else fallback


def default_corpus(env: Mapping[str, str] | None = None) -> Path:
    """The corpus folder: $FOUILLE_CORPUS, else the project's ``seeds/``."""
    return _from_env(CORPUS_ENV, PROJECT_ROOT / "seeds", env)


def default_index(env: Mapping[str, str] | None = None) -> Path:
    """The index folder: $FOUILLE_INDEX, else the project's ``index/``."""
    return _from_env(INDEX_ENV, PROJECT_ROOT / "index", env)
