"""Build the benchmark corpora from the French man pages (Debian package ``manpages-fr``).

Why man pages: they are real French prose with accents, inflections and technical tokens
(``8859-10``, ``--sort``), they install on any Debian machine with one apt command, and each page
carries its own known-item query: the description line of its NOM section.

Layout written under ``bench/data`` (git-ignored)::

    manfr/<name>.<section>.txt        one rendered page per file (~600 files, ~6 MB)
    manfr-nonom/<name>.<section>.txt  the same pages without their NOM section
    queries.tsv                       page id, query (the NOM description)
    scale-<N>/<dddd>/<n>.txt          N documents: the pages' paragraphs, replicated
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MAN_ROOT = Path("/usr/share/man/fr")
DATA = Path(__file__).resolve().parent / "data"
SECTION_HEADER = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ0-9 ,'’()/-]*$")
SCALE_SIZES = (10_000, 50_000, 100_000)


def render(page: Path) -> str:
    """The page as plain UTF-8 text, without hyphenation (``--nh``) nor justification."""
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="100")
    man = subprocess.run(
        ["man", "--nh", "--nj", "-l", str(page)],
        env=env,
        capture_output=True,
        check=False,
    )
    col = subprocess.run(["col", "-bx"], input=man.stdout, env=env, capture_output=True, check=True)
    return col.stdout.decode("utf-8", errors="replace")


def page_id(page: Path) -> str:
    """``ls.1.gz`` → ``ls.1.txt``; pages of the same name in two sections stay distinct."""
    name = page.name.removesuffix(".gz")
    return f"{name}.txt"


def sections(text: str) -> list[tuple[str, list[str]]]:
    """Split a rendered page into (header, lines) pairs; headers are unindented capitals."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if line and not line[0].isspace() and SECTION_HEADER.match(line.strip()):
            out.append((line.strip(), []))
        else:
            out[-1][1].append(line)
    return out


def nom_description(text: str) -> str | None:
    """The description half of the NOM line: ``ls - Afficher le contenu`` → ``Afficher …``."""
    for header, lines in sections(text):
        if header in ("NOM", "NAME"):
            joined = " ".join(line.strip() for line in lines if line.strip())
            parts = re.split(r"\s[-‐–—]\s", joined, maxsplit=1)
            if len(parts) == 2 and parts[1].strip():
                return parts[1].strip()
            return None
    return None


def without_nom(text: str) -> str:
    """The page with its NOM section dropped, so its query is not a verbatim line of it."""
    kept: list[str] = []
    for header, lines in sections(text):
        if header in ("NOM", "NAME"):
            continue
        if header:
            kept.append(header)
        kept.extend(lines)
    return "\n".join(kept) + "\n"


def build_manfr(data: Path = DATA, jobs: int = 2) -> None:
    """Render every French man page (symlinks skipped: they repeat a page) and write queries."""
    pages = sorted(p for p in MAN_ROOT.rglob("*.gz") if p.is_file() and not p.is_symlink())
    if not pages:
        sys.exit(f"no man pages under {MAN_ROOT}: apt-get install manpages-fr man-db")
    full, nonom = data / "manfr", data / "manfr-nonom"
    for folder in (full, nonom):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    with ThreadPoolExecutor(jobs) as pool:
        texts = list(pool.map(render, pages))
    queries: dict[str, list[str]] = {}
    for page, text in zip(pages, texts, strict=True):
        if len(text.strip()) < 50:
            continue
        doc = page_id(page)
        (full / doc).write_text(text, encoding="utf-8")
        (nonom / doc).write_text(without_nom(text), encoding="utf-8")
        desc = nom_description(text)
        if desc and len(desc.split()) >= 2:
            queries.setdefault(desc, []).append(doc)
    # A description shared by several pages (``bzip2``/``bunzip2``) has all of them as answers.
    with (data / "queries.tsv").open("w", encoding="utf-8") as out:
        for desc, docs in sorted(queries.items(), key=lambda kv: kv[1][0]):
            out.write(f"{' '.join(docs)}\t{desc}\n")


def paragraphs(corpus: Path) -> list[str]:
    """Blank-line separated blocks of the pages, short ones (headers) dropped."""
    blocks: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            if len(block.strip()) >= 80:
                blocks.append(block.strip() + "\n")
    return blocks


def build_scale(size: int, data: Path = DATA) -> Path:
    """``size`` one-paragraph documents, cycling over the corpus paragraphs; 1000 per folder."""
    target = data / f"scale-{size // 1000}k"
    if (target / ".complete").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    blocks = paragraphs(data / "manfr")
    for n in range(size):
        folder = target / f"{n // 1000:04d}"
        if n % 1000 == 0:
            folder.mkdir(parents=True)
        (folder / f"{n:06d}.txt").write_text(blocks[n % len(blocks)], encoding="utf-8")
    (target / ".complete").touch()
    return target


def corpus_size(corpus: Path) -> tuple[int, int]:
    """(documents, bytes) of the .txt files under ``corpus``."""
    files = [p for p in corpus.rglob("*.txt")]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="*", default=[], help="e.g. 10000 50000")
    parser.add_argument("--force", action="store_true", help="re-render the man pages")
    args = parser.parse_args(argv)
    if args.force or not (DATA / "queries.tsv").exists():
        build_manfr()
    for size in args.scale:
        build_scale(size)
    for folder in sorted(DATA.iterdir()):
        if folder.is_dir():
            docs, size = corpus_size(folder)
            print(f"{folder.name}: {docs} documents, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
