"""Exporters: papers with their state -> BibTeX, Markdown, CSV, RIS, JSON. Pure functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from digestreader.export.bibtex import to_bibtex
from digestreader.export.jsonio import to_json
from digestreader.export.tabular import to_csv
from digestreader.export.text import to_markdown, to_ris
from digestreader.models import PaperView

Exporter = Callable[[Sequence[PaperView]], str]
FORMATS: dict[str, Exporter] = {
    "bibtex": to_bibtex,
    "markdown": to_markdown,
    "csv": to_csv,
    "ris": to_ris,
    "json": to_json,
}
EXTENSIONS = {"bibtex": "bib", "markdown": "md", "csv": "csv", "ris": "ris", "json": "json"}


def export(views: Sequence[PaperView], fmt: str) -> str:
    """The text of ``views`` in format ``fmt`` (one of :data:`FORMATS`)."""
    return FORMATS[fmt](views)


__all__ = ["EXTENSIONS", "FORMATS", "export"]
