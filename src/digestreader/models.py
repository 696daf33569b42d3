"""Plain, frozen data shared by every layer: parsed entries, papers, sightings, user state."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# A paper's key: 16 hex digits (64 bits) of the hash of its normalized title. With 8 digits (32
# bits, every release before schema 3) two of 50,000 papers shared an id one time in four and were
# silently merged. With 64 bits the chance at a million papers is 3 in 100 million, and should it
# happen the store refuses the pair rather than merge it (store.identity). 16 digits rather than
# the full digest: keys are in every state and corpus document and in JSON for scripts. The
# first 8 digits are the old id, so ids people wrote down still name their paper as a prefix.
KEY_LENGTH = 16
LEGACY_ID_LENGTH = 8
_NOT_WORD = re.compile(r"[\W_]+")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LABEL = re.compile(r"^([A-Za-z]{3})[a-z]* (\d{1,2})(?:, (\d{4}))?$")
# A page is read a few days after its date at most; a label further ahead of the import is
# last year's (a "Dec 30" page imported on Jan 2).
_FUTURE_SLACK = timedelta(days=7)


def _date_in(text: str) -> date | None:
    """The first real YYYY-MM-DD date in ``text`` (a file name, a timestamp), if any."""
    for found in _ISO_DATE.finditer(text):
        try:
            return date(*map(int, found.groups()))
        except ValueError:
            continue
    return None


def digest_date(label: str | None, name: str, imported: str) -> str | None:
    """A digest's date in ISO form (``2026-04-04``).

    ``label`` is the page's date label ("Apr 29", "Apr 29, 2026"), a date already in ISO form,
    or None; ``name`` the digest's name (a file stem that may hold a date); ``imported`` the
    ISO timestamp of the import. A page without a label takes the date in its name; a label
    without a year takes the name's year, else the import's (the year before if that would put
    the page in the future). A label that reads as no date is kept as it is.
    """
    if label is None:
        named = _date_in(name)
        return named.isoformat() if named else None
    if _ISO_DATE.fullmatch(label):
        return label
    found = _LABEL.match(label)
    if not found or found.group(1).casefold() not in _MONTHS:
        return label
    month = _MONTHS.index(found.group(1).casefold()) + 1
    day, year = int(found.group(2)), found.group(3)
    try:
        if year:
            return date(int(year), month, day).isoformat()
        named = _date_in(name)
        if named:
            return date(named.year, month, day).isoformat()
        when = _date_in(imported)
        if when is None:
            return label
        dated = date(when.year, month, day)
        if dated > when + _FUTURE_SLACK:
            dated = date(when.year - 1, month, day)
        return dated.isoformat()
    except ValueError:  # "Feb 30", or Feb 29 of a year without one
        return label


def normalize_title(title: str) -> str:
    """The identity of a paper: NFKC, casefolded, punctuation and whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return _NOT_WORD.sub(" ", folded).strip()


def paper_id(title: str) -> str:
    """A paper's key: :data:`KEY_LENGTH` hex digits derived from its normalized title (the one
    place keys are made; :mod:`digestreader.store.identity` holds the rules around them)."""
    digest = hashlib.blake2b(normalize_title(title).encode("utf-8"), digest_size=16)
    return digest.hexdigest()[:KEY_LENGTH]


@dataclass(frozen=True, slots=True)
class Entry:
    """One title/abstract pair as it appears on a digest page, with what a JSON source knows
    of the paper besides (None on a text page: unknown, never "none")."""

    title: str
    abstract: str
    line: int  # 1-based line of the title in the source text (the item number in JSON)
    authors: tuple[str, ...] | None = None
    arxiv_id: str | None = None
    upvotes: int | None = None
    published: str | None = None  # ISO date the paper was published (arXiv)


@dataclass(frozen=True, slots=True)
class Digest:
    """A parsed digest page: its entries, its date label if it has one, and parse warnings."""

    entries: tuple[Entry, ...]
    date: str | None
    content_hash: str
    warnings: tuple[str, ...] = ()
    source: str = "page"  # "page": a text page; "hf": the Hugging Face daily papers JSON
    iso_date: str | None = None  # the day it covers, YYYY-MM-DD, when known


@dataclass(frozen=True, slots=True)
class Sighting:
    """Where a paper was seen: which digest, the digest's date label, the 1-based position, and
    its upvotes that day when the digest said (so upvotes keep their history)."""

    digest: str
    date: str | None
    position: int
    upvotes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"digest": self.digest, "date": self.date, "position": self.position}
        if self.upvotes is not None:  # text pages have none: their sightings stay as they were
            data["upvotes"] = self.upvotes
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sighting:
        upvotes = data.get("upvotes")
        return cls(
            str(data["digest"]),
            data.get("date"),
            int(data["position"]),
            int(upvotes) if upvotes is not None else None,
        )


@dataclass(frozen=True, slots=True)
class Paper:
    """A distinct paper in the corpus with every digest it was seen in."""

    id: str
    title: str
    abstract: str
    sources: tuple[Sighting, ...]
    first_seen: str
    authors: tuple[str, ...] | None = None
    arxiv_id: str | None = None
    url: str | None = None
    upvotes: int | None = None
    published: str | None = None  # ISO date, from the JSON source


@dataclass(frozen=True, slots=True)
class UserState:
    """What the user did with a paper. Stored apart from the corpus."""

    marked: bool = False
    read: bool = False
    note: str = ""
    marked_at: str | None = None
    read_at: str | None = None
    note_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "marked": self.marked,
            "read": self.read,
            "note": self.note,
            "marked_at": self.marked_at,
            "read_at": self.read_at,
            "note_at": self.note_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UserState:
        return cls(
            marked=bool(data.get("marked", False)),
            read=bool(data.get("read", False)),
            note=str(data.get("note") or ""),
            marked_at=data.get("marked_at"),
            read_at=data.get("read_at"),
            note_at=data.get("note_at"),
        )


EMPTY_STATE = UserState()


@dataclass(frozen=True, slots=True)
class PaperWithState:
    """A paper together with its user state: what the search, export and UI layers consume."""

    paper: Paper
    state: UserState = field(default=EMPTY_STATE)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the command-line contract."""
        p, s = self.paper, self.state
        return {
            "id": p.id,
            "title": p.title,
            "abstract": p.abstract,
            "marked": s.marked,
            "read": s.read,
            "note": s.note,
            "sources": [src.to_dict() for src in p.sources],
            "first_seen": p.first_seen,
            "imported": p.first_seen,  # the same value, named for what it is: the import time
            "authors": list(p.authors) if p.authors is not None else None,
            "arxiv_id": p.arxiv_id,
            "url": p.url,
            "upvotes": p.upvotes,
            "published": p.published,
            "marked_at": s.marked_at,
            "read_at": s.read_at,
            "note_at": s.note_at,
        }


# An arXiv identifier: new style (2604.16044, optionally v2) or old style (hep-th/9901001).
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z.\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
_VERSION = re.compile(r"v\d+$")


def arxiv_base(arxiv_id: str) -> str:
    """An arXiv id without its version suffix: ``2604.16044v2`` -> ``2604.16044``."""
    return _VERSION.sub("", arxiv_id.strip())
