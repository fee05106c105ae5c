"""Extraction of the non-text formats: speed per format, the isolation's cost, a mixed build.

``python -m bench.extraction`` measures, stores the figures under ``extraction`` in
bench/results.json and re-renders bench/REPORT.md (it needs neither the man pages nor the
peers). What it measures, on documents generated with the libraries fouille reads them with:

- per format, MB/s of fouille's extractor in-process (the file's bytes to text and metadata);
- the library comparisons behind the README's choices: trafilatura against plain text dumps
  (speed, and whether the menu, footer and scripts are kept), pypdf against pdfminer.six;
- the isolation's cost per file: the worker round trip minus the in-process extraction, on
  small files (where it weighs most), and the worker's start-up;
- the full build of a mixed corpus (every format) against the same articles as ``.txt``.
"""

from __future__ import annotations

import io
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import _table

BENCH = Path(__file__).resolve().parent
PARAGRAPH = (
    "Les députés ont débattu de la fiscalité des ménages et des entreprises pendant "
    "la séance du {n}, avant un vote serré sur le budget de l'État et des collectivités."
)


def paragraphs(count: int) -> list[str]:
    return [PARAGRAPH.format(n=n) for n in range(count)]


def make_html(count: int) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs(count))
    return (
        "<html><head><meta charset='utf-8'><title>Budget - Le Monde</title>"
        "<meta property='og:site_name' content='Le Monde'><script>var x = 1;</script></head>"
        "<body><nav><a href='/'>Accueil</a> Menu</nav><article><h1>Budget</h1>"
        f"{body}</article><footer>Mentions légales</footer></body></html>"
    ).encode()


def make_markdown(count: int) -> bytes:
    body = "\n\n".join(f"Un **mot** et [un lien](https://x.org). {p}" for p in paragraphs(count))
    return f"---\ntitle: Budget\ndate: 2024-01-02\n---\n\n# Budget\n\n{body}\n".encode()


