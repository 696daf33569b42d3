"""Digest page text -> entries. Pure: no I/O beyond the bytes or text handed to it.

A digest page is a text dump of a "Daily Papers" page: a few header lines, then titles and
abstracts alternating one line each. Two shapes occur, *compact* (no blank lines, the first title
glued to "Subscribe") and *spaced* (blank lines between all lines and a date label such as
"Apr 29" closing the header). Blank lines carry no meaning here, so both shapes parse alike.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from digestreader.models import Digest, Entry
from digestreader.sanitize import clean_line

# Longer than any real title; a longer line where a title should be is a paragraph of prose.
TITLE_MAX = 300
HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox once a day!",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
    }
)
GLUED_PREFIX = "Subscribe"
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
DATE_LABEL = re.compile(rf"^(?:{_MONTHS})[a-z]* \d{{1,2}}(?:, \d{{4}})?$")
_URL = re.compile(r"https?://|www\.|github\.(?:com|io)", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
# The shapes of this app's own exports (export/), so a user who imports one by mistake is told
# what it is. JSON is not here: a JSON export is restored (ingest/sources.py).
EXPORT_SHAPES = (
    ("CSV", re.compile(r"\A\ufeff?id,title,abstract,marked,read,note,digests,url\b.*$", re.M)),
    ("BibTeX", re.compile(r"^@(?:article|misc)\{", re.M)),
    ("RIS", re.compile(r"\A\s*TY  - ")),
    ("Markdown", re.compile(r"^## .*\n\n<[^>\n]*>\n\nSeen in: ", re.M)),
)
NO_STRUCTURE = "no digest structure (a date label, or titles each followed by an abstract)"


class ParseError(ValueError):
    """Input that is not a digest page. ``str()`` is one line naming the source and line."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


def decode(data: bytes, source: str) -> str:
    """Decode a page's bytes as UTF-8, refusing binary data with the offending offset."""
    nul = data.find(b"\x00")
    if nul != -1:
        raise ParseError(source, f"binary data, not a text digest (NUL byte at offset {nul})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        message = f"not UTF-8 text (invalid byte 0x{data[err.start]:02x} at offset {err.start})"
        raise ParseError(source, message, line) from None


def parse_bytes(data: bytes, source: str) -> Digest:
    """Parse a page given as bytes; see :func:`parse_text`."""
    return parse_text(decode(data, source), source)


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    numbered = ((n, clean_line(raw)) for n, raw in enumerate(text.split("\n"), start=1))
    return [(n, line) for n, line in numbered if line]


def _strip_header(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], str | None]:
    """Drop the page header, returning the body and the date label if the header has one."""
    date: str | None = None
    saw_subscribe = False
    start = 0
    while start < len(lines):
        line = lines[start][1]
        if line.casefold() in HEADER_LINES:
            saw_subscribe = saw_subscribe or line.casefold() == "subscribe"
            start += 1
        elif DATE_LABEL.match(line):
            date = line
            start += 1
            break  # the date label closes a spaced header
        else:
            break
    body = lines[start:]
    # Compact pages glue the first title to the "Subscribe" button's text.
    if body and date is None and not saw_subscribe and start > 0:
        number, line = body[0]
        if line.startswith(GLUED_PREFIX):
            glued = line[len(GLUED_PREFIX) :].strip()
            body = [(number, glued), *body[1:]] if glued else body[1:]
    return body, date


def is_prose(line: str) -> bool:
    """Whether a line reads as a paragraph rather than a title (titles are short, unpunctuated)."""
    return (
        len(line) > TITLE_MAX
        or line.endswith(".")
        or _URL.search(line) is not None
        or len(_SENTENCE_BREAK.findall(line)) >= 2
    )


def export_format(text: str) -> str | None:
    """The name of the digestreader export format ``text`` is written in, if it is one."""
    for name, shape in EXPORT_SHAPES:
        if shape.search(text):
            return name
    return None


def parse_text(text: str, source: str) -> Digest:
    """Parse the text of a digest page into its entries.

    A title is a short line followed by its abstract; prose lines after an abstract are further
    paragraphs of it. A last title with no abstract is kept with a warning. Raises
    :class:`ParseError` for empty input, one of our own exports, or text without a digest's
    structure: a date label, or at least one title followed by an abstract that reads as prose.
    """
    kind = export_format(text)
    if kind is not None:
        raise ParseError(
            source,
            f"this is a digestreader {kind} export; import the JSON export "
            "(digestreader export --format json) to restore",
        )
    lines = _numbered_lines(text)
    if not lines:
        raise ParseError(source, "empty file, no papers found", 1 if text else None)
    body, date = _strip_header(lines)
    if not body:
        raise ParseError(source, "no papers found after the page header", lines[-1][0])
    first_number, first_line = body[0]
    if len(first_line) > TITLE_MAX:
        raise ParseError(
            source,
            f"expected a paper title, found a {len(first_line)}-character paragraph",
            first_number,
        )
    entries: list[Entry] = []
    warnings: list[str] = []
    i = 0
    while i < len(body):
        number, title = body[i]
        if entries and is_prose(title):
            last = entries[-1]
            entries[-1] = Entry(last.title, f"{last.abstract}\n\n{title}", last.line)
            i += 1
            continue
        if i + 1 < len(body):
            entries.append(Entry(title, body[i + 1][1], number))
            i += 2
        else:
            warnings.append(f"{source}:{number}: last title has no abstract: {title[:60]}")
            entries.append(Entry(title, "", number))
            i += 1
    # Any text splits into title/abstract pairs; a digest has a date label or at least one real
    # abstract. This refuses a note, a word list or a one-line file (each became a paper).
    if date is None and not any(is_prose(entry.abstract) for entry in entries):
        raise ParseError(source, NO_STRUCTURE, first_number)
    content_hash = hashlib.sha256("\n".join(line for _, line in lines).encode()).hexdigest()
    return Digest(tuple(entries), date, content_hash, tuple(warnings))


def render_digest(entries: Iterable[tuple[str, str]], date: str | None = None) -> str:
    """Write title/abstract pairs as a spaced digest page that :func:`parse_text` reads back."""
    header: Sequence[str] = ("new", "Get trending papers in your email inbox!", "Subscribe")
    lines = [*header, *([date] if date else [])]
    for title, abstract in entries:
        lines.append(title)
        lines.extend(abstract.split("\n\n") if abstract else [])
    return "\n\n".join(lines) + "\n"
