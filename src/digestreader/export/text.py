"""Markdown (a reading list) and RIS (for reference managers)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from digestreader.export.links import digests_label, paper_url
from digestreader.models import PaperWithState

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def escape_markdown(text: str) -> str:
    """Inline text with every Markdown-significant character backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def to_markdown(views: Sequence[PaperWithState]) -> str:
    """A heading per paper, its link, digests and dates, the note as a quote, the abstract."""
    parts = []
    for view in views:
        lines = [f"## {escape_markdown(view.paper.title)}", ""]
        lines += [f"<{paper_url(view)}>", "", f"Seen in: {escape_markdown(digests_label(view))}"]
        if view.state.note:
            lines.append("")
            lines += [
                f"> {escape_markdown(line)}" if line.strip() else ">"
                for line in view.state.note.splitlines()
            ]
        for paragraph in view.paper.abstract.split("\n\n"):
            lines += ["", escape_markdown(paragraph)]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _ris_value(text: str) -> str:
    return " ".join(text.split())


def to_ris(views: Sequence[PaperWithState]) -> str:
    """RIS records: TY, TI, AB, UR, N1 (the note), ER."""
    records = []
    for view in views:
        kind = "JOUR" if view.paper.arxiv_id else "GEN"
        lines = [f"TY  - {kind}", f"TI  - {_ris_value(view.paper.title)}"]
        lines += [f"AU  - {_ris_value(a)}" for a in view.paper.authors or ()]
        lines += [f"AB  - {_ris_value(view.paper.abstract)}", f"UR  - {paper_url(view)}"]
        if view.state.note:
            lines.append(f"N1  - {_ris_value(view.state.note)}")
        lines.append(f"ID  - {view.paper.id}")
        lines.append("ER  - ")
        records.append("\n".join(lines) + "\n")
    return "\n".join(records)
