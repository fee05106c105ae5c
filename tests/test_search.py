"""Searching the seeds: French matching, ranking, fallback, suggestions, snippets, similar."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import render
from search.engine import Engine
from search.errors import DocumentNotFound
from search.models import Hit, SearchResult, some_words_boundary
from tests.support.contract import HIT_KEYS, RESULT_KEYS
from tests.support.corpora import built_engine, make_corpus
from tui.widgets.hit_list import SOME_WORDS_RULE, hit_prompt

STOLTENBERG_JAPON = "001_a870f075dd85313d.txt"
GAZETTE = "003_531aa19bda4f2adf.txt"


def ids(engine: Engine, query: str, **kw: object) -> list[str]:
    return [h.id for h in engine.search(query, **kw).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "other"),
    [("securite", "sécurité"), ("coree", "Corée"), ("manoeuvre", "manœuvre"), ("COREE", "corée")],
)
def test_accents_and_case_do_not_change_results(engine: Engine, typed: str, other: str) -> None:
    assert ids(engine, typed, limit=50) == ids(engine, other, limit=50)
    assert ids(engine, typed)


def test_unaccented_query_highlights_accented_words(engine: Engine) -> None:
    hit = engine.search("securite").hits[0]
    assert {hit.snippet[s:e].lower() for s, e in hit.snippet_spans} == {"sécurité"}


def test_stemming_finds_singular_from_plural_and_exact_form_ranks_first(engine: Engine) -> None:
    found = ids(engine, "armes anciennes", limit=50)
    assert "stem/arme-seule.txt" in found
    assert found.index("stem/armes-exactes.txt") < found.index("stem/arme-seule.txt")
    found = ids(engine, "arme ancienne", limit=50)
    assert found.index("stem/arme-seule.txt") < found.index("stem/armes-exactes.txt")


def test_elided_forms_are_found(engine: Engine) -> None:
    assert ids(engine, "l’OTAN", limit=50) == ids(engine, "otan", limit=50)
    assert ids(engine, "d'armes", limit=50) == ids(engine, "armes", limit=50)


def test_hyphenated_and_spaced_compounds_find_each_other(engine: Engine) -> None:
    hyphen = set(ids(engine, "États-Unis", limit=50))
    assert hyphen
    assert hyphen == set(ids(engine, "etats unis", limit=50)) == set(ids(engine, "Etats Unis"))
    assert set(ids(engine, "etatsunis", limit=50)) == hyphen


def test_digit_groups_with_spaces_or_no_break_spaces(engine: Engine) -> None:
    joined = ids(engine, "100000")
    assert joined == ids(engine, "100 000") == ids(engine, "100\u00a0000")
    assert joined


def test_documents_with_every_word_rank_before_partial_matches(engine: Engine) -> None:
    result = engine.search("Japon Stoltenberg partenariat")
    assert not result.fallback
    assert result.hits[0].id == STOLTENBERG_JAPON
    result = engine.search("Japon musée")  # no article has both
    assert result.fallback
    assert result.total >= 3
    assert {h.id for h in result.hits} >= {"stem/arme-seule.txt", STOLTENBERG_JAPON}


def test_long_query_with_one_absent_word_still_answers(engine: Engine) -> None:
    result = engine.search("secrétaire général OTAN Corée Japon zanzibar")
    assert result.hits and result.fallback


def test_title_words_weigh_more_than_body_words(engine: Engine) -> None:
    # "Japon" is in the title of 001 and only in the body of others
    assert ids(engine, "Japon")[0] == STOLTENBERG_JAPON


def test_did_you_mean_suggests_real_words_never_stems(engine: Engine) -> None:
    result = engine.search("Stoltenbreg")
    assert result.total == 0
    assert result.suggestion == "Stoltenberg"
    assert engine.search("securiteé").suggestion in {"sécurité", None}
    result = engine.search("partenarait stratégique")
    assert result.suggestion == "partenariat stratégique"


def test_suggestion_keeps_operators_and_other_words(engine: Engine) -> None:
    assert engine.search("Stoltenbreg SAUF Japon").suggestion == "Stoltenberg SAUF Japon"


def test_a_question_s_opening_words_are_never_corrected(engine: Engine) -> None:
    """The search drops them (``Comment`` was offered as ``Comme``); the question's other
    words are still corrected, and a query made of a question word alone is a word."""
    assert engine.search("Comment supprimer un fichier ?").suggestion is None
    assert engine.search("Comment Stoltenbreg ?").suggestion == "Comment Stoltenberg ?"
    assert engine.search("Qu’est-ce que Stoltenbreg ?").suggestion == (
        "Qu’est-ce que Stoltenberg ?"
    )


def test_snippet_is_short_and_spans_point_at_matched_words(engine: Engine) -> None:
    for hit in engine.search("Corée du Sud armes").hits:
        assert len(hit.snippet) <= 210
        assert "\n" not in hit.snippet
        assert hit.snippet_spans
        for s, e in hit.snippet_spans:
            assert hit.snippet[s:e].lower() in {"corée", "sud", "armes", "arme"}


def test_match_spans_cover_the_whole_article_with_variants(engine: Engine) -> None:
    article = engine.article(STOLTENBERG_JAPON)
    terms = engine.highlight_terms("securite japonais")
    title_spans, text_spans = engine.match_spans(STOLTENBERG_JAPON, terms)
    words = {article.text[s:e].lower() for s, e in text_spans}
    assert "sécurité" in words
    assert "japon" in words or "japonais" in words
    assert [article.title[s:e] for s, e in title_spans] == ["Japon"]
    assert text_spans == sorted(text_spans)
    assert max(e for _, e in text_spans) <= len(article.text)


def test_match_spans_reach_past_32k_characters(tmp_path: Path) -> None:
    """Whoosh's own highlighter reads only the first 32K characters of a text; spans read
    from the postings light a word 40K characters in as well."""
    filler = "Le chat dort sur le canapé du salon. " * 1100  # 40,700 characters
    text = f"Un long article\n\n{filler}Enfin la sécurité.\n"
    engine = Engine(make_corpus(tmp_path, {"long.txt": text}, seeds=0), tmp_path / "index")
    try:
        engine.update(full=True)
        result = engine.search("securite")
        stored = engine.article("long.txt").text
        _, spans = engine.match_spans("long.txt", result.highlight_terms)
    finally:
        engine.close()
    assert [stored[start:end] for start, end in spans] == ["sécurité"]
    assert spans[0][0] > 40_000


def test_negated_words_are_not_highlighted(engine: Engine) -> None:
    _, spans = engine.match_spans(GAZETTE, engine.highlight_terms("OTAN SAUF Japon"))
    text = engine.article(GAZETTE).text
    assert spans and all(text[s:e].lower() != "japon" for s, e in spans)


def test_sort_by_date_puts_newest_first_and_undated_last(engine: Engine) -> None:
    hits = engine.search("OTAN", sort="date", limit=50).hits
    dates = [h.date for h in hits]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[: len(dated)] == dated  # undated ones come after


def test_similar_articles_exclude_the_article_itself(engine: Engine) -> None:
    result = engine.similar(STOLTENBERG_JAPON)
    found = [h.id for h in result.hits]
    assert STOLTENBERG_JAPON not in found
    assert found[0].startswith("00")  # another NATO article, not the museum ones
    assert "stem/arme-seule.txt" not in found[:3]


def test_unknown_document_id(engine: Engine) -> None:
    with pytest.raises(DocumentNotFound):
        engine.article("nope.txt")
    with pytest.raises(DocumentNotFound):
        engine.similar("nope.txt")


def test_stats_describe_the_index(engine: Engine, tmp_path: Path) -> None:
    stats = engine.stats()
    assert stats.documents == 8
    assert stats.size_bytes > 0
    assert stats.terms > 100
    assert stats.oldest is not None and stats.newest is not None and stats.oldest < stats.newest


def test_json_shape(engine: Engine) -> None:
    data = engine.search("Corée").to_json()
    assert set(data) == RESULT_KEYS
    hit = data["hits"][0]
    assert set(hit) == HIT_KEYS
    assert hit["rank"] == 1 and isinstance(hit["snippet_spans"][0], list)


@pytest.mark.parametrize("limit", [1, 2, 5, 100])
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_counts_of_every_word_and_some_words_do_not_depend_on_the_limit(
    engine: Engine, limit: int, sort: str
) -> None:
    japon, coree = set(ids(engine, "Japon", limit=100)), set(ids(engine, "Corée", limit=100))
    result = engine.search("Japon Corée", limit=limit, sort=sort)  # type: ignore[arg-type]
    assert result.all_words == len(japon & coree) > 1
    assert result.some_words == len(japon ^ coree) > 1
    assert result.total == len(japon | coree)


def test_hits_say_whether_they_hold_every_word(engine: Engine) -> None:
    both = set(ids(engine, "Japon", limit=100)) & set(ids(engine, "Corée", limit=100))
    hits = engine.search("Japon Corée", limit=100).hits
    assert {h.id for h in hits if h.all_words} == both
    assert any(not h.all_words for h in hits)


def test_date_order_keeps_relevance_scores(engine: Engine) -> None:
    by_date = {h.id: h.score for h in engine.search("OTAN", sort="date", limit=50).hits}
    by_relevance = {h.id: h.score for h in engine.search("OTAN", limit=50).hits}
    assert by_date == pytest.approx(by_relevance)


def test_snippet_does_not_repeat_the_title_line(engine: Engine) -> None:
    # 004 opens with its title line, which also holds "Corée"
    hit = next(h for h in engine.search("Corée").hits if h.id.startswith("004"))
    assert not hit.snippet.startswith("En visite en République de Corée, le secrétaire général")
    assert hit.snippet_spans
    title_only = engine.search("title:Japon").hits[0]
    assert not title_only.snippet.startswith(title_only.title)


MAN_PAGE = """RMDIR(1)              Commandes de l'utilisateur              RMDIR(1)

