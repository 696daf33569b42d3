"""CSV for spreadsheets: UTF-8 with BOM, formula injection neutralized."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from digestreader.export.cite import pdf_url
from digestreader.export.links import digests_label, paper_url
from digestreader.models import PaperWithState
from digestreader.sanitize import strip_unsafe

HEADER = ["id", "title", "abstract", "marked", "read", "note", "digests", "url"]
# Appended, so that scripts reading the first eight columns by position keep working.
CITATION_HEADER = ["authors", "arxiv_id", "pdf", "upvotes"]
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
    writer.writerow(HEADER + CITATION_HEADER)
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
            "; ".join(p.authors or ()),
            p.arxiv_id or "",
            pdf_url(p) or "",
            "" if p.upvotes is None else str(p.upvotes),
        ]
        writer.writerow([neutralize(cell) for cell in row])
    return "\ufeff" + out.getvalue()
