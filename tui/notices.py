"""What the notice bar says about a result list: why it is empty, what "did you mean" offers,
that only some words matched, or whose similar articles these are.

Pure functions from engine data to Content (article words go in as plain text, never markup).
"""

from __future__ import annotations

from textual.content import Content

from search.errors import QueryError
from search.models import STOP_WORDS_NOTICE, Hit, SearchResult, offer_mark
from search.safety import blank_unsafe

WELCOME = 'Type a query: words (accents optional), "a phrase", -excluded. F1 lists the keys.'
SIMILAR_TITLE_MAX = 70  # keeps the "Similar to …" notice on one line


def explain(result: SearchResult, similar_to: Hit | None = None) -> tuple[Content, str | None]:
    """The notice for ``result`` (empty when the hits need no comment) and the suggestion it
    offers, if any."""
    if similar_to is not None:
        title = blank_unsafe(similar_to.title) or blank_unsafe(similar_to.id)
        if len(title) > SIMILAR_TITLE_MAX:
            title = title[: SIMILAR_TITLE_MAX - 1].rstrip() + "…"
        notice = Content.assemble(
            ("Similar to ", "bold $text-accent"),
            (title, "bold"),
            ("  (escape: back to the hits)", "$text-muted"),
        )
        return notice, None
    query = Content.styled(blank_unsafe(result.query), "bold")
    suggestion = result.suggestion
    offer = Content("")
    if suggestion:
        offer = Content.assemble(
            " Did you mean ",
            (blank_unsafe(suggestion), "bold underline $text-accent"),
            f"{offer_mark(suggestion)} (ctrl+y or click)",
        )
    if result.only_stop_words:
        notice = Content.assemble(query, f" is {STOP_WORDS_NOTICE}.")
        return notice, None
    if result.total == 0:
        return Content.assemble("No article contains ", query, ".", offer), suggestion
    if result.fallback:
        notice = Content.assemble(
            ("No article has all the words of ", "$text-warning"),
            query,
            ("; showing articles with some of them.", "$text-warning"),
            offer,
        )
        return notice, suggestion
    if suggestion:
        return Content.assemble("Few hits.", offer), suggestion
    return Content(""), None


def query_error(error: QueryError) -> Content:
    return Content.assemble(
        ("Cannot run this query: ", "bold $text-error"), blank_unsafe(str(error))
    )
