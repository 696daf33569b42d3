"""CSV for spreadsheets: UTF-8 with BOM, formula injection neutralized."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from digestreader.export.links import digests_label, paper_url
from digestreader.models import PaperWithState
from digestreader.sanitize import strip_unsafe

HEADER = ["id", "title", "abstract", "marked", "read", "note", "digests", "url"]
# OWASP: a cell starting with one of these can be run as a formula by a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """Prefix a would-be formula with a quote so that spreadsheets show it as text; drop
    terminal controls that a library written before the sanitizer may still hold."""
    cell = strip_unsafe(cell.replace("\r\n", "\n").replace("\r", "\n"))
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def to_csv(views: Sequence[PaperWithState]) -> str:
    """The header and one row per paper, starting with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for view in views:
        p, s = view.paper, view.state
        row = [
            p.id,
            p.title,
            p.abstract,
            str(s.marked).lower(),
            str(s.read).lower(),
            s.note,
            digests_label(view),
            paper_url(view),
        ]
        writer.writerow([neutralize(cell) for cell in row])
    return "\ufeff" + out.getvalue()
