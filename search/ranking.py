"""How hits are ordered: the settings of the ranking, collection of the top documents, and the
exact-form bonus.

Every number the ranking reads lives in :class:`RankingSettings`, a frozen object the engine is
given (``Engine(corpus, index, ranking=RankingSettings(title_weight=2.0))``): the benchmark
compares settings by building engines with other values, never by patching this module.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from whoosh import collectors, scoring
from whoosh import query as wq
from whoosh.searching import Searcher

from search import placement, postings
from search.analysis import fold
from search.lexicon import Words
from search.models import SortOrder
from search.query import ParsedQuery, WordTerm, exact_words
from search.schema import column

Found = list[tuple[int, float]]
"""(docnum, score) pairs, best first."""


@dataclass(frozen=True)
class RankingSettings:
    """The knobs of fouille's ranking, with the values the benchmark chose (bench/REPORT.md
    shows them, bench/findings.md how they were chosen)."""

    title_weight: float = 1.0
    """BM25F weight of the title field. The title line is also part of the body, so at 1.0 a
    title word weighs twice a body word. Measured with the lead (bench/findings.md,
    2026-12-01), MRR@10 typed / inflected: man pages without NOM 0.708 / 0.680 at 0.5,
    0.712 / 0.693 at 1.0, 0.705 / 0.690 at 1.5; manual sections 0.546 / 0.532, 0.553 / 0.538,
    0.551 / 0.538; full man pages and questions also gain at 1.0."""
    body_weight: float = 1.0
    exact_boost: float = 0.25
    """Weight of the exact-form bonus (a BM25F score of the word as typed) beside the stem's
    score: a query typed ``paquets`` should prefer pages with ``paquets``, but not bury
    ``paquet``. 0.25 with coordination 0.5 beat 0.5 on inflected queries in every set
    (bench/findings.md)."""
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    """Whoosh's BM25F defaults, which rank the stems: the exact-form bonus is scored alike."""
    rerank_depth: int = 20
    """Candidates ranked beyond the limit, so the exact-form bonus can lift one into the top."""
    stable_hits: int = 50
    """In the default ranking (not ``every_word_first``), the first this many hits are the same
    whatever the limit asked (the CLI's 10, the app's pages of 50): the bonus and the lead
    re-rank at least this many plus :attr:`rerank_depth` candidates. With the pool following
    the limit, ``--limit 10`` and ``--limit 50`` showed different top tens (the lead can
    triple a score). Measured at
    ``--limit 10``, MRR@10 typed/inflected: without NOM 0.712/0.694 (0.711/0.692 with the pool
    following the limit), manual sections 0.554/0.539 (the same)."""
    every_word_first: bool = False
    """Documents holding every query word before those holding only some (two tiers, as before
    issue 8); when False, any-word queries are ranked as one list, scaled by
    :attr:`coordination`. Measured (bench/findings.md, MRR@10 typed): one list with coordination
    0.5 and exact-form bonus 0.25 gives 0.922 on full man pages (tiers: 0.926), 0.625 without
    NOM sections (0.597) and 0.520 on manual sections (0.481)."""
    coordination: float = 0.5
    """Without ``every_word_first``: each score is multiplied by (words held / words typed) to
    this power; 0 is plain ranked OR, higher values favour articles holding more words."""
    lead: float = 2.0
    """Weight of the lead (:mod:`search.placement`): the best candidates' scores are multiplied
    by 1 + lead × (idf share of the query words found among the body's first
    :attr:`lead_positions` word positions). An article that states the query's subject at its
    start is about it; one that mentions it further down is less likely to be. Measured
    (bench/findings.md, 2026-12-01), MRR@10 typed / inflected: man pages without NOM
    0.628 / 0.583 → 0.707 / 0.678, manual sections 0.527 / 0.516 → 0.545 / 0.533 (chosen on the
    first set, confirmed on the second)."""
    lead_positions: int = 50
    proximity: float = 0.0
    """Weight of the proximity of the query words, in the same stage: 1 + proximity × (idf share
    of the distinct query words found within :attr:`proximity_window` body positions). Measured
    and left at 0: it gained on the man pages without NOM (0.628 → 0.662 alone, +0.004 beside
    the lead) and lost on the manual sections (0.527 → 0.489), whose sections are longer."""
    proximity_window: int = 5

    @property
    def field_boosts(self) -> Mapping[str, float]:
        return {"title": self.title_weight, "body": self.body_weight}

    def weighting(self) -> scoring.BM25F:
        """The scoring of the stems, for the engine's searchers."""
        return scoring.BM25F(B=self.bm25_b, K1=self.bm25_k1)

    def describe(self) -> str:
        """The settings that differ from the defaults, for benchmark labels (``""`` if none)."""
        default = RankingSettings()
        changed = [
            f"{name} {getattr(self, name):g}"
            if not isinstance(getattr(self, name), bool)
            else f"{name} {'on' if getattr(self, name) else 'off'}"
            for name in self.__dataclass_fields__
            if getattr(self, name) != getattr(default, name)
        ]
        return ", ".join(changed)


