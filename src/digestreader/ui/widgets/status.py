"""The header line: counts and the current view, sort and digest."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class StatusLine(Static):
    """One line: shown/total, marked, unread, view, sort, digest."""

    def show(
        self, shown: int, counts: dict[str, int], view: str, sort: str, digest: str | None
    ) -> None:
        scope = f"  digest {digest}" if digest else ""
        text = (
            f" digestreader  {shown}/{counts['total']} shown  ★ {counts['marked']}  "
            f"● {counts['unread']} unread   view {view}  sort {sort}{scope}"
        )
        self.update(Content(text))
