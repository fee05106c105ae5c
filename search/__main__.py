"""``python -m search``: the same command as ``fouille`` (useful before the script is installed)."""

import sys

from search.cli import main

if __name__ == "__main__":  # worker processes started by spawn/forkserver import this module too
    sys.exit(main())
