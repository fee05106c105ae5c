"""One measured step in a fresh process, so peak memory (``ru_maxrss``) is that step's alone.

    python -m bench.worker build|update|touch-update KEY CORPUS WORKDIR

prints one JSON line: ``{"seconds": …, "peak_mb": …}``. ``touch-update`` rewrites one corpus
file (appending a line) before the incremental run, then restores it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from bench.contenders import make


def peak_mb() -> float:
    """This process's peak RSS (VmHWM: ``ru_maxrss`` would include the parent's, inherited at
    fork), or a child's (``recollindex``) when larger."""
    own = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            own = int(line.split()[1])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (workers, recollindex): on a
    shared machine, where other work takes the cores, the figure that does not depend on it."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str]) -> None:
    step, key, corpus, workdir = argv[0], argv[1], Path(argv[2]), Path(argv[3])
    contender = make(key)
    if step == "build":
        cpu = _cpu()
        start = time.perf_counter()
        contender.build(corpus, workdir)
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "cpu_s": _cpu() - cpu}))
        return
    else:
        contender.open(corpus, workdir)
        victim = sorted(corpus.rglob("*.txt"))[len(list(corpus.rglob("*.txt"))) // 2]
        original = victim.read_bytes()
        if step == "touch-update":
            victim.write_bytes(original + "\nLigne ajoutée par le banc d’essai.\n".encode())
        try:
            start = time.perf_counter()
            contender.update()
            seconds = time.perf_counter() - start
        finally:
            if step == "touch-update":
                victim.write_bytes(original)
                contender.update()
        contender.close()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb()}))


if __name__ == "__main__":
    main(sys.argv[1:])
