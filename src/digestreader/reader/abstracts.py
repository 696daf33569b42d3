"""Abstracts read as the reader needs them, one segment file at a time, never all kept.

Abstracts were a fifth of the reader's memory at 50k papers (62 MB of 307) while a user reads a
handful. The detail pane, copy, open and export ask for the papers they show; each is found in
its segment (papers ``n * segment_papers`` onwards, in catalog order), which is read and checked
whole (10-20 ms for 4096 papers) and kept among the last :data:`KEEP_SEGMENTS` read, so a j/k
walk down a listing reads a file once per segment it enters. Export of every paper reads each
segment once and keeps none of them after.

The store's reliability rules hold: a segment another process replaced is read from the current
catalog's list (papers are never removed nor moved), and one that cannot be read is one
:class:`LibraryError` line naming the file.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from digestreader.library import Library
from digestreader.library.errors import as_library_errors
from digestreader.reader.lazy_papers import LazyPapers
from digestreader.store.catalog import Catalog
from digestreader.store.documents import doc_id_of

KEEP_SEGMENTS = 3  # the cursor's segment and the two before it: about 6 MB each at 4096 papers


class SegmentAbstracts:
    """The abstracts of one catalog's papers, read segment by segment on demand."""

    def __init__(self, library: Library, catalog: Catalog, papers: LazyPapers) -> None:
        self.library = library
        self.catalog = catalog
        self.papers = papers
        self._kept: OrderedDict[int, dict[str, str]] = OrderedDict()
        self._lock = threading.Lock()  # the UI thread and an export worker may both read
        # A catalog older than schema 3 (or with abstracts inside it) keys its abstracts
        # otherwise: it is read whole, as before (the first write migrates it).
        self._whole: list[str] | None = None
        self._by_segment = not catalog.legacy and not catalog.inline_abstracts

    def text(self, index: int) -> str:
        """The abstract of the paper at ``index`` ("" when none is stored); LibraryError when
        its segment cannot be read."""
        return self.texts([index])[0]

    def texts(self, indexes: Iterable[int]) -> list[str]:
        """The abstracts of the papers at ``indexes``, in that order: each segment they fall in
        read once (the last few kept for the next call)."""
        indexes = [int(i) for i in indexes]
        if not self._by_segment:
            whole = self.every()
            return [whole[i] for i in indexes]
        size = self.library.corpus_store.segment_papers()
        out = [""] * len(indexes)
        wanted: dict[int, list[int]] = {}
        for at, index in enumerate(indexes):
            wanted.setdefault(index // size, []).append(at)
        for segment, ats in wanted.items():
            texts = self._segment(segment, keep=len(wanted) <= KEEP_SEGMENTS)
            for at in ats:
                out[at] = texts.get(str(doc_id_of(self.papers.id_of(indexes[at]))), "")
        return out

    def every(self) -> list[str]:
        """Every abstract in paper order, read for one use (an index build, the scan) and not
        kept here (slow at 50k papers: call from a worker)."""
        if self._whole is not None:
            return self._whole
        with as_library_errors():
            texts = self.library.corpus_store.abstracts(self.catalog)
        if not self._by_segment:
            self._whole = texts
        return texts

    def _segment(self, segment: int, keep: bool) -> dict[str, str]:
        with self._lock:
            texts = self._kept.get(segment)
            if texts is not None:
                self._kept.move_to_end(segment)
                return texts
        with as_library_errors():
            texts = self.library.corpus_store.ids.segment_abstracts(self.catalog, segment)
        if keep:
            with self._lock:
                self._kept[segment] = texts
                while len(self._kept) > KEEP_SEGMENTS:
                    self._kept.popitem(last=False)
        return texts

    @property
    def kept(self) -> list[int]:
        """The segments kept in memory, oldest first."""
        with self._lock:
            return list(self._kept)
