"""Start the reader on a library, importing files first."""

from __future__ import annotations

import sys

from digestreader.library import Library


def run_reader(library: Library, files: list[str]) -> int:
    """Open the reader; returns the exit code."""
    print("digestreader: the reader is not built yet; use a command (see --help)", file=sys.stderr)
    return 1
