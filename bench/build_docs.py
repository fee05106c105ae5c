"""A second known-item set from another kind of French text: the sections of Debian's French
documentation (Debian packages ``debian-reference-fr``, ``debian-faq-fr``,
``developers-reference-fr``, ``aptitude-doc-fr``: prose manuals, not reference pages).

Each HTML page is cut at its headings; each section of 300 characters or more becomes one
document *without its heading*, and the heading (numbering removed) is its known-item query.
Sections whose heading appears verbatim in their text, and headings shared by several sections,
are left out, so no query is a verbatim line of its target.

Layout under ``bench/data``::

    docfr/<package>/<n>.txt   one section per file
    docfr-queries.tsv         section id, query (its heading)
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

from bench.build_corpus import DATA

PACKAGES = {
    "debian-reference": "/usr/share/debian-reference/*.fr.html",
    "debian-faq": "/usr/share/doc/debian/FAQ/fr/*.fr.html",
    "developers-reference": "/usr/share/developers-reference/fr/*.html",
    "aptitude": "/usr/share/doc/aptitude/html/fr/*.html",
}
APT = "debian-reference-fr debian-faq-fr developers-reference-fr aptitude-doc-fr"
MIN_CHARS = 300
HEADINGS = {"h1", "h2", "h3", "h4"}
SKIP = {"script", "style", "nav", "head"}
_NUMBERING = re.compile(r"^\s*(?:(?:Chapitre|Annexe|Partie)\s+)?(?:[A-Z]\.)?(?:\d+\.?)*\s+")
_WS = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]{2,}")


def sections(path: Path) -> list[tuple[str, str]]:
    """(heading, text) pairs of one HTML page, in order."""
    from lxml import html

    root = html.parse(str(path)).getroot()
    out: list[tuple[str, list[str]]] = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIP or any(a.tag in SKIP for a in element.iterancestors()):
            continue
        if tag in HEADINGS:
            out.append((_WS.sub(" ", element.text_content()).strip(), []))
            continue
        if out and not any(a.tag in HEADINGS for a in element.iterancestors()):
            for piece in (element.text, element.tail):
                if piece and piece.strip():
                    out[-1][1].append(piece.strip())
    return [(h, " ".join(parts)) for h, parts in out]


def query_of(heading: str) -> str:
    text = _NUMBERING.sub("", heading).strip().rstrip(".:")
    return text.replace("\u00b6", "").strip()


def build(data: Path = DATA) -> Path:
    corpus = data / "docfr"
    shutil.rmtree(corpus, ignore_errors=True)
    found: list[tuple[str, str, str]] = []  # (id, query, text)
    for package, pattern in PACKAGES.items():
        folder, glob = pattern.rsplit("/", 1)
        for page in sorted(Path(folder).glob(glob)):
            for heading, text in sections(page):
                query = query_of(heading)
                if len(text) < MIN_CHARS or len(_WORD.findall(query)) < 2:
                    continue
                if query.lower() in text.lower():
                    continue
                found.append((package, query, text))
    counts = Counter(q.lower() for _, q, _ in found)
    lines = []
    for n, (package, query, text) in enumerate(found):
        if counts[query.lower()] > 1:
            continue
        rel = f"{package}/{n:04d}.txt"
        path = corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        lines.append(f"{rel}\t{query}")
    (data / "docfr-queries.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return corpus


if __name__ == "__main__":
    built = build()
    print(f"{built}: {len(list(built.rglob('*.txt')))} sections")
