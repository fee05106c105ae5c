"""Is this index usable? The one decision, which the engine and the indexer both ask.

An index folder is usable when its pointer (``CURRENT``) parses and names a generation, that
generation was built for this corpus by this schema version, and every one of its segments
opens. Anything else has a one-line reason, and the answer to every reason is the same: a full
rebuild (the previous index, if any, stays live until the new one is published).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.reading import IndexReader

from search.schema import SCHEMA_VERSION, column
from search.store import Pointer, pointer_status, write_atomically

CHECKSUMS = "checksums.json"
"""Beside the segments of a generation: ``{segment file: blake2b}``, written by the writer after
each commit. Whoosh keeps no checksums, and bytes overwritten inside a segment pass every cheap
check until a query decompresses them; segment files never change once written (deletions live
in the TOC), so a recorded hash stays valid for the file's life."""
SEGMENT_SUFFIX = ".seg"
_HASH_CHUNK = 1 << 20
OPEN_RETRIES = 10
OPEN_RETRY_SECONDS = 0.05
CHECK_ATTEMPTS = 2  # Whoosh's reader() already retries for half a second inside each attempt


def unusable_reason(
    index_dir: Path,
    *,
    corpus: Path | None = None,
    touch: Callable[[Pointer], None] | None = None,
    thorough: bool = False,
) -> str | None:
    """Why the index in ``index_dir`` must be rebuilt before use, or None when it is usable
    (see :func:`diagnose`)."""
    return diagnose(index_dir, corpus=corpus, touch=touch, thorough=thorough)[1]


def diagnose(
    index_dir: Path,
    *,
    corpus: Path | None = None,
    touch: Callable[[Pointer], None] | None = None,
    thorough: bool = False,
) -> tuple[Pointer | None, str | None]:
    """The live pointer, and why it must be rebuilt before use (None when it is usable).

    ``corpus``: the corpus the caller means (an index built for another one is not usable).
    ``touch``: a cheaper way to read every segment of the pointer's generation, through a
    searcher the caller will reuse; when it raises (damage, or a commit's race), a fresh check
    tells the two apart. ``CURRENT`` is read once, here: callers decide from the pointer
    returned.
    ``thorough``: also hash every segment against the checksums its writer recorded (a few
    milliseconds per MB: ``fouille index`` does it, and a query that trips on the index).
    """
    pointer, why = pointer_status(index_dir)
    if pointer is None:
        return None, why
    if corpus is not None and built_for_another_corpus(pointer, corpus):
        return pointer, f"the index was built for another corpus ({pointer.corpus})"
    if pointer.schema != SCHEMA_VERSION:
        return pointer, (
            f"the index was built by another version of fouille "
            f"(schema {pointer.schema}, this one reads {SCHEMA_VERSION})"
        )
    reason = None
    if touch is not None:
        try:
            touch(pointer)
        except Exception:  # whoosh raises many kinds on a damaged index
            reason = check_generation(index_dir, pointer.generation)
    else:
        reason = check_generation(index_dir, pointer.generation)
    if reason is None and thorough:
        reason = verify_checksums(index_dir / pointer.generation)
    return pointer, reason


def record_checksums(folder: Path) -> None:
    """Record the hash of every segment file of ``folder`` (the writer, after a commit; only
    new segments are read). Merged-away segments are dropped from the record."""
    known = _recorded(folder)
    sums = {}
    for entry in os.scandir(folder):
        if entry.name.endswith(SEGMENT_SUFFIX) and entry.is_file(follow_symlinks=False):
            sums[entry.name] = known.get(entry.name) or _file_hash(Path(entry.path))
    write_atomically(folder / CHECKSUMS, json.dumps(sums).encode("ascii"))


def verify_checksums(folder: Path) -> str | None:
    """Why a segment of ``folder`` is damaged (its bytes differ from its recorded hash), or
    None. Segments without a record (a writer killed before recording) are not judged."""
    for name, expected in sorted(_recorded(folder).items()):
        try:
            actual = _file_hash(folder / name)
        except FileNotFoundError:  # merged away by a commit since: the TOC check judges that
            continue
        except OSError as exc:
            return f"the index is damaged ({type(exc).__name__} reading {name})"
        if actual != expected:
            return f"the index is damaged (segment {name} does not match its checksum)"
    return None


def _recorded(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / CHECKSUMS).read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        k: v
        for k, v in data.items()
        if isinstance(v, str) and k.endswith(SEGMENT_SUFFIX) and "/" not in k and k[:1] != "."
    }


def _file_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def built_for_another_corpus(pointer: Pointer, corpus: Path) -> bool:
    """True when the index was built for a corpus folder other than ``corpus``."""
    return bool(pointer.corpus) and pointer.corpus != str(corpus.resolve())


def open_generation(index_dir: Path, generation: str) -> whoosh_index.Index:
    """Open one generation, riding out a concurrent incremental commit.

    A commit writes a new TOC, then deletes the old one and any merged segments: a reader that
    listed the folder just before can find its TOC gone. That is a race, not damage (taking it
    for damage would trigger a needless full rebuild), so like Whoosh's own ``reader()`` this
    retries a few times before letting FileNotFoundError through.
    """
    for attempt in range(OPEN_RETRIES):
        try:
            return whoosh_index.open_dir(str(index_dir / generation))
        except FileNotFoundError:
            if attempt == OPEN_RETRIES - 1 or not (index_dir / generation).is_dir():
                raise
            time.sleep(OPEN_RETRY_SECONDS)
    raise AssertionError("unreachable")


def check_generation(index_dir: Path, generation: str) -> str | None:
    """Why a generation cannot be searched (missing, truncated or overwritten segment files,
    a Whoosh format this version cannot read), or None when it opens.

    Opening the TOC alone proves little: the segment files are only read when a reader is
    made. This touches each segment's directory, stored fields, ``id`` column and term index
    — about a millisecond — so damage is found before a query trips on it.
    """
    for attempt in range(CHECK_ATTEMPTS):
        try:
            _touch_every_segment(index_dir, generation)
        except FileNotFoundError as exc:  # a commit's race (see open_generation), or damage
            if attempt == CHECK_ATTEMPTS - 1:
                return f"the index is damaged ({type(exc).__name__})"
            time.sleep(OPEN_RETRY_SECONDS)
        except Exception as exc:  # whoosh raises many kinds on a damaged index
            return f"the index is damaged ({type(exc).__name__})"
        else:
            return None
    raise AssertionError("unreachable")


def _touch_every_segment(index_dir: Path, generation: str) -> None:
    ix = open_generation(index_dir, generation)
    try:
        with ix.reader() as reader:
            touch_segments(reader)
    finally:
        ix.close()


def touch_segments(reader: IndexReader) -> None:
    """Read a little of every file of every segment: raises on a missing or cut one."""
    for leaf, _ in reader.leaf_readers():
        last = leaf.doc_count_all() - 1
        if last >= 0:
            ids = column(leaf, "id")
            for docnum in {0, last}:
                leaf.stored_fields(docnum)
                ids[docnum]
        for field in ("title", "body"):
            next(iter(leaf.lexicon(field)), None)
