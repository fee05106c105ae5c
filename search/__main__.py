"""``python -m search``: the same command as ``fouille`` (useful before the script is installed)."""

import sys

from search.cli import main

sys.exit(main())
