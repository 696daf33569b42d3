"""One paper of a JSON export, checked and cleaned: a restore trusts a backup no more than a
digest page, since it may have been edited by hand or come from someone else.

Each check raises :class:`ItemError` with a short message naming the field; the caller adds
the file and the item's number, so the user reads one line such as
``backup.json: item 3: title must be a string``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from digestreader.models import KEY_LENGTH, LEGACY_ID_LENGTH, Paper, Sighting, UserState, paper_id
from digestreader.sanitize import clean_line, clean_note, safe_url

_PAPER_ID = re.compile(rf"^(?:[0-9a-f]{{{KEY_LENGTH}}}|[0-9a-f]{{{LEGACY_ID_LENGTH}}})$")


class ItemError(ValueError):
    """What is wrong with one item, as a short phrase naming the field."""


def _string(doc: Mapping[str, Any], key: str, where: str = "", default: str | None = "") -> str:
    value = doc.get(key, default)
    if not isinstance(value, str):
        raise ItemError(f"{where}{key} must be a string")
    return value


def _optional_line(doc: Mapping[str, Any], key: str, where: str = "") -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ItemError(f"{where}{key} must be a string or null")
    return clean_line(value) or None


def _object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ItemError(f"{what} must be an object")
    return value


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sighting(value: object, number: int) -> Sighting:
    where = f"sources[{number}]."
    doc = _object(value, where.rstrip("."))
    digest = clean_line(_string(doc, "digest", where, default=None))
    if not digest:
        raise ItemError(f"{where}digest must be a non-empty string")
    position = doc.get("position")
    if not isinstance(position, int) or isinstance(position, bool) or position < 1:
        raise ItemError(f"{where}position must be a positive integer")
    upvotes = doc.get("upvotes")
    if upvotes is not None and not _integer(upvotes):
        raise ItemError(f"{where}upvotes must be an integer or null")
    return Sighting(digest, _optional_line(doc, "date", where), position, upvotes)


def _timestamp(doc: Mapping[str, Any], key: str) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    # Timestamps decide which side of a merge wins, by string comparison: only real times count.
    message = f"state.{key} must be an ISO 8601 time or null"
    if not isinstance(value, str) or not value.isascii():
        raise ItemError(message)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ItemError(message) from None
    return value


def user_state(value: object) -> UserState:
    """The ``state`` object of an item (absent means untouched)."""
    doc = _object({} if value is None else value, "state")
    for flag in ("marked", "read"):
        if not isinstance(doc.get(flag, False), bool):
            raise ItemError(f"state.{flag} must be true or false")
    return UserState(
        marked=doc.get("marked", False),
        read=doc.get("read", False),
        note=clean_note(_string(doc, "note", "state.")),
        marked_at=_timestamp(doc, "marked_at"),
        read_at=_timestamp(doc, "read_at"),
        note_at=_timestamp(doc, "note_at"),
    )


def restore_item(value: object) -> tuple[Paper, UserState]:
    """A paper and its state from one item of an export's ``papers`` list."""
    if not isinstance(value, dict):
        raise ItemError("must be an object")
    doc: Mapping[str, Any] = value
    pid = doc.get("id")
    if not isinstance(pid, str) or not _PAPER_ID.match(pid):
        raise ItemError(
            f"id must be {KEY_LENGTH} (or, from old exports, {LEGACY_ID_LENGTH}) hex digits"
        )
    raw_title = _string(doc, "title", default=None)
    title = clean_line(raw_title)
    if not title:
        raise ItemError("title is empty")
    # The key follows from the title. An old export's 8-digit id may belong to another paper of
    # the same id, so only the title counts; a full key that names another title is an edit
    # that would attach this item's marks and notes to the wrong paper.
    key = paper_id(title)
    if len(pid) == KEY_LENGTH and pid not in (key, paper_id(raw_title)):
        raise ItemError("id does not match the title")
    sources = doc.get("sources", [])
    if not isinstance(sources, list):
        raise ItemError("sources must be a list")
    authors = doc.get("authors")
    if authors is not None and not (
        isinstance(authors, list) and all(isinstance(a, str) for a in authors)
    ):
        raise ItemError("authors must be a list of strings or null")
    upvotes = doc.get("upvotes")
    if upvotes is not None and not _integer(upvotes):
        raise ItemError("upvotes must be an integer or null")
    url = _optional_line(doc, "url")
    paper = Paper(
        id=key,
        title=title,
        abstract=clean_note(_string(doc, "abstract")),
        sources=tuple(_sighting(s, n) for n, s in enumerate(sources, start=1)),
        first_seen=clean_line(_string(doc, "first_seen")),
        authors=tuple(clean_line(a) for a in authors) if authors is not None else None,
        arxiv_id=_optional_line(doc, "arxiv_id"),
        url=safe_url(url) if url else None,  # only http(s): never a javascript: link
        upvotes=upvotes,
        published=_optional_line(doc, "published"),
    )
    return paper, user_state(doc.get("state"))
