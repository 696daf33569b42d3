"""The header line: counts and the current view, sort and digest."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from digestreader.reader.listing import ListingSpec


class StatusLine(Static):
    """One line: shown/total, the cursor's row, marked, unread, view, sort, digest.

    The row stands in for a scrollbar: the list has none, as redrawing one on every keystroke
    cost as much as drawing the rows.
    """

    def show(
        self,
        shown: int,
        counts: dict[str, int],
        spec: ListingSpec,
        row: int | None = None,
    ) -> None:
        """Show the counts, the cursor's ``row`` and what ``spec`` selects."""
        digest = f"  digest {spec.digest}" if spec.digest else ""
        at = f"  row {row + 1:,}" if row is not None and shown else ""
        sort = spec.effective_sort.value
        text = (
            f" digestreader  {shown:,}/{counts['total']:,} shown{at}  ★ {counts['marked']:,}  "
            f"● {counts['unread']:,} unread   view {spec.scope.value}  sort {sort}{digest}"
        )
        self.update(Content(text), layout=False)  # always one line: no reflow per keystroke
