"""Filters over what a JSON source told us of a paper: ``author:name`` and ``id:2604``.

Both are word-prefix lookups in small sorted vocabularies (author name words; arXiv ids), so a
keystroke costs two bisections and a union of postings, never a scan of every paper's authors.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from digestreader.search.query import tokens

Mask = npt.NDArray[np.bool_]
_VERSION = re.compile(r"v\d*$")  # 2604.16044v2, or v being typed


def _prefix_range(keys: Sequence[str], prefix: str) -> range:
    start = bisect_left(keys, prefix)
    # Every key starting with the prefix sorts before prefix + the highest code point.
    return range(start, bisect_left(keys, prefix + "\U0010ffff", lo=start))


class MetaIndex:
    """Author words and arXiv ids of ``size`` papers, for prefix filters."""

    def __init__(self, authors: Sequence[Sequence[str] | None], arxiv_ids: Sequence[str | None]):
        self.size = len(authors)
        postings: dict[str, list[int]] = {}
        for index, names in enumerate(authors):
            if names:
                for word in set(tokens(" ".join(names))):
                    postings.setdefault(word, []).append(index)
        self._words = sorted(postings)
        # One flat array, sorted by word: a prefix's papers are one slice of it, whatever the
        # number of words it covers ("s" covers thousands).
        counts = np.fromiter((len(postings[w]) for w in self._words), np.int64, len(self._words))
        self._offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self._flat = np.fromiter(
            (i for w in self._words for i in postings[w]), np.int64, int(self._offsets[-1])
        )
        pairs = sorted((a.casefold(), i) for i, a in enumerate(arxiv_ids) if a)
        self._ids = [a for a, _ in pairs]
        self._id_papers = np.asarray([i for _, i in pairs], np.int64)

    def author(self, word: str) -> Mask:
        """Papers with an author name word starting with ``word`` (casefolded)."""
        mask = np.zeros(self.size, np.bool_)
        found = _prefix_range(self._words, word)
        mask[self._flat[self._offsets[found.start] : self._offsets[found.stop]]] = True
        return mask

    def arxiv(self, prefix: str) -> Mask:
        """Papers whose arXiv id starts with ``prefix`` (``2604``, ``2604.16044v2``: a version
        suffix is ignored, since we store ids as the source gave them)."""
        wanted = prefix.casefold().strip()
        base = _VERSION.sub("", wanted)
        mask = np.zeros(self.size, np.bool_)
        found = _prefix_range(self._ids, base)
        mask[self._id_papers[found.start : found.stop]] = True
        return mask


EMPTY_META = MetaIndex([], [])
