"""E-books: the chapters in reading (spine) order by ebooklib, their visible text (scripts
dropped), and the book's title, creator, date and publisher (as the source)."""

from __future__ import annotations

import io

import ebooklib
from ebooklib import epub

from search.extract import Extracted
from search.extract.archives import open_zip
from search.extract.dates import parse_date, year_ok
from search.extract.markup import visible_text


def extract(data: bytes) -> Extracted:
    open_zip(data, "EPUB")
    book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    chapters: list[str] = []
    for item_id, _ in book.spine:
        item = book.get_item_with_id(item_id)
        if item is not None and item.get_type() == ebooklib.ITEM_DOCUMENT:
            chapters.append(visible_text(item.get_content()))
    return Extracted(
        text="\n\n".join(c for c in chapters if c),
        title=_dc(book, "title"),
        date=year_ok(parse_date(_dc(book, "date"))),
        source=_dc(book, "publisher"),
        author=_dc(book, "creator"),
    )


def _dc(book: epub.EpubBook, name: str) -> str | None:
    values = [str(value).strip() for value, _ in book.get_metadata("DC", name) if value]
    return values[0] if values and values[0] else None
