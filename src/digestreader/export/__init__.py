"""Exporters: papers with their state -> BibTeX, Markdown, CSV, RIS, JSON. Pure functions,
plus :func:`write_export`, the one place an export reaches the disk (CLI and reader alike)."""

from __future__ import annotations

import errno
import importlib
from collections.abc import Callable, Sequence
from pathlib import Path

from digestreader.models import PaperWithState
from digestreader.store.files import atomic_write_bytes

Exporter = Callable[[Sequence[PaperWithState]], str]


def _at_first_use(module: str, name: str) -> Exporter:
    """The exporter ``name`` of ``digestreader.export.<module>``, imported when first called:
    the reader's list and detail import this package (for links and citations) and its first
    frame must not load every format (tests/functional/test_reader_start.py)."""

    def exporter(views: Sequence[PaperWithState]) -> str:
        found: Exporter = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        return found(views)

    return exporter


FORMATS: dict[str, Exporter] = {
    "bibtex": _at_first_use("bibtex", "to_bibtex"),
    "markdown": _at_first_use("text", "to_markdown"),
    "csv": _at_first_use("tabular", "to_csv"),
    "ris": _at_first_use("text", "to_ris"),
    "json": _at_first_use("jsonio", "to_json"),
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
