"""The main screen: filter bar, paper list, detail pane; it turns keys into library actions."""

from __future__ import annotations

import gc
from dataclasses import replace
from functools import cached_property
from typing import Any, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from digestreader.config import Config
from digestreader.reader.listing import Listing, ListingSpec, Scope, Sort
from digestreader.reader.model import ReaderModel
from digestreader.ui.keys import MAIN_BINDINGS
from digestreader.ui.screens.main_actions import PendingWrites, SessionSaver, StateActions
from digestreader.ui.screens.main_detail import DetailFollow
from digestreader.ui.screens.main_live import DigestNavigation, LibraryFollower, carried_over
from digestreader.ui.sharing import PaperSharing
from digestreader.ui.widgets.detail import DetailPane
from digestreader.ui.widgets.filter_bar import FilterBar
from digestreader.ui.widgets.footer import LateFooter
from digestreader.ui.widgets.paper_list import PaperList
from digestreader.ui.widgets.status import StatusLine


class MainScreen(Screen[None]):
    """Triage: filter as you type, move with j/k, act with single keys."""

    BINDINGS: ClassVar[list[BindingType]] = list(MAIN_BINDINGS)
    # Below 100 columns the panes stack (see app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (Screen types it so)
    LOAD_DELAY_S: ClassVar[float] = 0.05  # from the first frame's refresh to the loading

    class StatesLoaded(Message):
        """Every user state is in (the reader reads them after its first frame)."""

    class IndexReady(Message):
        """The search index is loaded or built: every search can use it."""

    class AbstractsReady(Message):
        """The detail pane may read abstracts (the cursor's segment is read already)."""

    def __init__(self, model: ReaderModel, config: Config, session: dict[str, Any]) -> None:
        super().__init__()
        self.model = model
        self.config = config
        self.session = session
        self.spec = ListingSpec.from_session(session, config.default_sort, model.digest_names)
        self._loading_started = False
        self.fully_loaded = False  # catalog, states and index are in, abstracts readable
        # What the screen delegates to, each handed only what it needs (see their modules).
        model_now = lambda: self.model  # noqa: E731 (the model on screen now: swapped on import)
        self.digests = DigestNavigation(self, model_now, lambda: self.spec.digest, self.show_digest)
        self.follower = LibraryFollower(self, model_now, self.refresh_views, self.swap_model)
        self.writes = PendingWrites(self, model_now, self.save_session, self.follower.poll)
        self.detail = DetailFollow(self, model_now, self.open_paper)
        self.saver = SessionSaver(self, model_now, self.writes, lambda: self.spec, session)
        fresh = self.follower.fresh_states
        self.changes = StateActions(self, model_now, self.writes, self.refresh_views, fresh)

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield FilterBar(value=self.spec.query, id="filter")
        with Horizontal(id="panes"):
            yield PaperList(self.model, id="papers")
            yield DetailPane(id="detail")
        yield LateFooter()

    def on_mount(self) -> None:
        self.paper_list.focus()
        self.request_listing(keep=self.model.index_of(str(self.session.get("paper"))))
        # The filter's value is watched rather than heard as Input.Changed: the search starts
        # as the key goes in, not after the message has passed through the bar and up to the
        # screen (0.3-0.4 ms of every filter keystroke, measured at 200k papers).
        bar = self.query_one(FilterBar)
        self.watch(bar, "value", self.filter_changed, init=False)
        if bar.value != self.spec.query:  # typed into the bar before this screen was mounted
            self.filter_changed(bar.value)
        self.follower.watch()

    # -- listing: the list computes in its filter thread and says when a new one is shown --

    def request_listing(self, keep: int | None = None) -> None:
        """Recompute the list off the UI thread; the cursor stays on ``keep`` or the current."""
        self.paper_list.request(self.spec, keep)

    def start_loading(self) -> None:
        self._loading_started = True
        # Loading parses in C calls that hold the GIL: let the first frame reach the terminal.
        self.call_after_refresh(self.set_timer, self.LOAD_DELAY_S, self.load_details)
        self.call_after_refresh(self.set_timer, self.LOAD_DELAY_S, self.take_session_backup)

    @work(thread=True, group="backup")
    def take_session_backup(self) -> None:
        """The backup the session begins with, off the first frame's path (a write that comes
        first takes it and this finds it taken); a failure is said, writes go on."""
        if problem := self.model.library.session_backup():
            self.app.call_from_thread(self.notify, problem, markup=False, timeout=8)

    @work(thread=True, exclusive=True, group="index")
    def load_details(self) -> None:
        """The cursor's abstract, the user's states, the search index (read or built): started
        once the first list is on screen. A saved index needs no abstracts: search is fast."""
        self.model.open_abstracts(self.paper_list.current)  # read on demand from now on
        self.post_message(self.AbstractsReady())
        if not self.model.load_catalog():  # the rest of the catalog, each document checked
            self.app.call_from_thread(self.app.exit, None, 1)  # see launch.run_reader
            return
        self.model.user.load_states()
        self.post_message(self.StatesLoaded())
        self.model.load_index()
        self.post_message(self.IndexReady())

    def on_paper_list_shown(self, message: PaperList.Shown) -> None:
        if not self._loading_started:
            self.start_loading()
        if not len(message.listing.order):
            typing = self.focused is self.query_one(FilterBar)
            self.detail.say_empty(self.spec.empty_message(self.digest_label), typing)
        self.update_status()
        self.schedule_session_save()

    def on_main_screen_states_loaded(self) -> None:
        self.follower.states_loaded()

    def on_main_screen_abstracts_ready(self) -> None:
        if self.paper_list.current is not None:
            self.show_detail(self.paper_list.current)  # says when its abstract is unreadable

    def on_main_screen_index_ready(self) -> None:
        if self.model.index_warning:
            self.notify(self.model.index_warning, severity="warning", markup=False)
        self.detail.tell(self.model.abstracts_problem)  # the index was built without them
        if self.spec.query:
            self.request_listing()
        # The corpus is loaded for good: take its million objects out of the cyclic collector's
        # sight, or every full collection stalls a keystroke by ~100 ms at 50k papers.
        gc.freeze()
        self.fully_loaded = True

    def filter_changed(self, value: str) -> None:
        """The filter's text changed (typed, pasted, cleared): list what it matches."""
        self.spec = replace(self.spec, query=value)
        if not self.spec.filtering:  # the next filter ranks by relevance again
            self.spec = replace(self.spec, filter_sort=Sort.RELEVANCE)
        self.request_listing()

    def on_paper_list_highlighted(self, message: PaperList.Highlighted) -> None:
        message.stop()  # the app has no use for it: one dispatch less on every keystroke
        if message.index is not None and not message.by_filter:  # else a new listing did it
            self.update_status()
        typing = message.by_filter and self.focused is self.query_one(FilterBar)
        self.detail.follow(message.index, typing)

    def open_paper(self, index: int) -> None:
        """The detail pane opened a paper: if so configured, it counts as read once it has
        been shown for a moment (not every paper the cursor passes)."""
        self.changes.read_soon(index if self.config.mark_read_on_open else None)
        self.schedule_session_save()

    def show_detail(self, index: int) -> None:
        self.detail.show(index)

    def update_status(self) -> None:
        shown = len(self.listing.order) if self.listing else 0
        counts = self.model.user.counts()
        status = self.query_one(StatusLine)
        status.show(shown, counts, self.spec, self.paper_list.cursor, self.digest_label)

    # -- session ------------------------------------------------------------------------------

    def schedule_session_save(self) -> None:
        self.saver.schedule()

    def save_session(self) -> None:
        """Save where the reader is, now (see SessionSaver)."""
        self.saver.save()

    @cached_property
    def paper_list(self) -> PaperList:
        """The list (looked up once: several handlers of every keystroke ask for it)."""
        return self.query_one(PaperList)

    @property
    def listing(self) -> Listing | None:
        """The listing on screen."""
        return self.paper_list.listing

    @property
    def digest_label(self) -> str:
        """What the digest in view is called (its date), or "" for all digests."""
        return self.digests.label(self.spec.digest)

    def show_digest(self, digest: str | None) -> None:
        """Show the papers of one digest (None: every digest), from the top."""
        self.spec = replace(self.spec, digest=digest)
        self.request_listing(keep=-1)

    def swap_model(self, model: ReaderModel, jump_to: str | None) -> None:
        """Show ``model`` instead: same view and paper, or the digest ``jump_to`` imported."""
        self.spec, keep = carried_over(
            self.model, model, self.spec, self.paper_list.current, jump_to
        )
        self.model = model
        setattr(self.app, "model", model)  # noqa: B010 (the app's, typed there)
        self.paper_list.model = model
        self.fully_loaded = False
        self.request_listing(keep=keep)
        self.start_loading()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input):
            self.changes.left_filter()

    def action_toggle_mark(self) -> None:
        self.changes.toggle_mark()

    def action_toggle_read(self) -> None:
        self.changes.toggle_read()

    def action_mark_all_read(self) -> None:
        self.changes.mark_all_read()

    def action_note(self) -> None:
        self.changes.note()

    def action_undo(self) -> None:
        self.changes.undo()

    def action_digest(self, step: int) -> None:
        self.digests.step(step)

    def action_pick_digest(self) -> None:
        self.digests.pick()

    def action_import(self) -> None:
        self.follower.import_dialog()

    # -- actions ------------------------------------------------------------------------------

    def refresh_views(self, index: int | None = None) -> None:
        """After a change of state, redraw every place that shows it: the row of paper
        ``index`` (every row when None), the status, the detail, and the list of a scope."""
        if index is None:
            self.paper_list.refresh()
        else:
            self.paper_list.refresh_paper(index)
        self.update_status()
        current = self.paper_list.current
        if current is not None and index in (None, current):
            # Rebuilding the detail (a long abstract) waits for the next turn of the loop, so
            # the key that made the change is done the moment its write is on disk.
            self.call_later(self.show_detail, current)
        if self.spec.scope is not Scope.ALL:
            self.request_listing(keep=current if index is None else index)

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

    def action_toggle_detail(self) -> None:
        self.detail.toggle_zoom()

    def watch_maximized(self, previous: Widget | None, maximized: Widget | None) -> None:
        if maximized is None and isinstance(previous, DetailPane):  # z, enter or escape
            self.paper_list.focus()  # else j scrolled the pane behind and the list looked frozen

    def action_page_detail(self, step: int) -> None:
        self.detail.page(step)

    def action_scope(self, name: str) -> None:
        self.spec = replace(self.spec, scope=Scope(name))
        self.request_listing()

    def action_cycle_sort(self) -> None:
        self.spec = self.spec.next_sort()  # while filtering, the filter's order (see there)
        self.notify(f"Sort: {self.spec.effective_sort.value}", timeout=1.5)
        self.request_listing()

    # -- taking papers elsewhere (see PaperSharing) --------------------------------------------

    @property
    def sharing(self) -> PaperSharing:
        return PaperSharing(self.app, self.model)

    def action_open(self) -> None:
        self.changes.for_selected(self.sharing.open)

    def action_open_pdf(self) -> None:
        self.changes.for_selected(self.sharing.open_pdf)

    def action_copy(self) -> None:
        self.changes.for_selected(self.sharing.copy)

    def action_copy_bibtex(self) -> None:
        self.changes.for_selected(self.sharing.copy_bibtex)

    def action_export(self) -> None:
        shown = self.listing.order if self.listing else ()
        self.sharing.export(shown, self.saver.export_format, self.saver.exported)
