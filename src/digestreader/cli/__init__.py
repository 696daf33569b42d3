"""The command line: argparse front door (see :mod:`digestreader.cli.main`)."""

PROG = "digestreader"


class CommandError(Exception):
    """An error reported as one line with exit code 1."""