DEFAULT_RANKING = RankingSettings()


@dataclass(frozen=True)
class Ranked:
    """The top documents of a query, and how many articles hold every word or only some."""

    found: Found
    all_words: int
    some_words: int = 0
    partial: frozenset[int] = frozenset()  # docnums of ``found`` that hold only some words

    @property
    def total(self) -> int:
        return self.all_words + self.some_words

    @property
    def fallback(self) -> bool:
        """No document holds every word: the hits hold only some."""
        return self.all_words == 0 and bool(self.found)


def rank(
    searcher: Searcher,
    parsed: ParsedQuery,
    settings: RankingSettings,
    *,
    limit: int,
    sort: SortOrder = "relevance",
    lexicon: Callable[[], Words],
) -> Ranked:
    """The ``limit`` best documents of a parsed query, and exact counts of the articles that
    hold every word and of those that hold only some (whatever the limit).

    A query of several words (no explicit ``AND``/``ET``) ranks every article holding any of
    them by BM25F, scaled by the share of the words it holds (:attr:`RankingSettings.
    coordination`): more words rank higher, and an article missing one word can still beat one
    that holds them all only in passing; the best candidates
    (:attr:`RankingSettings.stable_hits`) are then scored again by where their query words
    stand (:func:`placed`). With ``every_word_first`` (or sorted by date), the articles with
    every word come first, then the others. ``lexicon`` is called only when the exact-form
    bonus needs it.

    Ranked by relevance, one scored pass (:func:`scored_pass`) gives every matching article's
    score and how many of the words it holds: the ranking and both counts at once.
    """
    strict = parsed.strict if parsed.strict is not None else wq.Every()
    limit = max(1, limit)
    relaxed = parsed.relaxed
    bonus = exact_words(parsed.strict)
    words = lexicon() if bonus and settings.exact_boost else None
    parts = relaxed_parts(relaxed) if relaxed is not None else [strict]
    negatives = relaxed_negatives(relaxed) if relaxed is not None else []
    totals, held = scored_pass(searcher, parts, negatives, parsed.date_filter)
    complete = [d for d, count in held.items() if count == len(parts)]

    def top(docnums: Iterable[int], n: int) -> Found:
        return _top(searcher, totals, docnums, n, sort, settings, bonus, words)

    if relaxed is None:
        return Ranked(top(totals, limit), len(totals))
    some = len(totals) - len(complete)
    if sort == "date" or settings.every_word_first:  # every word first, then some
        found = top(complete, limit)
        room = limit - len(found)
        more = top((d for d in totals if held[d] < len(parts)), max(1, room))[: max(0, room)]
        return Ranked(found + more, len(complete), some, frozenset(d for d, _ in more))
    # the candidates: the best by score among all articles and among those holding every
    # word, each pool re-ranked with the exact-form bonus and cut to ``depth``
    depth = max(limit, settings.stable_hits) + settings.rerank_depth
    anyword = best(totals, totals, depth + settings.rerank_depth)
    every = best(totals, complete, depth + settings.rerank_depth)
    shares = {d: (held[d] / len(parts)) ** settings.coordination for d, _ in anyword + every}
    factor: dict[int, float] = {}  # each candidate's placement factor, once read

    def final(extra: dict[int, float]) -> Found:
        """The candidates re-ranked with these bonuses, cut, scaled and placed."""
        scores = dict(_with_bonus(anyword, extra)[:depth])
        scores.update(_with_bonus(every, extra)[:depth])
        found = [(d, score * shares[d]) for d, score in scores.items()]
        found.sort(key=lambda pair: -pair[1])
        found = found[:depth]
        unknown = [d for d, _ in found if d not in factor]
        factor.update(placement_factors(searcher, unknown, parsed, settings))
        return placed(found, factor)[:limit]

    if bonus and words is not None and settings.exact_boost:
        found = _with_fewest_texts(
            searcher,
            anyword,
            every,
            shares,
            factor,
            final,
            parsed,
            depth,
            limit,
            bonus,
            words,
            settings,
        )
    else:
        found = final({})
    partial = frozenset(d for d, _ in found if held[d] < len(parts))
    return Ranked(found, len(complete), some, partial)


