"""An article written to attack the terminal — Rich/Textual markup, ANSI colours, cursor moves,
screen clears, window-title and hyperlink OSC strings, terminal queries (whose answers a shell
would read as typed input), C1 controls, bidi overrides, zero-width characters — in its title,
its text and its file name, shown by ``fouille show``, ``fouille search`` (plain, JSON, on a
terminal) and the app: everything reaches the screen inert, and the markup shows as typed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from search.cli import main
from search.engine import Engine
from search.errors import ExitCode
from tests.support.corpora import make_corpus
from tests.support.hostile import write
from tests.support.pilot import screen_lines, settle
from tests.support.processes import run_in_pty

EVIL_NAME = b"evil \x1b[31mname\x1b]0;pwn\x07 \xe2\x80\xae.txt"
EVIL = (
    "Titre \x1b[1;31mROUGE\x1b[0m [bold]gras[/bold] \u202eenrevni\u202c zanzibar\n"
    "\n"
    "Publié le 3 mars 2024\n"
    "\n"
    "Balises [/] [link=https://evil.example]clic[/link] [b]x[/b] [@click=app.quit]quitter[/]\n"
    "Effacement \x1b[2J\x1b[H de l'écran et curseur \x1b[10A\x1b[5C déplacé.\n"
    "Fenêtre \x1b]0;titre-pirate\x07 et lien \x1b]8;;https://evil.example\x1b\\ici\x1b]8;;\x1b\\.\n"
    "Requêtes \x1b[6n \x1b[c \x1bP$qm\x1b\\ \x1b[21t au terminal zanzibar.\n"
    "Contrôles C1 \u009b31m et \u009d0;x\u009c puis \x07 cloche \x08 retour \x7f effacé.\n"
    "Isolé \u2066dedans\u2069 et forcé \u202dgauche\u202c, zéro\u200blargeur\u200d\ufefffin.\n"
)
MARKUP = ("[bold]gras[/bold]", "[link=https://evil.example]clic[/link]", "[@click=app.quit]")
# Anything that could drive a terminal: C0 but tab and newline, DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# the CLI's own highlight codes and progress bar (if it had to build the index), on a terminal
OUR_STYLES = re.compile(r"\x1b\[[0-9;]*m|\r|\x1b\[K")


def assert_inert(text: str, *, styled: bool = False) -> None:
    if styled:
        text = OUR_STYLES.sub("", text)
    found = UNSAFE.search(text)
    assert found is None, (
        f"raw {found.group()!r} in output: {text[max(0, found.start() - 40) : found.end() + 40]!r}"
    )


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("display")
    corpus = make_corpus(
        root,
        {
            "balises.txt": (
                "Balises seules\n\nPublié le 1 mai 2024\n\n"
                "Tout en [bold]markup[/] et [/ zanzibar.\n"
            )
        },
    )
    write(corpus, EVIL_NAME, EVIL.encode())
    index = root / "index"
    engine = Engine(corpus, index)
    engine.update(full=True)
    evil_id = next(
        h.id for h in engine.search("rouge gras", limit=50).hits if h.id != "balises.txt"
    )
    engine.close()
    return corpus, index, evil_id


def args(evil: tuple[Path, Path, str]) -> list[str]:
    corpus, index, _ = evil
    return ["--corpus", str(corpus), "--index", str(index)]


def test_evil_id_itself_is_printable(evil: tuple[Path, Path, str]) -> None:
    assert_inert(evil[2])


def test_fouille_show_piped_is_inert_and_shows_markup_as_typed(
    evil: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for extra in ([], ["--query", "zanzibar écran"]):
        assert main(["show", evil[2], *extra, *args(evil)]) == ExitCode.OK
        out, err = capsys.readouterr()
        assert_inert(out)
        assert_inert(err)
        for literal in MARKUP:
            assert literal in out, literal
        assert "Requêtes" in out and "au terminal zanzibar" in out  # the text around survives


@pytest.mark.parametrize("query", ["zanzibar", "markup", "rouge gras", "terminal"])
def test_fouille_search_piped_and_json_are_inert(
    evil: tuple[Path, Path, str], query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", query, *args(evil)]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert_inert(out)
    assert_inert(err)
    assert main(["search", query, "--json", *args(evil)]) == ExitCode.OK
    out, _ = capsys.readouterr()
    assert_inert(out)
    json.loads(out)


def run_on_a_terminal(argv: list[str]) -> tuple[int, str]:
    """Run fouille with stdout and stderr on a pseudo-terminal; what the terminal received."""
    code, received, _ = run_in_pty(*argv, stderr_tty=True)
    return code, received


@pytest.mark.parametrize(
    "command",
    [["search", "zanzibar"], ["search", "markup"], ["show", "EVIL", "--query", "zanzibar"]],
    ids=["search", "search-markup", "show"],
)
def test_on_a_terminal_only_our_own_styles_reach_it(
    evil: tuple[Path, Path, str], command: list[str]
) -> None:
    argv = [evil[2] if part == "EVIL" else part for part in command]
    code, screen = run_on_a_terminal([*argv, *args(evil)])
    assert code == 0, screen
    assert OUR_STYLES.search(screen)  # it did style its output (it knows it is a terminal)
    assert_inert(screen, styled=True)
    if command[0] == "show":
        for literal in MARKUP:
            assert literal in OUR_STYLES.sub("", screen), literal


# ----------------------------------------------------------------------------- the app


async def test_app_shows_the_evil_article_inert_in_hit_list_and_reader(
    evil: tuple[Path, Path, str],
) -> None:

    from tui.app import create_app
    from tui.screens.search_screen import SearchScreen

    corpus, index, evil_id = evil
    app = create_app(corpus, index)

    def drawn() -> str:
        """Every character the app puts on the screen."""
        return "\n".join(screen_lines(app))

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        for query in ("zanzibar", "rouge gras", "markup"):
            screen.query_input.value = query
            await settle(pilot)
            assert screen.hit_list.hits, query
            text = drawn()
            assert_inert(text)
            if query == "rouge gras":
                assert "[bold]gras[/bold]" in text  # the title as typed, in the hit list
        screen.query_input.value = "zanzibar"
        await settle(pilot)
        evil_rank = [h.id for h in screen.hit_list.hits].index(evil_id)
        screen.hit_list.highlighted = evil_rank * 2  # options are separated by rules
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = drawn()
        assert_inert(text)
        for literal in MARKUP:
            assert literal in text, literal
        await pilot.press("n", "n", "N")  # walk the matches; [@click=app.quit] must do nothing
        await settle(pilot)
        assert app.is_running
        assert_inert(drawn())
