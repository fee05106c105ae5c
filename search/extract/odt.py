"""OpenDocument text: headings, paragraphs, lists and tables in order by odfpy, and the meta
title, creator and date."""

from __future__ import annotations

import io

from odf import teletype
from odf.element import Element
from odf.namespaces import DCNS, METANS, TEXTNS
from odf.opendocument import load

from search.extract import Extracted
from search.extract.archives import open_zip
from search.extract.dates import parse_date, year_ok

_TEXT_BLOCKS = {(TEXTNS, "p"), (TEXTNS, "h")}


def extract(data: bytes) -> Extracted:
    open_zip(data, "ODT")
    document = load(io.BytesIO(data))
    blocks: list[str] = []
    _walk(document.text, blocks)
    meta = {
        node.qname: teletype.extractText(node).strip()
        for node in document.meta.childNodes
        if isinstance(node, Element)
    }
    return Extracted(
        text="\n\n".join(b.strip() for b in blocks if b.strip()),
        title=meta.get((DCNS, "title")) or None,
        date=year_ok(parse_date(meta.get((DCNS, "date")) or meta.get((METANS, "creation-date")))),
        author=meta.get((DCNS, "creator")) or meta.get((METANS, "initial-creator")) or None,
    )


def _walk(node: Element, blocks: list[str]) -> None:
    for child in node.childNodes:
        if not isinstance(child, Element):
            continue
        if child.qname in _TEXT_BLOCKS:
            blocks.append(teletype.extractText(child))
        else:  # sections, lists, tables: their paragraphs, in order
            _walk(child, blocks)