_MARGIN = 1e-9
"""Relative room given to an upper bound computed in floating point."""


def _with_fewest_texts(
    searcher: Searcher,
    anyword: Found,
    every: Found,
    shares: dict[int, float],
    factor: dict[int, float],
    final: Callable[[dict[int, float]], Found],
    parsed: ParsedQuery,
    depth: int,
    limit: int,
    bonus: list[WordTerm],
    words: Words,
    settings: RankingSettings,
) -> Found:
    """``final`` of the exact-form bonuses of every candidate, reading the stored texts of as
    few of them as proves the same result.

    The bonus of a candidate needs its text (which occurrences of the stem are the word as
    typed), decompressed from the index the first time: ~10 ms for the ~90 candidates of a cold
    ``fouille search`` on the man pages. Without the text, the stem's occurrences bound the
    bonus from above (:func:`exact_form_bonus` with ``bound``), and the placement factor (×1 to
    ×3, from positions) is known. The candidates are taken best possible final score first,
    their texts read and the result computed with the others' bonuses at 0, until the result is
    proved whatever the others' bonuses are (:func:`_proved`); else every text is read, as
    before. The floats are the same either way: a candidate's bonus does not depend on the
    others. When most texts are already in the searcher's cache, they are all used at once."""
    pool_a = [d for d, _ in anyword]
    pool_e = [d for d, _ in every]
    stem_score = dict(anyword)
    stem_score.update(every)
    candidates = sorted(stem_score)
    cache = postings.cache_of(searcher)
    if sum(1 for d in candidates if not cache.has_stored(d)) <= 2 * limit:
        # the texts are at hand (a warm searcher): proving costs more than reading them
        return final(exact_form_bonus(searcher, candidates, bonus, words, settings))
    bound = exact_form_bonus(searcher, candidates, bonus, words, settings, bound=True)
    factor.update(placement_factors(searcher, candidates, parsed, settings))
    ceiling = {
        d: (stem_score[d] + bound[d]) * shares[d] * factor[d] * (1 + _MARGIN) for d in candidates
    }
    order = sorted(candidates, key=lambda d: -ceiling[d])
    exact: dict[int, float] = {}
    take = 2 * limit
    while True:
        wanted = sorted(d for d in order[:take] if d not in exact)
        exact.update(exact_form_bonus(searcher, wanted, bonus, words, settings))
        if len(exact) == len(candidates):
            return final(exact)
        found = final({d: exact.get(d, 0.0) for d in candidates})
        if _proved(
            found, exact, stem_score, bound, shares, factor, ceiling, pool_a, pool_e, depth, limit
        ):
            return found
        take *= 2


def _proved(
    found: Found,
    exact: dict[int, float],
    stem_score: dict[int, float],
    bound: dict[int, float],
    shares: dict[int, float],
    factor: dict[int, float],
    ceiling: dict[int, float],
    pool_a: list[int],
    pool_e: list[int],
    depth: int,
    limit: int,
) -> bool:
    """True when ``found`` (computed with the bonuses of ``exact`` and 0 for the other
    candidates) is the result whatever the others' bonuses are (between 0 and ``bound``)."""
    if len(found) < limit or any(d not in exact for d, _ in found):
        return False
    finals = [score for _, score in found]
    # the best each candidate's score with its bonus can be, then scaled by the coordination
    # (for those whose bonus is known: their score, the same float as the ranking's)
    top = {
        d: stem_score[d] + exact[d] if d in exact else (stem_score[d] + bound[d]) * (1 + _MARGIN)
        for d in stem_score
    }
    scaled = {d: top[d] * shares[d] for d in stem_score}

    def surely_within(d: int, pool: list[int], values: dict[int, float]) -> bool:
        """``d`` is among the first ``depth`` of ``pool`` ordered by ``values``."""
        return sum(1 for e in pool if e != d and values[e] >= values[d]) < depth

    for d, score in found:
        in_a = d in pool_a and surely_within(d, pool_a, top)
        in_e = d in pool_e and surely_within(d, pool_e, top)
        if not (in_a or in_e) or not surely_within(d, list(stem_score), scaled):
            return False
        # hits of equal scores keep the order they had before: that of the pool of every
        # article when they are surely in its first ``depth`` (the other pool's hits follow
        # them, and which of them are there could depend on the others' bonuses)
        if finals.count(score) > 1 and not in_a:
            return False
    members = {d for d, _ in found}
    last = finals[-1]
    return all(
        e in members or (scaled[e] * factor[e] if e in exact else ceiling[e]) < last
        for e in stem_score
    )


