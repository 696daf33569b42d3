"""The main screen's changes of state: mark, read, mark all read, note, undo, read on open.

:class:`PendingWrites` runs every write of the screen and keeps what the library could not take;
:class:`SessionSaver` saves where the reader is; :class:`StateActions` is what the keys do. The
screen owns one of each and hands them what they need, explicitly: itself as a Textual
``Screen`` (notices, dialogs, timers that stop with it, and its paper list; typed so, they see
none of the main screen's state), the model on screen, and callables.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.timer import Timer

from digestreader.library import LibraryError
from digestreader.reader.listing import ListingSpec
from digestreader.reader.model import ReaderModel
from digestreader.ui.widgets.paper_list import PaperList

if TYPE_CHECKING:  # the dialogs load when first opened, not with the first frame
    from digestreader.ui.screens.export import ExportDone

# A letter within this long after leaving the filter may have been meant for it: say what it
# did (and that u undoes it) rather than change a paper silently.
AFTER_FILTER_S = 2.0
SESSION_SAVE_DELAY_S = 0.5
RETRY_S = 3.0  # how often a change that could not be written is tried again
READ_AFTER_S = 1.5  # mark_read_on_open: shown this long on one paper counts as read


class PendingWrites:
    """Runs writes; one the library cannot take is said once ("Not saved: ...") and retried
    every ``RETRY_S`` (the model keeps the change in memory meanwhile, and the next write takes
    it along) until it is on disk, which is said too."""

    def __init__(
        self,
        screen: Screen[Any],
        model: Callable[[], ReaderModel],
        save_session: Callable[[], None],
        after_write: Callable[[], None],
    ) -> None:
        self.screen = screen
        self.model = model
        self.save_session = save_session  # retried along with the pending changes
        self.after_write = after_write  # told of every write that reached the disk
        self._retry_timer: Timer | None = None
        self._not_saved = ""  # the last "Not saved" cause shown: said once, not on every key

    def write(self, action: Callable[[], object]) -> bool:
        """Run a write; whether it reached the disk."""
        try:
            action()
        except LibraryError as err:
            self._failed(str(err))
            return False
        self._succeeded()
        return True

    def _failed(self, cause: str) -> None:
        if cause != self._not_saved:
            self.screen.notify(f"Not saved: {cause}", severity="error", timeout=10, markup=False)
        self._not_saved = cause
        if self._retry_timer is None:
            self._retry_timer = self.screen.set_interval(RETRY_S, self._retry)

    def _succeeded(self) -> None:
        self.after_write()
        if self._not_saved and not self.model().user.unsaved:
            self._not_saved = ""
            if self._retry_timer is not None:
                self._retry_timer.stop()
                self._retry_timer = None
            self.screen.notify("Saved: the changes kept in memory are on disk now", timeout=4)

    def _retry(self) -> None:
        try:
            self.model().user.flush()
            self.save_session()
        except LibraryError as err:
            self._not_saved = str(err)  # still failing: said already
            return
        self._succeeded()


class SessionSaver:
    """Saves where the reader is (the listing ``spec``, the paper, the theme, the last export
    format) into ``session`` and the library, through ``writes``: half a second after the last
    move (a burst of keys is one write), or at once."""

    def __init__(
        self,
        screen: Screen[Any],
        model: Callable[[], ReaderModel],
        writes: PendingWrites,
        spec: Callable[[], ListingSpec],
        session: dict[str, Any],
    ) -> None:
        self.screen = screen
        self.model = model
        self.writes = writes
        self.spec = spec
        self.session = session  # as loaded at start; the export format is kept in it
        self._timer: Timer | None = None

    @property
    def export_format(self) -> str:
        """The format of the last export: the export dialog's first choice."""
        return str(self.session.get("export_format", "bibtex"))

    def exported(self, result: ExportDone) -> None:
        """An export was written: its format is the next one's first choice."""
        self.session["export_format"] = result.fmt
        self.schedule()

    def state(self) -> dict[str, Any]:
        """Where the reader is, as the library saves it."""
        current = self.screen.query_one(PaperList).current
        return {
            **self.spec().to_session(),
            "paper": self.model().papers[current].id if current is not None else None,
            "theme": self.screen.app.theme,
            "export_format": self.session.get("export_format", "bibtex"),
        }

    def schedule(self) -> None:
        """Save in a moment, unless another move comes first."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(SESSION_SAVE_DELAY_S, self.save)

    def save(self) -> None:
        """Save now; nothing before the screen is up (the theme set at start signals before the
        list exists, and there is nothing of this session to keep yet)."""
        if not self.screen.is_mounted:
            return
        self.writes.write(lambda: self.model().library.save_session(self.state()))


class StateActions:
    """Actions that change the user's state of papers, each undoable with ``u``."""

    def __init__(
        self,
        screen: Screen[Any],
        model: Callable[[], ReaderModel],
        writes: PendingWrites,
        refresh: Callable[[int | None], None],
        fresh_states: Callable[[], None],
    ) -> None:
        self.screen = screen
        self.model = model
        self.writes = writes
        self.refresh = refresh  # redraw paper ``index`` wherever it shows (None: every paper)
        self.fresh_states = fresh_states  # take in what another process wrote, before a toggle
        self._left_filter_at = 0.0
        self._read_timer: Timer | None = None

    def left_filter(self) -> None:
        """The focus just left the filter: a letter now may have been meant for it."""
        self._left_filter_at = time.monotonic()

    def current(self) -> int | None:
        """The paper under the cursor of the screen's list, if any."""
        return self.screen.query_one(PaperList).current

    def shown(self) -> Iterable[int]:
        """The papers of the listing on screen, in order."""
        listing = self.screen.query_one(PaperList).listing
        return listing.order if listing is not None else ()

    def selected(self) -> int | None:
        """The paper under the cursor; None, said, when there is none."""
        index = self.current()
        if index is None:
            self.screen.notify("No paper selected", severity="warning")
        return index

    def for_selected(self, action: Callable[[int], None]) -> None:
        """Run ``action`` on the paper under the cursor; say so when there is none."""
        if (index := self.selected()) is not None:
            action(index)

    def _changed(self, index: int | None, what: str) -> None:
        self.refresh(index)
        if time.monotonic() - self._left_filter_at < AFTER_FILTER_S:
            self.screen.notify(f"{what.capitalize()} - u undoes", timeout=3, markup=False)

    def read_soon(self, index: int | None) -> None:
        """Mark paper ``index`` read once it has been shown for a moment (not every paper the
        cursor passes); None, or another paper, calls off the one before."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if index is not None and not self.model().user.state(index).read:
            self._read_timer = self.screen.set_timer(
                READ_AFTER_S, lambda: self._read_a_while(index)
            )

    def _read_a_while(self, index: int) -> None:
        self._read_timer = None
        still_shown = self.current() == index and not self.model().user.state(index).read
        if still_shown and self.writes.write(lambda: self.model().user.set_read([index])):
            self.refresh(index)

    def toggle_mark(self) -> None:
        """Mark or unmark the paper under the cursor (``b``)."""
        self.fresh_states()
        index = self.selected()
        if index is not None and self.writes.write(lambda: self.model().user.toggle_marked(index)):
            self._changed(index, "marked" if self.model().user.state(index).marked else "unmarked")

    def toggle_read(self) -> None:
        """Mark the paper under the cursor read or unread (``r``)."""
        self.fresh_states()
        index = self.selected()
        if index is not None and self.writes.write(lambda: self.model().user.toggle_read(index)):
            self._changed(index, "read" if self.model().user.state(index).read else "unread")

    def mark_all_read(self) -> None:
        """Mark every shown paper read (``R``), after asking when it is more than one."""
        self.fresh_states()
        shown = [int(i) for i in self.shown()]
        if not shown:
            return
        unread = sum(not self.model().user.state(i).read for i in shown)
        if unread == 0:
            self.screen.notify("Every shown paper is already read", timeout=2)
            return

        def mark(yes: bool | None = True) -> None:
            if yes and self.writes.write(lambda: self.model().user.set_read(shown)):
                noun = "paper" if unread == 1 else "papers"
                self.screen.notify(f"Marked {unread:,} shown {noun} read - u undoes", markup=False)
                self.refresh(None)

        if unread == 1:
            mark()
            return
        from digestreader.ui.screens.confirm import ConfirmScreen

        question = f"Mark the {unread:,} unread papers shown read?"
        self.screen.app.push_screen(ConfirmScreen(question, "Mark read", "Cancel"), mark)

    def note(self) -> None:
        """Write or edit the note of the paper under the cursor (``n``)."""
        index = self.selected()
        if index is None:
            return
        from digestreader.ui.screens.note import NoteScreen

        def saved(text: str | None) -> None:
            if text is None:
                return
            if self.writes.write(lambda: self.model().user.set_note(index, text)):
                self.screen.notify("Note saved" if text.strip() else "Note cleared")
                self.refresh(index)

        view = self.model().paper_with_state(index)
        self.screen.app.push_screen(NoteScreen(view.paper.title, view.state.note), saved)

    def undo(self) -> None:
        """Take back the last change of state (marks, reads, mark-all-read, notes)."""
        try:
            step = self.model().user.undo()
        except LibraryError as err:
            self.screen.notify(str(err), title="Not undone", severity="error", markup=False)
            return
        if step is None:
            self.screen.notify("Nothing to undo", timeout=2)
            return
        self.screen.notify(f"Undone: {step.description}", timeout=2, markup=False)
        self.refresh(None)
