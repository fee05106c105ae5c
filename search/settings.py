"""The settings in force, decided once: command-line flag > environment variable > settings
file > default.

The settings file is TOML, ``config.toml`` in the user's config folder (``fouille config``
prints where; ``$FOUILLE_CONFIG`` names another), read with the standard library's ``tomllib``
(``tomli`` on Python 3.10)::

    corpus = "~/articles"           # folder of articles (default: the bundled articles)
    index = "~/fouille-index"       # default: the cache folder, one index per corpus
    variants_file = "variants.txt"  # your spelling variants (default: variants.txt beside)
    variants = true                 # apply spelling variants to queries
    limit = 10                      # hits per search
    sort = "relevance"              # or "date"
    follow_outside = false          # follow symbolic links that lead out of the corpus

Relative paths in the file are relative to the file's folder. :func:`load_settings` builds one
frozen :class:`Settings`, which the CLI commands and the app receive.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from search.engine import Engine
from search.errors import SettingsError
from search.models import SortOrder
from search.paths import (
    CONFIG_ENV,
    CORPUS_ENV,
    INDEX_ENV,
    VARIANTS_ENV,
    bundled_corpus,
    corpus_key,
    project_index,
)
from search.variants import load_variants

APP = "fouille"
SORT_ORDERS: tuple[SortOrder, ...] = ("relevance", "date")
DEFAULT_LIMIT = 10


# The user's folders come from platformdirs: XDG on Linux ($XDG_CONFIG_HOME/fouille and
# $XDG_CACHE_HOME/fouille, else ~/.config and ~/.cache), the native folders on macOS.


def config_file() -> Path:
    """The settings file: ``$FOUILLE_CONFIG``, else ``config.toml`` in the user's config folder."""
    value = os.environ.get(CONFIG_ENV, "")
    if value:
        return Path(value).expanduser()
    return platformdirs.user_config_path(APP) / "config.toml"


def user_variants_file() -> Path:
    """The user's own spelling variants, beside the settings file."""
    return config_file().parent / "variants.txt"


def cache_folder() -> Path:
    """The user's cache folder for fouille, where default indexes live."""
    return platformdirs.user_cache_path(APP)


def default_index(corpus: Path) -> Path:
    """The index of ``corpus`` when none is configured: a clone's ``index/`` for its bundled
    articles, else in the cache folder, keyed by corpus."""
    return project_index(corpus) or cache_folder() / corpus_key(corpus)


@dataclass(frozen=True)
class Settings:
    """Everything a command or the app needs to know about where and how to search.

    ``origins`` says where each value came from (``default``, ``settings file``,
    ``environment $FOUILLE_CORPUS``, ``command line --corpus``), for ``fouille config``.
    """

    corpus: Path
    index: Path
    variants_file: Path | None  # None: no file of the user's own (the bundled list still applies)
    variants: bool = True
    limit: int = DEFAULT_LIMIT
    sort: SortOrder = "relevance"
    follow_outside: bool = False  # index files that symbolic links reach outside the corpus
    config_file: Path = field(default_factory=config_file)
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)

    def given(self, name: str) -> bool:
        """True when the user set ``name`` (flag, environment or settings file), False when it
        is the default: the app's page of hits defaults to a screenful, not to the CLI's 10."""
        return not self.origins.get(name, "default").startswith("default")

    def items(self) -> list[tuple[str, Any, str]]:
        """(name, value, origin) of each setting, in the file's order."""
        return [
            (f.name, getattr(self, f.name), self.origins.get(f.name, "default"))
            for f in fields(self)
            if f.name in SETTINGS
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "config_file": str(self.config_file),
            "config_file_exists": self.config_file.is_file(),
            "settings": {
                name: {"value": str(value) if isinstance(value, Path) else value, "from": origin}
                for name, value, origin in self.items()
            },
        }


@dataclass(frozen=True)
class _Setting:
    """How one setting is read: from the file (``check``) and from the environment (``env``)."""

    check: Callable[[Any, Path], Any]  # (value from the file, the file's folder) -> value
    env: str | None = None
    flag: str | None = None


