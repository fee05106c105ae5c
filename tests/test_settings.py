"""Settings and where things live: flag > environment > settings file > default, one index per
corpus in the user's cache folder, ``fouille config``, and a clear line for a bad settings file.
The user's folders are temporary ones (conftest's ``_private_user_folders``)."""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs
import pytest

from search.cli import main
from search.errors import ExitCode, SettingsError
from search.paths import PROJECT_ROOT, bundled_corpus, corpus_key
from search.settings import cache_folder, config_file, load_settings, open_engine
from tests.support.corpora import make_corpus

ENV = ("FOUILLE_CORPUS", "FOUILLE_INDEX", "FOUILLE_VARIANTS", "FOUILLE_CONFIG")


@pytest.fixture(autouse=True)
def _own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own config and cache folders (XDG, as platformdirs reads them)."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path


def write_settings(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fouille: error: "), err
    assert "Traceback" not in err
    return err


def test_user_folders_follow_xdg(tmp_path: Path) -> None:
    assert config_file() == tmp_path / "xdg-config" / "fouille" / "config.toml"
    assert cache_folder() == tmp_path / "xdg-cache" / "fouille"
    assert platformdirs.user_cache_path("fouille") == cache_folder()


def test_defaults_are_the_bundled_articles_and_the_clones_index_folder() -> None:
    """In a clone, the bundled articles' index is the repository's index/ (its fixed layout);
    an installed package keeps it in the cache folder (tests/test_install.py)."""
    settings = load_settings()
    assert settings.corpus == bundled_corpus() and (settings.corpus / "000_9fdfbce118744794.txt")
    assert settings.index == PROJECT_ROOT / "index"
    assert (settings.limit, settings.sort, settings.variants) == (10, "relevance", True)
    assert settings.variants_file is None
    assert dict(settings.origins)["index"].startswith("default")


def test_each_corpus_has_its_own_index_key(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "articles", tmp_path / "b" / "articles"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    assert corpus_key(a) != corpus_key(b)  # same name, other folder
    assert corpus_key(a).startswith("articles-")
    assert corpus_key(tmp_path / "a" / ".." / "a" / "articles") == corpus_key(a)


def test_precedence_flag_then_environment_then_file_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_settings('corpus = "from-file"\nindex = "/file/index"\nlimit = 3\nsort = "date"\n')
    settings = load_settings()
    # a relative path in the file is relative to the file's folder
    assert settings.corpus == tmp_path / "xdg-config" / "fouille" / "from-file"
    assert (settings.index, settings.limit, settings.sort) == (Path("/file/index"), 3, "date")
    assert settings.origins["limit"] == "settings file"
    monkeypatch.setenv("FOUILLE_CORPUS", "/env/corpus")
    monkeypatch.setenv("FOUILLE_INDEX", "")  # empty counts as unset
    settings = load_settings()
    assert settings.corpus == Path("/env/corpus")
    assert settings.index == Path("/file/index")
    assert settings.origins["corpus"] == "environment $FOUILLE_CORPUS"
    settings = load_settings({"corpus": Path("/flag"), "limit": 7, "sort": None})
    assert (settings.corpus, settings.limit, settings.sort) == (Path("/flag"), 7, "date")
    assert settings.origins["corpus"] == "command line --corpus"


def test_default_index_follows_the_corpus_wherever_it_comes_from(tmp_path: Path) -> None:
    write_settings(f'corpus = "{tmp_path / "mine"}"\n')
    settings = load_settings()
    assert settings.index == cache_folder() / corpus_key(tmp_path / "mine")


def test_follow_outside_from_the_file_reaches_the_engine() -> None:
    assert open_engine(load_settings()).follow_outside is False
    write_settings("follow_outside = true\n")
    settings = load_settings()
    assert settings.follow_outside is True and settings.origins["follow_outside"] == "settings file"
    assert open_engine(settings).follow_outside is True


def test_fouille_config_env_names_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text("limit = 42\n", encoding="utf-8")
    monkeypatch.setenv("FOUILLE_CONFIG", str(other))
    settings = load_settings()
    assert (settings.config_file, settings.limit) == (other, 42)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("limt = 3\n", "unknown setting 'limt'"),
        ("limit = 0\n", "setting 'limit'"),
        ('limit = "3"\n', "setting 'limit'"),
        ('sort = "random"\n', "setting 'sort'"),
        ("variants = 1\n", "setting 'variants'"),
        ("corpus = \n", "is not valid TOML"),
    ],
)
def test_a_bad_settings_file_is_one_line_exit_2(
    text: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_settings(text)
    with pytest.raises(SettingsError):
        load_settings()
    assert main(["search", "otan"]) == ExitCode.USAGE
    err = one_error_line(capsys)
    assert expected in err and str(path) in err


def test_search_uses_limit_and_sort_from_the_file_unless_flags_say_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = make_corpus(tmp_path)
    write_settings(f'corpus = "{corpus}"\nlimit = 1\nsort = "date"\n')
    assert main(["search", "otan", "--json"]) == ExitCode.OK
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert len(hits) == 1 and hits[0]["date"] is not None  # newest first
    assert main(["search", "otan", "--json", "--limit", "3"]) == ExitCode.OK
    assert len(json.loads(capsys.readouterr().out)["hits"]) == 3
    # the index went to the cache folder, keyed by the corpus
    assert (cache_folder() / corpus_key(corpus) / "CURRENT").is_file()


def test_fouille_config_shows_where_and_what(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"settings file: {config_file()} (none yet)"
    assert "default: the bundled articles" in out
    path = write_settings("limit = 5\n")
    monkeypatch.setenv("FOUILLE_INDEX", str(tmp_path / "env-index"))
    assert main(["config", "--sort", "date"]) == ExitCode.USAGE  # config takes no search flags
    capsys.readouterr()
    assert main(["config", "--corpus", str(tmp_path)]) == ExitCode.OK
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[2:]}
    assert lines["limit"].split()[1:] == ["5", "settings", "file"]
    assert lines["index"].endswith("environment $FOUILLE_INDEX")
    assert lines["corpus"].endswith("command line --corpus")
    assert main(["config", "--path"]) == ExitCode.OK
    assert capsys.readouterr().out == f"{path}\n"
    assert main(["config", "--json"]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert data["config_file"] == str(path) and data["config_file_exists"] is True
    assert data["settings"]["limit"] == {"value": 5, "from": "settings file"}
    assert main(["config", "--json", "--path"]) == ExitCode.USAGE  # printed the path alone
    assert capsys.readouterr() == (
        "",
        "fouille: error: argument --path: not allowed with argument --json "
        "(see: fouille config --help)\n",
    )


def test_config_works_even_when_the_corpus_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_settings(f'corpus = "{tmp_path / "gone"}"\n')
    assert main(["config"]) == ExitCode.OK
    assert str(tmp_path / "gone") in capsys.readouterr().out
    assert main(["search", "otan"]) == ExitCode.CORPUS
