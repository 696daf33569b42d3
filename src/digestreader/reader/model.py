"""The reader's model without Textual: which papers are shown, in what order, and user actions.

The UI asks :meth:`ReaderModel.compute` for an order (in a worker thread), shows it, and sends every
user action back here; this class writes through the library at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from digestreader.library import Library, LibraryError
from digestreader.library.errors import as_library_errors
from digestreader.models import PaperWithState, UserState
from digestreader.reader.abstracts import SegmentAbstracts
from digestreader.reader.digests import digest_labels
from digestreader.reader.lazy_papers import LazyPapers
from digestreader.reader.listing import Listing, ListingSpec, Sort
from digestreader.reader.model_states import PaperStates
from digestreader.reader.timeline import DigestCounts, by_date, digest_counts
from digestreader.search.query import parse_query
from digestreader.store.identity import handle
from digestreader.store.lazy_catalog import LazyDocs

if TYPE_CHECKING:
    from digestreader.reader.orders import CatalogOrders
    from digestreader.reader.searching import ListingSearch
    from digestreader.search.index import Matcher

FIRST_ROWS = 120  # more than a tall terminal's list shows

# More papers than state shards: reading every shard at once is cheaper than one by one.
FEW_STATES = 64


class ReaderModel:
    """Papers and their states in memory, with fast ordering and filtering.

    Construction reads only the catalog (titles, sightings), so the first frame never waits for
    the abstracts (nor, with ``states_later``, the user's states); ``user.load_states``,
    :meth:`open_abstracts` and :meth:`load_index` run in workers after it. Abstracts are never
    all held: each is read with its segment when a paper is shown, copied or exported (see
    :mod:`digestreader.reader.abstracts`).
    """

    def __init__(self, library: Library, states_later: bool = False) -> None:
        """A model of ``library``; with ``states_later`` the user's states are read by
        ``user.load_states`` (the reader calls it in a worker after its first frame)."""
        self.library = library
        # Documents parsed as the first screen asks for them; the rest in a worker after it
        # (load_catalog), or by whatever needs them all first (titles, position, orders).
        self.catalog = library.first_frame_catalog()
        self.papers = LazyPapers(self.catalog.docs)
        # By date whatever the source, so [ and ] step through days and "newest" means newest.
        self.digest_names = by_date(self.catalog.digests)
        self.digest_labels = digest_labels(self.catalog)
        self.abstracts = SegmentAbstracts(library, self.catalog, self.papers)
        self.abstracts_open = False  # the detail pane reads abstracts (after the first frame)
        self._search: ListingSearch | None = None  # numpy and the engine: see search_side
        self._search_lock = threading.Lock()
        self._sorted_keys: list[str] | None = None
        self.abstracts_problem = ""
        self.catalog_problem = ""  # a catalog document of the wrong shape, met after the start
        # The user's states and the actions on them: a part of its own, given only the papers.
        self.user = PaperStates(
            library, self.papers, self.index_of, lambda: self.position, not states_later
        )

    # -- loading after the first frame (each safe to call from any thread, any number of times) -

    @property
    def catalog_loaded(self) -> bool:
        """Whether every catalog document is parsed (what a filter, a sort or a count needs)."""
        docs = self.catalog.docs
        return not isinstance(docs, LazyDocs) or docs.loaded

    def load_catalog(self) -> bool:
        """Parse and check every catalog document (0.2 s at 50k papers: call from a worker);
        False, with the one-line :attr:`catalog_problem`, when one has the wrong shape."""
        try:
            self.library.load_catalog(self.catalog)
        except LibraryError as err:
            self.catalog_problem = str(err)
            return False
        return True

    @cached_property
    def titles(self) -> list[str]:
        """Every title, in paper order (parses the whole catalog: not on the UI thread)."""
        self.library.load_catalog(self.catalog)
        return [str(d["title"]) for d in self.catalog.docs]

    @cached_property
    def position(self) -> dict[str, int]:
        """Every paper's index by its id (parses the whole catalog: not on the UI thread;
        :meth:`index_of` finds one paper without it)."""
        self.library.load_catalog(self.catalog)
        return {str(d["id"]): i for i, d in enumerate(self.catalog.docs)}

    def index_of(self, pid: str) -> int | None:
        """The index of paper ``pid``, None when it is not in the catalog. Until
        :attr:`position` is built, from the library's id table (the first frame keeps the
        session's paper, and an early key acts, without parsing every document)."""
        if "position" not in self.__dict__ and not self.catalog_loaded:
            table = self.library.id_table()
            if table is not None and table.revision == self.catalog.revision:
                row = table.find(pid)
                if row is None:
                    return None  # not a paper of this catalog (or no paper at all: no session)
                at = table.positions[row]
                return at if at < len(self.papers) and self.papers[at].id == pid else None
        return self.position.get(pid)

    @property
    def abstracts_loaded(self) -> bool:
        """Whether every abstract is in memory: only while the scan stands in for the index."""
        return self._search is not None and self._search.abstracts_loaded

    @property
    def index_ready(self) -> bool:
        return self._search is not None and self._search.index_ready

    @property
    def index_warning(self) -> str:
        """What to say about the index (unreadable, or not saved), once it is loaded."""
        return self._search.index_warning if self._search is not None else ""

    def open_abstracts(self, index: int | None = None) -> None:
        """Let the detail pane read abstracts (until now it said "loading", so the first frame
        reads no segment), having read the segment of paper ``index`` (call from a worker)."""
        if index is not None:
            self.detail_abstract(index)
        self.abstracts_open = True

    def detail_abstract(self, index: int) -> tuple[str, str]:
        """The abstract of the paper at ``index`` and "", or "" and the one line saying why it
        could not be read (also kept in :attr:`abstracts_problem`)."""
        try:
            return self.abstracts.text(index), ""
        except LibraryError as err:
            self.abstracts_problem = str(err)
            return "", self.abstracts_problem

    def _every_abstract(self) -> tuple[list[str], bool]:
        """Every abstract for the index build or the scan, read once for that use, and
        whether they all could be (else none: titles still list, filter and mark, and the
        notice says what is missing)."""
        try:
            return self.abstracts.every(), True
        except LibraryError as err:
            self.abstracts_problem = str(err)
            return [""] * len(self.papers), False

    @property
    def search_side(self) -> ListingSearch:
        """The index, the scan and the listings that filter or sort: created (loading numpy
        and the search engine) by the first listing that needs them, or the index's worker."""
        with self._search_lock:
            if self._search is None:
                from digestreader.reader.searching import ListingSearch

                self._search = ListingSearch(
                    self.library,
                    self.catalog.revision,
                    len(self.papers),
                    lambda: self.titles,
                    self._every_abstract,
                    self.orders,
                    self.user.flags,
                )
            return self._search

    @cached_property
    def orders(self) -> CatalogOrders:
        """Every sort's permutation, the digests' and the newest digest's masks (cached)."""
        from digestreader.reader.orders import CatalogOrders

        return CatalogOrders(self.catalog.docs, self.digest_names, lambda: self.titles)

    def load_index(self) -> None:
        """Switch from the scan to the index: the saved one, or one built (and saved) now.

        Building takes seconds at 50k papers: call from a worker thread. The titles, which
        every ranked filter reads, are listed here too (~40 ms at 200k papers, else the first
        keystroke's).
        """
        self.search_side.load_index()
        _ = self.titles

    @property
    def matcher(self) -> Matcher:
        """The index when ready, else a scan over titles and abstracts (loading them if needed)."""
        return self.search_side.matcher

    # -- reading -------------------------------------------------------------------------------

    def paper_with_state(self, index: int, with_abstract: bool = True) -> PaperWithState:
        """A paper with its state and abstract (read with its segment; "" when that cannot
        be read: see :meth:`detail_abstract`). List rows, drawn on every keystroke, take
        ``with_abstract=False``: no abstract, and the loaded states only."""
        paper = self.papers[index]
        if not with_abstract:  # a list row: the loaded states only (no markers before them)
            return PaperWithState(paper, self.user.states.get(paper.id, UserState()))
        text, _problem = self.detail_abstract(index)
        return PaperWithState(replace(paper, abstract=text), self.user.state(index))

    def handle(self, index: int) -> str:
        """What the paper at ``index`` is shown as: the shortest unique prefix of its key."""
        if self._sorted_keys is None:
            if not self.catalog_loaded:  # the id table's sorted keys: no catalog parse
                return self.library.handle(self.papers[index].id)
            self._sorted_keys = sorted(self.position)
        return handle(self._sorted_keys, self.papers[index].id)

    def digest_counts(self) -> list[DigestCounts]:
        """Every digest by date with its source, papers, and how many were new or returning."""
        return digest_counts(self.catalog.docs, self.catalog.digests)

    def compute(self, spec: ListingSpec, generation: int = 0) -> Listing:
        """The papers ``spec`` shows, in order. Pure over the current state: safe in a worker
        thread. Nothing while the catalog has a document of the wrong shape (the reader's
        loading worker meets the same error in :meth:`load_catalog` and ends on it)."""
        try:
            return self._compute(spec, generation)
        except LibraryError:
            if self.catalog_loaded:
                raise
            return Listing(range(0), spec, generation)

    def _compute(self, spec: ListingSpec, generation: int) -> Listing:
        if self.shows_everything(spec):
            listing = Listing(range(len(self.papers)), spec, generation)
        else:
            listing = self.search_side.compute(spec, generation)
        if not self.catalog_loaded:
            # The rows a first screen draws, parsed (and checked) here rather than on the UI
            # thread: a wrong one is found before it is drawn.
            with as_library_errors():
                for i in listing.order[:FIRST_ROWS]:
                    self.papers[int(i)]
        return listing

    @staticmethod
    def shows_everything(spec: ListingSpec) -> bool:
        """Whether ``spec`` lists every paper in the catalog's own order (no filter, scope,
        digest or sort): then the list is a range, and neither numpy nor the search engine
        load for it (the usual first frame)."""
        plain_order = spec.effective_sort in (Sort.DIGEST, Sort.RELEVANCE)
        return plain_order and spec.digest is None and not parse_query(spec.filter_text).groups

    def papers_with_state(self, indexes: Iterable[int]) -> list[PaperWithState]:
        """The papers at ``indexes`` with their states and abstracts, in that order (for export:
        each segment they need read once; loads the states if the reader has not yet: call from
        a worker). LibraryError naming the file when a segment cannot be read, or, for a few
        papers while the states are not loaded, their state shard (``list --limit 20`` reads
        twenty shards at most, not every one)."""
        indexes = [int(i) for i in indexes]
        if len(indexes) > FEW_STATES:
            self.user.load_states()
        texts = self.abstracts.texts(indexes)
        return [
            PaperWithState(
                replace(self.papers[i], abstract=text),
                self.user.states_of(self.papers[i].id, strict=True),
            )
            for i, text in zip(indexes, texts, strict=True)
        ]

    def export_scopes(self, shown: Iterable[int]) -> dict[str, Sequence[int]]:
        """The papers of each export scope: marked, shown (``shown``, in its order), all."""
        return {
            "marked": self.user.marked_indexes(),
            "shown": [int(i) for i in shown],
            "all": range(len(self.papers)),
        }
