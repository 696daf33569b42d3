"""The JSON round trip: papers with their user state, for backup and moving machines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from digestreader.models import Paper, PaperWithState, UserState
from digestreader.store.documents import paper_from_doc, paper_to_doc

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
    """Papers and states from an export; ExportFormatError (one line) when it is not one."""
    try:
        document: Any = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise ExportFormatError(f"{source}: not valid JSON ({err})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ExportFormatError(f"{source}: not a digestreader export (no format marker)")
    if document.get("version") != FORMAT_VERSION:
        raise ExportFormatError(f"{source}: export version {document.get('version')} unknown")
    try:
        return [
            (paper_from_doc(p), UserState.from_dict(p.get("state", {}))) for p in document["papers"]
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ExportFormatError(f"{source}: malformed paper entry ({err!r})") from None
