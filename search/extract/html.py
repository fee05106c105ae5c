"""Web pages saved from a browser: the article's main text, without navigation, scripts, styles,
comments and boilerplate, and the page's title, date, author and site, by trafilatura (built for
news pages; compared with a plain text dump in bench/extraction.py)."""

from __future__ import annotations

import trafilatura

from search.extract import Extracted, Unextractable
from search.extract.dates import parse_date, year_ok
from search.textclean import looks_binary

_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract(data: bytes) -> Extracted:
    if looks_binary(data):
        raise Unextractable("binary content")
    document = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # the date from the page's metadata (meta tags, JSON-LD, URL), the publication date
        # rather than the last change; not htmldate's scan of the whole page, which halved the
        # speed (bench/extraction.py) for dates fouille reads from the text's head anyway
        date_extraction_params=_DATE_PARAMS,
    )
    text = document.text if document is not None and document.text else ""
    if not text.strip():
        # a page too short for main-text detection: all of its visible text (scripts and
        # styles are still dropped)
        text = trafilatura.html2txt(data) or ""
    if not text.strip():
        raise Unextractable("no text in the page")
    if document is None:
        return Extracted(text=_paragraphs(text))
    return Extracted(
        text=_paragraphs(text),
        title=document.title or None,
        date=year_ok(parse_date(document.date)),
        source=document.sitename or document.hostname or None,
        author=document.author or None,
    )


def _paragraphs(text: str) -> str:
    """One blank line between paragraphs, as in the reader's other formats."""
    return "\n\n".join(line for line in text.split("\n") if line.strip())
