"""Read digest files (or stdin) and parse them, all before anything is written.

Text pages named as files are parsed as the import reaches them (:meth:`Inputs.stream`): a 50k
import held all 200 pages' text and parses (~100 MB) through the whole merge and write."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar

from digestreader.export.jsonio import ExportFormatError, from_json, looks_like_export
from digestreader.ingest.hf import digest_name as hf_digest_name
from digestreader.ingest.hf import looks_like_hf, parse_hf_bytes
from digestreader.ingest.parser import ParseError, parse_bytes
from digestreader.models import Digest, Paper, UserState
from digestreader.sanitize import clean_line, clean_name

STDIN = "-"
_T = TypeVar("_T")
HEAD_BYTES = 4096  # enough to tell a text page from JSON (an export, the HF daily papers)


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
    """Everything named: digest pages (parsed, or files parsed when the import reaches them),
    and JSON exports to restore."""

    digests: list[tuple[str, Digest]] = field(default_factory=list)
    exports: list[tuple[Paper, UserState]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # text page files, parsed by :meth:`stream`
    # for each page, how many parsed digests were named before it: the import keeps the order
    pages_after: list[int] = field(default_factory=list)

    @property
    def has_digests(self) -> bool:
        """Whether any digest page was named."""
        return bool(self.digests or self.pages)

    @property
    def digest_names(self) -> list[str]:
        """The names the digests are imported under, in the order named."""
        return [name for name, _ in self._in_order(lambda _page: None)]

    def stream(self) -> Iterator[tuple[str, Digest]]:
        """The digests in the order named, each file of :attr:`pages` read and parsed only when
        the import reaches it: one page's text and parse held at a time. A bad page raises
        before the import writes anything (the write comes after the last page)."""
        return self._in_order(lambda page: parse_bytes(read_source(page), clean_line(page)))

    def _in_order(self, parse: Callable[[str], _T]) -> Iterator[tuple[str, Digest | _T]]:
        done = 0
        after = self.pages_after or [len(self.digests)] * len(self.pages)
        for page, before in zip(self.pages, after, strict=True):
            yield from self.digests[done:before]
            done = max(done, before)
            yield digest_name(page), parse(page)
        yield from self.digests[done:]


def _head(name: str) -> bytes:
    """The first bytes of a file: enough to tell a text page from JSON."""
    try:
        with Path(name).open("rb") as file:
            return file.read(HEAD_BYTES)
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder; give the digest files in it") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read: {err.strerror}") from None


def load_inputs(names: list[str], stdin: BinaryIO | None = None) -> Inputs:
    """Read the exports, JSON pages and stdin, and check that every text page can be opened
    (text pages are parsed as the import reaches them: :meth:`Inputs.stream`); the first bad
    input raises, so nothing is written."""
    inputs = Inputs()
    for name in names:
        shown = "<stdin>" if name == STDIN else clean_line(name)  # names reach the terminal
        head = b"" if name == STDIN or name.endswith(".json") else _head(name)
        if head.strip() and not looks_like_export(head) and not looks_like_hf(head):
            inputs.pages.append(name)
            inputs.pages_after.append(len(inputs.digests))
            continue
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
