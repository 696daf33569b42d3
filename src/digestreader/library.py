"""The one facade over the store: import, get, mark, note, sightings, statistics.

The corpus (papers and digests, see :mod:`corpus_store`) and the user's state (marked, read,
note, see :mod:`state_store`) live in separate TinyDB files, so a bookmark or a note rewrites one
small state shard and never the corpus. Every read-modify-write holds an inter-process lock and
re-reads inside it, so concurrent processes never lose an update.

Papers are named by 16-digit keys (see :mod:`digestreader.store.identity`); people type and see
handles, the shortest unique prefix of at least 8 digits. A library from before keys reads as if
migrated, and the first write migrates it (see :mod:`digestreader.store.migration`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from digestreader.models import (
    ARXIV_ID,
    KEY_LENGTH,
    Digest,
    Paper,
    PaperWithState,
    UserState,
    arxiv_base,
)
from digestreader.sanitize import clean_note
from digestreader.store.backups import take_backup
from digestreader.store.corpus import (
    Catalog,
    CorpusStore,
)
from digestreader.store.documents import (
    ImportResult,
    arxiv_index,
    merge_digests,
    merge_papers,
    merge_state,
    paper_from_doc,
)
from digestreader.store.files import StorageError, ensure_private_folder, locked
from digestreader.store.identity import IdentityError, current_key, handle, merged_papers, resolve
from digestreader.store.migration import migrate, needs_migration, rekey_session
from digestreader.store.state import StateStore


class LibraryError(Exception):
    """An error a user can act on. ``str()`` is one line."""


def default_root() -> Path:
    """``$DIGESTREADER_HOME`` if set, else the platform's user data folder."""
    env = os.environ.get("DIGESTREADER_HOME")
    return Path(env) if env else platformdirs.user_data_path("digestreader")


@contextmanager
def _as_library_errors() -> Iterator[None]:
    """Storage failures (unreadable, corrupt, locked, newer schema), identity errors (unknown or
    ambiguous ids, two papers on one key) and any OS error on the way (a folder that cannot be
    made, a full disk) as one-line LibraryErrors naming the file."""
    try:
        yield
    except (StorageError, IdentityError) as err:
        raise LibraryError(str(err)) from None
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        raise LibraryError(f"{where}{err.strerror or err}") from None


