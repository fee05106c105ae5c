"""fouille's engine: French analysis, a Whoosh index of a folder of articles, ranked search.

Nothing in this package imports Textual or Rich: the CLI (``fouille search``) must start fast,
and the TUI in ``tui/`` calls the same :class:`search.engine.Engine` API.
"""

__version__ = "0.1.0"

from search.whoosh_imports import import_whoosh

import_whoosh()  # before any module of the package imports Whoosh: see search/whoosh_imports.py

from search import inplace  # noqa: E402  (after import_whoosh)

inplace.install()  # segment files read in place, not copied: see search/inplace.py
