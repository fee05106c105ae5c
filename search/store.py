"""Where the index lives on disk, and how a rebuild replaces it atomically.

Layout of an index folder::

    index/
      CURRENT          {"generation": "gen-…", "schema": N, "corpus": "/abs/seeds", "built_at": …}
      gen-<stamp>/     one complete Whoosh index per full build (usually one; two while a
                       reader still holds the previous one), holding:
        _MAIN_<n>.toc, MAIN_*.seg   Whoosh's table of contents and segments
        checksums.json              a hash per segment file (search.health)
        lexicon.jsonl               the corpus's words (search.lexicon)
        readers.lock                shared-flock()ed by every process reading the generation
      write.lock       flock()ed by the one process allowed to write

``N`` is :data:`search.schema.SCHEMA_VERSION` of the fouille that built the generation.

A full rebuild writes a new ``gen-*`` folder beside the live one, then replaces ``CURRENT`` with
``os.replace`` — atomic on POSIX — so a reader sees the old index or the new one, never a mix,
and a rebuild that fails or is killed leaves the old one in place. ``flock`` locks vanish with
the process that held them, so a killed writer never leaves a stale lock behind.

**Freeing old generations.** Every reader (an :class:`~search.engine.Engine` searcher, in any
process) holds a shared ``flock`` on its generation's ``readers.lock`` for as long as it reads
it. A generation that is no longer live is deleted by whoever can take that lock exclusively:
the writer right after publishing, the next writer (which also removes what a killed run left:
unfinished ``gen-*`` folders, ``CURRENT.tmp-*``, temporary and stray files inside the live
generation), or the last reader when it lets go. The kernel keeps flock state per open file
across processes, so a reader in another process is seen; a process that dies drops its locks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from search.errors import IndexLockedError, IndexUnavailable

CURRENT = "CURRENT"
LOCK = "write.lock"
GEN_PREFIX = "gen-"
READERS_LOCK = "readers.lock"
TEMP_MARK = ".tmp-"
"""Files being written are named ``<name>.tmp-<pid>`` and renamed when complete."""


@dataclass(frozen=True)
class Pointer:
    """The content of ``CURRENT``: which generation is live, and what built it."""

    generation: str
    schema: int
    corpus: str
    built_at: dt.datetime | None


NO_INDEX = "no index yet"
DAMAGED_POINTER = "the index pointer (CURRENT) is damaged"


def read_pointer(index_dir: Path) -> Pointer | None:
    """The live generation, or None when there is no (readable) index."""
    return pointer_status(index_dir)[0]


def pointer_status(index_dir: Path) -> tuple[Pointer | None, str | None]:
    """The live generation, or None and why: :data:`NO_INDEX` or :data:`DAMAGED_POINTER`.

    ``CURRENT`` is untrusted data: anything but a JSON object with a ``gen-*`` name of this
    folder, an integer schema and text or nothing elsewhere is a damaged pointer, which a
    rebuild replaces (never an exception: ``[]``, ``null`` and ``3e400`` are valid JSON).
    """
    try:
        raw = (index_dir / CURRENT).read_bytes()
    except FileNotFoundError:
        return None, NO_INDEX
    except NotADirectoryError as exc:
        raise IndexUnavailable(f"index path is not a folder: {index_dir}") from exc
    except OSError:
        return None, DAMAGED_POINTER
    pointer = _parse_pointer(raw)
    return (pointer, None) if pointer is not None else (None, DAMAGED_POINTER)


def _parse_pointer(raw: bytes) -> Pointer | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        return None
    if not isinstance(data, dict):
        return None
    generation, schema = data.get("generation"), data.get("schema")
    corpus, built = data.get("corpus", ""), data.get("built_at")
    if not isinstance(generation, str) or not generation.startswith(GEN_PREFIX):
        return None
    if "/" in generation or "\\" in generation or "\0" in generation:
        return None
    if not isinstance(schema, int) or isinstance(schema, bool):
        return None
    if not isinstance(corpus, str) or not isinstance(built, (str, type(None))):
        return None
    try:
        built_at = dt.datetime.fromisoformat(built) if built else None
    except ValueError:
        return None
    return Pointer(generation=generation, schema=schema, corpus=corpus, built_at=built_at)


def new_generation_dir(index_dir: Path) -> Path:
    """A fresh, empty folder for a full build, beside the live generation."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = index_dir / f"{GEN_PREFIX}{stamp}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
        path.mkdir()
        (path / READERS_LOCK).touch()
    except OSError as exc:
        raise unwritable(index_dir, exc) from exc
    return path