def now_iso() -> str:
    """The current UTC time, to the second, in ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Library:
    """A paper library in one folder: the corpus (:mod:`corpus_store`), the user's state
    (:mod:`state_store`) and the search index (:mod:`indexing`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.corpus_store = CorpusStore(root)
        self.corpus_path = self.corpus_store.corpus_path
        self.state_store = StateStore(root)
        self.state_path = self.state_store.path
        self._papers_of: Catalog | None = None
        self._papers: list[Paper] = []
        self._by_id: dict[str, Paper] = {}
        self._ids_of: tuple[Catalog, list[str]] | None = None
        self._root_checked = False
        self.notices: list[str] = []  # one line each, for the user (the CLI's stderr, the reader)
        self._arxiv_of: tuple[Catalog, dict[str, str]] | None = None

    # -- reading -------------------------------------------------------------------------------

    def catalog(self) -> Catalog:
        """Papers (without abstracts) and digests: one small read, cached until it changes."""
        with _as_library_errors():
            return self.corpus_store.catalog()

    def abstracts(self, catalog: Catalog) -> list[str]:
        """The abstracts of ``catalog``'s papers, in its order."""
        with _as_library_errors():
            return self.corpus_store.abstracts(catalog)

    def papers(self) -> list[Paper]:
        """Every paper, in the order first seen; re-read only when the corpus changed."""
        catalog = self.catalog()
        if catalog is not self._papers_of:
            texts = self.abstracts(catalog)
            self._papers = [
                paper_from_doc(dict(doc, abstract=text))
                for doc, text in zip(catalog.docs, texts, strict=True)
            ]
            self._by_id = {p.id: p for p in self._papers}
            self._papers_of = catalog
        return self._papers

    def states(self) -> dict[str, UserState]:
        """The user state of every paper that has one, by paper key."""
        with _as_library_errors():
            stored = self.state_store.states()
        if all(len(pid) == KEY_LENGTH for pid in stored):
            return stored
        # Not yet migrated: states are stored under 8-digit ids; name them by key.
        catalog, keys = self.catalog(), self._sorted_ids()
        out = {}
        for pid, state in stored.items():
            out[current_key(pid, catalog.legacy_ids, keys) or pid] = state
        return out

    def readable_states(self) -> tuple[dict[str, UserState], list[str]]:
        """The states in every file that can be read, and one line per file that cannot."""
        problems: list[str] = []
        with _as_library_errors():
            return self.state_store.states(problems), problems

    def papers_with_state(self) -> list[PaperWithState]:
        """Every paper with its user state."""
        states = self.states()
        return [PaperWithState(p, states.get(p.id, UserState())) for p in self.papers()]

    def digests(self) -> list[dict[str, Any]]:
        """The imported digests, oldest first: name, date, hash, imported_at, entries."""
        return list(self.catalog().digests)

    def resolve(self, prefix: str) -> str:
        """The key of the one paper named by ``prefix``: an arXiv id (with or without its version)
        of a paper the library has, or a prefix of its key (at least 4 hex digits)."""
        by_arxiv = self._arxiv_id(prefix)
        if by_arxiv is not None:
            return by_arxiv
        with _as_library_errors():
            return resolve(self._sorted_ids(), prefix)

    def handle(self, pid: str) -> str:
        """What people see and type for paper ``pid``: its shortest unique prefix, 8 or more."""
        return handle(self._sorted_ids(), pid)

    def merged_papers(self) -> list[str]:
        """Keys of papers an old id collision merged, where the library can tell (for doctor)."""
        return merged_papers(self.catalog().docs)

    def _arxiv_id(self, text: str) -> str | None:
        """The id of the paper with arXiv id ``text`` (any version), if one has it."""
        if not ARXIV_ID.match(text.strip()):
            return None
        catalog = self.catalog()
        if self._arxiv_of is None or self._arxiv_of[0] is not catalog:
            self._arxiv_of = (catalog, arxiv_index(catalog.docs))
        return self._arxiv_of[1].get(arxiv_base(text))

    def _sorted_ids(self) -> list[str]:
        """Every paper id, sorted, per catalog: a bookmark resolves its id in microseconds
        and never loads an abstract (this ran 9 ms per bookmark at 50k when rebuilt each time)."""
        catalog = self.catalog()
        if self._ids_of is None or self._ids_of[0] is not catalog:
            self._ids_of = (catalog, sorted(str(doc["id"]) for doc in catalog.docs))
        return self._ids_of[1]

    def get(self, prefix: str) -> PaperWithState:
        """One paper with its state, by id or unique id prefix."""
        pid = self.resolve(prefix)
        self.papers()
        return PaperWithState(self._by_id[pid], self.states().get(pid, UserState()))

    def stats(self) -> dict[str, int]:
        """Counts for scripts: papers, entries, digests, marked, read, notes."""
        papers = self.papers()
        states = self.states()
        return {
            "papers": len(papers),
            "entries": sum(len(p.sources) for p in papers),
            "digests": len(self.digests()),
            "marked": sum(s.marked for s in states.values()),
            "read": sum(s.read for s in states.values()),
            "notes": sum(bool(s.note) for s in states.values()),
        }

    # -- writing -------------------------------------------------------------------------------

    def upgrade(self) -> str | None:
        """Migrate a library written before 16-digit keys (every write does this first);
        returns the migration's one-line notice, also kept in :attr:`notices`."""
        corpus, state = self.corpus_store, self.state_store
        with _as_library_errors():
            if not (needs_migration(corpus, state) or state.legacy_dir.is_dir()):
                return None
            with locked(corpus.lock_path), locked(state.lock_path):
                done = migrate(corpus, state)
        if done is None:
            return None
        self.notices.append(done.notice)
        return done.notice

    def _ensure_root(self) -> None:
        """Make the library folder, or tighten one other users could read (notes are private):
        once per process, with a notice saying so."""
        if not self._root_checked:
            with _as_library_errors():
                notice = ensure_private_folder(self.root)
            if notice:
                self.notices.append(notice)
            self._root_checked = True

    def import_digests(self, parsed: Sequence[tuple[str, Digest]]) -> ImportResult:
        """Add parsed digests to the corpus in one atomic write. User state is not touched."""
        self._ensure_root()
        self.upgrade()
        with _as_library_errors(), locked(self.corpus_store.lock_path, self.corpus_store.guards):
            papers, digests = self.corpus_store.read_docs()
            previous = self.corpus_store.catalog().revision
            result = merge_digests(papers, digests, parsed, now_iso())
            if result.changed:
                result.revisions = (previous, self.corpus_store.write(papers, digests))
        return result

    def restore(self, entries: Sequence[tuple[Paper, UserState]]) -> ImportResult:
        """Merge an export back in: missing papers added, newer marks, reads and notes kept."""
        self._ensure_root()
        self.upgrade()
        self.backup()  # a restore changes many papers at once: keep a way back
        result = ImportResult()
        with _as_library_errors():
            with locked(self.corpus_store.lock_path, self.corpus_store.guards):
                papers, digests = self.corpus_store.read_docs()
                result.updated = merge_papers(papers, [paper for paper, _ in entries])
                if result.updated:
                    self.corpus_store.write(papers, digests)
            with locked(self.state_store.lock_path, self.state_store.guards):
                current = {pid: s.to_dict() for pid, s in self.state_store.states().items()}
                changes = {}
                for paper, state in entries:
                    fields = merge_state(current.get(paper.id, {}), state.to_dict())
                    if fields:
                        changes[paper.id] = fields
                if changes:
                    self.state_store.update(changes)
        result.restored = len(changes)
        return result

    def backup(self) -> Path | None:
        """Keep a copy of the user state in ``backups/`` (the newest ten are kept; nothing new
        when unchanged since the last one); returns the new copy's folder, if any."""
        if not self.state_store.path.exists() and not self.state_store.shard_dir.exists():
            return None
        self._ensure_root()
        with _as_library_errors(), locked(self.state_store.lock_path, self.state_store.guards):
            return take_backup(self.root)

    def update_states(self, changes: Mapping[str, Mapping[str, Any]]) -> dict[str, UserState]:
        """Merge field changes into the state of each paper id under the state lock, rewriting
        only the shards that hold them; returns the papers' new states."""
        if not changes:
            return {}
        self._ensure_root()
        self.upgrade()
        with _as_library_errors(), locked(self.state_store.lock_path, self.state_store.guards):
            return self.state_store.update(changes)

    def save_states(
        self, changes: Mapping[str, Mapping[str, Any]]
    ) -> tuple[dict[str, UserState], dict[str, str]]:
        """As :meth:`update_states`: the new states of the papers written, and the one-line
        error of each paper that could not be. A shard that cannot be read holds back only its
        own papers; the others are written all or nothing (a full disk holds back them all)."""
        failed: dict[str, str] = {}
        self._ensure_root()
        with _as_library_errors(), locked(self.state_store.lock_path, self.state_store.guards):
            try:
                with _as_library_errors():
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
        with _as_library_errors():
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
        with _as_library_errors(), locked(self.state_store.lock_path, self.state_store.guards):
            now = time.time()
            previous = self.state_store.session()
            theme_at = previous.get("theme_at", previous.get("saved_at"))
            if session.get("theme") != previous.get("theme") or theme_at is None:
                theme_at = now
            self.state_store.save_session({**session, "saved_at": now, "theme_at": theme_at})
