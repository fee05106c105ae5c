#!/usr/bin/env bash
# The one command for fouille's benchmark on a fresh Debian machine (run as root, from anywhere):
#   bash bench/run.sh            # full run, writes bench/REPORT.md, bench/growth.png
#   bash bench/run.sh --quick    # a few minutes
# Installs: manpages-fr, man-db, recollcmd (apt) and fouille with its [bench] extra
# (simplemma, matplotlib) into the active Python environment.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v recollindex >/dev/null || [ ! -d /usr/share/man/fr ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y manpages-fr man-db recollcmd
fi
if ! python -c "import search, simplemma, matplotlib" 2>/dev/null; then
    python -m pip install -q -e '.[bench]'
fi
python -m bench.build_corpus
python -m bench.run "$@"