def make_pdf(count: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    from tests.support.formats import pdf_bytes

    writer = PdfWriter()
    lines = [line for p in paragraphs(count) for line in (p[:90], p[90:])]
    for start in range(0, len(lines), 44):
        writer.append(PdfReader(io.BytesIO(pdf_bytes(lines[start : start + 44], {}))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(count: int) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Budget", level=1)
    for p in paragraphs(count):
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(count: int) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Budget"))
    for p in paragraphs(count):
        document.text.addElement(P(text=p))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def make_epub(count: int) -> bytes:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("bench")
    book.set_title("Budget")
    book.set_language("fr")
    chapters = []
    per_chapter = max(1, count // 10)
    texts = paragraphs(count)
    for number, start in enumerate(range(0, count, per_chapter)):
        chapter = epub.EpubHtml(title=f"C{number}", file_name=f"c{number}.xhtml", lang="fr")
        chapter.content = (
            "<html><body>"
            + "".join(f"<p>{p}</p>" for p in texts[start : start + per_chapter])
            + "</body></html>"
        )
        book.add_item(chapter)
        chapters.append(chapter)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = chapters
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.epub"
        epub.write_epub(str(path), book)
        return path.read_bytes()


def make_txt(count: int) -> bytes:
    return ("Budget\n\n" + "\n\n".join(paragraphs(count)) + "\n").encode()


MAKERS: dict[str, Callable[[int], bytes]] = {
    ".txt": make_txt,
    ".html": make_html,
    ".md": make_markdown,
    ".pdf": make_pdf,
    ".docx": make_docx,
    ".odt": make_odt,
    ".epub": make_epub,
}


def best_of(fn: Callable[[], object], runs: int) -> float:
    """The fastest of ``runs`` calls, in seconds (the least disturbed by other processes)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def format_speed(count: int, runs: int) -> dict[str, dict[str, float]]:
    from search.extract import extractor
    from search.textclean import clean_text, decode

    figures = {}
    for ext, make in MAKERS.items():
        data = make(count)
        if ext == ".txt":
            seconds = best_of(lambda data=data: clean_text(decode(data)), runs)
            chars = len(clean_text(decode(data)))
        else:
            extract = extractor(ext)
            seconds = best_of(lambda data=data, extract=extract: extract(data), runs)
            chars = len(extract(data).text)
        figures[ext] = {
            "bytes": len(data),
            "chars": chars,
            "seconds": seconds,
            "mb_s": len(data) / seconds / 1e6,
        }
    return figures


def comparisons(count: int, runs: int) -> dict[str, dict[str, object]]:
    import lxml.html
    import trafilatura
    from pdfminer.high_level import extract_text as pdfminer_text
    from pypdf import PdfReader

    page = make_html(count)
    html_tools: dict[str, Callable[[bytes], str]] = {
        "trafilatura bare_extraction": lambda d: trafilatura.bare_extraction(d).text,
        "trafilatura html2txt (whole page)": lambda d: trafilatura.html2txt(d),
        "lxml text_content (whole page)": lambda d: lxml.html.fromstring(d).text_content(),
    }
    out: dict[str, dict[str, object]] = {}
    for name, tool in html_tools.items():
        text = tool(page)
        out[name] = {
            "mb_s": len(page) / best_of(lambda tool=tool: tool(page), runs) / 1e6,
            "menu/footer kept": "Accueil" in text or "Mentions" in text,
            "script kept": "var x" in text,
        }
    pdf = make_pdf(count)
    pdf_tools: dict[str, Callable[[bytes], str]] = {
        "pypdf": lambda d: "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(d)).pages),
        "pdfminer.six": lambda d: pdfminer_text(io.BytesIO(d)),
    }
    words = set(make_txt(count).decode().split())
    for name, tool in pdf_tools.items():
        text = tool(pdf)
        found = set(text.split())
        out[name] = {
            "mb_s": len(pdf) / best_of(lambda tool=tool: tool(pdf), max(1, runs // 2)) / 1e6,
            "words found": f"{len(words & found) / len(words):.0%}",
        }
    return out


def isolation_cost(files: int) -> dict[str, float]:
    from search.extract import extractor, isolation

    isolation._stop_worker()
    small = make_html(3)
    start = time.perf_counter()
    isolation.extract_isolated(".html", small)  # starts the worker
    startup = time.perf_counter() - start
    extract = extractor(".html")
    inside = statistics.median(best_of(lambda: extract(small), 1) for _ in range(files))
    isolated = statistics.median(
        best_of(lambda: isolation.extract_isolated(".html", small), 1) for _ in range(files)
    )
    return {
        "startup_s": startup,
        "in_process_ms": inside * 1000,
        "isolated_ms": isolated * 1000,
        "overhead_ms": (isolated - inside) * 1000,
    }


def mixed_build(per_format: int, count: int) -> dict[str, float]:
    """A full build of ``per_format`` files of every format, against as many .txt files."""
    from search import indexer
    from search.extract import isolation

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        mixed, plain = root / "mixed", root / "plain"
        mixed.mkdir()
        plain.mkdir()
        total_bytes = 0
        for ext, make in MAKERS.items():
            data = make(count)
            for n in range(per_format):
                (mixed / f"{ext[1:]}{n:03d}{ext}").write_bytes(data)
                (plain / f"{ext[1:]}{n:03d}.txt").write_bytes(make_txt(count))
                total_bytes += len(data)
        figures = {"files": float(per_format * len(MAKERS)), "bytes": float(total_bytes)}
        for jobs in (1, 2):
            for name, corpus in (("mixed", mixed), ("txt", plain)):
                isolation._stop_worker()  # the worker's start-up counts, as in a fresh process
                index = root / f"index-{name}"
                start = time.perf_counter()
                report = indexer.build_full(corpus, index, jobs=jobs)
                figures[f"{name}_s_jobs{jobs}"] = time.perf_counter() - start
                assert not report.skipped, report.skipped
                shutil.rmtree(index)
        return figures


def measure(quick: bool = False) -> dict[str, object]:
    runs = 2 if quick else 5
    return {
        "paragraphs": 400,
        "formats": format_speed(400, runs),
        "comparisons": comparisons(400, runs),
        "isolation": isolation_cost(20 if quick else 100),
        "mixed": mixed_build(5 if quick else 20, 100),
    }


def section(e: dict) -> str:
    """The report's section on extraction."""
    formats = e["formats"]
    rows = [
        [
            ext,
            f"{f['bytes'] / 1000:.0f} kB",
            f"{f['mb_s']:.2f}",
            f"{f['chars'] / f['seconds'] / 1e6:.2f}",
            f"{f['seconds'] * 1000:.1f}",
        ]
        for ext, f in formats.items()
    ]
    comparison_rows = [
        [name, f"{c['mb_s']:.2f}", *(f"{k}: {v}" for k, v in c.items() if k != "mb_s")]
        for name, c in e["comparisons"].items()
    ]
    width = max(len(r) for r in comparison_rows)
    comparison_rows = [r + [""] * (width - len(r)) for r in comparison_rows]
    iso = e["isolation"]
    mixed = e["mixed"]
    return (
        "## Extraction of the other formats (bench/extraction.py)\n\n"
        f"Each document holds {e['paragraphs']} paragraphs of French text (about 60 kB of text), "
        "written with the library fouille reads the format with. MB/s of the file's bytes, "
        "fouille's extractor in-process (best of several runs), and millions of characters of "
        "text out per second (DOCX, ODT and EPUB are zip archives: their bytes are compressed "
        "text); `.txt` is decoding and cleaning only. On a 2-core machine shared with other "
        "work, these figures move by up to half between runs: read them as orders of "
        "magnitude.\n\n"
        + _table(["format", "file size", "MB/s", "M chars/s", "ms per file"], rows)
        + "\n\nLibrary comparisons behind the choices (same documents):\n\n"
        + _table(["library", "MB/s", *[""] * (width - 2)], comparison_rows)
        + "\n\nIsolation (every non-`.txt` file goes to the extraction worker process): "
        f"worker start-up {iso['startup_s']:.2f} s once per indexing process; per small file "
        f"{iso['isolated_ms']:.2f} ms isolated against {iso['in_process_ms']:.2f} ms in-process, "
        f"an overhead of **{iso['overhead_ms']:.2f} ms per file**.\n\n"
        f"Full build of a mixed corpus: {mixed['files']:.0f} files "
        f"({mixed['bytes'] / 1e6:.1f} MB; every format in equal numbers, 100 paragraphs each) "
        f"in **{mixed['mixed_s_jobs1']:.2f} s** with `--jobs 1` and "
        f"**{mixed['mixed_s_jobs2']:.2f} s** with `--jobs 2`, against "
        f"{mixed['txt_s_jobs1']:.2f} s and {mixed['txt_s_jobs2']:.2f} s for the same articles "
        "as `.txt` files (the difference is extraction, each process's extraction-worker "
        "start-up included).\n"
    )


def main() -> None:
    """``python -m bench.extraction [--quick]``: this part alone, through the benchmark's runner
    (it stores the figures in results.json with the commit measured, and re-renders the
    report)."""
    import sys

    from bench.run import main as run

    run(["--only", "extraction", *sys.argv[1:]])


if __name__ == "__main__":
    main()
