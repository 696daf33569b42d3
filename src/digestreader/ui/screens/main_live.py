"""The main screen's library: digests to view, imports (i), and changes made elsewhere.

The screen owns one :class:`DigestNavigation` and one :class:`LibraryFollower` and hands them
what they need, explicitly: itself as a Textual ``Screen`` (notices, dialogs, timers and workers
that stop with it), the model on screen, and callables. The folder is polled about once a
second (``stat`` calls only): marks and notes written by the CLI or another reader are re-read
in a worker; a new corpus (an import) rebuilds the model in a worker and hands it to the
screen, which keeps the view and the paper under the cursor (:func:`carried_over`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.screen import Screen
from textual.worker import get_current_worker

from digestreader.library import LibraryError
from digestreader.models import UserState
from digestreader.reader.digests import digest_summaries
from digestreader.reader.listing import ListingSpec
from digestreader.reader.model import ReaderModel
from digestreader.reader.watch import LibraryWatch

POLL_S = 1.0
REPAIR_HINT = (
    "your marks and notes in it are not shown; "
    "`digestreader doctor --repair` restores it from a backup"
)


def carried_over(
    old: ReaderModel, new: ReaderModel, spec: ListingSpec, current: int | None, jump_to: str | None
) -> tuple[ListingSpec, int | None]:
    """The listing and the paper to keep when ``new`` replaces ``old``: the same view and
    paper (``current`` in ``old``), or the digest ``jump_to`` just imported, from the top."""
    paper = old.papers[current].id if current is not None else None
    keep = new.index_of(paper) if paper is not None else None
    digest = jump_to or spec.digest
    if digest not in new.digest_names:
        digest = None
    if digest != spec.digest:
        return replace(spec, digest=digest), -1
    return spec, keep


class DigestNavigation:
    """``[`` and ``]`` step through the digests, ``d`` picks one; ``show`` puts it on screen
    (from the top), and which one it is is said."""

    def __init__(
        self,
        screen: Screen[Any],
        model: Callable[[], ReaderModel],
        digest: Callable[[], str | None],
        show: Callable[[str | None], None],
    ) -> None:
        self.screen = screen
        self.model = model
        self.digest = digest  # the digest in view (None: every digest)
        self.show = show

    def label(self, digest: str | None) -> str:
        """What ``digest`` is called (its date), or "" for all digests."""
        return self.model().digest_labels.get(digest, digest) if digest else ""

    def step(self, step: int) -> None:
        """Show the next (``step`` 1) or previous (-1) digest, "all" between the ends."""
        scopes: list[str | None] = [None, *self.model().digest_names]
        current = self.digest() if self.digest() in scopes else None
        self._show(scopes[(scopes.index(current) + step) % len(scopes)])

    def _show(self, digest: str | None) -> None:
        self.show(digest)
        self.screen.notify(f"Digest: {self.label(digest) or 'all'}", timeout=1.5, markup=False)

    def pick(self) -> None:
        """Open the digest picker over the digests, with their papers and new ones."""
        from digestreader.ui.screens.digests import DigestChoice, DigestPicker

        def picked(choice: DigestChoice | None) -> None:
            if choice is not None:
                self._show(choice.name)

        model = self.model()
        if not model.catalog_loaded:  # counting needs every document: parsed off the UI thread

            def parse() -> None:
                if model.load_catalog():  # else the loading worker ends the reader
                    self.screen.app.call_from_thread(self.pick)

            self.screen.run_worker(parse, thread=True, group="catalog")
            return
        summaries = digest_summaries(self.model().catalog)
        total = len(self.model().papers)
        self.screen.app.push_screen(DigestPicker(summaries, total, self.digest()), picked)


class LibraryFollower:
    """Import (``i``), and following the library folder: states another process wrote, and a
    new corpus, whose model goes to ``swap`` with the digest to show (one just imported here)."""

    def __init__(
        self,
        screen: Screen[Any],
        model: Callable[[], ReaderModel],
        refresh: Callable[[int | None], None],
        swap: Callable[[ReaderModel, str | None], None],
    ) -> None:
        self.screen = screen
        self.model = model
        self.refresh = refresh  # redraw every paper (None) after their states changed
        self.swap = swap
        self._watch: LibraryWatch | None = None
        self._jump_to: str | None = None  # the digest to show once the model of an import is in
        self._dirty: frozenset[int] | None = frozenset()  # state shards to re-read (None: all)

    def import_dialog(self) -> None:
        """Open the import dialog; what it imported is said, and its last digest shown."""
        from digestreader.ui.screens.importing import ImportDone, ImportScreen

        def imported(done: ImportDone | None) -> None:
            if done is None:
                return
            self.screen.notify(done.summary, title="Import", markup=False)
            self._jump_to = done.digests[-1] if done.digests else None
            self.rebuild_model()

        self.screen.app.push_screen(ImportScreen(self.model().library), imported)

    def states_loaded(self) -> None:
        """Every state is in (the reader reads them after its first frame): show the markers
        and counts, and say which state files could not be read."""
        for problem in self.model().user.state_problems:
            hint = f"{problem}: {REPAIR_HINT}"
            self.screen.notify(hint, severity="error", timeout=20, markup=False)
        self.refresh(None)

    def watch(self) -> None:
        """Start polling the library folder."""
        self._watch = LibraryWatch(self.model().library)
        self.screen.set_interval(POLL_S, self.poll)

    def poll(self, now: bool = False) -> None:
        """Re-read what another process changed: states (at once when ``now``, before a
        toggle acts on them; else in a worker), or the whole model after an import.

        Also called after each of our own writes: it changed a shard, and polled now its
        re-read goes to a worker; left to the next toggle, that toggle re-read every state on
        the UI thread first (200 ms a bookmark at 50k papers, measured by benchmarks/run.py).
        """
        if self._watch is None:
            return
        changes = self._watch.poll()
        if changes.corpus:
            self.rebuild_model()
        elif changes.states and now:
            try:
                shards = self._dirty_with(changes.shards)
                self._take_states(self._read_states(shards), shards)
            except LibraryError as err:
                self._report(err)
        elif changes.states:
            self._dirty_with(changes.shards)
            self.reload_states()

    def _dirty_with(self, shards: frozenset[int] | None) -> frozenset[int] | None:
        """The shards to re-read: these and those of re-reads cut short (None: all)."""
        dirty = self._dirty
        self._dirty = None if dirty is None or shards is None else dirty | shards
        return self._dirty

    def fresh_states(self) -> None:
        """Take in the states another process changed, before a toggle flips them."""
        self.poll(now=True)

    def reload_states(self) -> None:
        """Re-read every state in a worker (a newer re-read cancels this one)."""
        self.screen.run_worker(
            self._reload_states, group="states", exit_on_error=False, exclusive=True, thread=True
        )

    def _reload_states(self) -> None:
        shards = self._dirty  # a newer poll cancels this worker and starts one with more
        try:
            states = self._read_states(shards)
        except LibraryError as err:
            self.screen.app.call_from_thread(self._report, err)
            return
        if not get_current_worker().is_cancelled:
            self.screen.app.call_from_thread(self._take_states, states, shards)

    def _read_states(self, shards: frozenset[int] | None) -> dict[str, UserState]:
        """Every paper's state, those of ``shards`` (None: all) read again from the library."""
        user = self.model().user
        return user.with_shards(self.model().library.states(shards), shards)

    def _report(self, err: LibraryError) -> None:
        self.screen.notify(str(err), title="Library", severity="error", markup=False)

    def _take_states(self, states: dict[str, UserState], shards: frozenset[int] | None) -> None:
        if self._dirty is not None and shards is not None:
            self._dirty -= shards  # read: a shard changed again since is in a newer poll's set
        elif shards is None:
            self._dirty = frozenset()
        if self.model().user.replace_states(states):
            self.refresh(None)

    def rebuild_model(self) -> None:
        """In a worker, a model of the library as it is now (after an import here or
        elsewhere), handed to ``swap``."""
        self.screen.run_worker(
            self._rebuild_model, group="model", exit_on_error=False, exclusive=True, thread=True
        )

    def _rebuild_model(self) -> None:
        try:
            model = ReaderModel(self.model().library)
        except LibraryError as err:
            self.screen.app.call_from_thread(self._report, err)
            return
        if not get_current_worker().is_cancelled:
            self.screen.app.call_from_thread(self._swap, model)

    def _swap(self, model: ReaderModel) -> None:
        jump_to, self._jump_to = self._jump_to, None
        self.swap(model, jump_to)
