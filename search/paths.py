"""Where the bundled articles are, the environment variables' names, and the folder name of a
corpus's own index. The user's config and cache folders, and which value is in force, are
decided in :mod:`search.settings`.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The repository root in a clone or an editable install (meaningless once installed)."""
CORPUS_ENV = "FOUILLE_CORPUS"
INDEX_ENV = "FOUILLE_INDEX"
VARIANTS_ENV = "FOUILLE_VARIANTS"
CONFIG_ENV = "FOUILLE_CONFIG"

_KEY_NAME = re.compile(r"[^\w.-]+")


def bundled_corpus() -> Path:
    """The bundled articles: ``search/seeds/`` in an installed package (setup.py ships the
    repository's ``seeds/`` there), else ``seeds/`` of the clone."""
    installed = Path(__file__).resolve().parent / "seeds"
    return installed if installed.is_dir() else PROJECT_ROOT / "seeds"


def project_index(corpus: Path) -> Path | None:
    """The clone's own ``index/`` folder when ``corpus`` is the clone's bundled ``seeds/``
    (the repository's fixed layout), else None: an installed package, or any other corpus,
    keeps its index in the cache folder."""
    folder = PROJECT_ROOT / "index"
    seeds = PROJECT_ROOT / "seeds"
    if not folder.is_dir() or not seeds.is_dir():
        return None
    return folder if corpus.expanduser().resolve() == seeds.resolve() else None


def corpus_key(corpus: Path) -> str:
    """A folder name for ``corpus``'s index: its name, readable, plus a hash of its absolute
    path, so two corpora never share an index (``articles-3f2a9c41d07b``)."""
    resolved = corpus.expanduser().resolve()
    name = _KEY_NAME.sub("_", resolved.name)[:40] or "root"
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:12]
    return f"{name}-{digest}"
