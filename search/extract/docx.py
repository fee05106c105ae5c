"""Word documents: paragraphs and tables in document order by python-docx, and the core
properties' title, author and creation date."""

from __future__ import annotations

import io

import docx
from docx.table import Table

from search.extract import Extracted
from search.extract.archives import open_zip
from search.extract.dates import year_ok


def extract(data: bytes) -> Extracted:
    open_zip(data, "DOCX")
    document = docx.Document(io.BytesIO(data))
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = [cell.text.strip() for cell in row.cells]
                blocks.append("\t".join(dict.fromkeys(c for c in cells if c)))
        else:
            blocks.append(item.text)
    properties = document.core_properties
    return Extracted(
        text="\n\n".join(b.strip() for b in blocks if b.strip()),
        title=(properties.title or "").strip() or None,
        date=year_ok(properties.created.date()) if properties.created else None,
        author=(properties.author or "").strip() or None,
    )
