"""The helpers that turn engine text and spans into Textual Content: offsets must survive
cleaning, highlights must never come from markup, and the reader's scroll target must be the
row the Static really draws the match on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content

from tui.render import clean_line, clean_text, highlighted, row_of_offset


def test_clean_text_keeps_length_and_newlines_and_drops_controls() -> None:
    raw = "a\tb\x1b[31mrouge\x1b[0m\x07\r\nsuite\u202eà l’envers\x9b"
    cleaned = clean_text(raw)
    assert len(cleaned) == len(raw)  # offsets of highlight spans stay valid
    assert "\n" in cleaned
    assert all(ch == "\n" or ch.isprintable() for ch in cleaned)
    assert "[31mrouge" in cleaned  # the printable rest of an escape stays, inert


def test_clean_line_flattens_newlines() -> None:
    assert clean_line("titre\nsur deux\rlignes") == "titre sur deux lignes"


def test_highlighted_styles_spans_and_never_parses_markup() -> None:
    text = "[bold]x[/] et [link=http://x]y"
    content = highlighted(text, [(0, 6), (100, 120), (5, 2)], "bold")
    assert content.plain == text
    assert [(s.start, s.end, s.style) for s in content.spans] == [(0, 6, "bold")]


def drawn_row(text: str, width: int, offset: int) -> int:
    """Independent oracle: the row holding ``offset`` when each line of ``text`` is wrapped by
    Textual's public ``Content.wrap`` (as a Static does), rows located by searching their text."""
    row = position = 0
    for line in text.split("\n"):
        rows = [part.plain for part in Content(line).wrap(width)] or [""]
        if offset <= position + len(line):
            cursor = found = 0
            for index, part in enumerate(rows):
                start = line.find(part, cursor) if part else cursor
                if start <= offset - position:
                    found = index
                cursor = start + len(part)
            return row + found
        row += len(rows)
        position += len(line) + 1
    return row


def test_row_of_offset_on_a_french_paragraph() -> None:
    text = (
        "Le secrétaire général de l’OTAN, Jens Stoltenberg, a appelé lundi la Corée du Sud.\n"
        "\n"
        "Anticonstitutionnellement, un mot plus long que la ligne.\nFin"
    )
    rows = [line.plain for line in Content(text).wrap(17)]
    for word in ("Corée", "Anticonstitutionnellement", "Fin"):
        offset = text.index(word)
        assert rows[row_of_offset(text, 17, offset)].startswith(word[:5])
    assert row_of_offset(text, 17, 0) == 0
    assert row_of_offset(text, 17, text.index("Fin")) == len(rows) - 1


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.text("abcdéà’-", min_size=1, max_size=14), min_size=1, max_size=40),
    separators=st.lists(st.sampled_from([" ", " ", "  ", "\n", "\n\n"]), min_size=40),
    width=st.integers(min_value=4, max_value=30),
    pick=st.integers(min_value=0),
)
def test_row_of_offset_agrees_with_content_wrap(
    words: list[str], separators: list[str], width: int, pick: int
) -> None:
    text = "".join(w + sep for w, sep in zip(words, separators, strict=False)).rstrip()
    offset = pick % len(text)
    assert row_of_offset(text, width, offset) == drawn_row(text, width, offset)
