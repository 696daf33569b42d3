"""Papers made from their stored documents on first use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from digestreader.models import Paper
from digestreader.store.documents import paper_from_doc


class LazyPapers(Sequence[Paper]):
    """Papers made from their stored documents on first use: a first frame touches ~40 of them.

    Papers come without abstracts; :meth:`ReaderModel.paper_with_state` adds the abstract once
    it is loaded.
    """

    def __init__(self, docs: Sequence[dict[str, Any]]) -> None:
        self._docs = docs
        self._made: list[Paper | None] = [None] * len(docs)

    def __len__(self) -> int:
        return len(self._docs)

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Paper]: ...
    def __getitem__(self, index: int | slice) -> Paper | Sequence[Paper]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        paper = self._made[index]
        if paper is None:
            # Two threads may both build one paper; they build equal values, either may stay.
            paper = self._made[index] = paper_from_doc(self._docs[index])
        return paper
