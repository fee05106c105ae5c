"""What watching a corpus folder costs with watchfiles and with watchdog (the choice behind
``search/watch.py``), and what the "folder changed" check of ``fouille search`` costs on a
big folder (``search/freshness.py``).

    python bench/watch_cost.py [--files 3600] [--idle 10] [--stale-files 100000]

For each library, a child process watches a generated corpus (``--files`` articles in folders
of 100) and prints how many distinct files it has seen change. The parent measures, from
/proc: the child's start-up (to its "ready": the import, and for watchdog the watches set up),
its resident memory, its CPU while nothing changes (``--idle`` seconds), then the CPU and the
delay until all of a burst of 500 new files has been seen. Both use inotify on Linux.

The check is timed on ``--stale-files`` empty files in folders of 100 when nothing changed
(its worst case: it walks everything), beside a stat of every file and the corpus scan an
incremental update starts with. CPU seconds are the figures to compare on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BURST = 500

CHILD = {
    "watchfiles": """
import sys, time
from watchfiles import watch
root = sys.argv[1]
print("ready", flush=True)
seen = set()
for changes in watch(root, debounce=200, step=50, rust_timeout=0, yield_on_timeout=False):
    seen.update(path for _, path in changes if path.endswith(".txt"))
    print("seen", len(seen), time.time(), flush=True)
""",
    "watchdog": """
import sys, time, threading
from watchdog.observers import Observer
from watchdog.events import FileSystemEventHandler
root = sys.argv[1]
lock = threading.Lock()
pending = []
seen = set()
last_event = 0.0
class H(FileSystemEventHandler):
    def on_any_event(self, event):
        global last_event
        with lock:
            pending.append(event)
            last_event = time.monotonic()
obs = Observer()
obs.schedule(H(), root, recursive=True)
obs.start()
print("ready", flush=True)
while True:  # the same coalescing as watchfiles: report after 200 ms without events
    time.sleep(0.05)
    with lock:
        if pending and time.monotonic() - last_event > 0.2:
            seen.update(e.src_path for e in pending if e.src_path.endswith(".txt"))
            print("seen", len(seen), time.time(), flush=True)
            pending.clear()
""",
}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def make_corpus(root: Path, files: int) -> None:
    for n in range(files):
        folder = root / f"d{n // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"a{n:06d}.txt").write_text(f"Titre {n}\n\nTexte de l'article {n}.\n")


def measure(library: str, files: int, idle: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        make_corpus(root, files)
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD[library], str(root)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        try:
            assert child.stdout.readline().strip() == "ready"
            ready = time.perf_counter() - start
            time.sleep(1.0)
            cpu0 = cpu_seconds(child.pid)
            time.sleep(idle)
            idle_cpu = cpu_seconds(child.pid) - cpu0
            rss = rss_mb(child.pid)
            burst = root / "burst"
            burst.mkdir()
            time.sleep(0.5)
            cpu0 = cpu_seconds(child.pid)
            written = time.time()
            for n in range(BURST):
                (burst / f"b{n:04d}.txt").write_text(f"Nouveau {n}\n")
            seen, last = 0, 0.0
            while seen < BURST:  # distinct files seen so far, and when
                _, count, stamp = child.stdout.readline().split()
                seen, last = int(count), float(stamp)
            burst_cpu = cpu_seconds(child.pid) - cpu0
            burst_rss = rss_mb(child.pid)
        finally:
            child.kill()
            child.wait()
    return {
        "ready s": ready,
        "idle CPU %": 100 * idle_cpu / idle,
        "RSS MB": rss,
        "burst seen after s": last - written,
        "burst CPU s": burst_cpu,
        "RSS after burst MB": burst_rss,
    }


def staleness_cost(files: int) -> dict[str, float]:
    """Seconds for the check ``fouille search`` makes when nothing changed (it walks the whole
    folder: its worst case), on ``files`` empty files in folders of 100; beside it, the corpus
    scan an incremental update starts with, for scale."""
    from search.corpus import scan_corpus
    from search.freshness import changed_since

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        for n in range(files):
            folder = root / f"d{n // 100:04d}"
            if n % 100 == 0:
                folder.mkdir(parents=True)
            (folder / f"a{n:06d}.txt").touch()
        since = time.time_ns()

        def stat_every_file() -> None:  # the alternative: also sees files rewritten in place
            for folder, _, names in os.walk(root):
                for name in names:
                    os.stat(os.path.join(folder, name))

        figures = {}
        for name, run in [
            ("check", lambda: changed_since(root, since)),
            ("check again", lambda: changed_since(root, since)),
            ("stat every file", stat_every_file),
            ("scan_corpus", lambda: scan_corpus(root)),
        ]:
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            figures[f"{name} CPU s"] = time.process_time() - cpu
            figures[f"{name} wall s"] = time.perf_counter() - wall
        shutil.rmtree(root)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3600)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--stale-files", type=int, default=100_000)
    args = parser.parse_args()
    for library in CHILD if args.files else ():
        figures = measure(library, args.files, args.idle)
        print(library, "  ".join(f"{k}: {v:.3f}" for k, v in figures.items()), flush=True)
    if args.stale_files:
        figures = staleness_cost(args.stale_files)
        print(
            f"staleness check, {args.stale_files} files:",
            "  ".join(f"{k}: {v:.3f}" for k, v in figures.items()),
        )


if __name__ == "__main__":
    main()
