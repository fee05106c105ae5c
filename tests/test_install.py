"""A non-editable install (``pip install .``, ``pipx install .``) works on its own: the bundled
articles ship inside the package, and the index goes to the user's cache folder, never into
site-packages. Checked with a real wheel built from a copy of the project, installed into a
folder of its own and run from elsewhere, with the clone out of reach."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from search.paths import PROJECT_ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SHIPPED = ("search", "tui", "seeds", "setup.py", "pyproject.toml", "README.md")


def files_under(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if "__pycache__" not in p.parts}


@pytest.mark.slow
def test_installed_wheel_searches_the_bundled_articles_and_indexes_into_the_cache(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in SHIPPED:
        src = PROJECT_ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, source / name)
    # offline when this virtualenv can build wheels; else pip fetches setuptools to build
    offline = all(importlib.util.find_spec(name) for name in ("setuptools", "wheel"))
    isolation = ["--no-build-isolation"] if offline else []
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", *isolation, "-w", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("fouille-*.whl"))
    site = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    assert (site / "search" / "seeds" / "000_9fdfbce118744794.txt").is_file()
    assert (site / "search" / "variants.txt").is_file()
    assert (site / "tui" / "app.tcss").is_file()
    before = files_under(site)

    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOUILLE_")}
    env.update(
        PYTHONPATH=str(site),  # before this virtualenv's own (editable) fouille
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        NO_COLOR="1",
    )
    where = subprocess.run(
        [sys.executable, "-c", "import search.paths as p; print(p.bundled_corpus())"],
        cwd=home.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip() == str(site / "search" / "seeds")

    script = site / "bin" / "fouille"  # the console script, as pipx puts on the PATH
    command = [str(script)] if script.exists() else [sys.executable, "-m", "search"]
    done = subprocess.run(
        [*command, "search", "otan"],
        cwd=home.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Stoltenberg" in done.stdout
    assert done.stderr.startswith("building the index of 5 files…")
    caches = list((home / "cache" / "fouille").iterdir())
    assert len(caches) == 1 and caches[0].name.startswith("seeds-")
    assert (caches[0] / "CURRENT").is_file()
    assert files_under(site) == before  # nothing written into the installed package


def test_every_library_the_code_imports_is_declared() -> None:
    """What ``search/`` and ``tui/`` import is in pyproject.toml's dependencies, not only
    installed because another package needs it today (lxml came with trafilatura)."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {
        re.sub(r"[-_.]+", "-", re.match(r"[\w.-]+", d).group()).lower()  # type: ignore[union-attr]
        for d in project["project"]["dependencies"]
    }
    imported: set[str] = set()
    for package in ("search", "tui"):
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    imported.add(node.module.split(".")[0])
    owners = packages_distributions()
    third_party = {
        name: owners.get(name, [name])  # not installed here (tomli on 3.11+): its own name
        for name in sorted(imported - set(sys.stdlib_module_names) - {"search", "tui"})
    }
    undeclared = {
        name: dists
        for name, dists in third_party.items()
        if not any(re.sub(r"[-_.]+", "-", d).lower() in declared for d in dists)
    }
    assert undeclared == {}
