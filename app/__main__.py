"""`python -m app` starts nn-tutor, exactly like the `nn-tutor` command."""

import sys

from app.main import main

if __name__ == "__main__":
    sys.exit(main())
