"""Helpers the test modules share, imported as an ordinary package (``from tests.support.x import
...``): corpora, processes and terminals, Pilot waits. Fixtures live in ``tests/conftest.py``;
no test module imports another test module or ``conftest``."""
