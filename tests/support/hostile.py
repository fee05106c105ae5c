"""A small corpus of the files real folders contain and naive loaders crash on.

Shared by the corpus tests and by engine/CLI tests that index it end to end:
``build_hostile_corpus(tmp_path)`` returns what each id should become.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

FRENCH = "L’été à Noël, cœur et œuvre : 20 €"


@dataclass(frozen=True)
class Expected:
    """What loading one hostile file must give: a title, or a skip reason (prefix)."""

    title: str | None = None
    skipped: str | None = None


def write(root: Path, name: str | bytes, data: bytes) -> Path:
    """Create ``root/name``; a bytes name may hold bytes that are not valid UTF-8."""
    path = os.path.join(os.fsencode(root), name if isinstance(name, bytes) else os.fsencode(name))
    with open(path, "wb") as f:
        f.write(data)
    return Path(os.fsdecode(path))


def build_hostile_corpus(root: Path) -> dict[str, Expected]:
    """Fill ``root`` with hostile files; the map gives, per corpus id, the expected outcome."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sub" / "deeper").mkdir(parents=True)
    expected: dict[str, Expected] = {}

    write(root, "utf8.txt", f"Un titre en UTF-8\n{FRENCH}\n".encode())
    expected["utf8.txt"] = Expected(title="Un titre en UTF-8")
    write(root, "cp1252.txt", f"Un titre sous Windows\n{FRENCH}\n".encode("cp1252"))
    expected["cp1252.txt"] = Expected(title="Un titre sous Windows")
    write(root, "latin1.txt", "Élève au café\nTexte.\n".encode("latin-1"))
    expected["latin1.txt"] = Expected(title="Élève au café")
    write(root, "utf16.txt", f"Un titre en UTF-16\n{FRENCH}\n".encode("utf-16"))
    expected["utf16.txt"] = Expected(title="Un titre en UTF-16")
    write(root, "nfd.txt", "Ope\u0301ration e\u0301te\u0301\nTexte.\n".encode())
    expected["nfd.txt"] = Expected(title="Opération été")
    write(root, "escapes.txt", b"\x1b[31mTitre\x1b[0m \xe2\x80\xae\x1b]0;pwned\x07rouge\nx\n")
    expected["escapes.txt"] = Expected(title="Titre rouge")
    write(root, "empty.txt", b"")
    expected["empty.txt"] = Expected(title="empty")
    write(root, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    expected["binary.txt"] = Expected(skipped="binary content")
    write(root, "nom avec espaces.txt", b"Espaces\n")
    expected["nom avec espaces.txt"] = Expected(title="Espaces")
    write(root, "ligne\nnouvelle.txt", b"Saut de ligne\n")
    expected["ligne\\nnouvelle.txt"] = Expected(title="Saut de ligne")
    write(root, b"caf\xe9.txt", b"Nom en latin-1\n")
    expected["caf\ufffd.txt"] = Expected(title="Nom en latin-1")
    write(root / "sub" / "deeper", "profond.txt", b"Dans un sous-dossier\n")
    expected["sub/deeper/profond.txt"] = Expected(title="Dans un sous-dossier")
    write(root, "notes.rtf", b"not a supported format, never listed\n")

    os.symlink("nowhere.txt", root / "broken.txt")
    expected["broken.txt"] = Expected(skipped="broken symlink")
    os.symlink("..", root / "sub" / "loop")  # a folder linking to its parent
    os.symlink(root / "utf8.txt", root / "sub" / "lien.txt")  # a followed file link
    expected["sub/lien.txt"] = Expected(title="Un titre en UTF-8")
    return expected
