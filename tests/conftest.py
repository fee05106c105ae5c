"""Fixtures shared by several test modules. Helpers (corpus builders, process runners, Pilot
waits) live in the ``tests.support`` package and are imported normally; nothing imports this
file. Every corpus and index lives in tmp_path; the project's own ``index/`` is never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.engine import Engine
from tests.support.corpora import (
    APP_ARTICLES,
    BIG_DOCS,
    EXTRA_ARTICLES,
    built_engine,
    indexed,
    make_generated_corpus,
)


@pytest.fixture(scope="session", autouse=True)
def _private_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test reads the real user's settings nor writes into their cache: the user's config
    and cache folders (XDG, which platformdirs follows on Linux) point into a temporary folder,
    for this process and the ``fouille`` processes it starts."""
    root = tmp_path_factory.mktemp("user")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(root / "config"))
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        for name in ("FOUILLE_CONFIG", "FOUILLE_VARIANTS"):
            patch.delenv(name, raising=False)
        yield root


@pytest.fixture(scope="session")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus whose full rebuild takes about a second: kill tests need room to land in."""
    return make_generated_corpus(tmp_path_factory.mktemp("big") / "corpus", BIG_DOCS)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The seeds plus :data:`EXTRA_ARTICLES`, indexed once: for tests that only read (modules
    that change their index define their own ``engine``)."""
    eng = built_engine(tmp_path_factory.mktemp("engine"), EXTRA_ARTICLES)
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def app_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The app tests' corpus (seeds plus :data:`APP_ARTICLES`) and its index, built once; each
    app gets a copy (``tests.support.pilot.app_on_copy``)."""
    return indexed(tmp_path_factory.mktemp("app"), APP_ARTICLES)


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The five seeds and their index, built once (read-only, or copied)."""
    return indexed(tmp_path_factory.mktemp("seeds"))