def _top(
    searcher: Searcher,
    totals: dict[int, float],
    docnums: Iterable[int],
    limit: int,
    sort: SortOrder,
    settings: RankingSettings,
    bonus: list[WordTerm],
    words: Words | None,
) -> Found:
    """The ``limit`` best of ``docnums``: by score, the exact-form bonus re-ranking
    :attr:`RankingSettings.rerank_depth` more candidates; by date, newest first (undated
    last, equal dates by score), the bonus added to the scores shown."""
    if sort == "date":
        found = sorted(((d, totals[d]) for d in docnums), key=lambda pair: (-pair[1], pair[0]))
        dates = column(searcher.reader(), "date")
        found.sort(key=lambda pair: dates[pair[0]], reverse=True)
        found = found[:limit]
        extra = _bonus_of(searcher, found, bonus, words, settings)
        return [(d, score + extra[d]) for d, score in found] if extra else found
    pool = best(totals, docnums, limit + settings.rerank_depth)
    return _with_bonus(pool, _bonus_of(searcher, pool, bonus, words, settings))[:limit]


def placed(found: Found, factor: dict[int, float]) -> Found:
    """The proximity and lead stage (:mod:`search.placement`) over the best candidates
    ``found``: each score times its placement factor (:func:`placement_factors`), best first
    (equal scores keep their order)."""
    scored = [(d, score * factor[d]) for d, score in found]
    scored.sort(key=lambda pair: -pair[1])
    return scored


def relaxed_parts(relaxed: wq.Query) -> list[wq.Query]:
    """The words (or phrases, or groups) of an any-word query, each counted once."""
    anyword = relaxed.subqueries[0] if isinstance(relaxed, wq.And) else relaxed
    return list(anyword.subqueries) if isinstance(anyword, wq.Or) else [anyword]


def relaxed_negatives(relaxed: wq.Query) -> list[wq.Not]:
    """The ``NOT`` parts of an any-word query (see :func:`search.query._relax`)."""
    if not isinstance(relaxed, wq.And):
        return []
    return [q for q in relaxed.subqueries[1:] if isinstance(q, wq.Not)]


NOT_SCORE = 1.0
"""What Whoosh adds to a document's score for each ``NOT`` part it passes (the weight of its
``InverseMatcher``): added alike, so the scores stay Whoosh's."""


def scored_pass(
    searcher: Searcher,
    parts: list[wq.Query],
    negatives: list[wq.Not],
    allow: wq.Query | None = None,
) -> tuple[dict[int, float], dict[int, int]]:
    """Every document matching any of ``parts`` (none of ``negatives``, and ``allow`` if
    given): its score (the sum of its parts' scores, as Whoosh scores the ``Or`` of them) and
    how many of the parts it holds."""
    cache = postings.cache_of(searcher)
    totals: dict[int, float] = {}
    held: dict[int, int] = {}
    for part in parts:
        scores = part_scores(searcher, cache, part)
        _add(totals, scores)
        if not held:
            held.update(dict.fromkeys(scores, 1))
            continue
        for docnum in scores:
            held[docnum] = held.get(docnum, 0) + 1
    dropped: set[int] = set()
    for negative in negatives:
        dropped.update(part_scores(searcher, cache, negative.query))
    if allow is not None:
        allowed = set(searcher.docs_for_query(allow))
        dropped.update(d for d in totals if d not in allowed)
    for docnum in dropped:
        if docnum in totals:
            del totals[docnum], held[docnum]
    if negatives:
        for docnum in totals:
            for _ in negatives:
                totals[docnum] += NOT_SCORE
    return totals, held


