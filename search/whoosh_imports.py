"""Importing Whoosh without two standard-library stacks it loads and never uses.

``whoosh.compat`` imports ``urllib.request`` (and with it ``http.client``, ``email``, ``ssl``)
only to re-export ``urlretrieve``, which no Whoosh module calls; ``whoosh.reading`` imports the
``cached_property`` package, which imports ``asyncio`` for an async variant Whoosh never uses.
Together they were about a third of ``fouille search``'s start-up (measured with
``python -X importtime``: 27 ms and 41 ms of 190 ms on a quiet machine).

:func:`import_whoosh` imports those two Whoosh modules with stand-ins registered for the two
imports, then removes the stand-ins, so any later ``import urllib.request`` or ``import
cached_property`` (by another library, by the app) gets the real module. The stand-ins behave
like the originals for what Whoosh takes from them: ``urlretrieve`` imports the real function
when called, and ``cached_property`` is the standard library's ``functools.cached_property``
(the same caching in the instance's ``__dict__``). When either real module is already loaded,
it is used as it is.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    import urllib.request

    return urllib.request.urlretrieve(*args, **kwargs)


def _stand_ins() -> dict[str, types.ModuleType]:
    stand_ins = {}
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request", "stand-in while Whoosh is imported")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
        stand_ins["urllib.request"] = request
    if "cached_property" not in sys.modules:
        package = types.ModuleType("cached_property", "stand-in while Whoosh is imported")
        package.cached_property = functools.cached_property  # type: ignore[attr-defined]
        stand_ins["cached_property"] = package
    return stand_ins


def import_whoosh() -> None:
    """Import ``whoosh.compat`` and ``whoosh.reading`` (which the rest of Whoosh imports) with
    the stand-ins in place; a no-op once Whoosh is loaded."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins = _stand_ins()
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
