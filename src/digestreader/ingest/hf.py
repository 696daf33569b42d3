"""The Hugging Face daily papers JSON -> a digest. Pure: no I/O beyond the bytes handed to it.

The API (``/api/daily_papers``) answers a list of objects, one per paper of the day::

    {"paper": {"id": "2604.16044", "title": ..., "summary": ..., "authors": [{"name": ...}],
               "upvotes": 12, "publishedAt": "2026-04-15T17:59:58.000Z"},
     "title": ..., "publishedAt": "2026-04-16T01:12:03.000Z", "numComments": 3}

Saved files may also hold one such object per line (JSON Lines). Every item is checked and
every string cleaned like a text page: the first bad item raises :class:`ParseError` naming the
file and the item (counted from 1), so nothing is written.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import orjson

from digestreader.ingest.parser import ParseError, decode
from digestreader.models import ARXIV_ID, Digest, Entry
from digestreader.sanitize import clean_line

SOURCE_KIND = "hf"
NAME_PREFIX = "hf-"


class ItemProblem(ValueError):
    """What is wrong with one item, as a short phrase naming the field."""


def digest_name(day: str) -> str:
    """The name a day of daily papers is stored under: ``hf-2026-04-16``."""
    return f"{NAME_PREFIX}{day}"


def looks_like_hf(data: bytes) -> bool:
    """Whether bytes hold the daily papers JSON (a list, or JSON Lines of objects with a
    ``paper``) rather than our own export (one object with a format marker) or a text page."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return True
    if not text.startswith(b"{"):
        return False
    first = text.split(b"\n", 1)[0]
    try:
        item = orjson.loads(first)
    except orjson.JSONDecodeError:
        return False
    return isinstance(item, dict) and "paper" in item


def _items(text: str, source: str) -> list[Any]:
    body = text.strip().removeprefix("\ufeff")
    if body.startswith("["):
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError as err:
            raise ParseError(source, f"not valid JSON ({err})") from None
        if not isinstance(document, list):
            raise ParseError(source, "expected a list of daily papers")
        return document
    items = []
    for number, line in enumerate(body.split("\n"), start=1):
        if line.strip():
            try:
                items.append(orjson.loads(line))
            except orjson.JSONDecodeError as err:
                raise ParseError(source, f"not valid JSON Lines ({err})", number) from None
    return items


def _text(doc: Mapping[str, Any], key: str, where: str) -> str:
    value = doc.get(key)
    if not isinstance(value, str):
        raise ItemProblem(f"{where}{key} must be a string")
    return value


def _day(value: object, what: str) -> str | None:
    """The date (YYYY-MM-DD) of an ISO time such as ``2026-04-16T01:12:03.000Z``."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.isascii():
        raise ItemProblem(f"{what} must be an ISO 8601 time")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            raise ItemProblem(f"{what} must be an ISO 8601 time") from None


def _authors(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ItemProblem("paper.authors must be a list")
    names = []
    for number, author in enumerate(value, start=1):
        name = author.get("name") if isinstance(author, dict) else None
        if not isinstance(name, str):
            raise ItemProblem(f"paper.authors[{number}].name must be a string")
        if cleaned := clean_line(name):
            names.append(cleaned)
    return tuple(names)


def entry_of(item: object, number: int) -> tuple[Entry, str | None]:
    """One item as an entry, and the day it was posted (its top-level ``publishedAt``)."""
    if not isinstance(item, dict):
        raise ItemProblem("must be an object")
    paper = item.get("paper")
    if not isinstance(paper, dict):
        raise ItemProblem("paper must be an object")
    arxiv_id = clean_line(_text(paper, "id", "paper."))
    if not ARXIV_ID.match(arxiv_id):
        raise ItemProblem(f"paper.id is not an arXiv id: {arxiv_id[:40]!r}")
    raw_title = paper.get("title") or item.get("title")
    title = clean_line(raw_title) if isinstance(raw_title, str) else ""
    if not title:
        raise ItemProblem("paper.title is missing")
    summary = paper.get("summary", "")
    if not isinstance(summary, str):
        raise ItemProblem("paper.summary must be a string")
    upvotes = paper.get("upvotes", 0)
    if not isinstance(upvotes, int) or isinstance(upvotes, bool) or upvotes < 0:
        raise ItemProblem("paper.upvotes must be a whole number")
    entry = Entry(
        title=title,
        abstract=clean_line(summary),
        line=number,
        authors=_authors(paper.get("authors")),
        arxiv_id=arxiv_id,
        upvotes=upvotes,
        published=_day(paper.get("publishedAt"), "paper.publishedAt"),
    )
    return entry, _day(item.get("publishedAt"), "publishedAt")


def digest_of(items: Sequence[object], source: str, day: str | None = None) -> Digest:
    """The digest of a day's items; ``day`` (YYYY-MM-DD) when known, else the day most items
    were posted. Raises :class:`ParseError` naming ``source`` and the item for a bad one."""
    entries: list[Entry] = []
    posted: Counter[str] = Counter()
    for number, item in enumerate(items, start=1):  # counted from 1, as a person counts
        try:
            entry, when = entry_of(item, number)
        except ItemProblem as err:
            raise ParseError(source, f"item {number}: {err}") from None
        entries.append(entry)
        if when:
            posted[when] += 1
    if not entries:
        raise ParseError(source, "no papers in the daily papers JSON")
    iso_date = day or (posted.most_common(1)[0][0] if posted else None)
    return Digest(
        entries=tuple(entries),
        date=iso_date,
        content_hash=_content_hash(entries),
        source=SOURCE_KIND,
        iso_date=iso_date,
    )


def _content_hash(entries: Sequence[Entry]) -> str:
    """A hash of what we keep (not of the bytes): the same day fetched twice with the same
    papers and upvotes is the same digest, and one with new upvotes is not."""
    kept = [
        [e.arxiv_id, e.title, e.abstract, list(e.authors or ()), e.upvotes, e.published]
        for e in entries
    ]
    return "hf:" + hashlib.sha256(orjson.dumps(kept)).hexdigest()


def parse_hf_bytes(data: bytes, source: str) -> Digest:
    """Parse a daily papers JSON (or JSON Lines) file; see :func:`digest_of`."""
    return digest_of(_items(decode(data, source), source), source)
