"""The main screen: filter bar, paper list, detail pane; it turns keys into library actions."""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input

from digestreader.config import Config
from digestreader.library import LibraryError
from digestreader.reader.filter_thread import FilterThread
from digestreader.reader.listing import Listing, ListingSpec, Scope, Sort
from digestreader.reader.model import ReaderModel
from digestreader.ui.messages import (
    AbstractsReady,
    IndexReady,
    ListingFailed,
    ListingReady,
    PaperHighlighted,
)
from digestreader.ui.screens.sharing import SharingActions
from digestreader.ui.widgets.detail import DetailPane
from digestreader.ui.widgets.filter_bar import FilterBar
from digestreader.ui.widgets.paper_list import PaperList
from digestreader.ui.widgets.status import StatusLine

SORT_CYCLE = list(Sort)
NARROW_WIDTH = 100
SESSION_SAVE_DELAY_S = 0.5
RETRY_S = 3.0  # how often a change that could not be written is tried again
REPAIR_HINT = (
    "your marks and notes in it are not shown; "
    "`digestreader doctor --repair` restores it from a backup"
)
DETAIL_DELAY_S = 0.12


class MainScreen(SharingActions, Screen[None]):
    """Triage: filter as you type, move with j/k, act with single keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so the letters typed right after "/" are routed to the filter (see FilterBar).
        Binding("slash", "focus_filter", "Filter", id="focus_filter", priority=True),
        Binding("b,space", "toggle_mark", "Mark", id="toggle_mark"),
        Binding("r", "toggle_read", "Read", id="toggle_read"),
        Binding("R", "mark_all_read", "All read", show=False, id="mark_all_read"),
        Binding("n", "note", "Note", id="note"),
        Binding("1", "scope('all')", "All", show=False, id="view_all"),
        Binding("2", "scope('marked')", "Marked", show=False, id="view_marked"),
        Binding("3", "scope('unread')", "Unread", show=False, id="view_unread"),
        Binding("s", "cycle_sort", "Sort", id="cycle_sort"),
        Binding("right_square_bracket", "digest(1)", "Next digest", show=False, id="next_digest"),
        Binding("left_square_bracket", "digest(-1)", "Prev digest", show=False, id="prev_digest"),
        Binding("o", "open", "Open", show=False, id="open"),
        Binding("y", "copy", "Copy", show=False, id="copy"),
        Binding("Y", "copy_bibtex", "Copy BibTeX", show=False, id="copy_bibtex"),
        Binding("e", "export", "Export", id="export"),
    ]

    def __init__(self, model: ReaderModel, config: Config, session: dict[str, Any]) -> None:
        super().__init__()
        self.model = model
        self.config = config
        self.session = session
        self.spec = ListingSpec.from_session(session, config.default_sort, model.digest_names)
        self.generation = 0
        self.listing: Listing | None = None
        self._keep: int | None = None
        self._save_timer: Timer | None = None
        self._detail_timer: Timer | None = None
        self._retry_timer: Timer | None = None
        self._not_saved = ""  # the last "Not saved" cause shown: said once, not on every key
        self.fully_loaded = False  # abstracts and index are in: every search uses the index
        self._filter = FilterThread(model.compute, self._deliver)

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield FilterBar(
            value=self.spec.query,
            placeholder="/ filter: words, 'exact, ^title-start, !exclude, a | b, is:marked",
            id="filter",
        )
        with Horizontal(id="panes"):
            yield PaperList(self.model, id="papers")
            yield DetailPane(id="detail")
        yield Footer()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    def on_mount(self) -> None:
        for problem in self.model.state_problems:
            self.notify(f"{problem}: {REPAIR_HINT}", severity="error", timeout=20, markup=False)
        self._filter.start()
        self.paper_list.focus()
        self.request_listing(keep=self.model.position.get(str(self.session.get("paper"))))

    def on_unmount(self) -> None:
        self._filter.stop()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")

    # -- filtering: the filter thread computes, messages deliver, stale results are dropped --

    def request_listing(self, keep: int | None = None) -> None:
        """Recompute the list off the UI thread; the cursor stays on ``keep`` or the current."""
        if keep is None:
            # Before the first listing arrives the cursor means nothing yet: keep what was asked.
            keep = self.paper_list.current if self.listing is not None else self._keep
        self._keep = keep
        self.generation = self._filter.submit(self.spec)

    def _deliver(self, result: Listing | BaseException) -> None:
        """Called on the filter thread: hand the result to the UI thread as a message."""
        if isinstance(result, BaseException):
            self.post_message(ListingFailed(result))
        else:
            self.post_message(ListingReady(result))

    @on(ListingFailed)
    def listing_failed(self, message: ListingFailed) -> None:
        raise message.error

    @work(thread=True, exclusive=True, group="index")
    def load_details(self) -> None:
        """The search index (read from disk, or built), then the abstracts: started once the
        first list is on screen. A saved index needs no abstracts, so search is fast at once."""
        self.model.load_index()
        self.post_message(IndexReady())
        self.model.load_abstracts()
        self.post_message(AbstractsReady())

    @on(ListingReady)
    def show_listing(self, message: ListingReady) -> None:
        if message.listing.generation != self.generation:
            return  # a newer keystroke already asked for another list
        if self.listing is None:
            self.call_after_refresh(self.load_details)
        self.listing = message.listing
        self.paper_list.show(message.listing.order, message.listing.spec.query, self._keep)
        if not len(message.listing.order):
            self.query_one(DetailPane).show(
                None, self.paper_list.filter_query, self.empty_message()
            )
        self.update_status()
        self.schedule_session_save()

    @on(AbstractsReady)
    def abstracts_ready(self) -> None:
        if self.model.abstracts_problem:
            self.notify(
                f"Abstracts not loaded: {self.model.abstracts_problem}",
                severity="error",
                timeout=20,
                markup=False,
            )
        if self.paper_list.current is not None:
            self.show_detail(self.paper_list.current)
        # The corpus is loaded for good: take its million objects out of the cyclic collector's
        # sight, or every full collection stalls a keystroke by ~100 ms at 50k papers.
        gc.freeze()
        self.fully_loaded = True

    @on(IndexReady)
    def index_ready(self) -> None:
        if self.model.index_warning:
            self.notify(self.model.index_warning, severity="warning", markup=False)
        if self.spec.query:
            self.request_listing()

    def empty_message(self) -> str:
        if self.spec.query:
            return f"No paper matches '{self.spec.query}' - esc clears the filter."
        if self.spec.scope is Scope.MARKED:
            return "No marked papers yet - press b on a paper to mark it, 1 shows all."
        if self.spec.scope is Scope.UNREAD:
            return "Everything here is read - press 1 to show all papers."
        return "No papers - import a digest: digestreader import FILE"

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.spec = replace(self.spec, query=event.value)
        self.request_listing()

    @on(PaperHighlighted)
    def paper_highlighted(self, message: PaperHighlighted) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if message.index is None:
            return
        if not message.by_filter:  # a new listing already updated the status
            self.update_status()
        if message.by_filter and self.focused is self.query_one(FilterBar):
            # While typing, the list is the feedback; the detail pane (a full relayout of a long
            # abstract) follows once typing pauses, so it never delays a keystroke.
            index = message.index
            self._detail_timer = self.set_timer(DETAIL_DELAY_S, lambda: self.open_paper(index))
            return
        self.open_paper(message.index)

    def open_paper(self, index: int) -> None:
        """Show a paper in the detail pane (marking it read if so configured)."""
        self._detail_timer = None
        if self.config.mark_read_on_open and not self.model.state(index).read:
            self._write(lambda: self.model.set_read([index]))
            self.paper_list.refresh_paper(index)
            self.update_status()
        self.show_detail(index)
        self.schedule_session_save()

    def show_detail(self, index: int) -> None:
        loading = not self.model.abstracts_loaded
        view = self.model.paper_with_state(index)
        self.query_one(DetailPane).show(view, self.paper_list.filter_query, loading=loading)

    def update_status(self) -> None:
        shown = len(self.listing.order) if self.listing else 0
        status = self.query_one(StatusLine)
        status.show(
            shown,
            self.model.counts(),
            self.spec.scope.value,
            self.spec.sort.value,
            self.spec.digest,
            self.paper_list.cursor,
        )

    # -- session ------------------------------------------------------------------------------

    def schedule_session_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SESSION_SAVE_DELAY_S, self.save_session)

    def session_state(self) -> dict[str, Any]:
        current = self.paper_list.current
        return {
            **self.spec.to_session(),
            "paper": self.model.papers[current].id if current is not None else None,
            "theme": self.app.theme,
            "export_format": self.session.get("export_format", "bibtex"),
        }

    def save_session(self) -> None:
        self._write(lambda: self.model.library.save_session(self.session_state()))

    # -- actions ------------------------------------------------------------------------------

    def _write(self, action: Any) -> bool:
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
            self.model.library.save_session(self.session_state())
        except LibraryError as err:
            self._not_saved = str(err)  # still failing: said already
            return
        self._write_succeeded()

    def _current(self) -> int | None:
        index = self.paper_list.current
        if index is None:
            self.notify("No paper selected", severity="warning")
        return index

    def _after_change(self, index: int) -> None:
        self.paper_list.refresh_paper(index)
        self.update_status()
        # Rebuilding the detail (a long abstract) waits for the next turn of the loop, so the
        # key that made the change is done the moment its write is on disk.
        self.call_later(self.show_detail, index)
        if self.spec.scope is not Scope.ALL:
            self.request_listing(keep=index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "/" has priority to win the race with the keys after it; inside the filter it must
        # stay an ordinary character, typed in order with the rest.
        if action == "focus_filter":
            # Screen.focused changes at once; has_focus waits for the Focus event.
            return self.focused is not self.query_one(FilterBar)
        return True

    def action_focus_filter(self) -> None:
        # Screen.set_focus applies at once (Widget.focus waits a tick), so keys typed right
        # after "/" reach the filter instead of firing the list's bindings.
        self.set_focus(self.query_one(FilterBar))

    def action_toggle_mark(self) -> None:
        index = self._current()
        if index is not None and self._write(lambda: self.model.toggle_marked(index)):
            self._after_change(index)

    def action_toggle_read(self) -> None:
        index = self._current()
        if index is not None and self._write(lambda: self.model.toggle_read(index)):
            self._after_change(index)

    def action_mark_all_read(self) -> None:
        if not self.listing or not len(self.listing.order):
            return
        shown = [int(i) for i in self.listing.order]
        if self._write(lambda: self.model.set_read(shown)):
            self.notify(f"Marked {len(shown)} shown papers read")
            self.paper_list.refresh()
            self.update_status()
            if self.spec.scope is Scope.UNREAD:
                self.request_listing()

    def action_note(self) -> None:
        index = self._current()
        if index is None:
            return
        from digestreader.ui.screens.note import NoteScreen

        def saved(text: str | None) -> None:
            if text is not None and self._write(lambda: self.model.set_note(index, text)):
                self.notify("Note saved" if text.strip() else "Note cleared")
                self._after_change(index)

        view = self.model.paper_with_state(index)
        self.app.push_screen(NoteScreen(view.paper.title, view.state.note), saved)

    def action_scope(self, name: str) -> None:
        self.spec = replace(self.spec, scope=Scope(name))
        self.request_listing()

    def action_cycle_sort(self) -> None:
        sort = SORT_CYCLE[(SORT_CYCLE.index(self.spec.sort) + 1) % len(SORT_CYCLE)]
        self.spec = replace(self.spec, sort=sort)
        self.notify(f"Sort: {sort.value}", timeout=1.5)
        self.request_listing()

    def action_digest(self, step: int) -> None:
        scopes: list[str | None] = [None, *self.model.digest_names]
        digest = scopes[(scopes.index(self.spec.digest) + step) % len(scopes)]
        self.spec = replace(self.spec, digest=digest)
        self.notify(f"Digest: {digest or 'all'}", timeout=1.5, markup=False)
        self.request_listing(keep=-1)
