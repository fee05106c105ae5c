"""The helpers that turn engine text and spans into Textual Content: offsets must survive
cleaning, highlights must never come from markup, and the reader's rows must be the rows Textual's
own wrapping would draw."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content

from search.safety import blank_unsafe
from tui.render import highlighted, wrap_rows


def test_clean_text_keeps_length_and_newlines_and_drops_controls() -> None:
    raw = "a\tb\x1b[31mrouge\x1b[0m\x07\r\nsuite\u202eà l’envers\x9b"
    cleaned = blank_unsafe(raw, keep="\n")
    assert len(cleaned) == len(raw)  # offsets of highlight spans stay valid
    assert "\n" in cleaned
    assert all(ch == "\n" or ch.isprintable() for ch in cleaned)
    assert "[31mrouge" in cleaned  # the printable rest of an escape stays, inert


def test_clean_line_flattens_newlines() -> None:
    assert blank_unsafe("titre\nsur deux\rlignes") == "titre sur deux lignes"


def test_highlighted_styles_spans_and_never_parses_markup() -> None:
    text = "[bold]x[/] et [link=http://x]y"
    content = highlighted(text, [(0, 6), (100, 120), (5, 2)], "bold")
    assert content.plain == text
    assert [(s.start, s.end, s.style) for s in content.spans] == [(0, 6, "bold")]


def test_wrap_rows_on_a_french_paragraph() -> None:
    text = (
        "Le secrétaire général de l’OTAN, Jens Stoltenberg, a appelé lundi la Corée du Sud.\n"
        "\n"
        "Anticonstitutionnellement, un mot plus long que la ligne.\nFin"
    )
    rows = wrap_rows(text, 17)
    assert [text[a:b].rstrip() for a, b in rows] == [
        line.plain.rstrip() for line in Content(text).wrap(17)
    ]
    assert rows[0] == (0, len("Le secrétaire "))
    assert text[slice(*rows[-1])] == "Fin"
    assert "" in [text[a:b] for a, b in rows]  # the blank line is a row of its own


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.text("abcdéà’-", min_size=1, max_size=14), min_size=1, max_size=40),
    separators=st.lists(st.sampled_from([" ", " ", "  ", "\n", "\n\n"]), min_size=40),
    width=st.integers(min_value=4, max_value=30),
)
def test_wrap_rows_cut_where_content_wrap_cuts(
    words: list[str], separators: list[str], width: int
) -> None:
    """Each row is the text Textual's own wrapping puts on that screen row, so the reader's
    offset -> row map (and the scroll to a match) is exact."""
    text = "".join(w + sep for w, sep in zip(words, separators, strict=False)).rstrip()
    rows = wrap_rows(text, width)
    assert [text[a:b].rstrip() for a, b in rows] == [
        line.plain.rstrip() for line in Content(text).wrap(width)
    ]
    covered = sorted(i for a, b in rows for i in range(a, b))
    assert covered == [i for i, ch in enumerate(text) if ch != "\n"]  # every character once


async def test_a_long_hit_list_is_whole_with_its_rules_once_drawn() -> None:
    """The hits past the first screenful become options after the first frame: all of them
    are listed then, in order, with one rule between two hits (none after the last), the
    "some words" rule before the first partial hit (here in the later batch), and the cursor
    reaches the last one."""
    from textual.app import App, ComposeResult

    from search.models import Hit
    from tui.widgets.hit_list import SOME_WORDS_RULE, HitList

    hits = [
        Hit(n, f"a{n}.txt", "", f"Article {n}", None, 1.0, f"extrait {n}", [], all_words=n < 30)
        for n in range(40)
    ]

    class Lists(App[None]):
        def compose(self) -> ComposeResult:
            yield HitList(id="hits")

    app = Lists()
    async with app.run_test(size=(60, 20)) as pilot:
        hit_list = app.query_one(HitList)
        hit_list.show_hits(hits)
        await pilot.pause()
        prompts = [hit_list.get_option_at_index(i).prompt.plain for i in range(40)]
        assert hit_list.option_count == 40
        assert [p.split("  ")[-1].split("\n")[0] for p in prompts[:30]] == [
            f"Article {n}" for n in range(30)
        ]
        assert [n for n, p in enumerate(prompts) if SOME_WORDS_RULE in p] == [30]
        # two lines a hit, the "some words" rule's line, a rule between two hits
        assert hit_list.virtual_size.height == 40 * 2 + 1 + 39
        hit_list.focus()
        await pilot.press("end")
        assert hit_list.current is hits[-1]
