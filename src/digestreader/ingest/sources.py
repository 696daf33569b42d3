"""Read digest files (or stdin) and parse them, all before anything is written."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from digestreader.export.jsonio import ExportFormatError, from_json, looks_like_export
from digestreader.ingest.hf import digest_name as hf_digest_name
from digestreader.ingest.hf import looks_like_hf, parse_hf_bytes
from digestreader.ingest.parser import ParseError, parse_bytes
from digestreader.models import Digest, Paper, UserState
from digestreader.sanitize import clean_line, clean_name

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
    """The name a digest is known by in the library: the file's stem cleaned, or "stdin"."""
    return "stdin" if name == STDIN else clean_name(name)


@dataclass
class Inputs:
    """Everything read from the named files: digest pages, and JSON exports to restore."""

    digests: list[tuple[str, Digest]] = field(default_factory=list)
    exports: list[tuple[Paper, UserState]] = field(default_factory=list)


def load_inputs(names: list[str], stdin: BinaryIO | None = None) -> Inputs:
    """Read and parse every named file; the first bad one raises, so nothing is written."""
    inputs = Inputs()
    for name in names:
        shown = "<stdin>" if name == STDIN else clean_line(name)  # names reach the terminal
        data = read_source(name, stdin)
        if looks_like_hf(data):  # the daily papers JSON: a list or JSON Lines, not an export
            digest = parse_hf_bytes(data, shown)
            named = hf_digest_name(digest.iso_date) if digest.iso_date else digest_name(name)
            inputs.digests.append((named, digest))
        elif name.endswith(".json") or looks_like_export(data):
            inputs.exports.extend(from_json(data, shown))
        else:
            inputs.digests.append((digest_name(name), parse_bytes(data, shown)))
    return inputs


def parse_sources(names: list[str], stdin: BinaryIO | None = None) -> list[tuple[str, Digest]]:
    """Parse digest pages only (JSON exports among them are refused by the parser)."""
    return [(digest_name(n), parse_bytes(read_source(n, stdin), clean_line(n))) for n in names]


__all__ = ["ExportFormatError", "InputError", "Inputs", "ParseError", "load_inputs", "read_source"]
