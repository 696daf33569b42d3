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

from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from digestreader.library.errors import LibraryError, as_library_errors, default_root, now_iso
from digestreader.library.keys import PaperKeys
from digestreader.library.user_states import UserStates, flag_fields, note_fields
from digestreader.models import (
    Digest,
    Paper,
    PaperWithState,
    UserState,
)
from digestreader.store.corpus import (
    Catalog,
    CorpusStore,
)
from digestreader.store.documents import (
    ImportResult,
    merge_papers,
    paper_from_doc,
)
from digestreader.store.files import (
    ensure_private_folder,
    locked,
    locked_store,
    remove_if_only_locks,
)
from digestreader.store.idtable import IdTable
from digestreader.store.lazy_catalog import LazyDocs
from digestreader.store.state import StateStore

__all__ = ["Library", "LibraryError", "default_root", "now_iso"]


class Library:
    """A paper library in one folder: the corpus (:mod:`corpus_store`), the user's state
    (:mod:`state_store`, written through :class:`UserStates`) and the search index
    (:mod:`indexing`). Papers are named through :class:`PaperKeys`; both are composed here and
    reached only through this facade's methods."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.corpus_store = CorpusStore(root)
        self.corpus_path = self.corpus_store.corpus_path
        self.state_store = StateStore(root)
        self.state_path = self.state_store.path
        self._papers_of: Catalog | None = None
        self._papers: list[Paper] = []
        self._by_id: dict[str, Paper] = {}
        self._root_checked = False
        self.notices: list[str] = []  # one line each, for the user (the CLI's stderr, the reader)
        self._keys = PaperKeys(self.corpus_store, self.catalog)
        self._states = UserStates(
            root,
            self.state_store,
            self.corpus_store,
            ensure_root=self._ensure_root,
            upgrade=self.upgrade,
            current_keys=self._keys.current_keys,
        )

    # -- reading -------------------------------------------------------------------------------

    def catalog(self) -> Catalog:
        """Papers (without abstracts) and digests: one small read, cached until it changes."""
        with as_library_errors():
            return self.corpus_store.catalog()

    def first_frame_catalog(self) -> Catalog:
        """The catalog with documents parsed as they are first asked for (all of them on the
        first iteration, or :meth:`load_catalog`): a first frame needs ~40 of 50k."""
        with as_library_errors():
            return self.corpus_store.lazy_catalog()

    def load_catalog(self, catalog: Catalog) -> None:
        """Parse (and check) every document of ``catalog`` if it is not yet (slow at 50k
        papers: call from a worker)."""
        with as_library_errors():
            if isinstance(catalog.docs, LazyDocs):
                catalog.docs.load()

    def abstracts(self, catalog: Catalog) -> list[str]:
        """The abstracts of ``catalog``'s papers, in its order."""
        with as_library_errors():
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

    def states(self, shards: Collection[int] | None = None) -> dict[str, UserState]:
        """The user state of every paper that has one, by paper key (of ``shards`` only)."""
        return self._states.states(shards)

    def readable_states(self) -> tuple[dict[str, UserState], list[str]]:
        """The states in every file that can be read, and one line per file that cannot."""
        return self._states.readable_states()

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
        return self._keys.resolve(prefix)

    def handle(self, pid: str) -> str:
        """What people see and type for paper ``pid``: its shortest unique prefix, 8 or more."""
        return self._keys.handle(pid)

    def merged_papers(self) -> list[str]:
        """Keys of papers an old id collision merged, where the library can tell (for doctor)."""
        return self._keys.merged_papers()

    def id_table(self) -> IdTable | None:
        """The sorted keys with their catalog positions (see :mod:`idtable`), None for a
        library without a current one (empty, or older than schema 3)."""
        return self._keys.id_table()

    def get(self, prefix: str) -> PaperWithState:
        """One paper with its state, by id or unique id prefix: through the id table, one
        document, one abstract segment and one state shard (``show ID`` at 50k papers)."""
        pid = self.resolve(prefix)
        with as_library_errors():
            store = self.corpus_store
            table = store.ids.id_table()
            row = table.find(pid) if table is not None else None
            if table is not None and row is not None:
                doc = store.ids.paper_doc(table, row)
                text = store.ids.abstract_at(table, row) if doc is not None else None
                if doc is not None and text is not None:
                    return PaperWithState(
                        paper_from_doc(dict(doc, abstract=text)), self.state_of(pid)
                    )
        self.papers()
        if pid not in self._by_id:
            raise LibraryError(f"no paper {pid} in {self.corpus_path}")
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
        with as_library_errors():
            # A current id table exists only beside a schema 3 corpus: no catalog to parse.
            current = corpus.ids.id_table() is not None and not state.is_legacy()
            if current and not state.legacy_dir.is_dir():
                return None
            # Here, not at the top: a current library (every start after the first) needs none.
            from digestreader.store.migration import migrate, needs_migration

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
            with as_library_errors():
                notice = ensure_private_folder(self.root)
            if notice:
                self.notices.append(notice)
            self._root_checked = True

    def import_digests(self, parsed: Iterable[tuple[str, Digest]]) -> ImportResult:
        """Add parsed digests (consumed one at a time: a stream may parse them as they come) to
        the corpus in one atomic write. User state is not touched."""
        created = not self.root.exists()
        self._ensure_root()
        try:
            self.upgrade()
            store = self.corpus_store
            # Here, not at the top: the spliced write needs numpy, which a cold `mark` never loads.
            from digestreader.library.importing import import_into

            with as_library_errors(), locked_store(store):
                result = import_into(store, parsed, now_iso())
        except BaseException:
            if created:  # a page of a first import failed to parse: leave no empty library
                remove_if_only_locks(self.root)
            raise
        return result

    def restore(self, entries: Sequence[tuple[Paper, UserState]]) -> ImportResult:
        """Merge an export back in: missing papers added, newer marks, reads and notes kept."""
        self._ensure_root()
        self.upgrade()
        self.backup()  # a restore changes many papers at once: keep a way back
        result = ImportResult()
        store = self.corpus_store
        with as_library_errors(), locked_store(store):
            papers, digests = store.read_docs()
            result.updated = merge_papers(papers, [paper for paper, _ in entries])
            if result.updated:
                store.write(papers, digests)
        result.restored = self._states.restore((paper.id, state) for paper, state in entries)
        return result

    # -- the user's states (see UserStates; ids are resolved here, keys handed down) -----------

    flag_fields = staticmethod(flag_fields)
    note_fields = staticmethod(note_fields)

    def state_of(self, pid: str) -> UserState:
        """The user state of paper key ``pid``, reading only its shard when it can."""
        return self._states.state_of(pid)

    def update_states(self, changes: Mapping[str, Mapping[str, Any]]) -> dict[str, UserState]:
        """Merge field changes into each paper key's state; returns their new states."""
        return self._states.update_states(changes)

    def save_states(
        self, changes: Mapping[str, Mapping[str, Any]]
    ) -> tuple[dict[str, UserState], dict[str, str]]:
        """As :meth:`update_states`, with the one-line error of each paper not written."""
        return self._states.save_states(changes)

    def set_marked(self, ids: Iterable[str], marked: bool = True) -> list[str]:
        """Bookmark (or un-bookmark) papers given by id or prefix; returns their full ids."""
        return self._set_flag(ids, "marked", marked)

    def set_read(self, ids: Iterable[str], read: bool = True) -> list[str]:
        """Mark papers read (or unread); returns their full ids."""
        return self._set_flag(ids, "read", read)

    def _set_flag(self, ids: Iterable[str], name: str, value: bool) -> list[str]:
        resolved = [self.resolve(i) for i in ids]
        self.update_states(dict.fromkeys(resolved, flag_fields(name, value)))
        return resolved

    def set_note(self, prefix: str, text: str) -> str:
        """Set a paper's note (an empty text clears it); returns the full id."""
        pid = self.resolve(prefix)
        self.update_states({pid: note_fields(text)})
        return pid

    def backup(self) -> Path | None:
        """Keep a copy of the user state in ``backups/``; returns its folder, if a new one."""
        return self._states.backup()

    def begin_session(self) -> None:
        """A reader session begins: no state is written before its backup is taken."""
        self._states.begin_session()

    def session_backup(self) -> str | None:
        """Take the backup a reader session begins with, unless taken; why it could not be."""
        return self._states.session_backup()

    def load_session(self) -> dict[str, Any]:
        """What the reader saved of itself last time (filter, view, paper, theme)."""
        return self._states.load_session()

    def save_session(self, session: Mapping[str, Any]) -> None:
        """Remember the reader's listing and paper for next time, stamped when saved."""
        self._states.save_session(session)
