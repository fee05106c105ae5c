"""The docs inside the code stay true: every ``:func:``/``:class:``/``:mod:``… reference in
``search/`` and ``tui/`` names something that exists (a renamed function breaks this test, not
a reader's trust), and the doctests run (``--doctest-modules`` in pyproject.toml)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = re.compile(r":(?:func|meth|class|data|mod|attr|exc):`~?([\w.]+)`")
MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for package in ("search", "tui")
    for path in (ROOT / package).rglob("*.py")
    if path.name != "__main__.py"
)


def _found(name: str, module: ModuleType) -> bool:
    """``name`` is a dotted path from an importable module, or a name in ``module`` (a method
    of one of its classes when bare)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        rest = parts[cut:]
        break
    else:
        target, rest = module, parts
    for part in rest:
        if not hasattr(target, part):
            return len(parts) == 1 and any(
                isinstance(value, type) and hasattr(value, name) for value in vars(module).values()
            )
        target = getattr(target, part)
    return True


@pytest.mark.parametrize("module_name", MODULES)
def test_references_in_docstrings_name_what_exists(module_name: str) -> None:
    module = importlib.import_module(module_name)
    source = (ROOT / Path(*module_name.split("."))).with_suffix(".py").read_text(encoding="utf-8")
    missing = [name for name in REFERENCE.findall(source) if not _found(name, module)]
    assert missing == []


def test_doctests_are_collected() -> None:
    """The examples in the docstrings run with the suite, not only when someone remembers."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "--doctest-modules" in text
    assert re.search(r'testpaths = \[[^]]*"search"', text)