def _path(value: Any, base: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a path (a non-empty string)")
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _bool(value: Any, base: Path) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _limit(value: Any, base: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


def _sort(value: Any, base: Path) -> SortOrder:
    if value not in SORT_ORDERS:
        raise ValueError(f"expected {' or '.join(repr(s) for s in SORT_ORDERS)}")
    return value  # type: ignore[no-any-return]


SETTINGS: dict[str, _Setting] = {
    "corpus": _Setting(_path, env=CORPUS_ENV, flag="--corpus"),
    "index": _Setting(_path, env=INDEX_ENV, flag="--index"),
    "variants_file": _Setting(_path, env=VARIANTS_ENV),
    "variants": _Setting(_bool, flag="--no-variants"),
    "limit": _Setting(_limit, flag="--limit"),
    "sort": _Setting(_sort, flag="--sort"),
    "follow_outside": _Setting(_bool, flag="--follow-outside"),
}
"""The settings a user can set, in the order ``fouille config`` lists them."""


def read_file(path: Path) -> dict[str, Any]:
    """The settings a file sets, checked; {} when there is no file. Raises SettingsError (one
    line, naming the file and the setting) for a file that cannot be read or used."""
    if not path.exists():
        return {}
    if sys.version_info >= (3, 11):  # imported only when there is a file: start-up time
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except IsADirectoryError as exc:
        raise SettingsError(f"settings file is a folder: {path}") from exc
    except OSError as exc:
        raise SettingsError(f"cannot read the settings file {path}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(
            f"settings file {path} is not valid TOML: {exc}", hint='e.g. limit = 20, sort = "date"'
        ) from exc
    checked: dict[str, Any] = {}
    for name, value in data.items():
        setting = SETTINGS.get(name)
        if setting is None:
            raise SettingsError(
                f"unknown setting {name!r} in {path}", hint=f"known: {', '.join(SETTINGS)}"
            )
        try:
            checked[name] = setting.check(value, path.parent)
        except ValueError as exc:
            raise SettingsError(f"setting {name!r} in {path}: {exc}, not {value!r}") from exc
    return checked


def load_settings(
    flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """The settings in force. ``flags`` holds the command-line values given (None = not given);
    ``environ`` defaults to ``os.environ``. An empty environment variable counts as unset."""
    env = os.environ if environ is None else environ
    given = {name: value for name, value in (flags or {}).items() if value is not None}
    path = config_file()
    in_file = read_file(path)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for name, setting in SETTINGS.items():
        if name in given:
            values[name] = given[name]
            origins[name] = f"command line {setting.flag}" if setting.flag else "command line"
        elif setting.env and env.get(setting.env):
            values[name] = Path(env[setting.env]).expanduser()
            origins[name] = f"environment ${setting.env}"
        elif name in in_file:
            values[name] = in_file[name]
            origins[name] = "settings file"
    if "corpus" not in values:
        values["corpus"] = bundled_corpus()
        origins["corpus"] = "default: the bundled articles"
    if "index" not in values:
        values["index"] = default_index(values["corpus"])
        origins["index"] = (
            "default: the clone's index/ for its bundled articles"
            if project_index(values["corpus"])
            else "default: one per corpus, in the cache folder"
        )
    if "variants_file" not in values:
        default = user_variants_file()
        values["variants_file"] = default if default.is_file() else None
        origins["variants_file"] = "default: variants.txt beside the settings file, if any"
    return Settings(**values, config_file=path, origins=origins)


def open_engine(settings: Settings) -> Engine:
    """The engine for these settings (the CLI's and the app's), with the bundled and the user's
    spelling variants (applied unless ``search(..., variants=False)``).

    The variants are loaded here, not at the first search: 3 ms of CPU (measured, about 2 % of
    a cold ``fouille search``), and a broken variants file is refused at once in one line
    (exit 2), not in the middle of the app's first search."""
    return Engine(
        settings.corpus,
        settings.index,
        variants=load_variants(settings.variants_file),
        follow_outside=settings.follow_outside,
    )
