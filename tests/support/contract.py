"""The JSON that scripts read (``fouille search --json``, ``SearchResult.to_json``): its keys,
named once for the engine's and the command's tests. Adding a key is a change of contract:
say it in the README's JSON section too."""

from __future__ import annotations

RESULT_KEYS = {
    *("query", "total", "took_ms", "suggestion", "fallback", "only_stop_words"),
    *("all_words", "some_words", "variants", "hits"),
}
HIT_KEYS = {
    *("rank", "id", "path", "title", "date", "score", "snippet", "snippet_spans"),
    *("source", "author", "all_words"),
}
