"""Plain-text rendering for the command line: tables that fit the terminal, paper details."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Iterable, Mapping

from digestreader.models import PaperWithState
from digestreader.sanitize import clean_line, strip_unsafe

MIN_WIDTH = 40


def terminal_width() -> int:
    """Columns available, never below a usable minimum."""
    return max(MIN_WIDTH, shutil.get_terminal_size((100, 24)).columns)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def seen_label(view: PaperWithState) -> str:
    """A compact "seen in N digests" label: "x3", or blank for one sighting."""
    count = len(view.paper.sources)
    return f"x{count}" if count > 1 else ""


def date_label(view: PaperWithState) -> str:
    """The date (ISO, with its year) of the latest digest the paper was seen in that has one."""
    dates = [s.date for s in view.paper.sources if s.date]
    return dates[-1] if dates else ""


def paper_table(
    views: Iterable[PaperWithState],
    width: int | None = None,
    handle: Callable[[str], str] = str,
) -> str:
    """One line per paper: handle (``handle`` of its key), marks, seen count, date, title cut
    to the terminal width."""
    width = width or terminal_width()
    lines = []
    for view in views:
        flags = ("*" if view.state.marked else " ") + (" " if view.state.read else "•")
        head = f"{handle(view.paper.id)}  {flags} {seen_label(view):>3} {date_label(view):>10}  "
        lines.append(head + _fit(view.paper.title, width - len(head)))
    return "\n".join(lines)


def paper_details(view: PaperWithState, width: int | None = None, handle: str | None = None) -> str:
    """Everything known about one paper, word-wrapped; named by ``handle`` when given."""
    width = min(width or terminal_width(), 100)
    p, s = view.paper, view.state
    state = ", ".join(
        name for name, on in (("marked", s.marked), ("read", s.read), ("unread", not s.read)) if on
    )
    out = [*textwrap.wrap(p.title, width), "", f"id:      {handle or p.id}  ({state})"]
    if p.authors:
        names = ", ".join(p.authors)
        out.extend(
            textwrap.wrap(names, width, initial_indent="authors: ", subsequent_indent=" " * 9)
        )
    if p.arxiv_id:
        out.append(f"arXiv:   {p.arxiv_id}" + (f"  ({p.upvotes} upvotes)" if p.upvotes else ""))
    for src in p.sources:
        votes = f"  {src.upvotes} upvotes" if src.upvotes is not None else ""
        out.append(f"seen in: {src.digest}  {src.date or 'undated'}  #{src.position}{votes}")
    out.append(f"imported: {p.first_seen[:10]}")
    if p.url:
        out.append(f"url:     {p.url}")
    out.append("")
    for paragraph in p.abstract.split("\n\n") or ["(no abstract)"]:
        out.extend(textwrap.wrap(paragraph, width) or ["(no abstract)"])
        out.append("")
    if s.note:
        out.append("note:")
        out.extend("  " + strip_unsafe(line) for line in s.note.splitlines())
    return "\n".join(out).rstrip()


def key_values(values: Mapping[str, object]) -> str:
    """A two-column listing of names and values."""
    width = max(len(k) for k in values)
    return "\n".join(f"{k:<{width}}  {clean_line(str(v))}" for k, v in values.items())
