"""The one rule for what may reach a terminal, and the ways to make the rest inert."""

from __future__ import annotations

import json
import os
import sys
import unicodedata

import pytest

from search.safety import (
    blank_unsafe,
    escape_json,
    escape_unsafe,
    is_safe,
    remove_unsafe,
    replace_undecodable,
    show_unsafe,
)

UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
ATTACK = "a\x1b[2J\x07\tb\nc\u202eé\u200b\ud800\x9b\U000e0041"


def test_every_control_and_invisible_format_character_is_unsafe() -> None:
    """The table behind ``is_safe`` covers the Unicode categories it stands for (controls,
    format characters, surrogates, line and paragraph separators) of this Python's Unicode."""
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in UNSAFE_CATEGORIES and is_safe(chr(code))
    ]
    assert missed == []


@pytest.mark.parametrize("ch", ["a", "é", "€", " ", "\u00a0", "\u202f", "’", "œ", "日", "🙂", "["])
def test_printable_characters_are_safe(ch: str) -> None:
    assert is_safe(ch)


def test_remove_keeps_lines_and_tabs() -> None:
    assert remove_unsafe(ATTACK) == "a[2J\tb\ncé"


def test_blank_keeps_every_offset() -> None:
    blanked = blank_unsafe(ATTACK, keep="\n")
    assert len(blanked) == len(ATTACK)
    assert blanked == "a [2J  b\nc é    "
    assert all(is_safe(ch) for ch in blank_unsafe(ATTACK))


def test_show_makes_each_character_visible() -> None:
    assert show_unsafe("a\x1b[2J\x07\x7f\x9b\u202e\U000e0041", keep="\n") == (
        "a␛[2J␇␡\\u009b\\u202e\\U000e0041"
    )
    assert show_unsafe("x\ny") == "x␊y"


def test_escape_writes_names_as_python_would() -> None:
    assert escape_unsafe("ligne\nnouvelle\t\x1b\u202e.txt") == "ligne\\nnouvelle\\t\\x1b\\u202e.txt"


def test_escape_json_decodes_to_the_same_string() -> None:
    data = {"id": ATTACK}
    text = escape_json(json.dumps(data, ensure_ascii=False))
    assert all(is_safe(ch) for ch in text)
    assert json.loads(text) == data


def test_undecodable_bytes_of_a_name_become_the_replacement_character() -> None:
    name = os.fsdecode(b"caf\xe9 \xe2\x80\xae.txt")  # latin-1 byte, then a raw bidi override
    assert replace_undecodable(name) == "caf\ufffd \u202e.txt"  # the override is kept: a name
    assert escape_unsafe(replace_undecodable(name)) == "caf\ufffd \\u202e.txt"
