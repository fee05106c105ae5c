"""Fixtures shared by several test modules. Helpers (corpus builders, process runners, Pilot
waits) live in the ``tests.support`` package and are imported normally; nothing imports this
file. Every corpus and index lives in tmp_path; the project's own ``index/`` is never touched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.corpora import BIG_DOCS, make_generated_corpus


@pytest.fixture(scope="session")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus whose full rebuild takes about a second: kill tests need room to land in."""
    return make_generated_corpus(tmp_path_factory.mktemp("big") / "corpus", BIG_DOCS)
