"""PDF reports: the text of every page by pypdf (in content-stream order, which is reading order
for the single-column PDFs word processors write; pdfminer.six's layout analysis was measured
slower for the same text, see bench/extraction.py), and the document's title, author and
creation date. Encrypted files without an empty password and files without a text layer
(scans) are skipped with a one-line reason."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from search.extract import Extracted, Unextractable
from search.extract.dates import parse_date, year_ok

# Titles word processors write on their own: "Microsoft Word - rapport.docx", "untitled".
_GENERATED_TITLE = re.compile(
    r"^(?:microsoft\s+\w+\s+-\s+.*|untitled|sans\s+titre|.*\.(?:docx?|odt|pdf|rtf|tex))$",
    re.IGNORECASE,
)


def extract(data: bytes) -> Extracted:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise Unextractable("encrypted PDF (a password is needed)")
        except (DependencyError, FileNotDecryptedError, NotImplementedError) as exc:
            raise Unextractable("encrypted PDF (cannot be decrypted)") from exc
    pages = [page.extract_text() or "" for page in reader.pages]
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise Unextractable("no text layer in the PDF (scanned or image-only)")
    info = _info(reader)
    title = info.get("/Title")
    return Extracted(
        text=text,
        title=title if title and not _GENERATED_TITLE.match(title) else None,
        date=year_ok(parse_date(info.get("/CreationDate"))),
        author=info.get("/Author") or None,
    )


def _info(reader: PdfReader) -> dict[str, str]:
    """The document information dictionary as plain strings (empty when damaged)."""
    try:
        metadata = reader.metadata or {}
        return {
            key: str(value).strip()
            for key, value in metadata.items()
            if isinstance(value, str) and value.strip()
        }
    except Exception:  # a damaged info dictionary does not make the text unreadable
        return {}
