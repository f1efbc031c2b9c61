"""`python -m nncore` runs the `nncore` command line (see nncore.cli)."""

import sys

from nncore.cli import main

if __name__ == "__main__":
    sys.exit(main())
