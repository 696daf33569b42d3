"""The main screen's detail pane: which paper it shows, when, and how much of the screen.

The screen owns one :class:`DetailFollow` and hands it, explicitly, itself as a Textual
``Screen`` (timers, maximize, and the pane and list among its widgets), the model on screen and
a callable told of each paper opened; typed so, it sees none of the main screen's state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.screen import Screen
from textual.timer import Timer

from digestreader.reader.model import ReaderModel
from digestreader.ui.widgets.detail import DetailPane
from digestreader.ui.widgets.paper_list import PaperList

DETAIL_DELAY_S = 0.12


class DetailFollow:
    """The detail pane follows the cursor: at once on a move, and once typing pauses while a
    filter is typed; ``z`` gives it the whole screen, ``J``/``K`` page it."""

    def __init__(
        self, screen: Screen[Any], model: Callable[[], ReaderModel], opened: Callable[[int], None]
    ) -> None:
        self.screen = screen
        self.model = model
        self.opened = opened  # told of each paper the pane opens (not of a redraw)
        self._timer: Timer | None = None
        self._told = ""  # the last abstract problem notified: once, not on every j/k

    def follow(self, index: int | None, typing: bool) -> None:
        """The cursor is on paper ``index`` now (None: on none)."""
        self._when_typing_pauses(typing, None if index is None else lambda: self.open(index))

    def say_empty(self, message: str, typing: bool) -> None:
        """The list shows no paper: say ``message`` in the pane (the message names the query,
        so it changes with every key: see :meth:`_when_typing_pauses`)."""
        self._when_typing_pauses(typing, lambda: self._say(message))

    def _when_typing_pauses(self, typing: bool, draw: Callable[[], None] | None) -> None:
        """Call off what was to be drawn, then ``draw``: at once, or while a filter is typed,
        once typing pauses. The list is the feedback then; the pane's content (a full relayout
        of the screen, a long abstract) must never delay a keystroke."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if draw is None:
            return
        if typing:
            self._timer = self.screen.set_timer(DETAIL_DELAY_S, draw)
            return
        draw()

    def _say(self, message: str) -> None:
        self._timer = None
        query = self.screen.query_one(PaperList).filter_query
        self.screen.query_one(DetailPane).show(None, query, message)

    def open(self, index: int) -> None:
        """Show paper ``index``, and tell ``opened``."""
        self._timer = None
        self.opened(index)
        self.show(index)

    def show(self, index: int) -> None:
        """Draw paper ``index`` in the pane, its filter matches marked."""
        model = self.model()
        loading = not model.abstracts_open  # none read for the first frame
        view = model.paper_with_state(index, with_abstract=False)
        view = replace(view, state=model.user.state(index))
        if not loading:
            text, problem = model.detail_abstract(index)
            if problem:
                text = f"(The abstract could not be read: {problem})"
                self.tell(problem)
            view = replace(view, paper=replace(view.paper, abstract=text))
        query = self.screen.query_one(PaperList).filter_query
        self.screen.query_one(DetailPane).show(
            view, query, "", loading, model.digest_labels, model.handle(index)
        )

    def tell(self, problem: str) -> None:
        """Notify that abstracts could not be read, once per problem (not on every j/k)."""
        if problem and problem != self._told:
            self._told = problem
            self.screen.notify(
                f"Abstracts not read: {problem}", severity="error", timeout=20, markup=False
            )

    def toggle_zoom(self) -> None:
        """Give the detail pane the whole screen (to read a long abstract), or take it back."""
        if self.screen.maximized is not None:
            self.screen.minimize()
            self.screen.query_one(PaperList).focus()
        elif self.screen.maximize(detail := self.screen.query_one(DetailPane)):
            detail.focus()

    def page(self, step: int) -> None:
        """Page the detail pane from wherever the focus is."""
        detail = self.screen.query_one(DetailPane)
        (detail.scroll_page_down if step > 0 else detail.scroll_page_up)(animate=False)
