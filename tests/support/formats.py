"""Writes the format fixtures of tests/test_formats.py (in tests/fixtures/formats) with the
libraries fouille reads them with (python-docx, odfpy, ebooklib, pypdf) or by hand (HTML,
Markdown, a minimal PDF).

Run from the repository root: ``.venv/bin/python -m tests.support.formats``. Each good
file holds one word no other file has (see WORDS in tests/test_formats.py) and, where its format
can carry them, a title, date, source and author; ``damaged/`` holds one broken file per format.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
GOOD = HERE / "corpus"
DAMAGED = HERE / "damaged"

HTML = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Budget 2024 : l'hémicycle adopte le texte - Le Monde</title>
<meta property="og:site_name" content="Le Monde">
<meta property="og:title" content="Budget 2024 : l'hémicycle adopte le texte">
<meta name="author" content="Jeanne Martin">
<meta property="article:published_time" content="2023-12-04T10:00:00+01:00">
<script>document.title = "SCRIPTWORD"; alert("SCRIPTWORD")</script>
<style>body { color: red } .stylerule { display: none }</style>
</head><body>
<nav><a href="/">Accueil</a> <a href="/politique">Politique</a> NAVWORD menu principal</nav>
<article>
<h1>Budget 2024 : l'hémicycle adopte le texte</h1>
<p>Les députés ont adopté mardi dans l'hémicycle le projet de loi de finances après un long
débat sur la fiscalité des ménages et des entreprises, <b>sans</b> vote final.</p>
<p>Le gouvernement a utilisé l'article 49.3 pour la quatorzième fois, une procédure qui
suscite la colère de l'opposition.</p>
<script>alert("SCRIPTWORD")</script>
<p>Une séquence \x1b[31mrouge\x1b[0m collée depuis un terminal ne doit pas colorer l'écran.</p>
</article>
<footer>Mentions légales - Tous droits réservés</footer>
</body></html>
"""

MARKDOWN = """---
title: Notes sur la permaculture urbaine
date: 2024-03-15
source: Carnet de terrain
author: Paul Durand
---

# Atelier du samedi

La **permaculture** en ville demande [peu d'espace](https://example.org/espace) et
beaucoup de `patience`.

- compost partagé
- bacs en bois

> Citation : « le sol est vivant ».

<div onclick="alert('x')">HTMLBLOCKWORD</div>
"""

TXT = """Le Monde diplomatique

Les vendanges tardives sauvent la saison dans le Bordelais
lundi 4 décembre 2023

Par Claire Petit

Les vignerons ont commencé les vendanges avec trois semaines de retard cette année.
"""


def pdf_bytes(lines: list[str], info: dict[str, str], *, text: bool = True) -> bytes:
    """A one-page PDF in Helvetica (WinAnsi, so French accents work) with an Info dictionary;
    ``text=False`` makes a page with a drawn rectangle and no text (a scan without OCR)."""

    def literal(value: str) -> bytes:
        raw = value.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    if text:
        ops = [b"BT /F1 12 Tf 72 720 Td 16 TL"]
        ops += [literal(line) + b" Tj T*" for line in lines]
        ops.append(b"ET")
    else:
        ops = [b"0.5 g 72 400 300 300 re f"]
    stream = b"\n".join(ops)
    info_entries = b" ".join(b"/" + k.encode() + b" " + literal(v) for k, v in info.items())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< " + info_entries + b" >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


PDF_LINES = [
    "Rapport sur la filière hydrogène",
    "",
    "La production d'hydrogène vert progresse dans les vallées alpines.",
    "Les électrolyseurs installés en 2022 couvrent déjà les besoins locaux.",
]
PDF_INFO = {
    "Title": "Rapport sur la filière hydrogène",
    "Author": "Agence régionale de l'énergie",
    "CreationDate": "D:20220915093000+02'00'",
}


def write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Emplois saisonniers en montagne", level=1)
    document.add_paragraph(
        "Les stations manquent de saisonniers pour l'hiver : logements trop chers, "
        "contrats trop courts."
    )
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Station"
    table.rows[0].cells[1].text = "Postes vacants"
    document.core_properties.title = "Emplois saisonniers en montagne"
    document.core_properties.author = "Lucie Bernard"
    document.core_properties.created = dt.datetime(2023, 11, 20, 8, 0)
    document.save(path)


def write_odt(path: Path) -> None:
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Réouverture de la bibliothèque municipale"))
    document.meta.addElement(dc.Creator(text="Marc Lefèvre"))
    document.meta.addElement(dc.Date(text="2024-01-08T09:00:00"))
    document.meta.addElement(meta.InitialCreator(text="Marc Lefèvre"))
    document.text.addElement(H(outlinelevel=1, text="Réouverture de la bibliothèque municipale"))
    document.text.addElement(
        P(text="La bibliothèque rouvre ses portes après deux ans de travaux d'isolation.")
    )
    document.save(str(path))


def write_epub(path: Path) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("fouille-fixture-1")
    book.set_title("La lanterne du phare")
    book.set_language("fr")
    book.add_author("Hélène Morel")
    book.add_metadata("DC", "date", "2021-06-01")
    book.add_metadata("DC", "publisher", "Éditions du Large")
    chapter = epub.EpubHtml(title="Chapitre 1", file_name="chap1.xhtml", lang="fr")
    chapter.content = (
        "<html><head><title>Chapitre 1</title><script>alert('SCRIPTWORD')</script></head>"
        "<body><h1>Chapitre premier</h1><p>Le gardien allumait la lanterne chaque soir.</p>"
        "<script>document.write('SCRIPTWORD')</script><p>La mer montait.</p></body></html>"
    )
    book.add_item(chapter)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", chapter]
    epub.write_epub(str(path), book)


def zip_bomb(size_mb: int = 50) -> bytes:
    """A DOCX-named zip whose one member inflates to ``size_mb`` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(size_mb):
                member.write(block)
    return out.getvalue()


def main() -> None:
    from pypdf import PdfReader, PdfWriter

    GOOD.mkdir(exist_ok=True)
    DAMAGED.mkdir(exist_ok=True)
    (GOOD / "budget.html").write_text(HTML, encoding="utf-8")
    (GOOD / "permaculture.md").write_text(MARKDOWN, encoding="utf-8")
    (GOOD / "vendanges.txt").write_text(TXT, encoding="utf-8")
    (GOOD / "hydrogene.pdf").write_bytes(pdf_bytes(PDF_LINES, PDF_INFO))
    write_docx(GOOD / "saisonniers.docx")
    write_odt(GOOD / "bibliotheque.odt")
    write_epub(GOOD / "lanterne.epub")

    # one damaged file per format: cut in the middle, or not the format at all
    for name in ("hydrogene.pdf", "saisonniers.docx", "bibliotheque.odt", "lanterne.epub"):
        data = (GOOD / name).read_bytes()
        (DAMAGED / f"cut-{name}").write_bytes(data[: len(data) // 2])
    (DAMAGED / "garbage.html").write_bytes(bytes(range(256)) * 8)
    (DAMAGED / "garbage.md").write_bytes(b"\x00\x01\x02PK\x03\x04" * 200)
    scan = pdf_bytes([], {"Title": "Scan"}, text=False)
    (DAMAGED / "scan.pdf").write_bytes(scan)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(PDF_LINES, PDF_INFO))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with (DAMAGED / "locked.pdf").open("wb") as out:
        writer.write(out)


if __name__ == "__main__":
    main()
