"""Markdown (a reading list) and RIS (for reference managers)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from digestreader.export.cite import doi, last_first, pdf_url, year_month
from digestreader.export.links import digests_label, paper_url
from digestreader.models import Paper, PaperWithState
from digestreader.sanitize import strip_unsafe

# CommonMark reads these anywhere in a line: escapes, code spans, emphasis (an underscore
# only where it is not inside a word), links and images, autolinks and raw HTML, entity
# references, and GFM's strikethrough. A "#" run ends an ATX heading when a space precedes it.
_MARKDOWN_INLINE = re.compile(
    r"[\\`*\[\]<~]|&(?=#?[A-Za-z0-9]+;)|(?<![^\W_])_|_(?![^\W_])|(?<=\s)#+$"
)
# ... and these only at the start of a line: headings, quotes, list items, rules, setext.
_MARKDOWN_LINE_START = re.compile(r"^(?:[#>+=-]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Inline text that CommonMark reads back as exactly itself (whitespace collapsed), with
    only the characters it would misread backslash-escaped: never markup, HTML or a link."""
    text = " ".join(strip_unsafe(text).split())
    text = _MARKDOWN_INLINE.sub(lambda m: "\\" + m.group(), text)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group()
    # An ordered-list marker is digits and then "." or ")": escaping the punctuation is enough.
    return f"{marker}\\" if marker[0].isdigit() else f"\\{marker}"


def to_markdown(views: Sequence[PaperWithState]) -> str:
    """A heading per paper, its link, digests and dates, the note as a quote, the abstract."""
    parts = []
    for view in views:
        lines = [f"## {escape_markdown(view.paper.title)}", ""]
        if view.paper.authors:
            lines += [escape_markdown(", ".join(view.paper.authors)), ""]
        lines.append(f"<{paper_url(view)}>")
        if pdf := pdf_url(view.paper):  # each link alone in its paragraph, as autolinks
            lines += ["", f"<{pdf}>"]
        lines += ["", f"Seen in: {escape_markdown(digests_label(view))}"]
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
    # One line per tag: a newline in a value would start a tag line of its own ("ER  - ").
    return " ".join(strip_unsafe(text).split())


def _ris_citation(paper: Paper) -> list[str]:
    """PY and DA (the date), DO (arXiv's DOI) and the journal line of a paper with metadata."""
    lines = []
    when = year_month(paper)
    if when:
        lines += [f"PY  - {when[0]}", f"DA  - {when[0]}/{when[1]:02d}"]
    if number := doi(paper):
        lines += [f"DO  - {_ris_value(number)}", "JO  - arXiv"]
    return lines


def to_ris(views: Sequence[PaperWithState]) -> str:
    """RIS records: TY, TI, AB, UR, N1 (the note), ER."""
    records = []
    for view in views:
        kind = "JOUR" if view.paper.arxiv_id else "GEN"
        lines = [f"TY  - {kind}", f"TI  - {_ris_value(view.paper.title)}"]
        lines += [f"AU  - {_ris_value(last_first(a))}" for a in view.paper.authors or ()]
        lines += _ris_citation(view.paper)
        lines += [f"AB  - {_ris_value(view.paper.abstract)}", f"UR  - {paper_url(view)}"]
        if pdf := pdf_url(view.paper):
            lines.append(f"L1  - {pdf}")
        if view.state.note:
            lines.append(f"N1  - {_ris_value(view.state.note)}")
        lines.append(f"ID  - {view.paper.id}")
        lines.append("ER  - ")
        records.append("\n".join(lines) + "\n")
    return "\n".join(records)
