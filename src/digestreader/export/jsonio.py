"""The JSON round trip: papers with their user state, for backup and moving machines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from digestreader.export.schema import ItemError, restore_item
from digestreader.models import Paper, PaperWithState, UserState
from digestreader.store.documents import paper_to_doc

FORMAT_NAME = "digestreader-export"
FORMAT_VERSION = 1


class ExportFormatError(ValueError):
    """A JSON file that is not a digestreader export."""


def to_json(views: Sequence[PaperWithState]) -> str:
    """A versioned document of papers, each with its state and timestamps."""
    papers = [paper_to_doc(v.paper) | {"state": v.state.to_dict()} for v in views]
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "papers": papers}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def looks_like_export(data: bytes) -> bool:
    """Whether bytes hold a JSON object (an export) rather than digest text."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def from_json(data: bytes, source: str) -> list[tuple[Paper, UserState]]:
    """Papers and states from an export, every item validated and cleaned like a digest.

    Raises ExportFormatError, one line naming the file and the item, for anything that is not
    a well-formed export; nothing is returned (so nothing is written) unless every item is.
    """
    try:
        document: Any = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise ExportFormatError(f"{source}: not valid JSON ({err})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ExportFormatError(f"{source}: not a digestreader export (no format marker)")
    if document.get("version") != FORMAT_VERSION:
        raise ExportFormatError(f"{source}: export version {document.get('version')} unknown")
    papers = document.get("papers")
    if not isinstance(papers, list):
        raise ExportFormatError(f"{source}: papers must be a list")
    restored = []
    for number, item in enumerate(papers, start=1):  # counted from 1, as a person counts
        try:
            restored.append(restore_item(item))
        except ItemError as err:
            raise ExportFormatError(f"{source}: item {number}: {err}") from None
    return restored
