"""One paper's row in the list: bookmark star, unread dot, note mark, the title with the
filter's matches highlighted, the byline, and the times seen and date when it has them.

Drawn from segments into one Strip (each Strip makes its own caches, and a row once made four),
with the styles combined once per style change (:func:`with_combined`), not per row.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from digestreader.export.cite import row_byline
from digestreader.models import PaperWithState
from digestreader.render import date_label, seen_label
from digestreader.search.query import Query
from digestreader.search.spans import title_spans

FLAGS_WIDTH = 5  # " ★●✎ ": marked, unread, noted
MIN_META_WIDTH = 50  # narrower lists show titles only
MIN_TITLE = 24  # authors and upvotes show only while the title keeps this much


def with_combined(styles: dict[str, Style]) -> dict[str, Style]:
    """``styles`` (the list's base, and its star, unread, meta, read and match components)
    with each component over the base as rows use them: adding styles per row was a fifth of
    drawing one."""
    base = styles["base"]
    combined = {f"{name}+": base + styles[name] for name in ("star", "unread", "meta", "read")}
    combined["match+"] = base + styles["match"]
    combined["read+match"] = combined["read+"] + styles["match"]
    return styles | combined


def paper_row(
    view: PaperWithState, width: int, styles: dict[str, Style], query: Query, known: bool
) -> Strip:
    """The row of ``view``, ``width`` cells wide, its title's ``query`` matches highlighted
    (``styles``: :func:`with_combined`'s; ``known``: whether the states are loaded, else no
    unread dot rather than a wrong one)."""
    base, state = styles["base"], view.state
    flags = [
        Segment(" ", base),
        Segment("★" if state.marked else " ", styles["star+"]),
        Segment("●" if known and not state.read else " ", styles["unread+"]),
        Segment("✎" if state.note else " ", styles["star+"]),
        Segment(" ", base),
    ]
    # Only what the paper has: no columns held for an empty count or date.
    meta = " ".join(label for label in (seen_label(view), date_label(view)) if label)
    meta = f" {meta} " if meta and width >= MIN_META_WIDTH else ""
    title_width = max(1, width - FLAGS_WIDTH - len(meta))
    title_style = styles["read+"] if state.read else base
    match_style = styles["read+match"] if state.read else styles["match+"]
    # Authors and upvotes, when the source gave them, right-aligned while the title keeps
    # at least MIN_TITLE cells.
    byline = Segment(row_byline(view.paper), styles["meta+"])
    if byline.text and title_width - byline.cell_length >= MIN_TITLE:
        title_width -= byline.cell_length
    else:
        byline = Segment("", base)
    title = title_segments(view.paper.title, title_style, match_style, query)
    if cell_len(view.paper.title) > title_width:  # cut with an ellipsis, never mid-air
        cut = Segment.adjust_line_length(title, title_width - 1, base, pad=True)
        title = [*cut, Segment("…", title_style)]
    else:
        title = Segment.adjust_line_length(title, title_width, base)
    return Strip([*flags, *title, byline, Segment(meta, styles["meta+"])], width)


def title_segments(title: str, style: Style, match: Style, query: Query) -> list[Segment]:
    """``title`` in ``style``, the words ``query`` matched in ``match``."""
    spans = title_spans(title, query)
    if not spans:
        return [Segment(title, style)]
    segments, pos = [], 0
    for start, end in spans:
        segments += [Segment(title[pos:start], style), Segment(title[start:end], match)]
        pos = end
    segments.append(Segment(title[pos:], style))
    return [s for s in segments if s.text]
