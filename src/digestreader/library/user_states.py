"""The library's user-state side: marks, reads, notes, the session and backups.

Each write holds the state lock and re-reads inside it, rewriting only the shards (of 64) that
hold the papers it changes; the corpus is never touched. :class:`UserStates` is a part of
:class:`digestreader.library.Library`, kept apart so each module stays one responsibility.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digestreader.library.errors import LibraryError, as_library_errors, now_iso
from digestreader.models import KEY_LENGTH, UserState
from digestreader.sanitize import clean_note
from digestreader.store.backups import take_backup
from digestreader.store.corpus import CorpusStore, read_checked
from digestreader.store.documents import doc_id_of
from digestreader.store.files import locked
from digestreader.store.migration import rekey_session
from digestreader.store.shapes import check_state
from digestreader.store.state import StateStore


class UserStates:
    """Reading and writing the user's states and session (mixed into ``Library``)."""

    root: Path
    corpus_store: CorpusStore
    state_store: StateStore

    if TYPE_CHECKING:  # provided by Library

        def states(self) -> dict[str, UserState]: ...
        def _ensure_root(self) -> None: ...
        def upgrade(self) -> str | None: ...
        def resolve(self, prefix: str) -> str: ...

    def state_of(self, pid: str) -> UserState:
        """The user state of paper key ``pid``, reading its one state shard (of 64) when the
        layout is current (``show ID`` at 50k papers), else every state."""
        store = self.state_store
        with as_library_errors():
            if not store.is_legacy():
                path = store.shard_path(store.shard_of(pid))
                # A multi-shard change cut short is read as it will land (see store.journal).
                ahead = store.journal.pending()
                data = ahead[path.name] if path.name in ahead else read_checked(path, check_state)
                docs = data.get("state", {})
                doc = docs.get(str(doc_id_of(pid)))
                if doc is None or doc.get("id") != pid:  # stored otherwise: look through it
                    doc = next((d for d in docs.values() if d.get("id") == pid), None)
                return UserState.from_dict(dict(doc)) if doc is not None else UserState()
        return self.states().get(pid, UserState())

    def backup(self) -> Path | None:
        """Keep a copy of the user state in ``backups/`` (the newest ten are kept; nothing new
        when unchanged since the last one); returns the new copy's folder, if any."""
        if not self.state_store.path.exists() and not self.state_store.shard_dir.exists():
            return None
        self._ensure_root()
        with as_library_errors(), locked(self.state_store.lock_path, self.state_store.guards):
            return take_backup(self.root)

    def update_states(self, changes: Mapping[str, Mapping[str, Any]]) -> dict[str, UserState]:
        """Merge field changes into the state of each paper id under the state lock, rewriting
        only the shards that hold them; returns the papers' new states."""
        if not changes:
            return {}
        self._ensure_root()
        self.upgrade()
        with as_library_errors(), locked(self.state_store.lock_path, self.state_store.guards):
            return self.state_store.update(changes)

    def save_states(
        self, changes: Mapping[str, Mapping[str, Any]]
    ) -> tuple[dict[str, UserState], dict[str, str]]:
        """As :meth:`update_states`: the new states of the papers written, and the one-line
        error of each paper that could not be. A shard that cannot be read holds back only its
        own papers; the others are written all or nothing (a full disk holds back them all)."""
        failed: dict[str, str] = {}
        self._ensure_root()
        with as_library_errors(), locked(self.state_store.lock_path, self.state_store.guards):
            try:
                with as_library_errors():
                    return self.state_store.update(changes, failed), failed
            except LibraryError as err:
                return {}, dict.fromkeys(changes, str(err))

    @staticmethod
    def flag_fields(name: str, value: bool) -> dict[str, Any]:
        """The state change that sets flag ``name`` ("marked" or "read"), stamped now."""
        return {name: value, f"{name}_at": now_iso()}

    @staticmethod
    def note_fields(text: str) -> dict[str, Any]:
        """The state change that sets a note (cleaned of terminal controls), stamped now."""
        return {"note": clean_note(text), "note_at": now_iso()}

    def set_marked(self, ids: Iterable[str], marked: bool = True) -> list[str]:
        """Bookmark (or un-bookmark) papers given by id or prefix; returns their full ids."""
        return self._set_flag(ids, "marked", marked)

    def set_read(self, ids: Iterable[str], read: bool = True) -> list[str]:
        """Mark papers read (or unread); returns their full ids."""
        return self._set_flag(ids, "read", read)

    def _set_flag(self, ids: Iterable[str], name: str, value: bool) -> list[str]:
        resolved = [self.resolve(i) for i in ids]
        fields = self.flag_fields(name, value)
        self.update_states(dict.fromkeys(resolved, fields))
        return resolved

    def set_note(self, prefix: str, text: str) -> str:
        """Set a paper's note (an empty text clears it); returns the full id."""
        pid = self.resolve(prefix)
        self.update_states({pid: self.note_fields(text)})
        return pid

    def load_session(self) -> dict[str, Any]:
        """What the reader saved of itself last time (filter, view, paper, theme)."""
        with as_library_errors():
            session = self.state_store.session()
            if isinstance(session.get("paper"), str) and len(session["paper"]) != KEY_LENGTH:
                return rekey_session(self.corpus_store, session)  # not yet migrated
        return session

    def save_session(self, session: Mapping[str, Any]) -> None:
        """Remember the reader's listing and paper for next time, stamped with when it was saved
        and when its theme last changed (the newer of a theme picked in the reader and the config
        file's wins: config.pick_theme)."""
        self._ensure_root()
        self.upgrade()
        with as_library_errors(), locked(self.state_store.lock_path, self.state_store.guards):
            now = time.time()
            previous = self.state_store.session()
            theme_at = previous.get("theme_at", previous.get("saved_at"))
            if session.get("theme") != previous.get("theme") or theme_at is None:
                theme_at = now
            self.state_store.save_session({**session, "saved_at": now, "theme_at": theme_at})
