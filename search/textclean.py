"""Bytes from an untrusted file to text that is safe to index, store and show in a terminal.

Cleaning happens once, at load time, so the stored text, the highlight offsets computed on it and
what reaches the screen all agree: neither Rich nor Textual strips escape sequences themselves.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from search.safety import remove_unsafe

_BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ERRORS = "fouille-single-byte"

# Control bytes that never occur in text; \t \n \v \f \r and ESC (coloured text is still text)
# are left out, and so are 0x80-0x9F, which are printable characters in cp1252.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_BINARY_SHARE = 0.10
_NUL_SPAN = 1024  # bytes of text per NUL byte allowed

_ASCII = bytes(range(128))
_MIXED_RATIO = 3  # UTF-8 characters per stray byte for a file to count as UTF-8 with strays


def _single_byte(data: bytes) -> str:
    """One cp1252 character per byte; latin-1 for the five bytes cp1252 leaves undefined."""
    return "".join(_cp1252_or_latin1(data[i : i + 1]) for i in range(len(data)))


def _cp1252_or_latin1(byte: bytes) -> str:
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:
        return byte.decode("latin-1")


def _single_byte_errors(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the bytes that are not UTF-8 as cp1252 (then latin-1)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return _single_byte(exc.object[exc.start : exc.end]), exc.end


codecs.register_error(_ERRORS, _single_byte_errors)


def _utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 codec for ``data``: by its BOM, or by the NUL pattern of BOM-less UTF-16.

    Windows tools write UTF-16 without a BOM now and then; in French text nearly every other
    byte is then NUL on one side only, which no single-byte text and little binary data shows.
    """
    if data[:2] in _BOMS_UTF16:
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 16 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd_nuls > 0.4 * pairs and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > 0.4 * pairs and odd_nuls == 0:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True for UTF-8 text with a few stray bytes (a cp1252 paste, a cut character).

    Counting matters: cp1252 French text holds accidental UTF-8 sequences ("é »", with its
    no-break space, is E9 A0 BB, a valid CJK character), but far fewer than its invalid bytes.
    """
    invalid = data.decode("utf-8", errors="replace").count("\ufffd")
    non_ascii = len(data.translate(None, _ASCII))
    utf8_chars = (non_ascii - invalid) / 2  # a French accented letter takes two bytes
    return utf8_chars >= _MIXED_RATIO * invalid


def decode(data: bytes) -> str:
    """Decode a corpus file whatever its encoding; never raises.

    UTF-8 (a BOM is dropped), UTF-16 (with a BOM, or detected without one), else cp1252, which
    every French Windows file uses, else latin-1. A UTF-8 file with a few stray cp1252 bytes keeps
    its UTF-8 characters and reads only the stray bytes as cp1252, instead of turning the whole
    file into mojibake.
    """
    encoding = _utf16_encoding(data)
    if encoding is not None:
        return data.decode(encoding, errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors=_ERRORS)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors=_ERRORS)


def looks_binary(data: bytes) -> bool:
    """True for content that is not text (images, archives, office files, executables).

    Judged by shares, never by one byte: more than one NUL per KB (text holds none, but a stray
    one in a long article is debris, removed by :func:`clean_text`; compressed data holds one in
    256 bytes), or more than 10% of control bytes. UTF-16 is judged on its decoded text.
    """
    if not data:
        return False
    encoding = _utf16_encoding(data)
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
        controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\v\f\r\x1b")
        return controls > _BINARY_SHARE * max(len(text), 1)
    if data.count(0) * _NUL_SPAN > len(data):
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls > _BINARY_SHARE * len(data)


# Terminal escape sequences, removed whole so no parameter debris ("[31m") is left behind.
# 7-bit forms start with ESC, 8-bit forms with a C1 control (U+009B CSI, U+009D OSC, ...).
_ST = r"(?:\x1b\\|\x9c|\x07)"
_ESCAPES = re.compile(
    "|".join(
        (
            # OSC (titles, OSC 8 hyperlinks) and DCS/SOS/PM/APC strings, up to their terminator,
            # or to the end of the line when unterminated (a terminal would swallow it all).
            rf"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:{_ST})?",
            # CSI: parameters, intermediates, one final byte.
            r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]",
            # Other escapes: ESC, intermediates, one final byte ("\x1b(B", "\x1b7", "\x1bc").
            r"\x1b[\x20-\x2f]*[\x30-\x7e]",
        )
    )
)

_ESCAPE_STARTS = "\x1b\x90\x98\x9b\x9d\x9e\x9f"
_NEWLINES = ("\r\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029")


def clean_text(text: str) -> str:
    """Make decoded text safe and canonical: what is indexed is what is shown.

    Escape sequences are removed whole, every line break (CRLF, CR, NEL, U+2028/2029, form feed,
    vertical tab) becomes ``\\n``, the characters :mod:`search.safety` calls unsafe are
    removed (newline and tab kept), and the result is NFC so "é" typed as e + U+0301 matches
    "é". No-break spaces (U+00A0, U+202F) are kept: French puts them in "100 000" and before
    ";:!?".
    """
    if not text:
        return text
    # ``in`` and ``replace`` cost a fraction of a regex pass on the usual text that has none.
    if any(ch in text for ch in _ESCAPE_STARTS):
        text = _ESCAPES.sub("", text)
    for newline in _NEWLINES:
        if newline in text:
            text = text.replace(newline, "\n")
    text = remove_unsafe(text, keep="\t\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
