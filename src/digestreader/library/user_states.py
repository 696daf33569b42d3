"""The library's user-state side: marks, reads, notes, the session and backups.

Each write holds the state lock and re-reads inside it, rewriting only the shards (of 64) that
hold the papers it changes; the corpus is never touched. :class:`UserStates` is composed into
:class:`digestreader.library.Library`, which forwards to it; it is given what it uses (the
folder, the two stores and two callables) and knows nothing of the facade, so it can be built
and tested on its own.

A reader session starts with a backup (:meth:`UserStates.begin_session`), taken after its first
frame by a worker; every write of a state waits for it (:meth:`UserStates.session_backup`), so
the copy holds the state from before the session whichever thread gets there first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from digestreader.library.errors import LibraryError, as_library_errors, now_iso
from digestreader.models import KEY_LENGTH, UserState
from digestreader.sanitize import clean_note
from digestreader.store.corpus import CorpusStore
from digestreader.store.documents import merge_state
from digestreader.store.files import locked_store
from digestreader.store.state import StateStore


def flag_fields(name: str, value: bool) -> dict[str, Any]:
    """The state change that sets flag ``name`` ("marked" or "read"), stamped now."""
    return {name: value, f"{name}_at": now_iso()}


def note_fields(text: str) -> dict[str, Any]:
    """The state change that sets a note (cleaned of terminal controls), stamped now."""
    return {"note": clean_note(text), "note_at": now_iso()}


class UserStates:
    """Reading and writing the user's states (by paper key), the session and backups."""

    def __init__(
        self,
        root: Path,
        state_store: StateStore,
        corpus_store: CorpusStore,
        *,
        ensure_root: Callable[[], None],
        upgrade: Callable[[], object],
        current_keys: Callable[[Iterable[str]], dict[str, str]],
    ) -> None:
        """``ensure_root`` makes the library folder before a write; ``upgrade`` migrates a
        library from before keys; until then, ``current_keys`` names its states' old ids by
        key, and the corpus store re-keys its session."""
        self.root = root
        self.state_store = state_store
        self.corpus_store = corpus_store
        self._ensure_root = ensure_root
        self._upgrade = upgrade
        self._current_keys = current_keys
        self._session_lock = threading.Lock()  # one session backup at a time; writes wait
        self._backup_due = False  # a reader session began and its backup is not taken yet
        self._backup_problem: str | None = None  # why it could not be taken

    def states(self, shards: Collection[int] | None = None) -> dict[str, UserState]:
        """The user state of every paper that has one, by paper key (those stored in
        ``shards`` when given, where the layout is current)."""
        with as_library_errors():
            stored = self.state_store.states(shards=shards)
        if all(len(pid) == KEY_LENGTH for pid in stored):
            return stored
        # Not yet migrated: states are stored under 8-digit ids; name them by key.
        keys = self._current_keys(stored)
        return {keys[pid]: state for pid, state in stored.items()}

    def readable_states(self) -> tuple[dict[str, UserState], list[str]]:
        """The states in every file that can be read, and one line per file that cannot."""
        problems: list[str] = []
        with as_library_errors():
            return self.state_store.states(problems), problems

    def state_of(self, pid: str) -> UserState:
        """The user state of paper key ``pid``, reading its one state shard (of 64) when the
        layout is current (``show ID`` at 50k papers), else every state."""
        with as_library_errors():
            state = self.state_store.state_of(pid)
        return state if state is not None else self.states().get(pid, UserState())

    def backup(self) -> Path | None:
        """Keep a copy of the user state in ``backups/`` (the newest ten are kept; nothing new
        when unchanged since the last one); returns the new copy's folder, if any."""
        if not self.state_store.path.exists() and not self.state_store.shard_dir.exists():
            return None
        from digestreader.store.backups import take_backup  # not before a reader's first frame

        self._ensure_root()
        with as_library_errors(), locked_store(self.state_store):
            return take_backup(self.root)

    def begin_session(self) -> None:
        """Start a reader session: a backup is due, and no state is written before it is taken
        (by :meth:`session_backup`: a worker after the first frame, or the first write)."""
        with self._session_lock:
            self._backup_due, self._backup_problem = True, None

    def session_backup(self) -> str | None:
        """Take the session's backup if it is due (a caller on another thread waits for the
        one taking it); the one-line notice of a backup that could not be taken, whichever
        call tried. A failed backup is not retried: writes go on without it."""
        with self._session_lock:
            if self._backup_due:
                try:
                    self.backup()
                except LibraryError as err:
                    self._backup_problem = f"No backup taken: {err}"
                self._backup_due = False
            return self._backup_problem

    def update_states(self, changes: Mapping[str, Mapping[str, Any]]) -> dict[str, UserState]:
        """Merge field changes into the state of each paper key under the state lock, rewriting
        only the shards that hold them; returns the papers' new states."""
        if not changes:
            return {}
        self._ensure_root()
        self._upgrade()
        self.session_backup()
        with as_library_errors(), locked_store(self.state_store):
            return self.state_store.update(changes)

    def save_states(
        self, changes: Mapping[str, Mapping[str, Any]]
    ) -> tuple[dict[str, UserState], dict[str, str]]:
        """As :meth:`update_states`: the new states of the papers written, and the one-line
        error of each paper that could not be. A shard that cannot be read holds back only its
        own papers; the others are written all or nothing (a full disk holds back them all)."""
        failed: dict[str, str] = {}
        self._ensure_root()
        self.session_backup()
        with as_library_errors(), locked_store(self.state_store):
            try:
                with as_library_errors():
                    return self.state_store.update(changes, failed), failed
            except LibraryError as err:
                return {}, dict.fromkeys(changes, str(err))

    def restore(self, states: Iterable[tuple[str, UserState]]) -> int:
        """Merge restored states (paper key, state) in, each field's newer stamp winning
        (:func:`merge_state`); returns how many papers' states changed."""
        self.session_backup()
        with as_library_errors(), locked_store(self.state_store):
            current = {pid: s.to_dict() for pid, s in self.state_store.states().items()}
            changes = {}
            for pid, state in states:
                fields = merge_state(current.get(pid, {}), state.to_dict())
                if fields:
                    changes[pid] = fields
            if changes:
                self.state_store.update(changes)
        return len(changes)

    def load_session(self) -> dict[str, Any]:
        """What the reader saved of itself last time (filter, view, paper, theme)."""
        with as_library_errors():
            session = self.state_store.session()
            if isinstance(session.get("paper"), str) and len(session["paper"]) != KEY_LENGTH:
                from digestreader.store.migration import rekey_session

                return rekey_session(self.corpus_store, session)  # not yet migrated
        return session

    def save_session(self, session: Mapping[str, Any]) -> None:
        """Remember the reader's listing and paper for next time (stamped by the state store:
        :meth:`StateStore.save_session`)."""
        self._ensure_root()
        self._upgrade()
        with as_library_errors(), locked_store(self.state_store):
            self.state_store.save_session(session)
