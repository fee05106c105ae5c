"""Match spans and snippets, read from the character offsets stored in the postings.

No document is re-analysed: for each term a result highlights (its ``highlight_terms``, index
terms per field) the postings of the field give, per document, the ``(start, end)`` of every
occurrence. Because the index holds the stems of folded words, the spans of ``securite`` cover
``sécurité``, ``Sécurités``, and those of ``armes`` cover ``arme``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from whoosh import query as wq

from search.models import HighlightTerms, Span, merge_spans
from search.postings import SearcherCache

SNIPPET_CHARS = 200

_WS = re.compile(r"\s+")


def positive_terms(q: wq.Query | None) -> HighlightTerms:
    """``field -> terms`` a matching document contains (terms under NOT excluded): what its
    result highlights."""
    terms: dict[str, set[str]] = {}

    def add(field: str, text: str | bytes) -> None:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        terms.setdefault(field, set()).add(text)

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if isinstance(node, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)):
            return  # word patterns are expanded to stems before they get here
        if isinstance(node, wq.Term):
            add(node.fieldname, node.text)
            return
        if isinstance(node, wq.Phrase):
            for word in node.words:
                add(node.fieldname, word)
            return
        for child in node.children():
            walk(child)

    if q is not None:
        walk(q)
    return {field: frozenset(texts) for field, texts in terms.items()}


def spans_in(
    cache: SearcherCache, docnums: Iterable[int], field: str, terms: Iterable[str]
) -> dict[int, list[Span]]:
    """Sorted, merged match spans of ``terms`` in ``field`` for each of ``docnums``, from the
    postings the searcher's cache has read (:meth:`SearcherCache.spans`)."""
    wanted = sorted(set(docnums))
    found: dict[int, list[Span]] = {d: [] for d in wanted}
    if not wanted:
        return found
    for term in terms:
        for docnum, spans in cache.spans(field, term, wanted).items():
            found[docnum].extend(spans)
    return {d: merge_spans(spans) for d, spans in found.items()}


def snippet(
    text: str, spans: list[Span], width: int = SNIPPET_CHARS, title: str = ""
) -> tuple[str, list[Span]]:
    """The passage of about ``width`` characters with the most distinct matched words, on one
    line (whitespace collapsed), with its spans relative to the passage.

    When the text states the ``title`` as a line near its start, the passage is taken after it
    (and what comes before it, a man page's running header): the hit shows its title already,
    and a snippet repeating it would say nothing more."""
    if not text:
        return "", []
    skip = _title_line_end(text, title)
    if skip and skip < len(text):
        spans = [span for span in spans if span[0] >= skip]
    start = max(skip, _best_window(text, spans, width)) if spans else skip
    end = min(len(text), start + width)
    if end < len(text):  # end on a word boundary
        cut = text.rfind(" ", start + width // 2, end)
        end = cut if cut > 0 else end
    pieces: list[str] = []
    mapping: dict[int, int] = {}
    length = 0
    if start > 0:
        pieces.append("…")
        length = 1
    lead = length
    pending_space = False
    for i in range(start, end):
        ch = text[i]
        if ch.isspace():
            pending_space = length > lead
            continue
        if pending_space:
            pieces.append(" ")
            length += 1
            pending_space = False
        mapping[i] = length
        pieces.append(ch)
        length += 1
    body = "".join(pieces)
    if end < len(text):
        body += "…"
    rel: list[Span] = []
    for s, e in spans:
        if s >= start and e <= end and s in mapping and (e - 1) in mapping:
            rel.append((mapping[s], mapping[e - 1] + 1))
    return body, rel


TITLE_SEARCH_CHARS = 1000
"""How far into a text its title line is looked for (:func:`_title_line_end`)."""


def _title_line_end(text: str, title: str) -> int:
    """Where the body starts after the title, when the text states it as a line of its own
    near its start (a news article's first line, or under its outlet and again after its
    date; a man page's NAME line, under the running header ``LS(1) Commandes de
    l'utilisateur LS(1)`` and its heading), else 0: after the last such line."""
    words = title.split()
    if not words:
        return 0
    line = re.compile(r"^[ \t]*" + r"\s+".join(map(re.escape, words)) + r"[ \t]*$", re.MULTILINE)
    bound = TITLE_SEARCH_CHARS + len(title)
    ends = [
        found.end()
        for found in line.finditer(text, 0, bound)
        # (a line cut by the search's bound is not the title)
        if found.end() == len(text) or text.startswith("\n", found.end())
    ]
    if not ends:
        return 0
    end = ends[-1]
    while end < len(text) and text[end].isspace():
        end += 1
    return end if end < len(text) else 0


def _best_window(text: str, spans: list[Span], width: int) -> int:
    if not spans:
        return 0
    best_start, best_score = 0, (-1, -1)
    words = [_WS.sub(" ", text[s:e]).lower() for s, e in spans]
    j = 0
    for i, (s, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= s + width - 40:
            j += 1
        window = words[i:j]
        score = (len(set(window)), len(window))
        if score > best_score:
            best_score, best_start = score, s
    # start a little before the first match, on a word boundary
    start = max(0, best_start - 40)
    if start > 0:
        space = text.find(" ", start, best_start)
        start = space + 1 if space >= 0 else start
    return start
