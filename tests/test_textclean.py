"""Decoding and cleaning of untrusted corpus text: what is indexed is what the terminal shows."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.textclean import clean_text, decode, looks_binary

FRENCH = "L’été à Noël : cœur, œuvre, 20 € — « déjà vu »"


@pytest.mark.parametrize(
    "data",
    [
        FRENCH.encode("utf-8"),
        b"\xef\xbb\xbf" + FRENCH.encode("utf-8"),
        FRENCH.encode("utf-16"),  # with BOM, native order
        b"\xff\xfe" + FRENCH.encode("utf-16-le"),
        b"\xfe\xff" + FRENCH.encode("utf-16-be"),
        FRENCH.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-le-bom", "utf16-be-bom", "cp1252"],
)
def test_decode_reads_french_in_every_usual_encoding(data: bytes) -> None:
    assert decode(data) == FRENCH


def test_decode_latin1_file() -> None:
    # Latin-1 shares cp1252's letters; 0x81 is undefined in cp1252 and must not crash decoding.
    assert decode("café élève".encode("latin-1")) == "café élève"
    assert decode(b"caf\xe9 \x81") == "café \x81"


def test_decode_utf16_without_bom() -> None:
    assert decode("Le secrétaire général de l’OTAN".encode("utf-16-le")) == (
        "Le secrétaire général de l’OTAN"
    )


def test_decode_mostly_utf8_file_keeps_its_utf8_and_reads_stray_bytes_as_cp1252() -> None:
    utf8 = "Le secrétaire général de l’OTAN à Séoul, en Corée, a déclaré : "
    data = utf8.encode() + "l’été".encode("cp1252")
    assert decode(data) == utf8 + "l’été"


def test_decode_cp1252_french_with_accidental_utf8_sequences() -> None:
    # "é »" with its no-break space is E9 A0 BB in cp1252: also a valid UTF-8 CJK character.
    text = "C’est la réalité\u00a0», a-t-il déclaré à l’été, « enfin\u00a0»."
    assert decode(text.encode("cp1252")) == text


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_decode_never_raises(data: bytes) -> None:
    assert isinstance(decode(data), str)


def test_looks_binary() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert looks_binary(b"texte\x00avec un NUL")
    assert looks_binary(bytes(range(1, 9)) * 20)  # control bytes, no NUL
    assert not looks_binary(FRENCH.encode() * 100 + b"\x00")  # one stray NUL in a long text
    assert looks_binary(bytes(range(256)) * 64)  # compressed-like data: one NUL per 256 bytes
    assert not looks_binary(b"")
    assert not looks_binary(FRENCH.encode("utf-8"))
    assert not looks_binary(FRENCH.encode("cp1252"))  # 0x80-0x9F are letters in cp1252
    assert not looks_binary(FRENCH.encode("utf-16"))  # NUL bytes, but UTF-16 text
    assert not looks_binary(b"\x1b[31mrouge\x1b[0m\n")  # coloured text is text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[31mrouge\x1b[0m", "rouge"),
        ("\x1b]0;title\x07", ""),
        ("avant\x1b[2Japrès", "avantaprès"),
        ("\x1b]8;;https://exemple.fr\x1b\\lien\x1b]8;;\x1b\\", "lien"),  # OSC 8 hyperlink
        ("\x9b31mrouge\x9b0m", "rouge"),  # 8-bit CSI
        ("\x9d0;titre\x9cX", "X"),  # 8-bit OSC ended by 8-bit ST
        ("\x1bPq#0;2;0;0;0\x1b\\fin", "fin"),  # DCS (sixel)
        ("\x1b(Bcharset\x1b7", "charset"),
        ("a\x1b", "a"),  # lone ESC at the end
    ],
)
def test_escape_sequences_are_removed_whole(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_line_breaks_become_newlines() -> None:
    assert clean_text("un\r\ndeux\rtrois\u2028quatre\u2029cinq\x85six\fsept") == (
        "un\ndeux\ntrois\nquatre\ncinq\nsix\nsept"
    )


def test_control_chars_removed_but_newline_and_tab_kept() -> None:
    assert clean_text("a\x00b\x07c\x08d\x7fe\tf\ng\x1fh") == "abcde\tf\ngh"


def test_bidi_and_zero_width_characters_removed() -> None:
    # "Trojan Source": an override makes the terminal show text in another order than stored.
    assert clean_text("admin\u202e\u2066gnp.exe\u2069\u202c") == "admingnp.exe"
    assert clean_text("mot\u200bcaché\u200c \u200dici\u2060\ufeff") == "motcaché ici"
    assert clean_text("ana\u00adlyse") == "analyse"  # soft hyphen splits a word for search
    assert clean_text("invisible\U000e0041\U000e0042") == "invisible"  # Unicode tags


def test_no_break_spaces_are_kept() -> None:
    assert clean_text("100\u00a0000 € ; vraiment\u202f?") == "100\u00a0000 € ; vraiment\u202f?"


def test_nfd_becomes_nfc() -> None:
    assert clean_text("e\u0301te\u0301") == "été"
    assert clean_text("cafe\u0301") == "café"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=80))
def test_clean_text_leaves_nothing_a_terminal_would_interpret(raw: str) -> None:
    text = clean_text(raw)
    for ch in text:
        category = unicodedata.category(ch)
        assert ch in "\n\t" or category not in ("Cc", "Cs"), repr(ch)
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff"
    assert unicodedata.is_normalized("NFC", text)
    assert clean_text(text) == text


ESCAPE_SOUP = "\x1b\x9b\x9c\x9d\x07[]P\\;:0123mJH8 aé\r\n\u202e\u200b\ud800"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ESCAPE_SOUP, max_size=40))
def test_clean_text_on_escape_soup(raw: str) -> None:
    text = clean_text(raw)
    assert not set(text) & set("\x1b\x9b\x9c\x9d\x07\r\u202e\u200b\ud800")
    assert clean_text(text) == text
