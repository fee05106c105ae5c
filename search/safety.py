"""Terminal safety: which characters may reach a terminal as they are, and the few ways to make
the others inert. Every piece of untrusted text (article text, titles, file names, messages that
quote them) goes through one of the functions below, all built on :func:`is_safe`.

A character is unsafe when it can drive the terminal or hide text from the reader: the control
characters (C0 including tab and newline, DEL, C1: escape sequences start with ESC or a C1), the
invisible format characters (soft hyphen, bidi marks, embeddings, overrides and isolates — the
"Trojan Source" trick —, zero-width spaces and joiners, BOM, interlinear annotations, Unicode
tags), the line and paragraph separators, and lone surrogates (undecodable bytes of a file
name). In Unicode terms: the categories Cc, Cf, Cs, Zl and Zp. Callers that show several lines
keep ``\\n`` (and ``\\t``) on purpose, by naming them in ``keep``.

What each function does with an unsafe character:

- :func:`remove_unsafe` drops it (text cleaned once at load time: what is indexed is shown);
- :func:`blank_unsafe` writes one space (the app: offsets of highlight spans stay valid);
- :func:`show_unsafe` shows it (``␛``, ``␇``, ``\\u202e``: the ``fouille`` command's output);
- :func:`escape_unsafe` writes a backslash escape (``\\n``, ``\\x1b``: file names);
- :func:`escape_json` writes a JSON escape (``\\u001b``: JSON on a terminal stays exact);
- :func:`replace_undecodable` turns the undecodable bytes of a file name into U+FFFD.
"""

from __future__ import annotations

import re
from functools import cache

# The code points of the categories Cc, Cf, Cs, Zl and Zp (Unicode 15), as inclusive ranges;
# tests/test_safety.py checks them against unicodedata.
_UNSAFE_RANGES = (
    (0x0000, 0x001F),
    (0x007F, 0x009F),
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xD800, 0xDFFF),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)


@cache
def _unsafe_runs(keep: str = "") -> re.Pattern[str]:
    """Runs of unsafe characters, but for those in ``keep``."""
    kept = sorted(ord(ch) for ch in keep)
    parts: list[str] = []
    for low, high in _UNSAFE_RANGES:
        for code in kept:
            if low <= code <= high:
                if low < code:
                    parts.append(_range(low, code - 1))
                low = code + 1
        if low <= high:
            parts.append(_range(low, high))
    return re.compile(f"[{''.join(parts)}]+")


def _range(low: int, high: int) -> str:
    return re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"


def is_safe(ch: str) -> bool:
    """May the character ``ch`` reach a terminal as it is? (False for tab and newline too.)"""
    return _unsafe_runs().match(ch) is None


def remove_unsafe(text: str, keep: str = "\t\n") -> str:
    """``text`` without its unsafe characters, but for those in ``keep``."""
    return _unsafe_runs(keep).sub("", text)


def blank_unsafe(text: str, keep: str = "") -> str:
    """``text`` with one space for each unsafe character (but those in ``keep``): the length, and
    so every offset into the text, is unchanged."""
    return _unsafe_runs(keep).sub(lambda run: " " * len(run.group()), text)


def show_unsafe(text: str, keep: str = "") -> str:
    """``text`` with each unsafe character (but those in ``keep``) made visible: C0 controls as
    Unicode control pictures (ESC as ``␛``, BEL as ``␇``), DEL as ``␡``, the others (which have
    no picture) as their code point, ``\\u202e``."""
    return _unsafe_runs(keep).sub(lambda run: "".join(map(_picture, run.group())), text)


def escape_unsafe(text: str) -> str:
    """``text`` with each unsafe character written as a backslash escape, as Python writes it:
    ``\\n``, ``\\t``, ``\\x1b``, ``\\u202e``."""
    return _unsafe_runs().sub(lambda run: "".join(map(_escape, run.group())), text)


def escape_json(text: str) -> str:
    r"""JSON text (as ``json.dumps(ensure_ascii=False)`` writes it) with each unsafe character
    written as a JSON ``\\uXXXX`` escape, which decodes to the very same string.

    >>> escape_json('["\u202eabc"]')
    '["\\u202eabc"]'
    """
    return _unsafe_runs().sub(lambda run: "".join(map(_json_escape, run.group())), text)


def replace_undecodable(name: str) -> str:
    """A file name as ``os.fsdecode`` gives it, with the bytes that are not UTF-8 (lone
    surrogates, which no terminal or JSON encoder takes) as U+FFFD; the rest stays as it is, so
    the name still reads as the user's."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC -> ␛, BEL -> ␇
    if code == 0x7F:
        return "\u2421"  # ␡
    return _code_point(code)


def _escape(ch: str) -> str:
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else _code_point(code)


def _code_point(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character beyond the BMP as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
