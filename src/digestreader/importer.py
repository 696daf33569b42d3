"""Read digest files (or stdin) and parse them, all before anything is written."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from digestreader.models import Digest
from digestreader.parser import ParseError, parse_bytes

STDIN = "-"


class InputError(Exception):
    """A file that cannot be read. ``str()`` is one line naming it."""


def read_source(name: str, stdin: BinaryIO | None = None) -> bytes:
    """The bytes of a file, or of standard input for ``-``."""
    if name == STDIN:
        return (stdin or sys.stdin.buffer).read()
    path = Path(name)
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder; give the digest files in it") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read: {err.strerror}") from None


def digest_name(name: str) -> str:
    """The name a digest is known by in the library: the file's stem, or "stdin"."""
    return "stdin" if name == STDIN else Path(name).stem


def parse_sources(names: list[str], stdin: BinaryIO | None = None) -> list[tuple[str, Digest]]:
    """Parse every named digest; the first bad one raises, so a failed import writes nothing."""
    parsed = []
    for name in names:
        shown = "<stdin>" if name == STDIN else name
        data = read_source(name, stdin)
        parsed.append((digest_name(name), parse_bytes(data, shown)))
    return parsed


__all__ = ["InputError", "ParseError", "parse_sources", "read_source"]
