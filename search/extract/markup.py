"""The visible text of an (X)HTML fragment, one block per paragraph, for the formats that wrap
their text in HTML (EPUB chapters): scripts, styles and the head are dropped, never run."""

from __future__ import annotations

import lxml.html
from lxml import etree

_INVISIBLE = ("script", "style", "noscript", "head", "template", "iframe", "object")
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li blockquote pre tr br section article header footer "
    "aside figcaption dt dd table ul ol hr".split()
)


def visible_text(data: bytes) -> str:
    """The text a browser would show, blocks separated by a blank line."""
    try:
        root = lxml.html.fromstring(data)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *_INVISIBLE, etree.Comment, with_tail=False)
    for element in root.iter():
        if isinstance(element.tag, str) and _local(element.tag) in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    blocks = (" ".join(block.split()) for block in text.split("\n\n"))
    return "\n\n".join(block for block in blocks if block)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()
