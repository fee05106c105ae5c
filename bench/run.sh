#!/usr/bin/env bash
# The one command for fouille's benchmark on a fresh Debian machine (run as root, from anywhere):
#   bash bench/run.sh            # full run (~30 min), writes bench/REPORT.md, growth.png, results.json
#   bash bench/run.sh --quick    # a few minutes
# Installs: manpages-fr, man-db, recollcmd, python3-recoll, Debian's French manuals (apt) and fouille with its
# [bench] extra (simplemma, matplotlib, tantivy, pdfminer.six) into the active Python environment (use a virtualenv: Debian's system
# Python refuses pip installs); set PYTHON=/path/to/python to choose another interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-$(command -v python || command -v python3)}"  # the active venv's, preferably
if ! command -v recollindex >/dev/null || [ ! -d /usr/share/man/fr ] \
    || [ ! -d /usr/lib/python3/dist-packages/recoll ] || [ ! -d /usr/share/debian-reference ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y manpages-fr man-db recollcmd python3-recoll \
        debian-reference-fr debian-faq-fr developers-reference-fr aptitude-doc-fr
fi
if ! "$PY" -c "import search, simplemma, matplotlib, tantivy, pdfminer" 2>/dev/null; then
    "$PY" -m pip install -q -e '.[bench]'
fi
"$PY" -m bench.build_corpus
"$PY" -m bench.run "$@"