_PLAIN_TERMS = (wq.Term, WordTerm)  # not ExactWordTerm, which filters with the stored text


def part_scores(searcher: Searcher, cache: postings.SearcherCache, q: wq.Query) -> dict[int, float]:
    """``docnum -> score`` of every document ``q`` matches, scored as Whoosh scores it: words
    and ORs of words from the searcher's decoded postings, anything else (phrases, groups,
    exact words) through Whoosh's own matcher."""
    if type(q) in _PLAIN_TERMS and q.fieldname in searcher.schema:
        docnums, scores = cache.term_scores(q.fieldname, q.text)
        if q.boost == 1.0:
            return dict(zip(docnums, scores, strict=True))
        boost = q.boost
        return {d: s * boost for d, s in zip(docnums, scores, strict=True)}
    found: dict[int, float]
    if type(q) is wq.Phrase and q.slop == 1 and _has_positions(searcher, q.fieldname):
        found = _phrase_scores(cache, q.fieldname, list(q.words))
    elif type(q) is wq.Or and not q.minmatch and not q.scale:
        found = {}
        for sub in q.subqueries:
            _add(found, part_scores(searcher, cache, sub))
    elif type(q) is wq.And and any(not isinstance(sub, wq.Not) for sub in q.subqueries):
        nots = [sub.query for sub in q.subqueries if isinstance(sub, wq.Not)]
        required = [sub for sub in q.subqueries if not isinstance(sub, wq.Not)]
        tables = [part_scores(searcher, cache, sub) for sub in required]
        common = set(tables[0]).intersection(*tables[1:])
        for sub in nots:
            common.difference_update(part_scores(searcher, cache, sub))
        found = {}
        for table in tables:
            for docnum in common:
                found[docnum] = found.get(docnum, 0.0) + table[docnum]
        for _ in nots:
            for docnum in common:
                found[docnum] += NOT_SCORE
    else:
        return _whoosh_scores(searcher, q)
    if q.boost != 1.0:
        found = {d: s * q.boost for d, s in found.items()}
    return found


def _has_positions(searcher: Searcher, fieldname: str) -> bool:
    return fieldname in searcher.schema and searcher.schema[fieldname].format.supports("positions")


def _phrase_scores(
    cache: postings.SearcherCache, fieldname: str, words: list[str]
) -> dict[int, float]:
    """The documents holding ``words`` at successive positions, each scored as Whoosh scores
    a phrase: the sum of its words' scores, added as its binary tree of matchers adds them."""
    tables = [dict(zip(*cache.term_scores(fieldname, word), strict=True)) for word in words]
    common = sorted(set(tables[0]).intersection(*tables[1:]))
    if not common:
        return {}
    where = {word: cache.positions(fieldname, word, common) for word in set(words)}
    found: dict[int, float] = {}
    for docnum in common:
        starts = set(where[words[0]][docnum])
        for i, word in enumerate(words[1:], start=1):
            starts.intersection_update(p - i for p in where[word][docnum])
            if not starts:
                break
        else:
            found[docnum] = _tree_sum([table[docnum] for table in tables])
    return found


def _tree_sum(scores: list[float]) -> float:
    """``scores`` added two halves at a time, as Whoosh's ``make_binary_tree`` of
    ``IntersectionMatcher`` adds them (the same float, to the last bit)."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _tree_sum(scores[:half]) + _tree_sum(scores[half:])


def _add(totals: dict[int, float], scores: dict[int, float]) -> None:
    """Adds ``scores`` to ``totals``, document by document (each sum in the order of the
    calls, as Whoosh's ``Or`` adds its parts' scores)."""
    if not totals:
        totals.update(scores)  # 0.0 + score is score
        return
    for docnum, score in scores.items():
        totals[docnum] = totals.get(docnum, 0.0) + score


def _whoosh_scores(searcher: Searcher, q: wq.Query) -> dict[int, float]:
    """``docnum -> score`` of the documents ``q`` matches, through Whoosh's own matcher."""
    found = {}
    for sub, offset in searcher.leaf_searchers():
        matcher = q.matcher(sub)
        while matcher.is_active():
            found[matcher.id() + offset] = matcher.score()
            matcher.next()
    return found


