"""The main screen's changes of state: mark, read, mark all read, note, undo.

A base class of :class:`~digestreader.ui.screens.main.MainScreen` (which provides the model, the
list and :meth:`refresh_views`), so the screen module stays about layout and listing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import events
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from digestreader.library import LibraryError
from digestreader.reader.listing import Listing
from digestreader.reader.model import ReaderModel
from digestreader.ui.screens.confirm import ConfirmScreen
from digestreader.ui.widgets.paper_list import PaperList

# A letter within this long after leaving the filter may have been meant for it: say what it
# did (and that u undoes it) rather than change a paper silently.
AFTER_FILTER_S = 2.0
RETRY_S = 3.0  # how often a change that could not be written is tried again


class StateActions(Screen[None]):
    """Actions that change the user's state of papers, each undoable with ``u``."""

    model: ReaderModel
    _left_filter_at = 0.0
    _retry_timer: Timer | None = None
    _not_saved = ""  # the last "Not saved" cause shown: said once, not on every key

    def save_session(self) -> None:
        """Save where the reader is (the screen knows what that is)."""

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def listing(self) -> Listing | None:
        """The listing on screen."""
        return self.paper_list.listing

    def refresh_views(self, index: int | None = None) -> None:
        """Redraw every place that shows paper ``index`` (every paper when None)."""
        raise NotImplementedError

    def fresh_states(self) -> None:
        """Take in the states another process changed, before a toggle flips them."""

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input):
            self._left_filter_at = time.monotonic()

    def _write(self, action: Callable[[], object]) -> bool:
        """Run a write; if the library cannot take it, say so once and retry on a timer (the
        model keeps the change in memory meanwhile, and the next write takes it along)."""
        try:
            action()
        except LibraryError as err:
            self._write_failed(str(err))
            return False
        self._write_succeeded()
        return True

    def _write_failed(self, cause: str) -> None:
        if cause != self._not_saved:
            self.notify(f"Not saved: {cause}", severity="error", timeout=10, markup=False)
        self._not_saved = cause
        if self._retry_timer is None:
            self._retry_timer = self.set_interval(RETRY_S, self._retry)

    def _write_succeeded(self) -> None:
        if self._not_saved and not self.model.unsaved:
            self._not_saved = ""
            if self._retry_timer is not None:
                self._retry_timer.stop()
                self._retry_timer = None
            self.notify("Saved: the changes kept in memory are on disk now", timeout=4)

    def _retry(self) -> None:
        try:
            self.model.flush()
            self.save_session()
        except LibraryError as err:
            self._not_saved = str(err)  # still failing: said already
            return
        self._write_succeeded()

    def _current(self) -> int | None:
        index = self.paper_list.current
        if index is None:
            self.notify("No paper selected", severity="warning")
        return index

    def _changed(self, index: int | None, what: str) -> None:
        self.refresh_views(index)
        if time.monotonic() - self._left_filter_at < AFTER_FILTER_S:
            self.notify(f"{what.capitalize()} - u undoes", timeout=3, markup=False)

    def action_toggle_mark(self) -> None:
        self.fresh_states()
        index = self._current()
        if index is not None and self._write(lambda: self.model.toggle_marked(index)):
            self._changed(index, "marked" if self.model.state(index).marked else "unmarked")

    def action_toggle_read(self) -> None:
        self.fresh_states()
        index = self._current()
        if index is not None and self._write(lambda: self.model.toggle_read(index)):
            self._changed(index, "read" if self.model.state(index).read else "unread")

    def action_mark_all_read(self) -> None:
        self.fresh_states()
        if not self.listing or not len(self.listing.order):
            return
        shown = [int(i) for i in self.listing.order]
        unread = sum(not self.model.state(i).read for i in shown)
        if unread == 0:
            self.notify("Every shown paper is already read", timeout=2)
            return

        def mark(yes: bool | None = True) -> None:
            if yes and self._write(lambda: self.model.set_read(shown)):
                noun = "paper" if unread == 1 else "papers"
                self.notify(f"Marked {unread:,} shown {noun} read - u undoes", markup=False)
                self.refresh_views()

        if unread == 1:
            mark()
            return
        question = f"Mark the {unread:,} unread papers shown read?"
        self.app.push_screen(ConfirmScreen(question, "Mark read", "Cancel"), mark)

    def action_note(self) -> None:
        index = self._current()
        if index is None:
            return
        from digestreader.ui.screens.note import NoteScreen

        def saved(text: str | None) -> None:
            if text is not None and self._write(lambda: self.model.set_note(index, text)):
                self.notify("Note saved" if text.strip() else "Note cleared")
                self.refresh_views(index)

        view = self.model.paper_with_state(index)
        self.app.push_screen(NoteScreen(view.paper.title, view.state.note), saved)

    def action_undo(self) -> None:
        """Take back the last change of state (marks, reads, mark-all-read, notes)."""
        try:
            step = self.model.undo()
        except LibraryError as err:
            self.notify(str(err), title="Not undone", severity="error", markup=False)
            return
        if step is None:
            self.notify("Nothing to undo", timeout=2)
            return
        self.notify(f"Undone: {step.description}", timeout=2, markup=False)
        self.refresh_views()
