"""Titles and dates as a reader would state them, on the real seeds and on the usual layouts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.metadata import extract_date, extract_source, extract_title, outlet_name
from search.textclean import clean_text, decode
from tests.support.corpora import SEEDS


def seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return clean_text(decode(path.read_bytes()))


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        ("000", "Stoltenberg, en tournée en Asie pour exiger plus d’armes pour l’Ukraine"),
        (
            "001",
            "Le chef de l’OTAN, Stoltenberg, exhorte le Japon à rejoindre un partenariat plus fort",
        ),
        # A first paragraph, not a headline: its first sentence, without the "SÉOUL (AP) –"
        # dateline, cut at a clause break.
        (
            "002",
            "Le secrétaire général de l’OTAN, Jens Stoltenberg, a appelé lundi la Corée du Sud à "
            "fournir un soutien militaire direct à l’Ukraine…",
        ),
        # The masthead "Lagazette" is not the title.
        (
            "003",
            "LE CHEF DE L'OTAN S'ALARME DU PARTENARIAT STRATÉGIQUE ENTRE LA RUSSIE ET LA CORÉE "
            "DU NORD",
        ),
        (
            "004",
            "En visite en République de Corée, le secrétaire général souligne l’importance des "
            "partenariats de l’OTAN à l’échelle mondiale",
        ),
    ],
)
def test_seed_titles(prefix: str, title: str) -> None:
    assert extract_title(seed_text(prefix)) == title


@pytest.mark.parametrize(
    ("prefix", "date"),
    [
        ("000", dt.date(2023, 1, 30)),  # "Mis à jour le lundi 30 janvier 2023 – 13:56"
        ("001", None),  # only "lundi", "mardi" and "en 2022": no publication date stated
        ("002", None),  # "lundi", "dimanche", "en novembre", "en 2022": none either
        ("003", dt.date(2024, 6, 21)),  # "21 Juin 2024 11:21 (UTC+01:00)"
        ("004", dt.date(2023, 1, 30)),  # "ce lundi (30 janvier 2023)"
    ],
)
def test_seed_dates(prefix: str, date: dt.date | None) -> None:
    assert extract_date(seed_text(prefix)) == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Mis à jour le lundi 30 janvier 2023 – 13:56", dt.date(2023, 1, 30)),
        ("21 Juin 2024 11:21 (UTC+01:00)", dt.date(2024, 6, 21)),
        ("s’est entretenu ce lundi (30 janvier 2023) avec", dt.date(2023, 1, 30)),
        ("Publié le 30/01/2023 à 08h00", dt.date(2023, 1, 30)),
        ("2023-01-30T13:56:00+01:00", dt.date(2023, 1, 30)),
        ("Le 1er mars 2022, à Kyiv", dt.date(2022, 3, 1)),
        ("le 14 février 2024", dt.date(2024, 2, 14)),
        ("le 14 fevrier 2024", dt.date(2024, 2, 14)),
        ("15 août 2021", dt.date(2021, 8, 15)),
        ("15 aout 2021", dt.date(2021, 8, 15)),
        ("3 DÉCEMBRE 2020", dt.date(2020, 12, 3)),
        ("3 decembre 2020", dt.date(2020, 12, 3)),
        ("12 sept. 2019", dt.date(2019, 9, 12)),
        ("June 21, 2024", dt.date(2024, 6, 21)),
        ("30.01.2023", dt.date(2023, 1, 30)),
    ],
)
def test_date_formats(text: str, date: dt.date) -> None:
    assert extract_date(f"Un titre\n{text}\nLe texte.") == date


@pytest.mark.parametrize(
    "text",
    [
        "Aucune date ici, seulement lundi et mardi.",
        "Des essais de missiles en 2022 et en novembre.",  # a year or a month is not a date
        "le 31 février 2023",  # no such day
        "le 30/13/2023",  # no such month
        "le 12 mars 1850",  # outside 1900..2100
        "le 12 mars 2150",
        "version 4.12.03.2023",  # a longer dotted number (version, address) is not a date
        "",
    ],
)
def test_no_date(text: str) -> None:
    assert extract_date(text) is None


def test_date_far_down_the_article_is_an_event_not_the_publication_date() -> None:
    body = "\n".join(f"Paragraphe {n} sans date aucune." for n in range(20))
    assert extract_date(f"Titre\n{body}\nLe 24 février 2022, la Russie a envahi l’Ukraine.") is None


def test_stated_date_wins_over_an_earlier_date_inside_a_sentence() -> None:
    text = (
        "Le 24 février 2022, la guerre a commencé\n"
        "Un an après, la Russie maintient la pression\n"
        "Publié le 24 février 2023 à 10h00\n"
    )
    assert extract_date(text) == dt.date(2023, 2, 24)


def test_masthead_and_section_are_skipped() -> None:
    text = "Le Monde\nInternational\nLa Corée du Sud envoie des obus à l’Ukraine\n\nSÉOUL – Le…"
    assert extract_title(text) == "La Corée du Sud envoie des obus à l’Ukraine"


def test_dates_bylines_and_urls_are_never_titles() -> None:
    text = (
        "https://www.exemple.fr/monde/article-123\n"
        "Publié le 30 janvier 2023 à 13h56\n"
        "lundi 30 janvier 2023\n"
        "Par Jean Dupont\n"
        "* * *\n"
        "Stoltenberg à Séoul pour parler d’armes\n"
        "Le secrétaire général est arrivé dimanche."
    )
    assert extract_title(text) == "Stoltenberg à Séoul pour parler d’armes"


def test_headline_starting_with_par_is_not_a_byline() -> None:
    text = "Par amour du jeu, il a tout quitté\nPar Jean Dupont\nLe texte."
    assert extract_title(text) == "Par amour du jeu, il a tout quitté"


def test_updated_is_not_a_date_marker_inside_a_word() -> None:
    # "date" inside "mandate" must not make the first date look stated.
    text = "Le mandate du 3 mars 2020 expire\nUne ligne\nPublié le 4 mars 2021 à 10h00\n"
    assert extract_date(text) == dt.date(2021, 3, 4)


def test_headline_that_starts_with_a_date_is_still_a_headline() -> None:
    text = "Le 24 février 2022, la Russie envahit l’Ukraine\nLe récit d’une journée."
    assert extract_title(text) == "Le 24 février 2022, la Russie envahit l’Ukraine"


def test_short_title_followed_by_a_paragraph_is_kept() -> None:
    text = "Éditorial\n" + "Une phrase longue qui fait un paragraphe entier. " * 10
    assert extract_title(text) == "Éditorial"


def test_long_paragraph_title_is_shortened_at_a_word_boundary() -> None:
    words = "mot " * 80
    title = extract_title(f"Un début de phrase sans aucune virgule ni point avec {words}fin.")
    assert title.endswith("…")
    assert len(title) <= 121
    assert not title[:-1].endswith(" ") and title[:-1].endswith("mot")


def test_first_sentence_is_the_title_of_a_paragraph() -> None:
    paragraph = (
        "M. Stoltenberg a rencontré J. Biden à Washington pour parler de l’Ukraine. "
        + "Il a ensuite quitté la ville pour rejoindre Ottawa et parler d’autre chose. " * 3
    )
    # "M." and "J." are not sentence ends; the final period of a title is dropped.
    assert extract_title(paragraph) == (
        "M. Stoltenberg a rencontré J. Biden à Washington pour parler de l’Ukraine"
    )


def test_dateline_with_agency_is_dropped_from_a_paragraph_title() -> None:
    paragraph = "PARIS (AFP) - Le gouvernement a présenté son budget mardi. " + "Suite. " * 30
    assert extract_title(paragraph) == "Le gouvernement a présenté son budget mardi"


def test_hard_wrapped_paragraph_is_read_as_one_paragraph() -> None:
    text = (
        "Le secrétaire général de l’OTAN, Jens Stoltenberg, a appelé lundi\n"
        "la Corée du Sud à fournir un soutien militaire direct à l’Ukraine,\n"
        "affirmant que Kyiv avait un besoin urgent d’armes pour lutter contre\n"
        "l’invasion russe prolongée.\n"
    )
    assert extract_title(text) == (
        "Le secrétaire général de l’OTAN, Jens Stoltenberg, a appelé lundi la Corée du Sud à "
        "fournir un soutien militaire direct à l’Ukraine…"
    )


def test_title_is_one_collapsed_line() -> None:
    assert extract_title("  \n\n  Un   titre\tavec   espaces  \nLe texte.") == (
        "Un titre avec espaces"
    )
    assert extract_title("# Titre en Markdown\n\nTexte.") == "Titre en Markdown"


@pytest.mark.parametrize("text", ["", "   \n\n\t", "* * *\n----\n", "https://exemple.fr/a\n"])
def test_title_falls_back_when_the_text_has_none(text: str) -> None:
    assert extract_title(text, fallback="000_article") == "000_article"


PIECES = st.sampled_from([*"aé É.,:–-\n\t0123/«»", "mars ", "2023", "PARIS (AFP) - ", "M. "])


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=300).map("".join))
def test_title_and_date_never_fail_and_title_is_one_short_line(text: str) -> None:
    title = extract_title(clean_text(text), fallback="repli")
    assert title and "\n" not in title and "\t" not in title
    assert title == title.strip() and len(title) <= 151
    date = extract_date(text)
    assert date is None or 1900 <= date.year <= 2100


# Clippings as people paste them from news sites: (text, title, date, source).
CLIPPINGS = [
    (  # outlet of three words above the headline
        "Le Monde diplomatique\n\nLe budget de la défense en débat\n\nPar Alain Gresh\n\n"
        "Le Parlement examine le texte.\n",
        "Le budget de la défense en débat",
        None,
        "Le Monde diplomatique",
    ),
    (  # regional paper, shaped like an outlet name, with a date line under the headline
        "La Voix du Nord\nLe budget de Lille adopté après six heures de débat\n"
        "lundi 4 décembre 2023\n\nLe conseil municipal a voté.\n",
        "Le budget de Lille adopté après six heures de débat",
        dt.date(2023, 12, 4),
        "La Voix du Nord",
    ),
    (  # outlet and section on one line
        "Le Monde - International\n\nBudget européen : les Vingt-Sept trouvent un accord\n"
        "Publié le 14 février 2024 à 10h12\n\nLes chefs d'État ont conclu tard dans la nuit.\n",
        "Budget européen : les Vingt-Sept trouvent un accord",
        dt.date(2024, 2, 14),
        "Le Monde",
    ),
    (  # a long headline followed by a lower-case date line: the date is not glued on
        "Les collectivités locales face à la hausse des prix de l'énergie et des matières "
        "premières\nlundi 4 décembre 2023\n\nLes maires s'inquiètent.\n",
        "Les collectivités locales face à la hausse des prix de l'énergie et des matières "
        "premières",
        dt.date(2023, 12, 4),
        None,
    ),
    (  # "Mis à jour le" under a long headline
        "Réforme des retraites : le gouvernement maintient le calendrier malgré la "
        "mobilisation\nmis à jour le 7 mars 2023 à 18h05\n\nLe texte sera examiné.\n",
        "Réforme des retraites : le gouvernement maintient le calendrier malgré la mobilisation",
        dt.date(2023, 3, 7),
        None,
    ),
    (  # published and updated: the first stated date is the publication's
        "Le Figaro\nInflation : les prix alimentaires reculent enfin\n"
        "Publié le 3 avril 2024 à 06:00, mis à jour le 4 avril 2024 à 09:12\n\nTexte.\n",
        "Inflation : les prix alimentaires reculent enfin",
        dt.date(2024, 4, 3),
        "Le Figaro",
    ),
    (  # outlet, section, then byline and date before the headline... after it here
        "Ouest-France\nBretagne\nLa pêche à la coquille Saint-Jacques rouvre en baie de "
        "Saint-Brieuc\nPar Anne Le Goff\n02/11/2023\n\nLes bateaux sont sortis.\n",
        "La pêche à la coquille Saint-Jacques rouvre en baie de Saint-Brieuc",
        dt.date(2023, 11, 2),
        "Ouest-France",
    ),
    (  # an unknown outlet recognised by its shape
        "Le Républicain Lorrain\n\nMetz : la nouvelle ligne de bus entre en service\n"
        "Le 12/09/2022\n\nLes usagers découvrent le trajet.\n",
        "Metz : la nouvelle ligne de bus entre en service",
        dt.date(2022, 9, 12),
        "Le Républicain Lorrain",
    ),
    (  # a headline alone: no outlet
        "Le gouvernement présente son plan pour l'hôpital\n\n12 janvier 2024\n\nLe ministre.\n",
        "Le gouvernement présente son plan pour l'hôpital",
        dt.date(2024, 1, 12),
        None,
    ),
    (  # a one-line file that only names an outlet: it is the title, not a source
        "La Voix du Nord\n",
        "La Voix du Nord",
        None,
        None,
    ),
    (  # URL and date above, agency outlet
        "https://www.liberation.fr/politique/article\nLibération\n"
        "Municipales : la gauche cherche un candidat commun à Marseille\n"
        "samedi 6 janvier 2024\n\nLes tractations continuent.\n",
        "Municipales : la gauche cherche un candidat commun à Marseille",
        dt.date(2024, 1, 6),
        "Libération",
    ),
    (  # a man page: its NOM line is its title (wrapped lines joined), its header no outlet
        "LS(1)            Commandes de l'utilisateur            LS(1)\n\nNOM\n"
        "       ls - Afficher le contenu de répertoires dans un format lisible\n"
        "       par l'homme\n\nSYNOPSIS\n       ls [OPTION]... [FICHIER]...\n",
        "ls - Afficher le contenu de répertoires dans un format lisible par l'homme",
        None,
        None,
    ),
    (  # a man page without its NOM section: its name and section, not the manual's name
        "LS(1)            Commandes de l'utilisateur            LS(1)\n\nSYNOPSIS\n"
        "       ls [OPTION]... [FICHIER]...\n\nDESCRIPTION\n       Afficher les FICHIERs.\n",
        "ls(1)",
        None,
        None,
    ),
    (  # an untranslated page's NAME section, after a header in mixed case
        "acct(5)            File Formats Manual            acct(5)\n\nNAME\n"
        "       acct - process accounting file\n",
        "acct - process accounting file",
        None,
        None,
    ),
    (  # a short headline in capitals above its subtitle is not an outlet
        "GRÈVE À LA SNCF\nLes contrôleurs cessent le travail pour le week-end de Noël\n\n"
        "Le trafic sera très perturbé.\n",
        "GRÈVE À LA SNCF",
        None,
        None,
    ),
    (  # a first paragraph, no headline: no outlet invented
        "PARIS (AFP) - Le Premier ministre a annoncé jeudi un plan de soutien aux "
        "agriculteurs, après plusieurs semaines de blocages. Les syndicats restent prudents.\n",
        "Le Premier ministre a annoncé jeudi un plan de soutien aux agriculteurs, après "
        "plusieurs semaines de blocages",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("text", "title", "date", "source"), CLIPPINGS)
def test_clipping_layouts(text: str, title: str, date: dt.date | None, source: str | None) -> None:
    assert extract_title(text) == title
    assert extract_date(text) == date
    assert extract_source(text) == source


def test_a_long_word_line_is_not_an_outlet_and_answers_at_once() -> None:
    """The outlet pattern once backtracked exponentially on a long word that fails to match:
    a 40-letter line would take hours (man-page paragraphs hung a 100k-document build)."""
    assert outlet_name("Anticonstitutionnellementsupercalifragil (") is None
    assert outlet_name("Le Monde diplomatique") == "Le Monde diplomatique"
