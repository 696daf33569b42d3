"""The reader model's user-state side: states and flags in memory, actions, pending writes, undo.

Every action takes its change in memory at once and writes it through the library; a write that
fails stays pending (shown, retried by the next write or :meth:`PaperStates.flush`). A part of
:class:`digestreader.reader.model.ReaderModel`, which owns one and hands it the library, the
papers and their positions: it knows nothing else of the model.

The reader loads every state after its first frame (:meth:`PaperStates.load_states`, in a worker:
reading 50k states took 0.3 s of a 1.2 s first frame). Until then list rows draw no markers and
the counts say nothing, while one paper's true state is read from its shard (1/64 of them)
whenever an action or the detail pane needs it, and states taken meanwhile win over what the
load reads (they are as new or newer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from digestreader.library import Library, LibraryError
from digestreader.models import UserState
from digestreader.reader.lazy_papers import LazyPapers
from digestreader.store.state import shard_of

if TYPE_CHECKING:  # numpy loads with the states, after the first frame
    import numpy as np
    import numpy.typing as npt

    Flags: TypeAlias = npt.NDArray[np.bool_]
FLAG_NAMES = ("marked", "read", "note")
UNDO_DEPTH = 100


@dataclass(frozen=True)
class UndoStep:
    """One change of state as it can be taken back: each paper's state before it."""

    description: str
    before: dict[str, UserState]
    indexes: tuple[int, ...] = ()