def publish(index_dir: Path, generation: Path, schema: int, corpus: Path, *, kept: str) -> None:
    """Make ``generation`` the live index in one atomic step, then free the generations no
    reader holds. ``kept``: what a failure leaves (:func:`kept_message` of the pointer the
    writer read under its lock: CURRENT is not read again here)."""
    data = {
        "generation": generation.name,
        "schema": schema,
        "corpus": str(corpus),
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    try:
        _fsync_files(generation)
        write_atomically(index_dir / CURRENT, json.dumps(data).encode("utf-8"))
        _fsync_dir(index_dir)
    except OSError as exc:
        raise unwritable(index_dir, exc, kept=kept) from exc
    prune(index_dir, {generation.name})


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` so that a reader sees the previous file or this one, whole and on disk
    (through ``<name>.tmp-<pid>``, which is removed on failure; a killed writer's is removed by
    the next writer). The temporary name is the thread's own too: in the app, a search saving a
    rebuilt lexicon and the folder watcher's writer can write the same file at once."""
    tmp = path.with_name(f"{path.name}{TEMP_MARK}{os.getpid()}-{threading.get_ident()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def kept_message(previous: Pointer | None) -> str:
    """What a failed or stopped rebuild leaves: the previous index, or none at all."""
    return "the previous index is kept" if previous else "no index was written"


def prune(index_dir: Path, keep: set[str]) -> None:
    """Delete what is neither live (``keep``) nor read: superseded generations no reader holds,
    unfinished builds, half-written pointers. Only a writer (holding the write lock) calls this:
    no other build is under way."""
    with contextlib.suppress(OSError):
        for child in index_dir.iterdir():
            if child.name.startswith(GEN_PREFIX) and child.name not in keep and child.is_dir():
                free_generation(index_dir, child.name)
            elif child.name.startswith(f"{CURRENT}{TEMP_MARK}"):
                with contextlib.suppress(OSError):
                    child.unlink()


def free_generation(index_dir: Path, generation: str) -> bool:
    """Delete a generation that is not live if no reader holds it (True when deleted)."""
    folder = index_dir / generation
    try:
        fd = os.open(folder / READERS_LOCK, os.O_RDONLY)
    except FileNotFoundError:  # an unfinished build, or one from before reader locks
        fd = None
    except OSError:
        return False
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # held by a reader (BlockingIOError), or no locks here
                return False
        live = read_pointer(index_dir)
        if live is not None and live.generation == generation:
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return not folder.exists()
    finally:
        if fd is not None:
            os.close(fd)


class GenerationGone(Exception):
    """The generation was deleted (superseded and freed) before its reader lock was taken."""


def hold_generation(index_dir: Path, generation: str) -> int | None:
    """Take a shared reader lock on ``generation`` so no writer deletes it while it is read;
    returns the descriptor to pass to :func:`release_generation`, or None where there is no
    lock to take (an index from before reader locks, a folder without file locks).
    Raises GenerationGone when the generation is being or was deleted: read CURRENT again."""
    path = index_dir / generation / READERS_LOCK
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        if not (index_dir / generation).is_dir():
            raise GenerationGone(generation) from None
        return None
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        if os.fstat(fd).st_nlink == 0:  # deleted between our open and our lock
            raise GenerationGone(generation)
    except BlockingIOError:  # a writer holds it exclusively: it is deleting it
        os.close(fd)
        raise GenerationGone(generation) from None
    except GenerationGone:
        os.close(fd)
        raise
    except OSError:  # ENOLCK: no locks on this file system
        os.close(fd)
        return None
    return fd


def release_generation(index_dir: Path, generation: str, fd: int | None) -> None:
    """Let go of a generation; if it is no longer live and no one else reads it, free it."""
    if fd is not None:
        os.close(fd)
    live = read_pointer(index_dir)
    if live is not None and live.generation != generation:
        with contextlib.suppress(OSError):
            free_generation(index_dir, generation)


def remove_debris(index_dir: Path, live: str | None) -> None:
    """What killed writers leave, removed by the next writer (under the write lock): every
    generation but the live one that no reader holds, half-written pointers, and in the live
    generation the temporary files (``*.tmp-*``), half-written Whoosh TOCs (``_*.toc.<time>``:
    Whoosh writes then renames them, and never cleans up after a kill) and the lexicon of the
    former format (a pickle, never read)."""
    prune(index_dir, {live} if live else set())
    if live is None:
        return
    with contextlib.suppress(OSError):
        for child in (index_dir / live).iterdir():
            name = child.name
            stray_toc = name.startswith("_") and ".toc." in name
            if TEMP_MARK in name or stray_toc or name == "lexicon.pickle":
                with contextlib.suppress(OSError):
                    child.unlink()


def discard(generation: Path) -> None:
    """Remove an unfinished build; never the live generation: once ``CURRENT`` names it, the
    build is finished whatever fails after (a second Ctrl-C while :func:`publish` frees the
    superseded generation, a failed fsync of the folder)."""
    live = read_pointer(generation.parent)
    if live is not None and live.generation == generation.name:
        return
    shutil.rmtree(generation, ignore_errors=True)


def unwritable(index_dir: Path, exc: OSError, kept: str = "") -> IndexUnavailable:
    """The one-line error for a write that failed: full disk, read-only folder, quota."""
    reason = (exc.strerror or type(exc).__name__).lower()
    message = f"cannot write the index folder {index_dir}: {reason}"
    return IndexUnavailable(
        f"{message}; {kept}" if kept else message, hint=_WRITE_HINTS.get(exc.errno)
    )


_WRITE_HINTS = {
    errno.ENOSPC: "free some disk space, or pass --index DIR on another disk",
    errno.EDQUOT: "free some disk space, or pass --index DIR on another disk",
    errno.EACCES: "pass --index DIR with a folder you can write to",
    errno.EPERM: "pass --index DIR with a folder you can write to",
    errno.EROFS: "pass --index DIR with a folder you can write to",
}


def _fsync_files(generation: Path) -> None:
    """Put the generation's files on disk before CURRENT names it: Whoosh does not fsync, and
    after a power cut a pointer to unwritten segments would lose the old index for nothing."""
    fsync_files(generation)
    _fsync_dir(generation)


def fsync_files(folder: Path, suffix: str = "") -> None:
    """Put the files of ``folder`` whose names end with ``suffix`` on disk (a writer may do it
    for its segments before :func:`publish`, whose own pass then finds them clean)."""
    for entry in os.scandir(folder):
        if entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False):
            fd = os.open(entry.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's write lock, or fail at once, naming the process that holds it.

    ``flock`` belongs to the open file: the kernel drops it when its holder exits, however it
    exits, so a killed writer never leaves a stale lock. The holder's pid written in the file
    is only for the message; a leftover pid from a dead writer is harmless.
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise unwritable(index_dir, exc) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = _lock_holder(fd)
            pid = f" (pid {holder})" if holder and holder != os.getpid() else ""
            raise IndexLockedError(
                f"another fouille process{pid} is updating the index in {index_dir}",
                hint="wait for it to finish, then run the command again",
            ) from exc
        except OSError as exc:  # ENOLCK, EOPNOTSUPP: a network file system without locks
            raise IndexUnavailable(
                f"cannot lock the index folder {index_dir}: {(exc.strerror or '').lower()}",
                hint="pass --index DIR with a folder on a local disk",
            ) from exc
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _lock_holder(fd: int) -> int | None:
    """The pid the lock holder wrote, if it is still running."""
    try:
        pid = int(os.pread(fd, 32, 0).decode("ascii").strip())
        os.kill(pid, 0)
    except PermissionError:  # running, as another user
        return pid
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return pid


def index_size(index_dir: Path, generation: str) -> int:
    """Bytes on disk of one generation."""
    total = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(index_dir / generation):
            with contextlib.suppress(OSError):
                total += entry.stat().st_size
    return total
