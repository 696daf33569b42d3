"""The header line: the digest in view first, then counts, the cursor's row, view and sort."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from digestreader.reader.listing import ListingSpec, Scope


class StatusLine(Static):
    """One line: digest in view, shown/total, the cursor's row, marked, unread, view, sort.

    The digest comes first so that a narrow terminal never cuts it off. The row stands in
    for a scrollbar: the list has none, as redrawing one on every keystroke cost as much as
    drawing the rows.
    """

    DEFAULT_CSS = """
    StatusLine {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def show(
        self,
        shown: int,
        counts: dict[str, int],
        spec: ListingSpec,
        row: int | None = None,
        digest_label: str = "",
    ) -> None:
        """Show the counts, the cursor's ``row`` and what ``spec`` selects (the digest in view
        is called ``digest_label``)."""
        digest = digest_label if spec.digest else "All digests"
        at = f"  row {row + 1:,}" if row is not None and shown else ""
        view = f"  view {spec.scope.value}" if spec.scope is not Scope.ALL else ""
        if "marked" in counts:
            flags = f"★ {counts['marked']:,}  ● {counts['unread']:,} unread"
        else:  # the states are still loading: no count rather than a wrong one
            flags = "counting…"
        text = (
            f" {digest}  │ {shown:,}/{counts['total']:,}{at}  {flags}{view}  "
            f"sort {spec.effective_sort.value}"
        )
        self.update(Content(text), layout=False)  # always one line: no reflow per keystroke