class PaperStates:
    """The user's states of a model's papers, and the actions that change them."""

    def __init__(
        self,
        library: Library,
        papers: LazyPapers,
        index_of: Callable[[str], int | None],
        position: Callable[[], Mapping[str, int]],
        load_now: bool,
    ) -> None:
        """States of ``papers``, read at once when ``load_now``, else by :meth:`load_states`
        (the reader: in a worker after its first frame). ``index_of`` finds one paper's index
        by key (without parsing the whole catalog); ``position`` is every paper's (parses it:
        asked for only once the states are loaded)."""
        self.library = library
        self.papers = papers
        self.index_of = index_of
        self.position = position
        self.states: dict[str, UserState] = {}  # every stored state once states_loaded
        self.state_problems: list[str] = []  # one line per state file that could not be read
        self._flags: dict[str, Flags] | None = None  # None until the states are loaded
        self._early: dict[str, UserState] = {}  # taken before the states were loaded
        self._states_lock = threading.Lock()  # guards states, _early and _flags
        self._states_load_lock = threading.Lock()  # one load at a time
        self._undo: list[UndoStep] = []
        self._pending: dict[str, dict[str, Any]] = {}  # changes not yet on disk, by paper id
        if load_now:
            self.load_states()

    @property
    def states_loaded(self) -> bool:
        """Whether every state is in memory (list markers, counts and flags are true)."""
        return self._flags is not None

    def load_states(self) -> None:
        """Read every user state and build the flags (0.3 s at 50k papers: the reader calls it
        from a worker after its first frame). A state file that cannot be read leaves its papers
        unmarked here, with a line in :attr:`state_problems`; writes to it are refused (it is
        never overwritten) and kept pending."""
        with self._states_load_lock:
            if self.states_loaded:
                return
            stored, problems = self.library.readable_states()
            with self._states_lock:
                stored.update(self._early)
                self._replace(stored)
                self.state_problems = problems
                self._early = {}

    def state(self, index: int) -> UserState:
        """The true state of the paper at ``index`` (before the states are loaded, from its
        shard)."""
        return self.states_of(self.papers.id_of(index))

    def flags(self) -> dict[str, Flags]:
        """Which papers are marked, read and noted: one boolean per paper, for the filters
        (loading the states first if no worker has yet).

        Built once, then updated in place paper by paper (a write of one element is safe while
        the filter thread copies the array; a set would fail mid-iteration)."""
        flags = self._flags
        if flags is None:
            self.load_states()
            flags = self._flags
            assert flags is not None
        return flags

    @staticmethod
    def _set_flags(flags: dict[str, Flags], index: int, state: UserState) -> None:
        flags["marked"][index] = state.marked
        flags["read"][index] = state.read
        flags["note"][index] = bool(state.note)

    def marked_indexes(self) -> list[int]:
        """Marked papers in library order."""
        return [int(i) for i in self.flags()["marked"].nonzero()[0]]

    def counts(self) -> dict[str, int]:
        """Totals for the header: papers, marked, unread (from the cached flags: this runs on
        every cursor move); only the total until the states are loaded."""
        flags = self._flags
        total = len(self.papers)
        if flags is None:
            return {"total": total}
        marked, read = int(flags["marked"].sum()), int(flags["read"].sum())
        return {"total": total, "marked": marked, "unread": total - read}

    # -- actions: each writes through the library at once --------------------------------------

    def _write(self, changes: dict[str, dict[str, Any]], description: str = "") -> None:
        """Take the change in memory at once, then write it (with any earlier change that could
        not be written) through the library. A LibraryError leaves it all pending: shown, and
        written by the next write or :meth:`flush` that succeeds. With a ``description`` the
        change is an undo step."""
        if description:
            before = {pid: self.states_of(pid) for pid in changes}
            indexes = tuple(i for pid in changes if (i := self.index_of(pid)) is not None)
            self._undo = [*self._undo[-UNDO_DEPTH + 1 :], UndoStep(description, before, indexes)]
        for pid, fields in changes.items():
            self._pending[pid] = {**self._pending.get(pid, {}), **fields}
            self._take(pid, UserState.from_dict({**self.states_of(pid).to_dict(), **fields}))
        self.flush()

    def flush(self) -> None:
        """Write every pending change; raises LibraryError (and keeps them) if it cannot."""
        if not self._pending:
            return
        # The stored states come back, including what another process changed in the same
        # papers; nothing else is re-read. Shard by shard: one that cannot be written (an
        # unreadable file) keeps only its own papers pending.
        # In a reader session the library takes the session's backup first, if no worker has yet
        # (Library.begin_session): the copy never holds a change of this session.
        fresh, failed = self.library.save_states(self._pending)
        self._pending = {pid: self._pending[pid] for pid in failed}
        for pid, state in fresh.items():
            self._take(pid, state)
        if failed:
            raise LibraryError(next(iter(failed.values())))

    @property
    def unsaved(self) -> int:
        """How many papers have changes not yet on disk."""
        return len(self._pending)

    def states_of(self, pid: str, strict: bool = False) -> UserState:
        """The true state of paper ``pid`` (before the states are loaded: one taken since, or
        its shard read; an unreadable shard reads as no state, as the load would take it, or,
        ``strict``, is the LibraryError naming it)."""
        if self.states_loaded:
            return self.states.get(pid, UserState())
        with self._states_lock:
            early = self._early.get(pid)
        if early is not None:
            return early
        try:
            return self.library.state_of(pid)
        except LibraryError:
            if strict:
                raise
            return UserState()

    def _take(self, pid: str, state: UserState) -> None:
        with self._states_lock:
            self.states[pid] = state  # one key at a time: readers on other threads only .get()
            flags = self._flags
            if flags is None:
                self._early[pid] = state  # load_states keeps it over what it reads
                return
            index = self.position().get(pid)
            if index is not None:
                self._set_flags(flags, index, state)

    def with_shards(
        self, states: dict[str, UserState], shards: frozenset[int] | None
    ) -> dict[str, UserState]:
        """Every paper's state, those of ``shards`` as re-read in ``states`` (all of them when
        ``shards`` is None). A pass over every state (~15 ms at 50k): for a worker."""
        if shards is None:
            return states
        with self._states_lock:
            kept = {p: s for p, s in self.states.items() if shard_of(p) not in shards}
        return kept | states

    def replace_states(self, states: dict[str, UserState]) -> bool:
        """Take every paper's state as re-read from the library (another process wrote some):
        the flags are rebuilt aside and swapped in, so the filter thread sees old or new.
        Whether anything changed."""
        with self._states_lock:
            if states == self.states:
                return False
            self._replace(states)
            self._early = {}
            return True

    def _replace(self, states: dict[str, UserState]) -> None:
        import numpy as np  # here: the first frame draws before any state is loaded

        flags = {name: np.zeros(len(self.papers), np.bool_) for name in FLAG_NAMES}
        for pid, state in states.items():
            if (i := self.position().get(pid)) is not None:
                self._set_flags(flags, i, state)
        self.states, self._flags = states, flags

    def undo(self) -> UndoStep | None:
        """Take back the newest change of state (writes the states before it back through the
        library); returns it, or None when there is nothing to undo."""
        if not self._undo:
            return None
        step = self._undo.pop()
        try:
            self._write({pid: state.to_dict() for pid, state in step.before.items()})
        except LibraryError:
            self._undo.append(step)  # not written: it can still be undone
            raise
        return step

    def toggle_marked(self, index: int) -> bool:
        value = not self.state(index).marked
        what = "marked" if value else "unmarked"
        self._write({self.papers[index].id: Library.flag_fields("marked", value)}, what)
        return value

    def set_read(self, indexes: Iterable[int], value: bool = True) -> int:
        indexes = list(indexes)
        if len(indexes) > 1:
            self.load_states()  # one read of every shard, not one per paper
        ids = [self.papers.id_of(i) for i in indexes if self.state(i).read != value]
        if len(ids) > 1:
            self.library.backup()  # a bulk change: keep a way back first
        if ids:
            fields = Library.flag_fields("read", value)
            noun = "paper" if len(ids) == 1 else "papers"
            what = f"{len(ids)} {noun} marked {'read' if value else 'unread'}"
            self._write(dict.fromkeys(ids, fields), what)
        return len(ids)

    def toggle_read(self, index: int) -> bool:
        value = not self.state(index).read
        self.set_read([index], value)
        return value

    def set_note(self, index: int, text: str) -> None:
        self._write({self.papers[index].id: Library.note_fields(text)}, "note edited")
