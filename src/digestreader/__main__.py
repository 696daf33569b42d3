"""Run the command line as ``python -m digestreader``."""

import sys

from digestreader.cli.main import main

sys.exit(main())
