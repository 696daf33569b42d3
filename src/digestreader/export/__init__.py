"""Exporters: papers with their state -> BibTeX, Markdown, CSV, RIS, JSON. Pure functions,
plus :func:`write_export`, the one place an export reaches the disk (CLI and reader alike)."""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from pathlib import Path

from digestreader.export.bibtex import to_bibtex
from digestreader.export.jsonio import to_json
from digestreader.export.tabular import to_csv
from digestreader.export.text import to_markdown, to_ris
from digestreader.models import PaperWithState
from digestreader.store.files import atomic_write_bytes

Exporter = Callable[[Sequence[PaperWithState]], str]
FORMATS: dict[str, Exporter] = {
    "bibtex": to_bibtex,
    "markdown": to_markdown,
    "csv": to_csv,
    "ris": to_ris,
    "json": to_json,
}
EXTENSIONS = {"bibtex": "bib", "markdown": "md", "csv": "csv", "ris": "ris", "json": "json"}
LABELS = {"bibtex": "BibTeX", "markdown": "Markdown", "csv": "CSV", "ris": "RIS", "json": "JSON"}


class ExportError(Exception):
    """An export that could not be written, with a one-line reason naming the path."""


def export(views: Sequence[PaperWithState], fmt: str) -> str:
    """The text of ``views`` in format ``fmt`` (one of :data:`FORMATS`)."""
    return FORMATS[fmt](views)


def default_filename(fmt: str, scope: str) -> str:
    """A readable file name for an export, e.g. ``digestreader-marked.bib``."""
    return f"digestreader-{scope}.{EXTENSIONS[fmt]}"


def write_export(views: Sequence[PaperWithState], fmt: str, path: Path) -> Path:
    """Write ``views`` to ``path`` atomically (``~`` expanded); returns the path written.

    Shared files are readable by others (0644), unlike the library's own private files.
    """
    target = path.expanduser()
    if target.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise ExportError(f"{path}: the folder {target.parent} does not exist")
    try:
        atomic_write_bytes(target, export(views, fmt).encode("utf-8"), mode=0o644)
    except OSError as err:
        reason = err.strerror or errno.errorcode.get(err.errno or 0, "error")
        raise ExportError(f"{path}: cannot write: {reason}") from None
    return target


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "LABELS",
    "ExportError",
    "default_filename",
    "export",
    "write_export",
]
