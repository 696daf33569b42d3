"""The main screen's library: digests to view, imports (i), and changes made elsewhere.

A base class of :class:`~digestreader.ui.screens.main.MainScreen`. The folder is polled about
once a second (``stat`` calls only): marks and notes written by the CLI or another reader are
re-read in a worker; a new corpus (an import) rebuilds the model in a worker and swaps it in,
keeping the view and the paper under the cursor.
"""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from digestreader.library import LibraryError
from digestreader.models import UserState
from digestreader.reader.digests import digest_summaries
from digestreader.reader.listing import ListingSpec
from digestreader.reader.model import ReaderModel
from digestreader.reader.watch import LibraryWatch
from digestreader.ui.screens.main_actions import StateActions

POLL_S = 1.0
REPAIR_HINT = (
    "your marks and notes in it are not shown; "
    "`digestreader doctor --repair` restores it from a backup"
)


class LiveLibrary(StateActions):
    """Digest navigation, import, and following the library folder."""

    spec: ListingSpec
    fully_loaded: bool
    _watch: LibraryWatch | None = None
    _jump_to: str | None = None  # the digest to show once the model of an import is in

    def request_listing(self, keep: int | None = None) -> None:
        raise NotImplementedError

    def start_loading(self) -> None:
        """Load the model's index and abstracts (after a new model is swapped in)."""
        raise NotImplementedError

    @property
    def digest_label(self) -> str:
        """What the digest in view is called (its date), or "" for all digests."""
        digest = self.spec.digest
        return self.model.digest_labels.get(digest, digest) if digest else ""

    # -- digests -------------------------------------------------------------------------------

    def action_digest(self, step: int) -> None:
        scopes: list[str | None] = [None, *self.model.digest_names]
        current = self.spec.digest if self.spec.digest in scopes else None
        self.show_digest(scopes[(scopes.index(current) + step) % len(scopes)])

    def show_digest(self, digest: str | None) -> None:
        """Show the papers of one digest (None: every digest), from the top."""
        self.spec = replace(self.spec, digest=digest)
        self.notify(f"Digest: {self.digest_label or 'all'}", timeout=1.5, markup=False)
        self.request_listing(keep=-1)

    def action_pick_digest(self) -> None:
        from digestreader.ui.screens.digests import DigestChoice, DigestPicker

        def picked(choice: DigestChoice | None) -> None:
            if choice is not None:
                self.show_digest(choice.name)

        summaries = digest_summaries(self.model.catalog)
        total = len(self.model.papers)
        self.app.push_screen(DigestPicker(summaries, total, self.spec.digest), picked)

    # -- import --------------------------------------------------------------------------------

    def action_import(self) -> None:
        from digestreader.ui.screens.importing import ImportDone, ImportScreen

        def imported(done: ImportDone | None) -> None:
            if done is None:
                return
            self.notify(done.summary, title="Import", markup=False)
            self._jump_to = done.digests[-1] if done.digests else None
            self.rebuild_model()

        self.app.push_screen(ImportScreen(self.model.library), imported)

    # -- following the folder ------------------------------------------------------------------

    def watch_library(self) -> None:
        """Start polling the library folder."""
        self._watch = LibraryWatch(self.model.library)
        self.set_interval(POLL_S, self.poll_library)

    def poll_library(self, now: bool = False) -> None:
        """Re-read what another process changed: states (at once when ``now``, before a
        toggle acts on them; else in a worker), or the whole model after an import."""
        if self._watch is None:
            return
        changes = self._watch.poll()
        if changes.corpus:
            self.rebuild_model()
        elif changes.states and now:
            try:
                self._take_states(self.model.library.states())
            except LibraryError as err:
                self._report(err)
        elif changes.states:
            self.reload_states()

    def fresh_states(self) -> None:
        self.poll_library(now=True)

    def _write_succeeded(self) -> None:
        # Our own write changed a shard. Polled now, its re-read goes to a worker; left to the
        # next toggle, that toggle re-read every state on the UI thread first (200 ms a
        # bookmark at 50k papers, measured by benchmarks/run.py).
        self.poll_library()
        super()._write_succeeded()

    @work(thread=True, exclusive=True, group="states", exit_on_error=False)
    def reload_states(self) -> None:
        try:
            states = self.model.library.states()
        except LibraryError as err:
            self.app.call_from_thread(self._report, err)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._take_states, states)

    def _report(self, err: LibraryError) -> None:
        self.notify(str(err), title="Library", severity="error", markup=False)

    class StatesLoaded(Message):
        """Every user state is in (the reader reads them after its first frame)."""

    def on_live_library_states_loaded(self) -> None:
        """Show the markers and counts, and say which state files could not be read."""
        for problem in self.model.state_problems:
            self.notify(f"{problem}: {REPAIR_HINT}", severity="error", timeout=20, markup=False)
        self.refresh_views()

    def _take_states(self, states: dict[str, UserState]) -> None:
        if states != self.model.states:
            self.model.replace_states(states)
            self.refresh_views()

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def rebuild_model(self) -> None:
        """A model of the library as it is now (after an import here or elsewhere)."""
        try:
            model = ReaderModel(self.model.library)
        except LibraryError as err:
            self.app.call_from_thread(self._report, err)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.swap_model, model)

    def swap_model(self, model: ReaderModel) -> None:
        """Show ``model`` instead: same view and paper, or the digest just imported."""
        current = self.paper_list.current
        paper = self.model.papers[current].id if current is not None else None
        self.model = model
        setattr(self.app, "model", model)  # noqa: B010 (the app's, typed there)
        self.paper_list.model = model
        keep = model.position.get(paper) if paper is not None else None
        digest = self._jump_to or self.spec.digest
        self._jump_to = None
        if digest not in model.digest_names:
            digest = None
        if digest != self.spec.digest:
            self.spec = replace(self.spec, digest=digest)
            keep = -1
        self.fully_loaded = False
        self.request_listing(keep=keep)
        self.start_loading()
