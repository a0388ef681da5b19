"""Allow ``python -m sillok``."""

import sys

from sillok.cli import main

sys.exit(main())
