"""Markdown notes: the YAML front matter's title, date, author and source (python-frontmatter),
then the text with its markup stripped, read from markdown-it-py's token stream (links keep their
text, code keeps its content, raw HTML is dropped)."""

from __future__ import annotations

import frontmatter
from markdown_it import MarkdownIt
from markdown_it.token import Token

from search.extract import Extracted, Unextractable
from search.extract.dates import parse_date, year_ok
from search.textclean import decode, looks_binary

_SOURCE_KEYS = ("source", "site", "publication", "journal", "outlet")
_AUTHOR_KEYS = ("author", "auteur", "authors", "auteurs", "by")
_BLOCK_ENDS = {"paragraph_close", "heading_close", "list_item_close", "blockquote_close"}


def extract(data: bytes) -> Extracted:
    if looks_binary(data):
        raise Unextractable("binary content")
    source = decode(data)
    try:
        post = frontmatter.loads(source)
        meta, body = post.metadata, post.content
    except Exception:  # a broken front matter block: read it as text, like a reader would
        meta, body = {}, source
    text, heading = _plain_text(body)
    return Extracted(
        text=text,
        title=_first(meta, ("title", "titre")) or heading,
        date=year_ok(parse_date(meta.get("date") or meta.get("published"))),
        source=_first(meta, _SOURCE_KEYS),
        author=_first(meta, _AUTHOR_KEYS),
    )


def _first(meta: dict[str, object], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if value and isinstance(value, (str, int, float)):
            return str(value).strip() or None
    return None


def _plain_text(body: str) -> tuple[str, str | None]:
    """The visible text, one block per paragraph, and the first heading's text."""
    tokens = MarkdownIt("commonmark").parse(body)
    blocks: list[str] = []
    current: list[str] = []
    heading: str | None = None
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "inline":
            line = _inline_text(token.children or [])
            current.append(line)
            if in_heading and heading is None and line.strip():
                heading = line.strip()
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
        elif token.type in _BLOCK_ENDS:
            in_heading = False
            if current:
                blocks.append("".join(current))
                current = []
    if current:
        blocks.append("".join(current))
    return "\n\n".join(b for b in blocks if b.strip()), heading


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return "".join(parts)
