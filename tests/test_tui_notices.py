"""What the notice bar says about a result: the reason for zero hits, the suggestion, the
partial-match fallback, and never anything parsed out of the user's or the article's text."""

from __future__ import annotations

import datetime as dt

from search.models import Hit, SearchResult
from tui.notices import explain


def result(query: str, total: int, **kwargs: object) -> SearchResult:
    return SearchResult(query=query, total=total, took_ms=1.0, hits=[], **kwargs)  # type: ignore[arg-type]


def test_zero_hits_says_so_and_offers_the_suggestion() -> None:
    notice, suggestion = explain(result("Stoltenbreg", 0, suggestion="Stoltenberg"))
    assert notice.plain == (
        "No article contains Stoltenbreg. Did you mean Stoltenberg? (ctrl+y or click)"
    )
    assert suggestion == "Stoltenberg"
    notice, _ = explain(result("Stoltenbreg ?", 0, suggestion="Stoltenberg ?"))
    assert notice.plain.endswith("Did you mean Stoltenberg ? (ctrl+y or click)")


def test_fallback_is_announced_and_plain_results_need_no_notice() -> None:
    notice, suggestion = explain(result("Stoltenberg chocolat", 5, fallback=True))
    assert "No article has all the words of Stoltenberg chocolat" in notice.plain
    assert suggestion is None
    notice, suggestion = explain(result("OTAN", 5))
    assert (notice.plain, suggestion) == ("", None)


def test_query_and_titles_are_text_not_markup() -> None:
    notice, _ = explain(result("[bold]x[/] [link=http://x]y \x1b[31m", 0))
    assert "[bold]x[/] [link=http://x]y" in notice.plain and "\x1b" not in notice.plain
    title = "[b]Titre[/b] " + "long " * 30
    hit = Hit(1, "a.txt", "a.txt", title, dt.date(2023, 1, 30), 1.0, "", [])
    notice, _ = explain(result("similar:a.txt", 3), similar_to=hit)
    assert notice.plain.startswith("Similar to [b]Titre[/b] long")
    assert "…" in notice.plain  # a long title is cut to keep the notice on one line
