"""The library's paper names: from what people type (an arXiv id, a key prefix) to a key, and
from a key to its handle (the shortest unique prefix, at least 8 digits).

:class:`PaperKeys` is composed into :class:`digestreader.library.Library`, which forwards to
it; it is given the corpus store and the facade's catalog reader and knows nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from digestreader.library.errors import as_library_errors
from digestreader.models import ARXIV_ID, arxiv_base
from digestreader.store.corpus import Catalog, CorpusStore
from digestreader.store.documents import arxiv_index
from digestreader.store.identity import current_key, handle, merged_papers, resolve
from digestreader.store.idtable import IdTable


class PaperKeys:
    """Resolves and names papers by key, with per-catalog caches."""

    def __init__(self, corpus_store: CorpusStore, catalog: Callable[[], Catalog]) -> None:
        """``catalog`` reads the current catalog (cached by the store until it changes); the
        id table beside it is read from ``corpus_store`` first, as it spares parsing it."""
        self.corpus_store = corpus_store
        self._catalog = catalog
        self._ids_of: tuple[Catalog, list[str]] | None = None
        self._arxiv_of: tuple[Catalog, dict[str, str]] | None = None

    def resolve(self, prefix: str) -> str:
        """The key of the one paper named by ``prefix``: an arXiv id (with or without its version)
        of a paper the library has, or a prefix of its key (at least 4 hex digits)."""
        by_arxiv = self.arxiv_id(prefix)
        if by_arxiv is not None:
            return by_arxiv
        with as_library_errors():
            return resolve(self.sorted_ids(), prefix)

    def handle(self, pid: str) -> str:
        """What people see and type for paper ``pid``: its shortest unique prefix, 8 or more."""
        return handle(self.sorted_ids(), pid)

    def merged_papers(self) -> list[str]:
        """Keys of papers an old id collision merged, where the library can tell (for doctor)."""
        return merged_papers(self._catalog().docs)

    def arxiv_id(self, text: str) -> str | None:
        """The id of the paper with arXiv id ``text`` (any version), if one has it."""
        if not ARXIV_ID.match(text.strip()):
            return None
        catalog = self._catalog()
        if self._arxiv_of is None or self._arxiv_of[0] is not catalog:
            self._arxiv_of = (catalog, arxiv_index(catalog.docs))
        return self._arxiv_of[1].get(arxiv_base(text))

    def sorted_ids(self) -> Sequence[str]:
        """Every paper id, sorted: from the id table beside the catalog (a cold ``mark ID`` at
        50k papers never parses the catalog), else per catalog (a bookmark resolves its id in
        microseconds and never loads an abstract; 9 ms per bookmark at 50k when rebuilt)."""
        table = self.id_table()
        if table is not None:
            return table.keys
        catalog = self._catalog()
        if self._ids_of is None or self._ids_of[0] is not catalog:
            self._ids_of = (catalog, sorted(str(doc["id"]) for doc in catalog.docs))
        return self._ids_of[1]

    def current_keys(self, stored: Iterable[str]) -> dict[str, str]:
        """The key of each id that states are stored under in a library not yet migrated (old
        8-digit ids), by that id; an id no paper has keeps its name."""
        catalog, keys = self._catalog(), self.sorted_ids()
        return {pid: current_key(pid, catalog.legacy_ids, keys) or pid for pid in stored}

    def id_table(self) -> IdTable | None:
        """The sorted keys with their catalog positions (see :mod:`idtable`), None for a
        library without a current one (empty, or older than schema 3)."""
        with as_library_errors():
            return self.corpus_store.ids.id_table()