def best(scores: dict[int, float], docnums: Iterable[int], n: int) -> Found:
    """The ``n`` best of ``docnums`` by score, ties in docnum order (as Whoosh's collector)."""
    top = heapq.nsmallest(n, ((-scores[d], d) for d in docnums))
    return [(d, -negative) for negative, d in top]


def _bonus_of(
    searcher: Searcher,
    found: Found,
    bonus: list[WordTerm],
    words: Words | None,
    settings: RankingSettings,
) -> dict[int, float]:
    if not bonus or words is None or not settings.exact_boost:
        return {}
    return exact_form_bonus(searcher, sorted({d for d, _ in found}), bonus, words, settings)


def _with_bonus(found: Found, extra: dict[int, float]) -> Found:
    """``found`` with each score plus its bonus, best first (ties keep their order)."""
    if not extra:
        return found
    scored = [(d, score + extra[d]) for d, score in found]
    scored.sort(key=lambda pair: -pair[1])
    return scored


def collect(
    searcher: Searcher,
    q: wq.Query,
    settings: RankingSettings,
    *,
    limit: int,
    sort: SortOrder = "relevance",
) -> tuple[Found, int]:
    """The top ``limit`` (docnum, score) pairs of ``q`` by Whoosh's collectors, and how many
    documents match in all: for queries that are not made of words (the newest articles)."""
    top: collectors.ScoredCollector
    if sort == "date":
        top = collectors.UnlimitedCollector()
    else:
        top = collectors.TopCollector(limit=limit, usequality=False, replace=0)
    searcher.search_with_collector(q, top)
    results = top.results()
    found = [(hit.docnum, hit.score) for hit in results]
    if sort == "date":  # newest first, undated last; scores stay relevance scores
        dates = column(searcher.reader(), "date")
        found.sort(key=lambda pair: dates[pair[0]], reverse=True)
    return found[:limit], len(results)


def exact_form_bonus(
    searcher: Searcher,
    docnums: list[int],
    words: list[WordTerm],
    lexicon: Words,
    settings: RankingSettings,
    *,
    bound: bool = False,
) -> dict[int, float]:
    """The BM25F score each of the sorted ``docnums`` would get for its exact-form
    occurrences as a term of their own: counted at the stored offsets of the stem, weighted by
    how rare the exact word is (its article count in the lexicon). With ``bound``, an upper
    bound of it without the stored texts: every occurrence of the stem counted as the exact
    form (the score grows with the count)."""
    if not docnums:  # nothing to add to (and an empty index has no rarity: log of 0)
        return {}
    extra = dict.fromkeys(docnums, 0.0)
    reader = searcher.reader()
    articles = reader.doc_count_all()
    k1, b = settings.bm25_k1, settings.bm25_b
    cache = postings.cache_of(searcher)  # each article decompressed once, for every field
    for word in words:
        idf = math.log(articles / (lexicon.doc_count(word.exact) + 1)) + 1
        avg_length = searcher.avg_field_length(word.fieldname) or 1
        counts = cache.exact_counts.setdefault((word.fieldname, word.text, word.exact), {})
        for docnum, spans in cache.spans(word.fieldname, word.text, docnums).items():
            tf = len(spans) if bound else counts.get(docnum)
            if tf is None:
                text = cache.stored_fields(docnum).get(word.fieldname, "") if spans else ""
                tf = counts[docnum] = sum(
                    1 for s, e in spans if fold(text[s:e].lower()) == word.exact
                )
            if tf:
                length = reader.doc_field_length(docnum, word.fieldname, 1) / avg_length
                bm25 = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length))
                extra[docnum] += settings.exact_boost * word.boost * bm25
    return extra


def placement_factors(
    searcher: Searcher, docnums: list[int], parsed: ParsedQuery, settings: RankingSettings
) -> dict[int, float]:
    """What the proximity and lead stage multiplies each of ``docnums``'s score by (1 when it
    places nothing). Reads only the body postings of the query's stems at these candidates."""
    stems = [w.text for w in exact_words(parsed.strict) if w.fieldname == placement.BODY]
    return placement.factors(
        searcher,
        docnums,
        stems,
        proximity=settings.proximity,
        window=settings.proximity_window,
        lead=settings.lead,
        lead_positions=settings.lead_positions,
    )
