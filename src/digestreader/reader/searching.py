"""The reader model's search side: the index (saved, or built in a worker), the scan that stands
in for it until then, and the listings that filter, sort or pick a digest.

numpy, the search engine and rapidfuzz load with this module. :class:`ReaderModel` imports it on
the first listing that needs it, or when its worker loads the index, after the first frame: the
list a first frame usually shows (every paper in digest order) is a plain range.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from digestreader.ingest.indexing import build_and_save, index_path, read_index
from digestreader.library import Library
from digestreader.reader.listing import Listing, ListingSpec, Sort
from digestreader.reader.orders import CatalogOrders
from digestreader.search.engine import match, search
from digestreader.search.index import FlagsOnly, Matcher, ScanMatcher, SearchIndex
from digestreader.search.meta import EMPTY_META
from digestreader.search.query import parse_query

if TYPE_CHECKING:
    from digestreader.reader.model_states import Flags

# Every abstract and whether all of them could be read (else none).
EveryAbstract = Callable[[], tuple[list[str], bool]]


class ListingSearch:
    """Matching and ordering over one catalog's papers (``size`` of them)."""

    def __init__(
        self,
        library: Library,
        revision: str,
        size: int,
        titles: Callable[[], list[str]],
        every_abstract: EveryAbstract,
        orders: CatalogOrders,
        flags: Callable[[], dict[str, Flags]],
    ) -> None:
        """``titles`` and ``every_abstract`` are asked for only when the index must be built
        (or the scan stand in for it); ``flags`` gives the user's flags (loading the states)."""
        self.library = library
        self.revision = revision
        self.size = size
        self._titles = titles
        self._every_abstract = every_abstract
        self.orders = orders
        self._user_flags = flags
        self._scan_abstracts: list[str] | None = None  # the scan's, until the index is in
        self._scan_whole = False  # whether every one of them could be read
        self._index: SearchIndex | None = None
        self.index_warning = ""
        self.index_notice = ""  # the saved index was there but unreadable
        self._tried_saved_index = False
        self._scan: ScanMatcher | None = None
        self._load_lock = threading.Lock()

    @property
    def abstracts_loaded(self) -> bool:
        """Whether every abstract is in memory: only while the scan stands in for the index."""
        return self._scan_abstracts is not None

    @property
    def index_ready(self) -> bool:
        return self._index is not None

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
        titles = self._titles()
        if whole:
            index, problem = build_and_save(self.library, titles, abstracts, self.revision)
        else:  # not saved: a saved index is trusted for its revision, and this one lacks them
            index, problem = SearchIndex.build(titles, abstracts), None
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
            self._index, self.index_notice = read_index(path, self.revision, self.size)
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
                self._scan = ScanMatcher(self._titles(), self._scan_abstracts)
            return self._scan

    def _filter_flags(self, flag_names: frozenset[str]) -> dict[str, Flags]:
        """The flags a query filters on: the user's, and ``new`` when it asks for it. A query
        without the user's flags needs no states, so the first listing never waits for them."""
        flags = self._user_flags() if flag_names - {"new"} else {}
        return {**flags, "new": self.orders.new_mask()} if "new" in flag_names else flags

    def compute(self, spec: ListingSpec, generation: int) -> Listing:
        """The papers ``spec`` shows, in order (pure over the current state: any thread)."""
        parsed = parse_query(spec.filter_text)
        # Flags alone need no texts, so the first frame never waits for the abstracts.
        matcher = self.matcher if parsed.needs_text else FlagsOnly(self.size)
        meta = self.orders.meta() if parsed.needs_meta else EMPTY_META
        digest = spec.digest
        if spec.effective_sort is Sort.RELEVANCE and parsed.highlight_words:
            flags = self._filter_flags(parsed.flag_names)
            order = search(matcher, parsed, self._titles(), flags, meta=meta).order
            if digest is not None:
                order = order[self.orders.in_digest(digest)[order]]
        else:
            mask, _scores = match(matcher, parsed, self._filter_flags(parsed.flag_names), meta)
            if digest is not None:
                mask &= self.orders.in_digest(digest)
            permutation = self.orders.permutation(spec.effective_sort)
            order = permutation[mask[permutation]]
        return Listing(order.astype(np.int32, copy=False), spec, generation)
