"""The command line: argparse front door (see :mod:`digestreader.cli.main`)."""
