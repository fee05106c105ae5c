"""Importing Whoosh without modules it loads at import time and fouille never uses.

``whoosh.compat`` imports ``urllib.request`` (and with it ``http.client``, ``email``, ``ssl``)
only to re-export ``urlretrieve``, which no Whoosh module calls; ``whoosh.reading`` imports the
``cached_property`` package, which imports ``asyncio`` for an async variant Whoosh never uses.
Together they were about a third of ``fouille search``'s start-up (measured with
``python -X importtime``: 27 ms and 41 ms of 190 ms on a quiet machine). Two more cost 7 ms of
each start-up: ``whoosh.query`` imports ``whoosh.lang.morph_en``, English word variations whose
few hundred regular expressions are compiled at import (5.5 ms) for a query type fouille never
builds, and ``whoosh.compat`` imports ``html`` (with its table of 2,000 entities, 1.8 ms) for an
HTML highlighter fouille never uses.

:func:`import_whoosh` imports those Whoosh modules with stand-ins registered for these imports,
then removes the stand-ins, so any later import of them (by another library, by the app) gets
the real module. The stand-ins behave like the originals for what Whoosh takes from them:
``urlretrieve``, ``variations`` and ``escape`` import the real function when called, and
``cached_property`` is the standard library's ``functools.cached_property`` (the same caching
in the instance's ``__dict__``). When a real module is already loaded, it is used as it is.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    import urllib.request

    return urllib.request.urlretrieve(*args, **kwargs)


def _variations(*args: Any, **kwargs: Any) -> Any:
    from whoosh.lang import morph_en

    return morph_en.variations(*args, **kwargs)


def _escape(*args: Any, **kwargs: Any) -> Any:
    import html

    return html.escape(*args, **kwargs)


def _stand_in(name: str, **functions: Any) -> types.ModuleType:
    module = types.ModuleType(name, "stand-in while Whoosh is imported")
    for attribute, function in functions.items():
        setattr(module, attribute, function)
    return module


def _stand_ins() -> dict[str, types.ModuleType]:
    stand_ins = {}
    if "urllib.request" not in sys.modules:
        stand_ins["urllib.request"] = _stand_in("urllib.request", urlretrieve=_urlretrieve)
    if "whoosh.lang.morph_en" not in sys.modules:
        stand_ins["whoosh.lang.morph_en"] = _stand_in(
            "whoosh.lang.morph_en", variations=_variations
        )
    if "html" not in sys.modules:
        stand_ins["html"] = _stand_in("html", escape=_escape)
    if "cached_property" not in sys.modules:
        stand_ins["cached_property"] = _stand_in(
            "cached_property", cached_property=functools.cached_property
        )
    return stand_ins


def import_whoosh() -> None:
    """Import ``whoosh.compat``, ``whoosh.reading`` (which the rest of Whoosh imports) and
    ``whoosh.query`` with the stand-ins in place; a no-op once Whoosh is loaded."""
    if "whoosh.query" in sys.modules:
        return
    stand_ins = _stand_ins()
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat
        import whoosh.query
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
