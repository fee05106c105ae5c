"""Zip containers (DOCX, ODT, EPUB): refuse the ones that would unpack into far more than their
size (zip bombs) before a library inflates them; the child process's memory cap catches what a
lying zip directory hides."""

from __future__ import annotations

import io
import zipfile

MAX_UNPACKED = 256 * 1024 * 1024
MAX_RATIO = 200  # real office files compress text 5-20 times; bombs thousands of times
_SMALL = 1024 * 1024  # below this, any ratio is harmless


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """``data`` as a zip archive, after checking its declared sizes. Raises Unextractable."""
    from search.extract import Unextractable

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Unextractable(f"damaged {kind} (not a zip archive)") from exc
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED or (unpacked > _SMALL and unpacked > MAX_RATIO * len(data)):
        raise Unextractable(
            f"zip bomb suspected ({len(data) // 1024} KB unpacks to {unpacked // 2**20} MB)"
        )
    return archive
