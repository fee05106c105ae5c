"""Only what pyproject.toml cannot say: ship the bundled articles, which live in ``seeds/`` at the
top of the repository, as package data of ``search`` (``search/seeds/`` once installed), so a
``pip install .`` or ``pipx install`` finds them beside the code. The metadata is in
pyproject.toml. A clone (or an editable install) reads ``seeds/`` where it is: see
:func:`search.paths.bundled_corpus`.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["search", "search.*", "tui", "tui.*"]), "search.seeds"],
    package_dir={"search.seeds": "seeds"},
    package_data={"search": ["*.txt"], "search.seeds": ["*.txt"], "tui": ["*.tcss", "**/*.tcss"]},
)
