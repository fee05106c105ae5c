"""Title and publication date of an article, read from its text the way a reader would.

Corpus files are plain text pasted from news sites: the first lines may be a masthead
("Lagazette"), a date line, a byline or a URL before the headline, and some files have no
headline at all, only a first paragraph. The date is only ever the one the text states (never the
file's mtime, which says when the file was copied, not when the article was published).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from itertools import islice

# --- dates -------------------------------------------------------------------------------------

_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("janvier", "janv", "january", "jan"),
    2: ("février", "fevrier", "févr", "fevr", "fév", "fev", "february", "feb"),
    3: ("mars", "march", "mar"),
    4: ("avril", "avr", "april", "apr"),
    5: ("mai", "may"),
    6: ("juin", "june", "jun"),
    7: ("juillet", "juil", "july", "jul"),
    8: ("août", "aout", "august", "aug"),
    9: ("septembre", "september", "sept", "sep"),
    10: ("octobre", "october", "oct"),
    11: ("novembre", "november", "nov"),
    12: ("décembre", "decembre", "déc", "dec", "december"),
}
_MONTH_NUMBER = {name: number for number, names in _MONTHS.items() for name in names}
_MONTH = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))

_DATE = re.compile(
    rf"""
    (?<![\w/.-])(?P<d1>[0-3]?\d)(?:er|re|ᵉʳ)?\s+(?P<m1>{_MONTH})\.?,?\s+(?P<y1>\d{{4}})(?!\d)
    | (?<!\w)(?P<m2>{_MONTH})\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})(?!\d)
    | (?<![\d/.-])(?P<d3>[0-3]?\d)(?P<s3>[/.-])(?P<m3>[01]?\d)(?P=s3)(?P<y3>\d{{4}})(?!\d)
    | (?<![\d/.-])(?P<y4>\d{{4}})(?P<s4>[/.-])(?P<m4>[01]\d)(?P=s4)(?P<d4>[0-3]\d)(?![\d/.])
    """,
    re.IGNORECASE | re.VERBOSE,
)

_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")

# Words that mark the date of the article itself, as opposed to a date the article talks about.
_STATED = re.compile(
    r"\b(publi[ée]e?|mis\s+[àa]\s+jour|mise\s+[àa]\s+jour|modifi[ée]e?|actualis[ée]e?|"
    r"updated|published|posted|date)\b[^\n]{0,25}$",
    re.IGNORECASE,
)
_WEEKDAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
# What may surround a date on a line that holds nothing else ("21 Juin 2024 11:21 (UTC+01:00)").
_DATE_LINE_NOISE = re.compile(
    rf"\b(?:{_WEEKDAYS}|le|du|à|a|at|on|the|h|utc|gmt|cet|cest|heure|heures)\b"
    r"|\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?|[+\-−]\s*\d{1,2}(?::?\d{2})?|\W|\d",
    re.IGNORECASE,
)
_DATE_WINDOW_LINES = 15
_DATE_WINDOW_CHARS = 1500


def _dates(text: str) -> Iterator[tuple[dt.date, int, int]]:
    """Every plausible calendar date in ``text``: (date, start, end), in reading order."""
    if not _YEAR.search(text):  # every form has a year: skip the costly pattern without one
        return
    for match in _DATE.finditer(text):
        groups = match.groupdict()
        for n in "1234":
            if groups[f"y{n}"]:
                break
        month = groups[f"m{n}"]
        month_number = int(month) if month.isdigit() else _MONTH_NUMBER[month.lower()]
        try:
            date = dt.date(int(groups[f"y{n}"]), month_number, int(groups[f"d{n}"]))
        except ValueError:  # 31 février, month 13
            continue
        if 1900 <= date.year <= 2100:
            yield date, match.start(), match.end()


def _head(text: str) -> str:
    """The first lines of an article, where publication dates are printed."""
    lines: list[str] = []
    size = 0
    for line in text[: _DATE_WINDOW_CHARS * 2].split("\n"):
        if size >= _DATE_WINDOW_CHARS or len(lines) >= _DATE_WINDOW_LINES:
            break
        if line.strip():
            lines.append(line[: _DATE_WINDOW_CHARS - size])
            size += len(line) + 1
    return "\n".join(lines)


def is_date_line(line: str) -> bool:
    """True when a line is only a date (with weekday, time, time zone): never a headline."""
    spans = [(start, end) for _, start, end in _dates(line)]
    if not spans:
        return False
    rest = line
    for start, end in reversed(spans):
        rest = rest[:start] + " " + rest[end:]
    return not _DATE_LINE_NOISE.sub("", rest).strip()


def extract_date(text: str) -> dt.date | None:
    """The publication date the article states near its top, or None.

    Only the first ~15 lines (1500 characters) are read: later dates are events the article
    reports. A date on a line of its own or after "Publié le", "Mis à jour le" wins over an
    earlier date inside a sentence; otherwise the first date found is the article's.
    """
    head = unicodedata.normalize("NFC", _head(text))
    first: dt.date | None = None
    for line in head.split("\n"):
        for date, start, _ in _dates(line):
            if is_date_line(line) or _STATED.search(line[:start]):
                return date
            if first is None:
                first = date
    return first


# --- titles ------------------------------------------------------------------------------------

TITLE_MAX = 120  # characters, before "…", when a title has to be cut out of a paragraph
_HEADLINE_MAX = 150  # a first line longer than this is a paragraph, not a headline
_TITLE_LINES = 30
_DATE_LINE_MAX = 120  # longer lines are sentences, even when they hold a date
_MASTHEAD_LINES = 3  # at most this many short labels (paper, section) above a headline
_WRAP_MIN = 50  # a line this long followed by a lowercase line is a hard-wrapped paragraph

_URL = re.compile(r"^(?:<?(?:https?://|www\.)\S+>?|\S+@\S+\.\w+)$", re.IGNORECASE)
_METADATA = re.compile(
    r"^(?:mis|mise)\s+[àa]\s+jour\b|^(?:publi[ée]e?|modifi[ée]e?|actualis[ée]e?|cr[ée]{2}e?)"
    r"\s+(?:le|à|a|il\s+y\s+a)\b|^(?:updated|published|posted)\b|^(?:©|\(c\)|copyright)",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:[Pp]ar|[Bb]y|PAR|BY|(?i:de\s+notre\s+(?:envoy[ée]e?|correspondante?)|propos\s+"
    r"recueillis\s+par))\s+[A-ZÀ-ÖØ-Þ]",  # "Par Jean Dupont", not "Par amour du jeu, ..."
)
_SENTENCE_END = re.compile(r"[.!?…]+[»”\"’')]*\s+(?=[«“\"(]?\s*[A-ZÀ-ÖØ-Þ0-9])")
_CLAUSE_BREAK = re.compile(r",\s|;\s|:\s|\s[–—]\s")
_ABBREVIATIONS = frozenset(
    {
        *("m", "mm", "mme", "mmes", "mlle", "mlles", "me", "mgr", "dr", "pr", "st", "ste"),
        *("gal", "col", "cdt", "lt", "sgt", "av", "apr", "env", "cf", "no", "nos", "vol"),
        *("p", "pp", "ex", "mr", "mrs", "ms", "jr", "sr", "vs"),
    }
)
# "SÉOUL, Corée du Sud (AP) – ", "PARIS (AFP) - ", "Berlin (Reuters) — ": where and who, not what.
_DATELINE = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’ .-]{1,30}(?:,\s*[^,()–—\n]{1,40}?)?(?:\s*\([^()\n]{1,30}\))?"
    r"|[A-ZÀ-ÖØ-Þ][\w'’ .-]{1,30}(?:,\s*[^,()–—\n]{1,40}?)?\s*\([^()\n]{1,30}\))"
    r"\s*[–—-]+\s+(?=[«\"“]?[A-ZÀ-ÖØ-Þ])"
)


def _collapse(line: str) -> str:
    return " ".join(line.split())


def _is_never_title(line: str) -> bool:
    """Lines a reader skips when looking for the headline: dates, bylines, URLs, rules."""
    if not any(ch.isalpha() for ch in line):
        return True
    if _URL.match(line) or _METADATA.match(line):
        return True
    if len(line) <= _DATE_LINE_MAX and is_date_line(line):
        return True
    return bool(_BYLINE.match(line)) and len(line.split()) <= 8 and not line.endswith(".")


def _is_short_label(line: str) -> bool:
    """One or two words without sentence punctuation: a masthead, site or section name."""
    return len(line.split()) <= 2 and len(line) <= 30 and line[-1] not in ".!?…:"


def _is_headline_shaped(line: str) -> bool:
    """Several words, short, and not ending with a period as a paragraph does."""
    return len(line.split()) >= 3 and len(line) <= 200 and line[-1] != "."


def _first_sentence(paragraph: str) -> str:
    """The paragraph up to its first sentence end; "M. Dupont" and "J. Stoltenberg" go on."""
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.start()
        if paragraph[end] == "." and paragraph[end - 1 : end + 2] != "...":
            before = paragraph[:end].rsplit(None, 1)
            word = before[-1].lstrip('«“"(').lower() if before else ""
            if len(word) == 1 or word in _ABBREVIATIONS:
                continue
        return paragraph[: match.end()].rstrip()
    return paragraph


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    """``text`` cut to about ``limit`` characters, at a clause break if one is near, else at a
    word boundary, with "…" to show the cut."""
    if len(text) <= limit + 20:
        return text
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text, 0, limit + 20)]
    breaks = [b for b in breaks if b >= limit * 0.6]
    if breaks:
        cut = breaks[-1]
    else:
        cut = text.rfind(" ", 0, limit + 1)
        if cut < limit * 0.5:
            cut = limit
    return text[:cut].rstrip(" ,;:–—-") + "…"


def _title_from_paragraph(paragraph: str) -> str:
    """A headline-sized title from a file that starts straight with its first paragraph."""
    undated = _DATELINE.sub("", paragraph, count=1)
    sentence = _first_sentence(undated or paragraph)
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    return shorten(sentence)


def _candidate_lines(text: str) -> Iterator[str]:
    """The first lines, collapsed, with hard-wrapped paragraphs joined back into one line."""
    current = ""
    for raw in text[:20_000].split("\n", _TITLE_LINES * 4)[: _TITLE_LINES * 4]:
        line = _collapse(raw.lstrip("#>*•· ").rstrip("*"))
        if (
            line
            and len(current) >= _WRAP_MIN
            and line[0].islower()
            and current[-1] not in '.!?…:»"'
            # "lundi 4 décembre 2023", "mis à jour le …" under a long headline: not a wrap
            and not _METADATA.match(line)
            and not (len(line) <= _DATE_LINE_MAX and is_date_line(line))
        ):
            current = f"{current} {line}"
            continue
        if current:
            yield current
        current = line
    if current:
        yield current


# Outlets whose name does not look like one ("Le Monde diplomatique", "franceinfo", "20 Minutes");
# other outlets are recognised by their shape (capitalised words and particles).
KNOWN_OUTLETS = frozenset(
    name.casefold()
    for name in (
        "Le Monde",
        "Le Monde diplomatique",
        "Le Figaro",
        "Libération",
        "La Croix",
        "Les Echos",
        "Les Échos",
        "Le Parisien",
        "Aujourd'hui en France",
        "Ouest-France",
        "Sud Ouest",
        "La Voix du Nord",
        "La Dépêche du Midi",
        "La Dépêche",
        "Le Progrès",
        "Le Télégramme",
        "L'Express",
        "Le Point",
        "L'Obs",
        "Le Nouvel Obs",
        "Marianne",
        "Mediapart",
        "L'Humanité",
        "Courrier international",
        "France 24",
        "franceinfo",
        "France Info",
        "France Inter",
        "France Culture",
        "RFI",
        "20 Minutes",
        "Le Dauphiné libéré",
        "Les Dernières Nouvelles d'Alsace",
        "DNA",
        "L'Est républicain",
        "La Montagne",
        "Le Canard enchaîné",
        "Le Journal du dimanche",
        "Le JDD",
        "Challenges",
        "L'Opinion",
        "Les Inrockuptibles",
        "Télérama",
        "Le Temps",
        "La Tribune",
        "Le Soir",
        "La Presse",
        "Le Devoir",
        "AFP",
        "Reuters",
        "Associated Press",
        "Le Républicain lorrain",
        "Midi libre",
        "Nice-Matin",
        "La Provence",
        "Le Courrier picard",
        "Paris Match",
    )
)
_OUTLET_PARTICLES = frozenset("de du des d' la le les l' et en sur sous à au aux & the of".split())
_OUTLET_WORDS = re.compile(
    # separators are not optional: "(?:-?X+)*" after "X+" backtracks exponentially on a long
    # word that fails to match (a 25-letter line took seconds; a 100k-paragraph build hung)
    r"[^\W_]+(?:['’&.-][^\W_]+)*(?:\s+(?:&\s+)?[^\W_]+(?:['’.-][^\W_]+)*)*"
)
_OUTLET_SECTION = re.compile(r"\s+[-–—|/·•>]\s+")
_OUTLET_MAX = 60


def outlet_name(line: str) -> str | None:
    """The outlet a line above a headline names ("Le Monde - International" → "Le Monde",
    "La Voix du Nord"), or None when the line is not an outlet's name.

    A name is a known outlet, or two to six words that are all capitalised or particles
    ("Le Républicain Lorrain", "La Gazette de Montpellier"), made of letters only: a man page's
    header ("LS(1) Commandes de l'utilisateur LS(1)") or a short headline in capitals
    ("GRÈVE À LA SNCF") is not an outlet.
    """
    if len(line) > _OUTLET_MAX or line[-1] in ".!?…:,;":
        return None
    name = _OUTLET_SECTION.split(line, maxsplit=1)[0].strip()
    if name.casefold() in KNOWN_OUTLETS:
        return name
    words = name.split()
    if not 2 <= len(words) <= 6 or not words[0][0].isupper() or name.isupper():
        return None
    if not _OUTLET_WORDS.fullmatch(name):
        return None
    for word in words:
        bare = word.strip('«»"“”()')
        lower = bare.lower()
        if not bare or not (
            bare[0].isupper()
            or bare[0].isdigit()
            or lower in _OUTLET_PARTICLES
            or lower[:2] in ("d'", "l'", "d’", "l’")
        ):
            return None
    return name


def _layout(text: str) -> tuple[list[str], int]:
    """The first eligible lines (no dates, bylines, URLs) and the index of the headline among
    them: after up to three mastheads, outlet or section lines when a headline follows."""
    eligible = (line for line in _candidate_lines(text) if not _is_never_title(line))
    lines = list(islice(eligible, _MASTHEAD_LINES + 1))
    index = 0
    while index < min(_MASTHEAD_LINES, len(lines)) and (
        _is_short_label(lines[index]) or outlet_name(lines[index]) is not None
    ):
        index += 1
    if index == len(lines) or not _is_headline_shaped(lines[index]):
        index = 0
    return lines, index


def extract_source(text: str) -> str | None:
    """The outlet printed above the headline of a clipping ("Le Monde diplomatique",
    "La Voix du Nord", "Le Monde - International" → "Le Monde"), or None."""
    lines, headline = _layout(text)
    for line in lines[:headline]:
        name = outlet_name(line)
        if name is not None:
            return name
    return None


# A man page rendered as text: "LS(1)      Commandes de l'utilisateur      LS(1)", then NOM.
_MAN_HEADER = re.compile(
    r"(?P<name>[^\s()]+)\((?P<section>[0-9][\w:.-]*)\)\s.*\s(?P=name)\((?P=section)\)"
)
_MAN_NAME_HEADINGS = frozenset({"NOM", "NAME"})


def man_page_title(text: str) -> str | None:
    """The title of a man page as ``man`` renders it: its NOM (NAME) line, ``ls - Afficher le
    contenu de répertoires`` (wrapped lines joined), else the page's name and section from its
    header (``ls(1)``); None when the text is not a man page.

    The header repeats the manual's name ("Commandes de l'utilisateur", "System Manager's
    Manual") on every page of a section: as a title it said nothing of the page, and its words
    weighed in every page's title score (bench: MRR@10 0.897 with the header as title, 0.92
    with the NOM line, as before the outlet rule changed man-page titles).
    """
    lines = iter(text[:5000].splitlines())
    first = next((line.strip() for line in lines if line.strip()), "")
    header = _MAN_HEADER.fullmatch(first)
    heading = first
    if header is not None:
        heading = next((line.strip() for line in lines if line.strip()), "")
    elif first not in _MAN_NAME_HEADINGS:
        return None
    if heading in _MAN_NAME_HEADINGS:
        name_lines: list[str] = []
        for line in lines:
            if not line.strip():
                if name_lines:
                    break
                continue
            if not line[0].isspace():  # the next section's heading
                break
            name_lines.append(line)
        if name_lines:
            return shorten(_collapse(" ".join(name_lines)))
    if header is None:
        return None
    name = header.group("name")
    return f"{name.lower() if name.isupper() else name}({header.group('section')})"


def extract_title(text: str, fallback: str = "") -> str:
    """The headline a person would recognise, on one line; ``fallback`` when the text has none.

    Skips what is printed above a headline (mastheads, outlet and section lines, dates,
    bylines, URLs); a first line longer than a headline is a paragraph, whose first sentence
    (without its "SÉOUL (AP) –" dateline) is shortened to about 120 characters. A man page's
    title is its NOM line (:func:`man_page_title`).
    """
    man = man_page_title(text)
    if man is not None:
        return man
    lines, index = _layout(text)
    if index >= len(lines):
        return _collapse(fallback)
    line = lines[index]
    if len(line) <= _HEADLINE_MAX:
        return line
    return _title_from_paragraph(line) or _collapse(fallback)
