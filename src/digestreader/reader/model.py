"""The reader's model without Textual: which papers are shown, in what order, and user actions.

The UI asks :meth:`ReaderModel.compute` for an order (in a worker thread), shows it, and sends every
user action back here; this class writes through the library at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cached_property

import numpy as np

from digestreader.ingest.indexing import build_and_save, index_path, read_index
from digestreader.library import Library, LibraryError
from digestreader.library.errors import as_library_errors
from digestreader.models import PaperWithState, UserState
from digestreader.reader.abstracts import SegmentAbstracts
from digestreader.reader.digests import digest_labels
from digestreader.reader.lazy_papers import LazyPapers
from digestreader.reader.listing import Listing, ListingSpec, Sort
from digestreader.reader.model_states import Flags, PaperStates
from digestreader.reader.orders import CatalogOrders
from digestreader.reader.timeline import DigestCounts, by_date, digest_counts
from digestreader.search import SearchIndex, match, parse_query, search
from digestreader.search.index import FlagsOnly, Matcher, ScanMatcher
from digestreader.search.meta import EMPTY_META
from digestreader.store.identity import handle
from digestreader.store.lazy_catalog import LazyDocs

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
        self.orders = CatalogOrders(self.catalog.docs, self.digest_names, lambda: self.titles)
        self.abstracts = SegmentAbstracts(library, self.catalog, self.papers)
        self.abstracts_open = False  # the detail pane reads abstracts (after the first frame)
        self._scan_abstracts: list[str] | None = None  # the scan's, until the index is in
        self._scan_whole = False  # whether every one of them could be read
        self._index: SearchIndex | None = None
        self.index_warning = ""
        self.index_notice = ""  # the saved index was there but unreadable
        self._tried_saved_index = False
        self._scan: ScanMatcher | None = None
        self._load_lock = threading.Lock()
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
        return self._scan_abstracts is not None

    @property
    def index_ready(self) -> bool:
        return self._index is not None

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

    def load_index(self) -> None:
        """Switch from the scan to the index: the saved one, or one built (and saved) now.

        Building takes seconds at 50k papers: call from a worker thread.
        """
        with self._load_lock:
            if self._saved_index() is not None:
                return
        if self._scan_abstracts is not None:
            abstracts, whole = self._scan_abstracts, self._scan_whole
        else:
            abstracts, whole = self._every_abstract()
        if whole:
            index, problem = build_and_save(
                self.library, self.titles, abstracts, self.catalog.revision
            )
        else:  # not saved: a saved index is trusted for its revision, and this one lacks them
            index, problem = SearchIndex.build(self.titles, abstracts), None
        del abstracts
        if problem:
            self.index_warning = f"{problem.capitalize()}; it is rebuilt at each start"
        elif self.index_notice:
            self.index_warning = self.index_notice[0].upper() + self.index_notice[1:]
        self._index = index
        # The stopgap's texts and casefolded copies can go.
        self._scan, self._scan_abstracts = None, None

    def _saved_index(self) -> SearchIndex | None:
        """The index saved for this corpus revision, loaded once (tens of ms, no abstracts)."""
        if self._index is None and not self._tried_saved_index:
            self._tried_saved_index = True
            path = index_path(self.library)
            self._index, self.index_notice = read_index(
                path, self.catalog.revision, len(self.papers)
            )
        return self._index

    @property
    def matcher(self) -> Matcher:
        """The index when ready, else a scan over titles and abstracts (loading them if needed)."""
        with self._load_lock:
            index = self._saved_index()
        if index is not None:
            return index
        with self._load_lock:
            if self._scan is None:
                # Kept for the index build that follows (the reader's worker), then let go.
                self._scan_abstracts, self._scan_whole = self._every_abstract()
                self._scan = ScanMatcher(self.titles, self._scan_abstracts)
            return self._scan

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

    def _filter_flags(self, flag_names: frozenset[str]) -> dict[str, Flags]:
        """The flags a query filters on: the user's, and ``new`` when it asks for it. A query
        without the user's flags needs no states, so the first listing never waits for them."""
        flags = self.user.flags() if flag_names - {"new"} else {}
        return {**flags, "new": self.orders.new_mask()} if "new" in flag_names else flags

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
            return Listing(np.zeros(0, np.int32), spec, generation)

    def _compute(self, spec: ListingSpec, generation: int) -> Listing:
        parsed = parse_query(spec.filter_text)
        # Flags alone need no texts, so the first frame never waits for the abstracts.
        matcher = self.matcher if parsed.needs_text else FlagsOnly(len(self.papers))
        meta = self.orders.meta() if parsed.needs_meta else EMPTY_META
        digest = spec.digest
        if spec.effective_sort is Sort.RELEVANCE and parsed.highlight_words:
            flags = self._filter_flags(parsed.flag_names)
            order = search(matcher, parsed, self.titles, flags, meta=meta).order
            if digest is not None:
                order = order[self.orders.in_digest(digest)[order]]
        else:
            mask, _scores = match(matcher, parsed, self._filter_flags(parsed.flag_names), meta)
            if digest is not None:
                mask &= self.orders.in_digest(digest)
            permutation = self.orders.permutation(spec.effective_sort)
            order = permutation[mask[permutation]]
        if not self.catalog_loaded:
            # The rows a first screen draws, parsed (and checked) here rather than on the UI
            # thread: a wrong one is found before it is drawn.
            with as_library_errors():
                for i in order[:FIRST_ROWS]:
                    self.papers[int(i)]
        return Listing(order.astype(np.int32), spec, generation)

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
