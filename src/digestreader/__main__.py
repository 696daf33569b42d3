"""Run the command line as ``python -m digestreader``."""

import sys

from digestreader.cli import main

sys.exit(main())
