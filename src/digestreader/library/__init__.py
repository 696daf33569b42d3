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

import contextlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from digestreader.library.errors import LibraryError, as_library_errors, default_root, now_iso
from digestreader.library.user_states import UserStates
from digestreader.models import (
    ARXIV_ID,
    KEY_LENGTH,
    Digest,
    Paper,
    PaperWithState,
    UserState,
    arxiv_base,
)
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
from digestreader.store.files import ensure_private_folder, locked
from digestreader.store.identity import current_key, handle, merged_papers, resolve
from digestreader.store.idtable import IdTable
from digestreader.store.lazy_catalog import LazyDocs
from digestreader.store.migration import migrate, needs_migration
from digestreader.store.state import StateStore

__all__ = ["Library", "LibraryError", "default_root", "now_iso"]


class Library(UserStates):
    """A paper library in one folder: the corpus (:mod:`corpus_store`), the user's state
    (:mod:`state_store`, written through :class:`UserStates`) and the search index
    (:mod:`indexing`)."""

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

    def states(self) -> dict[str, UserState]:
        """The user state of every paper that has one, by paper key."""
        with as_library_errors():
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
        with as_library_errors():
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
        with as_library_errors():
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

    def _sorted_ids(self) -> Sequence[str]:
        """Every paper id, sorted: from the id table beside the catalog (a cold ``mark ID`` at
        50k papers never parses the catalog), else per catalog (a bookmark resolves its id in
        microseconds and never loads an abstract; 9 ms per bookmark at 50k when rebuilt)."""
        with as_library_errors():
            table = self.corpus_store.id_table()
        if table is not None:
            return table.keys
        catalog = self.catalog()
        if self._ids_of is None or self._ids_of[0] is not catalog:
            self._ids_of = (catalog, sorted(str(doc["id"]) for doc in catalog.docs))
        return self._ids_of[1]

    def id_table(self) -> IdTable | None:
        """The sorted keys with their catalog positions (see :mod:`idtable`), None for a
        library without a current one (empty, or older than schema 3)."""
        with as_library_errors():
            return self.corpus_store.id_table()

    def get(self, prefix: str) -> PaperWithState:
        """One paper with its state, by id or unique id prefix: through the id table, one
        document, one abstract segment and one state shard (``show ID`` at 50k papers)."""
        pid = self.resolve(prefix)
        with as_library_errors():
            store = self.corpus_store
            table = store.id_table()
            row = table.find(pid) if table is not None else None
            if table is not None and row is not None:
                doc = store.paper_doc(table, row)
                text = store.abstract_at(table, row) if doc is not None else None
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
            current = corpus.id_table() is not None and not state.is_legacy()
            if current and not state.legacy_dir.is_dir():
                return None
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
            with as_library_errors(), locked(store.lock_path, store.guards):
                papers, digests = store.read_docs()
                previous = store.catalog().revision
                result = merge_digests(papers, digests, parsed, now_iso())
                if result.changed:
                    result.revisions = (previous, store.write(papers, digests))
        except BaseException:
            if created:  # a page of a first import failed to parse: leave no empty library
                self._remove_empty_root()
            raise
        return result

    def _remove_empty_root(self) -> None:
        """Remove the folder this import created, if it holds nothing but lock files."""
        # Another process may be using it by now: then it stays, empty.
        with contextlib.suppress(OSError):
            if all(leftover.suffix == ".lock" for leftover in self.root.iterdir()):
                for leftover in self.root.iterdir():
                    leftover.unlink()
                self.root.rmdir()

    def restore(self, entries: Sequence[tuple[Paper, UserState]]) -> ImportResult:
        """Merge an export back in: missing papers added, newer marks, reads and notes kept."""
        self._ensure_root()
        self.upgrade()
        self.backup()  # a restore changes many papers at once: keep a way back
        result = ImportResult()
        with as_library_errors():
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
