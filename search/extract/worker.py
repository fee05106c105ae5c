"""The extraction worker: ``python -m search.extract.worker MEMORY_MB``.

Started by :mod:`search.extract.isolation`. Caps its own address space, imports every format
library, says ``ready``, then answers one JSON object per file: ``{"text", "title", "date",
"source", "author"}`` or ``{"skip": reason}``. Requests are two messages (the extension, then the
bytes) on stdin; answers go out on a copy of stdout, and stdout itself is pointed at /dev/null so
a library that prints cannot corrupt them. Exits when stdin closes.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import signal
import sys
import warnings
from dataclasses import asdict
from multiprocessing.connection import Connection

from search.extract import FORMATS, Unextractable, extractor, format_name


def _cap_memory(memory_mb: int) -> None:
    if sys.platform == "win32":
        return
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def out_of_memory(exc: BaseException) -> bool:
    """True for a failed allocation: Python's MemoryError, or an lxml error whose log holds
    libxml2's ``ERR_NO_MEMORY`` (an XPath run out of memory under the cap raises
    ``XPathEvalError``, not MemoryError: which of the two a page gets depends on where in the
    libraries the allocation fails)."""
    if isinstance(exc, MemoryError):
        return True
    log = getattr(exc, "error_log", None) or ()
    return any(getattr(entry, "type_name", "") == "ERR_NO_MEMORY" for entry in log)


def answer(ext: str, data: bytes, memory_mb: int) -> dict[str, object]:
    """What the worker sends back for one file; never raises."""
    try:
        extracted = extractor(ext)(data)
    except Unextractable as exc:
        return {"skip": str(exc)}
    except RecursionError:
        return {"skip": f"unreadable {format_name(ext)} (nested too deeply)"}
    except Exception as exc:  # every library raises its own kinds on a damaged file
        if out_of_memory(exc):
            return {"skip": f"needs more than {memory_mb} MB of memory", "restart": True}
        return {"skip": f"unreadable {format_name(ext)} ({type(exc).__name__})"}
    result = asdict(extracted)
    result["date"] = extracted.date.isoformat() if extracted.date else None
    return result


def main() -> None:
    memory_mb = int(sys.argv[1])
    # Ctrl-C is for the indexing process, which stops the build; this worker ends when its
    # parent closes the pipe (or exits)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    logging.disable(logging.CRITICAL)  # trafilatura and pypdf log to stderr
    warnings.simplefilter("ignore")
    for module in sorted(set(FORMATS.values())):
        importlib.import_module(f"search.extract.{module}")
    _cap_memory(memory_mb)
    answers.send_bytes(b"ready")
    while True:
        try:
            ext = requests.recv_bytes().decode()
            data = requests.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            reply = json.dumps(answer(ext, data, memory_mb), ensure_ascii=False)
        except MemoryError:
            reply = json.dumps({"skip": f"needs more than {memory_mb} MB of memory"})
        answers.send_bytes(reply.encode("utf-8", "surrogatepass"))


if __name__ == "__main__":
    main()
