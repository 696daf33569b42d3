"""Orders and masks that follow from the catalog alone: every sort as a permutation, which papers
a digest holds, which are new in the newest digest. Each is built on first use and kept, so a
filtered list is a gather, never a sort (the user's state plays no part here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from digestreader.reader.listing import Sort
from digestreader.reader.timeline import first_digests
from digestreader.search.meta import MetaIndex

Mask = npt.NDArray[np.bool_]
Order = npt.NDArray[np.int32]


class CatalogOrders:
    """The orders and masks of one catalog's papers (``docs``), its digests oldest first."""

    def __init__(
        self,
        docs: Sequence[Mapping[str, Any]],
        digest_names: Sequence[str],
        titles: Callable[[], Sequence[str]],
    ) -> None:
        self.docs = docs
        self.digest_names = digest_names
        self._titles = titles  # asked for only by the title sort
        self._permutations: dict[Sort, Order] = {}
        self._digest_masks: dict[str, Mask] = {}
        self._new: Mask | None = None
        self._meta: MetaIndex | None = None

    def permutation(self, sort: Sort) -> Order:
        """Every paper index in ``sort`` order (cached)."""
        if sort not in self._permutations:
            count = len(self.docs)
            docs = self.docs
            if sort is Sort.TITLE:
                folded = [t.casefold() for t in self._titles()]
                perm = np.asarray(sorted(range(count), key=folded.__getitem__), np.int32)
            elif sort is Sort.UPVOTES:
                votes = np.fromiter((d.get("upvotes") or -1 for d in docs), np.int64, count)
                perm = np.argsort(-votes, kind="stable").astype(np.int32)
            elif sort is Sort.SEEN:
                seen = np.fromiter((len(d["sources"]) for d in docs), np.int64, count)
                perm = np.argsort(-seen, kind="stable").astype(np.int32)
            elif sort is Sort.NEWEST:
                rank = {name: i for i, name in enumerate(self.digest_names)}
                newest = np.fromiter(
                    (max(rank.get(s["digest"], 0) for s in d["sources"]) for d in docs),
                    np.int64,
                    count,
                )
                perm = np.argsort(-newest, kind="stable").astype(np.int32)
            else:  # digest order, and relevance when nothing ranks
                perm = np.arange(count, dtype=np.int32)
            self._permutations[sort] = perm
        return self._permutations[sort]

    def in_digest(self, digest: str) -> Mask:
        """Which papers were seen in ``digest`` (cached)."""
        if digest not in self._digest_masks:
            self._digest_masks[digest] = np.fromiter(
                (any(s["digest"] == digest for s in d["sources"]) for d in self.docs),
                np.bool_,
                len(self.docs),
            )
        return self._digest_masks[digest]

    def new_mask(self) -> Mask:
        """Papers first seen in the newest digest (by date): the ``new`` scope. Built on first
        use (70 ms at 50k papers: kept out of the first frame) and kept."""
        if self._new is None:
            newest = self.digest_names[-1] if self.digest_names else None
            firsts = first_digests(self.docs, self.digest_names)
            self._new = np.fromiter((f == newest for f in firsts), np.bool_, len(firsts))
        return self._new

    def meta(self) -> MetaIndex:
        """Authors and arXiv ids for ``author:`` and ``id:`` (built on first use, from the
        catalog: no abstracts)."""
        if self._meta is None:
            docs = self.docs
            self._meta = MetaIndex(
                [d.get("authors") for d in docs], [d.get("arxiv_id") for d in docs]
            )
        return self._meta