NOM
       rmdir - Supprimer des répertoires
       vides

SYNOPSIS
       rmdir [OPTION]... RÉPERTOIRE...

DESCRIPTION
       Supprimer le ou les RÉPERTOIRE(s) s'ils sont vides. Un utilisateur peut ainsi ranger.
"""


def test_a_man_page_snippet_skips_its_header_and_name_line(tmp_path: Path) -> None:
    # the title is the NAME line: the snippet showed the running header and the title again
    engine = built_engine(tmp_path, {"man/rmdir.1.txt": MAN_PAGE})
    hit = engine.search("supprimer utilisateur").hits[0]
    assert hit.title == "rmdir - Supprimer des répertoires vides"
    assert "Commandes" not in hit.snippet and "des répertoires vides" not in hit.snippet
    assert "Un utilisateur" in hit.snippet and hit.snippet_spans


def test_did_you_mean_for_a_misspelt_word_that_still_finds_articles(engine: Engine) -> None:
    # "Japonn" finds the "Japon" articles through stemming, but no article spells it so
    result = engine.search("Japonn")
    assert result.total >= 3
    assert result.suggestion == "Japon"
    # a short unknown word may be one still being typed: no suggestion while results exist
    assert engine.search("Jap").suggestion is None


def test_similar_reads_only_the_indexed_part_of_a_long_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the first MAX_INDEXED_CHARS of an article are indexed; similar() analysed the whole
    stored text (a 19 MB article: 609 MB peak and 25 s; now 110 MB and 2.7 s)."""
    from whoosh.searching import Searcher

    from search import engine as engine_module
    from search import indexer

    limit = 2_000
    monkeypatch.setattr(indexer, "MAX_INDEXED_CHARS", limit)
    monkeypatch.setattr(engine_module, "MAX_INDEXED_CHARS", limit)
    head = "Stoltenberg OTAN Japon Corée partenariat. " * (limit // 40)
    tail = "hippopotame girafe " * 5_000  # far past the limit, never indexed
    long_engine = built_engine(tmp_path, {"long.txt": f"Long\n\n{head}{tail}"})
    analysed: list[int] = []
    real = Searcher.key_terms_from_text

    def spy(self: Searcher, fieldname: str, text: str, **kwargs: object) -> object:
        analysed.append(len(text))
        return real(self, fieldname, text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Searcher, "key_terms_from_text", spy)
    result = long_engine.similar("long.txt")
    long_engine.close()
    assert analysed and max(analysed) <= limit + len("Long\n")
    assert result.hits and "hippopotam" not in result.highlight_terms["body"]


def test_cli_text_shows_where_hits_with_some_words_begin(engine: Engine) -> None:
    result = engine.search("Japon Corée", limit=100)
    lines = render.result_lines(result, color=False)
    assert lines.count(render.SOME_WORDS_RULE) == 1
    first_partial = next(n for n, h in enumerate(result.hits) if not h.all_words)
    before = lines[: lines.index(render.SOME_WORDS_RULE)]
    assert sum(1 for line in before if line[:1].isdigit()) == first_partial > 0
    assert f"({result.all_words} with every word, {result.some_words} with some)" in lines[-1]


def test_app_hit_list_draws_the_boundary_once(engine: Engine) -> None:
    hits = engine.search("Japon Corée", limit=100).hits
    first = some_words_boundary(hits)
    assert first is not None and not hits[first].all_words and hits[first - 1].all_words
    assert SOME_WORDS_RULE in hit_prompt(hits[first], first_partial=True).plain
    assert "(some words)" in hit_prompt(hits[first]).plain
    assert some_words_boundary([h for h in hits if not h.all_words]) is None


def test_the_some_words_rule_opens_the_run_of_partial_hits_or_is_left_out() -> None:
    """Both hits of ``otan "corée du sud" -japon`` on the seeds hold only some of the words:
    no rule (it was drawn after the first one). Soft coordination can rank a partial hit
    among complete ones: it is tagged, and the rule comes where only partial hits follow."""

    def hit(rank: int, all_words: bool) -> Hit:
        return Hit(rank, f"{rank}.txt", "", f"titre {rank}", None, 1.0, "", [], all_words=all_words)

    def cli_lines(flags: list[bool]) -> list[str]:
        hits = [hit(n, flag) for n, flag in enumerate(flags, start=1)]
        all_words = sum(flags)
        result = SearchResult("q", len(hits), 1.0, hits, all_words=all_words)
        return [line for line in render.result_lines(result, color=False) if line]

    def ruled_before(flags: list[bool]) -> int | None:
        lines = cli_lines(flags)
        if render.SOME_WORDS_RULE not in lines:
            return None
        return int(lines[lines.index(render.SOME_WORDS_RULE) + 1].split(".")[0])

    assert ruled_before([False, False, False]) is None
    assert ruled_before([True, True]) is None
    assert ruled_before([True, False, False]) == 2
    assert ruled_before([False, True, False]) == 3
    assert ruled_before([True, False, True, False]) == 4
    assert ruled_before([False, True]) is None
    # the app's hit list rules off the same hit
    assert some_words_boundary([hit(1, False), hit(2, True), hit(3, False)]) == 2
    assert some_words_boundary([hit(1, False), hit(2, False)]) is None


def test_a_pattern_is_looked_up_in_the_lexicon_once_per_search(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search.lexicon import Lexicon

    looked_up: list[str] = []
    real_prefix, real_within = Lexicon.with_prefix, Lexicon.within

    def with_prefix(self: Lexicon, prefix: str, limit: int) -> list[str]:
        looked_up.append(prefix)
        return real_prefix(self, prefix, limit)

    def within(self: Lexicon, word: str, maxdist: int, limit: int) -> list[str]:
        looked_up.append(word)
        return real_within(self, word, maxdist, limit)

    monkeypatch.setattr(Lexicon, "with_prefix", with_prefix)
    monkeypatch.setattr(Lexicon, "within", within)
    result = engine.search("otan secur*")
    assert result.total and looked_up == ["secur"]  # it was 4: title and body, strict and relaxed
    looked_up.clear()
    assert engine.search("Stoltenbreg~").total
    assert looked_up == ["stoltenbreg"]


QUESTION_ARTICLES = {
    "man/rm.txt": "rm\n\nrm permet de supprimer des fichiers. "
    + "Les options modifient le comportement de la commande. " * 8
    + "\n",
    "guide/questions.txt": (
        "Questions fréquentes\n\nComment lire un fichier ? Comment l'ouvrir ? Comment "
        "savoir ce qu'il contient ? Chaque réponse dit comment faire.\n"
    ),
}


@pytest.mark.parametrize(
    "question", ["Comment supprimer un fichier ?", "comment supprimer un fichier"]
)
def test_a_question_finds_the_page_about_its_subject_first(tmp_path: Path, question: str) -> None:
    # "comment" asks how: it is not the subject, and a page saying it four times (a FAQ about
    # reading files) must not outrank the page about removing files
    engine = built_engine(tmp_path, QUESTION_ARTICLES)
    assert ids(engine, question)[0] == "man/rm.txt"
    assert ids(engine, question) == ids(engine, "supprimer un fichier")


@pytest.mark.parametrize("question", ["comment -fichier", "pourquoi NOT fichier ?"])
def test_a_question_with_only_an_excluded_word_left_keeps_its_question_word(
    tmp_path: Path, question: str
) -> None:
    # without its question word it would list every article lacking "fichier", all alike
    engine = built_engine(tmp_path, {**QUESTION_ARTICLES, "autre.txt": "Autre\n\nDe la cuisine.\n"})
    assert ids(engine, question) == []  # the one article saying comment/pourquoi has fichier
    assert ids(engine, "comment -supprimer") == ["guide/questions.txt"]


_ASIDE = "Le reste du texte parle d'autre chose, de cuisine et de voyages. "
LEAD_ARTICLES = {
    "lead/sujet.txt": "Notes\n\nOn copie le disque entier pour une sauvegarde complète. "
    + _ASIDE * 16
    + "\n",
    "lead/passage.txt": "Notes diverses\n\n"
    + _ASIDE * 10
    + "On copie aussi le disque pour une sauvegarde.\n",
}


_FILLER = "Le reste du texte parle d'autre chose, de cuisine et de voyages. "
PAGED_ARTICLES = {
    # 35 short notes naming the two words once, past their lead: plain BM25 ranks them first
    **{
        f"notes/{n:02}.txt": f"Note {n}\n\n" + _FILLER * 12 + "Un wombat et un koala.\n"
        for n in range(35)
    },
    # a long article that opens with them: the lead lifts it above the notes, from 36th by BM25
    "long/sujet.txt": "Dossier\n\nLe wombat et le koala. " + _FILLER * 60 + "\n",
}


def test_the_first_hits_do_not_depend_on_the_limit(tmp_path: Path) -> None:
    # the CLI asks for 10 hits, the app for pages of 50: the same query must show the same top
    engine = built_engine(tmp_path, PAGED_ARTICLES)
    page = ids(engine, "wombat koala", limit=50)
    assert page[0] == "long/sujet.txt"
    assert ids(engine, "wombat koala", limit=10) == page[:10]


def test_an_article_that_starts_with_the_query_words_ranks_first(tmp_path: Path) -> None:
    # both hold each word once; the longer one opens with them (it is about them), the shorter
    # one mentions them in passing at its end: plain BM25 preferred the shorter
    engine = built_engine(tmp_path, LEAD_ARTICLES)
    assert ids(engine, "sauvegarde disque")[:2] == ["lead/sujet.txt", "lead/passage.txt"]
