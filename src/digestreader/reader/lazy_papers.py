"""Papers made from their stored documents on first use, the most recent few kept."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, overload

from digestreader.models import Paper
from digestreader.store.documents import paper_from_doc

# A screen draws ~40 rows and a filter's first screen as many again: a few thousand papers made
# cover every redraw, while keeping all 50k (mark all read, export all) held ~11 MB for nothing.
KEEP_PAPERS = 4096


class LazyPapers(Sequence[Paper]):
    """Papers made from their stored documents on first use: a first frame touches ~40 of them,
    and at most :data:`KEEP_PAPERS` stay made (the oldest made goes first; made again if asked
    for, from the same document: an equal value).

    Papers come without abstracts; :meth:`ReaderModel.paper_with_state` adds the abstract.
    """

    def __init__(self, docs: Sequence[dict[str, Any]], keep: int = KEEP_PAPERS) -> None:
        self._docs = docs
        self._keep = keep
        self._made: dict[int, Paper] = {}
        self._lock = threading.Lock()  # the UI and the filter thread both make papers

    def __len__(self) -> int:
        return len(self._docs)

    @property
    def made(self) -> int:
        """How many papers are kept made."""
        return len(self._made)

    def id_of(self, index: int) -> str:
        """The id of the paper at ``index``, without making the paper."""
        paper = self._made.get(index)
        return paper.id if paper is not None else str(self._docs[index]["id"])

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Paper]: ...
    def __getitem__(self, index: int | slice) -> Paper | Sequence[Paper]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        paper = self._made.get(index)
        if paper is None:
            if not 0 <= index < len(self):
                raise IndexError(index)
            # Two threads may both make one paper: equal values, either may stay.
            paper = paper_from_doc(self._docs[index])
            with self._lock:
                self._made[index] = paper
                if len(self._made) > self._keep:
                    del self._made[next(iter(self._made))]
        return paper
